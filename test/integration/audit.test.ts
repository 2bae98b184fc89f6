import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { auditFacets, listAuditEntries, type AuditFilters } from "~/models/audit-browse.server";
import { checkAuditChain, entryHash, GENESIS_HASH, recordAudit, verifyAuditChain, type AuditInput, type HashedFields } from "~/models/audit.server";
import { buildAbility, type AppAbility } from "~/utils/permissions.server";
import { createDb, withTenant, type Db } from "~/utils/db.server";
import { makeOrg, testDb, testOwnerDb, type TestOrg } from "./helpers";

// All tampering in this file happens in organisations it creates, one test at a time
// (tests in a file run in order), and every tampered row is put back: other files share
// the database and the CLI test below checks every chain in it.

const owner = testOwnerDb();
// The same connection typed with the schema: the owner bypasses RLS (superuser).
const ownerDb = owner as unknown as Db;
afterAll(() => owner.destroy());

async function append(t: TestOrg, count: number, extra: Partial<AuditInput> = {}): Promise<void> {
  for (let i = 1; i <= count; i++) {
    await withTenant(testDb(), { orgId: t.org.id, userId: t.admin.id }, (trx) =>
      recordAudit(trx, {
        orgId: t.org.id,
        actorUserId: t.admin.id,
        actorLabel: t.admin.email,
        action: "unit.update",
        subjectType: "OrgUnit",
        subjectId: t.units.a,
        before: { name_ar: `وحدة ${i}`, order: i, nested: { z: [1, { b: 2, a: 1 }], a: null } },
        after: { name_ar: `وحدة ${i + 1}`, order: i + 1, nested: { a: true, z: [] } },
        requestId: `req-${i}`,
        ip: "192.0.2.10",
        ...extra,
      }),
    );
  }
}

/** Chain checks as the application sees it: the app role inside the organisation's scope. */
const check = (orgId: string) => withTenant(testDb(), { orgId }, (trx) => checkAuditChain(trx, orgId));
const verify = (orgId: string) => withTenant(testDb(), { orgId }, (trx) => verifyAuditChain(trx, orgId));

/** Removes one row (as the owner) and returns it as JSON so that it can be put back exactly. */
async function deleteRow(orgId: string, seq: number): Promise<string> {
  const res = await sql<{ j: string }>`
    WITH gone AS (DELETE FROM audit_log WHERE org_id = ${orgId} AND seq = ${seq} RETURNING *)
    SELECT row_to_json(gone)::text AS j FROM gone`.execute(owner);
  return res.rows[0]!.j;
}

async function restoreRow(saved: string): Promise<void> {
  await sql`DELETE FROM audit_log WHERE id = (${saved}::json ->> 'id')::bigint`.execute(owner);
  await sql`INSERT INTO audit_log OVERRIDING SYSTEM VALUE SELECT * FROM json_populate_record(null::audit_log, ${saved}::json)`.execute(owner);
}

async function rowId(orgId: string, seq: number): Promise<string> {
  const res = await sql<{ id: string }>`SELECT id::text AS id FROM audit_log WHERE org_id = ${orgId} AND seq = ${seq}`.execute(owner);
  return res.rows[0]!.id;
}

