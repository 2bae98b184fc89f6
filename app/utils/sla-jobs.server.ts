import type PgBoss from "pg-boss";
import { CompiledQuery, sql } from "kysely";
import { dueClocksQuery, processDueClocks, SLA_SWEEP_LIMIT } from "~/models/sla-escalations.server";
import { slaNow } from "./clock.server";
import { appDb, type Db, type Tx } from "./db.server";
import { env } from "./env.server";
import { log } from "./log.server";

// SLA escalations on pg-boss (ADR 009). Every SLA_SWEEP_SECONDS each app process offers a
// sweep job; pg-boss keeps one per time slot (singletonSeconds) and runs one at a time
// (singleton queue), so N processes sweep once per slot between them. The sweep finds the due
// clocks with one indexed query and enqueues one small job per organisation that has any
// (singletonKey = the organisation, "short" queue: at most one waiting per organisation). A job
// processes its organisation's due clocks oldest first (processDueClocks), each in its own
// transaction. processClock makes each milestone fire exactly once however often a clock is
// processed, so a job that runs twice, a retry after a crash, or a job enqueued again by the
// next sweep (the clocks stay due until they have been processed) are all harmless.
//
// Why no clock ids in the job: enqueueing is then one INSERT of a few tiny rows whatever the
// number due; ids would make the sweep write ~40 bytes of WAL per due clock (bench:sla).

export const SLA_QUEUE = "sla-clocks";
export const SLA_SWEEP_QUEUE = "sla-sweep";

export interface SlaJobData {
  orgId: string;
}

/** Owner connection at bootstrap (creating a queue is DDL). */
export async function installSlaQueues(boss: PgBoss): Promise<void> {
  // A job whose worker died is expired after two minutes and retried (the next sweep has
  // usually enqueued its organisation again by then).
  if (!(await boss.getQueue(SLA_QUEUE))) {
    await boss.createQueue(SLA_QUEUE, { name: SLA_QUEUE, policy: "short", retryLimit: 10, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 });
  }
  if (!(await boss.getQueue(SLA_SWEEP_QUEUE))) await boss.createQueue(SLA_SWEEP_QUEUE, { name: SLA_SWEEP_QUEUE, policy: "singleton", expireInSeconds: 300 });
}

/** One job per organisation with due clocks. */
export function orgJobs(due: readonly { org_id: string }[]): PgBoss.JobInsert<SlaJobData>[] {
  return [...new Set(due.map((c) => c.org_id))].map((orgId) => ({ name: SLA_QUEUE, data: { orgId }, singletonKey: orgId }));
}

/** pg-boss's "bring your own connection": its INSERT runs in the sweep's transaction. */
function inTransaction(trx: Tx): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[]) {
      const result = await trx.executeQuery(CompiledQuery.raw(text, values));
      return { rows: result.rows as unknown[] };
    },
  };
}

/**
 * One sweep: find the due clocks and enqueue them, in one transaction. Returns how many were
 * found and how many jobs were sent. The jobs are only a wake-up call for what deadline_clocks
 * already says (next_due_at), so the transaction does not wait for its commit to reach the
 * disk (synchronous_commit off): a crash right after it loses at most the jobs of one sweep,
 * and the next sweep finds the same clocks still due and enqueues them again.
 */
export async function sweepSla(db: Db, boss: PgBoss, now: Date = slaNow(), limit = SLA_SWEEP_LIMIT): Promise<{ due: number; jobs: number }> {
  // withPlatform's transaction, with the commit setting in the same round trip.
  return db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('app.platform', 'on', true), set_config('synchronous_commit', 'off', true)`.execute(trx);
    const due = await dueClocksQuery(trx, now, limit).execute();
    if (due.length === 0) return { due: 0, jobs: 0 };
    const jobs = orgJobs(due);
    await boss.insert(jobs, { db: inTransaction(trx) });
    return { due: due.length, jobs: jobs.length };
  });
}

let ticker: NodeJS.Timeout | undefined;

/** This process's SLA workers and its share of the sweep schedule. */
export async function startSlaJobs(boss: PgBoss): Promise<void> {
  const seconds = env().SLA_SWEEP_SECONDS;
  await boss.work<SlaJobData>(SLA_QUEUE, { batchSize: 2, pollingIntervalSeconds: Math.min(2, seconds) }, async (jobs) => {
    for (const job of jobs) {
      const result = await processDueClocks(appDb(), job.data.orgId);
      // The others are done (and would be no-ops again): a retry covers the failed ones.
      if (result.failed) throw new Error(`${result.failed} SLA clock(s) failed`);
    }
  });
  await boss.work(SLA_SWEEP_QUEUE, { pollingIntervalSeconds: Math.min(2, seconds) }, async () => {
    const result = await sweepSla(appDb(), boss);
    if (result.due) log.info("SLA clocks due", result);
  });
  const offer = () => {
    boss.send(SLA_SWEEP_QUEUE, {}, { singletonKey: "tick", singletonSeconds: seconds }).catch((error: unknown) => {
      log.warn("SLA sweep could not be scheduled", { error: error instanceof Error ? error.message : String(error) });
    });
  };
  offer();
  ticker = setInterval(offer, seconds * 1000);
  ticker.unref();
}

export function stopSlaJobs(): void {
  if (ticker) clearInterval(ticker);
  ticker = undefined;
}
