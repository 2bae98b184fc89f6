import type { CaseEventView } from "~/models/case-events.server";
import type { CaseDetail, CaseTaskView } from "~/models/cases.server";
import type { InboxRow } from "~/models/tasks.server";
import type { DefinitionDetail, DefinitionListRow, VersionSummary } from "~/models/workflow-definitions.server";

// The workflow API's JSON (camelCase, stable); app/utils/openapi-workflow.ts describes
// exactly these shapes.

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function definitionJson(row: Pick<DefinitionListRow, "key" | "name_ar" | "name_en" | "archivedAt" | "latestVersion" | "hasDraft"> & { createdAt?: Date }) {
  return {
    key: row.key,
    nameAr: row.name_ar,
    nameEn: row.name_en,
    archived: row.archivedAt !== null,
    latestVersion: row.latestVersion,
    hasDraft: row.hasDraft,
    createdAt: iso(row.createdAt),
  };
}

export function versionJson(v: Pick<VersionSummary, "version" | "status" | "createdAt" | "publishedAt" | "changeNote">) {
  return { version: v.version, status: v.status, createdAt: v.createdAt.toISOString(), publishedAt: iso(v.publishedAt), changeNote: v.changeNote };
}

export function definitionDetailJson(d: DefinitionDetail) {
  const latest = d.versions.filter((v) => v.status === "published" && v.version !== null).map((v) => v.version!);
  return {
    ...definitionJson({
      key: d.key,
      name_ar: d.name_ar,
      name_en: d.name_en,
      archivedAt: d.archivedAt,
      latestVersion: latest.length ? Math.max(...latest) : null,
      hasDraft: d.draft !== null,
      createdAt: d.createdAt,
    }),
    versions: d.versions.map(versionJson),
  };
}

type Ref = { id: string; name: string } | null;

export function taskJson(t: Pick<CaseTaskView, "id" | "nodeId" | "kind" | "name_ar" | "name_en" | "status" | "priority" | "dueAt" | "createdAt" | "outcome" | "completedAt"> & { assignee: Ref }, kase: { id: string; reference: string; title: string | null }) {
  return {
    id: t.id,
    caseId: kase.id,
    caseReference: kase.reference,
    caseTitle: kase.title,
    nodeId: t.nodeId,
    kind: t.kind,
    nameAr: t.name_ar,
    nameEn: t.name_en,
    status: t.status,
    priority: t.priority,
    dueAt: iso(t.dueAt),
    createdAt: t.createdAt.toISOString(),
    assignee: t.assignee,
    outcome: t.outcome,
    completedAt: iso(t.completedAt),
  };
}

export function inboxTaskJson(r: InboxRow) {
  return taskJson(
    { ...r, status: "open", outcome: null, completedAt: null, assignee: r.assigneeUserId ? { id: r.assigneeUserId, name: r.assigneeName ?? "" } : null },
    { id: r.caseId, reference: r.caseReference, title: r.caseTitle },
  );
}

export function caseSummaryJson(c: { id: string; reference: string; title: string | null; status: string; definitionKey: string; version: number | null; startedAt: Date; completedAt: Date | null }) {
  return {
    id: c.id,
    reference: c.reference,
    title: c.title,
    status: c.status,
    definitionKey: c.definitionKey,
    version: c.version ?? 0,
    startedAt: c.startedAt.toISOString(),
    completedAt: iso(c.completedAt),
  };
}

export function caseDetailJson(c: CaseDetail) {
  return {
    ...caseSummaryJson({ ...c, definitionKey: c.definition.key, version: c.definition.version }),
    data: c.data,
    startedBy: c.startedBy,
    openTasks: c.tasks.filter((t) => t.status === "open").map((t) => taskJson(t, c)),
  };
}

export function caseEventJson(e: CaseEventView) {
  return {
    seq: e.seq,
    at: e.at.toISOString(),
    type: e.type,
    nodeId: e.nodeId,
    taskId: e.taskId,
    actor: e.actorUserId ? { id: e.actorUserId, name: e.actorName ?? "" } : null,
    payload: e.payload ?? null,
  };
}
