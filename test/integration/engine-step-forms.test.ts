import { beforeAll, describe, expect, it } from "vitest";
import type { DefinitionGraph } from "~/engine/definition";
import type { CaseActor } from "~/models/case-access.server";
import { ValidationError } from "~/models/case-errors";
import { startCase } from "~/models/cases.server";
import { completeTask } from "~/models/tasks.server";
import { withTenant, type Tx } from "~/utils/db.server";
import { publishFixture, threeStepFlow } from "../fixtures/workflows";
import { actorFor, asMember } from "./engine-helpers";
import { actorFor as formActor, asMember as asFormMember, publishedForm } from "./forms-helpers";
import { publishForm, saveDraft } from "~/models/forms.server";
import { makeOrg, testDb, type TestOrg } from "./helpers";

// A task node that names a form: what is submitted at the step is validated against the
// version of that form the case pinned when it started (else the latest published one) by
// validateStepData, in the member's language, before anything changes; the validated value
// (computed fields included) is merged. A start node's form validates the first data.

const db = () => testDb();
const act = <T>(a: CaseActor, fn: (trx: Tx) => Promise<T>) => asMember(db(), a.org.id, a.user.id, fn);
const ARABIC = /[\u0600-\u06FF]/;

const content = {
  schema: {
    type: "object",
    required: ["name"],
    properties: {
      name: { type: "string", minLength: 2 },
      items: { type: "array", items: { type: "object", properties: { qty: { type: "number" }, price: { type: "number" }, total: { type: "number", readOnly: true, "x-masar-compute": "qty * price" } } } },
    },
  },
  uiSchema: {},
  translations: { ar: {}, en: {} },
};

/** threeStepFlow whose first step names `formKey`. */
function flowWithForm(key: string, formKey: string): DefinitionGraph {
  const graph = threeStepFlow(key);
  return { ...graph, nodes: graph.nodes.map((n) => (n.id === "s1" && n.kind === "task" ? { ...n, form: formKey } : n)) };
}

let t: TestOrg;
let staff: CaseActor;

async function firstTask(definitionKey: string) {
  const started = await act(staff, (trx) => startCase(trx, staff, { definitionKey, data: { amount: 5000 }, title: "طلب" }));
  return { caseId: started.caseId, taskId: started.tasks[0]!.id };
}

async function state(caseId: string, taskId: string) {
  return withTenant(db(), { orgId: t.org.id }, async (trx) => ({
    task: await trx.selectFrom("tasks").select(["status", "row_version"]).where("org_id", "=", t.org.id).where("id", "=", taskId).executeTakeFirstOrThrow(),
    data: (await trx.selectFrom("cases").select("data").where("org_id", "=", t.org.id).where("id", "=", caseId).executeTakeFirstOrThrow()).data,
    completions: (await trx.selectFrom("case_events").select("id").where("org_id", "=", t.org.id).where("case_id", "=", caseId).where("type", "=", "task_completed").execute()).length,
  }));
}

