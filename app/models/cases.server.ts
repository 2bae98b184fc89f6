import type { DefinitionGraph } from "~/engine/definition";
import type { CaseData, CaseState } from "~/engine/runtime-types";
import type { Tx } from "~/utils/db.server";
import type { CaseStatus } from "~/utils/db-types";
import { likePattern } from "~/utils/paging";
import { accessibleWhere } from "~/utils/casl-sql.server";
import { caseSubject, isUuid, memberRoleIds, requireCan, taskActions, type CaseActor, type TaskActions } from "./case-access.server";
import { NotFoundError, ValidationError } from "./case-errors";
import { selectCaseEvents, verifyCaseEvents, type CaseChainCheck, type CaseEventView } from "./case-events.server";
import { CaseRun, type CreatedTask } from "./case-runner.server";
import { once } from "./idempotency.server";
import { assertPluginNodeKindsEnabled } from "./plugin-node-kinds.server";
import { getPublishedVersion } from "./published-versions.server";
import { attachFiles, STANDALONE } from "./files.server";
import { checkCaseDataSize, validateStepData } from "./step-data.server";

// The case service: start, read, comment. Each exported function runs inside the caller's
// withTenant transaction (one user action = one transaction) and throws the typed errors
// of case-errors.ts.

export interface StartCaseInput {
  definitionKey: string;
  /** A published version number; absent = the latest published version. */
  version?: number;
  data: unknown;
  title?: string | null;
  idempotencyKey?: string;
}

export interface StartCaseResult {
  caseId: string;
  reference: string;
  status: CaseStatus;
  /** Tasks created by this start (the first human steps), including those of sub-cases. */
  tasks: CreatedTask[];
}

/** The start node's form key, if the flow asks one when a case starts. */
export function startFormKey(graph: DefinitionGraph): string | undefined {
  const start = graph.nodes.find((n) => n.kind === "start");
  return start?.kind === "start" ? start.form : undefined;
}

export async function startCase(trx: Tx, actor: CaseActor, input: StartCaseInput): Promise<StartCaseResult> {
  requireCan(actor, "create", "Case");
  const orgId = actor.org.id;
  return once(trx, { orgId, userId: actor.user.id }, `case.start:${input.definitionKey}`, input.idempotencyKey, () =>
    startCaseBy(trx, { orgId, userId: actor.user.id, locale: actor.locale }, input),
  );
}

/**
 * A case started by nobody in the organisation: the public portal (ADR 010). No permission
 * check (the caller decided the flow may be started publicly), started_by stays null, and
 * the start form accepts no file (there is no uploader to own one).
 */
export function startCaseFromPortal(trx: Tx, orgId: string, locale: "ar" | "en", input: Omit<StartCaseInput, "idempotencyKey">): Promise<StartCaseResult> {
  return startCaseBy(trx, { orgId, userId: null, locale }, input);
}

/**
 * What a portal start would refuse, without starting anything: the flow is not published
 * or not startable (NotFoundError, PluginDisabledError), or the start form refuses the data
 * (ValidationError, every field at once). Lets the portal answer all refusals in one round.
 */
export async function checkStartFromPortal(trx: Tx, orgId: string, locale: "ar" | "en", input: Omit<StartCaseInput, "idempotencyKey">): Promise<void> {
  await checkedStart(trx, { orgId, userId: null, locale }, input);
}

/** The published version and the validated first data of a start, or the typed refusal. */
async function checkedStart(trx: Tx, starter: { orgId: string; userId: string | null; locale?: "ar" | "en" }, input: StartCaseInput) {
  const { orgId, userId } = starter;
  const title = input.title?.trim() || null;
  if (title && title.length > 500) throw new ValidationError([{ path: "title", code: "too_long", message: "title is longer than 500 characters" }]);
  const version = await getPublishedVersion(trx, orgId, input.definitionKey, input.version);
  if (!version) throw new NotFoundError("Definition", input.version ? `${input.definitionKey} v${input.version}` : input.definitionKey);
  // Refused, not started into an incident: a step of a plugin this organisation has not enabled.
  await assertPluginNodeKindsEnabled(trx, orgId, version.graph);
  // The start form (if the flow has one) validates the first data; files must be the starter's own uploads.
  const startForm = startFormKey(version.graph);
  const files = userId ? { userId, context: STANDALONE } : undefined;
  const checked = await validateStepData(startForm, input.data ?? {}, { trx, orgId, locale: starter.locale, files });
  if (!checked.ok) throw new ValidationError(checked.issues);
  return { title, version, startForm, checked };
}

