import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { exportBpmn, importBpmn } from "~/engine/bpmn";
import type { DefinitionGraph } from "~/engine/definition";
import { exportWorkflowJson, importWorkflowJson } from "~/engine/interchange-json";
import { getPublishedVersion } from "~/models/published-versions.server";
import {
  blankGraph,
  createDefinition,
  createDraftFrom,
  getDefinition,
  getVersion,
  listDefinitions,
  publish,
  saveDraft,
  setDefinitionArchived,
  setVersionArchived,
} from "~/models/workflow-definitions.server";
import type { AuditActor } from "~/utils/audit-actor.server";
import { withTenant, type Tx } from "~/utils/db.server";
import { buildAbility } from "~/utils/permissions.server";
import { makeOrg, testDb, type TestOrg } from "./helpers";

const tenant = <T>(t: TestOrg, fn: (trx: Tx) => Promise<T>) => withTenant(testDb(), { orgId: t.org.id, userId: t.admin.id }, fn);
const actorOf = (t: TestOrg): AuditActor => ({ orgId: t.org.id, actorUserId: t.admin.id, actorLabel: t.admin.email, requestId: "req-wf-test", ip: "127.0.0.1" });
const name = { ar: "إصدار شهادة", en: "Issue a certificate" };

async function created(t: TestOrg, key: string, graph?: DefinitionGraph) {
  const result = await tenant(t, (trx) => createDefinition(trx, actorOf(t), { key, name, graph }));
  if (!result.ok) throw new Error(`create failed: ${result.reason}`);
  return result;
}

async function draftOf(t: TestOrg, definitionId: string) {
  const def = await tenant(t, (trx) => getDefinition(trx, t.org.id, definitionId));
  return def!.draft!;
}

/** A decision with a condition but no default edge: structurally invalid. */
function withDecisionWithoutDefault(g: DefinitionGraph): DefinitionGraph {
  return {
    ...g,
    nodes: [...g.nodes, { id: "d1", kind: "decision", name: { ar: "مكتمل؟", en: "Complete?" } }],
    edges: [
      { id: "flow_1", source: "start", target: "task_1" },
      { id: "flow_x", source: "task_1", target: "d1" },
      { id: "flow_y", source: "d1", target: "end", condition: "complete = true" },
      { id: "flow_z", source: "d1", target: "end", condition: "complete = false" },
    ],
  };
}

