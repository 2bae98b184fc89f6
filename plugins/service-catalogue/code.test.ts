import { describe, expect, it } from "vitest";
import { formatServiceCode, parseServiceCode } from "./code";

describe("service code (guide 004: initials – unit code – S – serial from 1)", () => {
  it("builds the guide's example from its parts", () => {
    // The guide writes it "د خ م - 16 S - 1": initials د خ م, unit 16, S, serial 1.
    expect(formatServiceCode("د خ م", "16", 1)).toBe("د خ م-16-S-1");
  });

  it("normalises the initials and keeps the unit code as the org structure has it", () => {
    expect(formatServiceCode("  د  خ   ج ", " 016 ", 12)).toBe("د خ ج-016-S-12");
  });

  it("refuses a serial below 1, or missing initials or unit code", () => {
    expect(() => formatServiceCode("د خ م", "16", 0)).toThrow(RangeError);
    expect(() => formatServiceCode("د خ م", "16", 1.5)).toThrow(RangeError);
    expect(() => formatServiceCode(" ", "16", 1)).toThrow(RangeError);
    expect(() => formatServiceCode("د خ م", "", 1)).toThrow(RangeError);
  });

  it("reads a code back into its parts", () => {
    expect(parseServiceCode("د خ م-16-S-1")).toEqual({
      initials: "د خ م",
      unitCode: "16",
      serial: 1,
    });
    expect(parseServiceCode("ج ت-A1-S-205")).toEqual({
      initials: "ج ت",
      unitCode: "A1",
      serial: 205,
    });
    expect(parseServiceCode("د خ م-16-X-1")).toBeNull();
    expect(parseServiceCode("د خ م-16-S-0")).toBeNull();
  });
});
