// npm run bench:engine — throughput and latency of completing workflow steps.
//
// A real (embedded) PostgreSQL in a temporary directory, the real migrations and the
// non-owner application role. 8 concurrent workers complete the tasks of a 3-step flow
// (start → s1 → s2 → s3 → end), each step one transaction:
//   1. engine: completeTask() — the task service, the pure runtime, the case runner;
//   2. baseline: the same transaction shape written by hand with `pg`: BEGIN, set the tenant,
//      lock task + case with the candidate check in the same SELECT, then ONE statement of
//      data-modifying CTEs (complete the task, update the case, create the next task, append
//      the hash-chained events), COMMIT — 5 round trips, as the engine;
//   3. engine at half load: arrivals paced at half the engine's measured steps/s, for p99.
// The last line is one JSON object for CI. No assertions: numbers only.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { ownerDb } from "../server/bootstrap";
import { startEmbeddedPostgres } from "../server/embedded-postgres";
import { threeStepFlow, publishFixture } from "../test/fixtures/workflows";
import type { CaseActor } from "~/models/case-access.server";
import { startCase } from "~/models/cases.server";
import { completeTask } from "~/models/tasks.server";
import { insertOrganisation } from "~/models/organisations.server";
import { createDb, setAppDb, withPlatform, withTenant, type Db } from "~/utils/db.server";
import { chainHash } from "~/utils/hash-chain";
import { setLogLevel } from "~/utils/log.server";
import { ensureAppRole, migrateCore } from "~/utils/migrate.server";
import { buildAbility, interpolateRules } from "~/utils/permissions.server";

const WORKERS = 8;
const CASES_PER_WORKER = Number(process.env.BENCH_CASES ?? 120);
const WARMUP_CASES = 10;
const ROUNDS = 4;
const APP_PASSWORD = "masar_app_bench_only";

