import crypto from "node:crypto";
import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { threeStepFlow, publishFixture } from "../fixtures/workflows";
import { actorFor as caseActor } from "./engine-helpers";
import { actorFor, publishedForm } from "./forms-helpers";
import { makeOrg, testDb, testOwnerDb, type TestOrg } from "./helpers";
import { i18nextMiddleware } from "~/middleware/i18next";
import { setPluginEnabled } from "~/models/plugin-orgs.server";
import { PORTAL_LIMITS, type PortalLimits } from "~/models/portal-limits.server";
import { portalSecret, ratePortalRequest, submitPortalRequest, trackPortalRequest, type SubmitInput } from "~/models/portal-requests.server";
import { completeTask } from "~/models/tasks.server";
import { issueTicket } from "~/portal/ticket.server";
import { requestContext } from "~/utils/context.server";
import { withTenant } from "~/utils/db.server";
import { setLogLevel } from "~/utils/log.server";
import { loadPlugins } from "~/utils/plugins.server";
import { KPI_PRESETS } from "~plugins/service-catalogue/kpi";
import { evaluateKpi } from "~plugins/service-catalogue/kpi-eval.server";
import { casesForKpi } from "~plugins/service-catalogue/kpis.server";
import { createService, publishService } from "~plugins/service-catalogue/services.server";
import { workedExampleService } from "~plugins/service-catalogue/demo-data";
import * as layoutRoute from "~/routes/o.$org";
import * as requestRoute from "~/routes/o.$org.services.$code_.request";
import * as trackRoute from "~/routes/o.$org.track";

// The public portal's journey against a real database (ADR 010): a citizen submits through
// the start form of a fully digital service → a case started by nobody, with the form's
// data; tracking needs the code AND the same phone/email, and every mismatch looks the same;
// the rating is taken once, when the case is completed, where the satisfaction KPI reads it;
// rate limits, the honeypot and the minimum fill time refuse scripts.

setLogLevel("silent");
const db = () => testDb();
const owner = testOwnerDb();
const FLOW = "portal-certificate";
const PHONE = "050 123 4567";

let t: TestOrg;
let other: TestOrg;
let serviceCode: string;
let secret: string;

const ip = () => `198.51.100.${crypto.randomInt(1, 254)}`;
const oldTicket = (orgId = t.org.id, code = serviceCode) => issueTicket(secret, orgId, code, new Date(Date.now() - 10_000));

function submission(over: Partial<SubmitInput> = {}): SubmitInput {
  return {
    orgId: t.org.id,
    service: { code: serviceCode, workflowKey: FLOW },
    ticket: oldTicket(),
    honeypot: "",
    contact: PHONE,
    data: { fullName: "سارة أحمد المزروعي", purpose: "تقديمها إلى جهة العمل" },
    title: "طلب إلكتروني: إصدار شهادة لمن يهمه الأمر",
    locale: "ar",
    ip: ip(),
    ...over,
  };
}

async function submitOk(over: Partial<SubmitInput> = {}) {
  const result = await submitPortalRequest(db(), submission(over));
  if (!result.ok) throw new Error(`submit refused: ${JSON.stringify(result)}`);
  return result;
}

const caseOf = (reference: string) =>
  withTenant(db(), { orgId: t.org.id }, (trx) =>
    trx.selectFrom("cases").select(["id", "status", "data", "title", "started_by"]).where("org_id", "=", t.org.id).where("reference", "=", reference).executeTakeFirstOrThrow(),
  );

async function completeAll(caseId: string, lastData: Record<string, unknown>) {
  const staff = await caseActor(t.org.id, t.staff.id);
  for (let step = 0; step < 3; step++) {
    const task = await withTenant(db(), { orgId: t.org.id }, (trx) =>
      trx.selectFrom("tasks").select("id").where("org_id", "=", t.org.id).where("case_id", "=", caseId).where("status", "=", "open").executeTakeFirstOrThrow(),
    );
    await withTenant(db(), { orgId: t.org.id, userId: t.staff.id }, (trx) => completeTask(trx, staff, task.id, { data: step === 2 ? lastData : {} }));
  }
}

