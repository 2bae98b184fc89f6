import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import type { CaseActor } from "~/models/case-access.server";
import { fireDueTimers, fireTimer } from "~/models/case-timers.server";
import { startCase } from "~/models/cases.server";
import { withTenant, type Db } from "~/utils/db.server";
import { setJobBoss } from "~/utils/job-queue.server";
import { installJobSchema, startJobs } from "~/utils/jobs.server";
import { grantAppRole } from "~/utils/migrate.server";
import { publishFixture, timerFlow } from "../fixtures/workflows";
import { actorFor, asMember, barrier, dedicatedDb, settle } from "./engine-helpers";
import { makeOrg, testDb, testOwnerDb, type TestOrg } from "./helpers";

// Timers fire exactly once, whoever fires them: two "app processes" (two pools) sweeping at
// the same moment, twenty callers on one timer, or pg-boss workers of two instances.

let t: TestOrg;
let staff: CaseActor;
let poolA: Db;
let poolB: Db;

beforeAll(async () => {
  t = await makeOrg();
  await publishFixture(testDb(), t.org.id, timerFlow("cooling-off", "PT30M"));
  await publishFixture(testDb(), t.org.id, timerFlow("quick-wait", "PT1S"));
  staff = await actorFor(t.org.id, t.staff.id);
  poolA = dedicatedDb(10);
  poolB = dedicatedDb(10);
});

afterAll(async () => {
  await poolA.destroy();
  await poolB.destroy();
});

async function startWaiting(key: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const started = await asMember(testDb(), t.org.id, staff.user.id, (trx) => startCase(trx, staff, { definitionKey: key, data: { i } }));
    expect(started.tasks).toEqual([]);
    ids.push(started.caseId);
  }
  return ids;
}

async function outcome(caseIds: string[]) {
  return withTenant(testDb(), { orgId: t.org.id }, async (trx) => ({
    fired: await trx.selectFrom("case_events").select("case_id").where("case_id", "in", caseIds).where("type", "=", "timer_fired").execute(),
    after: await trx.selectFrom("tasks").select("case_id").where("case_id", "in", caseIds).where("node_id", "=", "after").execute(),
    pending: await trx.selectFrom("case_timers").select("id").where("case_id", "in", caseIds).where("fired_at", "is", null).execute(),
  }));
}

describe("timers", () => {
  it("nothing fires before it is due", async () => {
    const ids = await startWaiting("cooling-off", 2);
    await fireDueTimers(testDb(), new Date(), { orgId: t.org.id });
    const result = await outcome(ids);
    expect(result.fired).toHaveLength(0);
    expect(result.pending).toHaveLength(2);
  });

  it("two processes sweeping at once fire each due timer exactly once", async () => {
    const ids = await startWaiting("cooling-off", 10);
    const later = new Date(Date.now() + 3600 * 1000);
    const [a, b] = await Promise.all([fireDueTimers(poolA, later, { orgId: t.org.id }), fireDueTimers(poolB, later, { orgId: t.org.id })]);
    expect(a + b).toBeGreaterThanOrEqual(10);
    const result = await outcome(ids);
    expect(result.fired.map((e) => e.case_id).sort()).toEqual([...ids].sort());
    expect(result.after.map((e) => e.case_id).sort()).toEqual([...ids].sort());
    expect(result.pending).toEqual([]);
  });

  it("twenty concurrent firers of one timer: one fires, the rest see it fired", async () => {
    const [caseId] = await startWaiting("cooling-off", 1);
    const timer = await withTenant(testDb(), { orgId: t.org.id }, (trx) => trx.selectFrom("case_timers").select("id").where("case_id", "=", caseId!).executeTakeFirstOrThrow());
    const later = new Date(Date.now() + 3600 * 1000);
    const ready = barrier(20);
    const { ok, errors } = await settle(
      Array.from({ length: 20 }, (_, i) =>
        (async () => {
          await ready();
          return fireTimer(i % 2 ? poolA : poolB, t.org.id, timer.id, later);
        })(),
      ),
    );
    expect(errors).toEqual([]);
    expect(ok.filter((o) => o === "fired")).toHaveLength(1);
    expect(ok.filter((o) => o === "already_fired")).toHaveLength(19);
    expect((await outcome([caseId!])).after).toHaveLength(1);
  });

  it("pg-boss workers of two app instances (application role) fire a timer once, when due", async () => {
    const owner = testOwnerDb();
    try {
      await installJobSchema(inject("ownerUrl"));
      await grantAppRole(owner);
    } finally {
      await owner.destroy();
    }
    const first = await startJobs(inject("appUrl"));
    const second = await startJobs(inject("appUrl"));
    try {
      // The job is written in the case's transaction, through whichever boss is current.
      const ids = await startWaiting("quick-wait", 1);
      const deadline = Date.now() + 20_000;
      let result = await outcome(ids);
      while (result.after.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        result = await outcome(ids);
      }
      expect(result.after).toHaveLength(1);
      expect(result.fired).toHaveLength(1);
      expect(result.pending).toEqual([]);
      // …and it was the timer's own job that did it (not the once-a-minute sweep).
      const timer = await withTenant(testDb(), { orgId: t.org.id }, (trx) => trx.selectFrom("case_timers").select("id").where("case_id", "=", ids[0]!).executeTakeFirstOrThrow());
      const check = testOwnerDb();
      try {
        const jobs = await sql<{ state: string }>`SELECT state FROM pgboss.job WHERE name = 'case-timer' AND singleton_key = ${timer.id}`.execute(check);
        expect(jobs.rows.map((r) => r.state)).toEqual(["completed"]);
      } finally {
        await check.destroy();
      }
    } finally {
      setJobBoss(undefined);
      await Promise.all([first.stop({ graceful: false, wait: true }), second.stop({ graceful: false, wait: true })]);
    }
  }, 40_000);
});