async function startCaseBy(trx: Tx, starter: { orgId: string; userId: string | null; locale?: "ar" | "en" }, input: StartCaseInput): Promise<StartCaseResult> {
  const { orgId, userId } = starter;
  const { title, version, startForm, checked } = await checkedStart(trx, starter, input);
  const run = new CaseRun(trx, orgId, userId);
  const pinned = startForm && checked.formVersionId ? { [startForm]: checked.formVersionId } : undefined;
  const kase = await run.startCase({ version, data: checked.data, title, formVersions: pinned });
  await run.flush();
  if (checked.files?.length) await attachFiles(trx, orgId, checked.files, `case:${kase.id}`);
  return { caseId: kase.id, reference: kase.reference, status: kase.state.status, tasks: run.createdTasks };
}

function caseRowQuery(trx: Tx, orgId: string) {
  return trx
    .selectFrom("cases as c")
    .innerJoin("workflow_versions as v", (j) => j.onRef("v.org_id", "=", "c.org_id").onRef("v.id", "=", "c.version_id"))
    .innerJoin("workflow_definitions as d", (j) => j.onRef("d.org_id", "=", "c.org_id").onRef("d.id", "=", "c.definition_id"))
    .leftJoin("users as su", "su.id", "c.started_by")
    .leftJoin("cases as pc", (j) => j.onRef("pc.org_id", "=", "c.org_id").onRef("pc.id", "=", "c.parent_case_id"))
    .where("c.org_id", "=", orgId);
}

/** A case by id or by reference ("2026-000123"), or NotFoundError. Checks read Case. */
async function readableCase(trx: Tx, actor: CaseActor, idOrReference: string) {
  const q = caseRowQuery(trx, actor.org.id).select([
    "c.id",
    "c.reference",
    "c.title",
    "c.status",
    "c.data",
    "c.state",
    "c.form_versions as formVersions",
    "c.started_by",
    "c.started_at as startedAt",
    "c.completed_at as completedAt",
    "c.row_version as rowVersion",
    "c.parent_case_id as parentCaseId",
    "pc.reference as parentReference",
    "su.name as startedByName",
    "v.id as versionId",
    "v.version",
    "v.graph",
    "d.key as definitionKey",
    "d.name_ar as definitionName_ar",
    "d.name_en as definitionName_en",
  ]);
  const row = isUuid(idOrReference)
    ? await q.where("c.id", "=", idOrReference).executeTakeFirst()
    : /^\d{4}-\d{6,}$/.test(idOrReference)
      ? await q.where("c.reference", "=", idOrReference).executeTakeFirst()
      : undefined;
  // Not readable looks exactly like not there: nothing about the case leaks.
  if (!row || !actor.ability.can("read", caseSubject(row))) throw new NotFoundError("Case", idOrReference);
  return row;
}

export interface CaseTaskView {
  id: string;
  nodeId: string;
  tokenId: string;
  kind: "task" | "gate";
  name_ar: string;
  name_en: string;
  status: "open" | "completed" | "cancelled";
  priority: "low" | "normal" | "high" | "urgent";
  dueAt: Date | null;
  createdAt: Date;
  claimedAt: Date | null;
  completedAt: Date | null;
  outcome: string | null;
  rowVersion: number;
  assignee: { id: string; name: string } | null;
  completedBy: { id: string; name: string } | null;
  candidateRole: { id: string; key: string; name_ar: string; name_en: string } | null;
  candidateUnit: { id: string; code: string; name_ar: string; name_en: string } | null;
  /** What the reading member may do with it now. */
  actions: TaskActions;
}

export interface CaseDetail {
  id: string;
  reference: string;
  title: string | null;
  status: CaseStatus;
  data: CaseData;
  state: CaseState;
  /** Form key → the form version the case's steps use. */
  formVersions: Record<string, string>;
  rowVersion: number;
  startedAt: Date;
  completedAt: Date | null;
  startedBy: { id: string; name: string } | null;
  parent: { id: string; reference: string } | null;
  definition: { key: string; name_ar: string; name_en: string; version: number; versionId: string; graph: unknown };
  tasks: CaseTaskView[];
  incidents: { id: string; tokenId: string; nodeId: string; reason: string; detail: string; status: "open" | "resolved"; createdAt: Date; resolvedAt: Date | null }[];
  comments: { id: string; body: string; createdAt: Date; author: { id: string; name: string } }[];
  /** The timeline, oldest first (the first 500 events; page on with listCaseEvents). */
  events: CaseEventView[];
  children: { id: string; reference: string; status: CaseStatus }[];
}

