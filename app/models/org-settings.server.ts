import { recordAudit } from "./audit.server";
import type { AuditActor } from "~/utils/audit-actor.server";
import type { Tx } from "~/utils/db.server";
import type { CalendarKind, Digits, Locale } from "~/utils/db-types";
import { forgetBusinessCalendar } from "./business-calendar.server";

/** What an organisation's admin may change; the slug is fixed (it is in every URL). */
export interface OrgSettingsInput {
  name_ar: string;
  name_en: string;
  initials: string;
  default_locale: Locale;
  digits: Digits;
  calendar: CalendarKind;
  time_zone: string;
}

const FIELDS = ["name_ar", "name_en", "initials", "default_locale", "digits", "calendar", "time_zone"] as const;

export async function getOrgSettings(trx: Tx, orgId: string): Promise<OrgSettingsInput | undefined> {
  return trx.selectFrom("organisations").select(FIELDS).where("id", "=", orgId).executeTakeFirst();
}

/** Saves the settings and audit-logs the fields that changed (before and after). */
export async function updateOrgSettings(trx: Tx, actor: AuditActor, input: OrgSettingsInput): Promise<{ changed: boolean }> {
  // Row lock: two admins saving at once are applied one after the other, each audited against the true "before".
  const before = await trx.selectFrom("organisations").select(FIELDS).where("id", "=", actor.orgId).forUpdate().executeTakeFirstOrThrow();
  const changed = FIELDS.filter((f) => before[f] !== input[f]);
  if (changed.length === 0) return { changed: false };
  const pick = (row: OrgSettingsInput) => Object.fromEntries(changed.map((f) => [f, row[f]]));
  await trx
    .updateTable("organisations")
    .set(Object.fromEntries(changed.map((f) => [f, input[f]])))
    .where("id", "=", actor.orgId)
    .execute();
  await recordAudit(trx, {
    ...actor,
    action: "organisation.update",
    subjectType: "Organisation",
    subjectId: actor.orgId,
    before: pick(before),
    after: pick(input),
  });
  // Deadlines are computed in the organisation's time zone: new ones use the new zone at once.
  if (changed.includes("time_zone")) forgetBusinessCalendar(actor.orgId);
  return { changed: true };
}
