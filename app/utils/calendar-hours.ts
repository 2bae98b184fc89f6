import type { Interval } from "~/engine/calendar";

// Working hours as people type them: "07:30-14:30", or a split shift "08:00-12:00, 16:00-20:00".
// Arabic-Indic and Persian digits, the Arabic comma and en/em dashes are accepted, so an
// Arabic keyboard works as it is. Shared by the calendar page (display) and its action (parse).

const ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩";
const PERSIAN = "۰۱۲۳۴۵۶۷۸۹";

export function latinDigits(text: string): string {
  return text.replace(/[٠-٩۰-۹]/g, (c) => String(ARABIC_INDIC.includes(c) ? ARABIC_INDIC.indexOf(c) : PERSIAN.indexOf(c)));
}

export function localDigits(text: string, digits: "arab" | "latn"): string {
  return digits === "arab" ? text.replace(/[0-9]/g, (c) => ARABIC_INDIC[Number(c)]!) : text;
}

function minuteOf(text: string): number | null {
  const m = /^(\d{1,2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2] ?? "0");
  if (min > 59 || h > 24 || (h === 24 && min > 0)) return null;
  return h * 60 + min;
}

/** "07:30-14:30, 16:00-20:00" → intervals; "" → [] (a day off); null when it cannot be read. */
export function parseIntervals(text: string): Interval[] | null {
  const clean = latinDigits(text).replace(/[–—−]/g, "-").trim();
  if (clean === "") return [];
  const out: Interval[] = [];
  for (const part of clean.split(/[,،;]/)) {
    if (!part.trim()) continue;
    const ends = part.split("-");
    if (ends.length !== 2) return null;
    const start = minuteOf(ends[0]!);
    const end = minuteOf(ends[1]!);
    if (start === null || end === null) return null;
    out.push({ start, end });
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Left-to-right isolate (U+2066 … U+2069). Inside Arabic text "07:30-14:30" would otherwise be
 * shown as "14:30-07:30": digits after Arabic letters are laid out right to left.
 */
export const ltr = (text: string) => `\u2066${text}\u2069`;

/** The examples the hints and the error message interpolate. */
export const HOURS_EXAMPLES = { one: ltr("07:30-14:30"), two: ltr("08:00-12:00, 16:00-20:00") };

function hhmm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

/** Intervals → "07:30-14:30, 16:00-20:00" (the text parseIntervals reads back). */
export function formatIntervals(list: Interval[]): string {
  return list.map((i) => `${hhmm(i.start)}-${hhmm(i.end)}`).join(", ");
}

/** "YYYY-MM-DDTHH:MM" (a datetime-local value) with Arabic digits made Latin; null when malformed. */
export function readLocalDateTime(text: string): { date: string; minute: number } | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(latinDigits(text.trim()));
  if (!m) return null;
  const minute = Number(m[2]) * 60 + Number(m[3]);
  return Number(m[2]) > 23 || Number(m[3]) > 59 ? null : { date: m[1]!, minute };
}
