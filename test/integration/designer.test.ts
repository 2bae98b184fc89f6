import { afterAll, describe, expect, it } from "vitest";
import type { DefinitionGraph } from "~/engine/definition";
import { checkLocally } from "~/designer/refs";
import { registerActionExecutor, unregisterActionExecutor } from "~/models/action-executors.server";
import { createForm } from "~/models/forms.server";
import { checkGraph, createDefinition } from "~/models/workflow-definitions.server";
import * as design from "~/routes/app.$org.admin.workflows.$definitionId_.design";
import { actorFor, asMember, callRoute, publishedForm, type Who } from "./forms-helpers";
import { makeOrg, type TestOrg } from "./helpers";

// The designer page's server side on a real database: what the loader gives the canvas (the
// draft, the lists behind the pickers and the palette, the reference lists for live
// validation — which must judge a graph exactly as the server does when publishing), and its
// action: autosave with the optimistic lock, publish with a change note, a new draft.

const l = (ar: string, en: string) => ({ ar, en });
type Page = Awaited<ReturnType<typeof design.loader>>;
type ActionResult = { data: Record<string, unknown>; init: { status?: number } | null };

const RUNNABLE = "designer-test.ping";
registerActionExecutor(RUNNABLE, () => ({}));
afterAll(() => unregisterActionExecutor(RUNNABLE));

async function define(t: TestOrg, key: string, graph?: DefinitionGraph): Promise<string> {
  const created = await asMember(t, "admin", (trx) => createDefinition(trx, actorFor(t, "admin"), { key, name: l("طلب مساعدة", "Aid request"), graph }));
  if (!created.ok) throw new Error(created.reason);
  return created.definitionId;
}

const path = (t: TestOrg, id: string) => `/app/${t.org.slug}/admin/workflows/${id}/design`;
const load = (t: TestOrg, who: Who, id: string) => callRoute(design.loader as never, t, who, path(t, id), { params: { definitionId: id } }) as unknown as Promise<Page>;

async function act(t: TestOrg, who: Who, id: string, fields: Record<string, string>): Promise<ActionResult> {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  return (await callRoute(design.action as never, t, who, path(t, id), { method: "POST", body, params: { definitionId: id } })) as unknown as ActionResult;
}

/** References of every kind, some existing in the organisation and some not. */
function referencing(key: string, formKey: string): DefinitionGraph {
  return {
    key,
    name: l("طلب مساعدة", ""),
    direction: "rtl",
    lanes: [
      { id: "desk", name: l("المكتب", "Desk"), assignee: { type: "role", roleKey: "staff" } },
      { id: "ghost", name: l("لجنة", "Board"), assignee: { type: "role", roleKey: "no-such-role" } },
      { id: "unit", name: l("الوحدة", "Unit"), assignee: { type: "unit", unitCode: "A1" } },
      { id: "unit_x", name: l("وحدة", "Unit X"), assignee: { type: "unit", unitCode: "ZZ" } },
    ],
    nodes: [
      { id: "start", kind: "start", name: l("البداية", "Start"), lane: "desk" },
      { id: "a", kind: "task", name: l("استلام", "Receive"), lane: "desk", form: formKey },
      { id: "b", kind: "task", name: l("دراسة", "Study"), lane: "unit", form: "no-such-form" },
      { id: "sub", kind: "subprocess", name: l("صرف", "Pay"), lane: "desk", definitionKey: "no-such-flow" },
      { id: "ping", kind: "action", name: l("تنبيه", "Ping"), lane: "desk", actionType: RUNNABLE, config: {} },
      { id: "off", kind: "action", name: l("إجراء", "Off"), lane: "desk", actionType: "nowhere.kind", config: {} },
      { id: "gate", kind: "gate", name: l("اعتماد", "Approve"), lane: "ghost", approverRole: "nobody", checklist: [], requiredForms: [formKey], requiredDocuments: [] },
      { id: "end", kind: "end", name: l("النهاية", "End"), lane: "desk" },
    ],
    edges: [
      { id: "f1", source: "start", target: "a" },
      { id: "f2", source: "a", target: "b" },
      { id: "f3", source: "b", target: "sub" },
      { id: "f4", source: "sub", target: "ping" },
      { id: "f5", source: "ping", target: "off" },
      { id: "f6", source: "off", target: "gate" },
      { id: "f7", source: "gate", target: "end", outcome: "go" },
    ],
  };
}

const sorted = (problems: unknown[]) => problems.map((p) => JSON.stringify(p)).sort();

