import { describe, expect, it } from "vitest";
import {
  addBusinessDuration,
  addWorkingDays,
  addWorkingHours,
  addWorkingMinutes,
  CalendarError,
  isWorkingDay,
  isWorkingMoment,
  nextWorkingMoment,
  validateCalendar,
  workingDaysBetween,
  workingTimeBetween,
  type BusinessCalendar,
  type WeekHours,
} from "./calendar";
import { CALENDAR_PRESETS, isPresetWeek, presetCalendar } from "./calendar-presets";
import { addDuration } from "./time";

// Edge cases with real Gulf calendars. Instants are written in the organisation's local time
// with its offset (+03:00 Riyadh, +04:00 Dubai) so each expectation reads like a wall clock.

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();
const sa = (extra: Partial<BusinessCalendar> = {}): BusinessCalendar => ({ ...presetCalendar("sa", "Asia/Riyadh"), ...extra });
const uae = presetCalendar("ae-federal", "Asia/Dubai");
const sharjah = presetCalendar("ae-sharjah", "Asia/Dubai");

// Eid al-Fitr 1447 as an organisation would enter it, and Ramadan 1447 before it.
const EID = { name: "عيد الفطر", from: "2026-03-19", to: "2026-03-24" };
const RAMADAN = { name: "رمضان", from: "2026-02-18", to: "2026-03-18", hours: CALENDAR_PRESETS.sa.ramadan };

describe("working hours and minutes (Saudi preset, Sunday–Thursday 07:30–14:30, Asia/Riyadh)", () => {
  it("continues after the weekend", () => {
    // Thursday 13:00 + 3 h: 1.5 h on Thursday, 1.5 h on Sunday.
    expect(iso(addWorkingHours(at("2026-03-05T13:00:00+03:00"), 3, sa()))).toBe(iso(at("2026-03-08T09:00:00+03:00")));
  });

  it("ends at closing time rather than the next opening when the time runs out exactly then", () => {
    expect(iso(addWorkingMinutes(at("2026-03-05T13:00:00+03:00"), 90, sa()))).toBe(iso(at("2026-03-05T14:30:00+03:00")));
  });

  it("starts counting at the next opening when started on a weekend, before opening or after closing", () => {
    expect(iso(addWorkingHours(at("2026-03-06T11:00:00+03:00"), 1, sa()))).toBe(iso(at("2026-03-08T08:30:00+03:00")));
    expect(iso(addWorkingHours(at("2026-03-08T06:00:00+03:00"), 1, sa()))).toBe(iso(at("2026-03-08T08:30:00+03:00")));
    expect(iso(addWorkingHours(at("2026-03-08T20:00:00+03:00"), 1, sa()))).toBe(iso(at("2026-03-09T08:30:00+03:00")));
  });

  it("PT48H is 48 working hours: almost seven working days, not two calendar days", () => {
    // Sunday 07:30 + 48 h at 7 h a day: six full days (42 h) → Sunday 07:30 of the next week + 6 h.
    expect(iso(addDuration(at("2026-03-01T07:30:00+03:00"), "PT48H", sa()))).toBe(iso(at("2026-03-09T13:30:00+03:00")));
  });

  it("skips a holiday range (Eid) inside the deadline", () => {
    // Wednesday 13:00 + 7 h: 1.5 h on Wednesday, Eid Thursday–Tuesday, 5.5 h on the next Wednesday.
    const cal = sa({ holidays: [EID] });
    expect(iso(addWorkingHours(at("2026-03-18T13:00:00+03:00"), 7, cal))).toBe(iso(at("2026-03-25T13:00:00+03:00")));
    expect(workingTimeBetween(at("2026-03-18T13:00:00+03:00"), at("2026-03-25T13:00:00+03:00"), cal)).toBe(7 * HOUR);
  });

  it("uses Ramadan hours over the override's dates only", () => {
    const cal = sa({ overrides: [RAMADAN] });
    // In Ramadan the office opens at 10:00 and closes at 15:00.
    expect(iso(addWorkingHours(at("2026-03-01T08:00:00+03:00"), 1, cal))).toBe(iso(at("2026-03-01T11:00:00+03:00")));
    expect(iso(addWorkingHours(at("2026-03-01T14:30:00+03:00"), 1, cal))).toBe(iso(at("2026-03-02T10:30:00+03:00")));
    // The last day of Ramadan (Wednesday 18 March) still has Ramadan hours; Thursday the usual ones.
    expect(iso(addWorkingHours(at("2026-03-18T14:00:00+03:00"), 2, cal))).toBe(iso(at("2026-03-19T08:30:00+03:00")));
  });

  it("a half day (one-day override) closes early", () => {
    const halfDay = { name: "نصف يوم", from: "2026-03-10", to: "2026-03-10", hours: CALENDAR_PRESETS.sa.week.map((d) => (d.length ? [{ start: 450, end: 690 }] : [])) };
    const cal = sa({ overrides: [halfDay] });
    // Tuesday opens 07:30–11:30 only: 4 h that day, then 1 h on Wednesday.
    expect(iso(addWorkingHours(at("2026-03-10T07:30:00+03:00"), 5, cal))).toBe(iso(at("2026-03-11T08:30:00+03:00")));
  });

  it("a holiday wins over an override on the same date", () => {
    const cal = sa({ overrides: [{ ...RAMADAN, to: "2026-03-20" }], holidays: [EID] });
    expect(isWorkingDay("2026-03-19", cal)).toBe(false);
    expect(isWorkingDay("2026-03-18", cal)).toBe(true);
  });
});

