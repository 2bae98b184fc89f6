import type { PluginSeed } from "../contract";
import { publishCharter, saveCharterDraft } from "./charter.server";
import { DIGITAL_DEMO_KPIS, digitalDemoService, guideCharter, WORKED_EXAMPLE_KPIS, workedExampleService } from "./demo-data";
import { recordManualMeasurement, saveKpi } from "./kpis.server";
import { createService, publishService } from "./services.server";

// Demo data (seeds/plugins.ts runs it after enabling the plugin): the guide's worked example
// "إصدار شهادة لمن يهمه الأمر" for the social-services department — the service card,
// classification, link to the demo workflow "certificate-to-whom" (five steps, ten minutes),
// the two KPIs with a first half-year measured — published as version 1; the fully digital
// "تحديث بيانات أسرة مستفيدة" (workflow "family-data-update", start form and result notice)
// with two computed KPIs, published, so the portal takes requests for it; and the guide's
// example service charter, published. Other organisations start with an empty catalogue.
// Runs once, with the rest of the demo data (seeds/demo.ts seeds an empty database only).

export const seedCatalogue: PluginSeed = async ({ trx, orgId, adminUserId, orgSlug }) => {
  if (orgSlug !== "social-services") return;
  const actor = {
    orgId,
    actorUserId: adminUserId,
    actorLabel: "seed",
    requestId: null,
    ip: null,
  };
  const org = await trx.selectFrom("organisations").select(["name_ar", "name_en"]).where("id", "=", orgId).executeTakeFirstOrThrow();
  const unit = await trx.selectFrom("org_units").select("id").where("org_id", "=", orgId).where("code", "=", "16").executeTakeFirstOrThrow();
  const created = await createService(trx, actor, workedExampleService({ ar: org.name_ar, en: org.name_en }, unit.id));
  if (!created.ok) throw new Error(`demo service: ${created.reason}`);
  const measured = [0.8, 96];
  for (const [i, kpi] of WORKED_EXAMPLE_KPIS.entries()) {
    const saved = await saveKpi(trx, actor, created.id, kpi);
    if (!saved.ok) throw new Error(`demo KPI ${kpi.nameAr}: ${saved.reason}`);
    await recordManualMeasurement(
      trx,
      actor,
      { id: saved.id, service_id: created.id },
      {
        periodStart: "2025-07-01",
        periodEnd: "2025-12-31",
        value: measured[i]!,
        note: "من التقرير نصف السنوي قبل تشغيل مسار",
      },
    );
  }
  await publishService(trx, {
    orgId,
    serviceId: created.id,
    caseId: null,
    publishedBy: adminUserId,
    actorLabel: "seed",
  });

  // The fully digital service the portal demo requests (code …-S-2): no measurement yet — its
  // KPIs are computed from the requests the demo makes and the ratings citizens leave.
  const digital = await createService(trx, actor, digitalDemoService({ ar: org.name_ar, en: org.name_en }, unit.id));
  if (!digital.ok) throw new Error(`demo digital service: ${digital.reason}`);
  for (const kpi of DIGITAL_DEMO_KPIS) {
    const saved = await saveKpi(trx, actor, digital.id, kpi);
    if (!saved.ok) throw new Error(`demo KPI ${kpi.nameAr}: ${saved.reason}`);
  }
  await publishService(trx, { orgId, serviceId: digital.id, caseId: null, publishedBy: adminUserId, actorLabel: "seed" });

  const admin = await trx.selectFrom("users").select("name").where("id", "=", adminUserId).executeTakeFirstOrThrow();
  const charter = guideCharter(
    { ar: org.name_ar, en: org.name_en },
    {
      name: { ar: admin.name, en: admin.name },
      title: { ar: "مدير الدائرة", en: "Director of the department" },
    },
  );
  const draft = await saveCharterDraft(trx, actor, charter, 0);
  if (!draft.ok) throw new Error("demo charter");
  const published = await publishCharter(trx, actor);
  if (!published.ok) throw new Error(`demo charter: ${published.reason}`);
};