describe("workflow definition life cycle", () => {
  it("creates a blank draft, publishes it as version 1 and audits both", async () => {
    const t = await makeOrg();
    const { definitionId } = await created(t, "certificate");
    const draft = await draftOf(t, definitionId);
    expect(draft.graph).toEqual(blankGraph("certificate", name));
    const published = await tenant(t, (trx) => publish(trx, actorOf(t), definitionId, "الإصدار الأول"));
    expect(published).toMatchObject({ ok: true, version: 1 });
    const def = await tenant(t, (trx) => getDefinition(trx, t.org.id, definitionId));
    expect(def!.draft).toBeNull();
    expect(def!.versions).toEqual([expect.objectContaining({ version: 1, status: "published", changeNote: "الإصدار الأول", publishedByName: expect.any(String) })]);
    const audit = await tenant(t, (trx) => trx.selectFrom("audit_log").select(["action", "after"]).where("subject_id", "=", definitionId).orderBy("seq").execute());
    expect(audit.map((a) => a.action)).toEqual(["definition.create", "definition.publish"]);
    expect(audit[1]!.after).toMatchObject({ version: 1, changeNote: "الإصدار الأول" });
    // The runtime finds it.
    expect(await tenant(t, (trx) => getPublishedVersion(trx, t.org.id, "certificate"))).toMatchObject({ version: 1, definitionId });
  });

  it("refuses a duplicate key", async () => {
    const t = await makeOrg();
    await created(t, "dup-key");
    expect(await tenant(t, (trx) => createDefinition(trx, actorOf(t), { key: "dup-key", name }))).toEqual({ ok: false, reason: "key_taken" });
  });

  it("saves an unfinished draft with its problems but refuses to publish while errors remain", async () => {
    const t = await makeOrg();
    const { definitionId } = await created(t, "incomplete");
    const draft = await draftOf(t, definitionId);
    const saved = await tenant(t, (trx) => saveDraft(trx, actorOf(t), definitionId, withDecisionWithoutDefault(draft.graph), draft.lockVersion));
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    expect(saved.problems).toEqual(expect.arrayContaining([expect.objectContaining({ code: "decision_missing_default", nodeId: "d1", severity: "error" })]));
    const refused = await tenant(t, (trx) => publish(trx, actorOf(t), definitionId, "x"));
    expect(refused).toMatchObject({ ok: false, reason: "invalid", problems: expect.arrayContaining([expect.objectContaining({ code: "decision_missing_default" })]) });
    const def = await tenant(t, (trx) => getDefinition(trx, t.org.id, definitionId));
    expect(def!.versions.map((v) => v.status)).toEqual(["draft"]);
  });

  it("checks references against the organisation: roles, units, forms and other definitions", async () => {
    const t = await makeOrg();
    const { definitionId } = await created(t, "with-refs");
    const draft = await draftOf(t, definitionId);
    const graph: DefinitionGraph = {
      ...draft.graph,
      lanes: [
        { id: "lane_1", name: { ar: "أ", en: "A" }, assignee: { type: "role", roleKey: "no-such-role" } },
        { id: "lane_2", name: { ar: "ب", en: "B" }, assignee: { type: "unit", unitCode: "ZZ" } },
      ],
      nodes: draft.graph.nodes.map((n) => (n.kind === "task" ? { ...n, form: "missing-form" } : n)),
    };
    const saved = await tenant(t, (trx) => saveDraft(trx, actorOf(t), definitionId, graph, draft.lockVersion));
    expect(saved.ok && saved.problems.map((p) => p.code)).toEqual(expect.arrayContaining(["lane_role_missing", "lane_unit_missing", "form_missing"]));
    // Fix them with things that exist in this organisation.
    await tenant(t, (trx) => trx.insertInto("form_definitions").values({ org_id: t.org.id, key: "aid-form", name_ar: "نموذج", name_en: "Form" }).execute());
    const fixed: DefinitionGraph = {
      ...graph,
      lanes: [
        { id: "lane_1", name: { ar: "أ", en: "A" }, assignee: { type: "role", roleKey: "manager" } },
        { id: "lane_2", name: { ar: "ب", en: "B" }, assignee: { type: "unit", unitCode: "A1" } },
      ],
      nodes: graph.nodes.map((n) => (n.kind === "task" ? { ...n, form: "aid-form" } : n)),
    };
    const again = await tenant(t, (trx) => saveDraft(trx, actorOf(t), definitionId, fixed, (saved as { lockVersion: number }).lockVersion));
    expect(again.ok && again.problems.filter((p) => p.severity === "error")).toEqual([]);
    expect(await tenant(t, (trx) => publish(trx, actorOf(t), definitionId, ""))).toMatchObject({ ok: true, version: 1 });
  });

  it("numbers versions, keeps published graphs immutable and starts drafts from any version", async () => {
    const t = await makeOrg();
    const { definitionId } = await created(t, "numbered");
    const v1 = await tenant(t, (trx) => publish(trx, actorOf(t), definitionId, "one"));
    if (!v1.ok) throw new Error("publish failed");
    // No draft any more: a save cannot reach the published graph.
    expect(await tenant(t, (trx) => saveDraft(trx, actorOf(t), definitionId, blankGraph("numbered", { ar: "تغيير", en: "Changed" }), 1))).toEqual({
      ok: false,
      reason: "no_draft",
    });
    const d2 = await tenant(t, (trx) => createDraftFrom(trx, actorOf(t), definitionId, v1.versionId));
    expect(d2.ok).toBe(true);
    expect(await tenant(t, (trx) => createDraftFrom(trx, actorOf(t), definitionId, v1.versionId))).toEqual({ ok: false, reason: "draft_exists" });
    const draft = await draftOf(t, definitionId);
    const renamed = { ...draft.graph, name: { ar: "شهادة معدلة", en: "Changed certificate" } };
    expect((await tenant(t, (trx) => saveDraft(trx, actorOf(t), definitionId, renamed, draft.lockVersion))).ok).toBe(true);
    const v2 = await tenant(t, (trx) => publish(trx, actorOf(t), definitionId, "two"));
    expect(v2).toMatchObject({ ok: true, version: 2 });
    const first = await tenant(t, (trx) => getVersion(trx, t.org.id, definitionId, v1.versionId));
    expect(first!.graph.name).toEqual(name);
    const def = await tenant(t, (trx) => getDefinition(trx, t.org.id, definitionId));
    expect(def!.versions.map((v) => [v.version, v.status])).toEqual([
      [2, "published"],
      [1, "published"],
    ]);
    expect(def!.name_en).toBe("Changed certificate");
    // A draft from the older version 1.
    expect(await tenant(t, (trx) => createDraftFrom(trx, actorOf(t), definitionId, v1.versionId))).toMatchObject({ ok: true });
    expect((await draftOf(t, definitionId)).graph.name).toEqual(name);
  });

  it("refuses a stale draft save and says who saved in between", async () => {
    const t = await makeOrg();
    const { definitionId } = await created(t, "stale");
    const draft = await draftOf(t, definitionId);
    const mine = { ...draft.graph, name: { ar: "نسختي", en: "Mine" } };
    const theirs = { ...draft.graph, name: { ar: "نسختهم", en: "Theirs" } };
    expect((await tenant(t, (trx) => saveDraft(trx, actorOf(t), definitionId, theirs, draft.lockVersion))).ok).toBe(true);
    const stale = await tenant(t, (trx) => saveDraft(trx, actorOf(t), definitionId, mine, draft.lockVersion));
    expect(stale).toMatchObject({ ok: false, reason: "stale", lockVersion: draft.lockVersion + 1, updatedBy: expect.stringContaining("admin") });
    expect((await draftOf(t, definitionId)).graph.name.en).toBe("Theirs");
  });

  it("two editors saving the same draft version at once: exactly one wins", async () => {
    const t = await makeOrg();
    const { definitionId } = await created(t, "race");
    const draft = await draftOf(t, definitionId);
    const results = await Promise.all(
      ["A", "B", "C", "D"].map((who) => tenant(t, (trx) => saveDraft(trx, actorOf(t), definitionId, { ...draft.graph, name: { ar: who, en: who } }, draft.lockVersion))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === "stale")).toHaveLength(3);
  });

  it("archives and restores versions and definitions", async () => {
    const t = await makeOrg();
    const { definitionId } = await created(t, "archivable");
    const v1 = await tenant(t, (trx) => publish(trx, actorOf(t), definitionId, ""));
    if (!v1.ok) throw new Error("publish failed");
    expect(await tenant(t, (trx) => setVersionArchived(trx, actorOf(t), definitionId, v1.versionId, true))).toBe(true);
    expect(await tenant(t, (trx) => setVersionArchived(trx, actorOf(t), definitionId, v1.versionId, true))).toBe(false);
    expect(await tenant(t, (trx) => getPublishedVersion(trx, t.org.id, "archivable"))).toBeUndefined();
    expect(await tenant(t, (trx) => setVersionArchived(trx, actorOf(t), definitionId, v1.versionId, false))).toBe(true);
    expect(await tenant(t, (trx) => getPublishedVersion(trx, t.org.id, "archivable"))).toMatchObject({ version: 1 });
    expect(await tenant(t, (trx) => setDefinitionArchived(trx, actorOf(t), definitionId, true))).toBe(true);
    expect(await tenant(t, (trx) => getPublishedVersion(trx, t.org.id, "archivable"))).toBeUndefined();
    const actions = await tenant(t, (trx) => trx.selectFrom("audit_log").select("action").where("subject_id", "=", definitionId).orderBy("seq").execute());
    expect(actions.map((a) => a.action)).toEqual(["definition.create", "definition.publish", "definition.archive", "definition.unarchive", "definition.archive"]);
  });

  it("lists definitions with search and paging, filtered by the reader's permissions", async () => {
    const t = await makeOrg();
    await created(t, "alpha-flow");
    await created(t, "beta-flow");
    const admin = buildAbility([{ action: "manage", subject: "all" }]);
    const all = await tenant(t, (trx) => listDefinitions(trx, { orgId: t.org.id, ability: admin, q: "", limit: 1, offset: 0 }));
    expect(all.total).toBe(2);
    expect(all.rows).toHaveLength(1);
    const found = await tenant(t, (trx) => listDefinitions(trx, { orgId: t.org.id, ability: admin, q: "beta", limit: 10, offset: 0 }));
    expect(found.rows.map((r) => [r.key, r.hasDraft, r.latestVersion])).toEqual([["beta-flow", true, null]]);
    const nobody = buildAbility([{ action: "read", subject: "Case" }]);
    expect((await tenant(t, (trx) => listDefinitions(trx, { orgId: t.org.id, ability: nobody, q: "", limit: 10, offset: 0 }))).total).toBe(0);
  });
});

