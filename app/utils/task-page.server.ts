import type { Localised } from "~/engine/definition";
import { addComment, getCase } from "~/models/cases.server";
import { describeFiles, fileIdsIn } from "~/models/form-fill.server";
import { getStepFormVersion } from "~/models/forms.server";
import { once } from "~/models/idempotency.server";
import { getVersionById, parseStoredGraph } from "~/models/published-versions.server";
import { claimTask, completeTask, delegateTask, getTask, reassignTask, unclaimTask } from "~/models/tasks.server";
import { taskCandidates } from "~/models/workflow-views.server";
import { decisionFields, parseDecisionAnswers } from "./decision-fields";
import { appDb, withTenant } from "./db.server";
import type { OrgContext } from "./org-context.server";
import { gateOutcomes, prepareCompletion } from "./task-completion";
import { actionFailure, formRefusal, throwAsHttp, type FormFieldError } from "./workflow-errors.server";

// The task page's server side: what the page shows, and its five actions, each one
// transaction through the task service with the page view's idempotency key.

type T = (key: string, options?: Record<string, unknown>) => string;

export async function loadTaskPage(ctx: OrgContext, taskId: string) {
  const found = await withTenant(appDb(), ctx.scope, async (trx) => {
    const row = await getTask(trx, ctx, taskId);
    const kase = await getCase(trx, ctx, row.case_id);
    const candidates = await taskCandidates(trx, ctx.org.id, { candidateRoleId: row.candidate_role_id, candidateUnitId: row.candidate_unit_id });
    const graph = parseStoredGraph(kase.definition.graph);
    const node = graph.nodes.find((n) => n.id === row.node_id);
    const stepForm = node?.kind === "task" && node.form ? await loadStepForm(trx, ctx, node.form, kase.formVersions[node.form], row.id, kase.data) : null;
    return { row, kase, candidates, graph, node, stepForm };
  }).catch(throwAsHttp);
  const { row, kase, candidates, graph, node, stepForm } = found;
  const task = kase.tasks.find((t) => t.id === row.id)!;
  const laneId = row.lane_id ?? node?.lane;
  const lane = graph.lanes.find((l) => l.id === laneId) ?? null;
  const group: Localised | null = task.candidateRole
    ? { ar: task.candidateRole.name_ar, en: task.candidateRole.name_en }
    : task.candidateUnit
      ? { ar: task.candidateUnit.name_ar, en: task.candidateUnit.name_en }
      : null;
  // A step with a form asks its questions through the form: decision answers must be the
  // form's fields (its validator refuses undeclared properties).
  const fields = stepForm ? [] : decisionFields(graph, row.node_id);
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
    /** The step's form (latest published version), or null: the page then asks decision answers. */
    stepForm,
  };
}

type StepFormTrx = Parameters<typeof getStepFormVersion>[0];

/**
 * The step's form in the version the case pinned (else the latest published one), with the case data it already holds
 * (only the form's top-level fields: anything else would be refused as undeclared) and the
 * names of files those answers reference (the member's own or shared on this task).
 */
async function loadStepForm(trx: StepFormTrx, ctx: OrgContext, formKey: string, pinnedVersionId: string | undefined, taskId: string, caseData: Record<string, unknown>) {
  const version = await getStepFormVersion(trx, ctx.org.id, formKey, pinnedVersionId);
  if (!version) return null;
  const schema = version.schema as { properties?: Record<string, unknown> } | null;
  const properties = schema && typeof schema === "object" && schema.properties ? schema.properties : {};
  const initialData = Object.fromEntries(Object.entries(caseData).filter(([key, value]) => Object.hasOwn(properties, key) && value !== null && value !== undefined));
  const ids = fileIdsIn(initialData);
  const files = ids.length ? await describeFiles(trx, ctx.org.id, ids, { uploadedBy: ctx.user.id, attachedTo: `task:${taskId}` }) : {};
  return {
    formVersion: {
      id: version.id,
      schema: version.schema,
      uiSchema: version.ui_schema,
      translations: version.translations as { ar?: Record<string, string>; en?: Record<string, string> } | null,
    },
    initialData,
    files,
  };
}

export type { FormFieldError };

export interface TaskForm {
  intent: string;
  idempotencyKey: string | undefined;
  values: { notes: string; answers: Record<string, string>; checklist: string[]; userId: string; outcome: string };
  /** The step form's answers (the "data" field, JSON), kept raw to be parsed on completion. */
  data: string | null;
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
    data: typeof form.get("data") === "string" ? String(form.get("data")) : null,
  };
}

export type TaskActionOutcome =
  | { ok: true; intent: "claim" | "unclaim" | "reassign" | "delegate" }
  | { ok: true; intent: "complete"; caseReference: string }
  | { ok: false; status: number; conflict?: string; formError?: string; fieldErrors: Record<string, string>; formErrors?: FormFieldError[] };

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
    const refused = formRefusal(error, ctx.locale, t);
    if (refused) return { ok: false, status: 400, fieldErrors: {}, ...refused };
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
    if (node?.kind === "task" && node.form) return completeWithForm(trx, ctx, { taskId, caseId: row.case_id, reference: kase.reference }, form, t);
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

/**
 * Completing a step whose node names a form: the posted "data" is the form's answers, sent
 * as they are — completeTask validates them against the form's latest published version
 * (a refusal throws ValidationError, turned into field errors above).
 */
async function completeWithForm(trx: StepFormTrx, ctx: OrgContext, step: { taskId: string; caseId: string; reference: string }, form: TaskForm, t: T): Promise<TaskActionOutcome> {
  let data: unknown;
  try {
    data = JSON.parse(form.data ?? "{}");
  } catch {
    data = undefined;
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) return { ok: false, status: 400, formError: t("common:errors.invalid"), fieldErrors: {} };
  const notes = form.values.notes.trim();
  await once(trx, { orgId: ctx.org.id, userId: ctx.user.id }, `task.complete:${step.taskId}`, form.idempotencyKey, async () => {
    await completeTask(trx, ctx, step.taskId, { data: data as Record<string, unknown> });
    if (notes) await addComment(trx, ctx, step.caseId, notes);
    return { done: true };
  });
  return { ok: true, intent: "complete", caseReference: step.reference };
}
