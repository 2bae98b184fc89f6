import { sql } from "kysely";
import { evaluateClock, ladderAnchor, raisedPriority, type DueMilestone, type EscalationLevel, type Priority } from "~/engine/sla";
import { slaNow, slaTime } from "~/utils/clock.server";
import { withPlatform, withTenant, type Db, type Tx } from "~/utils/db.server";
import type { TaskPriority } from "~/utils/db-types";
import { log } from "~/utils/log.server";
import { CaseRun, type LoadedCase } from "./case-runner.server";
import { notify } from "./notifications.server";
import { derivedColumns, stopStatements, termsOfRow, timelineOf, wakeAt, type ClockTerms } from "./sla-clocks.server";

// Firing SLA milestones exactly once (ADR 009). deadline_clocks.next_due_at says when a clock next
// needs attention; the sweep finds due clocks with one indexed query and enqueues them
// (sla-jobs.server.ts); whoever processes a clock — a job in any app process, a retry, a test —
// goes through processClock, which locks the case and then the clock (the order of every other
// writer), recomputes what is due from the clock's own timeline, and records each milestone in
// deadline_firings under a unique (clock, milestone) key in the SAME transaction as its effects:
// the timeline event, the breach ledger, the notifications (themselves deduplicated per
// recipient) and the escalation's actions. A second processor waits on the lock and then finds
// the firing recorded; a processor killed mid-way commits nothing, and the clock is still due.

type ClockRow = Awaited<ReturnType<typeof lockClock>>;

async function lockClock(trx: Tx, orgId: string, clockId: string) {
  return trx.selectFrom("deadline_clocks").selectAll().where("org_id", "=", orgId).where("id", "=", clockId).forUpdate().executeTakeFirstOrThrow();
}

type TaskRef = { id: string; name_ar: string; name_en: string; status: string; priority: TaskPriority; assignee_user_id: string | null; candidate_role_id: string | null; candidate_unit_id: string | null; completed_at: Date | null };

/** The open tasks a clock speaks for: its own task, or every open task of its case (case-level clocks). */
async function clockTasks(trx: Tx, orgId: string, clock: ClockRow): Promise<TaskRef[]> {
  return trx
    .selectFrom("tasks")
    .select(["id", "name_ar", "name_en", "status", "priority", "assignee_user_id", "candidate_role_id", "candidate_unit_id", "completed_at"])
    .where("org_id", "=", orgId)
    .$if(clock.task_id !== null, (qb) => qb.where("id", "=", clock.task_id!))
    .$if(clock.task_id === null, (qb) => qb.where("case_id", "=", clock.case_id).where("status", "=", "open"))
    .execute();
}

const MAX_RECIPIENTS = 50;

/** Who is told about a warning or a breach: the assignees, or while unclaimed the candidates (role holders, unit members). */
async function owners(trx: Tx, orgId: string, tasks: TaskRef[]): Promise<string[]> {
  const ids = new Set(tasks.flatMap((t) => (t.assignee_user_id ? [t.assignee_user_id] : [])));
  const roles = tasks.filter((t) => !t.assignee_user_id && t.candidate_role_id).map((t) => t.candidate_role_id!);
  const units = tasks.filter((t) => !t.assignee_user_id && t.candidate_unit_id).map((t) => t.candidate_unit_id!);
  if (roles.length || units.length) {
    const rows = await trx
      .selectFrom("memberships as m")
      .select("m.user_id")
      .where("m.org_id", "=", orgId)
      .where("m.disabled_at", "is", null)
      .where((eb) =>
        eb.or([
          ...(units.length ? [eb("m.unit_id", "in", units)] : []),
          ...(roles.length ? [eb.exists(eb.selectFrom("membership_roles as mr").select("mr.role_id").whereRef("mr.org_id", "=", "m.org_id").whereRef("mr.user_id", "=", "m.user_id").where("mr.role_id", "in", roles))] : []),
        ]),
      )
      .orderBy("m.user_id")
      .limit(MAX_RECIPIENTS)
      .execute();
    for (const r of rows) ids.add(r.user_id);
  }
  return [...ids];
}

