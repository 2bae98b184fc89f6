import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_REGISTRY, notices } from "../fixtures/plugins/registry";
import { insertOrganisation } from "~/models/organisations.server";
import type { DB } from "~/utils/db-types";
import { withPlatform, withTenant } from "~/utils/db.server";
import { tablesWithoutRls } from "~/utils/migrate.server";
import { buildAbility, interpolateRules, knownSubjects, subjectSpec, type RuleJson } from "~/utils/permissions.server";
import { addGrantsToBuiltinRoles } from "~/utils/plugin-grants.server";
import {
  isPluginActive,
  loadPlugins,
  pluginDefaultGrants,
  pluginRegistry,
  pluginSubjects,
  requireActivePlugin,
  type LoadedPlugin,
  type PluginRegistry,
} from "~/utils/plugins.server";
import { navEntries } from "~/utils/navigation.server";
import type { NoticesTables } from "~plugins/notices/db";
import { createNotice, deleteNotice, listNotices } from "~plugins/notices/notices.server";
import { makeOrg, testDb, testOwnerDb, uniqueSlug } from "./helpers";
import { setLogLevel } from "~/utils/log.server";

// The loader logs each disabled fixture plugin as an error; the assertions below check them.
setLogLevel("silent");

// The integration database is shared by parallel test files: fixture plugins have ids
// starting with "fx-", and nothing here adds grants to organisations other tests made.