beforeAll(async () => {
  await loadPlugins(owner);
  t = await makeOrg();
  other = await makeOrg();
  secret = await portalSecret(db());
  const admin = actorFor(t, "admin");
  await withTenant(db(), { orgId: t.org.id, userId: t.admin.id }, async (trx) => {
    const enabled = await setPluginEnabled(trx, admin, "service-catalogue", true);
    if (!enabled.ok) throw new Error(enabled.reason);
  });
  const form = await publishedForm(t, {
    schema: {
      type: "object",
      required: ["fullName", "purpose"],
      properties: { fullName: { type: "string", title: "الاسم الكامل", minLength: 5 }, purpose: { type: "string", title: "الغرض من الشهادة" } },
    },
    uiSchema: {},
    translations: { ar: {}, en: {} },
  });
  const graph = threeStepFlow(FLOW);
  await publishFixture(db(), t.org.id, { ...graph, nodes: graph.nodes.map((n) => (n.kind === "start" ? { ...n, form: form.key } : n)) });
  serviceCode = await withTenant(db(), { orgId: t.org.id, userId: t.admin.id }, async (trx) => {
    const created = await createService(trx, admin, { ...workedExampleService({ ar: "جهة تجريبية", en: "Test body" }, t.units.a), channel: "digital", workflowKey: FLOW });
    if (!created.ok) throw new Error(created.reason);
    return (await publishService(trx, { orgId: t.org.id, serviceId: created.id, caseId: null, publishedBy: t.admin.id, actorLabel: "test" })).code;
  });
});

afterAll(() => owner.destroy());

