import { defineManifest } from "../contract";

export default defineManifest({
  id: "service-catalogue",
  version: "1.0.0",
  names: { ar: "دليل الخدمات", en: "Service catalogue" },
  description: {
    ar: "توثيق الخدمات كما يصفها دليل تعريف وتوثيق الخدمات الحكومية: بطاقة الخدمة وبطاقة توثيقها ورمزها ومؤشرات أدائها، ومراجعتها ونشرها عبر سير عمل، وميثاق تقديم الخدمات للمتعاملين.",
    en: "Services documented as the government service documentation guide describes: service card, documentation card, service code and KPIs, reviewed and published through a workflow, and the customer service charter.",
  },
  dependsOn: [],
});
