import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorFor as caseActor, addMembers } from "./engine-helpers";
import { actorFor } from "./forms-helpers";
import { makeOrg, testDb, testOwnerDb, type TestOrg } from "./helpers";
import { currentSettings, setPluginEnabled } from "~/models/plugin-orgs.server";
import { portalSecret, ratePortalRequest, submitPortalRequest, trackPortalRequest, type SubmitInput } from "~/models/portal-requests.server";
import { completeTask } from "~/models/tasks.server";
import { issueTicket } from "~/portal/ticket.server";
import { withPlatform, withTenant, type Tx } from "~/utils/db.server";
import { setLogLevel } from "~/utils/log.server";
import { loadPlugins } from "~/utils/plugins.server";
import { loadRequestPage } from "~/utils/portal.server";
import type { ServiceCatalogueTables } from "~plugins/service-catalogue/db";
import { DIGITAL_DEMO_WORKFLOW_KEY } from "~plugins/service-catalogue/demo-data";
import { periodContaining } from "~plugins/service-catalogue/kpi";
import { computeKpi, listKpis } from "~plugins/service-catalogue/kpis.server";
import { hasLintErrors, lintServiceName } from "~plugins/service-catalogue/name-linter";
import { getPublishedService, listPublishedServices } from "~plugins/service-catalogue/public.server";
import { seedCatalogue } from "~plugins/service-catalogue/seed.server";
import { FAMILY_UPDATE_FORM_KEY, seedForms } from "../../seeds/forms";
import { seedWorkflows } from "../../seeds/workflows";

// The demo's fully digital service, seeded as the social-services department gets it (the
// demo forms, the demo workflows, then the catalogue's seed): "تحديث بيانات أسرة مستفيدة" is
// published, fully digital and offers its start form on the portal; a citizen's request runs
// through customer service and the decision maker to the result notice, is tracked and rated,
// and the service's satisfaction KPI reads the rating.

setLogLevel("silent");
const db = () => testDb();
const owner = testOwnerDb();
const PHONE = "050 246 8100";

// Seeded after the worked example (S-1); makeOrg's organisations have the initials "ج ت".
const code = "ج ت-16-S-2";
let t: TestOrg;
let customerService: { id: string };

beforeAll(async () => {
  await loadPlugins(owner);
  t = await makeOrg();
  // The demo workflows' lanes name the social-services units 16 (customer service) and 20.
  const [unit16] = await withPlatform(db(), (trx) =>
    trx
      .insertInto("org_units")
      .values([
        { org_id: t.org.id, code: "16", name_ar: "إدارة خدمة المتعاملين", name_en: "Customer Service Department" },
        { org_id: t.org.id, code: "20", name_ar: "الشؤون الإدارية والمالية", name_en: "Administrative and Financial Affairs" },
      ])
      .returning("id")
      .execute(),
  );
  customerService = (await addMembers(t, 1, "staff", unit16!.id))[0]!;
  await withTenant(db(), { orgId: t.org.id, userId: t.admin.id }, async (trx) => {
    const admin = actorFor(t, "admin");
    const enabled = await setPluginEnabled(trx, admin, "service-catalogue", true);
    if (!enabled.ok) throw new Error(enabled.reason);
    const seedInput = { orgId: t.org.id, slug: "social-services", adminUserId: t.admin.id };
    await seedForms(trx, seedInput);
    await seedWorkflows(trx, seedInput);
    const settings = await currentSettings(trx, t.org.id, "service-catalogue");
    await seedCatalogue({ trx, orgId: t.org.id, adminUserId: t.admin.id, orgSlug: "social-services", settings: settings.values, settingsVersion: settings.version, now: new Date() });
  });
});

afterAll(() => owner.destroy());

const read = <T>(fn: (trx: Tx) => Promise<T>) => withTenant(db(), { orgId: t.org.id }, fn);

