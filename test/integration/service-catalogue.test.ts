import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorFor, barrier, dedicatedDb } from "./engine-helpers";
import { makeOrg, testDb, testOwnerDb, type TestOrg } from "./helpers";
import type { DefinitionGraph } from "~/engine/definition";
import { stepsTable } from "~/engine/steps-table";
import { cancelCase } from "~/models/case-cancel.server";
import { startCase } from "~/models/cases.server";
import { savePluginSettings, setPluginEnabled, currentSettings } from "~/models/plugin-orgs.server";
import { installTemplates } from "~/models/plugin-templates.server";
import { completeTask } from "~/models/tasks.server";
import { createDefinition, publish } from "~/models/workflow-definitions.server";
import { grantAppRole } from "~/utils/migrate.server";
import { withPlatform, withTenant, type Tx } from "~/utils/db.server";
import { setLogLevel } from "~/utils/log.server";
import { loadPlugins } from "~/utils/plugins.server";
import { PLUGIN_REGISTRY } from "~plugins/registry";
import type { ServiceCatalogueTables } from "~plugins/service-catalogue/db";
import { getCharterDraft, publishCharter, saveCharterDraft } from "~plugins/service-catalogue/charter.server";
import { GUIDE_STEPS_TABLE, guideCharter, workedExampleService } from "~plugins/service-catalogue/demo-data";
import { lastCompletePeriod } from "~plugins/service-catalogue/kpi";
import { computeDueKpis, computeKpi, listKpis, listMeasurements, saveKpi } from "~plugins/service-catalogue/kpis.server";
import { normaliseArabic } from "~plugins/service-catalogue/name-linter";
import { getPublishedCharter, getPublishedService, listPublishedServices } from "~plugins/service-catalogue/public.server";
import { findServiceForPage, releaseEndedReviews, ReviewRefused, submitForReview } from "~plugins/service-catalogue/review.server";
import type { ServiceInput } from "~plugins/service-catalogue/schema";
import { seedCatalogue } from "~plugins/service-catalogue/seed.server";
import { createService, findService, publishService, updateService } from "~plugins/service-catalogue/services.server";
import { certificateDefinition } from "../../seeds/workflows";

// The service catalogue against a real PostgreSQL: codes under concurrency, the review
// workflow publishing a card, KPIs computed from a service's cases and portal ratings, tenant
// isolation, the public read functions, and the guide's worked example.

setLogLevel("silent");
const db = () => testDb();
const entry = PLUGIN_REGISTRY.find((p) => p.id === "service-catalogue")!;
const actorOf = (t: TestOrg, user: { id: string; email: string } = t.admin) => ({ orgId: t.org.id, actorUserId: user.id, actorLabel: user.email, requestId: "t", ip: "127.0.0.1" });
const as = <T>(t: TestOrg, fn: (trx: Tx) => Promise<T>, userId = t.admin.id) => withTenant(db(), { orgId: t.org.id, userId }, fn);
const tables = (trx: Tx) => trx.withTables<ServiceCatalogueTables>();

/** Enables the catalogue with the approver, installs and publishes the review workflow. */
async function setUp(t: TestOrg, approver: "manager" | "admin" = "manager") {
  await as(t, async (trx) => {
    const actor = actorOf(t);
    const enabled = await setPluginEnabled(trx, actor, "service-catalogue", true);
    if (!enabled.ok) throw new Error(enabled.reason);
    const saved = await savePluginSettings(trx, actor, "service-catalogue", { values: { approver }, expectedVersion: enabled.settingsVersion, locale: "ar" });
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    const installed = await installTemplates(trx, actor, "service-catalogue");
    expect(installed.map((i) => `${i.kind}:${i.targetKey}`)).toEqual(["workflow:service-review"]);
    const def = await trx.selectFrom("workflow_definitions").select("id").where("org_id", "=", t.org.id).where("key", "=", "service-review").executeTakeFirstOrThrow();
    expect(await publish(trx, actor, def.id, "")).toMatchObject({ ok: true });
  });
}

