import { sql } from "kysely";
import { dayOf, isoDay } from "~/engine/zoned-time";
import { currentSettings } from "~/models/plugin-orgs.server";
import { notify } from "~/models/notifications.server";
import type { Tx } from "~/utils/db.server";
import { agreementPhase, currentTerm, quartersUntil, reviewReminderDate, type AgreementContent } from "./agreement";
import { orgToday } from "./calendar.server";
import type { SlaTables } from "./db";
import { agreementContentSchema } from "./schema";
import { readSlaSettings } from "./settings";

// The agreements' reminders (the daily job; callable with `now` for tests), each sent once to
// our side's monitor (when a member) and the organisation's admins:
//   - review: from the review reminder day of the current term (at least one month before its
//     end, settings.reviewLeadDays earlier, on a working day) — once per term, so an agreement
//     that renews itself reminds again for the next term;
//   - cancellation: a week before a requested cancellation takes effect;
//   - quarterly meeting: settings.meetingReminderDays before the quarter's planned meeting day,
//     unless its meeting is recorded already.

const tables = (trx: Tx) => trx.withTables<SlaTables>();

export const CANCELLATION_REMINDER_DAYS = 7;

/** The organisation's admins (members holding the built-in admin role). */
async function adminIds(trx: Tx, orgId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom("membership_roles as mr")
    .innerJoin("roles as r", (j) => j.onRef("r.org_id", "=", "mr.org_id").onRef("r.id", "=", "mr.role_id"))
    .select("mr.user_id")
    .where("mr.org_id", "=", orgId)
    .where("r.key", "=", "admin")
    .execute();
  return rows.map((r) => r.user_id);
}

const minusDays = (day: string, n: number) => isoDay(dayOf(day)! - n);

export async function sendAgreementReminders(trx: Tx, orgId: string, now: Date): Promise<{ review: number; cancellation: number; meeting: number }> {
  const sent = { review: 0, cancellation: 0, meeting: 0 };
  const { today, calendar } = await orgToday(trx, orgId, now);
  const settings = readSlaSettings((await currentSettings(trx, orgId, "sla")).values);
  const rows = await tables(trx)
    .selectFrom("sla_agreement as a")
    .innerJoin("sla_agreement_version as v", (j) => j.onRef("v.org_id", "=", "a.org_id").onRef("v.agreement_id", "=", "a.id").onRef("v.version", "=", "a.signed_version"))
    .select(["a.id", "a.number", "a.name_ar", "a.name_en", "v.content", sql<string | null>`a.cancel_effective::text`.as("cancel_effective")])
    .where("a.org_id", "=", orgId)
    .where("a.signed_version", "is not", null)
    .orderBy("a.serial")
    .execute();
  if (rows.length === 0) return sent;
  const admins = await adminIds(trx, orgId);

  for (const row of rows) {
    const parsed = agreementContentSchema.safeParse(row.content);
    if (!parsed.success) continue;
    const content: AgreementContent = parsed.data;
    const phase = agreementPhase({ signed: true, term: content.term, cancellationEffective: row.cancel_effective }, today);
    if (phase !== "active" && phase !== "cancelling") continue;
    const monitor = content[content.ourSide].monitor.userId;
    const userIds = [...new Set([...(monitor ? [monitor] : []), ...admins])];
    const base = { number: row.number, name_ar: row.name_ar, name_en: row.name_en || row.name_ar };
    const link = `sla/${row.id}`;

    // The annual review of the current term (not when the agreement is being cancelled anyway).
    if (phase === "active") {
      const term = currentTerm(content.term, today);
      const due = reviewReminderDate(term.end, settings.reviewLeadDays, calendar);
      if (today >= due && today < term.end) {
        const r = await notify(trx, { orgId, userIds, kind: "agreement.review_due", params: { ...base, end_on: minusDays(term.end, 1) }, link, dedupeKey: `sla-agreement:review:${row.id}:${term.end}` });
        if (r.created > 0) sent.review += 1;
      }
    }

    // A requested cancellation about to take effect.
    if (phase === "cancelling" && row.cancel_effective && today >= minusDays(row.cancel_effective, CANCELLATION_REMINDER_DAYS)) {
      const r = await notify(trx, {
        orgId,
        userIds,
        kind: "agreement.cancellation_due",
        params: { ...base, effective_on: row.cancel_effective },
        link,
        dedupeKey: `sla-agreement:cancellation:${row.id}:${row.cancel_effective}`,
      });
      if (r.created > 0) sent.cancellation += 1;
    }

    // This quarter's meeting, unless already recorded.
    const quarter = quartersUntil(content.term.startDate, today, calendar).at(-1);
    if (quarter && today >= minusDays(quarter.meetingDate, settings.meetingReminderDays) && today <= quarter.meetingDate) {
      const held = await tables(trx)
        .selectFrom("sla_agreement_meeting")
        .select("id")
        .where("org_id", "=", orgId)
        .where("agreement_id", "=", row.id)
        .where("quarter_start", "=", quarter.start)
        .executeTakeFirst();
      if (!held) {
        const r = await notify(trx, {
          orgId,
          userIds,
          kind: "agreement.meeting_due",
          params: { ...base, date_on: quarter.meetingDate, quarter: quarter.index },
          link,
          dedupeKey: `sla-agreement:meeting:${row.id}:${quarter.start}`,
        });
        if (r.created > 0) sent.meeting += 1;
      }
    }
  }
  return sent;
}

