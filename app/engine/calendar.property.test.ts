import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addWorkingDays,
  addWorkingTime,
  isWorkingMoment,
  nextWorkingMoment,
  workingDaysBetween,
  workingTimeBetween,
  type BusinessCalendar,
  type Interval,
} from "./calendar";
import { PRESET_KEYS, presetCalendar } from "./calendar-presets";
import { isoDay, localDay, localMinute, weekdayOf } from "./zoned-time";

// Properties over random calendars: random split-shift weeks, holiday ranges, overrides, zones
// with and without daylight saving. Each result is checked against an independent oracle that
// reads the calendar the way a person would (the local date and wall-clock time of the
// instant, a linear look-up of holidays and overrides), not through the library's compiled form.

const MINUTE = 60_000;
const FIXED_ZONES = ["Asia/Riyadh", "Asia/Dubai", "Asia/Qatar", "Asia/Kolkata", "Asia/Kathmandu", "UTC"];
// Daylight-saving zones switch between 00:00 and 03:00: their generated hours stay clear of that.
const DST_ZONES = ["Europe/London", "America/New_York", "Australia/Sydney"];
const BASE_DAY = 20089; // 2025-01-01

/** Sorted, non-touching intervals on a 15-minute grid between lo and hi (minutes). */
function dayHours(lo: number, hi: number) {
  return fc.uniqueArray(fc.integer({ min: lo / 15, max: hi / 15 }), { maxLength: 6 }).map((points) => {
    const sorted = [...points].sort((a, b) => a - b);
    const out: Interval[] = [];
    for (let k = 0; k + 1 < sorted.length; k += 2) out.push({ start: sorted[k]! * 15, end: sorted[k + 1]! * 15 });
    return out;
  });
}

const range = (maxLength: number) =>
  fc.record({ offset: fc.integer({ min: 0, max: 1300 }), length: fc.integer({ min: 1, max: maxLength }) }).map(({ offset, length }) => ({
    from: isoDay(BASE_DAY + offset),
    to: isoDay(BASE_DAY + offset + length - 1),
  }));

const calendarIn = (zones: fc.Arbitrary<{ z: string; lo: number; hi: number }>): fc.Arbitrary<BusinessCalendar> =>
  zones.chain(({ z, lo, hi }) =>
    fc.record({
      timeZone: fc.constant(z),
      week: fc.array(dayHours(lo, hi), { minLength: 7, maxLength: 7 }).filter((w) => w.some((d) => d.length > 0)),
      holidays: fc.array(range(20).map((r) => ({ name: "عطلة", ...r })), { maxLength: 8 }),
      // Overrides may not overlap: one at most in the first half of the window, one in the second.
      overrides: fc.tuple(fc.option(range(40)), fc.option(range(40)), fc.array(dayHours(lo, hi), { minLength: 7, maxLength: 7 })).map(([a, b, hours]) =>
        [a && a.to < isoDay(BASE_DAY + 650) ? a : null, b && b.from > isoDay(BASE_DAY + 700) ? b : null]
          .filter((r): r is { from: string; to: string } => r !== null)
          .map((r) => ({ name: "ساعات خاصة", ...r, hours })),
      ),
    }),
  );

const dstZones = fc.constantFrom(...DST_ZONES).map((z) => ({ z, lo: 240, hi: 1380 }));
const randomCalendar = calendarIn(fc.oneof(fc.constantFrom(...FIXED_ZONES).map((z) => ({ z, lo: 0, hi: 1440 })), dstZones));

const presetWithHolidays: fc.Arbitrary<BusinessCalendar> = fc
  .record({ key: fc.constantFrom(...PRESET_KEYS), holidays: fc.array(range(12).map((r) => ({ name: "عيد", ...r })), { maxLength: 6 }) })
  .map(({ key, holidays }) => ({ ...presetCalendar(key, key.startsWith("ae") ? "Asia/Dubai" : "Asia/Riyadh"), holidays }));

/** Days on which these zones change their clocks (2025–2027), give or take three days. */
const DST_DAYS = ["2025-03-09", "2025-03-30", "2025-04-06", "2025-10-05", "2025-10-26", "2025-11-02", "2026-03-08", "2026-03-29", "2026-04-05", "2026-10-04", "2026-10-25", "2026-11-01"];
const nearDst = fc
  .tuple(fc.constantFrom(...DST_DAYS), fc.integer({ min: -3 * 24 * 60, max: 3 * 24 * 60 }))
  .map(([day, minutes]) => new Date(Date.parse(`${day}T12:00:00Z`) + minutes * MINUTE));