function input(t: TestOrg, over: Partial<ServiceInput> = {}): ServiceInput {
  return { ...workedExampleService({ ar: "جهة الاختبار", en: "Test body" }, t.units.a), workflowKey: null, ...over };
}

/** A one-step flow "receive → deliver" to hang KPIs on. */
function simpleFlow(key: string): DefinitionGraph {
  const l = (ar: string, en: string) => ({ ar, en });
  return {
    key,
    name: l("تجديد رخصة", "Renew a licence"),
    direction: "rtl",
    lanes: [{ id: "lane_staff", name: l("الموظفون", "Staff"), assignee: { type: "role", roleKey: "staff" } }],
    nodes: [
      { id: "start", kind: "start", name: l("بداية", "Start"), lane: "lane_staff" },
      { id: "deliver", kind: "task", name: l("تسليم", "Deliver"), lane: "lane_staff", estimatedMinutes: 5 },
      { id: "end", kind: "end", name: l("نهاية", "End"), lane: "lane_staff" },
    ],
    edges: [
      { id: "e1", source: "start", target: "deliver" },
      { id: "e2", source: "deliver", target: "end" },
    ],
  };
}

async function publishFlow(t: TestOrg, graph: DefinitionGraph) {
  await as(t, async (trx) => {
    const created = await createDefinition(trx, actorOf(t), { key: graph.key, name: graph.name, graph });
    if (!created.ok) throw new Error(created.reason);
    expect(await publish(trx, actorOf(t), created.definitionId, "")).toMatchObject({ ok: true });
  });
}

