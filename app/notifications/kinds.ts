// What a notification can be about. Shared by the server (notify, email rendering) and the
// browser (preference form, list), so no server imports here.
//
// Adding a kind: one line in NOTIFICATION_KINDS below, plus its `title`/`body` texts under
// `kind.<the.kind>` in app/locales/{ar,en}/notifications.json (a kind without texts renders
// with the generic `kind.other` texts, never as a raw key). No migration: the database only
// checks the shape ("area.event").
//
// Params (notify's `params`) are interpolated into the texts as {{name}}. Conventions:
//   - `<name>_ar` / `<name>_en` pairs are one bilingual value: the texts say {{name}} and get
//     the reader's language (e.g. task_ar/task_en → {{task}}).
//   - names ending in `_at` hold an ISO instant, shown as a date-time in the organisation's
//     calendar, digits and zone; names ending in `_on` hold a day (YYYY-MM-DD), shown as a
//     date in the organisation's calendar and digits; numbers are shown with the organisation's digits.
// Params used by the built-in texts: reference (case reference), task, level, percent, reason;
// agreements: number, name, end_on, effective_on, date_on, quarter.
export const NOTIFICATION_KINDS = [
  "task.assigned",
  "task.due_soon",
  "sla.warning",
  "sla.breached",
  "sla.escalated",
  "case.cancelled",
  // The agreements plugin (plugins/sla/reminders.server.ts).
  "agreement.review_due",
  "agreement.cancellation_due",
  "agreement.meeting_due",
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export function isNotificationKind(value: unknown): value is NotificationKind {
  return typeof value === "string" && (NOTIFICATION_KINDS as readonly string[]).includes(value);
}

/**
 * Email is on unless the member turned it off (a preference row with email = false): the
 * kinds above are all things someone is expected to act on. Kinds listed here start off.
 */
const EMAIL_OFF_BY_DEFAULT: ReadonlySet<string> = new Set<string>([]);

export function emailByDefault(kind: string): boolean {
  return !EMAIL_OFF_BY_DEFAULT.has(kind);
}

/** i18n key of a kind's texts (namespace `notifications`). */
export function kindKey(kind: string, part: "title" | "body"): string {
  return `kind.${kind}.${part}`;
}

/**
 * A link stays inside the organisation: a relative path under /app/:org/ (no scheme, no
 * leading slash, no "..", no "//"), so a notification can never send a reader elsewhere.
 */
export function isSafeLink(link: string): boolean {
  return link.length <= 500 && /^[a-z0-9][A-Za-z0-9/_.~%?=&-]*$/.test(link) && !link.includes("..") && !link.includes("//");
}
