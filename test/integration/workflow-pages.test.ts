import i18next from "i18next";
import { RouterContextProvider } from "react-router";
import { beforeAll, describe, expect, it } from "vitest";
import type { DefinitionGraph } from "~/engine/definition";
import resources from "~/locales";
import { i18nextMiddleware } from "~/middleware/i18next";
import { createToken } from "~/models/api-tokens.server";
import { displayPrefs } from "~/models/organisations.server";
import { createDefinition, publish } from "~/models/workflow-definitions.server";
import { startCase } from "~/models/cases.server";
import { requestContext, type SessionUser } from "~/utils/context.server";
import { withPlatform, withTenant } from "~/utils/db.server";
import { formatDateTime } from "~/utils/format";
import type { OrgContext } from "~/utils/org-context.server";
import { performCaseAction, loadCasePage } from "~/utils/case-page.server";
import { performTaskAction, readTaskForm } from "~/utils/task-page.server";
import * as completeRoute from "~/routes/api.v1.orgs.$org_.tasks_.$taskId_.complete";
import * as importRoute from "~/routes/api.v1.orgs.$org_.definitions_.import";
import * as publishRoute from "~/routes/api.v1.orgs.$org_.definitions_.$key_.publish";
import { actorFor, addMembers } from "./engine-helpers";
import { makeOrg, testDb, type TestOrg } from "./helpers";

// The staff pages' server side (app/utils/task-page.server.ts, case-page.server.ts) and the
// workflow API routes, on a real database: what a person sees when they lose a race, answers
// a decision's question, decides a gate or double-clicks; and the API's 409 details.

const l = (ar: string, en: string) => ({ ar, en });

/** receive (role staff) → decision on documentsComplete → committee gate (role manager) → end. */
function graph(key: string): DefinitionGraph {
  return {
    key,
    name: l("طلب مساعدة", "Aid request"),
    direction: "rtl",
    lanes: [
      { id: "desk", name: l("المكتب", "Desk"), assignee: { type: "role", roleKey: "staff" } },
      { id: "board", name: l("اللجنة", "Board"), assignee: { type: "role", roleKey: "manager" } },
    ],
    nodes: [
      { id: "start", kind: "start", name: l("بداية", "Start"), lane: "desk" },
      { id: "receive", kind: "task", name: l("استلام الطلب", "Receive"), lane: "desk" },
      { id: "complete", kind: "decision", name: l("هل المستندات مكتملة؟", "Documents complete?"), lane: "desk" },
      {
        id: "committee",
        kind: "gate",
        name: l("قرار اللجنة", "Board decision"),
        lane: "board",
        approverRole: "manager",
        checklist: [{ id: "verified", label: l("تم التحقق", "Verified"), required: true }],
        requiredForms: [],
        requiredDocuments: [],
      },
      { id: "end", kind: "end", name: l("نهاية", "End"), lane: "desk" },
      { id: "end_no", kind: "end", name: l("رفض", "Rejected"), lane: "desk" },
    ],
    edges: [
      { id: "f1", source: "start", target: "receive" },
      { id: "f2", source: "receive", target: "complete" },
      { id: "f3", source: "complete", target: "committee", condition: "documentsComplete = true" },
      { id: "f4", source: "complete", target: "end_no", isDefault: true },
      { id: "f5", source: "committee", target: "end", outcome: "go" },
      { id: "f6", source: "committee", target: "end_no", outcome: "no-go" },
      { id: "f7", source: "committee", target: "receive", outcome: "rework" },
    ],
  };
}

const t = i18next.createInstance();
beforeAll(async () => {
  await t.init({ lng: "ar", resources, ns: ["common", "engine"], defaultNS: "engine", interpolation: { escapeValue: false } });
});
const tr = (key: string, options?: Record<string, unknown>) => t.getFixedT("ar", "engine")(key, options) as string;

/** What requireOrgMember would return for this member (Arabic interface). */
async function orgContext(o: TestOrg, who: "admin" | "manager" | "staff", member?: { id: string; name: string }): Promise<OrgContext> {
  const person = member ?? { id: o[who].id, name: `${who} ${o.org.slug}` };
  const actor = await actorFor(o.org.id, person.id);
  const org = await withPlatform(testDb(), (trx) => trx.selectFrom("organisations").selectAll().where("id", "=", o.org.id).executeTakeFirstOrThrow());
  const user: SessionUser = { id: person.id, email: "", name: person.name, locale: "ar", isPlatformAdmin: false, sessionHash: "", currentOrgId: o.org.id };
  return { ...actor, user, org, scope: { orgId: o.org.id, userId: person.id }, roleKeys: [who], rules: [], prefs: displayPrefs(org, "ar"), locale: "ar" };
}