/** The level's people: one member, or the active holders of a role. */
async function levelPeople(trx: Tx, orgId: string, level: EscalationLevel): Promise<{ userIds: string[]; roleId: string | null; name: { ar: string; en: string } | string | null }> {
  if (level.assignee.type === "user") {
    const user = await trx.selectFrom("users").select("name").where("id", "=", level.assignee.userId).executeTakeFirst();
    return { userIds: [level.assignee.userId], roleId: null, name: user?.name ?? null };
  }
  const role = await trx.selectFrom("roles").select(["id", "name_ar", "name_en"]).where("org_id", "=", orgId).where("key", "=", level.assignee.roleKey).executeTakeFirst();
  if (!role) return { userIds: [], roleId: null, name: null };
  const rows = await trx
    .selectFrom("membership_roles as mr")
    .innerJoin("memberships as m", (j) => j.onRef("m.org_id", "=", "mr.org_id").onRef("m.user_id", "=", "mr.user_id"))
    .select("mr.user_id")
    .where("mr.org_id", "=", orgId)
    .where("mr.role_id", "=", role.id)
    .where("m.disabled_at", "is", null)
    .orderBy("mr.user_id")
    .limit(MAX_RECIPIENTS)
    .execute();
  return { userIds: rows.map((r) => r.user_id), roleId: role.id, name: { ar: role.name_ar, en: role.name_en } };
}

interface FireContext {
  trx: Tx;
  orgId: string;
  run: CaseRun;
  kase: LoadedCase;
  clock: ClockRow;
  terms: ClockTerms;
  tasks: TaskRef[];
  now: Date;
}

function taskParams(ctx: FireContext) {
  const task = ctx.tasks[0];
  return {
    reference: ctx.kase.reference,
    task_ar: task?.name_ar ?? ctx.terms.name.ar,
    task_en: task?.name_en ?? ctx.terms.name.en,
  };
}

const link = (ctx: FireContext) => (ctx.clock.task_id ? `tasks/${ctx.clock.task_id}` : `cases/${ctx.kase.id}`);

/** The effects of one milestone, inside the firing's transaction. */
async function announce(ctx: FireContext, m: DueMilestone): Promise<void> {
  const { trx, orgId, clock } = ctx;
  const dedupeKey = `sla:${clock.id}:${m.key}`;
  const base = { clockId: clock.id, policyId: clock.policy_id, policy: ctx.terms.name, target: m.target, dueAt: m.at.toISOString() };
  if (m.kind === "warning") {
    ctx.run.event(ctx.kase, { type: "sla_warning", actorUserId: null, nodeId: clock.node_id, taskId: clock.task_id, payload: { ...base, percent: m.level } });
    await notify(trx, { orgId, userIds: await owners(trx, orgId, ctx.tasks), kind: "sla.warning", params: { ...taskParams(ctx), percent: m.level }, link: link(ctx), dedupeKey });
    return;
  }
  if (m.kind === "breach") {
    ctx.run.event(ctx.kase, { type: "sla_breached", actorUserId: null, nodeId: clock.node_id, taskId: clock.task_id, payload: base });
    await trx
      .insertInto("deadline_breaches")
      .values({
        org_id: orgId,
        clock_id: clock.id,
        case_id: clock.case_id,
        task_id: clock.task_id,
        policy_id: clock.policy_id,
        policy_name_ar: ctx.terms.name.ar,
        policy_name_en: ctx.terms.name.en,
        definition_id: clock.definition_id,
        node_id: clock.node_id,
        target: m.target,
        due_at: m.at,
        recorded_at: ctx.now,
      })
      .onConflict((oc) => oc.columns(["org_id", "clock_id", "target"]).doNothing())
      .execute();
    await notify(trx, { orgId, userIds: await owners(trx, orgId, ctx.tasks), kind: "sla.breached", params: taskParams(ctx), link: link(ctx), dedupeKey });
    return;
  }
  const level = ctx.terms.levels[m.level - 1];
  if (!level) return;
  const people = await levelPeople(trx, orgId, level);
  const changes: { taskId: string; assignee?: { before: string | null; after: string | null }; priority?: { before: Priority; after: Priority } }[] = [];
  for (const task of ctx.tasks.filter((t) => t.status === "open")) {
    const change: (typeof changes)[number] = { taskId: task.id };
    const set: Record<string, unknown> = {};
    if (level.actions.includes("reassign")) {
      if (level.assignee.type === "user") {
        if (task.assignee_user_id !== level.assignee.userId) {
          Object.assign(set, { assignee_user_id: level.assignee.userId, claimed_at: ctx.now });
          change.assignee = { before: task.assignee_user_id, after: level.assignee.userId };
        }
      } else if (people.roleId) {
        // Back to the group inbox of the level's role: any holder may take it.
        Object.assign(set, { assignee_user_id: null, claimed_at: null, candidate_role_id: people.roleId, candidate_unit_id: null });
        change.assignee = { before: task.assignee_user_id, after: null };
      }
    }
    if (level.actions.includes("raise_priority")) {
      const after = raisedPriority(task.priority);
      if (after !== task.priority) {
        set.priority = after;
        change.priority = { before: task.priority, after };
      }
    }
    if (Object.keys(set).length) {
      await trx
        .updateTable("tasks")
        .set((eb) => ({ ...set, row_version: eb("row_version", "+", 1) }))
        .where("org_id", "=", orgId)
        .where("id", "=", task.id)
        .where("status", "=", "open")
        .execute();
      changes.push(change);
    }
  }
  ctx.run.event(ctx.kase, {
    type: "sla_escalated",
    actorUserId: null,
    nodeId: clock.node_id,
    taskId: clock.task_id,
    payload: { ...base, level: m.level, of: ctx.terms.levels.length, assignee: level.assignee, assigneeName: people.name, actions: level.actions, changes },
  });
  await trx
    .updateTable("deadline_breaches")
    .set((eb) => ({ level_reached: sql<number>`GREATEST(${eb.ref("level_reached")}, ${m.level})` }))
    .where("org_id", "=", orgId)
    .where("clock_id", "=", clock.id)
    .where("target", "=", m.target)
    .execute();
  if (level.actions.includes("notify")) {
    await notify(trx, { orgId, userIds: people.userIds, kind: "sla.escalated", params: { ...taskParams(ctx), level: m.level }, link: link(ctx), dedupeKey });
  }
}

