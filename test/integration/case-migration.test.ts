import { describe, expect, it } from "vitest";
import type { DefinitionGraph } from "~/engine/definition";
import type { CaseState } from "~/engine/runtime-types";
import { migrationSources, previewMigration, runMigration } from "~/models/case-migration.server";
import { startCase } from "~/models/cases.server";
import { completeTask } from "~/models/tasks.server";
import { createDefinition, createDraftFrom, getDefinition, publish, saveDraft } from "~/models/workflow-definitions.server";
import type { AuditActor } from "~/utils/audit-actor.server";
import { withTenant, type Tx } from "~/utils/db.server";
import { actorFor } from "./engine-helpers";
import { makeOrg, testDb, type TestOrg } from "./helpers";

const tenant = <T>(t: TestOrg, fn: (trx: Tx) => Promise<T>) => withTenant(testDb(), { orgId: t.org.id, userId: t.admin.id }, fn);
const actorOf = (t: TestOrg): AuditActor => ({ orgId: t.org.id, actorUserId: t.admin.id, actorLabel: t.admin.email, requestId: "req-migrate", ip: "127.0.0.1" });

const lane = { id: "lane_1", name: { ar: "الموظفون", en: "Staff" }, assignee: { type: "role" as const, roleKey: "staff" } };
const task = (id: string, ar: string) => ({ id, kind: "task" as const, name: { ar, en: ar }, lane: "lane_1" });

/** v1: start → receive → study → end. */
const v1: DefinitionGraph = {
  key: "permit",
  name: { ar: "إصدار تصريح", en: "Issue a permit" },
  direction: "rtl",
  lanes: [lane],
  nodes: [{ id: "start", kind: "start", name: { ar: "", en: "" } }, task("receive", "استلام الطلب"), task("study", "دراسة الطلب"), { id: "end", kind: "end", name: { ar: "", en: "" } }],
  edges: [
    { id: "f1", source: "start", target: "receive" },
    { id: "f2", source: "receive", target: "study" },
    { id: "f3", source: "study", target: "end" },
  ],
};

/** v2: "receive" became "intake" (a new id), "study" was replaced by a wait and an approval. */
const v2: DefinitionGraph = {
  ...v1,
  nodes: [
    { id: "start", kind: "start", name: { ar: "", en: "" } },
    task("intake", "استقبال الطلب وتدقيقه"),
    { id: "cooling", kind: "timer", name: { ar: "مهلة", en: "Cooling-off" }, duration: "P2D" },
    task("approve", "اعتماد الطلب"),
    { id: "end", kind: "end", name: { ar: "", en: "" } },
  ],
  edges: [
    { id: "f1", source: "start", target: "intake" },
    { id: "f2", source: "intake", target: "cooling" },
    { id: "f4", source: "cooling", target: "approve" },
    { id: "f3", source: "approve", target: "end" },
  ],
};

async function setup() {
  const t = await makeOrg();
  const created = await tenant(t, (trx) => createDefinition(trx, actorOf(t), { key: "permit", name: v1.name, graph: v1 }));
  if (!created.ok) throw new Error(created.reason);
  const p1 = await tenant(t, (trx) => publish(trx, actorOf(t), created.definitionId, "v1"));
  if (!p1.ok) throw new Error("publish v1");
  const staff = await actorFor(t.org.id, t.staff.id);
  const start = () => withTenant(testDb(), { orgId: t.org.id, userId: t.staff.id }, (trx) => startCase(trx, staff, { definitionKey: "permit", data: {} }));
  const atReceive = await start();
  const atStudy = await start();
  // The second case moves on to "study".
  await withTenant(testDb(), { orgId: t.org.id, userId: t.staff.id }, (trx) => completeTask(trx, staff, atStudy.tasks[0]!.id, { data: {} }));
  const d = await tenant(t, (trx) => createDraftFrom(trx, actorOf(t), created.definitionId, p1.versionId));
  if (!d.ok) throw new Error(d.reason);
  const def = await tenant(t, (trx) => getDefinition(trx, t.org.id, created.definitionId));
  const saved = await tenant(t, (trx) => saveDraft(trx, actorOf(t), created.definitionId, v2, def!.draft!.lockVersion));
  if (!saved.ok) throw new Error(saved.reason);
  const p2 = await tenant(t, (trx) => publish(trx, actorOf(t), created.definitionId, "v2"));
  if (!p2.ok) throw new Error(JSON.stringify(p2));
  return { t, staff, definitionId: created.definitionId, from: p1.versionId, to: p2.versionId, atReceive, atStudy };
}

const caseRow = (t: TestOrg, id: string) =>
  tenant(t, (trx) => trx.selectFrom("cases").select(["version_id", "state", "status", "event_seq"]).where("id", "=", id).executeTakeFirstOrThrow());
const openTasks = (t: TestOrg, caseId: string) =>
  tenant(t, (trx) => trx.selectFrom("tasks").select(["id", "node_id", "name_ar", "status", "token_id"]).where("case_id", "=", caseId).where("status", "=", "open").execute());

