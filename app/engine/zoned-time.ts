// Local dates and wall-clock times in an IANA time zone, through Intl only (no tz database of
// our own). Gulf zones have had no daylight saving for decades, but the calendar library is
// used with whatever zone an organisation picks, so every conversion goes through the zone's
// real offset at that instant.
//
// A local date is a "day number": whole days since 1970-01-01 (a plain integer, so days can be
// compared, stepped and used as map keys without building Date objects).

export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws RangeError for an unknown zone (Intl's own check). */
export function assertTimeZone(timeZone: string): void {
  formatter(timeZone);
}

/** The zone's offset from UTC at an instant, in milliseconds (local = utc + offset). */
export function zoneOffset(ms: number, timeZone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  const parts = formatter(timeZone).formatToParts(new Date(whole));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? "0");
  const era = parts.find((p) => p.type === "era")?.value;
  let year = get("year");
  if (era === "BC" || era === "B") year = 1 - year;
  const asUtc = new Date(0);
  asUtc.setUTCFullYear(year, get("month") - 1, get("day"));
  asUtc.setUTCHours(get("hour"), get("minute"), get("second"), 0);
  return asUtc.getTime() - whole;
}

/** The local date (day number) of an instant in a zone. */
export function localDay(ms: number, timeZone: string): number {
  return Math.floor((ms + zoneOffset(ms, timeZone)) / MS_PER_DAY);
}

/** Minutes since local midnight of an instant (0 ≤ m < 1440, fractional). */
export function localMinute(ms: number, timeZone: string): number {
  const local = ms + zoneOffset(ms, timeZone);
  return (local - Math.floor(local / MS_PER_DAY) * MS_PER_DAY) / MS_PER_MINUTE;
}

/**
 * The instant of a wall-clock time (minute 0–1440 of a local day). As Temporal's "compatible"
 * choice: a time skipped by a daylight-saving jump moves forward by the jump; a time that
 * happens twice is the first one. Minute 1440 is the next day's midnight.
 */
export function instantOf(day: number, minute: number, timeZone: string): number {
  const naive = day * MS_PER_DAY + minute * MS_PER_MINUTE;
  const before = zoneOffset(naive - MS_PER_DAY / 2, timeZone);
  const after = zoneOffset(naive + MS_PER_DAY / 2, timeZone);
  // The earlier offset first: for a repeated time it gives the first occurrence.
  for (const offset of before === after ? [before] : [before, after]) {
    const candidate = naive - offset;
    if (zoneOffset(candidate, timeZone) === offset) return candidate;
  }
  // In a gap: neither offset reproduces the wall time. Reading it with the offset from before
  // the jump lands the same distance after the jump (02:30 in a 02:00→03:00 gap is 03:30).
  return naive - before;
}

/** "2026-03-01" → day number; null when not a real date. */
export function dayOf(iso: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return Math.round(date.getTime() / MS_PER_DAY);
}

/** Day number → "2026-03-01". */
export function isoDay(day: number): string {
  const d = new Date(day * MS_PER_DAY);
  const y = d.getUTCFullYear();
  return `${String(y).padStart(4, "0")}-${String(d.getUTCMonth() + 1).padStart(2, "0")}-${String(d.getUTCDate()).padStart(2, "0")}`;
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** The day `months` calendar months after `day`, clamped to the month's end (31 Jan + 1 = 28/29 Feb). */
export function addMonths(day: number, months: number): number {
  const d = new Date(day * MS_PER_DAY);
  const total = d.getUTCMonth() + months;
  const year = d.getUTCFullYear() + Math.floor(total / 12);
  const month = ((total % 12) + 12) % 12;
  const last = new Date(0);
  last.setUTCFullYear(year, month + 1, 0);
  const out = new Date(0);
  out.setUTCFullYear(year, month, Math.min(d.getUTCDate(), last.getUTCDate()));
  return Math.round(out.getTime() / MS_PER_DAY);
}
