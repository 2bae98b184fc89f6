import { sql } from "kysely";
import type { BusinessCalendar } from "~/engine/calendar";
import { addMonths, dayOf, isoDay } from "~/engine/zoned-time";
import { recordAudit } from "~/models/audit.server";
import type { AuditActor } from "~/utils/audit-actor.server";
import type { Tx } from "~/utils/db.server";
import { quartersUntil, type AgreementContent, type Quarter } from "./agreement";
import { orgTimeZone, orgToday } from "./calendar.server";
import type { SlaTables } from "./db";
import { meetingSchema, type MeetingInput } from "./schema";

// The quarterly review meetings ("اجتماع ربع سنوي لعرض ومناقشة حالات الاخلال بالاتفاق واسبابها
// والحلول المقترحة"): one per quarter of the agreement's life since its signed term began, planned
// on the quarter's last working day, with attendees and minutes; a quarter's breaches are the
// ledger rows that occurred in it (listBreaches with the quarter as range).

const tables = (trx: Tx) => trx.withTables<SlaTables>();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface MeetingRow {
  id: string;
  quarterStart: string;
  heldOn: string | null;
  attendees: string;
  minutes: string;
  rowVersion: number;
}

/** The signed content's term start and the cancellation day, for the agreement's quarters. */
async function agreementDates(trx: Tx, orgId: string, agreementId: string): Promise<{ start: string; cancelEffective: string | null } | null | undefined> {
  if (!UUID.test(agreementId)) return undefined;
  const row = await tables(trx)
    .selectFrom("sla_agreement as a")
    .leftJoin("sla_agreement_version as v", (j) => j.onRef("v.org_id", "=", "a.org_id").onRef("v.agreement_id", "=", "a.id").onRef("v.version", "=", "a.signed_version"))
    .select([sql<unknown>`v.content->'term'`.as("term"), sql<string | null>`a.cancel_effective::text`.as("cancel_effective")])
    .where("a.org_id", "=", orgId)
    .where("a.id", "=", agreementId)
    .executeTakeFirst();
  if (!row) return undefined;
  const term = row.term as AgreementContent["term"] | null;
  if (!term || typeof term.startDate !== "string") return null;
  return { start: term.startDate, cancelEffective: row.cancel_effective };
}

/** The last day quarters run to: today, or the day before a cancellation took effect. */
function lastDay(today: string, cancelEffective: string | null): string {
  if (!cancelEffective || cancelEffective > today) return today;
  return isoDay(dayOf(cancelEffective)! - 1);
}

export async function listMeetings(trx: Tx, orgId: string, agreementId: string): Promise<MeetingRow[]> {
  const rows = await tables(trx)
    .selectFrom("sla_agreement_meeting")
    .select(["id", sql<string>`quarter_start::text`.as("quarter_start"), sql<string | null>`held_on::text`.as("held_on"), "attendees", "minutes", "row_version"])
    .where("org_id", "=", orgId)
    .where("agreement_id", "=", agreementId)
    .orderBy("quarter_start")
    .execute();
  return rows.map((r) => ({ id: r.id, quarterStart: r.quarter_start, heldOn: r.held_on, attendees: r.attendees, minutes: r.minutes, rowVersion: r.row_version }));
}

/**
 * The agreement's quarters up to today (the newest last), each with its meeting if recorded and
 * the number of breaches that occurred in it. Empty before the first signature.
 */