describe("migrating running cases to a newer version", () => {
  it("previews per case: the mapped token moves, the unmapped one is a problem", async () => {
    const { t, definitionId, from, to, atReceive, atStudy } = await setup();
    expect(await tenant(t, (trx) => migrationSources(trx, t.org.id, from))).toEqual([
      { nodeId: "receive", tokens: 1 },
      { nodeId: "study", tokens: 1 },
    ]);
    const preview = await tenant(t, (trx) => previewMigration(trx, t.org.id, definitionId, from, to, { receive: "intake" }));
    if (!preview.ok) throw new Error(preview.error);
    expect(preview.total).toBe(2);
    const one = preview.cases.find((c) => c.caseId === atReceive.caseId)!;
    expect(one.problems).toEqual([]);
    expect(one.moves).toEqual([expect.objectContaining({ from: "receive", to: "intake", reenter: true })]);
    const two = preview.cases.find((c) => c.caseId === atStudy.caseId)!;
    expect(two.problems).toEqual([expect.objectContaining({ code: "migration_token_unmapped", nodeId: "study" })]);
    // Nothing changed.
    expect((await caseRow(t, atReceive.caseId)).version_id).toBe(from);
  });

  it("moves a running case's token as mapped and skips a case with an unmapped token", async () => {
    const { t, staff, definitionId, from, to, atReceive, atStudy } = await setup();
    const before = await caseRow(t, atReceive.caseId);
    const taskBefore = (await openTasks(t, atReceive.caseId))[0]!;
    const studyBefore = await caseRow(t, atStudy.caseId);

    const run = await runMigration(testDb(), actorOf(t), { definitionId, fromVersionId: from, toVersionId: to, mapping: { receive: "intake" } });
    if (!run.ok) throw new Error(run.error);
    expect(run.result.migrated.map((c) => c.reference)).toEqual([atReceive.reference]);
    expect(run.result.skipped).toEqual([{ caseId: atStudy.caseId, reference: atStudy.reference, problems: [expect.objectContaining({ code: "migration_token_unmapped", nodeId: "study" })] }]);

    const after = await caseRow(t, atReceive.caseId);
    expect(after.version_id).toBe(to);
    expect((after.state as CaseState).tokens.map((tok) => tok.nodeId)).toEqual(["intake"]);
    // The open task follows its token: same row, new node and name.
    expect(await openTasks(t, atReceive.caseId)).toEqual([expect.objectContaining({ id: taskBefore.id, node_id: "intake", name_ar: "استقبال الطلب وتدقيقه" })]);
    expect(after.event_seq).toBe(before.event_seq + 1);
    const event = await tenant(t, (trx) =>
      trx.selectFrom("case_events").select(["type", "payload"]).where("case_id", "=", atReceive.caseId).orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow(),
    );
    expect(event).toMatchObject({ type: "migrated", payload: { fromVersion: 1, toVersion: 2, moves: [{ from: "receive", to: "intake" }] } });

    // The skipped case is untouched.
    expect(await caseRow(t, atStudy.caseId)).toEqual(studyBefore);

    // The migrated case runs on the new version: completing "intake" reaches v2's timer.
    await withTenant(testDb(), { orgId: t.org.id, userId: t.staff.id }, (trx) => completeTask(trx, staff, taskBefore.id, { data: {} }));
    const moved = await caseRow(t, atReceive.caseId);
    expect((moved.state as CaseState).tokens.map((tok) => tok.nodeId)).toEqual(["cooling"]);
    const timers = await tenant(t, (trx) => trx.selectFrom("case_timers").select("node_id").where("case_id", "=", atReceive.caseId).execute());
    expect(timers).toEqual([{ node_id: "cooling" }]);

    const audit = await tenant(t, (trx) => trx.selectFrom("audit_log").select(["action", "after"]).where("action", "=", "definition.migrate").executeTakeFirstOrThrow());
    expect(audit.after).toMatchObject({ version: 2, migrated: [atReceive.reference], skipped: [atStudy.reference] });
  });

  it("a token moved onto a different kind of node ends its old wait and starts the new one", async () => {
    const { t, definitionId, from, to, atStudy } = await setup();
    const old = (await openTasks(t, atStudy.caseId))[0]!;
    const run = await runMigration(testDb(), actorOf(t), { definitionId, fromVersionId: from, toVersionId: to, mapping: { receive: "intake", study: "cooling" } });
    if (!run.ok) throw new Error(run.error);
    expect(run.result.skipped).toEqual([]);
    expect(run.result.migrated).toHaveLength(2);
    expect(await openTasks(t, atStudy.caseId)).toEqual([]);
    const cancelled = await tenant(t, (trx) => trx.selectFrom("tasks").select("status").where("id", "=", old.id).executeTakeFirstOrThrow());
    expect(cancelled.status).toBe("cancelled");
    const timers = await tenant(t, (trx) => trx.selectFrom("case_timers").select(["node_id", "token_id"]).where("case_id", "=", atStudy.caseId).execute());
    expect(timers).toEqual([{ node_id: "cooling", token_id: old.token_id }]);
  });

  it("refuses a target that is not a published version of the definition", async () => {
    const { t, definitionId, from } = await setup();
    const same = await tenant(t, (trx) => previewMigration(trx, t.org.id, definitionId, from, from, {}));
    expect(same).toEqual({ ok: false, error: "same_version" });
    const unknown = await tenant(t, (trx) => previewMigration(trx, t.org.id, definitionId, from, "00000000-0000-4000-8000-000000000000", {}));
    expect(unknown).toEqual({ ok: false, error: "version_not_found" });
  });
});
