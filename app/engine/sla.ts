import { addWorkingTime, workingTimeBetween, type BusinessCalendar } from "./calendar";

// SLA clocks, pure: given a policy's terms, a clock's timeline (start, pauses, response, stop)
// and the organisation's business calendar, when is each target due, how much business time
// has counted, what is the status at an instant, and which warnings, breaches and escalation
// levels are due. No I/O and no clock: the service passes `now`.
//
// Everything is measured in *active* time: working time of the calendar (elapsed time when the
// organisation has none) since the clock started, minus the working time of its pauses. A
// target of 48 hours is due when 48 working hours have counted; a pause of 3 working hours
// moves every later milestone by exactly 3 working hours (addWorkingTime is additive).
//
// Milestones of a clock, in active time:
//   warning  at p % of a target (e.g. 50 %, 75 %)
//   breach   at the target (response: until the task is first acted on; resolution: until done)
//   level k  of the escalation ladder at the ladder's anchor target + the sum of the "after"
//            times of levels 1..k (level 1 "after breach", each next level "after the previous")
// The ladder is anchored on the resolution target (the promise made to the public), or on the
// response target when the policy has no resolution target. Response milestones lapse once the
// task is acted on; every milestone lapses when the clock stops.

export type SlaTargetKind = "response" | "resolution";
export const ESCALATION_ACTIONS = ["notify", "reassign", "raise_priority"] as const;
export type EscalationAction = (typeof ESCALATION_ACTIONS)[number];

/** Who a level escalates to: the holders of a role (by its stable key) or one person. */
export type LevelAssignee = { type: "role"; roleKey: string } | { type: "user"; userId: string };

export interface EscalationLevel {
  /** Working minutes after the breach (level 1) or after the previous level. */
  afterMinutes: number;
  assignee: LevelAssignee;
  actions: EscalationAction[];
}

/** What a policy promises; copied onto each clock when it starts (a later edit never moves a running clock). */
export interface SlaTerms {
  responseMinutes: number | null;
  resolutionMinutes: number | null;
  /** Percentages of each target at which a warning is due, ascending. */
  warnPercents: number[];
  levels: EscalationLevel[];
}

export interface SlaPause {
  from: Date;
  /** null: still paused. */
  to: Date | null;
}

export interface ClockTimeline {
  startedAt: Date;
  /** In order, not overlapping, all at or after the start. */
  pauses: readonly SlaPause[];
  respondedAt: Date | null;
  stoppedAt: Date | null;
}

export type SlaStatus = "on_time" | "at_risk" | "breached";
export type MilestoneKind = "warning" | "breach" | "escalation";

export interface Milestone {
  /** Stable per clock: "warning:resolution:75", "breach:response:0", "escalation:resolution:2". */
  key: string;
  kind: MilestoneKind;
  target: SlaTargetKind;
  /** warning: the percentage; breach: 0; escalation: the level (1-based). */
  level: number;
  /** Active time (ms) at which it is due. */
  activeMs: number;
}

export interface DueMilestone extends Milestone {
  at: Date;
  /** A warning whose breach is due too (the sweep came late): recorded, but nobody is warned. */
  superseded: boolean;
}

export const SLA_LIMITS = {
  /** About a year of working time. */
  targetMinutes: 366 * 24 * 60,
  warnings: 5,
  levels: 10,
  levelAfterMinutes: 366 * 24 * 60,
} as const;

export const MS_PER_MINUTE = 60_000;

// ---- Working time, with or without a business calendar ------------------------------------

function between(a: Date, b: Date, cal: BusinessCalendar | null): number {
  if (b.getTime() <= a.getTime()) return 0;
  return cal ? workingTimeBetween(a, b, cal) : b.getTime() - a.getTime();
}

function add(a: Date, ms: number, cal: BusinessCalendar | null): Date {
  return cal ? addWorkingTime(a, ms, cal) : new Date(a.getTime() + ms);
}

/** Business time (ms) that has counted on the clock by `at`: working time minus paused working time. */
export function activeTimeAt(tl: ClockTimeline, cal: BusinessCalendar | null, at: Date): number {
  const end = tl.stoppedAt && tl.stoppedAt.getTime() < at.getTime() ? tl.stoppedAt : at;
  let total = between(tl.startedAt, end, cal);
  for (const p of tl.pauses) {
    const from = p.from.getTime() < tl.startedAt.getTime() ? tl.startedAt : p.from;
    const to = p.to === null || p.to.getTime() > end.getTime() ? end : p.to;
    total -= between(from, to, cal);
  }
  return Math.max(0, total);
}

/**
 * The instant at which `activeMs` of business time will have counted; null when the clock is
 * paused (without end) before then. The inverse of activeTimeAt.
 */
