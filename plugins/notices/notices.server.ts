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
  createdBy: string;
  authorName: string;
  createdAt: Date;
}

const tables = (trx: Tx) => trx.withTables<NoticesTables>();

/** Newest first, only notices the member may read; total for the pager. */
export async function listNotices(
  trx: Tx,
  orgId: string,
  ability: AppAbility,
  paging: { offset: number; pageSize: number },
): Promise<{ rows: NoticeRow[]; total: number }> {
  const base = tables(trx)
    .selectFrom("notices_notice as n")
    .where("n.org_id", "=", orgId)
    .where(accessibleWhere(ability, "read", "Notice", NOTICE_FIELDS));
  const count = await base.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
  const rows = await base
    .innerJoin("users as u", "u.id", "n.created_by")
    .select(["n.id", "n.title", "n.body", "n.created_by", "n.created_at", "u.name as author_name"])
    .orderBy("n.created_at", "desc")
    .orderBy("n.id", "desc")
    .limit(paging.pageSize)
    .offset(paging.offset)
    .execute();
  return {
    rows: rows.map((r) => ({ id: r.id, title: r.title, body: r.body, createdBy: r.created_by, authorName: r.author_name, createdAt: r.created_at })),
    total: count.n,
  };
}

export function findNotice(trx: Tx, orgId: string, id: string) {
  return tables(trx).selectFrom("notices_notice").selectAll().where("org_id", "=", orgId).where("id", "=", id).executeTakeFirst();
}

export async function createNotice(trx: Tx, actor: AuditActor, input: NoticeInput): Promise<{ id: string }> {
  const row = await tables(trx)
    .insertInto("notices_notice")
    .values({ org_id: actor.orgId, title: input.title, body: input.body, created_by: actor.actorUserId })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(trx, { ...actor, action: "notice.create", subjectType: "Notice", subjectId: row.id, before: null, after: input });
  return row;
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
