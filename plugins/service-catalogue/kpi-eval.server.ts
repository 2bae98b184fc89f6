import { evaluate } from "feelin";
import { checkComputeExpression } from "~/forms/compute.server";
import type { KpiCase } from "./kpi";

// Evaluating a service KPI's FEEL expression over the period's cases (see kpi.ts).

/** Null when the expression may be stored; otherwise why not (the forms' safety rules: no ranges, no function definitions). */
export function checkKpiExpression(expression: string): string | null {
  const problem = checkComputeExpression(expression);
  // Two filters per expression are the forms' limit; a KPI runs once per period, not per request.
  if (!problem || (problem.code === "computeNotAllowed" && problem.detail === "loops")) return null;
  return problem.detail ? `${problem.code}: ${problem.detail}` : problem.code;
}

export type KpiValue = { ok: true; value: number | null } | { ok: false; error: string };

/** Evaluates the expression over the cases; null = nothing to measure (e.g. no completed case). */
export function evaluateKpi(expression: string, cases: KpiCase[]): KpiValue {
  const problem = checkKpiExpression(expression);
  if (problem) return { ok: false, error: problem };
  try {
    const { value } = evaluate(expression.trim(), { cases });
    if (value === null || value === undefined) return { ok: true, value: null };
    if (typeof value !== "number" || !Number.isFinite(value))
      return {
        ok: false,
        error: `the formula gave ${typeof value}, not a number`,
      };
    return { ok: true, value: Math.round(value * 100) / 100 };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
