import PgBoss from "pg-boss";
import { fireDueTimers, fireTimer } from "~/models/case-timers.server";
import { startMailWorker, stopMailWorker } from "~/models/email-outbox.server";
import { pruneIdempotencyKeys } from "~/models/idempotency.server";
import { appDb, withPlatform } from "./db.server";
import { setJobBoss, TIMER_QUEUE, TIMER_SWEEP_QUEUE, type TimerJobData } from "./job-queue.server";
import { log } from "./log.server";
import { PLUGIN_QUEUE_PREFIX, pluginJobQueues, runPluginJob } from "./plugin-jobs.server";
import { installSlaQueues, startSlaJobs, stopSlaJobs } from "./sla-jobs.server";

// Background jobs with pg-boss 10 on the application's database (DESIGN.md). pg-boss's
// schema ("pgboss") and queues are created with the OWNER connection at bootstrap (creating a
// queue is DDL: a partition table); the running app works with the application role, which
// gets DML on that schema only (grantAppRole). Any number of app processes may run workers:
// pg-boss hands each job to one of them, and fireTimer's row lock makes firing idempotent
// even if a job ran twice or the sweep got there first.

export const PGBOSS_SCHEMA = "pgboss";
/** pg-boss's own queue for cron schedules (timekeeper); must exist before the app role starts. */
const CRON_QUEUE = "__pgboss__send-it";

function onError(error: Error): void {
  log.error("job queue error", { error: error.message });
}

/** Creates or migrates the pgboss schema and the app's queues (owner connection; idempotent). */
export async function installJobSchema(ownerUrl: string): Promise<void> {
  const boss = new PgBoss({ connectionString: ownerUrl, schema: PGBOSS_SCHEMA, max: 2, migrate: true, supervise: false, schedule: false });
  boss.on("error", onError);
  await boss.start();
  try {
    // Short policy + singletonKey = timer id: at most one waiting job per timer.
    if (!(await boss.getQueue(TIMER_QUEUE))) await boss.createQueue(TIMER_QUEUE, { name: TIMER_QUEUE, policy: "short", retryLimit: 20, retryDelay: 5, retryBackoff: true });
    if (!(await boss.getQueue(TIMER_SWEEP_QUEUE))) await boss.createQueue(TIMER_SWEEP_QUEUE, { name: TIMER_SWEEP_QUEUE, policy: "singleton" });
    if (!(await boss.getQueue(CRON_QUEUE))) await boss.createQueue(CRON_QUEUE, { name: CRON_QUEUE });
    await installSlaQueues(boss);
    // The safety net: timers whose wake-up job was lost (or written while no boss ran) fire
    // within a minute of being due.
    await boss.schedule(TIMER_SWEEP_QUEUE, "* * * * *");
    // Active plugins' jobs (the loader ran before this); schedules of plugins no longer active are removed.
    const plugin = pluginJobQueues();
    for (const { queue, job } of plugin) {
      if (!(await boss.getQueue(queue))) await boss.createQueue(queue, { name: queue, policy: "singleton" });
      await boss.schedule(queue, job.cron);
    }
    for (const schedule of await boss.getSchedules()) {
      if (schedule.name.startsWith(PLUGIN_QUEUE_PREFIX) && !plugin.some((p) => p.queue === schedule.name)) await boss.unschedule(schedule.name);
    }
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

let running: PgBoss | undefined;

/** Starts this process's workers with the application role's connection. */
export async function startJobs(appUrl: string, options: { workers?: boolean } = {}): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: appUrl, schema: PGBOSS_SCHEMA, max: 4, migrate: false, supervise: true, schedule: true, application_name: "masar-jobs" });
  boss.on("error", onError);
  await boss.start();
  if (options.workers ?? true) {
    await boss.work<TimerJobData>(TIMER_QUEUE, { batchSize: 10, pollingIntervalSeconds: 2 }, async (jobs) => {
      for (const job of jobs) {
        const outcome = await fireTimer(appDb(), job.data.orgId, job.data.timerId);
        // A job that starts a moment early (clock skew) is retried rather than dropped.
        if (outcome === "not_due") throw new Error(`timer ${job.data.timerId} is not due yet`);
      }
    });
    await boss.work(TIMER_SWEEP_QUEUE, async () => {
      const fired = await fireDueTimers(appDb());
      if (fired) log.info("timers fired by the sweep", { fired });
      await withPlatform(appDb(), (trx) => pruneIdempotencyKeys(trx));
    });
    for (const entry of pluginJobQueues()) {
      await boss.work(entry.queue, async () => {
        const result = await runPluginJob(appDb(), entry);
        if (result.failed) log.error("plugin job failed for some organisations", { queue: entry.queue, ...result });
      });
    }
    // The email outbox: a short poll in every process; row locks keep each mail to one sender.
    startMailWorker(appDb());
    // SLA warnings, breaches and escalation levels (sla-jobs.server.ts).
    await startSlaJobs(boss);
  }
  running = boss;
  setJobBoss(boss);
  return boss;
}

export async function stopJobs(): Promise<void> {
  const boss = running;
  running = undefined;
  setJobBoss(undefined);
  await stopMailWorker();
  stopSlaJobs();
  if (!boss) return;
  await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  // pg's pool.end() resolves before its sockets are closed; a database stopping right after
  // then reports "terminating connection" on them. Expected at shutdown: not an error.
  boss.off("error", onError);
  boss.on("error", (error: Error) => log.debug("job queue closed", { error: error.message }));
}
