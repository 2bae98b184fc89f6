import { addMonths, dayOf, instantOf, localDay, MS_PER_DAY, MS_PER_MINUTE, weekdayOf, zoneOffset } from "./zoned-time";

// Business calendars: THE deadline library. Pure (no I/O, no clock): the engine's timers and
// task due dates, the calendar page's "try it" box and the tests all call these functions.
//
// A calendar is the organisation's time zone, working hours per weekday (several intervals a
// day for split shifts), dated overrides (Ramadan hours, a half day) and holidays (one-off
// dates or ranges). Working time is real elapsed time inside working intervals, so a zone
// with daylight saving is counted correctly too (the Gulf zones have none).
//
// Conventions:
// - Intervals are half-open for "is someone at work" ([07:30, 14:30): 14:30 is closed), but a
//   deadline may fall exactly on a closing time: adding the last working minute of the day
//   gives 14:30 that day, not 07:30 the next working day (the same working moment, and the
//   one people write on a letter: "by close of business Monday").
// - Adding zero working time returns the start unchanged (nothing to wait for).
// - "N working days" is the END of the Nth working day AFTER the start's local date: the day
//   of the event is not counted and the period ends with the end of its last day. This is how
//   Gulf administrative and procedural rules count periods ("the day of notification is not
//   counted; if the last day is a holiday the period extends to the next working day"), and
//   what a citizen told "within two working days" on a Sunday expects: an answer by close of
//   business on Tuesday. It also gives the same answer whether a request came at 07:31 or at
//   14:29, and whatever the length of the days in between (Ramadan or half days), which a
//   "same time of day N days later" rule does not.

/** Minutes after local midnight; 0 ≤ start < end ≤ 1440. */
export interface Interval {
  start: number;
  end: number;
}

/** Working intervals per weekday: index 0 = Sunday … 6 = Saturday; [] = day off. */
export type WeekHours = Interval[][];

/** Different hours over a date range (Ramadan, a half day). Dates are local, inclusive. */
export interface DatedOverride {
  id?: string;
  name: string;
  from: string;
  to: string;
  hours: WeekHours;
}

/** No work on these local dates (inclusive). A holiday wins over an override. */
export interface Holiday {
  id?: string;
  name: string;
  from: string;
  to: string;
}

export interface BusinessCalendar {
  timeZone: string;
  week: WeekHours;
  overrides: DatedOverride[];
  holidays: Holiday[];
}

export const CALENDAR_LIMITS = {
  intervalsPerDay: 6,
  holidays: 1000,
  overrides: 200,
  /** Longest holiday or override range, in days. */
  rangeDays: 366,
  name: 200,
} as const;

/** How far a computation may look ahead before giving up (a calendar with work almost never). */
const MAX_SCAN_DAYS = 366 * 200;

export const CALENDAR_PROBLEM_CODES = [
  "zone_invalid",
  "week_shape",
  "interval_invalid",
  "interval_overlap",
  "too_many_intervals",
  "no_working_time",
  "name_required",
  "name_too_long",
  "date_invalid",
  "range_reversed",
  "range_too_long",
  "override_overlap",
  "too_many_holidays",
  "too_many_overrides",
] as const;
export type CalendarProblemCode = (typeof CALENDAR_PROBLEM_CODES)[number];

export interface CalendarProblem {
  code: CalendarProblemCode;
  /** Where: ["week", 3], ["holidays", 2, "to"], ["overrides", 0, "hours", 5] … */
  path: (string | number)[];
}

function dayProblems(intervals: Interval[], path: (string | number)[]): CalendarProblem[] {
  const out: CalendarProblem[] = [];
  if (intervals.length > CALENDAR_LIMITS.intervalsPerDay) out.push({ code: "too_many_intervals", path });
  for (const i of intervals) {
    const ok = Number.isInteger(i.start) && Number.isInteger(i.end) && i.start >= 0 && i.end <= 1440 && i.start < i.end;
    if (!ok) return [...out, { code: "interval_invalid", path }];
  }
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  for (let k = 1; k < sorted.length; k += 1) {
    if (sorted[k]!.start < sorted[k - 1]!.end) return [...out, { code: "interval_overlap", path }];
  }
  return out;
}

function weekProblems(week: WeekHours, path: (string | number)[]): CalendarProblem[] {
  if (!Array.isArray(week) || week.length !== 7) return [{ code: "week_shape", path }];
  return week.flatMap((day, wd) => dayProblems(day, [...path, wd]));
}

