import { describe, expect, it } from "vitest";
import { formatCalendarDate, isoToZonedLocal, zonedLocalToIso } from "./dates";

const riyadh = { locale: "ar" as const, digits: "latn" as const, calendar: "islamic-umalqura" as const, timeZone: "Asia/Riyadh" };

describe("form dates", () => {
  it("shows a stored Gregorian date in the Umm al-Qura calendar without shifting the day", () => {
    // 1 Ramadan 1446 AH = 1 March 2025.
    const text = formatCalendarDate("2025-03-01", { ...riyadh, locale: "en" });
    expect(text).toMatch(/Ramadan 1, 1446|1 Ramadan 1446/);
    expect(formatCalendarDate("2025-03-01", riyadh)).toContain("رمضان");
    expect(formatCalendarDate("2025-13-01", riyadh)).toBeNull();
    expect(formatCalendarDate("yesterday", riyadh)).toBeNull();
  });

  it("converts wall-clock times in the organisation's zone to UTC and back", () => {
    expect(zonedLocalToIso("2025-03-12T09:30", "Asia/Riyadh")).toBe("2025-03-12T06:30:00.000Z");
    expect(isoToZonedLocal("2025-03-12T06:30:00.000Z", "Asia/Riyadh")).toBe("2025-03-12T09:30");
    expect(zonedLocalToIso("2025-01-01T00:15", "Asia/Dubai")).toBe("2024-12-31T20:15:00.000Z");
    expect(zonedLocalToIso("not a time", "Asia/Riyadh")).toBeNull();
    expect(isoToZonedLocal("nonsense", "Asia/Riyadh")).toBe("");
  });

  it("follows daylight saving where a zone has it", () => {
    // London: GMT in January, BST (UTC+1) in July.
    expect(zonedLocalToIso("2025-01-15T12:00", "Europe/London")).toBe("2025-01-15T12:00:00.000Z");
    expect(zonedLocalToIso("2025-07-15T12:00", "Europe/London")).toBe("2025-07-15T11:00:00.000Z");
    expect(isoToZonedLocal("2025-07-15T11:00:00.000Z", "Europe/London")).toBe("2025-07-15T12:00");
  });
});
