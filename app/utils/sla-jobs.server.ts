import crypto from "node:crypto";
import type PgBoss from "pg-boss";
import { findDueClocks, processClock, SLA_SWEEP_LIMIT } from "~/models/sla-escalations.server";
import { slaNow } from "./clock.server";
import { appDb, type Db } from "./db.server";
import { env } from "./env.server";
import { log } from "./log.server";

// SLA escalations on pg-boss (ADR 009). Every SLA_SWEEP_SECONDS each app process offers a
// sweep job; pg-boss keeps one per time slot (singletonSeconds) and runs one at a time
// (singleton queue), so N processes sweep once per slot between them. The sweep finds due
// clocks with one indexed query and enqueues them in chunks (one job per organisation and up
// to SLA_JOB_CHUNK clocks): one INSERT, whatever the number due. Chunk jobs go to any process;
// processClock makes each milestone fire exactly once however often a clock is processed, so a
// job that runs twice, a retry after a crash, or a chunk enqueued again by the next sweep
// (the clock is still due until it has been processed) are all harmless.

export const SLA_QUEUE = "sla-clocks";
export const SLA_SWEEP_QUEUE = "sla-sweep";
export const SLA_JOB_CHUNK = 100;

export interface SlaJobData {
  orgId: string;
  clockIds: string[];
}

/** Owner connection at bootstrap (creating a queue is DDL). */
export async function installSlaQueues(boss: PgBoss): Promise<void> {
  // short: at most one waiting job per key (the same chunk is not queued twice); a job whose
  // worker died is expired after two minutes and retried.
  if (!(await boss.getQueue(SLA_QUEUE))) {
    await boss.createQueue(SLA_QUEUE, { name: SLA_QUEUE, policy: "short", retryLimit: 10, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 });
  }
  if (!(await boss.getQueue(SLA_SWEEP_QUEUE))) await boss.createQueue(SLA_SWEEP_QUEUE, { name: SLA_SWEEP_QUEUE, policy: "singleton", expireInSeconds: 300 });
}

/** Due clocks as jobs: one per organisation and chunk; the key names the chunk's clocks. */
export function chunkJobs(due: readonly { org_id: string; id: string }[]): PgBoss.JobInsert<SlaJobData>[] {
  const byOrg = new Map<string, string[]>();
  for (const c of due) byOrg.set(c.org_id, [...(byOrg.get(c.org_id) ?? []), c.id]);
  const jobs: PgBoss.JobInsert<SlaJobData>[] = [];
  for (const [orgId, ids] of byOrg) {
    for (let k = 0; k < ids.length; k += SLA_JOB_CHUNK) {
      const clockIds = ids.slice(k, k + SLA_JOB_CHUNK);
      const key = crypto.createHash("sha256").update([...clockIds].sort().join(",")).digest("hex").slice(0, 32);
      jobs.push({ name: SLA_QUEUE, data: { orgId, clockIds }, singletonKey: `${orgId}:${key}` });
    }
  }
  return jobs;
}

/** One sweep: find the due clocks and enqueue them. Returns how many were found and how many jobs were sent. */
export async function sweepSla(db: Db, boss: PgBoss, now: Date = slaNow(), limit = SLA_SWEEP_LIMIT): Promise<{ due: number; jobs: number }> {
  const due = await findDueClocks(db, now, { limit });
  if (due.length === 0) return { due: 0, jobs: 0 };
  const jobs = chunkJobs(due);
  await boss.insert(jobs);
  return { due: due.length, jobs: jobs.length };
}

let ticker: NodeJS.Timeout | undefined;

/** This process's SLA workers and its share of the sweep schedule. */
export async function startSlaJobs(boss: PgBoss): Promise<void> {
  const seconds = env().SLA_SWEEP_SECONDS;
  await boss.work<SlaJobData>(SLA_QUEUE, { batchSize: 4, pollingIntervalSeconds: Math.min(2, seconds) }, async (jobs) => {
    for (const job of jobs) {
      let failed = 0;
      for (const clockId of job.data.clockIds) {
        try {
          await processClock(appDb(), job.data.orgId, clockId);
        } catch (error) {
          failed += 1;
          log.error("SLA clock could not be processed", { orgId: job.data.orgId, clockId, error: error instanceof Error ? error.message : String(error) });
        }
      }
      // The others are done (and would be no-ops again): a retry covers the failed ones.
      if (failed) throw new Error(`${failed} SLA clock(s) failed`);
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
