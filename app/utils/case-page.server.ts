import type { DefinitionGraph, Localised } from "~/engine/definition";
import { caseSubject } from "~/models/case-access.server";
import { cancelCase, MAX_CANCEL_REASON } from "~/models/case-cancel.server";
import { addComment, getCase, startCase, startFormKey } from "~/models/cases.server";
import { getLatestPublishedVersion } from "~/models/forms.server";
import type { CaseEventView } from "~/models/case-events.server";
import { NotFoundError } from "~/models/case-errors";
import { once } from "~/models/idempotency.server";
import { retryIncident } from "~/models/incidents.server";
import { getPublishedVersion, parseStoredGraph } from "~/models/published-versions.server";
import { caseIncidents, listStartableDefinitions, taskCandidates, userNames } from "~/models/workflow-views.server";
import type { TimelineItem } from "~/components/workflow/case-timeline";
import { appDb, withTenant } from "./db.server";
import { decisionFields } from "./decision-fields";
import type { OrgContext } from "./org-context.server";
import { slaEventDetail } from "./sla-timeline";
import { checklistKey } from "./task-completion";
import { actionFailure, formRefusal, throwAsHttp, type FormFieldError } from "./workflow-errors.server";

// The case page and the start page, server side: reads through the case service, plus the
// incident snapshots and the names of the people who can act; comments, incident retries
// and starts go through the services, each with an idempotency key.

type T = (key: string, options?: Record<string, unknown>) => string;

const nodeName = (graph: DefinitionGraph, id: string | null): Localised | null => (id ? (graph.nodes.find((n) => n.id === id)?.name ?? null) : null);

/** A short, translated detail line for the events where the kind alone says too little. */
function eventDetail(event: CaseEventView, names: Map<string, string>, t: T): TimelineItem["detail"] {
  const payload = (event.payload ?? {}) as { after?: { assigneeUserId?: string | null }; outcome?: string | null; reason?: string; byParentCase?: string | null };
  switch (event.type) {
    case "cancelled":
      // The reason is what a person typed: shown as is, never looked up as a key.
      return payload.byParentCase
        ? { key: "case.eventDetail.cancelledWithParent", values: { reference: payload.byParentCase } }
        : { key: "case.eventDetail.cancelReason", values: { reason: payload.reason ?? "" } };
    case "task_reassigned":
    case "task_delegated": {
      const to = payload.after?.assigneeUserId;
      return to ? { key: "case.eventDetail.assignee", values: { name: names.get(to) ?? "" } } : null;
    }
    case "task_completed":
      return payload.outcome ? { key: "case.eventDetail.outcome", values: { outcome: t(`task.outcome.${payload.outcome}`) } } : null;
    case "incident_raised":
      return payload.reason ? { key: "case.eventDetail.reason", values: { reason: t(`case.incidents.reason.${payload.reason}`, { defaultValue: payload.reason }) } } : null;
    default:
      return null;
  }
}

/** Readable names for the case data keys the definition itself explains (decision questions, gate checklists). */
function dataLabels(graph: DefinitionGraph): { keys: Record<string, Localised>; items: Record<string, Record<string, Localised>> } {
  const labels: Record<string, Localised> = {};
  const items: Record<string, Record<string, Localised>> = {};
  for (const node of graph.nodes) {
    if (node.kind === "gate" && node.checklist.length) {
      labels[checklistKey(node.id)] = node.name;
      items[checklistKey(node.id)] = Object.fromEntries(node.checklist.map((c) => [c.id, c.label]));
    }
    if (node.kind !== "task" && node.kind !== "gate") continue;
    for (const field of decisionFields(graph, node.id)) if (field.label) labels[field.key] ??= field.label;
  }
  return { keys: labels, items };
}