async function setup() {
  const o = await makeOrg();
  const key = `aid-${o.org.slug}`.slice(0, 60);
  await withTenant(testDb(), { orgId: o.org.id, userId: o.admin.id }, async (trx) => {
    const audit = { orgId: o.org.id, actorUserId: o.admin.id, actorLabel: "test", requestId: null, ip: null };
    const created = await createDefinition(trx, audit, { key, name: l("طلب مساعدة", "Aid request"), graph: graph(key) });
    if (!created.ok) throw new Error(created.reason);
    const published = await publish(trx, audit, created.definitionId, "");
    if (!published.ok) throw new Error(JSON.stringify(published));
  });
  const staff = await orgContext(o, "staff");
  const manager = await orgContext(o, "manager");
  const started = await withTenant(testDb(), staff.scope, (trx) => startCase(trx, staff, { definitionKey: key, data: {}, title: "أسرة سالم" }));
  return { o, key, staff, manager, caseId: started.caseId, taskId: started.tasks[0]!.id };
}

function form(fields: Record<string, string | string[]>): ReturnType<typeof readTaskForm> {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) data.append(name, v);
  return readTaskForm(data);
}

const events = (o: TestOrg, caseId: string, type: string) =>
  withPlatform(testDb(), (trx) => trx.selectFrom("case_events").select("id").where("org_id", "=", o.org.id).where("case_id", "=", caseId).where("type", "=", type).execute());

describe("the task page's actions", () => {
  it("asks the next decision's question, and refuses to guess when it is unanswered", async () => {
    const { staff, taskId, caseId, o } = await setup();
    const unanswered = await performTaskAction(staff, taskId, form({ intent: "complete", idempotencyKey: "k-unanswered-1", notes: "بدون إجابة" }), tr);
    expect(unanswered).toMatchObject({ ok: false, status: 400, fieldErrors: { "answer.documentsComplete": tr("task.errors.required") } });
    const invalid = await performTaskAction(staff, taskId, form({ intent: "complete", "answer.documentsComplete": "ربما" }), tr);
    expect(invalid).toMatchObject({ ok: false, status: 400, fieldErrors: { "answer.documentsComplete": expect.stringContaining("هل المستندات مكتملة؟") } });
    const done = await performTaskAction(staff, taskId, form({ intent: "complete", idempotencyKey: "k-answered-1", "answer.documentsComplete": "true" }), tr);
    expect(done).toMatchObject({ ok: true, intent: "complete" });
    const kase = await withPlatform(testDb(), (trx) => trx.selectFrom("cases").select("data").where("id", "=", caseId).executeTakeFirstOrThrow());
    expect(kase.data).toEqual({ documentsComplete: true });
    expect(await events(o, caseId, "task_completed")).toHaveLength(1);
  });

  it("the slower person gets 'already completed by X at T' in the organisation's format; a double click acts once", async () => {
    const { staff, manager, taskId, caseId, o } = await setup();
    const first = form({ intent: "complete", idempotencyKey: "k-double-click-1", notes: "ملاحظة", "answer.documentsComplete": "false" });
    const [a, b] = await Promise.all([performTaskAction(staff, taskId, first, tr), performTaskAction(staff, taskId, first, tr)]);
    expect(a).toMatchObject({ ok: true });
    expect(b).toMatchObject({ ok: true });
    expect(await events(o, caseId, "task_completed")).toHaveLength(1);
    expect(await events(o, caseId, "comment_added")).toHaveLength(1);

    const late = await performTaskAction(manager, taskId, form({ intent: "complete", idempotencyKey: "k-late-1", notes: "كتبت هذا متأخراً", "answer.documentsComplete": "true" }), tr);
    expect(late).toMatchObject({ ok: false, status: 409 });
    const task = await withPlatform(testDb(), (trx) => trx.selectFrom("tasks").select("completed_at").where("id", "=", taskId).executeTakeFirstOrThrow());
    const conflict = (late as { conflict: string }).conflict;
    expect(conflict).toContain(staff.user.name);
    expect(conflict).toContain(formatDateTime(task.completed_at!, staff.prefs));
    expect(conflict).toMatch(/[٠-٩]/); // the organisation's Arabic-Indic digits
  });

  it("a stage gate needs an offered outcome, and every required item ticked for 'go'", async () => {
    const { staff, manager, taskId, caseId } = await setup();
    await performTaskAction(staff, taskId, form({ intent: "complete", "answer.documentsComplete": "true" }), tr);
    const page = await loadCasePage(manager, caseId, tr);
    const gate = page.openTasks[0]!;
    expect(gate.name_ar).toBe("قرار اللجنة");
    expect(await performTaskAction(manager, gate.id, form({ intent: "complete" }), tr)).toMatchObject({ status: 400, fieldErrors: { outcome: expect.any(String) } });
    expect(await performTaskAction(manager, gate.id, form({ intent: "complete", outcome: "go" }), tr)).toMatchObject({
      status: 400,
      fieldErrors: { checklist: tr("task.errors.checklistRequired") },
    });
    expect(await performTaskAction(manager, gate.id, form({ intent: "complete", outcome: "go", checklist: "verified" }), tr)).toMatchObject({ ok: true });
    const after = await loadCasePage(manager, caseId, tr);
    expect(after.case.status).toBe("completed");
    expect(after.case.data).toMatchObject({ committee_checklist: ["verified"] });
    expect(after.dataLabels.items.committee_checklist).toEqual({ verified: l("تم التحقق", "Verified") });
  });

  it("claiming a task someone holds names them; other organisations do not find it; handing over needs a person", async () => {
    const { o, staff, manager, taskId } = await setup();
    expect(await performTaskAction(staff, taskId, form({ intent: "claim", idempotencyKey: "k-claim-1" }), tr)).toEqual({ ok: true, intent: "claim" });
    const [colleague] = await addMembers(o, 1, "staff");
    const second = await performTaskAction(await orgContext(o, "staff", colleague), taskId, form({ intent: "claim" }), tr);
    expect(second).toMatchObject({ ok: false, status: 409, conflict: expect.stringContaining(staff.user.name) });
    const taken = await performTaskAction(await orgContext((await setup()).o, "staff"), taskId, form({ intent: "claim" }), tr).catch((e: unknown) => e);
    // A member of another organisation does not even find the task.
    expect(taken).toMatchObject({ init: { status: 404 } });
    const delegated = await performTaskAction(staff, taskId, form({ intent: "delegate", userId: "" }), tr);
    expect(delegated).toMatchObject({ ok: false, status: 400, fieldErrors: { userId: tr("task.errors.chooseCandidate") } });
    expect(await performTaskAction(manager, taskId, form({ intent: "unclaim" }), tr)).toEqual({ ok: true, intent: "unclaim" });
  });
});