describe("working days (close of business on the Nth working day after the start's date)", () => {
  it("does not count the start day, whatever the hour", () => {
    const expected = iso(at("2026-03-03T14:30:00+03:00")); // Tuesday close
    expect(iso(addWorkingDays(at("2026-03-01T07:31:00+03:00"), 2, sa()))).toBe(expected);
    expect(iso(addWorkingDays(at("2026-03-01T14:29:00+03:00"), 2, sa()))).toBe(expected);
    expect(iso(addWorkingDays(at("2026-03-01T23:00:00+03:00"), 2, sa()))).toBe(expected);
  });

  it("skips the weekend: Thursday + 1 working day is Sunday; a request on Friday counts from Sunday", () => {
    expect(iso(addWorkingDays(at("2026-03-05T10:00:00+03:00"), 1, sa()))).toBe(iso(at("2026-03-08T14:30:00+03:00")));
    expect(iso(addWorkingDays(at("2026-03-06T10:00:00+03:00"), 1, sa()))).toBe(iso(at("2026-03-08T14:30:00+03:00")));
    expect(iso(addDuration(at("2026-03-06T10:00:00+03:00"), "P2D", sa()))).toBe(iso(at("2026-03-09T14:30:00+03:00")));
  });

  it("skips holidays and ends at the close of a Ramadan day", () => {
    const cal = sa({ overrides: [RAMADAN], holidays: [EID] });
    // Tuesday 17 March + 2: Wednesday 18 (Ramadan, closes 15:00), then Eid until Tuesday 24 → Wednesday 25.
    expect(iso(addWorkingDays(at("2026-03-17T09:00:00+03:00"), 1, cal))).toBe(iso(at("2026-03-18T15:00:00+03:00")));
    expect(iso(addWorkingDays(at("2026-03-17T09:00:00+03:00"), 2, cal))).toBe(iso(at("2026-03-25T14:30:00+03:00")));
    expect(workingDaysBetween(at("2026-03-17T09:00:00+03:00"), at("2026-03-25T14:30:00+03:00"), cal)).toBe(2);
    expect(workingDaysBetween(at("2026-03-17T09:00:00+03:00"), at("2026-03-25T14:29:00+03:00"), cal)).toBe(1);
  });

  it("UAE federal: Friday is a half day, Saturday–Sunday the weekend", () => {
    expect(iso(addWorkingDays(at("2026-03-05T10:00:00+04:00"), 1, uae))).toBe(iso(at("2026-03-06T12:00:00+04:00")));
    expect(iso(addWorkingDays(at("2026-03-05T10:00:00+04:00"), 2, uae))).toBe(iso(at("2026-03-09T15:30:00+04:00")));
    // Thursday 15:00 + 1 h: half an hour on Thursday, half an hour on Friday morning.
    expect(iso(addWorkingHours(at("2026-03-05T15:00:00+04:00"), 1, uae))).toBe(iso(at("2026-03-06T08:00:00+04:00")));
    // Friday 07:30 + 5 h: 4.5 h on Friday, then Monday.
    expect(iso(addWorkingHours(at("2026-03-06T07:30:00+04:00"), 5, uae))).toBe(iso(at("2026-03-09T08:00:00+04:00")));
  });

  it("Sharjah: Friday to Sunday off", () => {
    expect(iso(addWorkingHours(at("2026-03-05T15:00:00+04:00"), 1, sharjah))).toBe(iso(at("2026-03-09T08:00:00+04:00")));
    expect(isWorkingDay("2026-03-06", sharjah)).toBe(false);
    expect(isWorkingDay("2026-03-08", sharjah)).toBe(false);
  });
});

