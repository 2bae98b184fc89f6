import { isWorkingDay, type BusinessCalendar } from "~/engine/calendar";
import { addMonths, dayOf, isoDay } from "~/engine/zoned-time";

// An agreement between two agencies (اتفاق مستوى الخدمة), as the guide's template lays it out
// (seeds/004 chapter 5; DOMAIN.md §2). Pure: no I/O, no clock — the caller passes `today`
// (a local date of the organisation) and its business calendar (null: every day counts).
//
// Rules from the template that live here:
//   - term: one year by default, renewing itself unless reissued or cancelled;
//   - review: at least one month before the end of the current term (a reminder is due on the
//     last working day on or before "end − one month − lead days");
//   - any change of a clause = a new version to be signed; minor changes (unit name, job title,
//     email address) are recorded without a new version;
//   - cancellation by formal letter, effective no earlier than one month after the letter
//     (moved to the next working day when that falls on a day off);
//   - a meeting every quarter on breaches, their causes and fixes.

export const SIDES = ["provider", "recipient"] as const;
export type Side = (typeof SIDES)[number];
export const otherSide = (s: Side): Side => (s === "provider" ? "recipient" : "provider");

/** One rung of a side's escalation ladder: who, their title, and how long they may take at most. */
export interface LadderLevel {
  name: string;
  title: string;
  email: string;
  /** The most this person may take to respond, in working minutes of the calendar. */
  maxResponseMinutes: number;
  /** A member of this organisation, when the person is one: notified in-app when the level fires. */
  userId: string | null;
}

export interface Monitor {
  /** The unit (الإدارة) responsible for monitoring breaches on this side. */
  unit: string;
  name: string;
  title: string;
  email: string;
  /** A member of this organisation, when the monitor is one: gets the reminders. */
  userId: string | null;
}

export interface Party {
  /** The government body (الجهة). */
  entity: string;
  monitor: Monitor;
  ladder: LadderLevel[];
  /** Roles and responsibilities of this side (2.1 / 2.2 of the template), one per line. */
  responsibilities: string[];
}

export interface Signature {
  side: Side;
  entity: string;
  title: string;
  name: string;
  /** YYYY-MM-DD */
  date: string;
}

/** What a version of the agreement says: the template's sections in order. */
export interface AgreementContent {
  nameAr: string;
  nameEn: string;
  introduction: string;
  objectives: string[];
  provider: Party;
  recipient: Party;
  /** Which party this organisation is. */
  ourSide: Side;
  term: {
    /** YYYY-MM-DD, the day the agreement takes effect (its signature). */
    startDate: string;
    months: number;
    autoRenew: boolean;
  };
  /** The major changes the recipient foresees (1.5 of the template: "يذكر هنا التغييرات"). */
  majorChangesNote: string;
  responseTimes: {
    /** Maximum reply time for email, in working minutes. */
    emailMinutes: number;
    /** Maximum reply time for official letters, in working minutes. */
    letterMinutes: number;
  };
}

// ---- Versions: what counts as a minor change ----------------------------------------------------

export type ChangeKind = "none" | "minor" | "major";

export interface FieldChange {
  /** Dotted path, e.g. "provider.monitor.email", "recipient.ladder.2.title". */
  path: string;
  kind: "minor" | "major";
  before: unknown;
  after: unknown;
}

/** The guide's examples of a minor change: a unit's name, a job title, an email address. */
const MINOR_LEAVES = new Set(["unit", "title", "email"]);

function isMinorPath(path: string[]): boolean {
  // Inside a party's monitor or ladder only: the leaf is a unit name, a title or an email.
  const [party, section] = path;
  if (party !== "provider" && party !== "recipient") return false;
  if (section !== "monitor" && section !== "ladder") return false;
  return MINOR_LEAVES.has(path[path.length - 1]!);
}

function diff(before: unknown, after: unknown, path: string[], out: FieldChange[]): void {
  if (Array.isArray(before) && Array.isArray(after)) {
    if (before.length !== after.length) {
      out.push({ path: path.join("."), kind: "major", before, after });
      return;
    }
    before.forEach((b, i) => diff(b, after[i], [...path, String(i)], out));
    return;
  }
  if (before && after && typeof before === "object" && typeof after === "object") {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of [...keys].sort()) diff((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key], [...path, key], out);
    return;
  }
  if (before === after) return;
  out.push({ path: path.join("."), kind: isMinorPath(path) ? "minor" : "major", before, after });
}

/** Compares a signed version with an edit: no change, minor only (no new version), or major. */
export function classifyChange(before: AgreementContent, after: AgreementContent): { kind: ChangeKind; changes: FieldChange[] } {
  const changes: FieldChange[] = [];
  diff(before, after, [], changes);
  const kind: ChangeKind = changes.length === 0 ? "none" : changes.some((c) => c.kind === "major") ? "major" : "minor";
  return { kind, changes };
}

// ---- Term, review, cancellation, quarters -------------------------------------------------------

