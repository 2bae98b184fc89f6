import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { addDuration, isValidDuration, parseDuration } from "./time";

const at = (iso: string) => new Date(iso);
const add = (from: string, d: string) => addDuration(at(from), d).toISOString();

describe("parseDuration", () => {
  it("reads every designator", () => {
    expect(parseDuration("P1Y2M3W4DT5H6M7S")).toEqual({ years: 1, months: 2, weeks: 3, days: 4, hours: 5, minutes: 6, seconds: 7 });
    expect(parseDuration("PT48H")).toMatchObject({ hours: 48, days: 0 });
    expect(parseDuration("P1M")).toMatchObject({ months: 1, minutes: 0 });
    expect(parseDuration("PT1M")).toMatchObject({ months: 0, minutes: 1 });
  });

  it("rejects malformed durations", () => {
    for (const bad of ["", "P", "PT", "1D", "P1H", "PT1D", "P1.5D", "-P1D", "P1DT", "p1d", "P1D ", "P999999D"]) {
      expect(isValidDuration(bad), bad).toBe(false);
    }
  });
});

describe("addDuration", () => {
  it("adds hours, minutes and seconds", () => {
    expect(add("2026-03-01T10:00:00.000Z", "PT48H")).toBe("2026-03-03T10:00:00.000Z");
    expect(add("2026-03-01T10:00:00.000Z", "PT90M")).toBe("2026-03-01T11:30:00.000Z");
    expect(add("2026-03-01T10:00:00.000Z", "PT61S")).toBe("2026-03-01T10:01:01.000Z");
  });

  it("adds days and weeks as 24-hour days", () => {
    expect(add("2026-03-28T12:00:00.000Z", "P3D")).toBe("2026-03-31T12:00:00.000Z");
    expect(add("2026-12-30T00:00:00.000Z", "P1W")).toBe("2027-01-06T00:00:00.000Z");
    expect(add("2026-03-01T00:00:00.000Z", "P1DT12H")).toBe("2026-03-02T12:00:00.000Z");
  });

  it("adds calendar months in UTC, clamping to the month's last day", () => {
    expect(add("2026-01-15T08:00:00.000Z", "P1M")).toBe("2026-02-15T08:00:00.000Z");
    expect(add("2026-01-31T08:00:00.000Z", "P1M")).toBe("2026-02-28T08:00:00.000Z");
    expect(add("2028-01-31T08:00:00.000Z", "P1M")).toBe("2028-02-29T08:00:00.000Z");
    expect(add("2026-11-30T23:59:59.000Z", "P3M")).toBe("2027-02-28T23:59:59.000Z");
    expect(add("2026-05-31T00:00:00.000Z", "P13M")).toBe("2027-06-30T00:00:00.000Z");
  });

  it("adds years, with 29 February becoming 28 February", () => {
    expect(add("2028-02-29T00:00:00.000Z", "P1Y")).toBe("2029-02-28T00:00:00.000Z");
    expect(add("2028-02-29T00:00:00.000Z", "P4Y")).toBe("2032-02-29T00:00:00.000Z");
  });

  it("applies months before days (P1M1D from 31 January is 1 March)", () => {
    expect(add("2026-01-31T00:00:00.000Z", "P1M1D")).toBe("2026-03-01T00:00:00.000Z");
  });

  it("keeps milliseconds and does not mutate its input", () => {
    const input = at("2026-01-01T00:00:00.123Z");
    expect(addDuration(input, "PT1S").toISOString()).toBe("2026-01-01T00:00:01.123Z");
    expect(input.toISOString()).toBe("2026-01-01T00:00:00.123Z");
  });

  it("throws on invalid durations and instants", () => {
    expect(() => addDuration(at("2026-01-01T00:00:00Z"), "48 hours")).toThrow(RangeError);
    expect(() => addDuration(new Date(Number.NaN), "PT1H")).toThrow(RangeError);
  });

  it("never goes backwards and is additive for pure time parts", () => {
    fc.assert(
      fc.property(
        fc.date({ min: at("1990-01-01T00:00:00Z"), max: at("2100-01-01T00:00:00Z"), noInvalidDate: true }),
        fc.nat({ max: 5000 }),
        fc.nat({ max: 5000 }),
        (d, h1, h2) => {
          const once = addDuration(d, `PT${h1 + h2}H`).getTime();
          const twice = addDuration(addDuration(d, `PT${h1}H`), `PT${h2}H`).getTime();
          return once === twice && once >= d.getTime();
        },
      ),
    );
  });
});
