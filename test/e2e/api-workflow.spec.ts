import crypto from "node:crypto";
import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { DEMO, DEMO_PASSWORD } from "./helpers";

// The workflow API against the real server: definitions (list, get, export, import, publish),
// cases (start, get, list, events) and tasks (mine, claim, complete) with idempotency keys
// and the 409 that names who was faster. Tokens come from the tokens page, as in api.spec.ts.

const TOKEN_PATTERN = /msr_[a-z0-9]{8}_[A-Za-z0-9_-]{43}/;
const ORG = DEMO.social.slug;
const CERTIFICATE = "certificate-to-whom";

async function csrfFrom(response: APIResponse): Promise<string> {
  const match = /name="_csrf" value="([^"]+)"/.exec(await response.text());
  expect(match, "CSRF field on the page").not.toBeNull();
  return match![1]!;
}

/** Signs in with the login form and creates a personal access token on the tokens page. */
async function tokenFor(playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } }, baseURL: string, email: string): Promise<string> {
  const browserish = await playwright.request.newContext({ baseURL });
  const login = await csrfFrom(await browserish.get("/login"));
  await browserish.post("/login", { form: { _csrf: login, email, password: DEMO_PASSWORD } });
  const csrf = await csrfFrom(await browserish.get(`/app/${ORG}/tokens`));
  const created = await browserish.post(`/app/${ORG}/tokens`, { form: { _csrf: csrf, intent: "create", name: `workflow e2e ${crypto.randomUUID().slice(0, 8)}`, expiry: "7" } });
  const secret = TOKEN_PATTERN.exec(await created.text())?.[0];
  expect(secret, "a new token").toBeTruthy();
  await browserish.dispose();
  return secret!;
}