describe("the case page's actions", () => {
  it("adds a comment once per key and keeps a refused comment's text", async () => {
    const { staff, caseId, o } = await setup();
    const comment = new FormData();
    comment.append("intent", "comment");
    comment.append("body", "تمت مراجعة المستندات");
    comment.append("idempotencyKey", "k-comment-1");
    await Promise.all([performCaseAction(staff, caseId, comment, tr), performCaseAction(staff, caseId, comment, tr)]);
    expect(await events(o, caseId, "comment_added")).toHaveLength(1);
    const empty = new FormData();
    empty.append("intent", "comment");
    empty.append("body", "   ");
    expect(await performCaseAction(staff, caseId, empty, tr)).toMatchObject({ ok: false, status: 400, body: "   " });
  });

  it("says a cancelled case was cancelled — when, by whom and why — not that it was completed", async () => {
    const { manager, caseId } = await setup();
    const running = await loadCasePage(manager, caseId, tr);
    expect(running.case.cancellation).toBeNull();
    const cancel = new FormData();
    cancel.append("intent", "cancel");
    cancel.append("reason", "طلب المتعامل إلغاء الطلب هاتفيًا");
    cancel.append("idempotencyKey", "k-cancel-1");
    expect(await performCaseAction(manager, caseId, cancel, tr)).toEqual({ ok: true, intent: "cancel" });
    const page = await loadCasePage(manager, caseId, tr);
    expect(page.case.status).toBe("cancelled");
    expect(page.case.cancellation).toEqual({ at: page.case.completedAt, byName: manager.user.name, reason: "طلب المتعامل إلغاء الطلب هاتفيًا", parentReference: null });
    expect(page.case.cancellation?.at).not.toBeNull();
    expect(page.canCancel).toBe(false);
    expect(page.openTasks).toEqual([]);
    // The page's words for it, in both languages (not "completed on").
    const words = { ar: ["أُلغيت في", "ألغاها", "سبب الإلغاء"], en: ["cancelled on", "Cancelled by", "Reason for cancelling"] };
    for (const lang of ["ar", "en"] as const) {
      const say = t.getFixedT(lang, "engine");
      const lines = [say("case.cancelledAt", { at: "T" }), say("case.cancelled.by", { name: "N", at: "T" }), say("case.cancelled.reason"), say("case.cancelled.title"), say("case.noOpenStepsCancelled")];
      words[lang].forEach((word, i) => expect(lines[i]).toContain(word));
      for (const line of lines) expect(line).not.toMatch(/^case\.|اكتملت|complete/i);
    }
  });

  it("refuses corrected data that is not a JSON object and gives the text back", async () => {
    const { manager, caseId } = await setup();
    const retry = new FormData();
    retry.append("intent", "retry");
    retry.append("incidentId", "00000000-0000-4000-8000-000000000000");
    retry.append("data", "{ amount: 5 }");
    expect(await performCaseAction(manager, caseId, retry, tr)).toMatchObject({ ok: false, status: 400, intent: "retry", data: "{ amount: 5 }" });
  });
});

