import { sql } from "kysely";
import { emailByDefault, isSafeLink, type NotificationKind } from "~/notifications/kinds";
import { renderEmail, type Params } from "~/notifications/render";
import type { Tx } from "~/utils/db.server";
import type { Locale } from "~/utils/db-types";
import { env } from "~/utils/env.server";

export { NOTIFICATION_KINDS, isNotificationKind, type NotificationKind } from "~/notifications/kinds";

// notify(): the one way to tell people something (ADR 008). Callers (case runner, SLA
// escalations, jobs) call it inside the transaction of the change the notification is about,
// so the notification exists if and only if the change committed.
//
// Exactly once per recipient: the dedupe key names the EVENT (e.g. `sla:<clock id>:level:2`,
// `task:<task id>:assigned`); the unique (org_id, user_id, dedupe_key) turns a second call — a
// retried job, another app process, a replayed escalation — into nothing (ON CONFLICT DO
// NOTHING; a concurrent duplicate waits for the first transaction and then inserts nothing).
// Mails are queued only for the rows this call actually inserted, with their own unique key,
// so a mail is never queued twice either.

export interface NotifyInput {
  orgId: string;
  userIds: string[];
  kind: NotificationKind;
  /** Interpolated into the texts; see app/notifications/kinds.ts for the conventions. */
  params: Record<string, string | number>;
  /** Path under /app/:org/ without a leading slash, e.g. `cases/<id>` or `tasks/<id>`. */
  link?: string;
  /** Unique per recipient: the same key never notifies the same person twice. */
  dedupeKey: string;
}

const MAX_PARAM_LENGTH = 2000;

function checkInput(input: NotifyInput): void {
  if (!input.dedupeKey || input.dedupeKey.length > 300) throw new Error("notify: dedupeKey must be 1–300 characters");
  if (input.link !== undefined && !isSafeLink(input.link)) throw new Error(`notify: link must be a relative path under /app/:org/ (got ${JSON.stringify(input.link)})`);
  for (const [name, value] of Object.entries(input.params)) {
    if (typeof value !== "string" && !(typeof value === "number" && Number.isFinite(value))) throw new Error(`notify: param ${name} must be a string or a finite number`);
    if (typeof value === "string" && value.length > MAX_PARAM_LENGTH) throw new Error(`notify: param ${name} is too long`);
  }
}

/** The address members open Masar at, when configured (links in emails); otherwise mails carry no links. */
export function publicUrl(orgSlug: string, link: string | undefined | null): string | null {
  const base = env().PUBLIC_URL;
  if (!base) return null;
  return new URL(`/app/${orgSlug}/${link ?? "notifications"}`, base).toString();
}

export async function notify(trx: Tx, input: NotifyInput): Promise<{ created: number }> {
  checkInput(input);
  const userIds = [...new Set(input.userIds)];
  if (userIds.length === 0) return { created: 0 };

  // Only active members of the organisation are notified (a disabled account or a membership
  // that ended gets nothing); their language and this kind's email choice come along.
  const recipients = await trx
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .leftJoin("notification_preferences as p", (join) => join.onRef("p.org_id", "=", "m.org_id").onRef("p.user_id", "=", "m.user_id").on("p.kind", "=", input.kind))
    .select(["u.id", "u.email", "u.name", "u.locale", "p.email as wantsEmail"])
    .where("m.org_id", "=", input.orgId)
    .where("m.user_id", "in", userIds)
    .where("m.disabled_at", "is", null)
    .where("u.disabled_at", "is", null)
    .execute();
  if (recipients.length === 0) return { created: 0 };

  const params = JSON.stringify(input.params);
  const inserted = await trx
    .insertInto("notifications")
    .values(recipients.map((r) => ({ org_id: input.orgId, user_id: r.id, kind: input.kind, params, link: input.link ?? null, dedupe_key: input.dedupeKey })))
    .onConflict((oc) => oc.columns(["org_id", "user_id", "dedupe_key"]).doNothing())
    .returning("user_id")
    .execute();
  const fresh = new Set(inserted.map((r) => r.user_id));

  const mailTo = recipients.filter((r) => fresh.has(r.id) && (r.wantsEmail ?? emailByDefault(input.kind)));
  if (mailTo.length > 0) {
    const org = await trx.selectFrom("organisations").select(["slug", "name_ar", "name_en", "default_locale", "digits", "calendar", "time_zone"]).where("id", "=", input.orgId).executeTakeFirstOrThrow();
    const url = publicUrl(org.slug, input.link);
    const settingsUrl = publicUrl(org.slug, "notifications/settings");
    await trx
      .insertInto("email_outbox")
      .values(
        mailTo.map((r) => {
          const locale: Locale = r.locale ?? org.default_locale;
          const mail = renderEmail(
            { kind: input.kind, params: input.params as Params, url, settingsUrl, recipientName: r.name, orgName: locale === "en" ? org.name_en : org.name_ar },
            { locale, digits: org.digits, calendar: org.calendar, timeZone: org.time_zone },
          );
          return {
            org_id: input.orgId,
            user_id: r.id,
            kind: input.kind,
            to_address: r.email,
            locale,
            subject: mail.subject,
            body_text: mail.text,
            body_html: mail.html,
            dedupe_key: `${r.id}:${input.dedupeKey}`,
          };
        }),
      )
      .onConflict((oc) => oc.columns(["org_id", "dedupe_key"]).doNothing())
      .execute();
  }
  return { created: fresh.size };
}

/** The bell: one COUNT over the partial index of the member's unread rows. */
export async function unreadCount(trx: Tx, orgId: string, userId: string): Promise<number> {
  const row = await trx
    .selectFrom("notifications")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("org_id", "=", orgId)
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return row.n;
}

export interface NotificationRow {
  id: string;
  kind: string;
  params: Record<string, string | number>;
  link: string | null;
  created_at: Date;
  read_at: Date | null;
}

/** The member's own notifications, newest first (the list page). */
export async function listNotifications(trx: Tx, orgId: string, userId: string, options: { unreadOnly: boolean; limit: number; offset: number }): Promise<{ rows: NotificationRow[]; total: number }> {
  const base = trx
    .selectFrom("notifications")
    .where("org_id", "=", orgId)
    .where("user_id", "=", userId)
    .$if(options.unreadOnly, (qb) => qb.where("read_at", "is", null));
  const rows = await base.select(["id", "kind", "params", "link", "created_at", "read_at"]).orderBy("created_at", "desc").orderBy("id").limit(options.limit).offset(options.offset).execute();
  const total = await base.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
  return { rows, total: total.n };
}

/** Marks one of the member's notifications read; someone else's id changes nothing. */
export async function markRead(trx: Tx, orgId: string, userId: string, id: string): Promise<boolean> {
  const result = await trx
    .updateTable("notifications")
    .set({ read_at: new Date() })
    .where("org_id", "=", orgId)
    .where("user_id", "=", userId)
    .where("id", "=", id)
    .where("read_at", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function markAllRead(trx: Tx, orgId: string, userId: string): Promise<number> {
  const result = await trx.updateTable("notifications").set({ read_at: new Date() }).where("org_id", "=", orgId).where("user_id", "=", userId).where("read_at", "is", null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}