async function tableExists(db: Kysely<unknown>, name: string): Promise<boolean> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename = ${name}`.execute(db);
  return r.rows[0]!.n === 1;
}

const rolesOf = async (orgId: string) =>
  withTenant(testDb(), { orgId }, (trx) => trx.selectFrom("roles").select(["id", "key", "rules", "version"]).where("org_id", "=", orgId).execute());
const hasRule = (rules: unknown, rule: RuleJson) => (rules as RuleJson[]).some((r) => JSON.stringify(r) === JSON.stringify(rule));

describe("plugin loader", () => {
  const owner = testOwnerDb();
  let loaded: PluginRegistry;
  const plugin = (id: string): LoadedPlugin => loaded.plugins.find((p) => p.id === id)!;

  beforeAll(async () => {
    loaded = await loadPlugins(owner, FIXTURE_REGISTRY);
  });
  afterAll(() => owner.destroy());

  it("disables each broken plugin with the reason, and keeps the healthy ones active", () => {
    const firsts = loaded.plugins.filter((p) => p.error?.code !== "duplicate_id");
    const statuses = Object.fromEntries(firsts.map((p) => [p.id, [p.status, p.error?.code ?? null]]));
    expect(statuses).toEqual({
      "fx-good": ["active", null],
      "fx-throws": ["disabled", "import_failed"],
      "fx-needs-throws": ["disabled", "dependency_disabled"],
      "fx-invalid": ["disabled", "invalid_manifest"],
      "fx-migfail": ["disabled", "migration_failed"],
      "fx-orphan": ["disabled", "dependency_missing"],
      "fx-stray": ["disabled", "table_prefix"],
      "fx-norls": ["disabled", "rls_missing"],
      "fx-clash": ["disabled", "subject_conflict"],
      "fx-escalate": ["disabled", "invalid_server"],
      "fx-untranslated": ["disabled", "invalid_translations"],
      "fx-cycle-a": ["disabled", "dependency_cycle"],
      "fx-cycle-b": ["disabled", "dependency_cycle"],
      notices: ["active", null],
    });
    const orphans = loaded.plugins.filter((p) => p.id === "fx-orphan");
    expect(orphans.map((p) => p.error?.code)).toEqual(["dependency_missing", "duplicate_id"]);
    expect(plugin("fx-throws").error?.detail).toContain("fx-throws exploded at import");
    expect(plugin("fx-invalid").error?.detail).toMatch(/id: .*\^\[a-z\]/);
    expect(plugin("fx-invalid").error?.detail).toContain("version");
    expect(plugin("fx-migfail").error?.detail).toMatch(/^0002_broken: .*fx_migfail_missing/);
    expect(plugin("fx-orphan").error?.detail).toContain("fx-nowhere");
    expect(plugin("fx-stray").error?.detail).toContain("stray_fixture_table");
    expect(plugin("fx-norls").error?.detail).toContain("fx_norls_item");
    expect(plugin("fx-clash").error?.detail).toContain('already defined by plugin "notices"');
    expect(plugin("fx-escalate").error?.detail).toContain("Role");
  });

  it("a failed migration leaves nothing behind: earlier migrations of the batch and the migration table are rolled back", async () => {
    expect(await tableExists(owner, "fx_migfail_thing")).toBe(false);
    expect(await tableExists(owner, "plugin_fx_migfail_migrations")).toBe(false);
    expect(await tableExists(owner, "stray_fixture_table")).toBe(false);
    expect(await tableExists(owner, "fx_norls_item")).toBe(false);
    expect(await tableExists(owner, "fx_good_item")).toBe(true);
    expect(await tableExists(owner, "plugin_fx_good_migrations")).toBe(true);
  });

  it("a failed migration does not leave kysely's session-level migration lock held on a pooled connection", async () => {
    // kysely's Postgres adapter locks this key with pg_advisory_lock; a leak would block every later migration.
    const other = testOwnerDb();
    try {
      const r = await sql<{ ok: boolean }>`SELECT pg_try_advisory_lock(3853314791062309107) AS ok`.execute(other);
      expect(r.rows[0]!.ok).toBe(true);
      await sql`SELECT pg_advisory_unlock(3853314791062309107)`.execute(other);
    } finally {
      await other.destroy();
    }
  });

  it("records every plugin's state, with the error text for disabled ones", async () => {
    const rows = await (owner as Kysely<DB>)
      .selectFrom("plugin_state")
      .select(["plugin_id", "status", "error", "version"])
      .where("plugin_id", "in", ["fx-migfail", "fx-orphan", "fx-good", "notices", "fx-invalid"])
      .orderBy("plugin_id")
      .execute();
    const byId = Object.fromEntries(rows.map((r) => [r.plugin_id, r]));
    expect(byId["notices"]).toMatchObject({ status: "active", error: null, version: "1.1.0" });
    expect(byId["fx-good"]).toMatchObject({ status: "active", error: null });
    expect(byId["fx-migfail"]!.status).toBe("disabled");
    expect(byId["fx-migfail"]!.error).toMatch(/^\[migration_failed\] 0002_broken/);
    // The duplicate registry line did not overwrite the first one's state.
    expect(byId["fx-orphan"]!.error).toMatch(/^\[dependency_missing\]/);
    expect(byId["fx-invalid"]).toMatchObject({ status: "disabled", version: "unknown" });
  });

  it("exposes the result to the app: active check, 404 guard, subjects and navigation", async () => {
    expect(pluginRegistry()).toBe(loaded);
    expect(isPluginActive("notices")).toBe(true);
    expect(isPluginActive("fx-throws")).toBe(false);
    expect(() => requireActivePlugin("notices")).not.toThrow();
    let thrown: unknown;
    try {
      requireActivePlugin("fx-migfail");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ init: { status: 404 } });
    expect(pluginSubjects().map((s) => `${s.pluginId}:${s.name}`).sort()).toEqual(["fx-good:FxGoodItem", "notices:Notice"]);
    // Registered with the permissions helper, so the roles editor and rule validation know them.
    expect(knownSubjects()).toEqual(expect.arrayContaining(["Notice", "FxGoodItem"]));
    expect(subjectSpec("Notice")).toEqual({ name: "Notice", fields: { createdBy: "user" } });

    const staffAbility = buildAbility([{ action: "read", subject: "Notice" }]);
    const links = navEntries({ ability: staffAbility }, new Set(["notices", "fx-good"])).filter((e) => e.kind === "link");
    expect(links).toContainEqual({ kind: "link", key: "notices:board", label: "nav.title", ns: "notices", path: "notices" });
    // Only in organisations that enabled the plugin.
    expect(navEntries({ ability: staffAbility }).some((e) => e.key === "notices:board")).toBe(false);
    // Shown only to members who may read the plugin's subject.
    expect(links.some((e) => e.key === "fx-good:items")).toBe(false);
  });

  it("loading again is idempotent: nothing re-applied, same verdicts", async () => {
    const again = await loadPlugins(owner, FIXTURE_REGISTRY);
    expect(again.plugins.map((p) => [p.id, p.status])).toEqual(loaded.plugins.map((p) => [p.id, p.status]));
    expect(again.plugins.find((p) => p.id === "notices")!.migrationsApplied).toEqual([]);
    expect(again.plugins.find((p) => p.id === "fx-good")!.migrationsApplied).toEqual([]);
    loaded = again;
  });

  it("two processes booting at once install a plugin exactly once", async () => {
    const id = `fx-race-${Date.now().toString(36)}`;
    const table = `${id.replace(/-/g, "_")}_row`;
    const entry = {
      id,
      manifest: async () => ({ default: { id, version: "1.0.0", names: { ar: "سباق", en: "Race" }, dependsOn: [] } }),
      server: async () => ({
        default: {
          migrations: {
            "0001_rows": {
              up: async (db: Kysely<unknown>) =>
                void (await sql`CREATE TABLE ${sql.table(table)} (org_id uuid, id int); ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY; ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY`.execute(db)),
            },
          },
          permissions: { subjects: [], defaultGrants: {} },
        },
      }),
      translations: { ar: {}, en: {} },
    };
    const second = testOwnerDb();
    try {
      const [a, b] = await Promise.all([loadPlugins(owner, [entry]), loadPlugins(second, [entry])]);
      expect([a.plugins[0]!.error, b.plugins[0]!.error]).toEqual([null, null]);
      expect([...a.plugins[0]!.migrationsApplied, ...b.plugins[0]!.migrationsApplied]).toEqual(["0001_rows"]);
    } finally {
      await second.destroy();
      loaded = await loadPlugins(owner, FIXTURE_REGISTRY);
    }
  });
});

describe("the notices plugin", () => {
  const owner = testOwnerDb();
  beforeAll(async () => {
    await loadPlugins(owner, [notices]);
  });
  afterAll(() => owner.destroy());

  it("its table has row-level security enabled and forced", async () => {
    const r = await sql<{ relrowsecurity: boolean; relforcerowsecurity: boolean }>`
      SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = 'notices_notice'`.execute(owner);
    expect(r.rows[0]).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
    expect(await tablesWithoutRls(owner)).not.toContain("notices_notice");
  });

  it("a notice in organisation A is invisible in organisation B, and B cannot write into A", async () => {
    const a = await makeOrg();
    const b = await makeOrg();
    const actor = { orgId: a.org.id, actorUserId: a.admin.id, actorLabel: a.admin.email, requestId: "t", ip: "127.0.0.1" };
    const { id } = await withTenant(testDb(), { orgId: a.org.id, userId: a.admin.id }, (trx) =>
      createNotice(trx, actor, { title: "اجتماع الفريق", body: "يوم الأحد الساعة العاشرة." }),
    );
    const read = (orgId: string) =>
      withTenant(testDb(), { orgId }, (trx) => trx.withTables<NoticesTables>().selectFrom("notices_notice").select(["id", "org_id"]).execute());
    expect(await read(a.org.id)).toEqual([{ id, org_id: a.org.id }]);
    // No org filter in the query at all: RLS alone hides A's notice from B.
    expect(await read(b.org.id)).toEqual([]);
    await expect(
      withTenant(testDb(), { orgId: b.org.id }, (trx) =>
        trx.withTables<NoticesTables>().insertInto("notices_notice").values({ org_id: a.org.id, title: "دخيل", body: "x", created_by: b.admin.id }).execute(),
      ),
    ).rejects.toThrow(/row-level security/);
    const audit = await withTenant(testDb(), { orgId: a.org.id }, (trx) =>
      trx.selectFrom("audit_log").select(["action", "subject_id"]).where("org_id", "=", a.org.id).where("subject_type", "=", "Notice").execute(),
    );
    expect(audit).toEqual([{ action: "notice.create", subject_id: id }]);
  });

  it("lists newest first with paging, filtered by the member's rules, and deletes with an audit entry", async () => {
    const org = await makeOrg();
    const scope = { orgId: org.org.id, userId: org.admin.id };
    const actorFor = (user: { id: string; email: string }) => ({ orgId: org.org.id, actorUserId: user.id, actorLabel: user.email, requestId: "t", ip: "127.0.0.1" });
    const ids: string[] = [];
    for (const [i, user] of [org.admin, org.manager, org.admin].entries()) {
      ids.push((await withTenant(testDb(), scope, (trx) => createNotice(trx, actorFor(user), { title: `إعلان ${i + 1}`, body: "نص" }))).id);
    }
    const admin = buildAbility([{ action: "manage", subject: "all" }]);
    const page1 = await withTenant(testDb(), scope, (trx) => listNotices(trx, org.org.id, admin, { offset: 0, pageSize: 2 }));
    expect(page1.total).toBe(3);
    expect(page1.rows.map((r) => r.title)).toEqual(["إعلان 3", "إعلان 2"]);
    expect(page1.rows[1]!.authorName).toContain("manager");
    const page2 = await withTenant(testDb(), scope, (trx) => listNotices(trx, org.org.id, admin, { offset: 2, pageSize: 2 }));
    expect(page2.rows.map((r) => r.title)).toEqual(["إعلان 1"]);

    // A role that may read only its own notices sees only those, in SQL.
    const own = buildAbility([{ action: "read", subject: "Notice", conditions: { createdBy: org.manager.id } }]);
    const mine = await withTenant(testDb(), scope, (trx) => listNotices(trx, org.org.id, own, { offset: 0, pageSize: 10 }));
    expect(mine).toMatchObject({ total: 1, rows: [{ id: ids[1] }] });
    const none = await withTenant(testDb(), scope, (trx) => listNotices(trx, org.org.id, buildAbility([]), { offset: 0, pageSize: 10 }));
    expect(none).toEqual({ total: 0, rows: [] });

    expect(await withTenant(testDb(), scope, (trx) => deleteNotice(trx, actorFor(org.admin), ids[0]!))).toBe(true);
    expect(await withTenant(testDb(), scope, (trx) => deleteNotice(trx, actorFor(org.admin), ids[0]!))).toBe(false);
    const audit = await withTenant(testDb(), scope, (trx) =>
      trx.selectFrom("audit_log").select(["action", "before", "after"]).where("org_id", "=", org.org.id).where("subject_id", "=", ids[0]!).orderBy("seq").execute(),
    );
    expect(audit).toEqual([
      { action: "notice.create", before: null, after: { title: "إعلان 1", body: "نص" } },
      { action: "notice.delete", before: { title: "إعلان 1", body: "نص", createdBy: org.admin.id }, after: null },
    ]);
  });

  it("new organisations get the default grants in their built-in roles", async () => {
    expect(pluginDefaultGrants()).toMatchObject({ staff: [{ action: "read", subject: "Notice" }] });
    const org = await makeOrg();
    const roles = Object.fromEntries((await rolesOf(org.org.id)).map((r) => [r.key, r.rules]));
    expect(hasRule(roles.admin, { action: "manage", subject: "Notice" })).toBe(true);
    expect(hasRule(roles.manager, { action: ["read", "create"], subject: "Notice" })).toBe(true);
    expect(hasRule(roles.staff, { action: "read", subject: "Notice" })).toBe(true);
    const staff = buildAbility(interpolateRules(roles.staff as unknown[], { user: { id: org.staff.id, unitId: org.units.b, email: "" }, org: { id: org.org.id } }));
    expect(staff.can("read", "Notice")).toBe(true);
    expect(staff.can("create", "Notice")).toBe(false);
    expect(staff.can("delete", "Notice")).toBe(false);
  });

  it("default grants reach existing organisations once, audit-logged; a grant an admin removed is not put back", async () => {
    // An organisation created while no plugin was loaded (roles without Notice rules).
    const bare = await withPlatform(testDb(), (trx) =>
      trx.insertInto("organisations").values({ slug: uniqueSlug("bare"), name_ar: "جهة", name_en: "Org", initials: "ج" }).returning("id").executeTakeFirstOrThrow(),
    );
    await withPlatform(testDb(), (trx) =>
      trx
        .insertInto("roles")
        .values(["admin", "staff"].map((key) => ({ org_id: bare.id, key, name_ar: key, name_en: key, builtin: true, rules: JSON.stringify([]) })))
        .execute(),
    );
    const grants = { staff: [{ action: "read", subject: "Notice" }] as RuleJson[] };
    const add = () => withPlatform(testDb(), (trx) => addGrantsToBuiltinRoles(trx as unknown as Kysely<DB>, "notices", grants, [bare.id]));
    expect(await add()).toBe(1);
    expect(await add()).toBe(0);
    const staffRole = (await rolesOf(bare.id)).find((r) => r.key === "staff")!;
    expect(staffRole.rules).toEqual([{ action: "read", subject: "Notice" }]);
    expect(staffRole.version).toBe(2);
    const audit = await withTenant(testDb(), { orgId: bare.id }, (trx) =>
      trx.selectFrom("audit_log").select(["action", "actor_label", "before", "after"]).where("org_id", "=", bare.id).execute(),
    );
    expect(audit).toEqual([
      { action: "role.plugin_grants", actor_label: "plugin:notices", before: { key: "staff", rules: [] }, after: { key: "staff", rules: grants.staff } },
    ]);

    // Through the loader: the grants are recorded as applied, so removing one sticks.
    const org = await makeOrg();
    const staff = (await rolesOf(org.org.id)).find((r) => r.key === "staff")!;
    await withTenant(testDb(), { orgId: org.org.id }, (trx) =>
      trx.updateTable("roles").set({ rules: JSON.stringify([]) }).where("org_id", "=", org.org.id).where("id", "=", staff.id).execute(),
    );
    const state = await (owner as Kysely<DB>).selectFrom("plugin_state").select("granted").where("plugin_id", "=", "notices").executeTakeFirstOrThrow();
    expect(state.granted).toMatchObject({ staff: [{ action: "read", subject: "Notice" }] });
    await loadPlugins(owner, [notices]);
    expect((await rolesOf(org.org.id)).find((r) => r.key === "staff")!.rules).toEqual([]);
  });

  it("insertOrganisation without loaded plugins adds no plugin grants (the registry is per process)", async () => {
    // Guards the wiring: grants come from the loaded registry, not from the registry file.
    const before = pluginRegistry();
    await loadPlugins(owner, []);
    try {
      const created = await withPlatform(testDb(), (trx) => insertOrganisation(trx, { slug: uniqueSlug("np"), name_ar: "جهة", name_en: "Org", initials: "ج" }));
      const roles = await rolesOf(created.org.id);
      expect(roles.every((r) => !JSON.stringify(r.rules).includes("Notice"))).toBe(true);
    } finally {
      await loadPlugins(owner, [notices]);
      expect(pluginRegistry().plugins.map((p) => p.id)).toEqual(before.plugins.map((p) => p.id));
    }
  });
});
