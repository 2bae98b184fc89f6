import { describe, expect, it } from "vitest";
import { KPI_PRESETS, lastCompletePeriod, meetsTarget, periodContaining, type KpiCase } from "./kpi";
import { checkKpiExpression, evaluateKpi } from "./kpi-eval.server";

const c = (over: Partial<KpiCase>): KpiCase => ({
  status: "completed",
  data: {},
  startedAt: "2026-01-10T08:00:00Z",
  completedAt: "2026-01-10T08:10:00Z",
  durationMinutes: 10,
  rating: null,
  ...over,
});

describe("KPIs computed from cases", () => {
  it("error rate in delivery = returned ÷ delivered × 100 (the guide's first KPI)", () => {
    const cases = [
      c({ data: { returned: true } }),
      c({}),
      c({}),
      c({}),
      c({
        status: "active",
        completedAt: null,
        durationMinutes: null,
        data: { returned: true },
      }),
    ];
    // One of four completed cases was returned; the open one does not count.
    expect(evaluateKpi(KPI_PRESETS.errorRate(), cases)).toEqual({
      ok: true,
      value: 25,
    });
    expect(evaluateKpi(KPI_PRESETS.errorRate("sentBack"), [c({ data: { sentBack: true } }), c({})])).toEqual({ ok: true, value: 50 });
  });

  it("has nothing to measure when no case completed", () => {
    expect(evaluateKpi(KPI_PRESETS.errorRate(), [c({ status: "active" })])).toEqual({ ok: true, value: null });
    expect(evaluateKpi(KPI_PRESETS.satisfaction(), [c({})])).toEqual({
      ok: true,
      value: null,
    });
    expect(evaluateKpi(KPI_PRESETS.completionTime(), [])).toEqual({
      ok: true,
      value: null,
    });
  });

  it("customer satisfaction = mean rating 1–5 as a percentage (the guide's second KPI)", () => {
    const cases = [c({ rating: 5 }), c({ rating: 4 }), c({ rating: null }), c({ rating: 5 })];
    // (5 + 4 + 5) / 3 = 4.667 → 93.33 %
    expect(evaluateKpi(KPI_PRESETS.satisfaction(), cases)).toEqual({
      ok: true,
      value: 93.33,
    });
  });

  it("time to complete = mean minutes from start to completion", () => {
    const cases = [c({ durationMinutes: 8 }), c({ durationMinutes: 12 }), c({ status: "active", durationMinutes: null })];
    expect(evaluateKpi(KPI_PRESETS.completionTime(), cases)).toEqual({
      ok: true,
      value: 10,
    });
    expect(evaluateKpi(KPI_PRESETS.requests(), cases)).toEqual({
      ok: true,
      value: 3,
    });
  });

  it("reports formulas that do not give a number, and refuses unsafe ones", () => {
    expect(evaluateKpi(`"high"`, [])).toMatchObject({ ok: false });
    expect(checkKpiExpression("count(cases")).toMatch(/computeInvalid/);
    expect(checkKpiExpression("for i in 1..1000000 return i")).toMatch(/computeNotAllowed/);
    expect(checkKpiExpression(KPI_PRESETS.errorRate())).toBeNull();
  });

  it("compares with the target in the KPI's direction", () => {
    expect(meetsTarget(0.8, 1, "atMost")).toBe(true);
    expect(meetsTarget(93.33, 95, "atLeast")).toBe(false);
  });
});

describe("measurement periods", () => {
  it("half-yearly periods are January–June and July–December", () => {
    expect(periodContaining(new Date("2026-03-15T10:00:00Z"), "half-yearly")).toEqual({ start: "2026-01-01", end: "2026-06-30" });
    expect(periodContaining(new Date("2026-12-31T23:00:00Z"), "half-yearly")).toEqual({ start: "2026-07-01", end: "2026-12-31" });
  });

  it("the last complete period ends before today", () => {
    expect(lastCompletePeriod(new Date("2026-03-15T10:00:00Z"), "half-yearly")).toEqual({ start: "2025-07-01", end: "2025-12-31" });
    expect(lastCompletePeriod(new Date("2026-01-01T00:00:00Z"), "monthly")).toEqual({ start: "2025-12-01", end: "2025-12-31" });
    expect(lastCompletePeriod(new Date("2026-05-20T00:00:00Z"), "quarterly")).toEqual({ start: "2026-01-01", end: "2026-03-31" });
    expect(periodContaining(new Date("2028-02-10T00:00:00Z"), "monthly")).toEqual({ start: "2028-02-01", end: "2028-02-29" });
  });
});