export interface Term {
  /** YYYY-MM-DD, first day of the current term. */
  start: string;
  /** YYYY-MM-DD, the first day after the current term (start + months). */
  end: string;
  /** 0 for the first term, 1 after the first automatic renewal, … */
  renewals: number;
}

function day(iso: string): number {
  const d = dayOf(iso);
  if (d === null) throw new RangeError(`invalid date: ${iso}`);
  return d;
}

/**
 * The term in force on `today`: the first term until its end, then (renewing) each following
 * term of the same length. Without renewal the first term is returned also after it ended
 * (see agreementPhase for "expired"). Before the start: the first term.
 */
export function currentTerm(term: AgreementContent["term"], today: string): Term {
  const start = day(term.startDate);
  const t = day(today);
  let n = 0;
  if (term.autoRenew) while (addMonths(start, term.months * (n + 1)) <= t) n += 1;
  return { start: isoDay(addMonths(start, term.months * n)), end: isoDay(addMonths(start, term.months * (n + 1))), renewals: n };
}

/** The last working day on or before `date` (the date itself when it is one). */
export function workingDayOnOrBefore(date: string, cal: BusinessCalendar | null): string {
  let d = day(date);
  if (cal) for (let guard = 0; !isWorkingDay(isoDay(d), cal); guard += 1, d -= 1) if (guard > 366) throw new RangeError("no working day in a year");
  return isoDay(d);
}

/** The first working day on or after `date`. */
export function workingDayOnOrAfter(date: string, cal: BusinessCalendar | null): string {
  let d = day(date);
  if (cal) for (let guard = 0; !isWorkingDay(isoDay(d), cal); guard += 1, d += 1) if (guard > 366) throw new RangeError("no working day in a year");
  return isoDay(d);
}

/**
 * When the annual review reminder is due for a term ending on `termEnd`: one month before the
 * end, `leadDays` more days earlier, moved back to a working day — so the review always has at
 * least one month, as the template requires.
 */
export function reviewReminderDate(termEnd: string, leadDays: number, cal: BusinessCalendar | null): string {
  return workingDayOnOrBefore(isoDay(addMonths(day(termEnd), -1) - leadDays), cal);
}

/** The earliest day a cancellation sent by letter on `letterDate` may take effect. */
export function earliestCancellationDate(letterDate: string, cal: BusinessCalendar | null): string {
  return workingDayOnOrAfter(isoDay(addMonths(day(letterDate), 1)), cal);
}

export interface Quarter {
  /** 1-based within the agreement's life (quarter 5 = first quarter of the second year). */
  index: number;
  /** YYYY-MM-DD, inclusive. */
  start: string;
  /** YYYY-MM-DD, exclusive. */
  end: string;
  /** The meeting's planned day: the last working day of the quarter. */
  meetingDate: string;
}

/** The agreement's quarters from its start up to and including the one containing `today`. */
export function quartersUntil(startDate: string, today: string, cal: BusinessCalendar | null): Quarter[] {
  const start = day(startDate);
  const t = day(today);
  const out: Quarter[] = [];
  for (let i = 0; addMonths(start, 3 * i) <= t && i < 400; i += 1) {
    const qs = addMonths(start, 3 * i);
    const qe = addMonths(start, 3 * (i + 1));
    out.push({ index: i + 1, start: isoDay(qs), end: isoDay(qe), meetingDate: workingDayOnOrBefore(isoDay(qe - 1), cal) });
  }
  return out;
}

/** The agreement's state on a day, from what is stored (status) and its dates. */
export type AgreementPhase = "draft" | "active" | "cancelling" | "cancelled" | "expired";

export function agreementPhase(
  a: { signed: boolean; term: AgreementContent["term"]; cancellationEffective: string | null },
  today: string,
): AgreementPhase {
  if (!a.signed) return "draft";
  if (a.cancellationEffective) return today >= a.cancellationEffective ? "cancelled" : "cancelling";
  if (!a.term.autoRenew && today >= currentTerm(a.term, today).end) return "expired";
  return "active";
}

// ---- The ladder as the SLA engine's escalation levels -----------------------------------------

/**
 * Work passing to the other agency runs under the agreement: the response time of the channel
 * is the target, and the ladder of the side doing the work is the escalation: level k fires
 * `maxResponseMinutes` of level k after level k−1 (the engine's "after" times). A person who
 * is a member here is notified; anyone else is reached through this side's monitor, who is.
 */
export function ladderAssignees(ladder: readonly LadderLevel[], fallbackUserId: string | null): ({ type: "user"; userId: string } | { type: "role"; roleKey: "admin" })[] {
  return ladder.map((level) => {
    const userId = level.userId ?? fallbackUserId;
    return userId ? { type: "user" as const, userId } : { type: "role" as const, roleKey: "admin" as const };
  });
}

/** Four empty rungs: the template's default, with the plugin settings' response times. */
export function defaultLadder(minutes: readonly number[]): LadderLevel[] {
  return minutes.map((m) => ({ name: "", title: "", email: "", maxResponseMinutes: m, userId: null }));
}
