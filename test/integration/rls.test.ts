import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { withTenant } from "~/utils/db.server";
import { tablesWithoutRls } from "~/utils/migrate.server";
import { makeOrg, testDb, testOwnerDb } from "./helpers";

describe("row-level security", () => {
  const owner = testOwnerDb();
  afterAll(() => owner.destroy());

  it("a query that forgets its org filter still sees only its own organisation", async () => {
    const a = await makeOrg();
    const b = await makeOrg();
    const units = await withTenant(testDb(), { orgId: a.org.id }, (trx) => trx.selectFrom("org_units").select(["org_id", "code"]).execute());
    expect(units.length).toBe(2);
    expect(units.every((u) => u.org_id === a.org.id)).toBe(true);
    const roles = await withTenant(testDb(), { orgId: b.org.id }, (trx) => trx.selectFrom("roles").select("org_id").execute());
    expect(roles.length).toBeGreaterThan(0);
    expect(roles.every((r) => r.org_id === b.org.id)).toBe(true);
  });

  it("without a tenant the application role sees no tenant rows at all", async () => {
    await makeOrg();
    const rows = await testDb().selectFrom("org_units").select("id").execute();
    expect(rows).toEqual([]);
  });

  it("refuses to write a row into another organisation", async () => {
    const a = await makeOrg();
    const b = await makeOrg();
    await expect(
      withTenant(testDb(), { orgId: a.org.id }, (trx) =>
        trx.insertInto("org_units").values({ org_id: b.org.id, code: "X9", name_ar: "دخيل", name_en: "Intruder" }).execute(),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it("the tenant setting does not leak to the next transaction on a pooled connection", async () => {
    const a = await makeOrg();
    await withTenant(testDb(), { orgId: a.org.id }, async () => undefined);
    const setting = await sql<{ v: string | null }>`SELECT current_setting('app.org_id', true) AS v`.execute(testDb());
    expect(setting.rows[0]?.v ?? "").toBe("");
  });

  it("the application role is neither superuser nor owner and cannot bypass RLS", async () => {
    const me = await sql<{ rolsuper: boolean; rolbypassrls: boolean; owns: number }>`
      SELECT r.rolsuper, r.rolbypassrls,
        (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user) AS owns
      FROM pg_roles r WHERE r.rolname = current_user`.execute(testDb());
    expect(me.rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, owns: 0 });
  });

  it("every tenant table has RLS enabled and forced", async () => {
    expect(await tablesWithoutRls(owner)).toEqual([]);
  });
});
