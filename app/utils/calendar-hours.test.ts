import { describe, expect, it } from "vitest";
import { formatIntervals, latinDigits, localDigits, parseIntervals, readLocalDateTime } from "./calendar-hours";

describe("working hours text", () => {
  it("reads one or several intervals, with Arabic digits, commas and dashes", () => {
    expect(parseIntervals("07:30-14:30")).toEqual([{ start: 450, end: 870 }]);
    expect(parseIntervals("٠٨:٠٠ – ١٢:٠٠، ١٦:٠٠—٢٠:٠٠")).toEqual([{ start: 480, end: 720 }, { start: 960, end: 1200 }]);
    expect(parseIntervals("16-20, 8-12")).toEqual([{ start: 480, end: 720 }, { start: 960, end: 1200 }]);
    expect(parseIntervals("00:00-24:00")).toEqual([{ start: 0, end: 1440 }]);
    expect(parseIntervals("  ")).toEqual([]);
  });

  it("refuses what it cannot read (order and overlap are the calendar validator's job)", () => {
    for (const bad of ["07:30", "7:60-9", "25:00-26:00", "24:30-24:45", "a-b", "08:00-12:00-14:00"]) expect(parseIntervals(bad), bad).toBeNull();
    expect(parseIntervals("14:00-08:00")).toEqual([{ start: 840, end: 480 }]);
  });

  it("formats what it reads back", () => {
    const list = [{ start: 450, end: 870 }, { start: 960, end: 1440 }];
    expect(formatIntervals(list)).toBe("07:30-14:30, 16:00-24:00");
    expect(parseIntervals(formatIntervals(list))).toEqual(list);
  });

  it("converts digits both ways and reads datetime-local values", () => {
    expect(latinDigits("١٤٤٧/۰۹/٠١")).toBe("1447/09/01");
    expect(localDigits("07:30", "arab")).toBe("٠٧:٣٠");
    expect(localDigits("07:30", "latn")).toBe("07:30");
    expect(readLocalDateTime("2026-03-05T13:00")).toEqual({ date: "2026-03-05", minute: 780 });
    expect(readLocalDateTime("2026-03-05T25:00")).toBeNull();
    expect(readLocalDateTime("yesterday")).toBeNull();
  });
});
