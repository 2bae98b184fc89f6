import type { Localised } from "~/engine/definition";
import { ValidationError } from "~/models/case-errors";
import { addComment, getCase } from "~/models/cases.server";
import { once } from "~/models/idempotency.server";
import { getVersionById, parseStoredGraph } from "~/models/published-versions.server";
import { claimTask, completeTask, delegateTask, getTask, reassignTask, unclaimTask } from "~/models/tasks.server";
import { taskCandidates } from "~/models/workflow-views.server";
import { decisionFields, parseDecisionAnswers } from "./decision-fields";
import { appDb, withTenant } from "./db.server";
import type { OrgContext } from "./org-context.server";
import { gateOutcomes, prepareCompletion } from "./task-completion";
import { actionFailure, throwAsHttp } from "./workflow-errors.server";

// The task page's server side: what the page shows, and its five actions, each one
// transaction through the task service with the page view's idempotency key.

type T = (key: string, options?: Record<string, unknown>) => string;

export async function loadTaskPage(ctx: OrgContext, taskId: string) {
  const found = await withTenant(appDb(), ctx.scope, async (trx) => {
    const row = await getTask(trx, ctx, taskId);
    const kase = await getCase(trx, ctx, row.case_id);
    const candidates = await taskCandidates(trx, ctx.org.id, { candidateRoleId: row.candidate_role_id, candidateUnitId: row.candidate_unit_id });
    return { row, kase, candidates };
  }).catch(throwAsHttp);
  const { row, kase, candidates } = found;
  const task = kase.tasks.find((t) => t.id === row.id)!;
  const graph = parseStoredGraph(kase.definition.graph);
  const node = graph.nodes.find((n) => n.id === row.node_id);
  const laneId = row.lane_id ?? node?.lane;
  const lane = graph.lanes.find((l) => l.id === laneId) ?? null;
  const group: Localised | null = task.candidateRole
    ? { ar: task.candidateRole.name_ar, en: task.candidateRole.name_en }
    : task.candidateUnit
      ? { ar: task.candidateUnit.name_ar, en: task.candidateUnit.name_en }
      : null;
  const fields = decisionFields(graph, row.node_id);
  const currentAnswers = Object.fromEntries(
    fields.filter((f) => kase.data[f.key] !== undefined && kase.data[f.key] !== null).map((f) => [f.key, String(kase.data[f.key])]),
  );
  return {
    orgSlug: ctx.org.slug,
    task: {
      id: task.id,
      kind: task.kind,
      name_ar: task.name_ar,
      name_en: task.name_en,
      status: task.status,
      priority: task.priority,
      dueAt: task.dueAt?.toISOString() ?? null,
      overdue: task.status === "open" && task.dueAt !== null && task.dueAt < new Date(),
      outcome: task.outcome,
      assigneeUserId: task.assignee?.id ?? null,
      assigneeName: task.assignee?.name ?? null,
      completedByName: task.completedBy?.name ?? null,
      completedAt: task.completedAt?.toISOString() ?? null,
    },
    case: {
      id: kase.id,
      reference: kase.reference,
      title: kase.title,
      status: kase.status,
      definitionName_ar: kase.definition.name_ar,
      definitionName_en: kase.definition.name_en,
    },
    node: node
      ? {
          instructions: node.kind === "task" ? (node.instructions ?? null) : null,
          documentation: node.documentation ?? null,
          // The steps table of the service documentation card (DOMAIN.md §1).
          inputs: node.kind === "task" ? (node.inputs ?? null) : null,
          outputs: node.kind === "task" ? (node.outputs ?? null) : null,
          tools: node.kind === "task" ? (node.tools ?? null) : null,
          estimatedMinutes: node.kind === "task" ? (node.estimatedMinutes ?? null) : null,
          producesDocument: node.kind === "task" && node.producesDocument === true,
        }
      : null,
    lane: lane ? { name: lane.name } : null,
    candidateGroup: group,
    candidates,
    rights: task.actions,
    fields,
    currentAnswers,
    checklist: node?.kind === "gate" ? node.checklist : [],
    outcomes: node?.kind === "gate" ? gateOutcomes(graph, node.id) : [],
  };
}

export interface TaskForm {
  intent: string;
  idempotencyKey: string | undefined;
  values: { notes: string; answers: Record<string, string>; checklist: string[]; userId: string; outcome: string };
}

export function readTaskForm(form: FormData): TaskForm {
  const answers: Record<string, string> = {};
  for (const [name, value] of form.entries()) {
    if (name.startsWith("answer.") && typeof value === "string") answers[name.slice("answer.".length)] = value;
  }
  const key = String(form.get("idempotencyKey") ?? "");
  return {
    intent: String(form.get("intent") ?? ""),
    idempotencyKey: key || undefined,
    values: {
      notes: String(form.get("notes") ?? ""),
      answers,
      checklist: form.getAll("checklist").map(String),
      userId: String(form.get("userId") ?? ""),
      outcome: String(form.get("outcome") ?? ""),
    },
  };
}