export async function loadCasePage(ctx: OrgContext, caseId: string, t: T) {
  const found = await withTenant(appDb(), ctx.scope, async (trx) => {
    const kase = await getCase(trx, ctx, caseId);
    const open = kase.tasks.filter((task) => task.status === "open");
    const [incidents, candidates, names] = await Promise.all([
      caseIncidents(trx, ctx.org.id, kase.id),
      Promise.all(open.map((task) => taskCandidates(trx, ctx.org.id, { candidateRoleId: task.candidateRole?.id ?? null, candidateUnitId: task.candidateUnit?.id ?? null }))),
      userNames(
        trx,
        kase.events.flatMap((e) => {
          const to = (e.payload as { after?: { assigneeUserId?: unknown } } | null)?.after?.assigneeUserId;
          return typeof to === "string" ? [to] : [];
        }),
      ),
    ]);
    // A cancelled case says when, by whom and why (the page's events stop at 500: then look it up).
    const cancelled =
      kase.status === "cancelled"
        ? (kase.events.findLast((e) => e.type === "cancelled") ??
          (await trx
            .selectFrom("case_events as e")
            .leftJoin("users as u", "u.id", "e.actor_user_id")
            .select(["e.at", "u.name as actorName", "e.payload"])
            .where("e.org_id", "=", ctx.org.id)
            .where("e.case_id", "=", kase.id)
            .where("e.type", "=", "cancelled")
            .orderBy("e.seq", "desc")
            .executeTakeFirst()))
        : undefined;
    return { kase, open, incidents, candidates, names, cancelled };
  }).catch(throwAsHttp);
  const { kase, open, incidents, candidates, names, cancelled } = found;
  const cancelPayload = (cancelled?.payload ?? {}) as { reason?: unknown; byParentCase?: unknown };
  const graph = parseStoredGraph(kase.definition.graph);
  const now = new Date();
  return {
    orgSlug: ctx.org.slug,
    case: {
      id: kase.id,
      reference: kase.reference,
      title: kase.title,
      status: kase.status,
      data: kase.data,
      startedAt: kase.startedAt.toISOString(),
      completedAt: kase.completedAt?.toISOString() ?? null,
      startedByName: kase.startedBy?.name ?? null,
      /** When the case was cancelled (not completed): when, by whom, why, or with which parent case. */
      cancellation:
        kase.status === "cancelled"
          ? {
              at: (cancelled?.at ?? kase.completedAt)?.toISOString() ?? null,
              byName: cancelled?.actorName ?? null,
              reason: typeof cancelPayload.reason === "string" && cancelPayload.reason.trim() ? cancelPayload.reason.trim() : null,
              parentReference: typeof cancelPayload.byParentCase === "string" ? cancelPayload.byParentCase : null,
            }
          : null,
      version: kase.definition.version,
      definitionName_ar: kase.definition.name_ar,
      definitionName_en: kase.definition.name_en,
    },
    openTasks: open.map((task, i) => ({
      id: task.id,
      name_ar: task.name_ar,
      name_en: task.name_en,
      priority: task.priority,
      dueAt: task.dueAt?.toISOString() ?? null,
      overdue: task.dueAt !== null && task.dueAt < now,
      assigneeName: task.assignee?.name ?? null,
      group: task.candidateRole
        ? { ar: task.candidateRole.name_ar, en: task.candidateRole.name_en }
        : task.candidateUnit
          ? { ar: task.candidateUnit.name_ar, en: task.candidateUnit.name_en }
          : null,
      candidates: (candidates[i] ?? []).slice(0, 8).map((c) => c.name),
    })),
    timeline: kase.events
      // A move into a person's step is followed by "step waiting" for it: one line is enough.
      .filter((e) => !(e.type === "token_moved" && ["task", "gate"].includes(graph.nodes.find((n) => n.id === e.nodeId)?.kind ?? "")))
      .map((e): TimelineItem => ({ seq: e.seq, at: e.at.toISOString(), type: e.type, actorName: e.actorName, nodeName: nodeName(graph, e.nodeId), detail: eventDetail(e, names, t) ?? slaEventDetail(e, ctx.prefs, t) })),
    dataLabels: dataLabels(graph),
    comments: kase.comments.map((c) => ({ id: c.id, body: c.body, createdAt: c.createdAt.toISOString(), authorName: c.author.name })),
    incidents: incidents.map((i) => ({
      id: i.id,
      nodeId: i.nodeId,
      nodeName: nodeName(graph, i.nodeId),
      reason: i.reason,
      detail: i.detail,
      dataSnapshot: JSON.stringify(i.dataSnapshot, null, 2),
      status: i.status,
      createdAt: i.createdAt.toISOString(),
      resolvedAt: i.resolvedAt?.toISOString() ?? null,
      resolvedByName: i.resolvedByName,
    })),
    canRetry: ctx.ability.can("update", "Incident"),
    canCancel: (kase.status === "running" || kase.status === "incident") && ctx.ability.can("update", caseSubject({ started_by: kase.startedBy?.id ?? null })),
    canComment: ctx.ability.can("read", "Case"),
  };
}

