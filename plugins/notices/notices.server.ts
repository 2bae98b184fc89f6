import { sql } from "kysely";
import { recordAudit } from "~/models/audit.server";
import type { AuditActor } from "~/utils/audit-actor.server";
import { accessibleWhere } from "~/utils/casl-sql.server";
import type { Tx } from "~/utils/db.server";
import type { AppAbility } from "~/utils/permissions.server";
import type { NoticesTables } from "./db";
import type { NoticeInput } from "./schema";

// Condition fields a role rule on "Notice" may use, and the columns they map to.
export const NOTICE_FIELDS = { id: "n.id", createdBy: "n.created_by" } as const;

export interface NoticeRow {
  id: string;
  title: string;
  body: string;
  createdBy: string | null;
  authorName: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  signature: string | null;
  pinned: boolean;
}

const tables = (trx: Tx) => trx.withTables<NoticesTables>();

/** Notices on the board (not archived, not expired), pinned then newest first, only those the member may read; total for the pager. */
export async function listNotices(
  trx: Tx,
  orgId: string,
  ability: AppAbility,
  paging: { offset: number; pageSize: number },
  now: Date = new Date(),
): Promise<{ rows: NoticeRow[]; total: number }> {
  const base = tables(trx)
    .selectFrom("notices_notice as n")
    .where("n.org_id", "=", orgId)
    // On the board until archived or its display period ends.
    .where("n.archived_at", "is", null)
    .where((eb) => eb.or([eb("n.expires_at", "is", null), eb("n.expires_at", ">", now)]))
    .where(accessibleWhere(ability, "read", "Notice", NOTICE_FIELDS));
  const count = await base.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
  const rows = await base
    .leftJoin("users as u", "u.id", "n.created_by")
    .select(["n.id", "n.title", "n.body", "n.created_by", "n.created_at", "n.expires_at", "n.signature", "n.pinned", "u.name as author_name"])
    .orderBy("n.pinned", "desc")
    .orderBy("n.created_at", "desc")
    .orderBy("n.id", "desc")
    .limit(paging.pageSize)
    .offset(paging.offset)
    .execute();
  return {
    rows: rows.map((r) => ({
      id: r.id,
      title: r.title,
      body: r.body,
      createdBy: r.created_by,
      authorName: r.author_name,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      signature: r.signature,
      pinned: r.pinned,
    })),
    total: count.n,
  };
}

/** When a notice posted now leaves the board under the organisation's policy. */
export function expiryFor(now: Date, displayDays: number): Date {
  return new Date(now.getTime() + displayDays * 24 * 60 * 60 * 1000);
}

export function findNotice(trx: Tx, orgId: string, id: string) {
  return tables(trx).selectFrom("notices_notice").selectAll().where("org_id", "=", orgId).where("id", "=", id).executeTakeFirst();
}

/** Posts a notice from the board page; `expiresAt` comes from the organisation's displayDays. */
export async function createNotice(trx: Tx, actor: AuditActor, input: NoticeInput, options: { expiresAt?: Date | null } = {}): Promise<{ id: string }> {
  const row = await tables(trx)
    .insertInto("notices_notice")
    .values({ org_id: actor.orgId, title: input.title, body: input.body, created_by: actor.actorUserId, expires_at: options.expiresAt ?? null })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(trx, { ...actor, action: "notice.create", subjectType: "Notice", subjectId: row.id, before: null, after: input });
  return row;
}

/** Publishes a notice for a case (the notices.publish node kind); audit-logged as the plugin. */
export async function publishNoticeForCase(
  trx: Tx,
  input: { orgId: string; caseId: string; createdBy: string | null; title: string; body: string; expiresAt: Date; signature: string | null; pinned: boolean },
): Promise<{ id: string }> {
  const row = await tables(trx)
    .insertInto("notices_notice")
    .values({
      org_id: input.orgId,
      title: input.title,
      body: input.body,
      created_by: input.createdBy,
      expires_at: input.expiresAt,
      signature: input.signature,
      pinned: input.pinned,
      case_id: input.caseId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    orgId: input.orgId,
    actorUserId: null,
    actorLabel: "plugin:notices",
    action: "notice.publish",
    subjectType: "Notice",
    subjectId: row.id,
    before: null,
    after: { title: input.title, caseId: input.caseId, expiresAt: input.expiresAt.toISOString(), signature: input.signature, pinned: input.pinned },
  });
  return row;
}

/** Archives the organisation's notices whose display period has ended (the daily job); returns how many. */
export async function archiveExpiredNotices(trx: Tx, orgId: string, now: Date): Promise<number> {
  const rows = await tables(trx)
    .updateTable("notices_notice")
    .set({ archived_at: now })
    .where("org_id", "=", orgId)
    .where("archived_at", "is", null)
    .where("expires_at", "<=", now)
    .returning("id")
    .execute();
  if (rows.length) {
    await recordAudit(trx, {
      orgId,
      actorUserId: null,
      actorLabel: "plugin:notices",
      action: "notice.archive_expired",
      subjectType: "Notice",
      subjectId: null,
      after: { count: rows.length, ids: rows.slice(0, 100).map((r) => r.id) },
    });
  }
  return rows.length;
}

/** Deletes and audit-logs the notice; false when it does not exist (any more). */
export async function deleteNotice(trx: Tx, actor: AuditActor, id: string): Promise<boolean> {
  const before = await tables(trx)
    .deleteFrom("notices_notice")
    .where("org_id", "=", actor.orgId)
    .where("id", "=", id)
    .returning(["title", "body", "created_by"])
    .executeTakeFirst();
  if (!before) return false;
  await recordAudit(trx, {
    ...actor,
    action: "notice.delete",
    subjectType: "Notice",
    subjectId: id,
    before: { title: before.title, body: before.body, createdBy: before.created_by },
    after: null,
  });
  return true;
}