export async function listQuarters(
  trx: Tx,
  orgId: string,
  agreementId: string,
  today: string,
  calendar: BusinessCalendar | null,
): Promise<{ quarter: Quarter; meeting: MeetingRow | null; breaches: number }[]> {
  const dates = await agreementDates(trx, orgId, agreementId);
  if (!dates) return [];
  const quarters = quartersUntil(dates.start, lastDay(today, dates.cancelEffective), calendar);
  if (quarters.length === 0) return [];
  const meetings = await listMeetings(trx, orgId, agreementId);
  const tz = await orgTimeZone(trx, orgId);
  const counts = await sql<{ quarter_start: string; n: number }>`
    SELECT q.start::text AS quarter_start, count(b.id)::int AS n
    FROM unnest(${quarters.map((q) => q.start)}::date[], ${quarters.map((q) => q.end)}::date[]) AS q(start, "end")
    JOIN sla_agreement_breach b ON b.org_id = ${orgId} AND b.agreement_id = ${agreementId}
      AND b.occurred_at >= q.start::timestamp AT TIME ZONE ${tz} AND b.occurred_at < q."end"::timestamp AT TIME ZONE ${tz}
    GROUP BY q.start`.execute(trx);
  return quarters.map((quarter) => ({
    quarter,
    meeting: meetings.find((m) => m.quarterStart === quarter.start) ?? null,
    breaches: counts.rows.find((c) => c.quarter_start === quarter.start)?.n ?? 0,
  }));
}

/** Whether `day` starts one of the agreement's quarters (start + 3k months). */
function isQuarterStart(start: string, day: string): boolean {
  const s = dayOf(start);
  const d = dayOf(day);
  if (s === null || d === null || d < s) return false;
  for (let i = 0; i < 400; i += 1) {
    const q = addMonths(s, 3 * i);
    if (q === d) return true;
    if (q > d) return false;
  }
  return false;
}

/** Records (or corrects) the meeting of a quarter that has begun: when it was held, who attended, the minutes. */
export async function recordMeeting(trx: Tx, actor: AuditActor, agreementId: string, input: MeetingInput): Promise<{ ok: true } | { ok: false; reason: "not_found" | "not_a_quarter" }> {
  const checked = meetingSchema.parse(input);
  const dates = await agreementDates(trx, actor.orgId, agreementId);
  if (dates === undefined) return { ok: false, reason: "not_found" };
  if (dates === null) return { ok: false, reason: "not_a_quarter" };
  const { today } = await orgToday(trx, actor.orgId);
  if (!isQuarterStart(dates.start, checked.quarterStart) || checked.quarterStart > lastDay(today, dates.cancelEffective)) return { ok: false, reason: "not_a_quarter" };
  const quarterEnd = isoDay(addMonths(dayOf(checked.quarterStart)!, 3));
  const before = await tables(trx)
    .selectFrom("sla_agreement_meeting")
    .select(["id", sql<string | null>`held_on::text`.as("held_on"), "attendees", "minutes", "row_version"])
    .where("org_id", "=", actor.orgId)
    .where("agreement_id", "=", agreementId)
    .where("quarter_start", "=", checked.quarterStart)
    .forUpdate()
    .executeTakeFirst();
  let id: string;
  if (before) {
    await tables(trx)
      .updateTable("sla_agreement_meeting")
      .set({ held_on: checked.heldOn, attendees: checked.attendees, minutes: checked.minutes, recorded_by: actor.actorUserId, recorded_at: new Date(), row_version: before.row_version + 1 })
      .where("org_id", "=", actor.orgId)
      .where("id", "=", before.id)
      .execute();
    id = before.id;
  } else {
    const row = await tables(trx)
      .insertInto("sla_agreement_meeting")
      .values({
        org_id: actor.orgId,
        agreement_id: agreementId,
        quarter_start: checked.quarterStart,
        quarter_end: quarterEnd,
        held_on: checked.heldOn,
        attendees: checked.attendees,
        minutes: checked.minutes,
        recorded_by: actor.actorUserId,
      })
      .onConflict((oc) =>
        oc.columns(["org_id", "agreement_id", "quarter_start"]).doUpdateSet({ held_on: checked.heldOn, attendees: checked.attendees, minutes: checked.minutes, recorded_by: actor.actorUserId }),
      )
      .returning("id")
      .executeTakeFirstOrThrow();
    id = row.id;
  }
  await recordAudit(trx, {
    ...actor,
    action: "agreement.meeting.record",
    subjectType: "AgreementMeeting",
    subjectId: id,
    before: before ? { heldOn: before.held_on, attendees: before.attendees, minutes: before.minutes } : null,
    after: { agreementId, ...checked },
  });
  return { ok: true };
}
