import crypto from "node:crypto";
import { z } from "zod";
import { validateCalendar, type BusinessCalendar, type CalendarProblem, type DatedOverride, type Holiday, type WeekHours } from "~/engine/calendar";
import { CALENDAR_PRESETS, DEFAULT_PRESET_KEY, isPresetKey, isPresetWeek, type PresetKey } from "~/engine/calendar-presets";
import type { AuditActor } from "~/utils/audit-actor.server";
import type { Tx } from "~/utils/db.server";
import type { CalendarMode } from "~/utils/db-types";
import { log } from "~/utils/log.server";
import { recordAudit } from "./audit.server";

// An organisation's business calendar: one row (business_calendars), edited by its admin on
// the calendar page, read once per transaction by the case runner. An organisation that never
// saved one works to the default: the Saudi preset (Sunday–Thursday 07:30–14:30) in its own
// time zone. The time zone itself is the organisation's (settings page), not stored twice.

export const DEFAULT_PRESET: PresetKey = DEFAULT_PRESET_KEY;

export interface CalendarSettings {
  mode: CalendarMode;
  preset: PresetKey | null;
  timeZone: string;
  week: WeekHours;
  overrides: (DatedOverride & { id: string })[];
  holidays: (Holiday & { id: string })[];
  /** false: nothing saved yet, these are the defaults. */
  saved: boolean;
  updatedAt: Date | null;
}

const interval = z.object({ start: z.number(), end: z.number() });
const weekSchema = z.array(z.array(interval)).length(7);
const overridesSchema = z.array(z.object({ id: z.string(), name: z.string(), from: z.string(), to: z.string(), hours: weekSchema }));
const holidaysSchema = z.array(z.object({ id: z.string(), name: z.string(), from: z.string(), to: z.string() }));

function defaults(timeZone: string): CalendarSettings {
  const week = CALENDAR_PRESETS[DEFAULT_PRESET].week.map((d) => d.map((i) => ({ ...i })));
  return { mode: "business", preset: DEFAULT_PRESET, timeZone, week, overrides: [], holidays: [], saved: false, updatedAt: null };
}

const CALENDAR_COLUMNS = ["mode", "preset", "week", "overrides", "holidays", "updated_at"] as const;

/** Reading: one round trip (the time zone with the calendar row, if one was saved). */
async function readJoined(trx: Tx, orgId: string) {
  const r = await trx
    .selectFrom("organisations as o")
    .leftJoin("business_calendars as b", "b.org_id", "o.id")
    .select(["o.time_zone", "b.mode", "b.preset", "b.week", "b.overrides", "b.holidays", "b.updated_at"])
    .where("o.id", "=", orgId)
    .executeTakeFirstOrThrow();
  return { timeZone: r.time_zone, row: r.mode ? { ...r, mode: r.mode } : undefined };
}

/** Changing: the calendar row is locked, which the outer join above cannot do. */
async function readLocked(trx: Tx, orgId: string) {
  const org = await trx.selectFrom("organisations").select("time_zone").where("id", "=", orgId).executeTakeFirstOrThrow();
  const row = await trx.selectFrom("business_calendars").select(CALENDAR_COLUMNS).where("org_id", "=", orgId).forUpdate().executeTakeFirst();
  return { timeZone: org.time_zone, row };
}

async function read(trx: Tx, orgId: string, lock: boolean): Promise<CalendarSettings> {
  const { timeZone, row } = lock ? await readLocked(trx, orgId) : await readJoined(trx, orgId);
  if (!row) return defaults(timeZone);
  const week = weekSchema.safeParse(row.week);
  const overrides = overridesSchema.safeParse(row.overrides);
  const holidays = holidaysSchema.safeParse(row.holidays);
  if (!week.success || !overrides.success || !holidays.success) {
    // Only a hand-edited row can get here (every write is validated): keep the organisation
    // working to the default rather than stopping every case action.
    log.error("business calendar row is malformed; using the default", { orgId });
    return defaults(timeZone);
  }
  return {
    mode: row.mode,
    preset: isPresetKey(row.preset) ? row.preset : null,
    timeZone,
    week: week.data,
    overrides: overrides.data,
    holidays: holidays.data,
    saved: true,
    updatedAt: row.updated_at,
  };
}

export function getCalendarSettings(trx: Tx, orgId: string): Promise<CalendarSettings> {
  return read(trx, orgId, false);
}

/** The calendar deadlines are computed in; null when the organisation counts elapsed time. */
export function calendarOf(s: CalendarSettings): BusinessCalendar | null {
  if (s.mode === "elapsed") return null;
  return { timeZone: s.timeZone, week: s.week, overrides: s.overrides, holidays: s.holidays };
}

/**
 * The engine reads the calendar on every step of a flow with deadlines; it changes a few times
 * a year. Kept per process for CACHE_MS (forgotten at once in the process that saves a change),
 * so another app process applies a change to new deadlines within that time.
 */
export const CALENDAR_CACHE_MS = 30_000;
const cache = new Map<string, { at: number; calendar: BusinessCalendar | null }>();

/** Drops the cached calendar of an organisation (its calendar or time zone changed). */
export function forgetBusinessCalendar(orgId: string): void {
  cache.delete(orgId);
}

/** For the engine: the organisation's calendar, or null for elapsed time. */
export async function loadBusinessCalendar(trx: Tx, orgId: string, now: number = Date.now()): Promise<BusinessCalendar | null> {
  const hit = cache.get(orgId);
  if (hit && now - hit.at < CALENDAR_CACHE_MS) return hit.calendar;
  let cal = calendarOf(await read(trx, orgId, false));
  if (cal && validateCalendar(cal).length) {
    log.error("business calendar is invalid; using the default", { orgId });
    cal = calendarOf(defaults(cal.timeZone));
  }
  if (cache.size > 1000) cache.clear();
  cache.set(orgId, { at: now, calendar: cal });
  return cal;
}

