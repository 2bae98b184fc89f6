import { withPlatform, withTenant, type Db } from "~/utils/db.server";
import { log } from "~/utils/log.server";
import { CaseRun } from "./case-runner.server";

// Firing timers exactly once. case_timers rows are the truth; pg-boss jobs only wake a
// process up at the right time. Whoever fires a timer — the job handler in any app process,
// the periodic sweep, a test — goes through fireTimer, which locks the timer row and its case
// and fires only while fired_at is null: a second firer waits on the lock, then sees fired_at
// set and does nothing.

export type FireOutcome = "fired" | "already_fired" | "not_due" | "missing" | "stale";

export async function fireTimer(db: Db, orgId: string, timerId: string, now: Date = new Date()): Promise<FireOutcome> {
  return withTenant(db, { orgId }, async (trx) => {
    const row = await trx
      .selectFrom("case_timers as tm")
      .innerJoin("cases as c", (j) => j.onRef("c.org_id", "=", "tm.org_id").onRef("c.id", "=", "tm.case_id"))
      .select([
        "tm.id as timer_id", "tm.token_id", "tm.node_id", "tm.due_at", "tm.fired_at", "tm.cancelled_at",
        "c.id", "c.reference", "c.title", "c.version_id", "c.data", "c.state", "c.parent_case_id", "c.parent_token_id",
        "c.started_by", "c.started_at", "c.completed_at", "c.event_seq", "c.event_hash", "c.form_versions",
      ])
      .where("tm.org_id", "=", orgId)
      .where("tm.id", "=", timerId)
      .forUpdate(["tm", "c"])
      .executeTakeFirst();
    if (!row) return "missing";
    if (row.fired_at || row.cancelled_at) return "already_fired";
    if (row.due_at.getTime() > now.getTime()) return "not_due";
    await trx.updateTable("case_timers").set({ fired_at: now }).where("org_id", "=", orgId).where("id", "=", timerId).execute();
    const run = new CaseRun(trx, orgId, null, now);
    const kase = await run.adopt(row);
    const token = kase.state.tokens.find((t) => t.id === row.token_id);
    if (!token || token.nodeId !== row.node_id || token.status !== "active" || kase.state.status === "completed") {
      // The token moved on by other means (a migration): the timer is spent, nothing to move.
      log.warn("timer fired for a token that no longer waits", { orgId, timerId, caseId: kase.id });
      return "stale";
    }
    run.event(kase, { type: "timer_fired", nodeId: row.node_id, payload: { timerId, tokenId: row.token_id, dueAt: row.due_at.toISOString() } });
    await run.complete(kase, row.token_id, { kind: "timer" });
    await run.flush();
    return "fired";
  });
}

/**
 * Fires every timer due at `now` (all organisations), oldest first, each in its own
 * transaction. Returns how many this call fired; concurrent callers share the work without
 * firing anything twice. Tests pass a future `now` instead of waiting, and their own
 * organisation (test files share one database and run in parallel).
 */
export async function fireDueTimers(db: Db, now: Date = new Date(), options: { orgId?: string; limit?: number } = {}): Promise<number> {
  const due = await withPlatform(db, (trx) =>
    trx
      .selectFrom("case_timers")
      .select(["org_id", "id"])
      .where("fired_at", "is", null)
      .where("cancelled_at", "is", null)
      .where("due_at", "<=", now)
      .$if(options.orgId !== undefined, (qb) => qb.where("org_id", "=", options.orgId!))
      .orderBy("due_at")
      .limit(options.limit ?? 500)
      .execute(),
  );
  let fired = 0;
  for (const timer of due) {
    try {
      if ((await fireTimer(db, timer.org_id, timer.id, now)) === "fired") fired += 1;
    } catch (error) {
      // One broken case must not hold up every other timer; the next sweep tries again.
      log.error("timer could not fire", { orgId: timer.org_id, timerId: timer.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return fired;
}
