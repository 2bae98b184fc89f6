import type { PluginKpi } from "../contract";

// Indicators of the "publish a notice" workflow (DOMAIN.md §1: name, formula, frequency,
// target, unit). The formula is FEEL over `cases` (the period's cases of that workflow).
export const noticeKpis: PluginKpi[] = [
  {
    key: "published-per-month",
    names: { ar: "الإعلانات المنشورة شهريًا", en: "Notices published per month" },
    description: { ar: "عدد حالات نشر الإعلان التي انتهت بالنشر خلال الشهر.", en: "Publish-a-notice cases that ended with the notice published in the month." },
    definitionKey: "publish-notice",
    formula: 'count(cases[status = "completed" and data.noticeId != null])',
    frequency: "monthly",
    target: 4,
    unit: "count",
    direction: "atLeast",
  },
  {
    key: "rejection-rate",
    names: { ar: "نسبة الإعلانات غير المعتمدة", en: "Share of notices not approved" },
    description: { ar: "الحالات المكتملة دون نشر ÷ الحالات المكتملة × ١٠٠.", en: "Completed cases without a published notice ÷ completed cases × 100." },
    definitionKey: "publish-notice",
    formula: 'if count(cases[status = "completed"]) = 0 then 0 else count(cases[status = "completed" and data.noticeId = null]) / count(cases[status = "completed"]) * 100',
    frequency: "quarterly",
    target: 10,
    unit: "percent",
    direction: "atMost",
  },
];