async function client(playwright: Parameters<typeof tokenFor>[0], baseURL: string, email: string): Promise<APIRequestContext> {
  const secret = await tokenFor(playwright, baseURL, email);
  return playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${secret}`, "Accept-Language": "en" } });
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function json(response: APIResponse, status: number): Promise<Json> {
  const body = (await response.json()) as Json;
  expect(response.status(), JSON.stringify(body)).toBe(status);
  return body;
}

const base = `/api/v1/orgs/${ORG}`;

test.describe("workflow API", () => {
  test("definitions: list, get with versions, export JSON and BPMN, import, publish", async ({ playwright, baseURL }) => {
    const admin = await client(playwright, baseURL!, DEMO.social.admin);
    const list = await json(await admin.get(`${base}/definitions?q=certificate`), 200);
    expect(list.items).toEqual(expect.arrayContaining([expect.objectContaining({ key: CERTIFICATE, latestVersion: 1, archived: false })]));

    const detail = await json(await admin.get(`${base}/definitions/${CERTIFICATE}`), 200);
    expect(detail.versions[0]).toMatchObject({ version: 1, status: "published" });
    await json(await admin.get(`${base}/definitions/no-such-definition`), 404);

    const exported = await admin.get(`${base}/definitions/${CERTIFICATE}/export?format=json`);
    expect(exported.status()).toBe(200);
    expect(exported.headers()["content-disposition"]).toContain(`${CERTIFICATE}-v1.json`);
    const file = (await exported.json()) as Json;
    expect(file).toMatchObject({ format: "masar.workflow", definition: { key: CERTIFICATE } });
    const bpmn = await admin.get(`${base}/definitions/${CERTIFICATE}/export?format=bpmn&version=1`);
    expect(bpmn.headers()["content-type"]).toMatch(/^application\/xml/);
    const xml = await bpmn.text();
    expect(xml).toContain("bpmn:definitions");
    await json(await admin.get(`${base}/definitions/${CERTIFICATE}/export?format=pdf`), 400);

    // A copy under a new key: imported as a draft, then published as version 1.
    const copy = `certificate-copy-${crypto.randomBytes(3).toString("hex")}`;
    const imported = await json(await admin.post(`${base}/definitions/import?key=${copy}`, { data: file }), 201);
    expect(imported).toMatchObject({ key: copy, created: true });
    expect(imported.problems.filter((p: Json) => p.severity === "error")).toEqual([]);
    await json(await admin.post(`${base}/definitions/import?key=${copy}`, { data: file }), 409);
    const published = await json(await admin.post(`${base}/definitions/${copy}/publish`, { data: { changeNote: "نسخة عبر الواجهة البرمجية" } }), 200);
    expect(published).toMatchObject({ version: 1, status: "published", changeNote: "نسخة عبر الواجهة البرمجية" });
    await json(await admin.post(`${base}/definitions/${copy}/publish`), 409); // no draft left

    // BPMN in, under another key.
    const fromBpmn = `certificate-bpmn-${crypto.randomBytes(3).toString("hex")}`;
    const bpmnImport = await json(await admin.post(`${base}/definitions/import?key=${fromBpmn}`, { headers: { "Content-Type": "application/xml" }, data: xml }), 201);
    expect(bpmnImport.key).toBe(fromBpmn);
    await json(await admin.post(`${base}/definitions/import`, { headers: { "Content-Type": "text/plain" }, data: "hello" }), 400);

    // Staff may read definitions but not import them.
    const staff = await client(playwright, baseURL!, DEMO.social.staff);
    await json(await staff.post(`${base}/definitions/import?key=nope-${crypto.randomBytes(3).toString("hex")}`, { data: file }), 403);
    await admin.dispose();
    await staff.dispose();
  });

  test("cases and tasks: start, my tasks, claim, complete once, 409 with who and when", async ({ playwright, baseURL }) => {
    const staff = await client(playwright, baseURL!, DEMO.social.staff);
    const consultant = await client(playwright, baseURL!, DEMO.consultant);

    const startKey = `start-${crypto.randomUUID()}`;
    const start = () => staff.post(`${base}/cases`, { headers: { "Idempotency-Key": startKey }, data: { definitionKey: CERTIFICATE, title: "شهادة عبر الواجهة البرمجية" } });
    const started = await json(await start(), 201);
    expect(started.reference).toMatch(/^\d{4}-\d{6,}$/);
    expect(started.openTasks).toEqual([expect.objectContaining({ nodeId: "receive", assignee: null, status: "open" })]);
    expect((await start()).headers()["location"]).toBe(`${base}/cases/${started.reference}`);
    expect((await json(await start(), 201)).reference, "a repeated start returns the same case").toBe(started.reference);
    await json(await staff.post(`${base}/cases`, { data: { definitionKey: "no-such-definition" } }), 404);
    await json(await staff.post(`${base}/cases`, { data: { title: "no key" } }), 400);

    const taskId = started.openTasks[0].id as string;
    const groups = await json(await staff.get(`${base}/tasks?filter=groups&q=${started.reference}`), 200);
    expect(groups.items.map((t: Json) => t.id)).toEqual([taskId]);
    expect(groups.counts.groups).toBeGreaterThanOrEqual(1);
    await json(await staff.get(`${base}/tasks?filter=everything`), 400);

    const claimed = await json(await staff.post(`${base}/tasks/${taskId}/claim`), 200);
    expect(claimed.assignee).toMatchObject({ name: "فاطمة النقبي" });
    const mine = await json(await staff.get(`${base}/tasks?q=${started.reference}`), 200);
    expect(mine.items.map((t: Json) => t.id)).toEqual([taskId]);

    // Someone else claiming it now loses, and is told who holds it since when.
    const lost = await json(await consultant.post(`${base}/tasks/${taskId}/claim`), 409);
    expect(lost.error.details).toMatchObject({ reason: "task_already_claimed", by: { name: "فاطمة النقبي" }, at: expect.any(String) });
    expect(lost.error.message).toContain("فاطمة النقبي");

    // Completing twice with one key has one effect and answers the same.
    const key = `complete-${crypto.randomUUID()}`;
    const complete = (k: string) => staff.post(`${base}/tasks/${taskId}/complete`, { headers: { "Idempotency-Key": k }, data: { data: { applicantName: "سالم" } } });
    const [a, b] = await Promise.all([complete(key), complete(key)]);
    const first = await json(a, 200);
    expect(await json(b, 200)).toEqual(first);
    expect(first.task).toMatchObject({ id: taskId, status: "completed" });
    expect(first.case.data).toMatchObject({ applicantName: "سالم" });
    expect(first.case.openTasks).toEqual([expect.objectContaining({ nodeId: "study" })]);

    const again = await json(await complete(`complete-${crypto.randomUUID()}`), 409);
    expect(again.error.details).toMatchObject({ reason: "task_already_completed", by: { name: "فاطمة النقبي" } });
    expect(Date.parse(again.error.details.at)).not.toBeNaN();

    const kase = await json(await staff.get(`${base}/cases/${started.reference}`), 200);
    expect(kase).toMatchObject({ reference: started.reference, status: "running", definitionKey: CERTIFICATE, version: 1 });
    const events = await json(await staff.get(`${base}/cases/${started.reference}/events`), 200);
    const types = events.items.map((e: Json) => e.type);
    expect(types).toEqual(expect.arrayContaining(["started", "task_claimed", "task_completed"]));
    expect(types.filter((t: string) => t === "task_completed")).toHaveLength(1);
    const later = await json(await staff.get(`${base}/cases/${started.reference}/events?afterSeq=${events.items.length - 1}`), 200);
    expect(later.items).toHaveLength(1);
    const cases = await json(await staff.get(`${base}/cases?q=${started.reference}&status=running`), 200);
    expect(cases.items).toEqual([expect.objectContaining({ reference: started.reference })]);
    await json(await staff.get(`${base}/cases/2000-000000`), 404);
    await staff.dispose();
    await consultant.dispose();
  });

  test("concurrent completions by different people: exactly one wins", async ({ playwright, baseURL }) => {
    const staff = await client(playwright, baseURL!, DEMO.social.staff);
    const consultant = await client(playwright, baseURL!, DEMO.consultant);
    const started = await json(await staff.post(`${base}/cases`, { data: { definitionKey: CERTIFICATE, title: "سباق" } }), 201);
    const taskId = started.openTasks[0].id as string;
    const responses = await Promise.all(
      [staff, consultant, staff, consultant].map((who) => who.post(`${base}/tasks/${taskId}/complete`, { headers: { "Idempotency-Key": crypto.randomUUID() }, data: { data: {} } })),
    );
    const statuses = responses.map((r) => r.status()).sort();
    expect(statuses).toEqual([200, 409, 409, 409]);
    const events = await json(await staff.get(`${base}/cases/${started.reference}/events`), 200);
    expect(events.items.filter((e: Json) => e.type === "task_completed")).toHaveLength(1);
    await staff.dispose();
    await consultant.dispose();
  });

  test("cancel a case: staff may not, a manager may with a reason, twice is a conflict", async ({ playwright, baseURL }) => {
    const staff = await client(playwright, baseURL!, DEMO.social.staff);
    const manager = await client(playwright, baseURL!, DEMO.social.manager);
    const started = await json(await staff.post(`${base}/cases`, { data: { definitionKey: CERTIFICATE, title: "طلب يُلغى" } }), 201);
    const cancel = (who: APIRequestContext, data: object) => who.post(`${base}/cases/${started.reference}/cancel`, { data });
    await json(await cancel(staff, { reason: "لا أملك الصلاحية" }), 403);
    const invalid = await json(await cancel(manager, { reason: "" }), 400);
    expect(invalid.error.code).toBe("validation_failed");
    const cancelled = await json(await cancel(manager, { reason: "طلب المتعامل الإلغاء" }), 200);
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.openTasks).toEqual([]);
    const again = await json(await cancel(manager, { reason: "مرة أخرى" }), 409);
    expect(again.error.details).toMatchObject({ reason: "case_not_running" });
    const events = await json(await staff.get(`${base}/cases/${started.reference}/events`), 200);
    expect(events.items.at(-1)).toMatchObject({ type: "cancelled", payload: { reason: "طلب المتعامل الإلغاء" } });
    await staff.dispose();
    await manager.dispose();
  });
});