export type CaseActionResult =
  | { ok: true; intent: "comment" | "retry" | "cancel" }
  | { ok: false; status: number; intent: "cancel"; reason: string; error: string }
  | { ok: false; status: number; intent: "comment"; body: string; error: string }
  | { ok: false; status: number; intent: "retry"; incidentId: string; data: string; error: string };

/** Parses the corrected data of a retry: empty = none; otherwise a JSON object. */
function parseFix(text: string, t: T): { ok: true; value: Record<string, unknown> | undefined } | { ok: false; error: string } {
  if (!text.trim()) return { ok: true, value: undefined };
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === "object" && !Array.isArray(value)) return { ok: true, value: value as Record<string, unknown> };
    return { ok: false, error: t("case.incidents.invalidJson", { detail: "{…}" }) };
  } catch (error) {
    return { ok: false, error: t("case.incidents.invalidJson", { detail: error instanceof Error ? error.message : "" }) };
  }
}

export async function performCaseAction(ctx: OrgContext, caseId: string, form: FormData, t: T): Promise<CaseActionResult> {
  const intent = String(form.get("intent") ?? "");
  const key = String(form.get("idempotencyKey") ?? "") || undefined;
  if (intent === "retry") {
    const incidentId = String(form.get("incidentId") ?? "");
    const text = String(form.get("data") ?? "");
    const fix = parseFix(text, t);
    if (!fix.ok) return { ok: false, status: 400, intent, incidentId, data: text, error: fix.error };
    try {
      await withTenant(appDb(), ctx.scope, (trx) => retryIncident(trx, ctx, incidentId, { data: fix.value, idempotencyKey: key }));
      return { ok: true, intent };
    } catch (error) {
      const failure = actionFailure(error, t, ctx.prefs);
      return { ok: false, status: failure.status, intent, incidentId, data: text, error: failure.conflict ?? failure.formError ?? t("common:errors.server") };
    }
  }
  if (intent === "cancel") return cancel(ctx, caseId, String(form.get("reason") ?? ""), key, t);
  const body = String(form.get("body") ?? "");
  if (!body.trim()) return { ok: false, status: 400, intent: "comment", body, error: t("case.comments.required") };
  if (body.length > 10_000) return { ok: false, status: 400, intent: "comment", body, error: t("case.comments.tooLong") };
  try {
    await withTenant(appDb(), ctx.scope, (trx) =>
      once(trx, { orgId: ctx.org.id, userId: ctx.user.id }, `case.comment:${caseId}`, key, async () => {
        await addComment(trx, ctx, caseId, body);
        return { done: true };
      }),
    );
    return { ok: true, intent: "comment" };
  } catch (error) {
    const failure = actionFailure(error, t, ctx.prefs);
    return { ok: false, status: failure.status, intent: "comment", body, error: failure.formError ?? t("common:errors.server") };
  }
}

async function cancel(ctx: OrgContext, caseId: string, reason: string, key: string | undefined, t: T): Promise<CaseActionResult> {
  if (!reason.trim()) return { ok: false, status: 400, intent: "cancel", reason, error: t("case.cancel.required") };
  if (reason.trim().length > MAX_CANCEL_REASON) return { ok: false, status: 400, intent: "cancel", reason, error: t("case.cancel.tooLong") };
  try {
    await withTenant(appDb(), ctx.scope, (trx) => cancelCase(trx, ctx, caseId, { reason, idempotencyKey: key }));
    return { ok: true, intent: "cancel" };
  } catch (error) {
    const failure = actionFailure(error, t, ctx.prefs);
    return { ok: false, status: failure.status, intent: "cancel", reason, error: failure.conflict ?? failure.formError ?? t("common:errors.server") };
  }
}

// ---------------------------------------------------------------------------
// Start a case