export function instantAtActive(tl: ClockTimeline, cal: BusinessCalendar | null, activeMs: number): Date | null {
  let t = tl.startedAt;
  let remaining = activeMs;
  for (const p of tl.pauses) {
    if (p.from.getTime() > t.getTime()) {
      const w = between(t, p.from, cal);
      if (remaining <= w) return add(t, remaining, cal);
      remaining -= w;
    }
    if (p.to === null) return null;
    if (p.to.getTime() > t.getTime()) t = p.to;
  }
  return add(t, remaining, cal);
}

// ---- Milestones --------------------------------------------------------------------------------

const KIND_ORDER: Record<MilestoneKind, number> = { warning: 0, breach: 1, escalation: 2 };

/** The ladder's anchor: resolution when the policy has one, else response; null without targets. */
export function ladderAnchor(terms: SlaTerms): SlaTargetKind | null {
  if (terms.resolutionMinutes !== null) return "resolution";
  if (terms.responseMinutes !== null) return "response";
  return null;
}

/** Every milestone of the terms, in the order they fall due. */
export function milestonesOf(terms: SlaTerms): Milestone[] {
  const out: Milestone[] = [];
  for (const target of ["response", "resolution"] as const) {
    const minutes = target === "response" ? terms.responseMinutes : terms.resolutionMinutes;
    if (minutes === null) continue;
    const ms = minutes * MS_PER_MINUTE;
    for (const p of terms.warnPercents) out.push({ key: `warning:${target}:${p}`, kind: "warning", target, level: p, activeMs: Math.round((ms * p) / 100) });
    out.push({ key: `breach:${target}:0`, kind: "breach", target, level: 0, activeMs: ms });
  }
  const anchor = ladderAnchor(terms);
  if (anchor) {
    let at = (anchor === "response" ? terms.responseMinutes! : terms.resolutionMinutes!) * MS_PER_MINUTE;
    terms.levels.forEach((level, i) => {
      at += level.afterMinutes * MS_PER_MINUTE;
      out.push({ key: `escalation:${anchor}:${i + 1}`, kind: "escalation", target: anchor, level: i + 1, activeMs: at });
    });
  }
  return out.sort((a, b) => a.activeMs - b.activeMs || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.target === b.target ? a.level - b.level : a.target === "response" ? -1 : 1));
}

/** Whether a milestone can still fall due: response ones lapse once acted on, all once stopped. */
function live(m: Milestone, tl: ClockTimeline): boolean {
  if (tl.stoppedAt) return false;
  return m.target !== "response" || tl.respondedAt === null;
}

export interface ClockView {
  responseDueAt: Date | null;
  responseRiskAt: Date | null;
  resolutionDueAt: Date | null;
  resolutionRiskAt: Date | null;
  /** Unfired live milestones due at `now`, in order. */
  due: DueMilestone[];
  /** When the next unfired live milestone falls due; null when none (or paused before it). */
  nextDueAt: Date | null;
  activeMs: number;
  status: SlaStatus;
  paused: boolean;
}

function instantOf(target: SlaTargetKind, percent: number | null, terms: SlaTerms, tl: ClockTimeline, cal: BusinessCalendar | null): Date | null {
  const minutes = target === "response" ? terms.responseMinutes : terms.resolutionMinutes;
  if (minutes === null) return null;
  const ms = minutes * MS_PER_MINUTE;
  return instantAtActive(tl, cal, percent === null ? ms : Math.round((ms * percent) / 100));
}

const reached = (at: Date | null, now: Date) => at !== null && at.getTime() <= now.getTime();

/**
 * The clock at `now`: due instants, status, and the milestones to fire (those in `fired`
 * have fired already). Status: breached once a target passed unmet (a late response stays a
 * breach), at risk once the first warning of a target still open passed, else on time.
 */
export function evaluateClock(terms: SlaTerms, tl: ClockTimeline, cal: BusinessCalendar | null, now: Date, fired: ReadonlySet<string> = new Set()): ClockView {
  const firstWarning = terms.warnPercents.length ? Math.min(...terms.warnPercents) : null;
  const responseDueAt = instantOf("response", null, terms, tl, cal);
  const resolutionDueAt = instantOf("resolution", null, terms, tl, cal);
  const responseRiskAt = firstWarning === null ? null : instantOf("response", firstWarning, terms, tl, cal);
  const resolutionRiskAt = firstWarning === null ? null : instantOf("resolution", firstWarning, terms, tl, cal);
  const until = tl.stoppedAt && tl.stoppedAt.getTime() < now.getTime() ? tl.stoppedAt : now;
  const responseLate = responseDueAt !== null && (tl.respondedAt ? tl.respondedAt.getTime() > responseDueAt.getTime() : reached(responseDueAt, until));
  const breached = responseLate || reached(resolutionDueAt, until);
  const atRisk = (tl.respondedAt === null && reached(responseRiskAt, until)) || reached(resolutionRiskAt, until);

  const due: DueMilestone[] = [];
  let nextDueAt: Date | null = null;
  for (const m of milestonesOf(terms)) {
    if (!live(m, tl) || fired.has(m.key)) continue;
    const at = instantAtActive(tl, cal, m.activeMs);
    if (at === null) continue;
    if (at.getTime() <= now.getTime()) due.push({ ...m, at, superseded: false });
    else if (nextDueAt === null || at.getTime() < nextDueAt.getTime()) nextDueAt = at;
  }
  for (const d of due) {
    if (d.kind === "warning") d.superseded = due.some((o) => o.kind === "breach" && o.target === d.target);
  }
  const paused = tl.pauses.some((p) => p.to === null);
  return {
    responseDueAt,
    responseRiskAt,
    resolutionDueAt,
    resolutionRiskAt,
    due,
    nextDueAt,
    activeMs: activeTimeAt(tl, cal, now),
    status: breached ? "breached" : atRisk ? "at_risk" : "on_time",
    paused,
  };
}