function rangeProblems(entry: { name: string; from: string; to: string }, path: (string | number)[]): CalendarProblem[] {
  const out: CalendarProblem[] = [];
  const name = entry.name.trim();
  if (!name) out.push({ code: "name_required", path: [...path, "name"] });
  else if (name.length > CALENDAR_LIMITS.name) out.push({ code: "name_too_long", path: [...path, "name"] });
  const from = dayOf(entry.from);
  const to = dayOf(entry.to);
  if (from === null) out.push({ code: "date_invalid", path: [...path, "from"] });
  if (to === null) out.push({ code: "date_invalid", path: [...path, "to"] });
  if (from !== null && to !== null) {
    if (to < from) out.push({ code: "range_reversed", path: [...path, "to"] });
    else if (to - from + 1 > CALENDAR_LIMITS.rangeDays) out.push({ code: "range_too_long", path: [...path, "to"] });
  }
  return out;
}

/**
 * Everything wrong with a calendar, or [] when it can be used. A week without any working
 * time is refused: every deadline would be "never".
 */
export function validateCalendar(cal: BusinessCalendar): CalendarProblem[] {
  const out: CalendarProblem[] = [];
  try {
    zoneOffset(0, cal.timeZone);
  } catch {
    out.push({ code: "zone_invalid", path: ["timeZone"] });
  }
  const week = weekProblems(cal.week, ["week"]);
  out.push(...week);
  if (week.length === 0 && cal.week.every((day) => day.length === 0)) out.push({ code: "no_working_time", path: ["week"] });
  if (cal.holidays.length > CALENDAR_LIMITS.holidays) out.push({ code: "too_many_holidays", path: ["holidays"] });
  if (cal.overrides.length > CALENDAR_LIMITS.overrides) out.push({ code: "too_many_overrides", path: ["overrides"] });
  cal.holidays.forEach((h, k) => out.push(...rangeProblems(h, ["holidays", k])));
  cal.overrides.forEach((o, k) => out.push(...rangeProblems(o, ["overrides", k]), ...weekProblems(o.hours, ["overrides", k, "hours"])));
  // Two overrides on the same date would leave it unclear which hours apply.
  const spans = cal.overrides
    .map((o, k) => ({ k, from: dayOf(o.from), to: dayOf(o.to) }))
    .filter((s): s is { k: number; from: number; to: number } => s.from !== null && s.to !== null && s.from <= s.to)
    .sort((a, b) => a.from - b.from);
  for (let k = 1; k < spans.length; k += 1) {
    if (spans[k]!.from <= spans[k - 1]!.to) out.push({ code: "override_overlap", path: ["overrides", spans[k]!.k, "from"] });
  }
  return out;
}

export class CalendarError extends RangeError {
  constructor(readonly problems: CalendarProblem[]) {
    super(`invalid business calendar: ${problems.map((p) => `${p.code}@${p.path.join(".")}`).join(", ")}`);
    this.name = "CalendarError";
  }
}

// ---- Compiled form: sorted day ranges and a per-day cache ---------------------------------

interface Compiled {
  cal: BusinessCalendar;
  holidays: { from: number; to: number }[];
  overrides: { from: number; to: number; hours: WeekHours }[];
  days: Map<number, number[]>;
}

const compiled = new WeakMap<BusinessCalendar, Compiled>();

/** Calendars are treated as immutable values: the compiled form is kept per object. */
function compile(cal: BusinessCalendar): Compiled {
  const known = compiled.get(cal);
  if (known) return known;
  const problems = validateCalendar(cal);
  if (problems.length) throw new CalendarError(problems);
  const spans = cal.holidays.map((h) => [dayOf(h.from)!, dayOf(h.to)!] as [number, number]).sort((a, b) => a[0] - b[0]);
  // Merged, so a binary search finds the one span that can contain a day.
  const holidays: { from: number; to: number }[] = [];
  for (const [from, to] of spans) {
    const last = holidays.at(-1);
    if (last && from <= last.to + 1) last.to = Math.max(last.to, to);
    else holidays.push({ from, to });
  }
  const overrides = cal.overrides.map((o) => ({ from: dayOf(o.from)!, to: dayOf(o.to)!, hours: o.hours })).sort((a, b) => a.from - b.from);
  const c: Compiled = { cal, holidays, overrides, days: new Map() };
  compiled.set(cal, c);
  return c;
}