/** The first human step after the start (what the start page announces). */
function firstStep(graph: DefinitionGraph): Localised | null {
  const start = graph.nodes.find((n) => n.kind === "start");
  const seen = new Set<string>();
  let frontier = start ? [start.id] : [];
  while (frontier.length) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const edge of graph.edges.filter((e) => e.source === id)) {
        if (seen.has(edge.target)) continue;
        seen.add(edge.target);
        const node = graph.nodes.find((n) => n.id === edge.target);
        if (node?.kind === "task" || node?.kind === "gate") return node.name;
        next.push(edge.target);
      }
    }
    frontier = next;
  }
  return null;
}

export async function loadStartPage(ctx: OrgContext, key: string) {
  return withTenant(appDb(), ctx.scope, async (trx) => {
    const version = /^[a-z][a-z0-9-]{1,63}$/.test(key) ? await getPublishedVersion(trx, ctx.org.id, key) : undefined;
    const startable = version ? [] : await listStartableDefinitions(trx, ctx);
    const formKey = version ? startFormKey(version.graph) : undefined;
    // The start form as it stands now; the server validates against the same latest version.
    const form = formKey ? await getLatestPublishedVersion(trx, ctx.org.id, { key: formKey }) : undefined;
    return {
      requestedKey: key,
      definition: version ? { key: version.definitionKey, name: version.graph.name, firstStep: firstStep(version.graph) } : null,
      startForm: form
        ? { id: form.id, schema: form.schema, uiSchema: form.ui_schema, translations: form.translations as { ar?: Record<string, string>; en?: Record<string, string> } | null }
        : null,
      /** The flow names a start form that is not published (the start is refused until it is). */
      startFormMissing: Boolean(formKey && !form),
      startable,
    };
  });
}

export type StartResult =
  | { ok: true; caseId: string }
  | {
      ok: false;
      status: number;
      values: { title: string; notes: string };
      fieldErrors: Record<string, string>;
      formError?: string;
      /** The start form's answers as posted (JSON) and its refusals per field. */
      formData?: string | null;
      formErrors?: FormFieldError[];
    };

export async function startCaseFromForm(ctx: OrgContext, form: FormData, t: T): Promise<StartResult> {
  const values = { title: String(form.get("title") ?? "").trim(), notes: String(form.get("notes") ?? "").trim() };
  const definitionKey = String(form.get("definition") ?? "");
  const key = String(form.get("idempotencyKey") ?? "") || undefined;
  const posted = form.get("data");
  const formData = typeof posted === "string" ? posted : null;
  let answers: unknown = {};
  if (formData !== null) {
    try {
      answers = JSON.parse(formData);
    } catch {
      return { ok: false, status: 400, values, fieldErrors: {}, formError: t("common:errors.invalid"), formData };
    }
  }
  const fieldErrors: Record<string, string> = {};
  if (!values.title) fieldErrors.title = t("common:required");
  else if (values.title.length > 200) fieldErrors.title = t("common:errors.invalid");
  if (values.notes.length > 5000) fieldErrors.notes = t("task.errors.tooLong");
  if (Object.keys(fieldErrors).length) return { ok: false, status: 400, values, fieldErrors, formData };
  try {
    const started = await withTenant(appDb(), ctx.scope, (trx) =>
      // The notes become the case's first comment; one key covers both (a double click starts one case).
      once(trx, { orgId: ctx.org.id, userId: ctx.user.id }, `case.start:${definitionKey}`, key, async () => {
        const result = await startCase(trx, ctx, { definitionKey, data: answers, title: values.title });
        if (values.notes) await addComment(trx, ctx, result.caseId, values.notes);
        return { caseId: result.caseId };
      }),
    );
    return { ok: true, caseId: started.caseId };
  } catch (error) {
    if (error instanceof NotFoundError) return { ok: false, status: 404, values, fieldErrors: {}, formError: t("case.start.notStartable"), formData };
    const refused = formRefusal(error, ctx.locale, t);
    if (refused) return { ok: false, status: 400, values, fieldErrors: {}, formData, ...refused };
    const failure = actionFailure(error, t, ctx.prefs);
    return { ok: false, status: failure.status, values, fieldErrors: failure.fieldErrors, formError: failure.conflict ?? failure.formError, formData };
  }
}
