import { sql, type Compilable } from "kysely";
import type { BusinessCalendar } from "~/engine/calendar";
import { evaluateClock, type ClockTimeline, type ClockView, type SlaPause, type SlaTerms } from "~/engine/sla";
import { slaTime } from "~/utils/clock.server";
import type { Tx } from "~/utils/db.server";
import type { SlaClocksTable } from "~/utils/db-types";
import type { LoadedCase } from "./case-runner.server";
import { activePolicies, orgUsesSla, pickPolicy, type ActivePolicy } from "./sla-policies.server";

// SLA clocks as rows (ADR 009). A clock starts with its task (or its case, for a case-level
// policy) in the same transaction, and stops with it: the case runner hands every flush to
// slaFlushStatements, which returns the writes as statements that run inside the runner's one
// batched statement (no extra round trip). It reads what the run did from the run itself:
// tasks created, tasks completed, and the events of the step (claims and hand-overs count as
// the first response; a cancelled case stops its clocks). Pause/resume live in sla-pause.server.ts,
// firings in sla-escalations.server.ts.

/** The policy's terms and names, as copied onto a clock when it starts. */
export interface ClockTerms extends SlaTerms {
  name: { ar: string; en: string };
}

export interface StoredPause {
  from: string;
  to: string | null;
  reason: string;
  byUserId: string | null;
  resumedByUserId?: string | null;
}

type ClockRow = Pick<
  { [K in keyof SlaClocksTable]: SlaClocksTable[K] extends { __select__: infer S } ? S : SlaClocksTable[K] },
  "started_at" | "pauses" | "responded_at" | "stopped_at"
>;

export function storedPauses(value: unknown): StoredPause[] {
  return Array.isArray(value) ? (value as StoredPause[]) : [];
}

export function timelineOf(row: ClockRow): ClockTimeline {
  const pauses: SlaPause[] = storedPauses(row.pauses).map((p) => ({ from: new Date(p.from), to: p.to ? new Date(p.to) : null }));
  return { startedAt: row.started_at, pauses, respondedAt: row.responded_at, stoppedAt: row.stopped_at };
}

export function termsOfRow(value: unknown): ClockTerms {
  const t = value as Partial<ClockTerms>;
  return {
    name: t.name ?? { ar: "", en: "" },
    responseMinutes: t.responseMinutes ?? null,
    resolutionMinutes: t.resolutionMinutes ?? null,
    warnPercents: t.warnPercents ?? [],
    levels: t.levels ?? [],
  };
}

/** The next moment the sweep must look at the clock: now if something is already due. */
export function wakeAt(view: ClockView): Date | null {
  return view.due[0]?.at ?? view.nextDueAt;
}

/** The columns derived from a clock's timeline (due instants and when to wake up). */
export function derivedColumns(view: ClockView) {
  return {
    response_due_at: view.responseDueAt,
    response_risk_at: view.responseRiskAt,
    resolution_due_at: view.resolutionDueAt,
    resolution_risk_at: view.resolutionRiskAt,
    next_due_at: wakeAt(view),
  };
}

// ---- From the case runner ----------------------------------------------------------------------

export interface SlaFlushInput {
  orgId: string;
  /** The run's real "now" (SLA time is slaTime(now): the same in production). */
  now: Date;
  calendar: () => Promise<BusinessCalendar | null>;
  cases: readonly LoadedCase[];
  /** Tasks this flush inserts. */
  created: readonly { id: string; caseId: string; nodeId: string }[];
  /** Tasks this flush marks completed. */
  completed: readonly string[];
}

/** Event types by which a person first acts on a task (a system escalation is not a response). */
const RESPONSES = new Set(["task_claimed", "task_unclaimed", "task_reassigned", "task_delegated", "task_completed"]);

/**
 * The SLA writes of one flush, to be run with the runner's statements. Call it BEFORE the
 * runner chains its pending events (it reads them).
 */
