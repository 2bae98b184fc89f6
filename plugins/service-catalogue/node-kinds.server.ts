import type { PluginNodeKind } from "../contract";
import { markInReview, publishService, sendBackService } from "./services.server";
import { readCatalogueSettings } from "./settings";

// The review workflow's automatic steps ("مراجعة خدمة ونشرها", templates.ts). The case data
// names the service (serviceId); the settings are those the case started under, so a change
// of approver never re-routes a review already running.

const ACTOR = "plugin:service-catalogue";

function serviceIdOf(data: Record<string, unknown>): string {
  const id = data.serviceId;
  // A clear incident (retryable once the data is corrected) rather than a guess.
  if (typeof id !== "string" || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error("the case does not name the service to review (data.serviceId)");
  return id;
}

/** "بدء المراجعة": locks the card for editing and writes who approves (settings) into the case. */
export const beginReview: PluginNodeKind = {
  kind: "beginReview",
  names: { ar: "بدء مراجعة الخدمة", en: "Start the service review" },
  description: {
    ar: "يضع الخدمة (serviceId) قيد المراجعة فلا تُعدَّل بطاقتها أثناءها، ويضيف إلى بيانات الحالة من يراجعها (approver) حسب إعدادات الجهة.",
    en: "Puts the service (serviceId) under review, so its card cannot be edited meanwhile, and adds who reviews it (approver) from the organisation's settings to the case data.",
  },
  configSchema: { type: "object", properties: {} },
  async execute({ trx, orgId, caseId, data, settings, settingsVersion }) {
    const row = await markInReview(trx, orgId, serviceIdOf(data), caseId, ACTOR);
    return {
      approver: readCatalogueSettings(settings).approver,
      serviceCode: row.code,
      catalogueSettingsVersion: settingsVersion,
    };
  },
};

/** "نشر الخدمة": the approved card becomes the next published version (what the portal shows). */
export const publish: PluginNodeKind = {
  kind: "publish",
  names: { ar: "نشر بطاقة الخدمة", en: "Publish the service card" },
  description: {
    ar: "ينشر بطاقة الخدمة (serviceId) كإصدار جديد يظهر في دليل الخدمات وعلى البوابة.",
    en: "Publishes the service card (serviceId) as a new version, shown in the catalogue and on the portal.",
  },
  configSchema: { type: "object", properties: {} },
  async execute({ trx, orgId, caseId, data }) {
    const starter = await trx.selectFrom("cases").select("started_by").where("org_id", "=", orgId).where("id", "=", caseId).executeTakeFirst();
    const published = await publishService(trx, {
      orgId,
      serviceId: serviceIdOf(data),
      caseId,
      publishedBy: starter?.started_by ?? null,
      actorLabel: ACTOR,
    });
    return { serviceVersion: published.version, serviceCode: published.code };
  },
};

/** "إعادة للتعديل": the reviewer did not approve; the card is editable again. */
export const sendBack: PluginNodeKind = {
  kind: "sendBack",
  names: { ar: "إعادة البطاقة للتعديل", en: "Send the card back for changes" },
  description: {
    ar: "يعيد الخدمة (serviceId) مسودةً قابلة للتعديل؛ يبقى إصدارها المنشور (إن وجد) على البوابة.",
    en: "Returns the service (serviceId) to an editable draft; its published version (if any) stays on the portal.",
  },
  configSchema: {
    type: "object",
    properties: {
      outcome: {
        type: "string",
        title: "t:nodeKinds.sendBack.outcome",
        enum: ["rework", "rejected"],
        default: "rework",
      },
    },
  },
  async execute({ trx, orgId, caseId, data, config }) {
    const outcome = config.outcome === "rejected" ? "rejected" : "rework";
    await sendBackService(trx, orgId, serviceIdOf(data), caseId, outcome, ACTOR);
    return { reviewOutcome: outcome };
  },
};