/** The last span whose start is ≤ day (spans sorted by start, not overlapping). */
function spanAt<T extends { from: number; to: number }>(spans: T[], day: number): T | undefined {
  let lo = 0;
  let hi = spans.length - 1;
  let found: T | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]!.from <= day) {
      found = spans[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found && day <= found.to ? found : undefined;
}

function hoursOfDay(c: Compiled, day: number): Interval[] {
  if (spanAt(c.holidays, day)) return [];
  const wd = weekdayOf(day);
  return spanAt(c.overrides, day)?.hours[wd] ?? c.cal.week[wd]!;
}

/** Working ranges of a local day as instants: [start, end, start, end, …], sorted, merged. */
function dayRanges(c: Compiled, day: number): number[] {
  const cached = c.days.get(day);
  if (cached) return cached;
  const intervals = [...hoursOfDay(c, day)].sort((a, b) => a.start - b.start);
  const tz = c.cal.timeZone;
  const naive = day * MS_PER_DAY;
  // One offset for the whole day unless the zone changes its offset around it (never in
  // the Gulf): two Intl calls per day instead of several per interval.
  const early = zoneOffset(naive - 14 * 3_600_000, tz);
  const fixed = early === zoneOffset(naive + MS_PER_DAY + 14 * 3_600_000, tz);
  const at = (minute: number) => (fixed ? naive + minute * MS_PER_MINUTE - early : instantOf(day, minute, tz));
  const out: number[] = [];
  for (const i of intervals) {
    const s = at(i.start);
    const e = at(i.end);
    if (e <= s) continue;
    if (out.length && s <= out[out.length - 1]!) out[out.length - 1] = Math.max(out[out.length - 1]!, e);
    else out.push(s, e);
  }
  if (c.days.size > 20_000) c.days.clear();
  c.days.set(day, out);
  return out;
}

function scanGuard(steps: number): void {
  if (steps > MAX_SCAN_DAYS) throw new RangeError("the calendar has no working time within 200 years of this date");
}

function checkInstant(instant: Date): number {
  const t = instant.getTime();
  if (Number.isNaN(t)) throw new RangeError("invalid instant");
  return t;
}

// ---- Working time -----------------------------------------------------------------------------

/** Is someone at work at this instant? (Closing time itself is not working time.) */
export function isWorkingMoment(instant: Date, cal: BusinessCalendar): boolean {
  const c = compile(cal);
  const t = checkInstant(instant);
  const r = dayRanges(c, localDay(t, cal.timeZone));
  for (let k = 0; k < r.length; k += 2) if (r[k]! <= t && t < r[k + 1]!) return true;
  return false;
}

/** The instant itself when it is working time, else the next opening. */
export function nextWorkingMoment(instant: Date, cal: BusinessCalendar): Date {
  const c = compile(cal);
  const t = checkInstant(instant);
  const first = localDay(t, cal.timeZone);
  for (let d = first; ; d += 1) {
    scanGuard(d - first);
    const r = dayRanges(c, d);
    for (let k = 0; k < r.length; k += 2) if (r[k + 1]! > t) return new Date(Math.max(r[k]!, t));
  }
}

/** instant + `ms` of working time. A result on a closing time stays there (see the conventions). */
export function addWorkingTime(instant: Date, ms: number, cal: BusinessCalendar): Date {
  const c = compile(cal);
  const t = checkInstant(instant);
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError("working time to add must be a finite number ≥ 0");
  if (ms === 0) return new Date(t);
  let remaining = ms;
  const first = localDay(t, cal.timeZone);
  for (let d = first; ; d += 1) {
    scanGuard(d - first);
    const r = dayRanges(c, d);
    for (let k = 0; k < r.length; k += 2) {
      const end = r[k + 1]!;
      if (end <= t) continue;
      const from = Math.max(r[k]!, t);
      if (remaining <= end - from) return new Date(from + remaining);
      remaining -= end - from;
    }
  }
}

export function addWorkingMinutes(instant: Date, minutes: number, cal: BusinessCalendar): Date {
  return addWorkingTime(instant, minutes * MS_PER_MINUTE, cal);
}

export function addWorkingHours(instant: Date, hours: number, cal: BusinessCalendar): Date {
  return addWorkingTime(instant, hours * 60 * MS_PER_MINUTE, cal);
}

/** Working time (ms) from a to b; negative when b is before a. */
export function workingTimeBetween(a: Date, b: Date, cal: BusinessCalendar): number {
  const c = compile(cal);
  const from = checkInstant(a);
  const to = checkInstant(b);
  if (to < from) return -workingTimeBetween(b, a, cal);
  let total = 0;
  const last = localDay(to, cal.timeZone);
  for (let d = localDay(from, cal.timeZone); d <= last; d += 1) {
    const r = dayRanges(c, d);
    for (let k = 0; k < r.length; k += 2) total += Math.max(0, Math.min(r[k + 1]!, to) - Math.max(r[k]!, from));
  }
  return total;
}

// ---- Working days -----------------------------------------------------------------------------

/** A local date with any working time (not a weekend, holiday or closed override day). */
export function isWorkingDay(date: string, cal: BusinessCalendar): boolean {
  const day = dayOf(date);
  if (day === null) throw new RangeError(`invalid date: ${date}`);
  return dayRanges(compile(cal), day).length > 0;
}

function nthWorkingDayAfter(c: Compiled, day: number, n: number): number {
  let d = day;
  for (let found = 0, steps = 0; found < n; ) {
    d += 1;
    scanGuard((steps += 1));
    if (dayRanges(c, d).length) found += 1;
  }
  return d;
}

function closeOf(c: Compiled, day: number): number {
  const r = dayRanges(c, day);
  return r[r.length - 1]!;
}

/** Close of business on the Nth working day after the instant's local date (see the conventions). */
export function addWorkingDays(instant: Date, n: number, cal: BusinessCalendar): Date {
  const c = compile(cal);
  const t = checkInstant(instant);
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError("working days to add must be a whole number ≥ 0");
  if (n === 0) return new Date(t);
  return new Date(closeOf(c, nthWorkingDayAfter(c, localDay(t, cal.timeZone), n)));
}

/** How many working days after a's local date have closed by b (the inverse of addWorkingDays). */
export function workingDaysBetween(a: Date, b: Date, cal: BusinessCalendar): number {
  const c = compile(cal);
  const from = checkInstant(a);
  const to = checkInstant(b);
  let count = 0;
  const last = localDay(to, cal.timeZone);
  for (let d = localDay(from, cal.timeZone) + 1; d <= last; d += 1) {
    const r = dayRanges(c, d);
    if (r.length && r[r.length - 1]! <= to) count += 1;
  }
  return count;
}

// ---- ISO 8601 durations in business time ---------------------------------------------------

export interface BusinessDurationParts {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

/**
 * How a definition's duration becomes a deadline under a business calendar:
 * - hours, minutes, seconds (PT48H) are working time: 48 working hours;
 * - days (P2D) are working days: close of business on the 2nd working day after today;
 * - years, months and weeks (P1M, P2W) are calendar periods, as regulations write them ("within
 *   one month"): the same date that many months/weeks later; a period ending on a weekend or
 *   holiday extends to the next working day; the deadline is that day's close of business;
 * - in a mixed duration the calendar period comes first, then working days counted after it,
 *   then working time (P1DT4H: four working hours after tomorrow's close, i.e. the next
 *   working morning).
 */
export function addBusinessDuration(instant: Date, d: BusinessDurationParts, cal: BusinessCalendar): Date {
  const c = compile(cal);
  let t = checkInstant(instant);
  const period = d.years * 12 + d.months;
  if (period > 0 || d.weeks > 0 || d.days > 0) {
    let day = localDay(t, cal.timeZone);
    if (period > 0) day = addMonths(day, period);
    day += d.weeks * 7;
    if (d.days > 0) day = nthWorkingDayAfter(c, day, d.days);
    else if (!dayRanges(c, day).length) day = nthWorkingDayAfter(c, day, 1);
    t = closeOf(c, day);
  }
  const ms = ((d.hours * 60 + d.minutes) * 60 + d.seconds) * 1000;
  return ms > 0 ? addWorkingTime(new Date(t), ms, cal) : new Date(t);
}

/** Working minutes in a week of the regular pattern (for summaries and the 48-hour rule of thumb). */
export function weeklyMinutes(week: WeekHours): number {
  return week.reduce((sum, day) => sum + day.reduce((s, i) => s + (i.end - i.start), 0), 0);
}
