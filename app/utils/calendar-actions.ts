// The calendar page's form intents and the action's answers (shared by the page and
// calendar-admin.server.ts, which produces them).

export const CALENDAR_INTENTS = ["week", "override-add", "override-remove", "holiday-add", "holiday-remove", "ics-preview", "ics-import"] as const;
export type CalendarIntent = (typeof CALENDAR_INTENTS)[number];

export interface IcsPreview {
  fileName: string;
  rows: { name: string; from: string; to: string; timed: boolean; duplicate: boolean }[];
  skipped: { name: string; reason: string }[];
}

export type CalendarActionResult =
  | { ok: true; intent: CalendarIntent; message: string; preview?: IcsPreview }
  | { ok: false; intent: CalendarIntent | ""; status: 400 | 404 | 413; message: string; fieldErrors: Record<string, string>; values: Record<string, string> };

/** Largest .ics file the page accepts (checked in the browser first, then on the server). */
export const MAX_ICS_BYTES = 512 * 1024;