export interface ProcessResult {
  /** Milestone keys this call fired (announced or recorded as superseded). */
  fired: string[];
  stopped: boolean;
}

/** Fires whatever is due on one clock at `now` (SLA time), exactly once. */
export async function processClock(db: Db, orgId: string, clockId: string, now: Date = slaNow()): Promise<ProcessResult> {
  return withTenant(db, { orgId }, async (trx) => {
    const head = await trx.selectFrom("deadline_clocks").select(["case_id", "stopped_at"]).where("org_id", "=", orgId).where("id", "=", clockId).executeTakeFirst();
    if (!head || head.stopped_at) return { fired: [], stopped: Boolean(head) };
    // The event time is SLA time; the run never starts or stops clocks itself (no task changes).
    const run = new CaseRun(trx, orgId, null, now);
    const kase = await run.lockCase(head.case_id);
    const clock = await lockClock(trx, orgId, clockId);
    if (!kase || clock.stopped_at) return { fired: [], stopped: true };
    const tasks = await clockTasks(trx, orgId, clock);
    // The task or case ended by a path that did not stop the clock (a migration cancelling a
    // task; a process whose policy cache did not know the organisation had SLAs yet): stop it
    // now, as of when it ended where that is known, so the ledger says what really happened.
    const ended = clock.task_id ? tasks[0]?.status !== "open" : kase.state.status === "completed" || kase.state.status === "cancelled";
    if (ended) {
      const reason = clock.task_id ? (tasks[0]?.status === "completed" ? "completed" : "cancelled") : kase.state.status === "completed" ? "completed" : "cancelled";
      const endedAt = clock.task_id ? tasks[0]?.completed_at : kase.completedAt;
      const at = endedAt ? slaTime(endedAt) : now;
      for (const st of stopStatements(trx, orgId, at, reason, clock.task_id ? { taskIds: [clock.task_id] } : { caseIds: [clock.case_id] })) await sql`${st}`.execute(trx);
      return { fired: [], stopped: true };
    }
    const firedRows = await trx.selectFrom("deadline_firings").select("milestone").where("org_id", "=", orgId).where("clock_id", "=", clockId).execute();
    const fired = new Set(firedRows.map((r) => r.milestone));
    const cal = await run.businessCalendar();
    const terms = termsOfRow(clock.terms);
    const timeline = timelineOf(clock);
    const view = evaluateClock(terms, timeline, cal, now, fired);
    const ctx: FireContext = { trx, orgId, run, kase, clock, terms, tasks, now };
    const done: string[] = [];
    let warnedAt = clock.warned_at;
    let breachedAt = clock.breached_at;
    let level = clock.level_reached;
    for (const m of view.due) {
      const inserted = await trx
        .insertInto("deadline_firings")
        .values({ org_id: orgId, clock_id: clockId, milestone: m.key, due_at: m.at, fired_at: now, announced: !m.superseded })
        .onConflict((oc) => oc.columns(["org_id", "clock_id", "milestone"]).doNothing())
        .returning("id")
        .executeTakeFirst();
      if (!inserted) continue;
      fired.add(m.key);
      done.push(m.key);
      if (m.kind === "warning" && m.target === ladderAnchor(terms)) warnedAt ??= m.at;
      if (m.kind === "breach") breachedAt ??= m.at;
      if (m.kind === "escalation") level = Math.max(level, m.level);
      if (!m.superseded) await announce(ctx, m);
    }
    const after = evaluateClock(terms, timeline, cal, now, fired);
    await trx
      .updateTable("deadline_clocks")
      .set({ ...derivedColumns(after), next_due_at: wakeAt(after), warned_at: warnedAt, breached_at: breachedAt, level_reached: level })
      .where("org_id", "=", orgId)
      .where("id", "=", clockId)
      .execute();
    await run.flush();
    return { fired: done, stopped: false };
  });
}

