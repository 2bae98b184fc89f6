import { runtime } from "~/engine/runtime";
import type { Tx } from "~/utils/db.server";
import { caseSubject, isUuid, requireCan, type CaseActor } from "./case-access.server";
import { ConflictError, NotFoundError, ValidationError } from "./case-errors";
import { CaseRun, type LoadedCase } from "./case-runner.server";
import { once } from "./idempotency.server";
import { notify } from "./notifications.server";

// Cancelling a case: someone who may update the case ends it with a reason. In the same
// transaction its open tasks are cancelled (they leave every inbox), its pending timers are
// cancelled (a job that fires later finds cancelled_at and does nothing), its open incidents
// are closed, and its running sub-cases are cancelled with it. A sub-case cancelled on its
// own leaves the parent's waiting token in a visible incident ("subprocess_cancelled") for
// an admin to decide, instead of waiting forever.

export const MAX_CANCEL_REASON = 1000;

export interface CancelCaseInput {
  reason: string;
  idempotencyKey?: string;
}

export interface CancelCaseResult {
  caseId: string;
  reference: string;
  /** References of every case cancelled (this one first, then its sub-cases). */
  cancelled: string[];
}

export async function cancelCase(trx: Tx, actor: CaseActor, idOrReference: string, input: CancelCaseInput): Promise<CancelCaseResult> {
  const orgId = actor.org.id;
  const reason = input.reason.trim();
  if (!reason) throw new ValidationError([{ path: "reason", code: "required", message: "a reason is required to cancel a case" }]);
  if (reason.length > MAX_CANCEL_REASON) throw new ValidationError([{ path: "reason", code: "too_long", message: `the reason is longer than ${MAX_CANCEL_REASON} characters` }]);
  return once(trx, { orgId, userId: actor.user.id }, `case.cancel:${idOrReference}`, input.idempotencyKey, async () => {
    const row = await trx
      .selectFrom("cases")
      .select(["id", "started_by"])
      .where("org_id", "=", orgId)
      .where(isUuid(idOrReference) ? "id" : "reference", "=", idOrReference)
      .executeTakeFirst();
    if (!row || !actor.ability.can("read", caseSubject(row))) throw new NotFoundError("Case", idOrReference);
    requireCan(actor, "update", "Case", caseSubject(row));
    const run = new CaseRun(trx, orgId, actor.user.id);
    const kase = await run.lockCase(row.id);
    if (!kase) throw new NotFoundError("Case", idOrReference);
    if (kase.state.status === "completed" || kase.state.status === "cancelled") throw new ConflictError("case_not_running");
    const cancelled: string[] = [];
    await cancelOne(run, kase, reason, null, cancelled);
    // Cancelled on its own (not with its parent): the parent must not wait for it forever.
    if (kase.parentCaseId && kase.parentTokenId) {
      const parent = await run.lockCase(kase.parentCaseId);
      const waiting = parent?.state.tokens.find((t) => t.id === kase.parentTokenId && t.status === "active");
      if (parent && waiting) {
        await run.apply(parent, runtime.raiseIncident(parent.state, waiting.id, "subprocess_cancelled", `sub-case ${kase.reference} was cancelled: ${reason}`));
      }
    }
    await run.flush();
    return { caseId: kase.id, reference: kase.reference, cancelled };
  });
}

async function cancelOne(run: CaseRun, kase: LoadedCase, reason: string, byParent: string | null, cancelled: string[]): Promise<void> {
  const { trx, orgId, now } = run;
  const tokens = kase.state.tokens.map((t) => ({ id: t.id, nodeId: t.nodeId, status: t.status }));
  await run.apply(kase, runtime.cancel(kase.state));
  kase.completedAt = now;
  const tasks = await trx
    .updateTable("tasks")
    .set((eb) => ({ status: "cancelled", row_version: eb("row_version", "+", 1) }))
    .where("org_id", "=", orgId)
    .where("case_id", "=", kase.id)
    .where("status", "=", "open")
    .returning("id")
    .execute();
  const timers = await trx
    .updateTable("case_timers")
    .set({ cancelled_at: now })
    .where("org_id", "=", orgId)
    .where("case_id", "=", kase.id)
    .where("fired_at", "is", null)
    .where("cancelled_at", "is", null)
    .returning("id")
    .execute();
  const incidents = await trx
    .updateTable("incidents")
    .set({ status: "resolved", resolved_at: now, resolved_by: run.actorUserId })
    .where("org_id", "=", orgId)
    .where("case_id", "=", kase.id)
    .where("status", "=", "open")
    .returning("id")
    .execute();
  run.event(kase, {
    type: "cancelled",
    payload: {
      reason,
      byParentCase: byParent,
      tokens,
      cancelledTasks: tasks.map((t) => t.id),
      cancelledTimers: timers.map((t) => t.id),
      closedIncidents: incidents.map((i) => i.id),
    },
  });
  cancelled.push(kase.reference);
  // Whoever started it and whoever held one of its steps hear of it (not the one cancelling).
  const holders = tasks.length
    ? await trx.selectFrom("tasks").select("assignee_user_id").where("org_id", "=", orgId).where("id", "in", tasks.map((x) => x.id)).where("assignee_user_id", "is not", null).execute()
    : [];
  const told = [kase.startedBy, ...holders.map((h) => h.assignee_user_id)].filter((id): id is string => Boolean(id) && id !== run.actorUserId);
  await notify(trx, { orgId, userIds: told, kind: "case.cancelled", params: { reference: kase.reference, reason }, link: `cases/${kase.id}`, dedupeKey: `case.cancelled:${kase.id}` });
  const children = await trx
    .selectFrom("cases")
    .select("id")
    .where("org_id", "=", orgId)
    .where("parent_case_id", "=", kase.id)
    .where("status", "in", ["running", "incident"])
    .orderBy("started_at")
    .execute();
  for (const child of children) {
    const loaded = await run.lockCase(child.id);
    if (loaded && loaded.state.status !== "completed" && loaded.state.status !== "cancelled") await cancelOne(run, loaded, reason, kase.reference, cancelled);
  }
}
