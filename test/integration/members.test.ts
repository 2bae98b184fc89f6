import { describe, expect, it } from "vitest";
import { addMember, listMembers, setMemberDisabled, updateMember } from "~/models/members.server";
import { loadMembership } from "~/models/memberships.server";
import { createSession, findSession } from "~/models/sessions.server";
import { createUnit, deleteUnit, updateUnit } from "~/models/units.server";
import { verifyPassword } from "~/models/users.server";
import type { AuditActor } from "~/utils/audit-actor.server";
import { withTenant } from "~/utils/db.server";
import { buildAbility, interpolateRules } from "~/utils/permissions.server";
import { makeOrg, TEST_PASSWORD, testDb, type TestOrg } from "./helpers";

const actorOf = (org: TestOrg, who: { id: string; email: string }): AuditActor => ({
  orgId: org.org.id,
  actorUserId: who.id,
  actorLabel: who.email,
  requestId: null,
  ip: null,
});

const inTenant = <T,>(org: TestOrg, fn: Parameters<typeof withTenant<T>>[2]) => withTenant(testDb(), { orgId: org.org.id }, fn);

async function auditActions(org: TestOrg) {
  const rows = await inTenant(org, (trx) => trx.selectFrom("audit_log").select(["action", "before", "after"]).where("org_id", "=", org.org.id).orderBy("seq").execute());
  return rows;
}

/** The ability requireOrgMember would build for this member. */
async function abilityOf(org: TestOrg, userId: string, email: string) {
  const found = await withTenant(testDb(), { orgId: org.org.id, userId }, (trx) => loadMembership(trx, org.org.id, userId));
  const rules = found!.roles.flatMap((r) =>
    interpolateRules(r.rules as unknown[], { user: { id: userId, unitId: found!.membership.unit_id, email }, org: { id: org.org.id } }),
  );
  return buildAbility(rules);
}

const userRow = (id: string) => testDb().selectFrom("users").select(["name", "password_hash"]).where("id", "=", id).executeTakeFirstOrThrow();

// The tests act as organisation admins, who may edit roles and so may grant them.
const ADMIN_RIGHT = { mayAssignRoles: true };

describe("adding members", () => {
  it("adds a person who already has an account elsewhere without touching their password or name", async () => {
    const a = await makeOrg();
    const b = await makeOrg();
    const before = await userRow(b.staff.id);
    const result = await inTenant(a, (trx) =>
      addMember(trx, actorOf(a, a.admin), {
        email: `  ${b.staff.email.toUpperCase()} `,
        name: "اسم آخر",
        password: "A-different-password-1",
        unitId: a.units.a,
        title: "مستشار",
        roleIds: [a.roles.staff!],
      }, ADMIN_RIGHT),
    );
    expect(result).toEqual({ ok: true, userId: b.staff.id, createdAccount: false });
    const after = await userRow(b.staff.id);
    expect(after).toEqual(before);
    expect(await verifyPassword(after.password_hash, TEST_PASSWORD)).toBe(true);
    expect(await verifyPassword(after.password_hash, "A-different-password-1")).toBe(false);
    // They are now an active member of a, with the chosen unit and role; b is untouched.
    const inA = await withTenant(testDb(), { orgId: a.org.id }, (trx) => loadMembership(trx, a.org.id, b.staff.id));
    expect(inA?.membership.unit_id).toBe(a.units.a);
    expect(inA?.roles.map((r) => r.key)).toEqual(["staff"]);
    const inB = await withTenant(testDb(), { orgId: b.org.id }, (trx) => loadMembership(trx, b.org.id, b.staff.id));
    expect(inB?.membership.unit_id).toBe(b.units.b);
    // The audit entry records the change but no password material and nothing from org b.
    const entry = (await auditActions(a)).find((r) => r.action === "member.add");
    expect(entry?.after).toMatchObject({ email: b.staff.email, createdAccount: false, unitId: a.units.a, roles: [{ key: "staff" }] });
    const text = JSON.stringify(entry);
    expect(text).not.toMatch(/argon2|password/i);
    expect(text).not.toContain(b.org.id);
  });

  it("creates a new account with the initial password, and refuses a second add", async () => {
    const a = await makeOrg();
    const input = { email: `new-${a.org.slug}@example.test`, name: "سلمى", password: "Initial-pass-42", unitId: null, title: null, roleIds: [] };
    const first = await inTenant(a, (trx) => addMember(trx, actorOf(a, a.admin), input, ADMIN_RIGHT));
    expect(first).toMatchObject({ ok: true, createdAccount: true });
    const user = await userRow((first as { userId: string }).userId);
    expect(await verifyPassword(user.password_hash, "Initial-pass-42")).toBe(true);
    const again = await inTenant(a, (trx) => addMember(trx, actorOf(a, a.admin), { ...input, password: "Other-pass-4242" }, ADMIN_RIGHT));
    expect(again).toEqual({ ok: false, reason: "already_member" });
  });

  it("rejects a unit or role from another organisation and writes nothing", async () => {
    const a = await makeOrg();
    const b = await makeOrg();
    const email = `x-${a.org.slug}@example.test`;
    const base = { email, name: "س", password: "Initial-pass-42", title: null };
    const wrongUnit = await inTenant(a, (trx) => addMember(trx, actorOf(a, a.admin), { ...base, unitId: b.units.a, roleIds: [] }, ADMIN_RIGHT));
    expect(wrongUnit).toEqual({ ok: false, reason: "unit_not_found" });
    const wrongRole = await inTenant(a, (trx) => addMember(trx, actorOf(a, a.admin), { ...base, unitId: null, roleIds: [b.roles.admin!] }, ADMIN_RIGHT));
    expect(wrongRole).toEqual({ ok: false, reason: "role_not_found" });
    expect(await testDb().selectFrom("users").select("id").where("email", "=", email).executeTakeFirst()).toBeUndefined();
  });
});