// ---- Finding due clocks ------------------------------------------------------------------------

/** How many due clocks one sweep takes (the rest wait for the next sweep, oldest first). */
export const SLA_SWEEP_LIMIT = 5000;

/** THE sweep query: due clocks across organisations, oldest first, from the partial index on next_due_at. */
export function dueClocksQuery(trx: Tx, now: Date, limit: number, orgId?: string) {
  return trx
    .selectFrom("deadline_clocks")
    .select(["org_id", "id"])
    .where("next_due_at", "<=", now)
    .$if(orgId !== undefined, (qb) => qb.where("org_id", "=", orgId!))
    .orderBy("next_due_at")
    .limit(limit);
}

export async function findDueClocks(db: Db, now: Date = slaNow(), options: { orgId?: string; limit?: number } = {}): Promise<{ org_id: string; id: string }[]> {
  return withPlatform(db, (trx) => dueClocksQuery(trx, now, options.limit ?? SLA_SWEEP_LIMIT, options.orgId).execute());
}

/**
 * Processes every due clock in this process, one transaction each (tests, and a fallback when
 * no job queue runs). Concurrent callers share the work without firing anything twice.
 */
export async function fireDueSla(db: Db, now: Date = slaNow(), options: { orgId?: string; limit?: number } = {}): Promise<string[]> {
  const fired: string[] = [];
  for (const clock of await findDueClocks(db, now, options)) {
    try {
      const result = await processClock(db, clock.org_id, clock.id, now);
      fired.push(...result.fired.map((k) => `${clock.id}:${k}`));
    } catch (error) {
      log.error("SLA clock could not be processed", { orgId: clock.org_id, clockId: clock.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return fired;
}

/**
 * A job's work: the organisation's due clocks, oldest first, each in its own transaction,
 * until none is due or the time budget is spent (the next sweep enqueues the rest). A clock
 * that fails is logged and left for a retry.
 */
export async function processDueClocks(db: Db, orgId: string, options: { budgetMs?: number; batch?: number } = {}): Promise<{ processed: number; failed: number }> {
  const began = Date.now();
  const failed = new Set<string>();
  // A clock is processed once per run: one still due afterwards (it should not be) waits for the next job.
  const seen = new Set<string>();
  let processed = 0;
  for (;;) {
    const now = slaNow();
    const due = (await findDueClocks(db, now, { orgId, limit: (options.batch ?? 100) + seen.size })).filter((c) => !seen.has(c.id));
    if (due.length === 0) break;
    for (const clock of due) {
      seen.add(clock.id);
      try {
        await processClock(db, orgId, clock.id, now);
        processed += 1;
      } catch (error) {
        failed.add(clock.id);
        log.error("SLA clock could not be processed", { orgId, clockId: clock.id, error: error instanceof Error ? error.message : String(error) });
      }
      if (Date.now() - began > (options.budgetMs ?? 25_000)) return { processed, failed: failed.size };
    }
  }
  return { processed, failed: failed.size };
}
