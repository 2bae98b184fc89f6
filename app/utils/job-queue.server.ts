import { CompiledQuery } from "kysely";
import type PgBoss from "pg-boss";
import type { Tx } from "./db.server";

// The pg-boss instance the running app sends jobs through (set by jobs.server.ts at
// startup). A leaf module, so the case runner can enqueue without importing the handlers.
// Without a running boss (tests, command-line tools) nothing is enqueued: case_timers rows
// stay the source of truth and fireDueTimers picks them up.

export const TIMER_QUEUE = "case-timer";
export const TIMER_SWEEP_QUEUE = "case-timer-sweep";

let boss: PgBoss | undefined;

export function setJobBoss(value: PgBoss | undefined): void {
  boss = value;
}

export function jobBoss(): PgBoss | undefined {
  return boss;
}

export interface TimerJobData {
  orgId: string;
  timerId: string;
}

/** pg-boss's "bring your own connection": its INSERT runs in the case's transaction. */
function inTransaction(trx: Tx): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[]) {
      const result = await trx.executeQuery(CompiledQuery.raw(text, values));
      return { rows: result.rows as unknown[] };
    },
  };
}

/**
 * Wake-up jobs for timers, written in the same transaction as the case_timers rows: both
 * commit or neither. singletonKey = timer id, so a timer never has two pending jobs.
 */
export async function enqueueTimerJobs(trx: Tx, jobs: (TimerJobData & { dueAt: Date })[]): Promise<void> {
  if (!boss || jobs.length === 0) return;
  const db = inTransaction(trx);
  for (const job of jobs) {
    await boss.send(
      TIMER_QUEUE,
      { orgId: job.orgId, timerId: job.timerId },
      { startAfter: job.dueAt, singletonKey: job.timerId, retryLimit: 20, retryDelay: 5, retryBackoff: true, db },
    );
  }
}
