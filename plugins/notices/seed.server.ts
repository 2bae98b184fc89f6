import type { PluginSeed } from "../contract";
import { createNotice, expiryFor } from "./notices.server";
import { readNoticeSettings } from "./settings";

// Demo notices (Arabic), posted by the organisation's admin, shown for the organisation's displayDays.
const DEMO_NOTICES = [
  { title: "تحديث ساعات العمل في شهر رمضان", body: "تبدأ ساعات العمل من التاسعة صباحًا حتى الثانية ظهرًا طوال شهر رمضان المبارك." },
  { title: "دورة تدريبية: توثيق الخدمات", body: "تُعقد دورة عن بطاقة توثيق الخدمة ومخطط سيرها يوم الأحد القادم في قاعة الاجتماعات الرئيسية." },
  { title: "تذكير بتحديث بيانات المتعاملين", body: "يُرجى التأكد من تحديث بيانات التواصل للمتعاملين قبل نهاية الربع الحالي." },
];

export const seedNotices: PluginSeed = async ({ trx, orgId, adminUserId, settings, now }) => {
  const policy = readNoticeSettings(settings);
  const actor = { orgId, actorUserId: adminUserId, actorLabel: "seed", requestId: null, ip: null };
  for (const notice of DEMO_NOTICES) {
    await createNotice(trx, actor, notice, { expiresAt: expiryFor(now, policy.displayDays) });
  }
};
