import { describe, expect, it } from "vitest";
import { ICS_LIMITS, IcsError, parseIcsHolidays } from "./ical";

const ics = (...lines: string[]) => ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Masar//test//AR", ...lines, "END:VCALENDAR"].join("\r\n");
const event = (...lines: string[]) => ["BEGIN:VEVENT", ...lines, "END:VEVENT"];

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof IcsError) return e.code;
    throw e;
  }
  return "no error";
}

describe("parseIcsHolidays", () => {
  it("reads all-day events, DTEND being the day after the last one", () => {
    const text = ics(
      ...event("UID:1", "DTSTART;VALUE=DATE:20260319", "DTEND;VALUE=DATE:20260325", "SUMMARY:عطلة عيد الفطر"),
      ...event("UID:2", "DTSTART;VALUE=DATE:20260923", "SUMMARY:اليوم الوطني"),
      ...event("UID:3", "DTSTART;VALUE=DATE:20260222", "DURATION:P2D", "SUMMARY:يوم التأسيس"),
    );
    expect(parseIcsHolidays(text, "Asia/Riyadh")).toEqual({
      holidays: [
        { name: "عطلة عيد الفطر", from: "2026-03-19", to: "2026-03-24", timed: false },
        { name: "اليوم الوطني", from: "2026-09-23", to: "2026-09-23", timed: false },
        { name: "يوم التأسيس", from: "2026-02-22", to: "2026-02-23", timed: false },
      ],
      skipped: [],
    });
  });

  it("unfolds folded lines and unescapes text", () => {
    const text = ics(...event("DTSTART;VALUE=DATE:20260527", "SUMMARY:عطلة عيد الأضحى\\, ", " المبارك\\; يوم عرفة", "DTEND;VALUE=DATE:20260531"));
    expect(parseIcsHolidays(text, "Asia/Riyadh").holidays).toEqual([{ name: "عطلة عيد الأضحى, المبارك; يوم عرفة", from: "2026-05-27", to: "2026-05-30", timed: false }]);
  });

  it("turns timed events into the local dates they touch, in the organisation's zone", () => {
    const text = ics(
      // 22:00 UTC on 22 September is 01:00 on the 23rd in Riyadh.
      ...event("DTSTART:20260922T220000Z", "DTEND:20260923T100000Z", "SUMMARY:Closure"),
      // A TZID is honoured; ending at midnight does not take the next day.
      ...event("DTSTART;TZID=Asia/Dubai:20261202T080000", "DTEND;TZID=Asia/Dubai:20261203T000000", "SUMMARY:National Day"),
      // A floating time is read in the organisation's zone.
      ...event("DTSTART:20261210T090000", "DURATION:PT3H", "SUMMARY:Half day"),
    );
    expect(parseIcsHolidays(text, "Asia/Riyadh").holidays).toEqual([
      { name: "Closure", from: "2026-09-23", to: "2026-09-23", timed: true },
      { name: "National Day", from: "2026-12-02", to: "2026-12-02", timed: true },
      { name: "Half day", from: "2026-12-10", to: "2026-12-10", timed: true },
    ]);
  });

  it("skips repeating, cancelled, undated and over-long events and says why", () => {
    const text = ics(
      ...event("DTSTART;VALUE=DATE:20260923", "RRULE:FREQ=YEARLY", "SUMMARY:Yearly"),
      ...event("DTSTART;VALUE=DATE:20260101", "STATUS:CANCELLED", "SUMMARY:Cancelled"),
      ...event("SUMMARY:No date"),
      ...event("DTSTART;VALUE=DATE:20261340", "SUMMARY:Bad date"),
      ...event("DTSTART;VALUE=DATE:20260101", "DTEND;VALUE=DATE:20280101", "SUMMARY:Two years"),
      ...event("DTSTART;VALUE=DATE:20260101", "SUMMARY:Kept", "BEGIN:VALARM", "TRIGGER:-PT15M", "DTSTART:20250101T000000Z", "END:VALARM"),
    );
    expect(parseIcsHolidays(text, "Asia/Riyadh")).toEqual({
      holidays: [{ name: "Kept", from: "2026-01-01", to: "2026-01-01", timed: false }],
      skipped: [
        { name: "Yearly", reason: "repeating" },
        { name: "Cancelled", reason: "cancelled" },
        { name: "No date", reason: "no_date" },
        { name: "Bad date", reason: "bad_date" },
        { name: "Two years", reason: "too_long" },
      ],
    });
  });

  it("refuses what is not a calendar, broken structure and hostile sizes", () => {
    expect(code(() => parseIcsHolidays("name,date\nEid,2026-03-20", "UTC"))).toBe("not_calendar");
    expect(code(() => parseIcsHolidays("", "UTC"))).toBe("not_calendar");
    expect(code(() => parseIcsHolidays("\u0000\u0001PNG", "UTC"))).toBe("not_calendar");
    expect(code(() => parseIcsHolidays(ics(...event("DTSTART;VALUE=DATE:20260101")).replace("END:VEVENT", "END:VTODO"), "UTC"))).toBe("malformed");
    expect(code(() => parseIcsHolidays("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n", "UTC"))).toBe("malformed");
    expect(code(() => parseIcsHolidays(ics("X-BROKEN-LINE-WITHOUT-COLON"), "UTC"))).toBe("malformed");
    expect(code(() => parseIcsHolidays(ics("X-Q;A=\"unterminated:x"), "UTC"))).toBe("malformed");
    expect(code(() => parseIcsHolidays("x".repeat(ICS_LIMITS.chars + 1), "UTC"))).toBe("too_large");
    expect(code(() => parseIcsHolidays(ics(`X-LONG:${"a".repeat(ICS_LIMITS.lineChars)}`), "UTC"))).toBe("line_too_long");
    // A long value built from many folded pieces is refused as it grows.
    expect(code(() => parseIcsHolidays(ics("X-LONG:a", ...Array.from({ length: 200 }, () => ` ${"b".repeat(60)}`)), "UTC"))).toBe("line_too_long");
    const many = ics(...Array.from({ length: ICS_LIMITS.events + 1 }, (_, k) => event(`DTSTART;VALUE=DATE:2026${String((k % 12) + 1).padStart(2, "0")}01`)).flat());
    expect(code(() => parseIcsHolidays(many, "UTC"))).toBe("too_many_events");
    const deep = ics(...Array.from({ length: ICS_LIMITS.depth + 1 }, () => "BEGIN:X-NEST"));
    expect(code(() => parseIcsHolidays(deep, "UTC"))).toBe("too_deep");
  });

  it("accepts LF line ends and a byte-order mark", () => {
    const text = "\uFEFF" + ics(...event("DTSTART;VALUE=DATE:20260101", "SUMMARY:رأس السنة")).replace(/\r\n/g, "\n");
    expect(parseIcsHolidays(text, "UTC").holidays).toHaveLength(1);
  });
});