describe("editing and disabling members", () => {
  it("disabling a member deletes their sessions at once", async () => {
    const a = await makeOrg();
    const session = await createSession(testDb(), { userId: a.staff.id, currentOrgId: a.org.id, days: 1 });
    expect(await findSession(testDb(), session.token)).toBeDefined();
    const result = await inTenant(a, (trx) => setMemberDisabled(trx, actorOf(a, a.admin), a.staff.id, true));
    expect(result).toEqual({ ok: true, sessionsEnded: 1 });
    expect(await findSession(testDb(), session.token)).toBeUndefined();
    expect(await withTenant(testDb(), { orgId: a.org.id }, (trx) => loadMembership(trx, a.org.id, a.staff.id))).toBeUndefined();
    const entry = (await auditActions(a)).find((r) => r.action === "member.disable");
    expect(entry).toMatchObject({ before: { disabled: false }, after: { disabled: true, sessionsEnded: 1 } });
    // Enabling again restores the membership (the person signs in anew).
    expect(await inTenant(a, (trx) => setMemberDisabled(trx, actorOf(a, a.admin), a.staff.id, false))).toEqual({ ok: true, sessionsEnded: 0 });
    expect(await withTenant(testDb(), { orgId: a.org.id }, (trx) => loadMembership(trx, a.org.id, a.staff.id))).toBeDefined();
  });

  it("an admin cannot disable themselves, nor change their own roles", async () => {
    const a = await makeOrg();
    const session = await createSession(testDb(), { userId: a.admin.id, currentOrgId: a.org.id, days: 1 });
    const actor = actorOf(a, a.admin);
    expect(await inTenant(a, (trx) => setMemberDisabled(trx, actor, a.admin.id, true))).toEqual({ ok: false, reason: "self" });
    expect(await findSession(testDb(), session.token)).toBeDefined();
    const ownRoles = await inTenant(a, (trx) => updateMember(trx, actor, a.admin.id, { unitId: a.units.a, title: null, roleIds: [a.roles.staff!] }, ADMIN_RIGHT));
    expect(ownRoles).toEqual({ ok: false, reason: "own_roles" });
    // Their own unit and title they may change.
    expect(await inTenant(a, (trx) => updateMember(trx, actor, a.admin.id, { unitId: a.units.b, title: "مسؤول", roleIds: [a.roles.admin!] }, ADMIN_RIGHT))).toEqual({
      ok: true,
      changed: true,
    });
  });

  it("records before and after when a member is edited", async () => {
    const a = await makeOrg();
    await inTenant(a, (trx) => updateMember(trx, actorOf(a, a.admin), a.staff.id, { unitId: a.units.a, title: "باحث", roleIds: [a.roles.manager!] }, ADMIN_RIGHT));
    const entry = (await auditActions(a)).find((r) => r.action === "member.update");
    expect(entry?.before).toMatchObject({ unitId: a.units.b, title: null, roles: [{ key: "staff" }] });
    expect(entry?.after).toMatchObject({ unitId: a.units.a, title: "باحث", roles: [{ key: "manager" }] });
  });
});

