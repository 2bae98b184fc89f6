import type { Tx } from "~/utils/db.server";

/** The member's active membership and the rules of all their roles, in the current tenant. */
export async function loadMembership(trx: Tx, orgId: string, userId: string) {
  const membership = await trx
    .selectFrom("memberships")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("user_id", "=", userId)
    .where("disabled_at", "is", null)
    .executeTakeFirst();
  if (!membership) return undefined;
  const roles = await trx
    .selectFrom("membership_roles as mr")
    .innerJoin("roles as r", (j) => j.onRef("r.org_id", "=", "mr.org_id").onRef("r.id", "=", "mr.role_id"))
    .select(["r.id", "r.key", "r.name_ar", "r.name_en", "r.rules"])
    .where("mr.org_id", "=", orgId)
    .where("mr.user_id", "=", userId)
    .execute();
  return { membership, roles };
}