describe("audit chain", () => {
  it("entries appended in one organisation form a valid, gapless chain", async () => {
    const t = await makeOrg();
    await append(t, 5);
    const rows = await withTenant(testDb(), { orgId: t.org.id }, (trx) =>
      trx.selectFrom("audit_log").select(["seq", "prev_hash", "hash"]).orderBy("seq").execute(),
    );
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(new Set(rows.map((r) => r.hash)).size).toBe(5);
    expect(await check(t.org.id)).toEqual({ entries: 5, broken: null });
  });

  it("an entry edited beneath the application is caught at exactly its seq", async () => {
    const t = await makeOrg();
    await append(t, 5);
    const saved = (await sql<{ j: string }>`SELECT row_to_json(a)::text AS j FROM audit_log a WHERE org_id = ${t.org.id} AND seq = 3`.execute(owner)).rows[0]!.j;
    try {
      await sql`UPDATE audit_log SET after = ${JSON.stringify({ name_ar: "مزوّر" })}::jsonb WHERE org_id = ${t.org.id} AND seq = 3`.execute(owner);
      expect(await verify(t.org.id)).toEqual({ orgId: t.org.id, seq: "3", id: await rowId(t.org.id, 3), reason: "hash_mismatch" });
      expect((await check(t.org.id)).entries).toBe(2);
    } finally {
      await restoreRow(saved);
    }
    expect(await check(t.org.id)).toEqual({ entries: 5, broken: null });
  });

  it("a re-hashed edit breaks the link of the following entry", async () => {
    const t = await makeOrg();
    await append(t, 4);
    const saved = (await sql<{ j: string }>`SELECT row_to_json(a)::text AS j FROM audit_log a WHERE org_id = ${t.org.id} AND seq = 2`.execute(owner)).rows[0]!.j;
    try {
      // Recompute entry 2's hash after the edit, as a forger who knows the algorithm would.
      await sql`UPDATE audit_log SET actor_label = 'someone-else@example.org' WHERE org_id = ${t.org.id} AND seq = 2`.execute(owner);
      const row = await ownerDb.selectFrom("audit_log").selectAll().where("org_id", "=", t.org.id).where("seq", "=", "2").executeTakeFirstOrThrow();
      const { id: _id, prev_hash, hash: _hash, ...fields } = row;
      const forged = entryHash(prev_hash, fields);
      await sql`UPDATE audit_log SET hash = ${forged} WHERE org_id = ${t.org.id} AND seq = 2`.execute(owner);
      expect(await check(t.org.id)).toEqual({
        entries: 2,
        broken: { orgId: t.org.id, seq: "3", id: await rowId(t.org.id, 3), reason: "prev_hash_mismatch" },
      });
    } finally {
      await restoreRow(saved);
    }
    expect(await verify(t.org.id)).toBeNull();
  });

  it("a deleted entry is caught as a gap at its successor", async () => {
    const t = await makeOrg();
    await append(t, 5);
    const successor = await rowId(t.org.id, 4);
    const saved = await deleteRow(t.org.id, 3);
    try {
      expect(await check(t.org.id)).toEqual({ entries: 2, broken: { orgId: t.org.id, seq: "4", id: successor, reason: "sequence_gap" } });
    } finally {
      await restoreRow(saved);
    }
    expect(await check(t.org.id)).toEqual({ entries: 5, broken: null });
  });

  it("the application role may not UPDATE, DELETE or TRUNCATE audit entries", async () => {
    const t = await makeOrg();
    await append(t, 1);
    const scope = { orgId: t.org.id, userId: t.admin.id };
    await expect(withTenant(testDb(), scope, (trx) => trx.updateTable("audit_log").set({ action: "x" }).where("org_id", "=", t.org.id).execute())).rejects.toThrow(
      /permission denied/,
    );
    await expect(withTenant(testDb(), scope, (trx) => trx.deleteFrom("audit_log").where("org_id", "=", t.org.id).execute())).rejects.toThrow(/permission denied/);
    await expect(withTenant(testDb(), scope, (trx) => sql`TRUNCATE audit_log`.execute(trx))).rejects.toThrow(/permission denied/);
    expect(await check(t.org.id)).toEqual({ entries: 1, broken: null });
  });

  it("20 concurrent writers in one organisation still produce a valid, gapless chain", async () => {
    const t = await makeOrg();
    // Its own pool, so that all 20 transactions really are open at the same time.
    const wide = createDb(inject("appUrl"), { max: 20 });
    try {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          withTenant(wide.db, { orgId: t.org.id, userId: t.staff.id }, async (trx) => {
            await sql`SELECT pg_sleep(0.01)`.execute(trx);
            await recordAudit(trx, { orgId: t.org.id, actorUserId: t.staff.id, action: "member.update", subjectType: "Member", subjectId: String(i), after: { i } });
          }),
        ),
      );
    } finally {
      await wide.db.destroy();
    }
    const rows = await withTenant(testDb(), { orgId: t.org.id }, (trx) => trx.selectFrom("audit_log").select(["seq", "after"]).orderBy("seq").execute());
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(rows.map((r) => (r.after as { i: number }).i)).size).toBe(20);
    expect(await check(t.org.id)).toEqual({ entries: 20, broken: null });
  });

  it("one organisation can neither read nor append to another's log", async () => {
    const a = await makeOrg();
    const b = await makeOrg();
    await append(a, 2);
    await append(b, 1);
    const seenByB = await withTenant(testDb(), { orgId: b.org.id, userId: b.admin.id }, (trx) => trx.selectFrom("audit_log").select(["org_id"]).execute());
    expect(seenByB.length).toBe(1);
    expect(seenByB.every((r) => r.org_id === b.org.id)).toBe(true);
    const aFromB = await withTenant(testDb(), { orgId: b.org.id }, (trx) => trx.selectFrom("audit_log").select("id").where("org_id", "=", a.org.id).execute());
    expect(aFromB).toEqual([]);
    // Verifying A's chain from B's scope sees nothing of it (an empty chain), not A's entries.
    expect(await withTenant(testDb(), { orgId: b.org.id }, (trx) => checkAuditChain(trx, a.org.id))).toEqual({ entries: 0, broken: null });
    await expect(
      withTenant(testDb(), { orgId: b.org.id }, (trx) => recordAudit(trx, { orgId: a.org.id, actorUserId: b.admin.id, action: "unit.create", subjectType: "OrgUnit" })),
    ).rejects.toThrow(/row-level security/);
    expect(await testDb().selectFrom("audit_log").select("id").where("org_id", "=", a.org.id).execute()).toEqual([]);
    expect(await checkAuditChain(ownerDb, a.org.id)).toEqual({ entries: 2, broken: null });
  });
});