describe("the designer page", () => {
  it("gives the canvas the draft and the organisation's lists; the browser's validation agrees with the server's", async () => {
    const t = await makeOrg();
    const form = await publishedForm(t, { schema: { type: "object", properties: {} }, uiSchema: {}, translations: { ar: {}, en: {} } });
    await asMember(t, "admin", (trx) => createForm(trx, actorFor(t, "admin"), { key: "draft-only", name_ar: "نموذج مسودة", name_en: "Draft form" }));
    await define(t, "payments");
    const key = "aid-request";
    const id = await define(t, key, referencing(key, form.key));

    const page = await load(t, "admin", id);
    expect(page.draft).toMatchObject({ lockVersion: 1, graph: { key } });
    expect(page.latest).toBeNull();
    expect(page.canUpdate).toBe(true);
    const { lists } = page;
    expect(lists.roles.map((r) => r.key).sort()).toEqual(["admin", "manager", "staff"]);
    expect(lists.units.map((u) => u.key)).toEqual(["A1", "B2"]);
    // Other workflows for a sub-process; not this one.
    expect(lists.definitions.map((d) => d.key)).toEqual(["payments"]);
    expect(lists.forms.map((f) => [f.key, f.published]).sort()).toEqual([
      ["draft-only", false],
      [form.key, true],
    ]);
    expect(lists.refs.actionTypes).toEqual([RUNNABLE]);

    const local = checkLocally(page.draft!.graph, lists.refs);
    const server = await asMember(t, "admin", (trx) => checkGraph(trx, t.org.id, page.draft!.graph));
    expect(sorted(local)).toEqual(sorted(server));
    // The graph was built to trip every reference check: the comparison means something.
    expect(new Set(server.map((p) => p.code))).toEqual(new Set(["lane_role_missing", "lane_unit_missing", "form_missing", "subprocess_missing", "action_type_missing", "role_missing", "label_en_missing", "gate_missing_no_go"]));
  });

  it("autosaves with the lock version, refuses a stale save without losing it, publishes with a note, starts a new draft", async () => {
    const t = await makeOrg();
    const id = await define(t, "certificate");
    const page = await load(t, "admin", id);
    const graph = page.draft!.graph;
    const renamed = { ...graph, nodes: graph.nodes.map((n) => (n.id === "task_1" ? { ...n, name: l("دراسة الطلب", "Study the request") } : n)) };

    const saved = await act(t, "admin", id, { intent: "save", lockVersion: "1", graph: JSON.stringify(renamed) });
    expect(saved.data).toMatchObject({ intent: "save", ok: true, lockVersion: 2 });

    // Someone else's tab still at lock version 1: refused, told the current lock to save over it.
    const stale = await act(t, "admin", id, { intent: "save", lockVersion: "1", graph: JSON.stringify(graph) });
    expect(stale.init?.status).toBe(409);
    expect(stale.data).toMatchObject({ intent: "save", ok: false, reload: true, conflict: { lockVersion: 2 } });
    expect((await load(t, "admin", id)).draft!.graph.nodes.find((n) => n.id === "task_1")!.name.ar).toBe("دراسة الطلب");

    // A graph the definition schema refuses is not saved; the issues say where.
    const invalid = await act(t, "admin", id, { intent: "save", lockVersion: "2", graph: JSON.stringify({ ...renamed, nodes: [{ ...renamed.nodes[0], id: "bad id" }, ...renamed.nodes.slice(1)] }) });
    expect(invalid.init?.status).toBe(400);
    expect((invalid.data.issues as unknown[]).length).toBeGreaterThan(0);

    // The designer's action does only what the designer does.
    const other = await act(t, "admin", id, { intent: "discard" });
    expect(other.init?.status).toBe(400);
    expect((await load(t, "admin", id)).draft).not.toBeNull();

    const published = await act(t, "admin", id, { intent: "publish", lockVersion: "2", changeNote: "أول إصدار من المصمم" });
    expect(published.data).toMatchObject({ intent: "publish", ok: true });
    const after = await load(t, "admin", id);
    expect(after.draft).toBeNull();
    expect(after.latest).toMatchObject({ version: 1, status: "published" });
    expect(after.versions).toEqual([expect.objectContaining({ version: 1, status: "published" })]);
    expect(after.nextVersion).toBe(2);

    await act(t, "admin", id, { intent: "newDraft", versionId: after.latest!.id, version: "1" });
    const again = await load(t, "admin", id);
    expect(again.draft?.graph.nodes.find((n) => n.id === "task_1")!.name.ar).toBe("دراسة الطلب");
  });

  it("shows staff the diagram read-only and refuses their changes", async () => {
    const t = await makeOrg();
    const id = await define(t, "certificate");
    const page = await load(t, "staff", id);
    expect(page.canUpdate).toBe(false);
    expect(page.draft).not.toBeNull();
    await expect(act(t, "staff", id, { intent: "save", lockVersion: "1", graph: JSON.stringify(page.draft!.graph) })).rejects.toMatchObject({ init: { status: 403 } });
    // Another organisation's definition is not found.
    const other = await makeOrg();
    await expect(load(other, "admin", id)).rejects.toMatchObject({ init: { status: 404 } });
  });
});