interface Worker {
  actor: CaseActor;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface PhaseResult {
  /** CPU time of this Node process per step (ms): the client-side cost of each approach. */
  cpuPerStep: number;
  steps: number;
  seconds: number;
  stepsPerSecond: number;
  p50: number;
  p99: number;
  latencies: number[];
}

function summarise(latencies: number[], seconds: number, cpu: NodeJS.CpuUsage): PhaseResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { latencies, cpuPerStep: (cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length), steps: latencies.length, seconds, stepsPerSecond: latencies.length / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

/** Several rounds as one: total steps over total time; percentiles over all latencies. */
function combine(rounds: PhaseResult[]): PhaseResult {
  const latencies = rounds.flatMap((r) => r.latencies);
  const seconds = rounds.reduce((sum, r) => sum + r.seconds, 0);
  const cpuMs = rounds.reduce((sum, r) => sum + r.cpuPerStep * r.steps, 0);
  return summarise(latencies, seconds, { user: cpuMs * 1000, system: 0 });
}

async function startCases(db: Db, worker: Worker, count: number): Promise<string[]> {
  const firstTasks: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const started = await withTenant(db, { orgId: worker.actor.org.id, userId: worker.actor.user.id }, (trx) =>
      startCase(trx, worker.actor, { definitionKey: "three-steps", data: { applicant: "سارة", n: i } }),
    );
    firstTasks.push(started.tasks[0]!.id);
  }
  return firstTasks;
}

/**
 * Each worker walks its cases step by step; `step` completes one task and returns the next
 * task's id (or null at the end). `gapMs` paces a worker's arrivals (0 = closed loop).
 */
async function runPhase(perWorker: string[][], step: (w: number, taskId: string) => Promise<string | null>, gapMs = 0): Promise<PhaseResult> {
  const latencies: number[] = [];
  const began = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(
    perWorker.map(async (tasks, w) => {
      let next = performance.now() + (gapMs * w) / perWorker.length;
      for (const first of tasks) {
        let taskId: string | null = first;
        while (taskId) {
          if (gapMs > 0) {
            const wait = next - performance.now();
            if (wait > 0) await new Promise((r) => setTimeout(r, wait));
            next = Math.max(next + gapMs, performance.now());
          }
          const t0 = performance.now();
          taskId = await step(w, taskId);
          latencies.push(performance.now() - t0);
        }
      }
    }),
  );
  return summarise(latencies, (performance.now() - began) / 1000, process.cpuUsage(cpu));
}

// ---------------------------------------------------------------------------
// The baseline: the same work, hand-written. The flow is known in advance (s1 → s2 → s3).

const NEXT: Record<string, { id: string; ar: string; en: string; due?: number; priority?: string } | null> = {
  s1: { id: "s2", ar: "دراسة الطلب", en: "Study the request", due: 48 * 3600 * 1000, priority: "high" },
  s2: { id: "s3", ar: "إبلاغ المتعامل", en: "Notify the customer" },
  s3: null,
};

async function baselineStep(pool: pg.Pool, orgId: string, userId: string, taskId: string): Promise<string | null> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT set_config('app.org_id', $1, true), set_config('app.user_id', $2, true)", [orgId, userId]);
    const { rows } = await client.query(
      `SELECT t.id, t.case_id, t.node_id, t.token_id, t.status, t.assignee_user_id, t.candidate_role_id, t.candidate_unit_id,
              c.data, c.state, c.event_seq, c.event_hash,
              EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = t.org_id AND m.user_id = $3 AND m.disabled_at IS NULL
                AND (m.unit_id = t.candidate_unit_id OR EXISTS (SELECT 1 FROM membership_roles mr
                     WHERE mr.org_id = m.org_id AND mr.user_id = m.user_id AND mr.role_id = t.candidate_role_id))) AS is_candidate
       FROM tasks t JOIN cases c ON c.org_id = t.org_id AND c.id = t.case_id
       WHERE t.org_id = $1 AND t.id = $2 FOR UPDATE OF t, c`,
      [orgId, taskId, userId],
    );
    const task = rows[0];
    if (!task || task.status !== "open") throw new Error("baseline: task not open");
    if (!task.is_candidate) throw new Error("baseline: not a candidate");
    const now = new Date();
    const submitted = { stepDone: true };
    const data = { ...task.data, ...submitted };
    const next = NEXT[task.node_id as string];
    const nextTaskId = next ? crypto.randomUUID() : null;
    const tokenId = task.state.tokens[0].id as string;
    const state = next ? { status: "running", tokens: [{ id: tokenId, nodeId: next.id, status: "active", scope: [] }], joins: {} } : { status: "completed", tokens: [], joins: {} };
    const events: { type: string; node: string | null; task: string | null; payload: unknown }[] = [
      { type: "task_completed", node: task.node_id, task: taskId, payload: { tokenId, data: submitted } },
      { type: "token_moved", node: next?.id ?? "end", task: null, payload: { tokenId, from: task.node_id, to: next?.id ?? "end" } },
      next ? { type: "task_created", node: next.id, task: nextTaskId, payload: { tokenId, name: { ar: next.ar, en: next.en } } } : { type: "completed", node: null, task: null, payload: { data } },
    ];
    let seq: number = task.event_seq;
    let hash: string = task.event_hash;
    // $1 org, $2 case, $3 task, $4 now, $5 user, $6 data, $7 state, $8 status, $9 completed_at, $10 seq, $11 hash
    const values: unknown[] = [orgId, task.case_id, taskId, now, userId];
    const tuples: string[] = [];
    const eventValues: unknown[] = [];
    for (const e of events) {
      seq += 1;
      const fields = { org_id: orgId, case_id: task.case_id, seq, at: now.toISOString(), actor_user_id: userId, type: e.type, node_id: e.node, task_id: e.task, payload: e.payload };
      const h = chainHash(hash, fields);
      eventValues.push({ type: e.type, node: e.node, task: e.task, payload: e.payload, seq, prev: hash, hash: h });
      hash = h;
    }
    values.push(JSON.stringify(data), JSON.stringify(state), state.status, next ? null : now, seq, hash);
    for (const e of eventValues as { type: string; node: string | null; task: string | null; payload: unknown; seq: number; prev: string; hash: string }[]) {
      const b = values.length;
      tuples.push(`($1, $2, $${b + 1}, $4, $5, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7})`);
      values.push(e.seq, e.type, e.node, e.task, JSON.stringify(e.payload), e.prev, e.hash);
    }
    let insertTask = "";
    if (next) {
      const b = values.length;
      insertTask = `, ins_task AS (INSERT INTO tasks (org_id, id, case_id, token_id, node_id, kind, name_ar, name_en, lane_id, candidate_role_id, status, priority, due_at, created_at)
         VALUES ($1, $${b + 1}, $2, $${b + 2}, $${b + 3}, 'task', $${b + 4}, $${b + 5}, 'staff', (SELECT id FROM roles WHERE org_id = $1 AND key = 'staff'), 'open', $${b + 6}, $${b + 7}, $4))`;
      values.push(nextTaskId, tokenId, next.id, next.ar, next.en, next.priority ?? "normal", next.due ? new Date(now.getTime() + next.due) : null);
    }
    await client.query(
      `WITH upd_task AS (UPDATE tasks SET status = 'completed', completed_at = $4, completed_by = $5, row_version = row_version + 1 WHERE org_id = $1 AND id = $3),
            upd_case AS (UPDATE cases SET data = $6, state = $7, status = $8, completed_at = $9, event_seq = $10, event_hash = $11, row_version = row_version + 1 WHERE org_id = $1 AND id = $2)
            ${insertTask},
            ins_events AS (INSERT INTO case_events (org_id, case_id, seq, at, actor_user_id, type, node_id, task_id, payload, prev_hash, hash) VALUES ${tuples.join(", ")})
       SELECT 1`,
      values,
    );
    await client.query("COMMIT");
    return nextTaskId;
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}

