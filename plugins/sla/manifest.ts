import { defineManifest } from "../contract";

export default defineManifest({
  id: "sla",
  version: "1.0.0",
  names: { ar: "اتفاقات مستوى الخدمة", en: "Service-level agreements" },
  description: {
    ar: "اتفاقات مستوى الخدمة بين الجهات الحكومية كما يصفها دليل تعريف وتوثيق الخدمات: الأطراف والمدة والمراجعة والإلغاء ومستويات التصعيد لدى الطرفين وأزمنة الاستجابة وسجل الإصدارات وسجل الإخلال والاجتماعات ربع السنوية، وربط الخدمات المرتبطة بمهل الاتفاق.",
    en: "Service-level agreements between government bodies as the service documentation guide describes them: parties, term, review and cancellation, both sides' escalation ladders, response times, version history, breach ledger and quarterly meetings; linked services run under the agreement's deadlines.",
  },
  // Linked services are the catalogue's services.
  dependsOn: ["service-catalogue"],
});