/**
 * Writes a valid chain with chosen timestamps (recordAudit always stamps "now"), as the
 * owner, hashing exactly as recordAudit does; the chain check below proves it is valid.
 */
async function writeChain(orgId: string, entries: Partial<HashedFields>[]): Promise<void> {
  let prev = GENESIS_HASH;
  for (const [i, e] of entries.entries()) {
    const row: HashedFields = {
      org_id: orgId,
      seq: String(i + 1),
      at: new Date(),
      actor_user_id: null,
      actor_label: null,
      action: "unit.update",
      subject_type: "OrgUnit",
      subject_id: null,
      before: null,
      after: null,
      request_id: null,
      ip: null,
      ...e,
    };
    const hash = entryHash(prev, row);
    await ownerDb
      .insertInto("audit_log")
      .values({ ...row, before: row.before === null ? null : JSON.stringify(row.before), after: row.after === null ? null : JSON.stringify(row.after), prev_hash: prev, hash })
      .execute();
    prev = hash;
  }
}

describe("browsing the audit log", () => {
  const admin = buildAbility([{ action: "manage", subject: "all" }]);
  async function list(t: TestOrg, ability: AppAbility, filters: AuditFilters, page = { offset: 0, limit: 25 }, timeZone = "Asia/Dubai") {
    return withTenant(testDb(), { orgId: t.org.id }, (trx) => listAuditEntries(trx, ability, { orgId: t.org.id, timeZone, filters, ...page }));
  }

  it("filters by calendar day in the organisation's time zone, both ends inclusive", async () => {
    const t = await makeOrg();
    // Dubai is UTC+4: its 2 March runs from 1 March 20:00 UTC to 2 March 20:00 UTC.
    await writeChain(t.org.id, [
      { at: new Date("2026-03-01T19:59:59.999Z"), subject_id: "before-2-march" },
      { at: new Date("2026-03-01T20:00:00.000Z"), subject_id: "start-2-march" },
      { at: new Date("2026-03-02T19:59:59.999Z"), subject_id: "end-2-march" },
      { at: new Date("2026-03-02T20:00:00.000Z"), subject_id: "3-march" },
    ]);
    expect(await check(t.org.id)).toEqual({ entries: 4, broken: null });
    const ids = async (filters: AuditFilters, zone?: string) => (await list(t, admin, filters, undefined, zone)).rows.map((r) => r.subject_id);
    expect(await ids({ from: "2026-03-02", to: "2026-03-02" })).toEqual(["end-2-march", "start-2-march"]);
    expect(await ids({ from: "2026-03-02" })).toEqual(["3-march", "end-2-march", "start-2-march"]);
    expect(await ids({ to: "2026-03-01" })).toEqual(["before-2-march"]);
    // The same day in UTC is a different slice of time.
    expect(await ids({ from: "2026-03-02", to: "2026-03-02" }, "UTC")).toEqual(["3-march", "end-2-march"]);
  });

  it("filters by actor email, action and subject type and pages newest first", async () => {
    const t = await makeOrg();
    const by = (u: { id: string; email: string }, action: string, subject_type: string) => ({ actor_user_id: u.id, actor_label: u.email, action, subject_type });
    await writeChain(t.org.id, [
      ...Array.from({ length: 27 }, () => by(t.admin, "unit.update", "OrgUnit")),
      by(t.manager, "role.update", "Role"),
      by(t.manager, "unit.create", "OrgUnit"),
      { actor_label: "old-address@example.org", action: "access.denied", subject_type: "Organisation" },
    ]);
    const page1 = await list(t, admin, {});
    expect(page1.total).toBe(30);
    expect(page1.rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 25 }, (_, i) => 30 - i));
    expect(page1.rows[1]).toMatchObject({ actor_name: expect.stringContaining("manager"), actor_email: t.manager.email, action: "unit.create" });
    const page2 = await list(t, admin, {}, { offset: 25, limit: 25 });
    expect(page2.rows.map((r) => Number(r.seq))).toEqual([5, 4, 3, 2, 1]);

    expect((await list(t, admin, { actor: `MANAGER@${t.org.slug}` })).total).toBe(2);
    expect((await list(t, admin, { actor: "old-address" })).rows.map((r) => r.action)).toEqual(["access.denied"]);
    expect((await list(t, admin, { actor: "%" })).total).toBe(0); // matched literally, not as a wildcard
    expect((await list(t, admin, { action: "unit.create" })).rows.map((r) => Number(r.seq))).toEqual([29]);
    expect((await list(t, admin, { subjectType: "OrgUnit" })).total).toBe(28);
    expect((await list(t, admin, { subjectType: "OrgUnit", actor: "manager@" })).rows.map((r) => r.action)).toEqual(["unit.create"]);

    const facets = await withTenant(testDb(), { orgId: t.org.id }, (trx) => auditFacets(trx, admin, t.org.id));
    expect(facets).toEqual({ actions: ["access.denied", "role.update", "unit.create", "unit.update"], subjectTypes: ["OrgUnit", "Organisation", "Role"] });
  });

  it("lists only the entries the member's rules allow", async () => {
    const t = await makeOrg();
    await writeChain(t.org.id, [
      { actor_user_id: t.staff.id, action: "token.create", subject_type: "ApiToken" },
      { actor_user_id: t.admin.id, action: "role.update", subject_type: "Role" },
      { actor_user_id: t.staff.id, action: "token.revoke", subject_type: "ApiToken" },
    ]);
    const own = buildAbility([{ action: "read", subject: "AuditLog", conditions: { actorUserId: t.staff.id } }]);
    const mine = await list(t, own, {});
    expect(mine.total).toBe(2);
    expect(mine.rows.map((r) => r.action)).toEqual(["token.revoke", "token.create"]);
    const ownFacets = await withTenant(testDb(), { orgId: t.org.id }, (trx) => auditFacets(trx, own, t.org.id));
    expect(ownFacets.actions).toEqual(["token.create", "token.revoke"]);

    const notRoles = buildAbility([
      { action: "read", subject: "AuditLog" },
      { action: "read", subject: "AuditLog", conditions: { subjectType: "Role" }, inverted: true },
    ]);
    expect((await list(t, notRoles, {})).rows.map((r) => r.subject_type)).toEqual(["ApiToken", "ApiToken"]);

    const none = buildAbility([{ action: "read", subject: "OrgUnit" }]);
    expect(await list(t, none, {})).toEqual({ rows: [], total: 0 });
  });
});