export type TaskActionOutcome =
  | { ok: true; intent: "claim" | "unclaim" | "reassign" | "delegate" }
  | { ok: true; intent: "complete"; caseReference: string }
  | { ok: false; status: number; conflict?: string; formError?: string; fieldErrors: Record<string, string> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_NOTES = 5000;

export async function performTaskAction(ctx: OrgContext, taskId: string, form: TaskForm, t: T): Promise<TaskActionOutcome> {
  const key = form.idempotencyKey;
  const { intent, values } = form;
  try {
    switch (intent) {
      case "claim":
        await withTenant(appDb(), ctx.scope, (trx) => claimTask(trx, ctx, taskId, { idempotencyKey: key }));
        return { ok: true, intent };
      case "unclaim":
        await withTenant(appDb(), ctx.scope, (trx) => unclaimTask(trx, ctx, taskId, { idempotencyKey: key }));
        return { ok: true, intent };
      case "reassign":
      case "delegate": {
        if (!UUID.test(values.userId)) return { ok: false, status: 400, fieldErrors: { userId: t("task.errors.chooseCandidate") } };
        const handOver = intent === "reassign" ? reassignTask : delegateTask;
        await withTenant(appDb(), ctx.scope, (trx) => handOver(trx, ctx, taskId, { toUserId: values.userId, idempotencyKey: key }));
        return { ok: true, intent };
      }
      case "complete":
        return await complete(ctx, taskId, form, t);
      default:
        return { ok: false, status: 400, formError: t("common:errors.invalid"), fieldErrors: {} };
    }
  } catch (error) {
    if (error instanceof ValidationError && error.issues.some((i) => i.code === "form_invalid")) {
      // The step's form refused the data: list each field (its path) with the reason,
      // already worded in the member's language by the forms validator.
      const detail = error.issues.map((i) => (i.path ? `${i.path.slice(1)}: ${i.message}` : i.message)).join(ctx.locale === "en" ? "; " : "؛ ");
      return { ok: false, status: 400, formError: t("task.errors.invalidData", { detail }), fieldErrors: {} };
    }
    return { ok: false, ...actionFailure(error, t, ctx.prefs) };
  }
}

async function complete(ctx: OrgContext, taskId: string, form: TaskForm, t: T): Promise<TaskActionOutcome> {
  const { values } = form;
  const notes = values.notes.trim();
  if (notes.length > MAX_NOTES) return { ok: false, status: 400, fieldErrors: { notes: t("task.errors.tooLong") } };
  return withTenant(appDb(), ctx.scope, async (trx) => {
    const row = await getTask(trx, ctx, taskId);
    const kase = await trx.selectFrom("cases").select(["version_id", "reference", "data"]).where("org_id", "=", ctx.org.id).where("id", "=", row.case_id).executeTakeFirstOrThrow();
    const { graph } = await getVersionById(trx, ctx.org.id, kase.version_id);
    const node = graph.nodes.find((n) => n.id === row.node_id);
    const fields = decisionFields(graph, row.node_id);
    const answers = parseDecisionAnswers(fields, values.answers);
    // A decision right after this step needs its answers: unanswered, the case would silently
    // take the default path. Values already in the case data (an earlier step) count.
    const missing = fields.filter((f) => answers.data[f.key] === undefined && (kase.data[f.key] === undefined || kase.data[f.key] === null));
    if (!answers.invalid && missing.length) {
      return { ok: false as const, status: 400, fieldErrors: Object.fromEntries(missing.map((f) => [`answer.${f.key}`, t("task.errors.required")])) };
    }
    if (answers.invalid) {
      const field = fields.find((f) => f.key === answers.invalid)!;
      const label = field.label ? (ctx.locale === "en" ? field.label.en : field.label.ar) : field.key;
      return { ok: false as const, status: 400, fieldErrors: { [`answer.${field.key}`]: t("task.errors.invalidAnswer", { field: label }) } };
    }
    const prepared = node ? prepareCompletion(graph, node, { outcome: values.outcome || null, checklist: values.checklist }) : { ok: true as const, outcome: undefined, extraData: {} };
    if (!prepared.ok) {
      const message = prepared.problem.field === "outcome" ? t("task.errors.outcomeRequired") : t("task.errors.checklistRequired");
      return { ok: false as const, status: 400, fieldErrors: { [prepared.problem.field]: message } };
    }
    // The notes become a comment in the same transaction; the one idempotency key covers
    // both, so a double click neither completes twice nor leaves the note twice.
    await once(trx, { orgId: ctx.org.id, userId: ctx.user.id }, `task.complete:${taskId}`, form.idempotencyKey, async () => {
      await completeTask(trx, ctx, taskId, { data: { ...answers.data, ...prepared.extraData }, outcome: prepared.outcome });
      if (notes) await addComment(trx, ctx, row.case_id, notes);
      return { done: true };
    });
    return { ok: true as const, intent: "complete" as const, caseReference: kase.reference };
  });
}