// ACCESSIBLEWHERE: this block proves the list is filtered in SQL from the member's CASL rules.
describe("member list filtered by accessibleWhere (CASL rules → SQL)", () => {
  it("a staff member sees only the members of their own unit; an admin sees everyone", async () => {
    const a = await makeOrg();
    // A second member in the staff member's unit (b) and one with no unit.
    for (const [email, unitId] of [[`colleague-${a.org.slug}@example.test`, a.units.b], [`nounit-${a.org.slug}@example.test`, null]] as const) {
      const r = await inTenant(a, (trx) =>
        addMember(trx, actorOf(a, a.admin), { email, name: `زميل ${email}`, password: "Initial-pass-42", unitId, title: null, roleIds: [a.roles.staff!] }, ADMIN_RIGHT),
      );
      expect(r.ok).toBe(true);
    }
    const list = async (ability: Awaited<ReturnType<typeof abilityOf>>, q = "") =>
      inTenant(a, (trx) => listMembers(trx, { orgId: a.org.id, ability, q, limit: 100, offset: 0 }));

    const staffView = await list(await abilityOf(a, a.staff.id, a.staff.email));
    expect(staffView.rows.map((r) => r.unitId)).toEqual([a.units.b, a.units.b]);
    expect(staffView.rows.map((r) => r.email).sort()).toEqual([`colleague-${a.org.slug}@example.test`, a.staff.email].sort());
    expect(staffView.total).toBe(2);

    const adminView = await list(await abilityOf(a, a.admin.id, a.admin.email));
    expect(adminView.total).toBe(5);
    // Search narrows on the server, within what the rules allow.
    const searched = await list(await abilityOf(a, a.staff.id, a.staff.email), "colleague");
    expect(searched.rows.map((r) => r.email)).toEqual([`colleague-${a.org.slug}@example.test`]);
    // LIKE wildcards in the search are literal.
    expect((await list(await abilityOf(a, a.admin.id, a.admin.email), "%")).total).toBe(0);
  });
});

