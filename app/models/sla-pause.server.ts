import { evaluateClock, type SlaStatus } from "~/engine/sla";
import { workingTimeBetween } from "~/engine/calendar";
import { slaNow } from "~/utils/clock.server";
import type { Tx } from "~/utils/db.server";
import { memberRoleIds, taskActions, type CaseActor } from "./case-access.server";
import { CaseServiceError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from "./case-errors";
import { CaseRun } from "./case-runner.server";
import { loadBusinessCalendar } from "./business-calendar.server";
import { getTask } from "./tasks.server";
import { derivedColumns, storedPauses, termsOfRow, timelineOf, type StoredPause } from "./sla-clocks.server";

// Pausing a task's SLA clock while the case waits on the customer or another agency, and
// resuming it. Who may: whoever may act on the task (its assignee, its candidates while it is
// unclaimed, someone who manages tasks). Each pause and resume is an event on the case's
// hash-chained timeline with the reason; the deadline moves by exactly the paused working time
// (app/engine/sla.ts). Case-level clocks are not paused from here.

export const MAX_PAUSE_REASON = 500;
export const PAUSE_KINDS = ["customer", "agency", "other"] as const;
export type PauseKind = (typeof PAUSE_KINDS)[number];

export interface TaskSla {
  clockId: string;
  policyName: { ar: string; en: string };
  status: SlaStatus;
  paused: boolean;
  stopped: boolean;
  responseDueAt: string | null;
  resolutionDueAt: string | null;
  respondedAt: string | null;
  activeMinutes: number;
  levelReached: number;
  pauses: StoredPause[];
  canPause: boolean;
}

async function mayAct(trx: Tx, actor: CaseActor, task: Awaited<ReturnType<typeof getTask>>): Promise<boolean> {
  const rights = taskActions(actor, task, await memberRoleIds(trx, actor.org.id, actor.user.id));
  return rights.complete;
}

/** The task's SLA clock as the task page shows it (null: no SLA applies to the task). */
export async function loadTaskSla(trx: Tx, actor: CaseActor, taskId: string): Promise<TaskSla | null> {
  const task = await getTask(trx, actor, taskId);
  const row = await trx.selectFrom("deadline_clocks").selectAll().where("org_id", "=", actor.org.id).where("task_id", "=", task.id).executeTakeFirst();
  if (!row) return null;
  const now = slaNow();
  const view = evaluateClock(termsOfRow(row.terms), timelineOf(row), await loadBusinessCalendar(trx, actor.org.id), now);
  const terms = termsOfRow(row.terms);
  return {
    clockId: row.id,
    policyName: terms.name,
    status: row.breached_at ? "breached" : view.status,
    paused: row.paused_at !== null,
    stopped: row.stopped_at !== null,
    responseDueAt: row.responded_at ? null : (view.responseDueAt?.toISOString() ?? null),
    resolutionDueAt: view.resolutionDueAt?.toISOString() ?? null,
    respondedAt: row.responded_at?.toISOString() ?? null,
    activeMinutes: Math.floor(view.activeMs / 60_000),
    levelReached: row.level_reached,
    pauses: storedPauses(row.pauses),
    canPause: row.stopped_at === null && task.status === "open" && (await mayAct(trx, actor, task)),
  };
}

export interface PauseInput {
  kind: PauseKind;
  reason: string;
}

/** Pauses (intent "pause") or resumes the task's clock. Returns the new resolution deadline (null while paused). */
export async function setClockPaused(trx: Tx, actor: CaseActor, taskId: string, pause: boolean, input: PauseInput): Promise<{ resolutionDueAt: Date | null }> {
  const reason = input.reason.trim();
  if (pause && !reason) throw new ValidationError([{ path: "reason", code: "required", message: "a reason is required to pause the SLA clock" }]);
  if (reason.length > MAX_PAUSE_REASON) throw new ValidationError([{ path: "reason", code: "too_long", message: `the reason is longer than ${MAX_PAUSE_REASON} characters` }]);
  if (!(PAUSE_KINDS as readonly string[]).includes(input.kind)) throw new ValidationError([{ path: "kind", code: "invalid_value", message: "unknown pause kind" }]);
  const task = await getTask(trx, actor, taskId);
  if (task.status !== "open") throw new ConflictError("task_not_open");
  if (!(await mayAct(trx, actor, task))) throw new ForbiddenError("update", "Task", "not_assignee");
  // Case first, then the clock: the order every writer of a case's clocks uses.
  const run = new CaseRun(trx, actor.org.id, actor.user.id, slaNow());
  const kase = await run.lockCase(task.case_id);
  if (!kase) throw new NotFoundError("Case", task.case_id);
  const row = await trx.selectFrom("deadline_clocks").selectAll().where("org_id", "=", actor.org.id).where("task_id", "=", task.id).forUpdate().executeTakeFirst();
  if (!row || row.stopped_at) throw new CaseServiceError(404, "sla_no_clock", `task ${taskId} has no running SLA clock`);
  const now = run.now;
  const pauses = storedPauses(row.pauses);
  const open = pauses.at(-1)?.to === null ? pauses.at(-1)! : undefined;
  if (pause === Boolean(open)) throw new CaseServiceError(409, pause ? "sla_already_paused" : "sla_not_paused", pause ? "the SLA clock is already paused" : "the SLA clock is not paused");
  const cal = await run.businessCalendar();
  let pausedMs = 0;
  if (pause) pauses.push({ from: now.toISOString(), to: null, reason: `${input.kind}: ${reason}`, byUserId: actor.user.id });
  else {
    open!.to = now.toISOString();
    open!.resumedByUserId = actor.user.id;
    pausedMs = cal ? workingTimeBetween(new Date(open!.from), now, cal) : now.getTime() - new Date(open!.from).getTime();
  }
  const terms = termsOfRow(row.terms);
  const fired = new Set((await trx.selectFrom("deadline_firings").select("milestone").where("org_id", "=", actor.org.id).where("clock_id", "=", row.id).execute()).map((f) => f.milestone));
  const view = evaluateClock(terms, timelineOf({ ...row, pauses }), cal, now, fired);
  await trx
    .updateTable("deadline_clocks")
    .set({ pauses: JSON.stringify(pauses), paused_at: pause ? now : null, ...derivedColumns(view) })
    .where("org_id", "=", actor.org.id)
    .where("id", "=", row.id)
    .execute();
  run.event(kase, {
    type: pause ? "sla_paused" : "sla_resumed",
    nodeId: task.node_id,
    taskId: task.id,
    payload: pause
      ? { clockId: row.id, kind: input.kind, reason }
      : { clockId: row.id, kind: input.kind, reason: reason || null, pausedFrom: open!.from, pausedWorkingMinutes: Math.round(pausedMs / 60_000), resolutionDueAt: view.resolutionDueAt?.toISOString() ?? null },
  });
  await run.flush();
  return { resolutionDueAt: view.resolutionDueAt };
}
