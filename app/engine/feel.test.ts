import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkCondition, evaluateCondition, normaliseExpression } from "./feel";

describe("checkCondition", () => {
  it("accepts valid FEEL, with or without Camunda's '=' prefix", () => {
    for (const ok of ["amount > 1000", "=amount > 1000", ' = status = "approved"', "applicant.age >= 18 and count(documents) > 2", "region in [\"north\", \"south\"]"]) {
      expect(checkCondition(ok), ok).toEqual({ ok: true });
    }
  });

  it("rejects syntax errors with feelin's reason", () => {
    for (const bad of ["amount >", "=", "", "foo(", ")", "1 +"]) {
      const r = checkCondition(bad);
      expect(r.ok, bad).toBe(false);
      expect(!r.ok && r.error.length).toBeGreaterThan(0);
    }
    expect(checkCondition("amount >")).toEqual({ ok: false, error: expect.stringMatching(/Incomplete/) });
  });
});

describe("evaluateCondition", () => {
  it("returns booleans", () => {
    expect(evaluateCondition("=amount > 1000", { amount: 5000 })).toEqual({ ok: true, value: true, warnings: [] });
    expect(evaluateCondition("amount > 1000", { amount: 5 })).toEqual({ ok: true, value: false, warnings: [] });
    expect(evaluateCondition('status = "موافق"', { status: "موافق" })).toMatchObject({ ok: true, value: true });
    expect(evaluateCondition("applicant.age >= 18", { applicant: { age: 20 } })).toMatchObject({ ok: true, value: true });
  });

  it("treats non-boolean results as errors, not truthiness", () => {
    expect(evaluateCondition("amount", { amount: 1 })).toEqual({ ok: false, error: expect.stringMatching(/number/) });
    expect(evaluateCondition('"yes"', {})).toMatchObject({ ok: false });
    const missing = evaluateCondition("amount > 1000", {});
    expect(missing).toEqual({ ok: false, error: expect.stringMatching(/null.*amount/) });
  });

  it("passes on warnings when the result is still a boolean", () => {
    const r = evaluateCondition("x = 1", {});
    expect(r).toMatchObject({ ok: true, value: false });
    expect(r.ok && r.warnings.join()).toMatch(/x/);
  });

  it("reports syntax errors instead of throwing", () => {
    expect(evaluateCondition("amount >", { amount: 1 })).toEqual({ ok: false, error: expect.stringMatching(/Incomplete/) });
    expect(evaluateCondition("  ", {})).toMatchObject({ ok: false });
  });

  it("never throws, for any expression and data", () => {
    fc.assert(
      fc.property(fc.string(), fc.dictionary(fc.string(), fc.jsonValue()), (expr, data) => {
        const r = evaluateCondition(expr, data);
        const c = checkCondition(expr);
        return typeof r.ok === "boolean" && typeof c.ok === "boolean";
      }),
    );
  });

  it("normalises the '=' prefix only at the start", () => {
    expect(normaliseExpression(" =a = b ")).toBe("a = b");
    expect(normaliseExpression("a = b")).toBe("a = b");
  });
});
