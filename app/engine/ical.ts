import { dayOf, instantOf, isoDay, localDay, MS_PER_DAY } from "./zoned-time";
import { CALENDAR_LIMITS } from "./calendar";

// Holidays from an iCalendar file (RFC 5545): the public-holiday feeds ministries and calendar
// apps publish. A small reader of our own rather than a dependency: we need VEVENT's DTSTART,
// DTEND/DURATION, SUMMARY and STATUS, line unfolding and text unescaping, and strict limits,
// because the file comes from a user. Everything else in the file is ignored.
//
// All-day events (DTSTART;VALUE=DATE) give their dates (DTEND is exclusive, as the RFC says).
// Timed events give the local dates they touch in the organisation's zone, marked `timed` so
// the preview can say a timed closure becomes whole days off. Repeating events (RRULE) are
// skipped and counted: a yearly rule says nothing about this year's Eid.

export const ICS_LIMITS = {
  /** Characters of the whole file. */
  chars: 512 * 1024,
  /** Characters of one (unfolded) content line. */
  lineChars: 8 * 1024,
  events: 1000,
  depth: 8,
} as const;

export const ICS_ERROR_CODES = ["too_large", "line_too_long", "not_calendar", "malformed", "too_many_events", "too_deep"] as const;
export type IcsErrorCode = (typeof ICS_ERROR_CODES)[number];

export class IcsError extends Error {
  constructor(
    readonly code: IcsErrorCode,
    readonly line?: number,
  ) {
    super(`iCalendar: ${code}${line ? ` (line ${line})` : ""}`);
    this.name = "IcsError";
  }
}

export interface ImportedHoliday {
  name: string;
  from: string;
  to: string;
  /** The event had times: its local dates become whole days off. */
  timed: boolean;
}

export const SKIP_REASONS = ["repeating", "cancelled", "no_date", "bad_date", "too_long"] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export interface IcsResult {
  holidays: ImportedHoliday[];
  skipped: { name: string; reason: SkipReason }[];
}

interface Property {
  name: string;
  params: Record<string, string>;
  value: string;
}

/** Joins folded lines (a line starting with a space or tab continues the previous one). */
function unfold(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  const raw = text.split(/\r\n|\n|\r/);
  for (let k = 0; k < raw.length; k += 1) {
    const l = raw[k]!;
    const last = out[out.length - 1];
    if ((l.startsWith(" ") || l.startsWith("\t")) && last) last.text += l.slice(1);
    else if (l.length) out.push({ text: l, line: k + 1 });
    if (last && last.text.length > ICS_LIMITS.lineChars) throw new IcsError("line_too_long", last.line);
  }
  const tail = out[out.length - 1];
  if (tail && tail.text.length > ICS_LIMITS.lineChars) throw new IcsError("line_too_long", tail.line);
  return out;
}

/** NAME;PARAM=VALUE;PARAM="quoted:value":value */
function parseLine(text: string, line: number): Property {
  let k = 0;
  const readName = () => {
    const start = k;
    while (k < text.length && /[A-Za-z0-9-]/.test(text[k]!)) k += 1;
    return text.slice(start, k).toUpperCase();
  };
  const name = readName();
  if (!name) throw new IcsError("malformed", line);
  const params: Record<string, string> = {};
  while (text[k] === ";") {
    k += 1;
    const param = readName();
    if (!param || text[k] !== "=") throw new IcsError("malformed", line);
    k += 1;
    let value = "";
    if (text[k] === '"') {
      const end = text.indexOf('"', k + 1);
      if (end < 0) throw new IcsError("malformed", line);
      value = text.slice(k + 1, end);
      k = end + 1;
    } else {
      const start = k;
      while (k < text.length && text[k] !== ";" && text[k] !== ":") k += 1;
      value = text.slice(start, k);
    }
    params[param] = value;
  }
  if (text[k] !== ":") throw new IcsError("malformed", line);
  return { name, params, value: text.slice(k + 1) };
}

function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === "n" || c === "N" ? " " : c)).trim();
}

/** A DATE or DATE-TIME value → the local day number(s) it falls on, in `zone`. */
function readWhen(p: Property, zone: string): { day: number; ms: number | null } | null {
  const v = p.value.trim();
  const date = /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (date) {
    const day = dayOf(`${date[1]}-${date[2]}-${date[3]}`);
    return day === null ? null : { day, ms: null };
  }
  const dt = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/.exec(v);
  if (!dt) return null;
  const day = dayOf(`${dt[1]}-${dt[2]}-${dt[3]}`);
  const [h, m, s] = [Number(dt[4]), Number(dt[5]), Number(dt[6])];
  if (day === null || h > 23 || m > 59 || s > 60) return null;
  const minute = h * 60 + m + Math.min(s, 59) / 60;
  let ms: number;
  if (dt[7] === "Z") ms = day * MS_PER_DAY + minute * 60_000;
  else {
    // TZID names the event's zone; a floating time is read in the organisation's zone.
    let tz = zone;
    if (p.params.TZID) {
      try {
        instantOf(0, 0, p.params.TZID);
        tz = p.params.TZID;
      } catch {
        tz = zone;
      }
    }
    ms = instantOf(day, minute, tz);
  }
  return { day: localDay(ms, zone), ms };
}

