import { sql } from "kysely";
import { accessibleWhere } from "~/utils/casl-sql.server";
import type { Tx } from "~/utils/db.server";
import type { AppAbility } from "~/utils/permissions.server";

// Read-only extras for the staff pages that the case and task services do not return:
// the people who can act on a task, incidents with their data snapshot, user names for the
// timeline, and the definitions a case can be started from. Writes go through the services.

export interface Candidate {
  userId: string;
  name: string;
}

/**
 * The people who may act on a task: active members holding its lane's role or belonging to
 * its lane's unit (the columns the task service filled when it created the task).
 */
export async function taskCandidates(trx: Tx, orgId: string, task: { candidateRoleId: string | null; candidateUnitId: string | null }): Promise<Candidate[]> {
  if (!task.candidateRoleId && !task.candidateUnitId) return [];
  return trx
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .where("m.org_id", "=", orgId)
    .where("m.disabled_at", "is", null)
    .where("u.disabled_at", "is", null)
    .where((eb) => {
      const parts = [];
      if (task.candidateUnitId) parts.push(eb("m.unit_id", "=", task.candidateUnitId));
      if (task.candidateRoleId) {
        parts.push(
          eb.exists(
            eb
              .selectFrom("membership_roles as mr")
              .whereRef("mr.org_id", "=", "m.org_id")
              .whereRef("mr.user_id", "=", "m.user_id")
              .where("mr.role_id", "=", task.candidateRoleId)
              .select(sql`1`.as("one")),
          ),
        );
      }
      return eb.or(parts);
    })
    .select(["u.id as userId", "u.name"])
    .orderBy("u.name")
    .limit(200)
    .execute();
}

/** The case's incidents with the data the engine saw and who resolved them, newest first. */
export async function caseIncidents(trx: Tx, orgId: string, caseId: string) {
  return trx
    .selectFrom("incidents as i")
    .leftJoin("users as u", "u.id", "i.resolved_by")
    .where("i.org_id", "=", orgId)
    .where("i.case_id", "=", caseId)
    .select([
      "i.id",
      "i.token_id as tokenId",
      "i.node_id as nodeId",
      "i.reason",
      "i.detail",
      "i.data_snapshot as dataSnapshot",
      "i.status",
      "i.created_at as createdAt",
      "i.resolved_at as resolvedAt",
      "u.name as resolvedByName",
    ])
    .orderBy("i.created_at", "desc")
    .limit(100)
    .execute();
}

/** Names of users (members of this organisation or not: the timeline names past actors). */
export async function userNames(trx: Tx, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)].filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  if (unique.length === 0) return new Map();
  const rows = await trx.selectFrom("users").select(["id", "name"]).where("id", "in", unique).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Published, not archived definitions the member may read: the ones a case can be started from. */
export async function listStartableDefinitions(trx: Tx, ctx: { org: { id: string }; ability: AppAbility }) {
  return trx
    .selectFrom("workflow_definitions as d")
    .where("d.org_id", "=", ctx.org.id)
    .where("d.archived_at", "is", null)
    .where(accessibleWhere(ctx.ability, "read", "Definition", {}))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("workflow_versions as v")
          .whereRef("v.org_id", "=", "d.org_id")
          .whereRef("v.definition_id", "=", "d.id")
          .where("v.status", "=", "published")
          .select(sql`1`.as("one")),
      ),
    )
    .select(["d.key", "d.name_ar", "d.name_en"])
    .orderBy("d.name_ar")
    .limit(200)
    .execute();
}