// The API routes called as React Router would: root middleware (i18n) first, then the handler.
type RouteHandler = (args: never) => Promise<Response>;
async function call(handler: RouteHandler, path: string, init: RequestInit & { params?: Record<string, string> } = {}) {
  const ctx = new RouterContextProvider();
  ctx.set(requestContext, { requestId: "req-wf-1", nonce: "n", ip: "127.0.0.1" });
  const request = new Request(`http://localhost${path}`, init);
  let response: Response | undefined;
  await i18nextMiddleware({ request, context: ctx, params: {} } as never, async () => {
    response = await handler({ request, context: ctx, params: init.params ?? {} } as never);
    return response;
  });
  return { response: response!, body: (await response!.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function bearer(o: TestOrg, who: "admin" | "manager" | "staff") {
  const audit = { orgId: o.org.id, actorUserId: o[who].id, actorLabel: o[who].email, requestId: "t", ip: "127.0.0.1" };
  const { secret } = await withTenant(testDb(), { orgId: o.org.id, userId: o[who].id }, (trx) => createToken(trx, audit, { name: "wf", expiresInDays: 1 }));
  return { Authorization: `Bearer ${secret}`, "Content-Type": "application/json", "Accept-Language": "ar" };
}

describe("workflow API routes", () => {
  it("complete: one key, one effect; the loser's 409 says who and when", async () => {
    const { o, taskId } = await setup();
    const path = `/api/v1/orgs/${o.org.slug}/tasks/${taskId}/complete`;
    const params = { org: o.org.slug, taskId };
    const staffHeaders = { ...(await bearer(o, "staff")), "Idempotency-Key": "api-key-0001" };
    const body = JSON.stringify({ data: { documentsComplete: false } });
    const a = await call(completeRoute.action as RouteHandler, path, { method: "POST", headers: staffHeaders, body, params });
    const b = await call(completeRoute.action as RouteHandler, path, { method: "POST", headers: staffHeaders, body, params });
    expect(a.response.status).toBe(200);
    expect(b.body).toEqual(a.body);
    expect(a.body.case.status).toBe("completed");
    const late = await call(completeRoute.action as RouteHandler, path, { method: "POST", headers: await bearer(o, "manager"), body, params });
    expect(late.response.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: "conflict", details: { reason: "task_already_completed", by: { id: o.staff.id }, at: a.body.task.completedAt } });
    const get = await call(completeRoute.loader as RouteHandler, path, { params });
    expect(get.response.status).toBe(405);
  });

  it("import JSON then publish; an invalid draft answers 400 with a message per node", async () => {
    const o = await makeOrg();
    const headers = await bearer(o, "admin");
    const key = `imported-${o.org.slug}`.slice(0, 60);
    const broken = { ...graph(key), edges: graph(key).edges.filter((e) => e.id !== "f4") }; // the decision loses its default
    const imported = await call(importRoute.action as RouteHandler, `/api/v1/orgs/${o.org.slug}/definitions/import`, { method: "POST", headers, body: JSON.stringify(broken), params: { org: o.org.slug } });
    expect(imported.response.status).toBe(201);
    expect(imported.body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ code: "decision_missing_default", severity: "error", nodeId: "complete" })]));
    const publishPath = `/api/v1/orgs/${o.org.slug}/definitions/${key}/publish`;
    const refused = await call(publishRoute.action as RouteHandler, publishPath, { method: "POST", headers, params: { org: o.org.slug, key } });
    expect(refused.response.status).toBe(400);
    expect(Object.keys(refused.body.error.details.fields)).toContain("complete");
    const staff = await call(importRoute.action as RouteHandler, `/api/v1/orgs/${o.org.slug}/definitions/import`, { method: "POST", headers: await bearer(o, "staff"), body: JSON.stringify(graph("other-key")), params: { org: o.org.slug } });
    expect(staff.response.status).toBe(403);
  });
});