async function submission(over: Partial<SubmitInput> = {}): Promise<SubmitInput> {
  return {
    orgId: t.org.id,
    service: { code, workflowKey: DIGITAL_DEMO_WORKFLOW_KEY },
    // Issued ten seconds ago: a person's fill time.
    ticket: issueTicket(await portalSecret(db()), t.org.id, code, new Date(Date.now() - 10_000)),
    honeypot: "",
    contact: PHONE,
    data: { applicantName: "حمدان سعيد الطنيجي", nationalId: "7841987654", familySize: 6, changeType: "newborn", details: "إضافة مولودة جديدة إلى سجل الأسرة" },
    title: "طلب إلكتروني: تحديث بيانات أسرة مستفيدة",
    locale: "ar",
    ip: `203.0.113.${crypto.randomInt(1, 254)}`,
    ...over,
  };
}

/** Completes the case's one open task as `userId` (a candidate of its lane). */
async function completeOpen(caseId: string, userId: string, data: Record<string, unknown> = {}) {
  const task = await read((trx) => trx.selectFrom("tasks").select(["id", "node_id"]).where("org_id", "=", t.org.id).where("case_id", "=", caseId).where("status", "=", "open").executeTakeFirstOrThrow());
  const actor = await caseActor(t.org.id, userId);
  await withTenant(db(), { orgId: t.org.id, userId }, (trx) => completeTask(trx, actor, task.id, { data }));
  return task.node_id;
}

