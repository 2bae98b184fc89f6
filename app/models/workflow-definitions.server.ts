import { sql } from "kysely";
import { recordAudit } from "./audit.server";
import { usableActionTypes } from "./plugin-node-kinds.server";
import { definitionGraph, type DefinitionGraph, type Localised } from "~/engine/definition";
import { parseGraph, type JsonImportIssue } from "~/engine/interchange-json";
import { hasErrors, type Problem } from "~/engine/problems";
import { validateDefinition, type DefinitionRefs } from "~/engine/validate";
import type { AuditActor } from "~/utils/audit-actor.server";
import { accessibleWhere } from "~/utils/casl-sql.server";
import type { Tx } from "~/utils/db.server";
import { likePattern } from "~/utils/paging";
import type { AppAbility } from "~/utils/permissions.server";

// Workflow definition life cycle: one editable draft per definition; publishing validates
// it against the organisation's roles, units, forms and definitions, numbers it and freezes
// it (only drafts are ever updated); a published version can be archived (no new cases)
// and brought back; a new draft can start from any version. Cases pin their version
// (getPublishedVersion in published-versions.server.ts serves the runtime).

/** A draft with only a start, one step and an end, in one lane of the built-in staff role. */
export function blankGraph(key: string, name: Localised): DefinitionGraph {
  return {
    key,
    name,
    direction: "rtl",
    lanes: [{ id: "lane_1", name: { ar: "الموظفون", en: "Staff" }, assignee: { type: "role", roleKey: "staff" } }],
    nodes: [
      { id: "start", kind: "start", name: { ar: "البداية", en: "Start" }, lane: "lane_1", position: { x: 620, y: 82 } },
      { id: "task_1", kind: "task", name: { ar: "الخطوة الأولى", en: "First step" }, lane: "lane_1", position: { x: 440, y: 60 } },
      { id: "end", kind: "end", name: { ar: "النهاية", en: "End" }, lane: "lane_1", position: { x: 300, y: 82 } },
    ],
    edges: [
      { id: "flow_1", source: "start", target: "task_1" },
      { id: "flow_2", source: "task_1", target: "end" },
    ],
  };
}

export type CreateDefinitionResult = { ok: true; definitionId: string; versionId: string } | { ok: false; reason: "key_taken" | "key_mismatch" };

/** Creates a definition with its first draft (the given graph, or a blank one). */
export async function createDefinition(
  trx: Tx,
  actor: AuditActor,
  input: { key: string; name: Localised; graph?: DefinitionGraph; source?: "json" | "bpmn" },
): Promise<CreateDefinitionResult> {
  const graph = input.graph ?? blankGraph(input.key, input.name);
  if (graph.key !== input.key) return { ok: false, reason: "key_mismatch" };
  const def = await trx
    .insertInto("workflow_definitions")
    .values({ org_id: actor.orgId, key: input.key, name_ar: input.name.ar, name_en: input.name.en || input.name.ar, created_by: actor.actorUserId })
    .onConflict((oc) => oc.columns(["org_id", "key"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!def) return { ok: false, reason: "key_taken" };
  const version = await trx
    .insertInto("workflow_versions")
    .values({ org_id: actor.orgId, definition_id: def.id, status: "draft", graph: JSON.stringify(graph), created_by: actor.actorUserId })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    ...actor,
    action: "definition.create",
    subjectType: "Definition",
    subjectId: def.id,
    after: { key: input.key, name: input.name, ...(input.source ? { importedFrom: input.source } : {}), nodes: graph.nodes.length },
  });
  return { ok: true, definitionId: def.id, versionId: version.id };
}

/** What publishing checks against: the organisation's roles, units, forms and definitions. */
export async function loadRefs(trx: Tx, orgId: string): Promise<{ refs: DefinitionRefs; formsAvailable: boolean }> {
  const [roles, units, defs] = await Promise.all([
    trx.selectFrom("roles").select("key").where("org_id", "=", orgId).execute(),
    trx.selectFrom("org_units").select("code").where("org_id", "=", orgId).execute(),
    trx.selectFrom("workflow_definitions").select("key").where("org_id", "=", orgId).where("archived_at", "is", null).execute(),
  ]);
  // Forms are a separate module; where its table is absent, form references are only warned about.
  const table = await sql<{ t: string | null }>`SELECT to_regclass('form_definitions')::text AS t`.execute(trx);
  const formsAvailable = Boolean(table.rows[0]?.t);
  const forms = formsAvailable
    ? new Set((await trx.selectFrom("form_definitions").select("key").where("org_id", "=", orgId).where("archived_at", "is", null).execute()).map((f) => f.key))
    : undefined;
  const roleKeys = new Set(roles.map((r) => r.key));
  const unitCodes = new Set(units.map((u) => u.code));
  const defKeys = new Set(defs.map((d) => d.key));
  const actionTypes = await usableActionTypes(trx, orgId);
  return {
    formsAvailable,
    refs: {
      roleExists: (k) => roleKeys.has(k),
      unitExists: (c) => unitCodes.has(c),
      definitionExists: (k) => defKeys.has(k),
      // Only node kinds of plugins this organisation enabled (plugin-node-kinds.server.ts).
      actionTypeExists: (t) => actionTypes.has(t),
      ...(forms ? { formExists: (k: string) => forms.has(k) } : {}),
    },
  };
}

