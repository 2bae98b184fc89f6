// Dates in form fields: stored as ISO Gregorian (yyyy-mm-dd, or a UTC instant for
// date-time), typed in native inputs, and read back in the organisation's calendar
// (Gregorian or Umm al-Qura), digits and time zone through Intl.
import { intlLocale, type DisplayPrefs } from "~/utils/format";

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** A calendar date in the organisation's calendar; date-only values have no zone. */
export function formatCalendarDate(iso: string, prefs: DisplayPrefs): string | null {
  if (!ISO_DATE.test(iso)) return null;
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return null;
  return new Intl.DateTimeFormat(intlLocale(prefs), { timeZone: "UTC", dateStyle: "full" }).format(date);
}

export function formatInstant(iso: string, prefs: DisplayPrefs): string | null {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  return new Intl.DateTimeFormat(intlLocale(prefs), { timeZone: prefs.timeZone, dateStyle: "full", timeStyle: "short" }).format(date);
}

/** Milliseconds the zone is ahead of UTC at the instant `utcMs`. */
function zoneOffset(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/** "2025-03-12T09:30" on the wall clock of `timeZone` → the UTC instant as ISO. */
export function zonedLocalToIso(local: string, timeZone: string): string | null {
  const m = LOCAL_DATE_TIME.exec(local);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  if (Number.isNaN(wall)) return null;
  // Two rounds settle the offset around daylight-saving changes.
  let utc = wall - zoneOffset(wall, timeZone);
  const second = zoneOffset(utc, timeZone);
  utc = wall - second;
  return new Date(utc).toISOString();
}

/** A UTC instant → "yyyy-mm-ddThh:mm" on the wall clock of `timeZone` (for datetime-local). */
export function isoToZonedLocal(iso: string, timeZone: string): string {
  const ms = new Date(iso).getTime();
  if (Number.isNaN(ms)) return "";
  const wall = new Date(ms + zoneOffset(ms, timeZone));
  return wall.toISOString().slice(0, 16);
}

/** The zone's name in the interface language ("توقيت السعودية الرسمي"), or its id. */
export function zoneName(timeZone: string, locale: "ar" | "en"): string {
  try {
    const parts = new Intl.DateTimeFormat(locale === "ar" ? "ar-SA" : "en-GB", { timeZone, timeZoneName: "long" }).formatToParts(new Date());
    return parts.find((p) => p.type === "timeZoneName")?.value ?? timeZone;
  } catch {
    return timeZone;
  }
}