const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) }).map((ms) => new Date(ms));

/** Independent reading: is the wall-clock time of this instant inside the hours of its local date? */
function oracleWorking(ms: number, cal: BusinessCalendar): boolean {
  const date = isoDay(localDay(ms, cal.timeZone));
  const minute = localMinute(ms, cal.timeZone);
  if (cal.holidays.some((h) => h.from <= date && date <= h.to)) return false;
  const wd = weekdayOf(localDay(ms, cal.timeZone));
  const hours = cal.overrides.find((o) => o.from <= date && date <= o.to)?.hours[wd] ?? cal.week[wd]!;
  return hours.some((i) => i.start <= minute && minute < i.end);
}

describe("business calendar properties", () => {
  it("adding N working minutes then measuring gives N, and the deadline is inside working hours", () => {
    fc.assert(
      fc.property(randomCalendar, instant, fc.integer({ min: 1, max: 3000 }), (cal, start, n) => {
        const due = addWorkingTime(start, n * MINUTE, cal);
        expect(workingTimeBetween(start, due, cal)).toBe(n * MINUTE);
        expect(due.getTime()).toBeGreaterThan(start.getTime());
        // The deadline's last minute was worked: not a weekend, holiday, or outside the hours.
        expect(isWorkingMoment(new Date(due.getTime() - 1), cal)).toBe(true);
        expect(oracleWorking(due.getTime() - 1, cal)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("never lands on a weekend or a holiday with the Gulf presets", () => {
    fc.assert(
      fc.property(presetWithHolidays, instant, fc.integer({ min: 1, max: 6000 }), (cal, start, n) => {
        const due = addWorkingTime(start, n * MINUTE, cal);
        const day = localDay(due.getTime() - 1, cal.timeZone);
        expect(cal.week[weekdayOf(day)]!.length).toBeGreaterThan(0);
        expect(cal.holidays.some((h) => h.from <= isoDay(day) && isoDay(day) <= h.to)).toBe(false);
        expect(oracleWorking(due.getTime() - 1, cal)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("holds around daylight-saving changes too", () => {
    fc.assert(
      fc.property(calendarIn(dstZones), nearDst, fc.integer({ min: 1, max: 1500 }), (cal, start, n) => {
        const due = addWorkingTime(start, n * MINUTE, cal);
        expect(workingTimeBetween(start, due, cal)).toBe(n * MINUTE);
        expect(oracleWorking(due.getTime() - 1, cal)).toBe(true);
        const next = nextWorkingMoment(start, cal);
        expect(oracleWorking(next.getTime(), cal)).toBe(true);
        expect(next.getTime() === start.getTime() || !oracleWorking(next.getTime() - MINUTE, cal)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("is additive and monotonic", () => {
    fc.assert(
      fc.property(randomCalendar, instant, fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 2000 }), (cal, start, a, b) => {
        const once = addWorkingTime(start, (a + b) * MINUTE, cal).getTime();
        const twice = addWorkingTime(addWorkingTime(start, a * MINUTE, cal), b * MINUTE, cal).getTime();
        expect(twice).toBe(once);
        expect(addWorkingTime(start, a * MINUTE, cal).getTime()).toBeLessThanOrEqual(once);
      }),
      { numRuns: 200 },
    );
  });

  it("N working days end at the close of a working day after the start's date, and count back to N", () => {
    fc.assert(
      fc.property(randomCalendar, instant, fc.integer({ min: 1, max: 40 }), (cal, start, n) => {
        const due = addWorkingDays(start, n, cal);
        expect(workingDaysBetween(start, due, cal)).toBe(n);
        expect(workingDaysBetween(start, new Date(due.getTime() - 1), cal)).toBe(n - 1);
        expect(localDay(due.getTime() - 1, cal.timeZone)).toBeGreaterThan(localDay(start.getTime(), cal.timeZone));
        expect(oracleWorking(due.getTime() - 1, cal)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("the next working moment is working time, reached without skipping any", () => {
    fc.assert(
      fc.property(randomCalendar, instant, (cal, start) => {
        const next = nextWorkingMoment(start, cal);
        expect(next.getTime()).toBeGreaterThanOrEqual(start.getTime());
        expect(isWorkingMoment(next, cal)).toBe(true);
        expect(oracleWorking(next.getTime(), cal)).toBe(true);
        expect(workingTimeBetween(start, next, cal)).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
