import { sql } from "kysely";
import type { Tx } from "~/utils/db.server";
import { accessibleWhere, type FieldColumns } from "~/utils/casl-sql.server";
import { likePattern } from "~/utils/paging";
import type { AppAbility } from "~/utils/permissions.server";

// CASL condition fields a role may use on AuditLog, mapped to the list query's columns.
const AUDIT_FIELDS: FieldColumns = {
  actorUserId: "a.actor_user_id",
  action: { column: "a.action", type: "text" },
  subjectType: { column: "a.subject_type", type: "text" },
  subjectId: { column: "a.subject_id", type: "text" },
};

export interface AuditFilters {
  /** Part of the actor's email (current account email or the label recorded at the time). */
  actor?: string;
  action?: string;
  subjectType?: string;
  /** Calendar days (YYYY-MM-DD), inclusive, in the organisation's time zone. */
  from?: string;
  to?: string;
}

export interface AuditListInput {
  orgId: string;
  timeZone: string;
  filters: AuditFilters;
  offset: number;
  limit: number;
}

function filtered(trx: Tx, ability: AppAbility, input: Omit<AuditListInput, "offset" | "limit">) {
  const { filters, timeZone } = input;
  let query = trx
    .selectFrom("audit_log as a")
    .leftJoin("users as u", "u.id", "a.actor_user_id")
    .where("a.org_id", "=", input.orgId)
    .where(accessibleWhere(ability, "read", "AuditLog", AUDIT_FIELDS));
  if (filters.actor) {
    const pattern = likePattern(filters.actor);
    query = query.where((eb) => eb.or([eb("u.email", "ilike", pattern), eb("a.actor_label", "ilike", pattern)]));
  }
  if (filters.action) query = query.where("a.action", "=", filters.action);
  if (filters.subjectType) query = query.where("a.subject_type", "=", filters.subjectType);
  // Day boundaries are computed by PostgreSQL in the organisation's zone, so "from 1 March"
  // means midnight in Dubai, not in UTC or on the server.
  if (filters.from) query = query.where("a.at", ">=", sql<Date>`(${filters.from}::date)::timestamp AT TIME ZONE ${timeZone}`);
  if (filters.to) query = query.where("a.at", "<", sql<Date>`(${filters.to}::date + 1)::timestamp AT TIME ZONE ${timeZone}`);
  return query;
}

/** One page of the organisation's audit entries the member may read, newest first. */
export async function listAuditEntries(trx: Tx, ability: AppAbility, input: AuditListInput) {
  const base = filtered(trx, ability, input);
  const rows = await base
    .select([
      "a.id",
      "a.seq",
      "a.at",
      "a.actor_user_id",
      "a.actor_label",
      "u.name as actor_name",
      "u.email as actor_email",
      "a.action",
      "a.subject_type",
      "a.subject_id",
      "a.before",
      "a.after",
      "a.request_id",
      "a.ip",
    ])
    .orderBy("a.seq", "desc")
    .offset(input.offset)
    .limit(input.limit)
    .execute();
  const count = await base.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  return { rows, total: Number(count.n) };
}

/** The actions and subject types that occur in the entries the member may read (filter options). */
export async function auditFacets(trx: Tx, ability: AppAbility, orgId: string) {
  const rows = await trx
    .selectFrom("audit_log as a")
    .where("a.org_id", "=", orgId)
    .where(accessibleWhere(ability, "read", "AuditLog", AUDIT_FIELDS))
    .select(["a.action", "a.subject_type"])
    .distinct()
    .execute();
  return {
    actions: [...new Set(rows.map((r) => r.action))].sort(),
    subjectTypes: [...new Set(rows.map((r) => r.subject_type))].sort(),
  };
}