export type CalendarChange =
  | { kind: "week"; mode: CalendarMode; preset: PresetKey | null; week: WeekHours }
  | { kind: "override.add"; override: Omit<DatedOverride, "id"> }
  | { kind: "override.remove"; id: string }
  | { kind: "holidays.add"; holidays: Omit<Holiday, "id">[]; source: "manual" | "ics" }
  | { kind: "holiday.remove"; id: string };

export type ChangeResult =
  | { ok: true; changed: boolean; added: number; duplicates: number }
  | { ok: false; reason: "invalid"; problems: CalendarProblem[] }
  | { ok: false; reason: "not_found" };

type Audit = { action: string; before: unknown; after: unknown };

/** The settings after a change, and what the audit log should say; null when nothing changes. */
function apply(s: CalendarSettings, change: CalendarChange): { next: CalendarSettings; audit: Audit | null; added: number; duplicates: number } | "not_found" {
  const none = { next: s, audit: null, added: 0, duplicates: 0 };
  switch (change.kind) {
    case "week": {
      // A preset stays named only while its hours are untouched.
      const preset = change.preset && isPresetWeek(change.preset, change.week) ? change.preset : null;
      const before = { mode: s.mode, preset: s.preset, week: s.week };
      const after = { mode: change.mode, preset, week: change.week };
      if (JSON.stringify(before) === JSON.stringify(after)) return none;
      return { next: { ...s, ...after }, audit: { action: "calendar.week.update", before, after }, added: 0, duplicates: 0 };
    }
    case "override.add": {
      const entry = { id: crypto.randomUUID(), ...change.override };
      return { next: { ...s, overrides: [...s.overrides, entry] }, audit: { action: "calendar.override.add", before: null, after: entry }, added: 1, duplicates: 0 };
    }
    case "override.remove": {
      const entry = s.overrides.find((o) => o.id === change.id);
      if (!entry) return "not_found";
      return { next: { ...s, overrides: s.overrides.filter((o) => o.id !== change.id) }, audit: { action: "calendar.override.remove", before: entry, after: null }, added: 0, duplicates: 0 };
    }
    case "holidays.add": {
      // The same dates twice (a second import of the same feed) are added once.
      const seen = new Set(s.holidays.map((h) => `${h.from}/${h.to}`));
      const fresh: (Holiday & { id: string })[] = [];
      for (const h of change.holidays) {
        const key = `${h.from}/${h.to}`;
        if (seen.has(key)) continue;
        seen.add(key);
        fresh.push({ id: crypto.randomUUID(), name: h.name.trim(), from: h.from, to: h.to });
      }
      const duplicates = change.holidays.length - fresh.length;
      if (fresh.length === 0) return { ...none, duplicates };
      const action = change.source === "ics" ? "calendar.holidays.import" : "calendar.holiday.add";
      return { next: { ...s, holidays: [...s.holidays, ...fresh] }, audit: { action, before: null, after: fresh.length === 1 && change.source === "manual" ? fresh[0] : fresh }, added: fresh.length, duplicates };
    }
    case "holiday.remove": {
      const entry = s.holidays.find((h) => h.id === change.id);
      if (!entry) return "not_found";
      return { next: { ...s, holidays: s.holidays.filter((h) => h.id !== change.id) }, audit: { action: "calendar.holiday.remove", before: entry, after: null }, added: 0, duplicates: 0 };
    }
  }
}

/**
 * Applies one admin change: the row is locked (two admins saving at once are applied one after
 * the other, each audited against the true "before"), the whole resulting calendar is validated
 * by the deadline library, then written and audit-logged in the same transaction. A refused
 * change writes nothing, not even the defaults.
 */
export async function changeCalendar(trx: Tx, actor: AuditActor, change: CalendarChange): Promise<ChangeResult> {
  for (;;) {
    const current = await read(trx, actor.orgId, true);
    const result = apply(current, change);
    if (result === "not_found") return { ok: false, reason: "not_found" };
    const { next, audit, added, duplicates } = result;
    const problems = validateCalendar({ timeZone: next.timeZone, week: next.week, overrides: next.overrides, holidays: next.holidays });
    if (problems.length) return { ok: false, reason: "invalid", problems };
    if (!audit) return { ok: true, changed: false, added, duplicates };
    const values = {
      mode: next.mode,
      preset: next.preset,
      week: JSON.stringify(next.week),
      overrides: JSON.stringify(next.overrides),
      holidays: JSON.stringify(next.holidays),
      updated_by: actor.actorUserId,
      updated_at: new Date(),
    };
    if (current.saved) {
      await trx
        .updateTable("business_calendars")
        .set((eb) => ({ ...values, version: eb("version", "+", 1) }))
        .where("org_id", "=", actor.orgId)
        .execute();
    } else {
      const inserted = await trx
        .insertInto("business_calendars")
        .values({ org_id: actor.orgId, ...values })
        .onConflict((oc) => oc.column("org_id").doNothing())
        .returning("org_id")
        .executeTakeFirst();
      // Another admin's first save won the race: apply this change on top of theirs.
      if (!inserted) continue;
    }
    await recordAudit(trx, { ...actor, action: audit.action, subjectType: "BusinessCalendar", subjectId: actor.orgId, before: audit.before, after: audit.after });
    forgetBusinessCalendar(actor.orgId);
    return { ok: true, changed: true, added, duplicates };
  }
}
