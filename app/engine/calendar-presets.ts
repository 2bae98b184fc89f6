import type { BusinessCalendar, Interval, WeekHours } from "./calendar";

// Starting points for an organisation's calendar: the usual government working week and
// hours of each Gulf state as their civil-service circulars publish them. They are defaults,
// not law: every organisation edits its own hours after picking a preset, and Ramadan hours
// are offered when it adds its Ramadan dates (Ramadan moves every year, so a preset cannot
// carry the dates). Ramadan keeps the weekly days off.

export const PRESET_KEYS = ["sa", "qa", "kw", "bh", "om", "ae-federal", "ae-sharjah"] as const;
export type PresetKey = (typeof PRESET_KEYS)[number];

/** An organisation that never saved a calendar works to this one, in its own zone. */
export const DEFAULT_PRESET_KEY: PresetKey = "sa";

export interface CalendarPreset {
  key: PresetKey;
  /** The zone the preset's country uses; the organisation's own zone is what counts. */
  timeZone: string;
  week: WeekHours;
  ramadan: WeekHours;
}

/** "07:30-14:30" → minutes. Only used on the literal strings below. */
function span(text: string): Interval {
  const [from, to] = text.split("-").map((t) => {
    const [h, m] = t.split(":").map(Number);
    return h! * 60 + m!;
  });
  return { start: from!, end: to! };
}

/** Week from Sunday (0) to Saturday (6); days not listed are off. */
function week(days: Partial<Record<0 | 1 | 2 | 3 | 4 | 5 | 6, string>>): WeekHours {
  return Array.from({ length: 7 }, (_, wd) => {
    const text = days[wd as 0];
    return text ? [span(text)] : [];
  });
}

const SUN_THU = (hours: string) => week({ 0: hours, 1: hours, 2: hours, 3: hours, 4: hours });

export const CALENDAR_PRESETS: Record<PresetKey, CalendarPreset> = {
  // Friday–Saturday weekend.
  sa: { key: "sa", timeZone: "Asia/Riyadh", week: SUN_THU("07:30-14:30"), ramadan: SUN_THU("10:00-15:00") },
  qa: { key: "qa", timeZone: "Asia/Qatar", week: SUN_THU("07:00-14:00"), ramadan: SUN_THU("09:00-14:00") },
  kw: { key: "kw", timeZone: "Asia/Kuwait", week: SUN_THU("07:30-14:30"), ramadan: SUN_THU("10:00-14:00") },
  bh: { key: "bh", timeZone: "Asia/Bahrain", week: SUN_THU("07:00-14:15"), ramadan: SUN_THU("08:00-14:00") },
  om: { key: "om", timeZone: "Asia/Muscat", week: SUN_THU("07:30-14:30"), ramadan: SUN_THU("09:00-14:00") },
  // UAE federal government: Saturday–Sunday weekend, Friday a half day (4.5-day week).
  "ae-federal": {
    key: "ae-federal",
    timeZone: "Asia/Dubai",
    week: week({ 1: "07:30-15:30", 2: "07:30-15:30", 3: "07:30-15:30", 4: "07:30-15:30", 5: "07:30-12:00" }),
    ramadan: week({ 1: "09:00-14:30", 2: "09:00-14:30", 3: "09:00-14:30", 4: "09:00-14:30", 5: "09:00-12:00" }),
  },
  // Sharjah government: Friday–Sunday weekend (four-day week).
  "ae-sharjah": {
    key: "ae-sharjah",
    timeZone: "Asia/Dubai",
    week: week({ 1: "07:30-15:30", 2: "07:30-15:30", 3: "07:30-15:30", 4: "07:30-15:30" }),
    ramadan: week({ 1: "09:00-14:00", 2: "09:00-14:00", 3: "09:00-14:00", 4: "09:00-14:00" }),
  },
};

export function isPresetKey(value: unknown): value is PresetKey {
  return typeof value === "string" && (PRESET_KEYS as readonly string[]).includes(value);
}

/** A preset as a calendar in the organisation's zone, with no overrides or holidays yet. */
export function presetCalendar(key: PresetKey, timeZone: string): BusinessCalendar {
  const p = CALENDAR_PRESETS[key];
  return { timeZone, week: p.week.map((d) => d.map((i) => ({ ...i }))), overrides: [], holidays: [] };
}

/** Is this weekly pattern exactly the preset's (several presets share hours, so the key is kept)? */
export function isPresetWeek(key: PresetKey, w: WeekHours): boolean {
  const norm = (x: WeekHours) => JSON.stringify(x.map((d) => [...d].sort((a, b) => a.start - b.start).map((i) => [i.start, i.end])));
  return norm(CALENDAR_PRESETS[key].week) === norm(w);
}