async function failure(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

beforeAll(async () => {
  t = await makeOrg();
  const form = await publishedForm(t, content);
  await publishFixture(db(), t.org.id, flowWithForm("with-form", form.key));
  await publishFixture(db(), t.org.id, flowWithForm("missing-form", "no-such-form"));
  staff = { ...(await actorFor(t.org.id, t.staff.id)), locale: "ar" };
});

describe("a task whose node names a form", () => {
  it("refuses invalid data with Arabic field messages and changes nothing", async () => {
    const { caseId, taskId } = await firstTask("with-form");
    const before = await state(caseId, taskId);
    const error = await failure(act(staff, (trx) => completeTask(trx, staff, taskId, { data: { name: "ف" } })));
    expect(error.status).toBe(400);
    expect(error.issues).toEqual([expect.objectContaining({ path: "/name", code: "form_invalid" })]);
    expect(error.issues[0]!.message).toMatch(ARABIC);
    // Properties the form does not declare are refused too.
    const extra = await failure(act(staff, (trx) => completeTask(trx, staff, taskId, { data: { name: "فاطمة", role: "admin" } })));
    expect(extra.issues.map((i) => i.path)).toContain("/role");
    expect(await state(caseId, taskId)).toEqual(before);
    expect(before.task.status).toBe("open");
    expect(before.data).toEqual({ amount: 5000 });
  });

  it("words the messages in the member's language", async () => {
    const { taskId } = await firstTask("with-form");
    const english = { ...staff, locale: "en" as const };
    const error = await failure(act(english, (trx) => completeTask(trx, english, taskId, { data: {} })));
    expect(error.issues).toEqual([expect.objectContaining({ path: "/name", code: "form_invalid" })]);
    expect(error.issues[0]!.message).not.toMatch(ARABIC);
  });

  it("completes the task with valid data and merges the validated value, computed fields included", async () => {
    const { caseId, taskId } = await firstTask("with-form");
    const result = await act(staff, (trx) => completeTask(trx, staff, taskId, { data: { name: "فاطمة", items: [{ qty: 3, price: 2, total: 0 }] } }));
    expect(result.status).toBe("completed");
    expect(result.tasks.map((x) => x.nodeId)).toEqual(["s2"]);
    const after = await state(caseId, taskId);
    expect(after.task.status).toBe("completed");
    expect(after.data).toEqual({ amount: 5000, name: "فاطمة", items: [{ qty: 3, price: 2, total: 6 }] });
    // A later step without a form keeps today's behaviour: any JSON object is merged.
    const next = result.tasks[0]!.id;
    await act(staff, (trx) => completeTask(trx, staff, next, { data: { note: "بلا نموذج" } }));
    expect((await state(caseId, next)).data).toMatchObject({ note: "بلا نموذج", name: "فاطمة" });
  });

  it("refuses with step_form_missing when the form has no published version", async () => {
    const { caseId, taskId } = await firstTask("missing-form");
    const error = await failure(act(staff, (trx) => completeTask(trx, staff, taskId, { data: { name: "فاطمة" } })));
    expect(error.issues).toEqual([expect.objectContaining({ path: "", code: "step_form_missing" })]);
    expect(error.issues[0]!.message).toMatch(ARABIC);
    expect((await state(caseId, taskId)).task.status).toBe("open");
  });
});

/** A new version of the form, published by the admin (its draft started from nothing). */
async function republish(formId: string, next: typeof content) {
  return asFormMember(t, "admin", async (trx) => {
    const saved = await saveDraft(trx, formActor(t, "admin"), formId, { ...next, lockVersion: 0 });
    if (!saved.ok) throw new Error(`saveDraft: ${JSON.stringify(saved)}`);
    const published = await publishForm(trx, formActor(t, "admin"), formId, saved.value.lockVersion);
    if (!published.ok) throw new Error(`publishForm: ${JSON.stringify(published)}`);
    return published.value;
  });
}

const stricter = {
  ...content,
  schema: { ...content.schema, required: ["name", "nationalId"], properties: { ...content.schema.properties, nationalId: { type: "string", pattern: "^[0-9]{10}$" } } },
};

describe("form versions are pinned per case", () => {
  it("a case keeps validating against the form version it started with after a new version is published", async () => {
    const form = await publishedForm(t, content);
    await publishFixture(db(), t.org.id, flowWithForm("pinned-form", form.key));
    const before = await firstTask("pinned-form");
    const pinned = await withTenant(db(), { orgId: t.org.id }, (trx) =>
      trx.selectFrom("cases").select("form_versions").where("org_id", "=", t.org.id).where("id", "=", before.caseId).executeTakeFirstOrThrow(),
    );
    expect(pinned.form_versions).toEqual({ [form.key]: form.versionId });

    await republish(form.formId, stricter);
    // The running case still asks version 1: no national id needed.
    const done = await act(staff, (trx) => completeTask(trx, staff, before.taskId, { data: { name: "فاطمة" } }));
    expect(done.status).toBe("completed");
    // A case started now pins version 2, which needs the national id.
    const after = await firstTask("pinned-form");
    const error = await failure(act(staff, (trx) => completeTask(trx, staff, after.taskId, { data: { name: "فاطمة" } })));
    expect(error.issues.map((i) => i.path)).toContain("/nationalId");
    await act(staff, (trx) => completeTask(trx, staff, after.taskId, { data: { name: "فاطمة", nationalId: "1234567890" } }));
  });

  it("a form first published after the case started is pinned by its first answer", async () => {
    const key = `later-${Date.now()}`;
    await publishFixture(db(), t.org.id, flowWithForm("later-form", key));
    const { caseId, taskId } = await firstTask("later-form");
    const form = await publishedForm(t, content, key);
    await act(staff, (trx) => completeTask(trx, staff, taskId, { data: { name: "فاطمة" } }));
    const row = await withTenant(db(), { orgId: t.org.id }, (trx) =>
      trx.selectFrom("cases").select("form_versions").where("org_id", "=", t.org.id).where("id", "=", caseId).executeTakeFirstOrThrow(),
    );
    expect(row.form_versions).toEqual({ [key]: form.versionId });
  });
});

describe("a start form", () => {
  function flowWithStartForm(key: string, formKey: string): DefinitionGraph {
    const graph = threeStepFlow(key);
    return { ...graph, nodes: graph.nodes.map((n) => (n.kind === "start" ? { ...n, form: formKey } : n)) };
  }

  it("validates the data a case starts with, refuses bad data without starting anything, and pins its version", async () => {
    const form = await publishedForm(t, content);
    await publishFixture(db(), t.org.id, flowWithStartForm("start-form", form.key));
    const count = () => withTenant(db(), { orgId: t.org.id }, async (trx) => (await trx.selectFrom("cases").select("id").where("org_id", "=", t.org.id).execute()).length);
    const casesBefore = await count();
    const error = await failure(act(staff, (trx) => startCase(trx, staff, { definitionKey: "start-form", data: { name: "ف" }, title: "طلب" })));
    expect(error.issues).toEqual([expect.objectContaining({ path: "/name", code: "form_invalid" })]);
    expect(error.issues[0]!.message).toMatch(ARABIC);
    expect(await count()).toBe(casesBefore);

    const started = await act(staff, (trx) => startCase(trx, staff, { definitionKey: "start-form", data: { name: "فاطمة", items: [{ qty: 2, price: 5, total: 0 }] }, title: "طلب" }));
    const row = await withTenant(db(), { orgId: t.org.id }, (trx) =>
      trx.selectFrom("cases").select(["data", "form_versions"]).where("org_id", "=", t.org.id).where("id", "=", started.caseId).executeTakeFirstOrThrow(),
    );
    expect(row.data).toEqual({ name: "فاطمة", items: [{ qty: 2, price: 5, total: 10 }] });
    expect(row.form_versions).toEqual({ [form.key]: form.versionId });
  });
});