/** "P1D", "P2W", "PT12H" → milliseconds (enough for event lengths); null otherwise. */
function durationMs(value: string): number | null {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(value.trim());
  if (!m || value.trim() === "P") return null;
  const n = (i: number) => Number(m[i] ?? 0);
  return ((((n(1) * 7 + n(2)) * 24 + n(3)) * 60 + n(4)) * 60 + n(5)) * 1000;
}

function eventToHoliday(props: Property[], zone: string): ImportedHoliday | { name: string; reason: SkipReason } {
  const get = (name: string) => props.find((p) => p.name === name);
  const name = unescapeText(get("SUMMARY")?.value ?? "").slice(0, CALENDAR_LIMITS.name);
  if (get("RRULE") || get("RDATE")) return { name, reason: "repeating" };
  if ((get("STATUS")?.value ?? "").trim().toUpperCase() === "CANCELLED") return { name, reason: "cancelled" };
  const startProp = get("DTSTART");
  if (!startProp) return { name, reason: "no_date" };
  const start = readWhen(startProp, zone);
  if (!start) return { name, reason: "bad_date" };
  const endProp = get("DTEND");
  const duration = get("DURATION");
  let lastDay = start.day;
  if (start.ms === null) {
    // All day: DTEND is the day after the last one.
    const end = endProp ? readWhen(endProp, zone) : null;
    if (endProp && !end) return { name, reason: "bad_date" };
    const days = duration ? durationMs(duration.value) : null;
    if (duration && days === null) return { name, reason: "bad_date" };
    if (end) lastDay = Math.max(start.day, end.day - 1);
    else if (days) lastDay = start.day + Math.max(1, Math.ceil(days / MS_PER_DAY)) - 1;
  } else {
    const end = endProp ? readWhen(endProp, zone) : null;
    if (endProp && (!end || end.ms === null)) return { name, reason: "bad_date" };
    const length = duration ? durationMs(duration.value) : null;
    if (duration && length === null) return { name, reason: "bad_date" };
    const endMs = end?.ms ?? (length !== null ? start.ms + length : start.ms);
    // The end instant is exclusive: an event until midnight does not take the next day.
    if (endMs > start.ms) lastDay = Math.max(start.day, localDay(endMs - 1, zone));
  }
  if (lastDay - start.day + 1 > CALENDAR_LIMITS.rangeDays) return { name, reason: "too_long" };
  return { name, from: isoDay(start.day), to: isoDay(lastDay), timed: start.ms !== null };
}

/**
 * Reads the holidays of an iCalendar text, for an organisation in `zone`. Throws IcsError for a
 * file it refuses (too large, not a calendar, malformed structure); events it cannot use are
 * listed in `skipped` instead.
 */
export function parseIcsHolidays(text: string, zone: string): IcsResult {
  if (text.length > ICS_LIMITS.chars) throw new IcsError("too_large");
  const lines = unfold(text.replace(/^\uFEFF/, ""));
  // Anything else (a spreadsheet, a picture renamed .ics) is told apart before it is parsed.
  if (!/^BEGIN:VCALENDAR\s*$/i.test(lines[0]?.text ?? "")) throw new IcsError("not_calendar", lines[0]?.line);
  const stack: string[] = [];
  const result: IcsResult = { holidays: [], skipped: [] };
  let event: Property[] | null = null;
  let sawCalendar = false;
  let events = 0;
  for (const { text: content, line } of lines) {
    const p = parseLine(content, line);
    if (p.name === "BEGIN") {
      const what = p.value.trim().toUpperCase();
      if (stack.length === 0 && what !== "VCALENDAR") throw new IcsError("not_calendar", line);
      if (stack.length >= ICS_LIMITS.depth) throw new IcsError("too_deep", line);
      stack.push(what);
      if (what === "VCALENDAR") sawCalendar = true;
      if (what === "VEVENT" && stack.length === 2) {
        if ((events += 1) > ICS_LIMITS.events) throw new IcsError("too_many_events", line);
        event = [];
      }
      continue;
    }
    if (p.name === "END") {
      const what = p.value.trim().toUpperCase();
      if (stack.pop() !== what) throw new IcsError("malformed", line);
      if (what === "VEVENT" && stack.length === 1 && event) {
        const h = eventToHoliday(event, zone);
        if ("reason" in h) result.skipped.push(h);
        else result.holidays.push(h);
        event = null;
      }
      continue;
    }
    if (stack.length === 0) throw new IcsError("not_calendar", line);
    // Properties of the event itself, not of a nested VALARM.
    if (event && stack.length === 2) event.push(p);
  }
  if (!sawCalendar) throw new IcsError("not_calendar");
  if (stack.length) throw new IcsError("malformed");
  return result;
}