/** Structural and reference problems of a graph, as publishing would see them. */
export async function checkGraph(trx: Tx, orgId: string, graph: DefinitionGraph): Promise<Problem[]> {
  const { refs, formsAvailable } = await loadRefs(trx, orgId);
  const problems = validateDefinition(graph, refs);
  if (!formsAvailable) {
    for (const node of graph.nodes) {
      if (node.kind === "task" && node.form) problems.push({ code: "form_missing", severity: "warning", nodeId: node.id, params: { node: node.id, form: node.form } });
    }
  }
  return problems;
}

export type SaveDraftResult =
  | { ok: true; lockVersion: number; problems: Problem[] }
  | { ok: false; reason: "invalid"; issues: JsonImportIssue[] }
  | { ok: false; reason: "key_mismatch"; key: string }
  | { ok: false; reason: "no_draft" }
  | { ok: false; reason: "stale"; lockVersion: number; updatedAt: Date; updatedBy: string | null };

/**
 * Replaces the draft's graph when the caller saw the current lock version; a stale save
 * changes nothing and says who saved in between and when. Structural problems do not stop
 * a save (drafts may be unfinished) — they are returned, and publishing refuses them.
 */
export async function saveDraft(trx: Tx, actor: AuditActor, definitionId: string, graph: unknown, expectedLockVersion: number, locale: "ar" | "en" = "ar"): Promise<SaveDraftResult> {
  const parsed = parseGraph(graph, locale);
  if (!parsed.ok) return { ok: false, reason: "invalid", issues: parsed.issues };
  const def = await trx.selectFrom("workflow_definitions").select("key").where("org_id", "=", actor.orgId).where("id", "=", definitionId).executeTakeFirst();
  if (!def) return { ok: false, reason: "no_draft" };
  if (parsed.graph.key !== def.key) return { ok: false, reason: "key_mismatch", key: def.key };
  const updated = await trx
    .updateTable("workflow_versions")
    .set({ graph: JSON.stringify(parsed.graph), lock_version: sql`lock_version + 1`, updated_at: sql`now()` })
    .where("org_id", "=", actor.orgId)
    .where("definition_id", "=", definitionId)
    .where("status", "=", "draft")
    .where("lock_version", "=", expectedLockVersion)
    .returning(["id", "lock_version"])
    .executeTakeFirst();
  if (!updated) {
    const current = await trx
      .selectFrom("workflow_versions")
      .select(["lock_version", "updated_at", "created_by"])
      .where("org_id", "=", actor.orgId)
      .where("definition_id", "=", definitionId)
      .where("status", "=", "draft")
      .executeTakeFirst();
    if (!current) return { ok: false, reason: "no_draft" };
    return { ok: false, reason: "stale", lockVersion: current.lock_version, updatedAt: current.updated_at, updatedBy: await lastEditor(trx, actor.orgId, definitionId) };
  }
  await recordAudit(trx, {
    ...actor,
    action: "definition.draft_save",
    subjectType: "Definition",
    subjectId: definitionId,
    before: { lockVersion: expectedLockVersion },
    after: { lockVersion: updated.lock_version, nodes: parsed.graph.nodes.length, edges: parsed.graph.edges.length },
  });
  return { ok: true, lockVersion: updated.lock_version, problems: await checkGraph(trx, actor.orgId, parsed.graph) };
}

