// Service KPIs (guide 004 §3.4: name, formula, measurement frequency, target, unit). A KPI
// whose formula refers to case data carries a FEEL expression evaluated, as the plugin
// contract's KPIs are, over `cases`: the period's cases of the service's workflow, each
// { status, data, startedAt, completedAt, durationMinutes, rating } — `rating` is the
// customer's 1–5 satisfaction from the portal (portal_ratings), null when not rated. A KPI
// without an expression is measured by hand. Pure (no I/O) and safe for the browser; the
// evaluation itself is in kpi-eval.server.ts.

export const KPI_FREQUENCIES = ["monthly", "quarterly", "half-yearly", "yearly"] as const;
export type KpiFrequency = (typeof KPI_FREQUENCIES)[number];
export const KPI_UNITS = ["percent", "count", "minutes", "hours", "days"] as const;
export type KpiUnit = (typeof KPI_UNITS)[number];

export interface KpiCase {
  status: string;
  data: Record<string, unknown>;
  startedAt: string;
  completedAt: string | null;
  /** Minutes from start to completion (elapsed), null while open. */
  durationMinutes: number | null;
  rating: number | null;
}

/** Ready-made expressions for the indicators the guide names; `field` is a case data field. */
export const KPI_PRESETS = {
  /** نسبة الأخطاء في تسليم الخدمة: returned because of an error ÷ delivered × 100. */
  errorRate: (field = "returned") => `if count(cases[status = "completed"]) = 0 then null else count(cases[status = "completed" and data.${field} = true]) / count(cases[status = "completed"]) * 100`,
  /** نسبة رضا المتعاملين: mean rating (1–5) as a percentage. */
  satisfaction: () => `if count(cases[rating != null]) = 0 then null else mean(cases[rating != null].rating) / 5 * 100`,
  /** Mean time to complete, minutes. */
  completionTime: () => `mean(cases[status = "completed"].durationMinutes)`,
  /** Requests received. */
  requests: () => `count(cases)`,
} as const;
export type KpiPreset = keyof typeof KPI_PRESETS;

/** Whether a measured value meets the target. */
export function meetsTarget(value: number, target: number, direction: "atLeast" | "atMost"): boolean {
  return direction === "atLeast" ? value >= target : value <= target;
}

export interface KpiPeriod {
  /** First day, YYYY-MM-DD (UTC). */
  start: string;
  /** Last day, YYYY-MM-DD (UTC). */
  end: string;
}

const MONTHS: Record<KpiFrequency, number> = {
  monthly: 1,
  quarterly: 3,
  "half-yearly": 6,
  yearly: 12,
};
const ymd = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);

/** The measurement period of `frequency` containing `day` (calendar months, quarters, halves, years). */
export function periodContaining(day: Date, frequency: KpiFrequency): KpiPeriod {
  const span = MONTHS[frequency];
  const y = day.getUTCFullYear();
  const firstMonth = Math.floor(day.getUTCMonth() / span) * span;
  return { start: ymd(y, firstMonth, 1), end: ymd(y, firstMonth + span, 0) };
}

/** The last period that has ended before `now` — the one to measure. */
export function lastCompletePeriod(now: Date, frequency: KpiFrequency): KpiPeriod {
  const current = periodContaining(now, frequency);
  const dayBefore = new Date(`${current.start}T00:00:00Z`);
  dayBefore.setUTCDate(dayBefore.getUTCDate() - 1);
  return periodContaining(dayBefore, frequency);
}

export function minutesBetween(start: Date, end: Date | null): number | null {
  return end ? Math.round(((end.getTime() - start.getTime()) / 60000) * 100) / 100 : null;
}
