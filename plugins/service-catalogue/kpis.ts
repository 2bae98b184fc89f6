import type { PluginKpi } from "../contract";
import { SERVICE_REVIEW_KEY } from "./templates";

// Indicators of the catalogue's own workflow (plugin contract KPIs, over the review cases).
// Each service's KPIs are data (service_catalogue_kpi), computed the same way over the
// service's own cases.
export const catalogueKpis: PluginKpi[] = [
  {
    key: "services-published",
    names: {
      ar: "الخدمات المنشورة في الربع",
      en: "Services published per quarter",
    },
    description: {
      ar: "عدد طلبات المراجعة التي انتهت بنشر بطاقة الخدمة.",
      en: "Review cases that ended with the service card published.",
    },
    definitionKey: SERVICE_REVIEW_KEY,
    formula: 'count(cases[status = "completed" and data.serviceVersion != null])',
    frequency: "quarterly",
    target: 3,
    unit: "count",
    direction: "atLeast",
  },
  {
    key: "sent-back-rate",
    names: {
      ar: "نسبة البطاقات المعادة للتعديل",
      en: "Share of cards sent back",
    },
    description: {
      ar: "طلبات المراجعة المكتملة دون نشر ÷ المكتملة × ١٠٠.",
      en: "Completed review cases without publication ÷ completed × 100.",
    },
    definitionKey: SERVICE_REVIEW_KEY,
    formula: 'if count(cases[status = "completed"]) = 0 then 0 else count(cases[status = "completed" and data.reviewOutcome != null]) / count(cases[status = "completed"]) * 100',
    frequency: "quarterly",
    target: 30,
    unit: "percent",
    direction: "atMost",
  },
];