/** Who saved the draft last (from the audit log; drafts keep no editor column). */
async function lastEditor(trx: Tx, orgId: string, definitionId: string): Promise<string | null> {
  const row = await trx
    .selectFrom("audit_log as a")
    .leftJoin("users as u", "u.id", "a.actor_user_id")
    .select(["u.name", "a.actor_label"])
    .where("a.org_id", "=", orgId)
    .where("a.subject_type", "=", "Definition")
    .where("a.subject_id", "=", definitionId)
    .where("a.action", "in", ["definition.draft_save", "definition.draft_create", "definition.create"])
    .orderBy("a.seq", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.name ?? row?.actor_label ?? null;
}

export type PublishResult =
  | { ok: true; versionId: string; version: number; problems: Problem[] }
  | { ok: false; reason: "no_draft" }
  | { ok: false; reason: "stale"; lockVersion: number }
  | { ok: false; reason: "invalid"; problems: Problem[] };

/**
 * Publishes the draft as the next numbered version. Refused while validation finds errors
 * (warnings are returned and do not block). With expectedLockVersion, a draft saved by
 * someone else since the page was loaded is not published unseen.
 */
export async function publish(trx: Tx, actor: AuditActor, definitionId: string, changeNote: string, expectedLockVersion?: number): Promise<PublishResult> {
  // The definition row lock serialises publishes of one definition (numbering).
  const def = await trx.selectFrom("workflow_definitions").select("id").where("org_id", "=", actor.orgId).where("id", "=", definitionId).forUpdate().executeTakeFirst();
  if (!def) return { ok: false, reason: "no_draft" };
  const draft = await trx
    .selectFrom("workflow_versions")
    .select(["id", "graph", "lock_version"])
    .where("org_id", "=", actor.orgId)
    .where("definition_id", "=", definitionId)
    .where("status", "=", "draft")
    .forUpdate()
    .executeTakeFirst();
  if (!draft) return { ok: false, reason: "no_draft" };
  if (expectedLockVersion !== undefined && draft.lock_version !== expectedLockVersion) return { ok: false, reason: "stale", lockVersion: draft.lock_version };
  const parsed = definitionGraph.safeParse(draft.graph);
  const problems = parsed.success ? await checkGraph(trx, actor.orgId, parsed.data) : validateDefinition(draft.graph);
  if (!parsed.success || hasErrors(problems)) return { ok: false, reason: "invalid", problems };
  const last = await trx
    .selectFrom("workflow_versions")
    .select(sql<number | null>`max(version)`.as("n"))
    .where("org_id", "=", actor.orgId)
    .where("definition_id", "=", definitionId)
    .executeTakeFirstOrThrow();
  const version = (last.n ?? 0) + 1;
  const note = changeNote.trim().slice(0, 1000) || null;
  await trx
    .updateTable("workflow_versions")
    .set({ status: "published", version, change_note: note, published_by: actor.actorUserId, published_at: sql`now()`, updated_at: sql`now()` })
    .where("org_id", "=", actor.orgId)
    .where("id", "=", draft.id)
    .execute();
  // The list shows the name of the newest published version.
  await trx
    .updateTable("workflow_definitions")
    .set({ name_ar: parsed.data.name.ar || parsed.data.key, name_en: parsed.data.name.en || parsed.data.name.ar || parsed.data.key })
    .where("org_id", "=", actor.orgId)
    .where("id", "=", definitionId)
    .execute();
  await recordAudit(trx, { ...actor, action: "definition.publish", subjectType: "Definition", subjectId: definitionId, after: { versionId: draft.id, version, changeNote: note } });
  return { ok: true, versionId: draft.id, version, problems };
}

export type NewDraftResult = { ok: true; versionId: string } | { ok: false; reason: "draft_exists" | "not_found" };

/** Starts a new draft from a published or archived version (there is at most one draft). */
export async function createDraftFrom(trx: Tx, actor: AuditActor, definitionId: string, fromVersionId: string): Promise<NewDraftResult> {
  const from = await trx
    .selectFrom("workflow_versions")
    .select(["graph", "version", "status"])
    .where("org_id", "=", actor.orgId)
    .where("definition_id", "=", definitionId)
    .where("id", "=", fromVersionId)
    .executeTakeFirst();
  if (!from || from.status === "draft") return { ok: false, reason: "not_found" };
  const inserted = await trx
    .insertInto("workflow_versions")
    .values({ org_id: actor.orgId, definition_id: definitionId, status: "draft", graph: JSON.stringify(from.graph), created_by: actor.actorUserId })
    .onConflict((oc) => oc.columns(["org_id", "definition_id"]).where("status", "=", "draft").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!inserted) return { ok: false, reason: "draft_exists" };
  await recordAudit(trx, { ...actor, action: "definition.draft_create", subjectType: "Definition", subjectId: definitionId, after: { fromVersion: from.version, versionId: inserted.id } });
  return { ok: true, versionId: inserted.id };
}

/** Throws the draft away (published versions are untouched). */
export async function discardDraft(trx: Tx, actor: AuditActor, definitionId: string): Promise<boolean> {
  const gone = await trx
    .deleteFrom("workflow_versions")
    .where("org_id", "=", actor.orgId)
    .where("definition_id", "=", definitionId)
    .where("status", "=", "draft")
    .returning(["id", "lock_version"])
    .executeTakeFirst();
  if (!gone) return false;
  await recordAudit(trx, { ...actor, action: "definition.draft_discard", subjectType: "Definition", subjectId: definitionId, before: { versionId: gone.id, lockVersion: gone.lock_version } });
  return true;
}

/**
 * Archives a published version (no new cases start on it; running cases carry on) or
 * brings an archived one back. Returns false when the version is not in the expected state.
 */
export async function setVersionArchived(trx: Tx, actor: AuditActor, definitionId: string, versionId: string, archived: boolean): Promise<boolean> {
  const [from, to] = archived ? (["published", "archived"] as const) : (["archived", "published"] as const);
  const row = await trx
    .updateTable("workflow_versions")
    .set({ status: to, updated_at: sql`now()` })
    .where("org_id", "=", actor.orgId)
    .where("definition_id", "=", definitionId)
    .where("id", "=", versionId)
    .where("status", "=", from)
    .returning("version")
    .executeTakeFirst();
  if (!row) return false;
  await recordAudit(trx, {
    ...actor,
    action: archived ? "definition.archive" : "definition.unarchive",
    subjectType: "Definition",
    subjectId: definitionId,
    before: { versionId, status: from },
    after: { versionId, version: row.version, status: to },
  });
  return true;
}

/** Archives (or restores) a whole definition: it leaves the list of startable workflows. */
export async function setDefinitionArchived(trx: Tx, actor: AuditActor, definitionId: string, archived: boolean): Promise<boolean> {
  const row = await trx
    .updateTable("workflow_definitions")
    .set({ archived_at: archived ? sql`now()` : null })
    .where("org_id", "=", actor.orgId)
    .where("id", "=", definitionId)
    .where("archived_at", archived ? "is" : "is not", null)
    .returning("key")
    .executeTakeFirst();
  if (!row) return false;
  await recordAudit(trx, {
    ...actor,
    action: archived ? "definition.archive" : "definition.unarchive",
    subjectType: "Definition",
    subjectId: definitionId,
    before: { archived: !archived },
    after: { key: row.key, archived },
  });
  return true;
}

export interface DefinitionListRow {
  id: string;
  key: string;
  name_ar: string;
  name_en: string;
  archivedAt: Date | null;
  latestVersion: number | null;
  latestPublishedAt: Date | null;
  hasDraft: boolean;
  draftUpdatedAt: Date | null;
}

/** One page of the organisation's definitions the actor may read, searched by key or name. */
export async function listDefinitions(
  trx: Tx,
  input: { orgId: string; ability: AppAbility; q: string; limit: number; offset: number },
): Promise<{ rows: DefinitionListRow[]; total: number }> {
  const pattern = likePattern(input.q);
  const base = trx
    .selectFrom("workflow_definitions as d")
    .where("d.org_id", "=", input.orgId)
    .where(accessibleWhere(input.ability, "read", "Definition", {}))
    .$if(input.q !== "", (qb) => qb.where((eb) => eb.or([eb("d.key", "ilike", pattern), eb("d.name_ar", "ilike", pattern), eb("d.name_en", "ilike", pattern)])));
  const count = await base.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
  const rows = await base
    .select((eb) => [
      "d.id",
      "d.key",
      "d.name_ar",
      "d.name_en",
      "d.archived_at",
      eb
        .selectFrom("workflow_versions as v")
        .select(sql<number>`max(v.version)`.as("n"))
        .whereRef("v.org_id", "=", "d.org_id")
        .whereRef("v.definition_id", "=", "d.id")
        .where("v.status", "=", "published")
        .as("latest_version"),
      eb
        .selectFrom("workflow_versions as v")
        .select(sql<Date>`max(v.published_at)`.as("at"))
        .whereRef("v.org_id", "=", "d.org_id")
        .whereRef("v.definition_id", "=", "d.id")
        .where("v.status", "=", "published")
        .as("latest_published_at"),
      eb
        .selectFrom("workflow_versions as v")
        .select("v.updated_at")
        .whereRef("v.org_id", "=", "d.org_id")
        .whereRef("v.definition_id", "=", "d.id")
        .where("v.status", "=", "draft")
        .as("draft_updated_at"),
    ])
    .orderBy(sql`d.archived_at IS NOT NULL`)
    .orderBy("d.name_ar")
    .orderBy("d.id")
    .limit(input.limit)
    .offset(input.offset)
    .execute();
  return {
    total: count.n,
    rows: rows.map((r) => ({
      id: r.id,
      key: r.key,
      name_ar: r.name_ar,
      name_en: r.name_en,
      archivedAt: r.archived_at,
      latestVersion: r.latest_version ?? null,
      latestPublishedAt: r.latest_published_at ?? null,
      hasDraft: r.draft_updated_at !== null && r.draft_updated_at !== undefined,
      draftUpdatedAt: r.draft_updated_at ?? null,
    })),
  };
}

export interface VersionSummary {
  id: string;
  version: number | null;
  status: "draft" | "published" | "archived";
  changeNote: string | null;
  createdAt: Date;
  createdByName: string | null;
  updatedAt: Date;
  publishedAt: Date | null;
  publishedByName: string | null;
  lockVersion: number;
  /** Cases still running (or stuck in an incident) on this version. */
  activeCases: number;
}

export interface DefinitionDetail {
  id: string;
  key: string;
  name_ar: string;
  name_en: string;
  archivedAt: Date | null;
  createdAt: Date;
  versions: VersionSummary[];
  draft: { id: string; lockVersion: number; updatedAt: Date; graph: DefinitionGraph } | null;
}

export async function getDefinition(trx: Tx, orgId: string, definitionId: string): Promise<DefinitionDetail | undefined> {
  const def = await trx.selectFrom("workflow_definitions").selectAll().where("org_id", "=", orgId).where("id", "=", definitionId).executeTakeFirst();
  if (!def) return undefined;
  const versions = await trx
    .selectFrom("workflow_versions as v")
    .leftJoin("users as cu", "cu.id", "v.created_by")
    .leftJoin("users as pu", "pu.id", "v.published_by")
    .select((eb) => [
      "v.id",
      "v.version",
      "v.status",
      "v.change_note",
      "v.created_at",
      "v.updated_at",
      "v.published_at",
      "v.lock_version",
      "cu.name as created_by_name",
      "pu.name as published_by_name",
      eb
        .selectFrom("cases as c")
        .select(sql<number>`count(*)::int`.as("n"))
        .whereRef("c.org_id", "=", "v.org_id")
        .whereRef("c.version_id", "=", "v.id")
        .where("c.status", "in", ["running", "incident"])
        .as("active_cases"),
    ])
    .where("v.org_id", "=", orgId)
    .where("v.definition_id", "=", definitionId)
    .orderBy(sql`v.version IS NULL`, "desc")
    .orderBy("v.version", "desc")
    .execute();
  const draftRow = versions.find((v) => v.status === "draft");
  const draftGraph = draftRow
    ? await trx.selectFrom("workflow_versions").select("graph").where("org_id", "=", orgId).where("id", "=", draftRow.id).executeTakeFirstOrThrow()
    : undefined;
  return {
    id: def.id,
    key: def.key,
    name_ar: def.name_ar,
    name_en: def.name_en,
    archivedAt: def.archived_at,
    createdAt: def.created_at,
    versions: versions.map((v) => ({
      id: v.id,
      version: v.version,
      status: v.status,
      changeNote: v.change_note,
      createdAt: v.created_at,
      createdByName: v.created_by_name,
      updatedAt: v.updated_at,
      publishedAt: v.published_at,
      publishedByName: v.published_by_name,
      lockVersion: v.lock_version,
      activeCases: v.active_cases ?? 0,
    })),
    draft: draftRow && draftGraph ? { id: draftRow.id, lockVersion: draftRow.lock_version, updatedAt: draftRow.updated_at, graph: definitionGraph.parse(draftGraph.graph) } : null,
  };
}

/** One version's graph and status (any status), for export and migration. */
export async function getVersion(trx: Tx, orgId: string, definitionId: string, versionId: string) {
  const row = await trx
    .selectFrom("workflow_versions")
    .select(["id", "version", "status", "graph", "change_note", "published_at"])
    .where("org_id", "=", orgId)
    .where("definition_id", "=", definitionId)
    .where("id", "=", versionId)
    .executeTakeFirst();
  if (!row) return undefined;
  return { id: row.id, version: row.version, status: row.status, changeNote: row.change_note, publishedAt: row.published_at, graph: definitionGraph.parse(row.graph) };
}

/** The definition behind a key (the API addresses definitions by key). */
export async function findDefinitionByKey(trx: Tx, orgId: string, key: string) {
  return trx.selectFrom("workflow_definitions").select(["id", "key"]).where("org_id", "=", orgId).where("key", "=", key).executeTakeFirst();
}
