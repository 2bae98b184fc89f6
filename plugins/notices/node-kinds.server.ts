import type { PluginNodeKind } from "../contract";
import { expiryFor, publishNoticeForCase } from "./notices.server";
import { readNoticeSettings } from "./settings";

// The notice board's workflow steps. Each reads the organisation's settings of the version
// the case started under (input.settings), so a policy change never alters a running case.

/** "تطبيق سياسة النشر": writes the policy into the case so the next decision can route on it. */
export const applyPolicy: PluginNodeKind = {
  kind: "applyPolicy",
  names: { ar: "تطبيق سياسة النشر", en: "Apply the publishing policy" },
  description: {
    ar: "يضيف إلى بيانات الحالة من يعتمد الإعلان (approver) ومدة عرضه بالأيام (displayDays) حسب إعدادات الجهة.",
    en: "Adds to the case data who approves the notice (approver) and for how many days it is shown (displayDays), from the organisation's settings.",
  },
  configSchema: { type: "object", properties: {} },
  execute({ settings, settingsVersion }) {
    const policy = readNoticeSettings(settings);
    return { approver: policy.approver, displayDays: policy.displayDays, noticePolicyVersion: settingsVersion };
  },
};

/** "نشر الإعلان": puts the case's notice (title, body from the request form) on the board. */
export const publish: PluginNodeKind = {
  kind: "publish",
  names: { ar: "نشر الإعلان", en: "Publish the notice" },
  description: {
    ar: "ينشر عنوان الحالة ونصها (title و body) على لوحة الإعلانات لمدة العرض التي تحددها إعدادات الجهة، مع توقيعها.",
    en: "Publishes the case's title and body on the notice board for the display period the organisation's settings give, with its signature.",
  },
  configSchema: {
    type: "object",
    properties: { pinned: { type: "boolean", title: "t:nodeKinds.publish.pinned", default: false } },
  },
  async execute({ trx, orgId, caseId, data, config, settings, now }) {
    const title = typeof data.title === "string" ? data.title.trim() : "";
    const body = typeof data.body === "string" ? data.body.trim() : "";
    // A clear incident (retryable after the data is corrected) rather than a half-made notice.
    if (!title || !body) throw new Error("the case has no notice title and text (data.title, data.body) to publish");
    const policy = readNoticeSettings(settings);
    const starter = await trx.selectFrom("cases").select("started_by").where("org_id", "=", orgId).where("id", "=", caseId).executeTakeFirst();
    const expiresAt = expiryFor(now, policy.displayDays);
    const notice = await publishNoticeForCase(trx, {
      orgId,
      caseId,
      createdBy: starter?.started_by ?? null,
      title: title.slice(0, 200),
      body: body.slice(0, 5000),
      expiresAt,
      signature: policy.signature.trim() || null,
      pinned: config.pinned === true,
    });
    return { noticeId: notice.id, noticeExpiresAt: expiresAt.toISOString() };
  },
};