describe("the demo's fully digital service", () => {
  it("is published after the guide's worked example, fully digital, found by the portal's search", async () => {
    const card = await read((trx) => getPublishedService(trx, t.org.id, code));
    expect(card).toMatchObject({
      code,
      name: { ar: "تحديث بيانات أسرة مستفيدة", en: "Update beneficiary family details" },
      channel: "digital",
      segment: "G2C",
      digital: true,
      workflowKey: DIGITAL_DEMO_WORKFLOW_KEY,
      category: { ar: "خدمات المستفيدين" },
      version: 1,
    });
    // The seed bypasses the card form; its names still follow the guide's naming rule.
    expect(hasLintErrors(lintServiceName(card!.name.ar, "ar"))).toBe(false);
    expect(hasLintErrors(lintServiceName(card!.name.en, "en"))).toBe(false);
    const found = await read((trx) => listPublishedServices(trx, t.org.id, { q: "بيانات أسرة", page: 1, pageSize: 10 }));
    expect(found.rows.map((r) => r.code)).toEqual([code]);
    // The worked example keeps code S-1 and stays "partially digital".
    expect(await read((trx) => getPublishedService(trx, t.org.id, "ج ت-16-S-1"))).toMatchObject({ channel: "partial", digital: false });
  });

  it("offers its start form (no file fields) on the request page, and has two computed KPIs", async () => {
    const page = await read(async (trx) => loadRequestPage(trx, t.org.id, (await getPublishedService(trx, t.org.id, code))!));
    if (!page.available || !page.form) throw new Error(`the request page is not available: ${JSON.stringify(page)}`);
    const schema = page.form.schema as { required?: string[]; properties: Record<string, unknown> };
    expect(schema.required).toEqual(["applicantName", "nationalId", "familySize", "changeType"]);
    // (jsonb keeps its own key order; the form's order is in its uiSchema)
    expect(Object.keys(schema.properties).sort()).toEqual(["applicantName", "changeType", "details", "familySize", "nationalId"]);
    // The same form as the workflow's start node names, in its published version 1.
    const version = await read((trx) =>
      trx
        .selectFrom("form_versions as v")
        .innerJoin("form_definitions as d", (j) => j.onRef("d.org_id", "=", "v.org_id").onRef("d.id", "=", "v.form_id"))
        .select(["d.key", "v.version"])
        .where("v.id", "=", page.form!.id)
        .executeTakeFirstOrThrow(),
    );
    expect(version).toEqual({ key: FAMILY_UPDATE_FORM_KEY, version: 1 });

    const service = await read((trx) => trx.withTables<ServiceCatalogueTables>().selectFrom("service_catalogue_service").select("id").where("code", "=", code).executeTakeFirstOrThrow());
    const kpis = await read((trx) => listKpis(trx, t.org.id, service.id));
    expect(kpis.map((k) => [k.name.ar, k.frequency, k.target, k.unit, k.direction, k.expression !== null, k.last])).toEqual([
      ["نسبة رضا المتعاملين عن الخدمة", "quarterly", 90, "percent", "atLeast", true, null],
      ["متوسط زمن إنجاز الطلب", "quarterly", 48, "hours", "atMost", true, null],
    ]);
  });

  it("refuses a request with the start form's answers missing, starting nothing", async () => {
    const refused = await submitPortalRequest(db(), await submission({ data: { applicantName: "حمدان" } }));
    if (refused.ok || refused.reason !== "invalid") throw new Error(JSON.stringify(refused));
    expect(refused.issues.map((i) => i.path).sort()).toEqual(["/changeType", "/familySize", "/nationalId"]);
  });

  it("takes a portal request through its three steps to the result notice; the rating feeds the satisfaction KPI", async () => {
    const sent = await submitPortalRequest(db(), await submission());
    if (!sent.ok) throw new Error(JSON.stringify(sent));
    const kase = await read((trx) => trx.selectFrom("cases").select(["id", "status", "data", "started_by"]).where("org_id", "=", t.org.id).where("reference", "=", sent.reference).executeTakeFirstOrThrow());
    expect(kase).toMatchObject({ status: "running", started_by: null, data: { applicantName: "حمدان سعيد الطنيجي", changeType: "newborn", familySize: 6 } });

    const who = { orgId: t.org.id, code: sent.code, contact: PHONE };
    const tracked = await trackPortalRequest(db(), { ...who, ip: "203.0.113.7" });
    if (!tracked.ok) throw new Error(JSON.stringify(tracked));
    expect(tracked.view.currentSteps.map((s) => s.name.ar)).toEqual(["التحقق من البيانات"]);

    // Customer service (unit 16) checks, the decision maker (manager) approves, customer service notifies.
    expect(await completeOpen(kase.id, customerService.id)).toBe("verify");
    expect(await completeOpen(kase.id, t.manager.id)).toBe("approve");
    const notice = "تم تحديث بيانات أسرتك بإضافة المولودة الجديدة.";
    // The notice step's form requires the notice.
    await expect(completeOpen(kase.id, customerService.id)).rejects.toThrow();
    expect(await completeOpen(kase.id, customerService.id, { resultNotice: notice })).toBe("notify");

    const done = await trackPortalRequest(db(), { ...who, ip: "203.0.113.7" });
    if (!done.ok) throw new Error(JSON.stringify(done));
    expect(done.view).toMatchObject({ status: "completed", currentSteps: [], canRate: true, result: { outcome: { ar: "تم تحديث البيانات" }, notice } });
    expect(await ratePortalRequest(db(), { ...who, ip: "203.0.113.7", rating: 5, comment: "سهلة وسريعة" })).toMatchObject({ ok: true });

    const service = await read((trx) => trx.withTables<ServiceCatalogueTables>().selectFrom("service_catalogue_service").select("id").where("code", "=", code).executeTakeFirstOrThrow());
    const [satisfaction, time] = await read((trx) => listKpis(trx, t.org.id, service.id));
    const period = periodContaining(new Date(), "quarterly");
    const compute = (kpiId: string) => withTenant(db(), { orgId: t.org.id, userId: t.admin.id }, (trx) => computeKpi(trx, { orgId: t.org.id, kpiId, period, recordedBy: t.admin.id, actorLabel: "test" }));
    expect(await compute(satisfaction!.id)).toMatchObject({ ok: true, value: 100, caseCount: 1 });
    const hours = await compute(time!.id);
    if (!hours.ok) throw new Error(JSON.stringify(hours));
    // One request completed within the test, well under the 48-hour target.
    expect(hours.value).toBeGreaterThanOrEqual(0);
    expect(hours.value).toBeLessThan(1);
  });
});
