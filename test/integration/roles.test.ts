import { describe, expect, it } from "vitest";
import { BUILTIN_ROLES, createRole, deleteRole, getRole, listRoles, updateRole } from "~/models/roles.server";
import type { AuditActor } from "~/utils/audit-actor.server";
import { withTenant, type Tx } from "~/utils/db.server";
import { buildAbility } from "~/utils/permissions.server";
import { makeOrg, testDb, type TestOrg } from "./helpers";

const tenant = <T>(t: TestOrg, fn: (trx: Tx) => Promise<T>) => withTenant(testDb(), { orgId: t.org.id, userId: t.admin.id }, fn);
const actorOf = (t: TestOrg): AuditActor => ({ orgId: t.org.id, actorUserId: t.admin.id, actorLabel: t.admin.email, requestId: "req-roles-test", ip: "127.0.0.1" });

function auditEntries(t: TestOrg, subjectId: string) {
  return tenant(t, (trx) =>
    trx.selectFrom("audit_log").select(["action", "before", "after", "actor_user_id", "request_id"]).where("subject_id", "=", subjectId).orderBy("seq").execute(),
  );
}

const readMembersOfUnit = [{ action: "read", subject: "Member", conditions: { unitId: "${user.unitId}" } }];

describe("role administration", () => {
  it("creates a role, audit-logged, and refuses a duplicate key", async () => {
    const t = await makeOrg();
    const created = await tenant(t, (trx) => createRole(trx, actorOf(t), { key: "reviewer", name_ar: "مراجع", name_en: "Reviewer", rules: readMembersOfUnit }));
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.role.version).toBe(1);
    const entries = await auditEntries(t, created.role.id);
    expect(entries).toEqual([
      expect.objectContaining({ action: "role.create", before: null, actor_user_id: t.admin.id, request_id: "req-roles-test", after: expect.objectContaining({ key: "reviewer", rules: readMembersOfUnit }) }),
    ]);
    const again = await tenant(t, (trx) => createRole(trx, actorOf(t), { key: "reviewer", name_ar: "آخر", name_en: "Other", rules: [] }));
    expect(again).toEqual({ ok: false, reason: "duplicate_key" });
  });

  it("saves an edit with the current version, bumps it and audits before/after", async () => {
    const t = await makeOrg();
    const result = await tenant(t, (trx) =>
      updateRole(trx, actorOf(t), t.roles.staff!, { version: 1, name_ar: "موظف ميداني", name_en: "Field staff", rules: readMembersOfUnit }),
    );
    expect(result.ok).toBe(true);
    const role = await tenant(t, (trx) => getRole(trx, t.org.id, t.roles.staff!));
    expect(role).toMatchObject({ version: 2, name_ar: "موظف ميداني", rules: readMembersOfUnit });
    const [entry] = await auditEntries(t, t.roles.staff!);
    expect(entry).toMatchObject({ action: "role.update", before: { version: 1, name_en: "Staff member" }, after: { version: 2, name_en: "Field staff", rules: readMembersOfUnit } });
    // The built-in staff role's default rules (they grow as subjects are added).
    expect((entry!.before as { rules: unknown[] }).rules.length).toBe(BUILTIN_ROLES.find((r) => r.key === "staff")!.rules.length);
  });

  it("refuses a stale version: nothing changes, nothing is audited, the current row is returned", async () => {
    const t = await makeOrg();
    const first = await tenant(t, (trx) => updateRole(trx, actorOf(t), t.roles.manager!, { version: 1, name_ar: "مدير أول", name_en: "First", rules: [] }));
    expect(first.ok).toBe(true);
    // A second editor who opened version 1 saves later.
    const stale = await tenant(t, (trx) =>
      updateRole(trx, actorOf(t), t.roles.manager!, { version: 1, name_ar: "مدير ثان", name_en: "Second", rules: readMembersOfUnit }),
    );
    expect(stale).toMatchObject({ ok: false, reason: "conflict", current: { version: 2, name_en: "First" } });
    expect(await tenant(t, (trx) => getRole(trx, t.org.id, t.roles.manager!))).toMatchObject({ version: 2, name_en: "First", rules: [] });
    expect((await auditEntries(t, t.roles.manager!)).map((e) => e.action)).toEqual(["role.update"]);
  });

  it("two editors saving the same version at once: exactly one wins", async () => {
    const t = await makeOrg();
    const save = (name: string) =>
      tenant(t, (trx) => updateRole(trx, actorOf(t), t.roles.staff!, { version: 1, name_ar: name, name_en: name, rules: [] }));
    const results = await Promise.all([save("أ"), save("ب")]);
    expect(results.map((r) => (r.ok ? "ok" : r.reason)).sort()).toEqual(["conflict", "ok"]);
    expect(await tenant(t, (trx) => getRole(trx, t.org.id, t.roles.staff!))).toMatchObject({ version: 2 });
    expect(await auditEntries(t, t.roles.staff!)).toHaveLength(1);
  });

  it("refuses invalid rules with coded issues and writes nothing", async () => {
    const t = await makeOrg();
    const before = await tenant(t, (trx) => getRole(trx, t.org.id, t.roles.staff!));
    const bad = [
      { action: "read", subject: "Member" },
      { action: "fly", subject: "Member" },
      { action: "read", subject: "Spaceship" },
      { action: "read", subject: "Member", conditions: { email: "${user.email}" } },
      { action: "read", subject: "Member", conditions: { unitId: "${user.id}" } },
      { action: "read", subject: "Member", conditions: { userId: { $regex: "." } } },
      { action: "read", subject: "all", conditions: { userId: "${user.id}" } },
      { action: "read", subject: "Role", fields: ["key"] },
    ];
    const result = await tenant(t, (trx) => updateRole(trx, actorOf(t), t.roles.staff!, { version: 1, name_ar: "تغيير", name_en: "Changed", rules: bad }));
    expect(result.ok).toBe(false);
    if (result.ok || result.reason !== "invalid") throw new Error("expected invalid");
    expect(result.issues.map((i) => [i.rule, i.code])).toEqual([
      [2, "unknownAction"],
      [3, "unknownSubject"],
      [4, "fieldNotAllowed"],
      [5, "valueNotAllowed"],
      [6, "valueNotAllowed"],
      [7, "fieldNotAllowed"],
      [8, "unknownKey"],
    ]);
    expect(await tenant(t, (trx) => getRole(trx, t.org.id, t.roles.staff!))).toEqual(before);
    expect(await auditEntries(t, t.roles.staff!)).toEqual([]);
    const notList = await tenant(t, (trx) => updateRole(trx, actorOf(t), t.roles.staff!, { version: 1, name_ar: "x", name_en: "x", rules: { action: "read" } }));
    expect(notList).toMatchObject({ ok: false, reason: "invalid", issues: [{ rule: null, code: "notArray" }] });
  });

  it("will not let an admin take away their own right to edit roles", async () => {
    const t = await makeOrg();
    const lockout = await tenant(t, (trx) =>
      updateRole(trx, actorOf(t), t.roles.admin!, { version: 1, name_ar: "مسؤول", name_en: "Admin", rules: [{ action: "read", subject: "all" }] }),
    );
    expect(lockout).toEqual({ ok: false, reason: "lockout" });
    expect(await tenant(t, (trx) => getRole(trx, t.org.id, t.roles.admin!))).toMatchObject({ version: 1, rules: [{ action: "manage", subject: "all" }] });
    // Narrowing the admin role while keeping role management is fine.
    const narrowed = await tenant(t, (trx) =>
      updateRole(trx, actorOf(t), t.roles.admin!, {
        version: 1,
        name_ar: "مسؤول",
        name_en: "Admin",
        rules: [{ action: "manage", subject: "Role" }, { action: "read", subject: "all" }],
      }),
    );
    expect(narrowed.ok).toBe(true);
    // Editing a role the admin does not hold is never a lock-out.
    const other = await tenant(t, (trx) => updateRole(trx, actorOf(t), t.roles.manager!, { version: 1, name_ar: "مدير", name_en: "Manager", rules: [] }));
    expect(other.ok).toBe(true);
  });

  it("deletes only roles nobody holds, never the built-in admin role", async () => {
    const t = await makeOrg();
    expect(await tenant(t, (trx) => deleteRole(trx, actorOf(t), t.roles.admin!, 1))).toEqual({ ok: false, reason: "builtin_admin" });
    expect(await tenant(t, (trx) => deleteRole(trx, actorOf(t), t.roles.staff!, 1))).toEqual({ ok: false, reason: "assigned", members: 1 });
    const created = await tenant(t, (trx) => createRole(trx, actorOf(t), { key: "temp", name_ar: "مؤقت", name_en: "Temporary", rules: [] }));
    if (!created.ok) throw new Error("create failed");
    expect(await tenant(t, (trx) => deleteRole(trx, actorOf(t), created.role.id, 7))).toMatchObject({ ok: false, reason: "conflict" });
    expect((await tenant(t, (trx) => deleteRole(trx, actorOf(t), created.role.id, 1))).ok).toBe(true);
    expect(await tenant(t, (trx) => getRole(trx, t.org.id, created.role.id))).toBeUndefined();
    expect((await auditEntries(t, created.role.id)).map((e) => e.action)).toEqual(["role.create", "role.delete"]);
  });

  it("lists and searches roles with member counts, only for members who may read roles", async () => {
    const t = await makeOrg();
    const admin = buildAbility([{ action: "manage", subject: "all" }]);
    const page = await tenant(t, (trx) => listRoles(trx, t.org.id, { q: "", limit: 10, offset: 0, ability: admin }));
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => [r.key, r.members])).toEqual([
      ["admin", 1],
      ["manager", 1],
      ["staff", 1],
    ]);
    const search = await tenant(t, (trx) => listRoles(trx, t.org.id, { q: "مدير", limit: 10, offset: 0, ability: admin }));
    expect(search.rows.map((r) => r.key)).toEqual(["manager"]);
    const none = await tenant(t, (trx) => listRoles(trx, t.org.id, { q: "", limit: 10, offset: 0, ability: buildAbility([]) }));
    expect(none).toEqual({ rows: [], total: 0 });
    expect(await tenant(t, (trx) => getRole(trx, t.org.id, "not-a-uuid"))).toBeUndefined();
  });
});