describe("calendar periods (weeks, months, years)", () => {
  it("a month ending on a weekend extends to the next working day's close", () => {
    // 31 January 2026 + 1 month = 28 February, a Saturday → Sunday 1 March.
    expect(iso(addDuration(at("2026-01-31T10:00:00+03:00"), "P1M", sa()))).toBe(iso(at("2026-03-01T14:30:00+03:00")));
    // 15 January + 1 month = Sunday 15 February, a working day: its close.
    expect(iso(addDuration(at("2026-01-15T10:00:00+03:00"), "P1M", sa()))).toBe(iso(at("2026-02-15T14:30:00+03:00")));
  });

  it("a week is seven calendar days; mixed durations take the period, then days, then time", () => {
    expect(iso(addDuration(at("2026-03-01T10:00:00+03:00"), "P1W", sa()))).toBe(iso(at("2026-03-08T14:30:00+03:00")));
    // P1DT4H from Sunday: Monday's close, then four working hours → Tuesday 11:30.
    expect(iso(addDuration(at("2026-03-01T10:00:00+03:00"), "P1DT4H", sa()))).toBe(iso(at("2026-03-03T11:30:00+03:00")));
  });

  it("adds nothing for a zero duration", () => {
    const start = at("2026-03-06T10:00:00+03:00");
    expect(iso(addDuration(start, "PT0S", sa()))).toBe(iso(start));
    expect(iso(addBusinessDuration(start, { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 }, sa()))).toBe(iso(start));
  });

  it("without a calendar, addDuration keeps counting elapsed time", () => {
    expect(iso(addDuration(at("2026-03-05T10:00:00Z"), "PT48H"))).toBe("2026-03-07T10:00:00.000Z");
    expect(iso(addDuration(at("2026-03-05T10:00:00Z"), "PT48H", null))).toBe("2026-03-07T10:00:00.000Z");
  });
});

describe("next working moment", () => {
  it("is the instant itself during hours, the next opening otherwise (closing time is closed)", () => {
    const cal = sa({ holidays: [EID] });
    expect(iso(nextWorkingMoment(at("2026-03-02T09:00:00+03:00"), cal))).toBe(iso(at("2026-03-02T09:00:00+03:00")));
    expect(iso(nextWorkingMoment(at("2026-03-02T14:30:00+03:00"), cal))).toBe(iso(at("2026-03-03T07:30:00+03:00")));
    expect(iso(nextWorkingMoment(at("2026-03-18T15:00:00+03:00"), cal))).toBe(iso(at("2026-03-25T07:30:00+03:00")));
    expect(isWorkingMoment(at("2026-03-02T14:30:00+03:00"), cal)).toBe(false);
    expect(isWorkingMoment(at("2026-03-02T14:29:59+03:00"), cal)).toBe(true);
  });
});