// ---- Validation ---------------------------------------------------------------------------------

export const SLA_PROBLEM_CODES = [
  "target_required",
  "target_invalid",
  "response_after_resolution",
  "warning_invalid",
  "warning_duplicate",
  "too_many_warnings",
  "too_many_levels",
  "level_after_invalid",
  "level_assignee_required",
  "level_actions_required",
] as const;
export type SlaProblemCode = (typeof SLA_PROBLEM_CODES)[number];

export interface SlaProblem {
  code: SlaProblemCode;
  /** ["resolutionMinutes"], ["warnPercents"], ["levels", 2, "afterMinutes"] … */
  path: (string | number)[];
}

const wholeIn = (v: unknown, min: number, max: number): v is number => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;

/** Everything wrong with the terms, or [] when a clock can run on them. */
export function validateTerms(terms: SlaTerms): SlaProblem[] {
  const out: SlaProblem[] = [];
  for (const field of ["responseMinutes", "resolutionMinutes"] as const) {
    const v = terms[field];
    if (v !== null && !wholeIn(v, 1, SLA_LIMITS.targetMinutes)) out.push({ code: "target_invalid", path: [field] });
  }
  if (terms.responseMinutes === null && terms.resolutionMinutes === null) out.push({ code: "target_required", path: ["resolutionMinutes"] });
  if (out.length === 0 && terms.responseMinutes !== null && terms.resolutionMinutes !== null && terms.responseMinutes > terms.resolutionMinutes) {
    out.push({ code: "response_after_resolution", path: ["responseMinutes"] });
  }
  if (terms.warnPercents.length > SLA_LIMITS.warnings) out.push({ code: "too_many_warnings", path: ["warnPercents"] });
  else if (terms.warnPercents.some((p) => !wholeIn(p, 1, 99))) out.push({ code: "warning_invalid", path: ["warnPercents"] });
  else if (new Set(terms.warnPercents).size !== terms.warnPercents.length) out.push({ code: "warning_duplicate", path: ["warnPercents"] });
  if (terms.levels.length > SLA_LIMITS.levels) out.push({ code: "too_many_levels", path: ["levels"] });
  terms.levels.forEach((level, i) => {
    if (!wholeIn(level.afterMinutes, 0, SLA_LIMITS.levelAfterMinutes)) out.push({ code: "level_after_invalid", path: ["levels", i, "afterMinutes"] });
    const a = level.assignee;
    const named = a && ((a.type === "role" && typeof a.roleKey === "string" && a.roleKey !== "") || (a.type === "user" && typeof a.userId === "string" && a.userId !== ""));
    if (!named) out.push({ code: "level_assignee_required", path: ["levels", i, "assignee"] });
    if (!Array.isArray(level.actions) || level.actions.length === 0 || level.actions.some((x) => !(ESCALATION_ACTIONS as readonly string[]).includes(x))) {
      out.push({ code: "level_actions_required", path: ["levels", i, "actions"] });
    }
  });
  return out;
}

/** The SLA template's shape (DOMAIN.md §2): four levels, each a step up, a working day apart at most. */
export function defaultLadder(): EscalationLevel[] {
  return [
    { afterMinutes: 0, assignee: { type: "role", roleKey: "manager" }, actions: ["notify"] },
    { afterMinutes: 4 * 60, assignee: { type: "role", roleKey: "manager" }, actions: ["notify", "raise_priority"] },
    { afterMinutes: 8 * 60, assignee: { type: "role", roleKey: "admin" }, actions: ["notify", "reassign"] },
    { afterMinutes: 16 * 60, assignee: { type: "role", roleKey: "admin" }, actions: ["notify", "raise_priority"] },
  ];
}

const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type Priority = (typeof PRIORITIES)[number];

/** One step up (urgent stays urgent). */
export function raisedPriority(p: Priority): Priority {
  return PRIORITIES[Math.min(PRIORITIES.indexOf(p) + 1, PRIORITIES.length - 1)]!;
}