describe("npm run audit:verify", () => {
  const run = promisify(execFile);
  async function verifyCli(): Promise<{ code: number; out: string }> {
    try {
      const { stdout, stderr } = await run(path.resolve("node_modules/.bin/tsx"), ["scripts/audit-verify.ts"], {
        cwd: path.resolve("."),
        env: { ...process.env, DATABASE_URL: inject("ownerUrl"), LOG_LEVEL: "warn" },
        timeout: 60_000,
      });
      return { code: 0, out: stdout + stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === "number" ? e.code : -1, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
    }
  }
  const lineOf = (out: string, slug: string) => out.split("\n").find((l) => l.startsWith(`${slug}: `));

  it("exits 0 on an intact database and 1 naming the organisation and seq after tampering", { timeout: 120_000 }, async () => {
    const t = await makeOrg();
    await append(t, 3);
    const intact = await verifyCli();
    expect(intact.out).toMatch(/^\(platform\): ok \(\d+ entries\)$/m);
    expect(lineOf(intact.out, t.org.slug)).toBe(`${t.org.slug}: ok (3 entries)`);
    expect(intact.code, intact.out).toBe(0);

    const id = await rowId(t.org.id, 2);
    const saved = (await sql<{ j: string }>`SELECT row_to_json(a)::text AS j FROM audit_log a WHERE id = ${id}`.execute(owner)).rows[0]!.j;
    try {
      await sql`UPDATE audit_log SET subject_id = 'forged' WHERE id = ${id}`.execute(owner);
      const tampered = await verifyCli();
      expect(tampered.code, tampered.out).toBe(1);
      expect(lineOf(tampered.out, t.org.slug)).toMatch(new RegExp(`^${t.org.slug}: BROKEN at seq 2 \\(id ${id}\\): hash_mismatch`));
    } finally {
      await restoreRow(saved);
    }
    expect(await verify(t.org.id)).toBeNull();
  });

  it("exits 2 with a message when it cannot reach the database", { timeout: 60_000 }, async () => {
    const url = new URL(inject("ownerUrl"));
    url.password = "wrong-password";
    try {
      await run(path.resolve("node_modules/.bin/tsx"), ["scripts/audit-verify.ts"], { env: { ...process.env, DATABASE_URL: url.toString() }, timeout: 60_000 });
      expect.unreachable("audit:verify should have failed");
    } catch (error) {
      const e = error as { code?: number; stderr?: string };
      expect(e.code).toBe(2);
      expect(e.stderr).toMatch(/audit:verify could not run/);
    }
  });
});