/** Everything the case page shows. NotFoundError when missing or not readable. */
export async function getCase(trx: Tx, actor: CaseActor, idOrReference: string): Promise<CaseDetail> {
  const row = await readableCase(trx, actor, idOrReference);
  const orgId = actor.org.id;
  const [tasks, roleIds, incidents, comments, events, children] = await Promise.all([
    trx
      .selectFrom("tasks as t")
      .leftJoin("users as au", "au.id", "t.assignee_user_id")
      .leftJoin("users as cu", "cu.id", "t.completed_by")
      .leftJoin("roles as r", (j) => j.onRef("r.org_id", "=", "t.org_id").onRef("r.id", "=", "t.candidate_role_id"))
      .leftJoin("org_units as u", (j) => j.onRef("u.org_id", "=", "t.org_id").onRef("u.id", "=", "t.candidate_unit_id"))
      .where("t.org_id", "=", orgId)
      .where("t.case_id", "=", row.id)
      .select([
        "t.id", "t.node_id", "t.token_id", "t.kind", "t.name_ar", "t.name_en", "t.status", "t.priority", "t.due_at", "t.created_at",
        "t.claimed_at", "t.completed_at", "t.outcome", "t.row_version", "t.assignee_user_id", "t.candidate_role_id", "t.candidate_unit_id",
        "t.completed_by", "au.name as assigneeName", "cu.name as completedByName",
        "r.key as roleKey", "r.name_ar as roleName_ar", "r.name_en as roleName_en",
        "u.code as unitCode", "u.name_ar as unitName_ar", "u.name_en as unitName_en",
      ])
      .orderBy("t.created_at")
      .orderBy("t.id")
      .execute(),
    memberRoleIds(trx, orgId, actor.user.id),
    trx
      .selectFrom("incidents")
      .select(["id", "token_id as tokenId", "node_id as nodeId", "reason", "detail", "status", "created_at as createdAt", "resolved_at as resolvedAt"])
      .where("org_id", "=", orgId)
      .where("case_id", "=", row.id)
      .orderBy("created_at", "desc")
      .limit(100)
      .execute(),
    trx
      .selectFrom("case_comments as cc")
      .innerJoin("users as u", "u.id", "cc.author_user_id")
      .select(["cc.id", "cc.body", "cc.created_at as createdAt", "u.id as authorId", "u.name as authorName"])
      .where("cc.org_id", "=", orgId)
      .where("cc.case_id", "=", row.id)
      .orderBy("cc.created_at")
      .limit(500)
      .execute(),
    selectCaseEvents(trx, orgId, row.id, { limit: 500 }),
    trx
      .selectFrom("cases")
      .select(["id", "reference", "status"])
      .where("org_id", "=", orgId)
      .where("parent_case_id", "=", row.id)
      .orderBy("started_at")
      .limit(100)
      .execute(),
  ]);
  return {
    id: row.id,
    reference: row.reference,
    title: row.title,
    status: row.status,
    data: row.data,
    state: row.state as CaseState,
    formVersions: row.formVersions ?? {},
    rowVersion: row.rowVersion,
    startedAt: row.startedAt,
    completedAt: row.completedAt,
    startedBy: row.started_by ? { id: row.started_by, name: row.startedByName ?? "" } : null,
    parent: row.parentCaseId ? { id: row.parentCaseId, reference: row.parentReference ?? "" } : null,
    definition: { key: row.definitionKey, name_ar: row.definitionName_ar, name_en: row.definitionName_en, version: row.version ?? 0, versionId: row.versionId, graph: row.graph },
    tasks: tasks.map((t) => ({
      id: t.id,
      nodeId: t.node_id,
      tokenId: t.token_id,
      kind: t.kind,
      name_ar: t.name_ar,
      name_en: t.name_en,
      status: t.status,
      priority: t.priority,
      dueAt: t.due_at,
      createdAt: t.created_at,
      claimedAt: t.claimed_at,
      completedAt: t.completed_at,
      outcome: t.outcome,
      rowVersion: t.row_version,
      assignee: t.assignee_user_id ? { id: t.assignee_user_id, name: t.assigneeName ?? "" } : null,
      completedBy: t.completed_by ? { id: t.completed_by, name: t.completedByName ?? "" } : null,
      candidateRole: t.candidate_role_id && t.roleKey ? { id: t.candidate_role_id, key: t.roleKey, name_ar: t.roleName_ar ?? "", name_en: t.roleName_en ?? "" } : null,
      candidateUnit: t.candidate_unit_id && t.unitCode ? { id: t.candidate_unit_id, code: t.unitCode, name_ar: t.unitName_ar ?? "", name_en: t.unitName_en ?? "" } : null,
      actions: taskActions(actor, t, roleIds),
    })),
    incidents,
    comments: comments.map((c) => ({ id: c.id, body: c.body, createdAt: c.createdAt, author: { id: c.authorId, name: c.authorName } })),
    events,
    children,
  };
}

