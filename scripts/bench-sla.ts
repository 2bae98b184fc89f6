// npm run bench:sla — one escalation sweep over 1,000,000 open tasks with SLA clocks.
//
// A real (embedded) PostgreSQL in a temporary directory, the real migrations, the application
// role (RLS applies) and pg-boss's schema. Data, written with INSERT … SELECT generate_series:
// 20 organisations, 10,000 running cases × 100 open tasks = 1,000,000 tasks, each with an SLA clock; DUE of the
// clocks have something due now (their next_due_at passed within the last minute, as between two
// sweeps of a busy day), 10 % have nothing left to fire (next_due_at null: paused or done
// escalating), the rest fall due over the next 30 days.
//   sweep:    sweepSla() as the app runs it — the due-clock query (sla_clocks_due_idx), then one
//             pg-boss job per organisation with due clocks (one INSERT), in one transaction;
//   baseline: the same indexed query alone (findDueClocks: same transaction, role and limit).
// Each is timed ROUNDS times, interleaved; the queue is emptied (untimed) before every sweep so
// each sweep really enqueues. Medians are compared. No assertions: numbers only; the last line
// is one JSON object for CI.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import PgBoss from "pg-boss";
import { sql } from "kysely";
import { ownerDb } from "../server/bootstrap";
import { startEmbeddedPostgres } from "../server/embedded-postgres";
import { threeStepFlow, publishFixture } from "../test/fixtures/workflows";
import { findDueClocks, SLA_SWEEP_LIMIT } from "~/models/sla-escalations.server";
import { insertOrganisation } from "~/models/organisations.server";
import { createDb, setAppDb, withPlatform } from "~/utils/db.server";
import { PGBOSS_SCHEMA, installJobSchema } from "~/utils/jobs.server";
import { setLogLevel } from "~/utils/log.server";
import { ensureAppRole, migrateCore } from "~/utils/migrate.server";
import { SLA_QUEUE, sweepSla } from "~/utils/sla-jobs.server";