describe("service catalogue", () => {
  const owner = testOwnerDb();
  beforeAll(async () => {
    const loaded = await loadPlugins(owner, [entry]);
    expect(loaded.plugins.find((p) => p.id === "service-catalogue")).toMatchObject({ status: "active" });
    await grantAppRole(owner);
  });
  afterAll(() => owner.destroy());

  it("codes follow initials – unit code – S – serial, stay when renamed or moved, and never repeat under concurrency", async () => {
    const t = await makeOrg();
    await setUp(t);
    const first = await as(t, (trx) => createService(trx, actorOf(t), input(t)));
    const second = await as(t, (trx) => createService(trx, actorOf(t), input(t, { nameAr: "تجديد رخصة تجارية", unitId: t.units.b })));
    expect(first).toMatchObject({ ok: true, code: "ج ت-A1-S-1" });
    expect(second).toMatchObject({ ok: true, code: "ج ت-B2-S-2" });
    if (!first.ok) return;

    // Renamed and moved to another unit: same code.
    const row = await as(t, (trx) => findService(trx, t.org.id, first.id));
    const renamed = await as(t, (trx) => updateService(trx, actorOf(t), first.id, input(t, { nameAr: "إصدار شهادة راتب", unitId: t.units.b }), row!.row_version));
    expect(renamed).toEqual({ ok: true, id: first.id, code: "ج ت-A1-S-1" });
    // A stale edit is refused.
    expect(await as(t, (trx) => updateService(trx, actorOf(t), first.id, input(t), row!.row_version))).toEqual({ ok: false, reason: "stale" });

    // Twelve admins create at the same moment, each in their own transaction.
    const pool = dedicatedDb(12);
    const ready = barrier(12);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        withTenant(pool, { orgId: t.org.id, userId: t.admin.id }, async (trx) => {
          await ready();
          return createService(trx, actorOf(t), input(t, { nameAr: `إصدار شهادة رقم ${i + 1}` }));
        }),
      ),
    );
    await pool.destroy();
    const codes = results.map((r) => (r.ok ? r.code : r.reason));
    expect(new Set(codes).size).toBe(12);
    const serials = await as(t, (trx) => tables(trx).selectFrom("service_catalogue_service").select("serial").orderBy("serial").execute());
    expect(serials.map((s) => s.serial)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    // The database refuses a duplicate code even if the counter were bypassed.
    await expect(
      as(t, (trx) => tables(trx).insertInto("service_catalogue_service").values({ org_id: t.org.id, code: "ج ت-A1-S-1", serial: 99, name_ar: "تكرار", entity_ar: "ج", unit_id: t.units.a }).execute()),
    ).rejects.toThrow(/service_catalogue_service_org_id_code_key/);
  });

  it("the review workflow publishes the card (approver from the settings) or sends it back; the portal shows the published version", async () => {
    const t = await makeOrg();
    await setUp(t, "manager");
    const created = await as(t, (trx) => createService(trx, actorOf(t), input(t, { channel: "digital" })));
    if (!created.ok) throw new Error(created.reason);
    const admin = await actorFor(t.org.id, t.admin.id);
    const manager = await actorFor(t.org.id, t.manager.id);

    // A name breaking the rule cannot go to review.
    const bad = await as(t, (trx) => createService(trx, actorOf(t), input(t, { nameAr: "خدمة المتعاملين" })));
    if (!bad.ok) throw new Error(bad.reason);
    await expect(as(t, (trx) => submitForReview(trx, admin, bad.id))).rejects.toEqual(new ReviewRefused("name_invalid"));

    const started = await as(t, (trx) => submitForReview(trx, admin, created.id));
    const underReview = await as(t, (trx) => findService(trx, t.org.id, created.id));
    expect(underReview).toMatchObject({ status: "in_review", review_case_id: started.caseId, published_version: null });
    // Locked while under review; a second review is refused.
    expect(await as(t, (trx) => updateService(trx, actorOf(t), created.id, input(t), underReview!.row_version))).toEqual({ ok: false, reason: "in_review" });
    await expect(as(t, (trx) => submitForReview(trx, admin, created.id))).rejects.toEqual(new ReviewRefused("not_draft"));
    expect(await as(t, (trx) => getPublishedService(trx, t.org.id, "ج ت-A1-S-1"))).toBeUndefined();

    const task = await as(t, (trx) => trx.selectFrom("tasks").select(["id", "node_id"]).where("case_id", "=", started.caseId).where("status", "=", "open").executeTakeFirstOrThrow());
    expect(task.node_id).toBe("review_manager");
    const done = await as(t, (trx) => completeTask(trx, manager, task.id, { outcome: "go" }), t.manager.id);
    expect(done.caseStatus).toBe("completed");
    const published = await as(t, (trx) => findService(trx, t.org.id, created.id));
    expect(published).toMatchObject({ status: "published", published_version: 1, review_case_id: null });

    const card = await as(t, (trx) => getPublishedService(trx, t.org.id, created.code));
    expect(card).toMatchObject({
      code: "ج ت-A1-S-1",
      name: { ar: "إصدار شهادة لمن يهمه الأمر" },
      channel: "digital",
      digital: false, // no workflow linked: nothing to submit through
      version: 1,
      conditions: { ar: ["صالحة لمدة (15) يوم من تاريخ صدورها", "لا تشمل المتقاعدين"] },
      responsibleUnit: { ar: "وحدة أ", en: "Unit A" },
    });
    expect(JSON.stringify(card)).not.toContain(t.admin.id);
    const listed = await as(t, (trx) => listPublishedServices(trx, t.org.id, { q: "لمن يهمه", page: 1, pageSize: 10 }));
    expect(listed.total).toBe(1);
    expect((await as(t, (trx) => listPublishedServices(trx, t.org.id, { segment: "G2B", page: 1, pageSize: 10 }))).total).toBe(0);

    // Edited after publishing: the portal keeps version 1 until the next review publishes.
    const row = await as(t, (trx) => findService(trx, t.org.id, created.id));
    await as(t, (trx) => updateService(trx, actorOf(t), created.id, input(t, { nameAr: "إصدار شهادة لمن يهمه الأمر إلكترونيا", channel: "digital" }), row!.row_version));
    expect((await as(t, (trx) => getPublishedService(trx, t.org.id, created.code)))?.name.ar).toBe("إصدار شهادة لمن يهمه الأمر");

    // The policy now says the organisation admin reviews; this reviewer sends the card back.
    await as(t, async (trx) => {
      const current = await currentSettings(trx, t.org.id, "service-catalogue");
      expect((await savePluginSettings(trx, actorOf(t), "service-catalogue", { values: { approver: "admin" }, expectedVersion: current.version, locale: "ar" })).ok).toBe(true);
    });
    const again = await as(t, (trx) => submitForReview(trx, admin, created.id));
    const gate = await as(t, (trx) => trx.selectFrom("tasks").select(["id", "node_id"]).where("case_id", "=", again.caseId).where("status", "=", "open").executeTakeFirstOrThrow());
    expect(gate.node_id).toBe("review_admin");
    await as(t, (trx) => completeTask(trx, admin, gate.id, { outcome: "rework" }));
    expect(await as(t, (trx) => findService(trx, t.org.id, created.id))).toMatchObject({ status: "draft", published_version: 1 });
    const versions = await as(t, (trx) => tables(trx).selectFrom("service_catalogue_service_version").select(["version", "case_id"]).where("service_id", "=", created.id).execute());
    expect(versions).toEqual([{ version: 1, case_id: started.caseId }]);
    // Published versions are records: never rewritten.
    await expect(as(t, (trx) => tables(trx).updateTable("service_catalogue_service_version").set({ case_id: null }).where("service_id", "=", created.id).execute())).rejects.toThrow(/never updated/);
  });

  it("cancelling a service's review case returns the card to draft the next time the catalogue reads or writes it", async () => {
    const t = await makeOrg();
    await setUp(t, "manager");
    const created = await as(t, (trx) => createService(trx, actorOf(t), input(t)));
    const other = await as(t, (trx) => createService(trx, actorOf(t), input(t, { nameAr: "تجديد رخصة تجارية" })));
    if (!created.ok || !other.ok) throw new Error("not created");
    const admin = await actorFor(t.org.id, t.admin.id);
    const manager = await actorFor(t.org.id, t.manager.id);
    const first = await as(t, (trx) => submitForReview(trx, admin, created.id));
    const running = await as(t, (trx) => submitForReview(trx, admin, other.id));

    // A review still running keeps its card locked: nothing to release.
    expect(await as(t, (trx) => releaseEndedReviews(trx, t.org.id))).toEqual([]);

    // An admin cancels the first review case (Cases → the case → cancel). The core knows
    // nothing of the catalogue: the card stays "in review" until the catalogue looks.
    const cancelled = await as(t, (trx) => cancelCase(trx, admin, first.reference, { reason: "أُرسلت للمراجعة بالخطأ" }));
    expect(cancelled.cancelled).toEqual([first.reference]);
    const locked = await as(t, (trx) => findService(trx, t.org.id, created.id));
    expect(locked).toMatchObject({ status: "in_review", review_case_id: first.caseId });

    // The service page reads it: released, with the case it was waiting for; the other,
    // still under review, is untouched.
    const page = await as(t, (trx) => findServiceForPage(trx, t.org.id, created.id));
    expect(page.ended).toEqual({ serviceId: created.id, caseId: first.caseId, reference: first.reference, caseStatus: "cancelled" });
    // The draft still names the cancelled case: the page says which review ended, and how.
    expect(page.row).toMatchObject({ status: "draft", review_case_id: first.caseId, row_version: locked!.row_version + 1 });
    expect(await as(t, (trx) => findService(trx, t.org.id, other.id))).toMatchObject({ status: "in_review", review_case_id: running.caseId });
    // Read again: nothing more to do.
    expect((await as(t, (trx) => findServiceForPage(trx, t.org.id, created.id))).ended).toBeNull();
    const audit = await withPlatform(db(), (trx) =>
      trx.selectFrom("audit_log").select(["actor_label", "after"]).where("org_id", "=", t.org.id).where("action", "=", "service.send_back").where("subject_id", "=", created.id).execute(),
    );
    expect(audit).toEqual([{ actor_label: "plugin:service-catalogue", after: { status: "draft", caseId: first.caseId, outcome: "review_cancelled" } }]);

    // Editable again, and it can go to review anew.
    const edited = await as(t, (trx) => updateService(trx, actorOf(t), created.id, input(t, { feesAr: "مجانًا" }), page.row!.row_version));
    expect(edited).toMatchObject({ ok: true });
    const second = await as(t, (trx) => submitForReview(trx, admin, created.id));
    expect(second.caseId).not.toBe(first.caseId);
    expect(await as(t, (trx) => findService(trx, t.org.id, created.id))).toMatchObject({ status: "in_review", review_case_id: second.caseId });

    // Sending for review straight after a cancellation (a page shown before it) works too, as
    // does the list's sweep; a review the workflow decided is left as the workflow left it.
    await as(t, (trx) => cancelCase(trx, admin, second.reference, { reason: "تعديل إضافي قبل المراجعة" }));
    const third = await as(t, (trx) => submitForReview(trx, admin, created.id));
    expect(await as(t, (trx) => findService(trx, t.org.id, created.id))).toMatchObject({ status: "in_review", review_case_id: third.caseId });
    await as(t, (trx) => cancelCase(trx, admin, running.reference, { reason: "تغيير الإدارة المختصة" }));
    const gate = await as(t, (trx) => trx.selectFrom("tasks").select("id").where("case_id", "=", third.caseId).where("status", "=", "open").executeTakeFirstOrThrow());
    await as(t, (trx) => completeTask(trx, manager, gate.id, { outcome: "go" }), t.manager.id);
    const swept = await as(t, (trx) => releaseEndedReviews(trx, t.org.id));
    expect(swept.map((r) => [r.serviceId, r.caseStatus])).toEqual([[other.id, "cancelled"]]);
    expect(await as(t, (trx) => findService(trx, t.org.id, created.id))).toMatchObject({ status: "published", published_version: 1, review_case_id: null });
    expect(await as(t, (trx) => findService(trx, t.org.id, other.id))).toMatchObject({ status: "draft", review_case_id: running.caseId });
  });

  it("KPIs are computed from the service's cases and portal ratings, manual ones are typed, and each measurement is kept", async () => {
    const t = await makeOrg();
    await setUp(t);
    await publishFlow(t, simpleFlow("renew-licence"));
    const created = await as(t, (trx) => createService(trx, actorOf(t), input(t, { nameAr: "تجديد رخصة تجارية", workflowKey: "renew-licence", channel: "digital" })));
    if (!created.ok) throw new Error(created.reason);
    // Fully digital with a published workflow: the portal may take requests for it.
    await as(t, (trx) => publishService(trx, { orgId: t.org.id, serviceId: created.id, caseId: null, publishedBy: t.admin.id, actorLabel: "t" }));
    expect(await as(t, (trx) => getPublishedService(trx, t.org.id, created.code))).toMatchObject({ digital: true, workflowKey: "renew-licence" });
    const base = { nameEn: "", formulaAr: "", formulaEn: "", expression: "", frequency: "half-yearly" as const, unit: "percent" as const };
    const ids = await as(t, async (trx) => {
      const err = await saveKpi(trx, actorOf(t), created.id, { ...base, nameAr: "نسبة الأخطاء في تسليم الخدمة", method: "errorRate", field: "returned", target: 1, direction: "atMost" });
      const sat = await saveKpi(trx, actorOf(t), created.id, { ...base, nameAr: "نسبة رضا المتعاملين عن الخدمة", method: "satisfaction", field: "", target: 95, direction: "atLeast" });
      const time = await saveKpi(trx, actorOf(t), created.id, { ...base, nameAr: "متوسط زمن الإنجاز", method: "completionTime", field: "", target: 10, unit: "minutes", direction: "atMost" });
      const manual = await saveKpi(trx, actorOf(t), created.id, { ...base, nameAr: "عدد الشكاوى", method: "manual", field: "", target: 5, unit: "count", direction: "atMost" });
      const broken = await saveKpi(trx, actorOf(t), created.id, { ...base, nameAr: "خطأ", method: "custom", field: "", expression: "count(cases", target: 1, direction: "atMost" });
      expect(broken).toMatchObject({ ok: false, reason: "expression" });
      if (!err.ok || !sat.ok || !time.ok || !manual.ok) throw new Error("kpi");
      return { err: err.id, sat: sat.id, time: time.id, manual: manual.id };
    });

    // Four requests: three delivered (one returned with an error), one still open; two customers rated.
    const staff = await actorFor(t.org.id, t.staff.id);
    const caseIds: string[] = [];
    for (const returned of [true, false, false, null]) {
      const started = await as(t, (trx) => startCase(trx, staff, { definitionKey: "renew-licence", data: {} }), t.staff.id);
      caseIds.push(started.caseId);
      if (returned !== null) await as(t, (trx) => completeTask(trx, staff, started.tasks[0]!.id, { data: { returned } }), t.staff.id);
    }
    await as(t, (trx) =>
      trx
        .insertInto("portal_ratings")
        .values([
          { org_id: t.org.id, case_id: caseIds[0]!, service_code: created.code, rating: 4 },
          { org_id: t.org.id, case_id: caseIds[1]!, service_code: created.code, rating: 5 },
        ])
        .execute(),
    );

    const today = new Date().toISOString().slice(0, 10);
    const period = { start: "2020-01-01", end: today };
    const compute = (kpiId: string) => as(t, (trx) => computeKpi(trx, { orgId: t.org.id, kpiId, period, recordedBy: t.admin.id, actorLabel: "t" }));
    expect(await compute(ids.err)).toMatchObject({ ok: true, value: 33.33, caseCount: 4 });
    expect(await compute(ids.sat)).toMatchObject({ ok: true, value: 90, caseCount: 4 });
    const time = await compute(ids.time);
    expect(time).toMatchObject({ ok: true, caseCount: 4 });
    if (time.ok) expect(time.value).toBeGreaterThanOrEqual(0);
    expect(await compute(ids.manual)).toEqual({ ok: false, reason: "manual" });
    // A period before any case: nothing to measure, recorded as such.
    expect(await as(t, (trx) => computeKpi(trx, { orgId: t.org.id, kpiId: ids.err, period: { start: "2019-01-01", end: "2019-06-30" }, recordedBy: null, actorLabel: "t" }))).toMatchObject({
      ok: true,
      value: null,
      caseCount: 0,
    });

    // One more error a week later: a new measurement, the old one kept.
    const fifth = await as(t, (trx) => startCase(trx, staff, { definitionKey: "renew-licence", data: {} }), t.staff.id);
    await as(t, (trx) => completeTask(trx, staff, fifth.tasks[0]!.id, { data: { returned: true } }), t.staff.id);
    expect(await compute(ids.err)).toMatchObject({ ok: true, value: 50, caseCount: 5 });
    const history = await as(t, (trx) => listMeasurements(trx, t.org.id, ids.err));
    expect(history.map((m) => m.value)).toEqual([50, 33.33, null]);
    const kpis = await as(t, (trx) => listKpis(trx, t.org.id, created.id));
    expect(kpis.find((k) => k.id === ids.err)?.last).toMatchObject({ value: 50, method: "computed", periodStart: "2020-01-01", periodEnd: today });

    // The daily job measures each computed KPI's last complete period once (three KPIs read cases).
    const later = new Date(Date.now() + 400 * 24 * 60 * 60 * 1000);
    expect(await as(t, (trx) => computeDueKpis(trx, t.org.id, later))).toBe(3);
    expect(await as(t, (trx) => computeDueKpis(trx, t.org.id, later))).toBe(0);
    const due = lastCompletePeriod(later, "half-yearly");
    expect((await as(t, (trx) => listMeasurements(trx, t.org.id, ids.err)))[0]).toMatchObject({ periodStart: due.start, periodEnd: due.end, method: "computed" });
  });

  it("keeps each organisation's catalogue to itself, and the portal reads nothing where the plugin is off", async () => {
    const a = await makeOrg();
    const b = await makeOrg();
    await setUp(a);
    const created = await as(a, (trx) => createService(trx, actorOf(a), input(a)));
    if (!created.ok) throw new Error(created.reason);
    // Row-level security, not the where clause: b sees none of a's rows in any catalogue table.
    const seen = await as(b, async (trx) => {
      const out: Record<string, number> = {};
      for (const table of ["service_catalogue_service", "service_catalogue_counter", "service_catalogue_kpi"]) {
        const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(trx);
        out[table] = r.rows[0]!.n;
      }
      return out;
    });
    expect(seen).toEqual({ service_catalogue_service: 0, service_catalogue_counter: 0, service_catalogue_kpi: 0 });
    await expect(
      as(b, (trx) => tables(trx).insertInto("service_catalogue_service").values({ org_id: a.org.id, code: "x-1-S-9", serial: 9, name_ar: "تسلل", entity_ar: "ب", unit_id: null }).execute()),
    ).rejects.toThrow(/row-level security/);

    // b has not enabled the plugin: the portal reads nothing there.
    expect(await as(b, (trx) => listPublishedServices(trx, b.org.id, { page: 1, pageSize: 10 }))).toEqual({ rows: [], total: 0 });
    expect(await as(b, (trx) => getPublishedCharter(trx, b.org.id))).toBeUndefined();
  });

  it("the charter is versioned: each publication a new version, unchanged drafts refused, stale saves refused", async () => {
    const t = await makeOrg();
    await setUp(t);
    const content = guideCharter({ ar: "جهة", en: "Body" }, { name: { ar: "سالم", en: "Salem" }, title: { ar: "المدير", en: "Director" } });
    await as(t, async (trx) => {
      expect(await publishCharter(trx, actorOf(t))).toEqual({ ok: false, reason: "no_draft" });
      expect(await saveCharterDraft(trx, actorOf(t), content, 0)).toEqual({ ok: true, rowVersion: 1 });
      expect(await saveCharterDraft(trx, actorOf(t), content, 0)).toEqual({ ok: false, reason: "stale" });
      expect(await publishCharter(trx, actorOf(t))).toEqual({ ok: true, version: 1 });
      expect(await publishCharter(trx, actorOf(t))).toEqual({ ok: false, reason: "unchanged" });
      const changed = { ...content, customerObligations: { ar: [...content.customerObligations.ar, "الحضور في الموعد المحدد"], en: [...content.customerObligations.en, "Arrive on time"] } };
      expect(await saveCharterDraft(trx, actorOf(t), changed, 1)).toEqual({ ok: true, rowVersion: 2 });
      expect((await getCharterDraft(trx, t.org.id)).unpublishedChanges).toBe(true);
      expect(await publishCharter(trx, actorOf(t))).toEqual({ ok: true, version: 2 });
    });
    const published = await as(t, (trx) => getPublishedCharter(trx, t.org.id));
    expect(published).toMatchObject({ version: 2, signature: { name: { ar: "سالم" } } });
    expect(published!.customerObligations.ar).toContain("الحضور في الموعد المحدد");
    await expect(as(t, (trx) => tables(trx).updateTable("service_catalogue_charter_version").set({ version: 9 }).where("version", "=", 1).execute())).rejects.toThrow(/never updated/);
  });

  it("the guide's worked example: five steps, ten minutes, two KPIs, as the guide's tables", async () => {
    const t = await makeOrg();
    await withPlatform(db(), (trx) =>
      trx
        .insertInto("org_units")
        .values([
          { org_id: t.org.id, code: "16", name_ar: "إدارة خدمة المتعاملين", name_en: "Customer Service Department" },
          { org_id: t.org.id, code: "20", name_ar: "الشؤون الإدارية والمالية", name_en: "Administrative and Financial Affairs" },
        ])
        .execute(),
    );
    await setUp(t);
    await publishFlow(t, certificateDefinition());
    await as(t, async (trx) => {
      const settings = await currentSettings(trx, t.org.id, "service-catalogue");
      await seedCatalogue({ trx, orgId: t.org.id, adminUserId: t.admin.id, orgSlug: "social-services", settings: settings.values, settingsVersion: settings.version, now: new Date() });
    });
    const card = await as(t, (trx) => getPublishedService(trx, t.org.id, "ج ت-16-S-1"));
    expect(card).toMatchObject({ name: { ar: "إصدار شهادة لمن يهمه الأمر" }, estimatedMinutes: 10, channel: "partial", fees: { ar: "لا يوجد" }, workflowKey: "certificate-to-whom" });

    // The steps table is the linked definition's second view.
    const graph = await as(t, (trx) =>
      trx
        .selectFrom("workflow_versions as v")
        .innerJoin("workflow_definitions as d", (j) => j.onRef("d.org_id", "=", "v.org_id").onRef("d.id", "=", "v.definition_id"))
        .select("v.graph")
        .where("d.key", "=", card!.workflowKey!)
        .where("v.status", "=", "published")
        .executeTakeFirstOrThrow(),
    );
    const table = stepsTable(graph.graph as DefinitionGraph);
    const rows = table.rows.map((r) =>
      [String(r.number), r.name.ar, r.description?.ar, r.responsibility?.ar, r.inputs?.ar, r.outputs?.ar, r.tools?.ar, String(r.estimatedMinutes)].map((c) => normaliseArabic(c ?? "")),
    );
    expect(rows).toEqual(GUIDE_STEPS_TABLE.rows.map((r) => r.map(normaliseArabic)));
    expect([table.rows.length, table.totalMinutes, table.unestimated]).toEqual([GUIDE_STEPS_TABLE.totalSteps, GUIDE_STEPS_TABLE.totalMinutes, 0]);

    // By its code: the seed also publishes the demo's fully digital service (S-2).
    const service = await as(t, (trx) => tables(trx).selectFrom("service_catalogue_service").select("id").where("code", "=", "ج ت-16-S-1").executeTakeFirstOrThrow());
    const kpis = await as(t, (trx) => listKpis(trx, t.org.id, service.id));
    expect(kpis.map((k) => [k.name.ar, k.formula.ar, k.frequency, k.target, k.unit])).toEqual([
      ["نسبة الأخطاء في تسليم الخدمة", GUIDE_STEPS_TABLE.kpis[0]![2], "half-yearly", 1, "percent"],
      ["نسبة رضا المتعاملين عن الخدمة", GUIDE_STEPS_TABLE.kpis[1]![2], "half-yearly", 95, "percent"],
    ]);
    const charter = await as(t, (trx) => getPublishedCharter(trx, t.org.id));
    expect(charter).toMatchObject({ version: 1, values: { ar: ["الكفاءة", "الالتزام", "الابتكار", "النزاهة", "المسؤولية", "التعاون", "الاحترام"] } });
    expect(charter!.axes.map((a) => a.axis.ar)).toEqual(["معرفة المتعاملين", "شفافية في تقديم الخدمات", "خدمات متاحة للجميع", "توفير الخدمات بشكل سريع وفعال"]);
  });
});
