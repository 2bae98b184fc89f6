import { addBusinessDuration, type BusinessCalendar } from "./calendar";

// Durations for timers and task due dates. `addDuration` is THE one function the engine uses to
// turn "wait PT48H" into an instant. With the organisation's business calendar (the service
// always passes it) a duration is business time — PT48H is 48 working hours, P2D the close of
// the second working day (see addBusinessDuration in calendar.ts). Without one (null: an
// organisation that counts elapsed time, previews, the validator) it is elapsed time in UTC.

export interface DurationParts {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const PATTERN = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
/** Larger values are typing mistakes, and they keep every result inside the Date range. */
const MAX_PART = 100_000;

/** Parses an ISO 8601 duration with whole numbers ("P1Y2M3W4DT5H6M7S"); null when invalid. */
export function parseDuration(iso: string): DurationParts | null {
  const m = PATTERN.exec(iso);
  if (!m) return null;
  const n = (i: number) => (m[i] === undefined ? 0 : Number(m[i]));
  const parts = { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
  if (Object.values(parts).some((v) => !Number.isSafeInteger(v) || v > MAX_PART)) return null;
  if (parts.years > 1000) return null;
  return parts;
}

export function isValidDuration(iso: string): boolean {
  return parseDuration(iso) !== null;
}

/** The last day of a UTC month (day 0 of the next month). */
function daysInMonth(year: number, monthIndex: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex + 1, 0);
  return d.getUTCDate();
}

/**
 * instant + duration. With a business calendar: business time (calendar.ts). Without: years and
 * months are calendar months in UTC, clamped to the month's end (31 Jan + P1M = 28/29 Feb), as
 * java.time and Temporal do; weeks and days are 24 h (UTC has no daylight saving); then hours,
 * minutes, seconds. Throws RangeError on an invalid duration or instant (the validator rejects
 * such definitions before they can run) or an invalid calendar.
 */
export function addDuration(instant: Date, isoDuration: string, calendar?: BusinessCalendar | null): Date {
  const d = parseDuration(isoDuration);
  if (!d) throw new RangeError(`invalid ISO 8601 duration: ${isoDuration}`);
  const t = instant.getTime();
  if (Number.isNaN(t)) throw new RangeError("invalid instant");
  if (calendar) return addBusinessDuration(instant, d, calendar);
  const start = new Date(t);
  const totalMonths = start.getUTCMonth() + d.years * 12 + d.months;
  const year = start.getUTCFullYear() + Math.floor(totalMonths / 12);
  const month = totalMonths % 12;
  const day = Math.min(start.getUTCDate(), daysInMonth(year, month));
  // setUTCFullYear rather than Date.UTC, which maps years 0-99 to 19xx.
  const shifted = new Date(t);
  shifted.setUTCFullYear(year, month, day);
  const ms = ((d.weeks * 7 + d.days) * 24 * 3600 + d.hours * 3600 + d.minutes * 60 + d.seconds) * 1000;
  const result = new Date(shifted.getTime() + ms);
  if (Number.isNaN(result.getTime())) throw new RangeError(`duration out of range: ${isoDuration}`);
  return result;
}
