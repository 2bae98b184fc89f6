import i18next from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import type { DefinitionGraph } from "~/engine/definition";
import resources from "~/locales";
import { startCase } from "~/models/cases.server";
import { displayPrefs } from "~/models/organisations.server";
import { createDefinition, publish } from "~/models/workflow-definitions.server";
import type { SessionUser } from "~/utils/context.server";
import { withPlatform, withTenant } from "~/utils/db.server";
import type { OrgContext } from "~/utils/org-context.server";
import { loadTaskPage, performTaskAction, readTaskForm } from "~/utils/task-page.server";
import { actorFor } from "./engine-helpers";
import { publishedForm } from "./forms-helpers";
import { makeOrg, testDb, type TestOrg } from "./helpers";

// The task page of a step whose node names a form (app/utils/task-page.server.ts): the
// loader hands the page the form's latest published version and the case's answers to it;
// completing posts the form's answers, which the server validates against that version.

const l = (ar: string, en: string) => ({ ar, en });

const content = {
  schema: { type: "object", required: ["name"], properties: { name: { type: "string", minLength: 2 }, approved: { type: "boolean" } } },
  uiSchema: {},
  translations: { ar: {}, en: {} },
};

/** start → receive (names the form) → decision on `approved` → end / end_no. */
function graph(key: string, formKey: string): DefinitionGraph {
  return {
    key,
    name: l("طلب مساعدة", "Aid request"),
    direction: "rtl",
    lanes: [{ id: "desk", name: l("المكتب", "Desk"), assignee: { type: "role", roleKey: "staff" } }],
    nodes: [
      { id: "start", kind: "start", name: l("بداية", "Start"), lane: "desk" },
      { id: "receive", kind: "task", name: l("استلام الطلب", "Receive"), lane: "desk", form: formKey },
      { id: "decide", kind: "decision", name: l("هل الطلب مقبول؟", "Approved?"), lane: "desk" },
      { id: "end", kind: "end", name: l("نهاية", "End"), lane: "desk" },
      { id: "end_no", kind: "end", name: l("رفض", "Rejected"), lane: "desk" },
    ],
    edges: [
      { id: "f1", source: "start", target: "receive" },
      { id: "f2", source: "receive", target: "decide" },
      { id: "f3", source: "decide", target: "end", condition: "approved = true" },
      { id: "f4", source: "decide", target: "end_no", isDefault: true },
    ],
  };
}

const t = i18next.createInstance();
beforeAll(async () => {
  await t.init({ lng: "ar", resources, ns: ["common", "engine"], defaultNS: "engine", interpolation: { escapeValue: false } });
});
const tr = (key: string, options?: Record<string, unknown>) => t.getFixedT("ar", "engine")(key, options) as string;

async function staffContext(o: TestOrg): Promise<OrgContext> {
  const actor = await actorFor(o.org.id, o.staff.id);
  const org = await withPlatform(testDb(), (trx) => trx.selectFrom("organisations").selectAll().where("id", "=", o.org.id).executeTakeFirstOrThrow());
  const user: SessionUser = { id: o.staff.id, email: "", name: "staff", locale: "ar", isPlatformAdmin: false, sessionHash: "", currentOrgId: o.org.id };
  return { ...actor, user, org, scope: { orgId: o.org.id, userId: o.staff.id }, roleKeys: ["staff"], rules: [], prefs: displayPrefs(org, "ar"), locale: "ar" };
}

async function setup() {
  const o = await makeOrg();
  const form = await publishedForm(o, content);
  const key = `aid-form-${o.org.slug}`.slice(0, 60);
  await withTenant(testDb(), { orgId: o.org.id, userId: o.admin.id }, async (trx) => {
    const audit = { orgId: o.org.id, actorUserId: o.admin.id, actorLabel: "test", requestId: null, ip: null };
    const created = await createDefinition(trx, audit, { key, name: l("طلب مساعدة", "Aid request"), graph: graph(key, form.key) });
    if (!created.ok) throw new Error(created.reason);
    const published = await publish(trx, audit, created.definitionId, "");
    if (!published.ok) throw new Error(JSON.stringify(published));
  });
  const staff = await staffContext(o);
  // `amount` is not one of the form's fields: it must not be handed to the form.
  const started = await withTenant(testDb(), staff.scope, (trx) => startCase(trx, staff, { definitionKey: key, data: { name: "سالم", amount: 5000 }, title: "أسرة سالم" }));
  return { o, form, staff, caseId: started.caseId, taskId: started.tasks[0]!.id };
}

function post(fields: Record<string, string>) {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return readTaskForm(data);
}

const caseRow = (caseId: string) => withPlatform(testDb(), (trx) => trx.selectFrom("cases").select(["data", "status"]).where("id", "=", caseId).executeTakeFirstOrThrow());
const taskStatus = async (taskId: string) => (await withPlatform(testDb(), (trx) => trx.selectFrom("tasks").select("status").where("id", "=", taskId).executeTakeFirstOrThrow())).status;

describe("a task page whose step names a published form", () => {
  it("the loader gives the form's latest published version and the case's answers to its fields only", async () => {
    const { form, staff, taskId } = await setup();
    const page = await loadTaskPage(staff, taskId);
    expect(page.stepForm).not.toBeNull();
    expect(page.stepForm!.formVersion).toMatchObject({ id: form.versionId, schema: content.schema });
    expect(page.stepForm!.initialData).toEqual({ name: "سالم" });
    // The decision's question is the form's: no separate decision-answer fields.
    expect(page.fields).toEqual([]);
  });

  it("invalid answers come back per field and leave the task open; valid ones complete it", async () => {
    const { staff, taskId, caseId } = await setup();
    const invalid = await performTaskAction(staff, taskId, post({ intent: "complete", idempotencyKey: "k-form-bad-1", notes: "ملاحظة", data: JSON.stringify({ name: "س" }) }), tr);
    expect(invalid).toMatchObject({ ok: false, status: 400, formError: expect.any(String), formErrors: [expect.objectContaining({ path: "/name", message: expect.any(String) })] });
    // A decision answer outside the form is refused as undeclared, not silently merged.
    const undeclared = await performTaskAction(staff, taskId, post({ intent: "complete", idempotencyKey: "k-form-bad-2", data: JSON.stringify({ name: "سالم", documentsComplete: true }) }), tr);
    expect(undeclared).toMatchObject({ ok: false, status: 400 });
    const notJson = await performTaskAction(staff, taskId, post({ intent: "complete", idempotencyKey: "k-form-bad-3", data: "{" }), tr);
    expect(notJson).toMatchObject({ ok: false, status: 400 });
    expect(await taskStatus(taskId)).toBe("open");
    expect((await caseRow(caseId)).data).toEqual({ name: "سالم", amount: 5000 });

    const done = await performTaskAction(staff, taskId, post({ intent: "complete", idempotencyKey: "k-form-good-1", data: JSON.stringify({ name: "سالم أحمد", approved: true }) }), tr);
    expect(done).toMatchObject({ ok: true, intent: "complete" });
    expect(await taskStatus(taskId)).toBe("completed");
    const kase = await caseRow(caseId);
    expect(kase.data).toEqual({ name: "سالم أحمد", approved: true, amount: 5000 });
    expect(kase.status).toBe("completed");
  });
});