describe("time zones", () => {
  const allDay: WeekHours = Array.from({ length: 7 }, () => [{ start: 0, end: 1440 }]);
  const nineToFive: WeekHours = [[], [{ start: 540, end: 1020 }], [{ start: 540, end: 1020 }], [{ start: 540, end: 1020 }], [{ start: 540, end: 1020 }], [{ start: 540, end: 1020 }], []];

  it("Gulf zones have no daylight saving: a year of round-the-clock hours is exactly 365 × 24 h", () => {
    for (const timeZone of ["Asia/Riyadh", "Asia/Dubai", "Asia/Qatar", "Asia/Kuwait", "Asia/Bahrain", "Asia/Muscat"]) {
      const cal = { timeZone, week: allDay, overrides: [], holidays: [] };
      expect(workingTimeBetween(at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z"), cal)).toBe(365 * 24 * HOUR);
    }
  });

  it("counts real elapsed time across a daylight-saving change", () => {
    // New York springs forward on Sunday 8 March 2026: office days keep their eight hours.
    const ny = { timeZone: "America/New_York", week: nineToFive, overrides: [], holidays: [] };
    expect(workingTimeBetween(at("2026-03-06T09:00:00-05:00"), at("2026-03-13T09:00:00-04:00"), ny)).toBe(40 * HOUR);
    expect(iso(addWorkingHours(at("2026-03-06T16:00:00-05:00"), 2, ny))).toBe(iso(at("2026-03-09T10:00:00-04:00")));
    // Hours on the day of the change itself are read with that day's offsets.
    const sundays: WeekHours = [[{ start: 540, end: 1020 }], [], [], [], [], [], []];
    const nySundays = { timeZone: "America/New_York", week: sundays, overrides: [], holidays: [] };
    expect(iso(nextWorkingMoment(at("2026-03-08T00:00:00-05:00"), nySundays))).toBe(iso(at("2026-03-08T09:00:00-04:00")));
    expect(iso(nextWorkingMoment(at("2026-11-01T00:00:00-04:00"), nySundays))).toBe(iso(at("2026-11-01T09:00:00-05:00")));
    // Round the clock in London: the spring-forward day has 23 hours, the fall-back day 25.
    const london = { timeZone: "Europe/London", week: allDay, overrides: [], holidays: [] };
    expect(workingTimeBetween(at("2026-03-29T00:00:00Z"), at("2026-03-30T00:00:00+01:00"), london)).toBe(23 * HOUR);
    expect(workingTimeBetween(at("2026-10-25T00:00:00+01:00"), at("2026-10-26T00:00:00Z"), london)).toBe(25 * HOUR);
    expect(iso(addWorkingDays(at("2026-10-24T12:00:00+01:00"), 1, london))).toBe(iso(at("2026-10-26T00:00:00Z")));
  });

  it("reads working hours in the calendar's zone, not UTC", () => {
    // 07:30 in Kathmandu (+05:45) is 01:45 UTC.
    const cal = { timeZone: "Asia/Kathmandu", week: CALENDAR_PRESETS.sa.week, overrides: [], holidays: [] };
    expect(iso(nextWorkingMoment(at("2026-03-01T00:00:00Z"), cal))).toBe("2026-03-01T01:45:00.000Z");
  });
});

describe("validation", () => {
  const codes = (cal: BusinessCalendar) => validateCalendar(cal).map((p) => `${p.code}@${p.path.join(".")}`);

  it("accepts every preset", () => {
    for (const key of Object.keys(CALENDAR_PRESETS) as (keyof typeof CALENDAR_PRESETS)[]) {
      expect(validateCalendar(presetCalendar(key, CALENDAR_PRESETS[key].timeZone))).toEqual([]);
      expect(isPresetWeek(key, CALENDAR_PRESETS[key].week)).toBe(true);
    }
    expect(isPresetWeek("sa", CALENDAR_PRESETS["ae-federal"].week)).toBe(false);
  });

  it("refuses a calendar without any working time, and using one throws", () => {
    const closed = sa({ week: Array.from({ length: 7 }, () => []) });
    expect(codes(closed)).toEqual(["no_working_time@week"]);
    expect(() => addWorkingHours(at("2026-03-01T10:00:00Z"), 1, closed)).toThrow(CalendarError);
  });

  it("refuses bad intervals, dates, ranges, overlapping overrides and unknown zones", () => {
    const week = CALENDAR_PRESETS.sa.week.map((d) => [...d]);
    week[1] = [{ start: 480, end: 720 }, { start: 700, end: 900 }];
    week[2] = [{ start: 900, end: 800 }];
    expect(codes(sa({ week }))).toEqual(["interval_overlap@week.1", "interval_invalid@week.2"]);
    expect(codes(sa({ timeZone: "Mars/Olympus" }))).toEqual(["zone_invalid@timeZone"]);
    expect(codes(sa({ holidays: [{ name: " ", from: "2026-02-30", to: "2026-03-01" }] }))).toEqual(["name_required@holidays.0.name", "date_invalid@holidays.0.from"]);
    expect(codes(sa({ holidays: [{ name: "x", from: "2026-03-02", to: "2026-03-01" }] }))).toEqual(["range_reversed@holidays.0.to"]);
    expect(codes(sa({ holidays: [{ name: "x", from: "2026-01-01", to: "2027-06-01" }] }))).toEqual(["range_too_long@holidays.0.to"]);
    expect(codes(sa({ overrides: [RAMADAN, { ...RAMADAN, from: "2026-03-18", to: "2026-03-20" }] }))).toEqual(["override_overlap@overrides.1.from"]);
  });
});
