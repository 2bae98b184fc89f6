import type { BusinessCalendar } from "~/engine/calendar";
import { isoDay, localDay } from "~/engine/zoned-time";
import { loadBusinessCalendar } from "~/models/business-calendar.server";
import { slaNow } from "~/utils/clock.server";
import type { Tx } from "~/utils/db.server";

// "Today" for an organisation: its local date in the business calendar's time zone (the
// organisation's own time zone when it counts elapsed time). Agreements speak in days — the
// term, the review reminder, the notice of cancellation, the quarters — so every server
// function takes this day, never a server-local one. The instant defaults to the SLA clock
// (slaNow), which tests and demos may move.

export interface OrgToday {
  /** YYYY-MM-DD in the organisation's time zone. */
  today: string;
  /** The business calendar (null: the organisation counts elapsed time, every day counts). */
  calendar: BusinessCalendar | null;
  timeZone: string;
}

export async function orgTimeZone(trx: Tx, orgId: string): Promise<string> {
  const org = await trx.selectFrom("organisations").select("time_zone").where("id", "=", orgId).executeTakeFirstOrThrow();
  return org.time_zone;
}

export async function orgToday(trx: Tx, orgId: string, now: Date = slaNow()): Promise<OrgToday> {
  const calendar = await loadBusinessCalendar(trx, orgId);
  const timeZone = calendar?.timeZone ?? (await orgTimeZone(trx, orgId));
  return { today: isoDay(localDay(now.getTime(), timeZone)), calendar, timeZone };
}