export async function slaFlushStatements(trx: Tx, input: SlaFlushInput): Promise<Compilable[]> {
  const out: Compilable[] = [];
  const now = slaTime(input.now);
  const byId = new Map(input.cases.map((c) => [c.id, c]));

  // 1. Clocks for new tasks and new cases.
  const fresh = input.cases.filter((c) => c.isNew);
  if (input.created.length || fresh.length) {
    const policies = await activePolicies(trx, input.orgId);
    if (policies.length) {
      const starts: { policy: ActivePolicy; kase: LoadedCase; taskId: string | null; nodeId: string | null }[] = [];
      for (const task of input.created) {
        const kase = byId.get(task.caseId);
        const policy = kase && pickPolicy(policies, kase.version.definitionId, task.nodeId, kase.data);
        if (kase && policy) starts.push({ policy, kase, taskId: task.id, nodeId: task.nodeId });
      }
      for (const kase of fresh) {
        const policy = pickPolicy(policies, kase.version.definitionId, null, kase.data);
        if (policy) starts.push({ policy, kase, taskId: null, nodeId: null });
      }
      if (starts.length) {
        const cal = await input.calendar();
        out.push(
          trx.insertInto("deadline_clocks").values(
            starts.map((s) => {
              const view = evaluateClock(s.policy.terms, { startedAt: now, pauses: [], respondedAt: null, stoppedAt: null }, cal, now);
              const terms: ClockTerms = { ...s.policy.terms, name: s.policy.name };
              return {
                org_id: input.orgId,
                policy_id: s.policy.id,
                case_id: s.kase.id,
                task_id: s.taskId,
                definition_id: s.kase.version.definitionId,
                node_id: s.nodeId,
                terms: JSON.stringify(terms),
                started_at: now,
                ...derivedColumns(view),
              };
            }),
          ),
        );
      }
    }
  }

  // 2. What the step's events say: first responses, cancelled and completed cases.
  const completed = new Set(input.completed);
  const responded = new Set<string>();
  const respondedCases = new Set<string>();
  const cancelledTasks = new Set<string>();
  const cancelledCases = new Set<string>();
  const completedCases = new Set<string>();
  for (const kase of input.cases) {
    for (const e of kase.events) {
      if (RESPONSES.has(e.type) && e.actorUserId && e.taskId) {
        if (!completed.has(e.taskId)) responded.add(e.taskId);
        respondedCases.add(kase.id);
      }
      if (e.type === "cancelled") {
        cancelledCases.add(kase.id);
        for (const id of (e.payload as { cancelledTasks?: string[] } | undefined)?.cancelledTasks ?? []) cancelledTasks.add(id);
      }
      if (e.type === "completed") completedCases.add(kase.id);
    }
  }
  for (const id of completed) responded.delete(id);
  for (const id of cancelledCases) respondedCases.delete(id);
  for (const id of completedCases) respondedCases.delete(id);
  const anything = responded.size || respondedCases.size || completed.size || cancelledTasks.size || completedCases.size || cancelledCases.size;
  if (!anything || !(await orgUsesSla(trx, input.orgId))) return out;

  if (responded.size) out.push(...respondStatements(trx, input.orgId, now, { taskIds: [...responded] }));
  if (respondedCases.size) out.push(...respondStatements(trx, input.orgId, now, { caseIds: [...respondedCases] }));
  if (completed.size) out.push(...stopStatements(trx, input.orgId, now, "completed", { taskIds: [...completed] }));
  if (cancelledTasks.size) out.push(...stopStatements(trx, input.orgId, now, "cancelled", { taskIds: [...cancelledTasks] }));
  if (completedCases.size) out.push(...stopStatements(trx, input.orgId, now, "completed", { caseIds: [...completedCases] }));
  if (cancelledCases.size) out.push(...stopStatements(trx, input.orgId, now, "cancelled", { caseIds: [...cancelledCases] }));
  return out;
}

/** Task clocks by task ids, or the case-level clocks of cases. */
export type ClockSelector = { taskIds: string[] } | { caseIds: string[] };

function selects(sel: ClockSelector, alias: string) {
  const col = (c: string) => sql.ref(`${alias}.${c}`);
  return "taskIds" in sel ? sql<boolean>`${col("task_id")} = ANY(${sel.taskIds}::uuid[])` : sql<boolean>`${col("task_id")} IS NULL AND ${col("case_id")} = ANY(${sel.caseIds}::uuid[])`;
}

function respondStatements(trx: Tx, orgId: string, now: Date, sel: ClockSelector): Compilable[] {
  const update = trx
    .updateTable("deadline_clocks as c")
    .set({
      responded_at: now,
      breached_at: sql<Date>`COALESCE(c.breached_at, CASE WHEN c.response_due_at <= ${now} THEN c.response_due_at END)`,
    })
    .where("c.org_id", "=", orgId)
    .where(selects(sel, "c"))
    .where("c.responded_at", "is", null)
    .where("c.stopped_at", "is", null);
  // The ledger (a late response) is written by the clock's trigger (migrations/0010_sla.ts).
  return [update];
}

export function stopStatements(trx: Tx, orgId: string, now: Date, reason: "completed" | "cancelled", sel: ClockSelector): Compilable[] {
  const update = trx
    .updateTable("deadline_clocks as c")
    .set({
      stopped_at: now,
      stop_reason: reason,
      next_due_at: null,
      paused_at: null,
      responded_at: reason === "completed" ? sql<Date>`COALESCE(c.responded_at, ${now})` : sql<Date | null>`c.responded_at`,
      breached_at: sql<Date>`COALESCE(c.breached_at, LEAST(
        CASE WHEN c.responded_at IS NULL AND c.response_due_at <= ${now} THEN c.response_due_at END,
        CASE WHEN c.resolution_due_at <= ${now} THEN c.resolution_due_at END))`,
    })
    .where("c.org_id", "=", orgId)
    .where(selects(sel, "c"))
    .where("c.stopped_at", "is", null);
  // The ledger (breaches the sweep never saw, actual times) is written by the clock's trigger.
  return [update];
}