/** The environment's floor: a write transaction doing nothing but commit (WAL flush + round trips). */
async function floorStep(pool: pg.Pool, orgId: string): Promise<null> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT set_config('app.org_id', $1, true)", [orgId]);
    await client.query("SELECT txid_current()");
    await client.query("COMMIT");
    return null;
  } finally {
    client.release();
  }
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  setLogLevel("warn");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "masar-bench-"));
  fs.chmodSync(dir, 0o755);
  const port = 57000 + Math.floor(Math.random() * 2000);
  console.log(`Starting PostgreSQL in ${dir} (port ${port})…`);
  const cluster = await startEmbeddedPostgres(dir, port);
  const owner = ownerDb(cluster.ownerUrl);
  let app: ReturnType<typeof createDb> | undefined;
  let pool: pg.Pool | undefined;
  try {
    await migrateCore(owner);
    await ensureAppRole(owner, APP_PASSWORD);
    const appUrl = new URL(cluster.ownerUrl);
    appUrl.username = "masar_app";
    appUrl.password = APP_PASSWORD;
    app = createDb(appUrl.toString(), { max: WORKERS });
    setAppDb(app);
    pool = new pg.Pool({ connectionString: appUrl.toString(), max: WORKERS });
    const db = app.db;

    const { org, roles, users } = await withPlatform(db, async (trx) => {
      const created = await insertOrganisation(trx, { slug: "bench", name_ar: "جهة القياس", name_en: "Benchmark org", initials: "ج ق" });
      const people = await trx
        .insertInto("users")
        .values(Array.from({ length: WORKERS }, (_, i) => ({ email: `worker-${i}@bench.test`, name: `موظف ${i + 1}`, password_hash: "-" })))
        .returning("id")
        .execute();
      await trx.insertInto("memberships").values(people.map((p) => ({ org_id: created.org.id, user_id: p.id, unit_id: null }))).execute();
      await trx.insertInto("membership_roles").values(people.map((p) => ({ org_id: created.org.id, user_id: p.id, role_id: created.roles.staff! }))).execute();
      const rules = await trx.selectFrom("roles").select("rules").where("id", "=", created.roles.staff!).executeTakeFirstOrThrow();
      return { ...created, users: people.map((p) => ({ id: p.id, rules: rules.rules as unknown[] })) };
    });
    void roles;
    await publishFixture(db, org.id, threeStepFlow());
    const workers: Worker[] = users.map((u) => ({
      actor: {
        org: { id: org.id },
        user: { id: u.id },
        unitId: null,
        ability: buildAbility(interpolateRules(u.rules, { user: { id: u.id, unitId: null, email: "" }, org: { id: org.id } })),
      },
    }));
    const engineStep = async (w: number, taskId: string) => {
      const actor = workers[w]!.actor;
      const result = await withTenant(db, { orgId: org.id, userId: actor.user.id }, (trx) => completeTask(trx, actor, taskId, { data: { stepDone: true } }));
      return result.tasks[0]?.id ?? null;
    };
    const baseline = (w: number, taskId: string) => baselineStep(pool!, org.id, workers[w]!.actor.user.id, taskId);
    const prepare = (count: number) => Promise.all(workers.map((w) => startCases(db, w, count)));

    console.log(`Running ${WORKERS} workers × ${CASES_PER_WORKER} cases × 3 steps for each side, in ${ROUNDS} interleaved rounds…`);
    await runPhase(await prepare(WARMUP_CASES), engineStep);
    await runPhase(await prepare(WARMUP_CASES), baseline);

    // Interleaved rounds (E B B E E B B E): a machine whose load drifts during the run
    // affects both sides alike instead of whichever phase ran second.
    const engineRounds: PhaseResult[] = [];
    const baseRounds: PhaseResult[] = [];
    const perRound = Math.max(5, Math.round(CASES_PER_WORKER / ROUNDS));
    for (let round = 0; round < ROUNDS; round += 1) {
      const order = round % 2 === 0 ? ["engine", "baseline"] : ["baseline", "engine"];
      for (const which of order) {
        const tasks = await prepare(perRound);
        if (which === "engine") engineRounds.push(await runPhase(tasks, engineStep));
        else baseRounds.push(await runPhase(tasks, baseline));
      }
    }
    const engine = combine(engineRounds);
    const base = combine(baseRounds);
    // Half load: the same 8 workers, arrivals paced to half the engine's throughput.
    const gapMs = (1000 * WORKERS) / (engine.stepsPerSecond / 2);
    const half = await runPhase(await prepare(Math.max(20, Math.round(CASES_PER_WORKER / 2))), engineStep, gapMs);
    const baseHalf = await runPhase(await prepare(Math.max(20, Math.round(CASES_PER_WORKER / 2))), baseline, gapMs);
    const floorTasks = Array.from({ length: WORKERS }, () => Array.from({ length: Math.max(20, Math.round(CASES_PER_WORKER / 2)) * 3 }, () => "-"));
    const floor = await runPhase(floorTasks, () => floorStep(pool!, org.id), gapMs);

    const fmt = (r: PhaseResult) => `${r.stepsPerSecond.toFixed(0)} steps/s (${r.steps} steps in ${r.seconds.toFixed(2)} s), p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, client CPU ${r.cpuPerStep.toFixed(2)} ms/step`;
    console.log(`engine   (${WORKERS} workers): ${fmt(engine)}`);
    console.log(`baseline (${WORKERS} workers): ${fmt(base)}`);
    console.log(`engine at half load (${(engine.stepsPerSecond / 2).toFixed(0)} steps/s offered): ${fmt(half)}`);
    console.log(`baseline at the same pace: ${fmt(baseHalf)}`);
    console.log(`floor at the same pace (empty write transaction: BEGIN, set_config, txid, COMMIT): p50 ${floor.p50.toFixed(2)} ms, p99 ${floor.p99.toFixed(2)} ms`);
    console.log(`ratio engine/baseline: ${(engine.stepsPerSecond / base.stepsPerSecond).toFixed(2)} (goal ≥ 0.5); p99 at half load ${half.p99.toFixed(2)} ms (goal ≤ 10 ms)`);
    console.log(
      JSON.stringify({
        bench: "engine",
        value: Math.round(engine.stepsPerSecond),
        baseline: Math.round(base.stepsPerSecond),
        ratio: Number((engine.stepsPerSecond / base.stepsPerSecond).toFixed(3)),
        goal: 0.5,
        unit: "steps/s",
      }),
    );
  } finally {
    await pool?.end();
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