const CASES = Number(process.env.BENCH_SLA_CASES ?? 10_000);
const ORGS = 20;
const TASKS_PER_CASE = 100;
const DUE = Number(process.env.BENCH_SLA_DUE ?? 1000);
const ROUNDS = 40;
const APP_PASSWORD = "masar_app_bench_only";

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  // Errors only: the last line stays the JSON (pools report the cluster stopping as a warning).
  setLogLevel("error");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "masar-bench-sla-"));
  fs.chmodSync(dir, 0o755);
  const port = 57000 + Math.floor(Math.random() * 2000);
  console.log(`Starting PostgreSQL in ${dir} (port ${port})…`);
  const cluster = await startEmbeddedPostgres(dir, port);
  const owner = ownerDb(cluster.ownerUrl);
  let app: ReturnType<typeof createDb> | undefined;
  let boss: PgBoss | undefined;
  try {
    await migrateCore(owner);
    await installJobSchema(cluster.ownerUrl);
    await ensureAppRole(owner, APP_PASSWORD);
    const appUrl = new URL(cluster.ownerUrl);
    appUrl.username = "masar_app";
    appUrl.password = APP_PASSWORD;
    app = createDb(appUrl.toString(), { max: 4 });
    setAppDb(app);
    const db = app.db;
    boss = new PgBoss({ connectionString: appUrl.toString(), schema: PGBOSS_SCHEMA, max: 2, migrate: false, supervise: false, schedule: false });
    // Stopping the cluster at the end closes pg-boss's connections: not worth a line after the JSON.
    boss.on("error", () => undefined);
    await boss.start();

    const orgs: { orgId: string; definitionId: string; versionId: string }[] = [];
    for (let i = 0; i < ORGS; i += 1) {
      const created = await withPlatform(db, (trx) => insertOrganisation(trx, { slug: `bench-${i}`, name_ar: `جهة القياس ${i + 1}`, name_en: `Benchmark org ${i + 1}`, initials: "ج ق" }));
      orgs.push({ orgId: created.org.id, ...(await publishFixture(db, created.org.id, threeStepFlow("complaint"))) });
    }
    const orgValues = sql.join(orgs.map((o, i) => sql`(${i}::int, ${o.orgId}::uuid, ${o.definitionId}::uuid, ${o.versionId}::uuid)`));
    const terms = JSON.stringify({ name: { ar: "الرد خلال 48 ساعة", en: "Within 48 hours" }, responseMinutes: null, resolutionMinutes: 2880, warnPercents: [50, 75], levels: [] });
    const total = CASES * TASKS_PER_CASE;
    console.log(`Writing ${ORGS} organisations, ${CASES.toLocaleString("en")} cases, ${total.toLocaleString("en")} open tasks and their SLA clocks (${DUE} due now)…`);
    const t0 = performance.now();
    await sql`
      INSERT INTO cases (org_id, reference, definition_id, version_id, status, data, state, started_at)
      SELECT o.org_id, 'B-' || g, o.definition_id, o.version_id, 'running', '{}', '{"status":"running","tokens":[],"joins":{}}', now() - interval '1 day'
      FROM generate_series(1, ${CASES}) g JOIN (VALUES ${orgValues}) AS o(i, org_id, definition_id, version_id) ON o.i = g % ${ORGS}`.execute(owner);
    await sql`
      INSERT INTO tasks (org_id, case_id, token_id, node_id, kind, name_ar, name_en, status, created_at)
      SELECT c.org_id, c.id, 'tk' || k, 's1', 'task', 'استلام الطلب', 'Receive the request', 'open', c.started_at
      FROM cases c CROSS JOIN generate_series(1, ${TASKS_PER_CASE}) k`.execute(owner);
    await sql`
      INSERT INTO deadline_clocks (org_id, policy_id, case_id, task_id, definition_id, node_id, terms, started_at, resolution_due_at, resolution_risk_at, next_due_at)
      SELECT t.org_id, gen_random_uuid(), t.case_id, t.id, c.definition_id, 's1', ${terms}::jsonb, t.created_at,
             due, due - interval '1 day',
             CASE WHEN n <= ${DUE} THEN now() - (n % 60) * interval '1 second'
                  WHEN n % 10 = 0 THEN NULL
                  ELSE now() + interval '1 minute' + (n % 43200) * interval '1 minute' END
      FROM (SELECT t.*, row_number() OVER (ORDER BY t.id) AS n, now() + interval '2 days' AS due FROM tasks t) t
      JOIN cases c ON c.org_id = t.org_id AND c.id = t.case_id`.execute(owner);
    await sql`VACUUM ANALYZE cases, tasks, deadline_clocks`.execute(owner);
    console.log(`  written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const now = new Date();
    const plan = await sql<{ "QUERY PLAN": string }>`EXPLAIN SELECT org_id, id FROM deadline_clocks WHERE next_due_at <= ${now} ORDER BY next_due_at LIMIT ${SLA_SWEEP_LIMIT}`.execute(owner);
    console.log(`The sweep's query:\n${plan.rows.map((r) => `  ${r["QUERY PLAN"]}`).join("\n")}`);

    const clearQueue = () => sql`DELETE FROM pgboss.job WHERE name = ${SLA_QUEUE}`.execute(owner);
    // Warm-up: caches, plans, pools.
    for (let i = 0; i < 3; i += 1) {
      await findDueClocks(db, now);
      await clearQueue();
      await sweepSla(db, boss, now);
    }
    const sweeps: number[] = [];
    const baselines: number[] = [];
    let found = 0;
    let jobs = 0;
    for (let r = 0; r < ROUNDS; r += 1) {
      let a = performance.now();
      const due = await findDueClocks(db, now);
      baselines.push(performance.now() - a);
      await clearQueue();
      a = performance.now();
      const result = await sweepSla(db, boss, now);
      sweeps.push(performance.now() - a);
      found = due.length;
      jobs = result.jobs;
    }
    const queued = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pgboss.job WHERE name = ${SLA_QUEUE}`.execute(owner);
    const value = median(sweeps);
    const baseline = median(baselines);
    const ratio = value / baseline;
    console.log(`due clocks found per sweep: ${found}; jobs enqueued: ${jobs} (one per organisation with due clocks; in the queue after the last sweep: ${queued.rows[0]!.n})`);
    console.log(`sweep (find + enqueue): median ${value.toFixed(2)} ms (min ${Math.min(...sweeps).toFixed(2)}, max ${Math.max(...sweeps).toFixed(2)})`);
    console.log(`baseline (the indexed query alone): median ${baseline.toFixed(2)} ms (min ${Math.min(...baselines).toFixed(2)}, max ${Math.max(...baselines).toFixed(2)})`);
    console.log(`ratio sweep/baseline: ${ratio.toFixed(2)} (goal ≤ 2); sweep under one second: ${value < 1000 ? "yes" : "no"}`);
    console.log(JSON.stringify({ bench: "sla", value: Number(value.toFixed(2)), baseline: Number(baseline.toFixed(2)), ratio: Number(ratio.toFixed(3)), goal: 2, unit: "ms" }));
  } finally {
    await boss?.stop({ graceful: false, wait: true }).catch(() => undefined);
    await app?.db.destroy();
    await owner.destroy();
    await cluster.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