describe("submitting a request", () => {
  it("starts the service's case with the start form's data, by nobody, and answers with a tracking code", async () => {
    const result = await submitOk();
    expect(result.code).toMatch(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
    const kase = await caseOf(result.reference);
    expect(kase).toMatchObject({ status: "running", started_by: null, title: "طلب إلكتروني: إصدار شهادة لمن يهمه الأمر" });
    expect(kase.data).toMatchObject({ fullName: "سارة أحمد المزروعي", purpose: "تقديمها إلى جهة العمل" });
    // Neither the code nor the phone number is stored as typed.
    const row = await withTenant(db(), { orgId: t.org.id }, (trx) => trx.selectFrom("portal_requests").selectAll().where("case_id", "=", kase.id).executeTakeFirstOrThrow());
    expect(row).toMatchObject({ service_code: serviceCode, contact_kind: "phone", locale: "ar" });
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(result.code.replace("-", ""));
    expect(stored).not.toContain("1234567");
    expect(row.contact_hash).toMatch(/^\$argon2id\$/);
  });

  it("answers the same form sent twice with the same code and one case", async () => {
    const ticket = oldTicket();
    const [a, b] = await Promise.all([submitOk({ ticket }), submitOk({ ticket })]);
    expect(a.code).toBe(b.code);
    expect(a.reference).toBe(b.reference);
    const again = await submitPortalRequest(db(), submission({ ticket, contact: "citizen@example.com" }));
    expect(again).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses the start form's invalid answers field by field, in Arabic, starting nothing", async () => {
    const before = await withTenant(db(), { orgId: t.org.id }, (trx) => trx.selectFrom("cases").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow());
    const result = await submitPortalRequest(db(), submission({ data: { fullName: "سارة" } }));
    expect(result.ok).toBe(false);
    if (result.ok || result.reason !== "invalid") throw new Error(JSON.stringify(result));
    expect(result.issues.map((i) => i.path).sort()).toEqual(["/fullName", "/purpose"]);
    expect(result.issues.every((i) => /[\u0600-\u06FF]/.test(i.message))).toBe(true);
    const after = await withTenant(db(), { orgId: t.org.id }, (trx) => trx.selectFrom("cases").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow());
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it("refuses bots: the honeypot, a form sent at once, a forged or foreign ticket; and a contact that is neither phone nor email", async () => {
    expect(await submitPortalRequest(db(), submission({ honeypot: "http://spam.example" }))).toEqual({ ok: false, reason: "rejected" });
    expect(await submitPortalRequest(db(), submission({ ticket: issueTicket(secret, t.org.id, serviceCode) }))).toEqual({ ok: false, reason: "too_fast" });
    const [time, nonce] = oldTicket().split(".");
    expect(await submitPortalRequest(db(), submission({ ticket: `${time}.${nonce}.${"A".repeat(43)}` }))).toEqual({ ok: false, reason: "rejected" });
    expect(await submitPortalRequest(db(), submission({ ticket: oldTicket(other.org.id) }))).toEqual({ ok: false, reason: "rejected" });
    expect(await submitPortalRequest(db(), submission({ ticket: oldTicket(t.org.id, "another-service") }))).toEqual({ ok: false, reason: "rejected" });
    expect(await submitPortalRequest(db(), submission({ contact: "call me" }))).toEqual({ ok: false, reason: "invalid", issues: [], contactRefused: true });
  });

  it("refuses a missing contact and the start form's invalid answers in the same answer, starting nothing", async () => {
    const count = () => withTenant(db(), { orgId: t.org.id }, (trx) => trx.selectFrom("cases").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow());
    const before = await count();
    for (const contact of ["", "   ", "call me"]) {
      const result = await submitPortalRequest(db(), submission({ contact, data: { fullName: "سارة" } }));
      if (result.ok || result.reason !== "invalid") throw new Error(JSON.stringify(result));
      expect(result.contactRefused).toBe(true);
      expect(result.issues.map((i) => i.path).sort()).toEqual(["/fullName", "/purpose"]);
    }
    // A good contact with bad answers: only the answers are refused.
    const answers = await submitPortalRequest(db(), submission({ data: {} }));
    expect(answers).toMatchObject({ ok: false, reason: "invalid", contactRefused: false });
    // A flow that cannot start says so whatever the contact.
    expect(await submitPortalRequest(db(), submission({ contact: "", service: { code: serviceCode, workflowKey: "no-such-flow" } }))).toEqual({ ok: false, reason: "not_startable" });
    expect(Number((await count()).n)).toBe(Number(before.n));
  });

  it("refuses a service whose workflow is not published", async () => {
    expect(await submitPortalRequest(db(), submission({ service: { code: serviceCode, workflowKey: "no-such-flow" } }))).toEqual({ ok: false, reason: "not_startable" });
  });
});

describe("tracking and rating", () => {
  it("shows the status to the holder of the code and the same contact, whatever way they type them", async () => {
    const { code, reference } = await submitOk();
    const found = await trackPortalRequest(db(), { orgId: t.org.id, code: code.toLowerCase().replace("-", " "), contact: "+971 50 123 4567", ip: ip() });
    if (!found.ok) throw new Error(JSON.stringify(found));
    expect(found.view).toMatchObject({ reference, serviceCode, status: "in_progress", result: null, rating: null, canRate: false });
    expect(found.view.currentSteps.map((s) => s.name.ar)).toEqual(["استلام الطلب"]);
  });

  it("answers a wrong contact, a wrong code, a malformed code and another organisation exactly alike", async () => {
    const { code } = await submitOk();
    const wrongCode = code.startsWith("2") ? `3${code.slice(1)}` : `2${code.slice(1)}`;
    const answers = await Promise.all([
      trackPortalRequest(db(), { orgId: t.org.id, code, contact: "050 999 9999", ip: ip() }),
      trackPortalRequest(db(), { orgId: t.org.id, code, contact: "citizen@example.com", ip: ip() }),
      trackPortalRequest(db(), { orgId: t.org.id, code: wrongCode, contact: PHONE, ip: ip() }),
      trackPortalRequest(db(), { orgId: t.org.id, code: "not a code", contact: PHONE, ip: ip() }),
      trackPortalRequest(db(), { orgId: other.org.id, code, contact: PHONE, ip: ip() }),
    ]);
    for (const answer of answers) expect(answer).toEqual({ ok: false, reason: "not_found" });
  });

  it("gives the result when the case is completed and takes one rating, which the satisfaction KPI reads", async () => {
    const { code, reference } = await submitOk({ contact: "Citizen@Example.com" });
    const who = { orgId: t.org.id, code, contact: "citizen@example.com" };
    const early = await ratePortalRequest(db(), { ...who, ip: ip(), rating: 5, comment: "" });
    expect(early).toMatchObject({ ok: false, reason: "not_completed" });

    await completeAll((await caseOf(reference)).id, { resultNotice: "صدرت الشهادة، ويمكنك استلامها من مركز خدمة المتعاملين." });
    const done = await trackPortalRequest(db(), { ...who, ip: ip() });
    if (!done.ok) throw new Error(JSON.stringify(done));
    expect(done.view).toMatchObject({ status: "completed", currentSteps: [], canRate: true, rating: null });
    expect(done.view.result).toEqual({ outcome: { ar: "نهاية", en: "End" }, notice: "صدرت الشهادة، ويمكنك استلامها من مركز خدمة المتعاملين." });
    expect(done.view.closedAt).not.toBeNull();

    expect(await ratePortalRequest(db(), { ...who, ip: ip(), rating: 6, comment: "" })).toMatchObject({ ok: false, reason: "invalid" });
    expect(await ratePortalRequest(db(), { ...who, contact: "someone@example.com", ip: ip(), rating: 1, comment: "" })).toEqual({ ok: false, reason: "not_found" });
    const rated = await ratePortalRequest(db(), { ...who, ip: ip(), rating: 4, comment: "خدمة سريعة" });
    expect(rated).toMatchObject({ ok: true, view: { rating: { rating: 4, comment: "خدمة سريعة" }, canRate: false } });
    expect(await ratePortalRequest(db(), { ...who, ip: ip(), rating: 1, comment: "تغيير" })).toMatchObject({ ok: false, reason: "already_rated", view: { rating: { rating: 4 } } });

    const kase = await caseOf(reference);
    const ratings = await withTenant(db(), { orgId: t.org.id }, (trx) => trx.selectFrom("portal_ratings").selectAll().where("case_id", "=", kase.id).execute());
    expect(ratings).toMatchObject([{ service_code: serviceCode, rating: 4, comment: "خدمة سريعة" }]);
    const today = new Date().toISOString().slice(0, 10);
    const cases = await withTenant(db(), { orgId: t.org.id }, (trx) => casesForKpi(trx, t.org.id, FLOW, { start: today, end: today }));
    const mine = cases.filter((c) => c.rating !== null);
    expect(mine).toEqual([expect.objectContaining({ status: "completed", rating: 4 })]);
    expect(evaluateKpi(KPI_PRESETS.satisfaction(), cases)).toEqual({ ok: true, value: 80 });
  });
});

describe("rate limits", () => {
  const tight: PortalLimits = {
    ...PORTAL_LIMITS,
    submitPerAddress: { max: 2, windowSeconds: 3600 },
    trackPerAddress: { max: 3, windowSeconds: 3600 },
  };

  it("stop lookups from one address after the limit, counting misses too, but not other addresses", async () => {
    const { code } = await submitOk();
    // Outside ip()'s range: no other test's request counts against this address.
    const address = "192.0.2.11";
    const look = (from: string, contact = PHONE) => trackPortalRequest(db(), { orgId: t.org.id, code, contact, ip: from }, tight);
    expect((await look(address, "wrong@example.com")).ok).toBe(false);
    expect((await look(address)).ok).toBe(true);
    expect((await look(address)).ok).toBe(true);
    const limited = await look(address);
    expect(limited).toMatchObject({ ok: false, reason: "rate_limited" });
    if (limited.ok || limited.reason !== "rate_limited") throw new Error("expected a limit");
    expect(limited.retryAfterSeconds).toBeGreaterThan(0);
    expect(limited.retryAfterSeconds).toBeLessThanOrEqual(3600);
    // Ratings count as lookups.
    expect(await ratePortalRequest(db(), { orgId: t.org.id, code, contact: PHONE, ip: address, rating: 5, comment: "" }, tight)).toMatchObject({ reason: "rate_limited" });
    expect((await look("2001:db8:5:5::1")).ok).toBe(true);
    // One IPv6 /64 is one address.
    for (let i = 0; i < 3; i++) await look(`2001:db8:5:6::${i + 1}`);
    expect(await look("2001:db8:5:6::ffff")).toMatchObject({ reason: "rate_limited" });
  });

  it("stop submissions from one address, refused ones included, and the whole organisation past its own limit", async () => {
    const address = "192.0.2.12";
    expect(await submitPortalRequest(db(), submission({ ip: address, honeypot: "x" }), tight)).toMatchObject({ reason: "rejected" });
    expect((await submitPortalRequest(db(), submission({ ip: address }), tight)).ok).toBe(true);
    expect(await submitPortalRequest(db(), submission({ ip: address }), tight)).toMatchObject({ ok: false, reason: "rate_limited" });

    const fresh = await makeOrg();
    const perOrg: PortalLimits = { ...PORTAL_LIMITS, trackPerOrg: { max: 2, windowSeconds: 3600 } };
    const look = () => trackPortalRequest(db(), { orgId: fresh.org.id, code: "K7M2P-Q9RTX", contact: PHONE, ip: ip() }, perOrg);
    expect(await look()).toEqual({ ok: false, reason: "not_found" });
    expect(await look()).toEqual({ ok: false, reason: "not_found" });
    expect(await look()).toMatchObject({ ok: false, reason: "rate_limited" });
  });

  it("keep buckets per organisation under row-level security", async () => {
    const rows = await withTenant(db(), { orgId: other.org.id }, (trx) => trx.selectFrom("portal_rate_buckets").select("org_id").execute());
    expect(rows.every((r) => r.org_id === other.org.id)).toBe(true);
    const requests = await withTenant(db(), { orgId: other.org.id }, (trx) => trx.selectFrom("portal_requests").select("id").execute());
    expect(requests).toEqual([]);
  });
});

/** A portal route called as React Router would for an anonymous visitor (i18n middleware, request context). */
async function anonymous(handler: (args: never) => Promise<unknown>, slug: string, path: string, init: RequestInit = {}, params: Record<string, string> = {}) {
  const context = new RouterContextProvider();
  context.set(requestContext, { requestId: "req-portal", nonce: "n", ip: ip() });
  const request = new Request(`http://localhost${path}`, { ...init, duplex: "half" } as RequestInit);
  let outcome: unknown;
  await i18nextMiddleware({ request, context, params: {} } as never, async () => {
    try {
      outcome = await handler({ request, context, params: { org: slug, ...params } } as never);
    } catch (thrown) {
      outcome = thrown;
    }
    return new Response(null);
  });
  return outcome as { type?: string; data?: unknown; init?: { status?: number } | null };
}

describe("the portal's pages", () => {
  it("exist only for organisations that enabled the service catalogue", async () => {
    const open = await anonymous(layoutRoute.loader as never, t.org.slug, `/o/${t.org.slug}`);
    expect(open).toMatchObject({ data: { org: { slug: t.org.slug, name: { ar: `جهة ${t.org.slug}` } } } });
    // ?lng= is remembered like the language switch (a cookie), so the next pages keep it.
    const english = (await anonymous(layoutRoute.loader as never, t.org.slug, `/o/${t.org.slug}?lng=en`)) as { init?: { headers?: Headers } };
    expect(english.init?.headers?.get("set-cookie")).toMatch(/^masar_lng=/);
    for (const slug of [other.org.slug, "no-such-org", "Bad Slug"]) {
      const closed = await anonymous(layoutRoute.loader as never, slug, `/o/${slug}`);
      expect(closed).toMatchObject({ data: { code: "not_found" }, init: { status: 404 } });
    }
  });

  it("answer a wrong code and a wrong contact with the same page", async () => {
    const { code } = await submitOk();
    const post = (body: Record<string, string>) =>
      anonymous(trackRoute.action as never, t.org.slug, `/o/${t.org.slug}/track`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": "200" },
        body: new URLSearchParams({ intent: "track", ...body }).toString(),
      });
    const wrongContact = await post({ code, contact: "050 000 0000" });
    const wrongCode = await post({ code: "K7M2P-Q9RTX", contact: PHONE });
    expect(wrongContact.init?.status).toBe(404);
    expect(wrongCode.init?.status).toBe(404);
    const strip = (r: typeof wrongCode) => ({ ...(r.data as Record<string, unknown>), values: undefined });
    expect(strip(wrongContact)).toEqual(strip(wrongCode));
    const right = await post({ code, contact: PHONE });
    expect(right.init?.status).toBe(200);
    expect(right.data).toMatchObject({ view: { status: "in_progress", serviceName: { ar: "إصدار شهادة لمن يهمه الأمر" } } });
  });

  it("refuse an empty request form in one round: the contact and every answer, with what was typed", async () => {
    const data = JSON.stringify({ fullName: "سارة" });
    const post = (contact: string) => {
      const body = new URLSearchParams({ ticket: oldTicket(), website: "", contact, data }).toString();
      return anonymous(requestRoute.action as never, t.org.slug, `/o/${t.org.slug}/services/${serviceCode}/request`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(Buffer.byteLength(body)) },
        body,
      }, { code: serviceCode });
    };
    type Failure = { fieldErrors: { contact?: string }; formErrors?: { path: string; message: string }[]; values: { contact: string; data: string } };
    const empty = await post("");
    expect(empty.init?.status).toBe(400);
    const failure = empty.data as Failure;
    expect(failure.fieldErrors.contact).toBe("اكتب رقم هاتفك أو بريدك الإلكتروني");
    expect(failure.formErrors?.map((e) => e.path).sort()).toEqual(["/fullName", "/purpose"]);
    expect(failure.values).toEqual({ contact: "", data });
    const wrong = (await post("call me")).data as Failure;
    expect(wrong.fieldErrors.contact).toMatch(/[\u0600-\u06FF]/);
    expect(wrong.fieldErrors.contact).not.toBe(failure.fieldErrors.contact);
    expect(wrong.formErrors?.map((e) => e.path).sort()).toEqual(["/fullName", "/purpose"]);
    // With the contact right, only the answers are refused.
    const answers = (await post(PHONE)).data as Failure;
    expect(answers.fieldErrors.contact).toBeUndefined();
    expect(answers.formErrors?.map((e) => e.path).sort()).toEqual(["/fullName", "/purpose"]);
  });
});