describe("org units", () => {
  it("a duplicate unit code is refused and nothing is written", async () => {
    const a = await makeOrg();
    const actor = actorOf(a, a.admin);
    const count = () => inTenant(a, (trx) => trx.selectFrom("org_units").select("id").execute()).then((r) => r.length);
    const auditCount = async () => (await auditActions(a)).length;
    const [units0, audit0] = [await count(), await auditCount()];
    expect(await inTenant(a, (trx) => createUnit(trx, actor, { code: "A1", name_ar: "مكررة", name_en: "Dup", parentId: null }))).toEqual({
      ok: false,
      reason: "duplicate_code",
    });
    // Case does not make a code different (it would print the same in service codes).
    expect(await inTenant(a, (trx) => createUnit(trx, actor, { code: "a1", name_ar: "مكررة", name_en: "Dup", parentId: null }))).toMatchObject({
      reason: "duplicate_code",
    });
    expect(await inTenant(a, (trx) => updateUnit(trx, actor, a.units.b, { code: "A1", name_ar: "وحدة ب", name_en: "Unit B", parentId: null }))).toMatchObject({
      reason: "duplicate_code",
    });
    expect(await count()).toBe(units0);
    expect(await auditCount()).toBe(audit0);
    const codes = await inTenant(a, (trx) => trx.selectFrom("org_units").select("code").orderBy("code").execute());
    expect(codes.map((c) => c.code)).toEqual(["A1", "B2"]);
  });

  it("the same code in another organisation is fine", async () => {
    const a = await makeOrg();
    const b = await makeOrg();
    expect(await inTenant(b, (trx) => createUnit(trx, actorOf(b, b.admin), { code: "C3", name_ar: "ج", name_en: "C", parentId: null }))).toMatchObject({ ok: true });
    expect(await inTenant(a, (trx) => createUnit(trx, actorOf(a, a.admin), { code: "C3", name_ar: "ج", name_en: "C", parentId: null }))).toMatchObject({ ok: true });
  });

  it("refuses cycles in the hierarchy and deleting a unit with members or sub-units", async () => {
    const a = await makeOrg();
    const actor = actorOf(a, a.admin);
    const child = await inTenant(a, (trx) => createUnit(trx, actor, { code: "A1-1", name_ar: "فرع", name_en: "Branch", parentId: a.units.a }));
    expect(child.ok).toBe(true);
    const childId = (child as { id: string }).id;
    const unitA = { code: "A1", name_ar: "وحدة أ", name_en: "Unit A" };
    expect(await inTenant(a, (trx) => updateUnit(trx, actor, a.units.a, { ...unitA, parentId: childId }))).toMatchObject({ reason: "cycle" });
    expect(await inTenant(a, (trx) => updateUnit(trx, actor, a.units.a, { ...unitA, parentId: a.units.a }))).toMatchObject({ reason: "cycle" });
    expect(await inTenant(a, (trx) => deleteUnit(trx, actor, a.units.b))).toEqual({ ok: false, reason: "has_members", count: 1 });
    // Disabled members still count: the foreign key would refuse the delete anyway.
    await inTenant(a, (trx) => setMemberDisabled(trx, actor, a.staff.id, true));
    expect(await inTenant(a, (trx) => deleteUnit(trx, actor, a.units.b))).toMatchObject({ reason: "has_members" });
    await inTenant(a, (trx) => updateMember(trx, actor, a.staff.id, { unitId: null, title: null, roleIds: [a.roles.staff!] }, ADMIN_RIGHT));
    expect(await inTenant(a, (trx) => deleteUnit(trx, actor, a.units.b))).toMatchObject({ ok: true });
    await inTenant(a, (trx) => updateMember(trx, actor, a.manager.id, { unitId: childId, title: null, roleIds: [a.roles.manager!] }, ADMIN_RIGHT));
    await inTenant(a, (trx) => updateMember(trx, actor, a.admin.id, { unitId: null, title: null, roleIds: [a.roles.admin!] }, ADMIN_RIGHT));
    expect(await inTenant(a, (trx) => deleteUnit(trx, actor, a.units.a))).toEqual({ ok: false, reason: "has_children", count: 1 });
    const actions = (await auditActions(a)).map((r) => r.action);
    expect(actions).toContain("unit.delete");
    expect(actions.filter((x) => x === "unit.delete")).toHaveLength(1);
  });
});

describe("granting roles", () => {
  it("someone who may update members but not roles cannot hand out roles", async () => {
    const a = await makeOrg();
    const actor = actorOf(a, a.manager);
    const noGrant = { mayAssignRoles: false };
    const promote = await inTenant(a, (trx) => updateMember(trx, actor, a.staff.id, { unitId: a.units.b, title: null, roleIds: [a.roles.admin!] }, noGrant));
    expect(promote).toEqual({ ok: false, reason: "roles_not_allowed" });
    const roles = await inTenant(a, (trx) => trx.selectFrom("membership_roles").select("role_id").where("user_id", "=", a.staff.id).execute());
    expect(roles.map((r) => r.role_id)).toEqual([a.roles.staff]);
    // Unit and title remain theirs to change.
    expect(await inTenant(a, (trx) => updateMember(trx, actor, a.staff.id, { unitId: a.units.a, title: "باحث", roleIds: [a.roles.staff!] }, noGrant))).toEqual({ ok: true, changed: true });
    const added = await inTenant(a, (trx) =>
      addMember(trx, actor, { email: `new-${a.org.slug}@x.test`, name: "عضو جديد", password: "A-long-password-1", unitId: null, title: null, roleIds: [a.roles.admin!] }, noGrant),
    );
    expect(added).toEqual({ ok: false, reason: "roles_not_allowed" });
  });
});