/** The timeline from afterSeq on (read Case required). */
export async function listCaseEvents(trx: Tx, actor: CaseActor, idOrReference: string, options: { afterSeq?: number; limit?: number } = {}): Promise<CaseEventView[]> {
  const row = await readableCase(trx, actor, idOrReference);
  return selectCaseEvents(trx, actor.org.id, row.id, options);
}

/** Recomputes the case's event chain (read Case required). */
export async function verifyCase(trx: Tx, actor: CaseActor, idOrReference: string): Promise<CaseChainCheck> {
  const row = await readableCase(trx, actor, idOrReference);
  return verifyCaseEvents(trx, actor.org.id, row.id);
}

export interface CaseListOptions {
  page: number;
  pageSize: number;
  q?: string;
  status?: CaseStatus;
  definitionKey?: string;
}

/** A page of the cases the member may read, newest first. */
export async function listCases(trx: Tx, actor: CaseActor, options: CaseListOptions) {
  const base = caseRowQuery(trx, actor.org.id)
    .where(accessibleWhere(actor.ability, "read", "Case", { startedBy: "c.started_by" }))
    .$if(Boolean(options.status), (qb) => qb.where("c.status", "=", options.status!))
    .$if(Boolean(options.definitionKey), (qb) => qb.where("d.key", "=", options.definitionKey!))
    .$if(Boolean(options.q), (qb) =>
      qb.where((eb) => {
        const p = likePattern(options.q!);
        return eb.or([eb("c.reference", "ilike", p), eb("c.title", "ilike", p)]);
      }),
    );
  const [rows, total] = await Promise.all([
    base
      .select([
        "c.id",
        "c.reference",
        "c.title",
        "c.status",
        "c.started_at as startedAt",
        "c.completed_at as completedAt",
        "su.name as startedByName",
        "d.key as definitionKey",
        "d.name_ar as definitionName_ar",
        "d.name_en as definitionName_en",
        "v.version",
      ])
      .orderBy("c.started_at", "desc")
      .orderBy("c.id")
      .limit(options.pageSize)
      .offset((Math.max(1, options.page) - 1) * options.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** Adds a comment (anyone who may read the case) and records it in the timeline. */
export async function addComment(trx: Tx, actor: CaseActor, idOrReference: string, body: string): Promise<{ id: string; createdAt: Date }> {
  const text = body.trim();
  if (text.length < 1 || text.length > 10_000) throw new ValidationError([{ path: "body", code: "too_long", message: "a comment has 1 to 10000 characters" }]);
  const row = await readableCase(trx, actor, idOrReference);
  const run = new CaseRun(trx, actor.org.id, actor.user.id);
  const kase = await run.lockCase(row.id);
  if (!kase) throw new NotFoundError("Case", idOrReference);
  const comment = await trx
    .insertInto("case_comments")
    .values({ org_id: actor.org.id, case_id: row.id, author_user_id: actor.user.id, body: text, created_at: run.now })
    .returning(["id", "created_at"])
    .executeTakeFirstOrThrow();
  run.event(kase, { type: "comment_added", payload: { commentId: comment.id, body: text } });
  await run.flush();
  return { id: comment.id, createdAt: comment.created_at };
}

/** Exposed for E4's pages: data size after a merge (ValidationError when too big). */
export function assertCaseDataSize(data: CaseData): void {
  const issues = checkCaseDataSize(data);
  if (issues.length) throw new ValidationError(issues);
}