describe("interchange through the model", () => {
  it("a Camunda Modeler BPMN file → definition → BPMN → the same graph", async () => {
    const t = await makeOrg();
    const xml = readFileSync(new URL("../fixtures/bpmn/social-aid-request.bpmn", import.meta.url), "utf8");
    const imported = await importBpmn(xml, { key: "aid-request" });
    const { definitionId } = await created(t, "aid-request", imported.graph);
    const draft = await draftOf(t, definitionId);
    expect(draft.graph).toEqual(imported.graph);
    const again = await importBpmn(await exportBpmn(draft.graph));
    expect(again.graph).toEqual(imported.graph);
    expect(again.warnings).toEqual([]);
  });

  it("a published version exported as JSON imports into another organisation unchanged", async () => {
    const t = await makeOrg();
    const { definitionId } = await created(t, "portable");
    const v1 = await tenant(t, (trx) => publish(trx, actorOf(t), definitionId, "first"));
    if (!v1.ok) throw new Error("publish failed");
    const version = await tenant(t, (trx) => getVersion(trx, t.org.id, definitionId, v1.versionId));
    const file = exportWorkflowJson(version!.graph, { version: 1, status: "published", changeNote: "first", exportedAt: new Date().toISOString() });
    const read = importWorkflowJson(file);
    if (!read.ok) throw new Error(read.code);
    const other = await makeOrg();
    const copy = await created(other, read.graph.key, read.graph);
    expect((await draftOf(other, copy.definitionId)).graph).toEqual(version!.graph);
    expect(await tenant(other, (trx) => publish(trx, actorOf(other), copy.definitionId, "imported"))).toMatchObject({ ok: true, version: 1 });
  });
});
