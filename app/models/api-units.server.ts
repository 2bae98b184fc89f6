import { sql } from "kysely";
import { UNIT_FIELDS } from "./units.server";
import { accessibleWhere } from "~/utils/casl-sql.server";
import type { Tx } from "~/utils/db.server";
import { likePattern } from "~/utils/paging";
import type { AppAbility } from "~/utils/permissions.server";

// The API lists units a page at a time with a search; the admin screen's listUnits
// (units.server.ts) loads the whole tree instead. Same CASL field map, same SQL filter.

export interface UnitPageRow {
  id: string;
  code: string;
  name_ar: string;
  name_en: string;
  parent_id: string | null;
  created_at: Date;
}

export async function pageUnits(
  trx: Tx,
  input: { orgId: string; ability: AppAbility; q: string; limit: number; offset: number },
): Promise<{ rows: UnitPageRow[]; total: number }> {
  const pattern = likePattern(input.q);
  const base = trx
    .selectFrom("org_units as u")
    .where("u.org_id", "=", input.orgId)
    .where(accessibleWhere(input.ability, "read", "OrgUnit", UNIT_FIELDS))
    .$if(input.q !== "", (qb) =>
      qb.where((eb) => eb.or([eb("u.code", "ilike", pattern), eb("u.name_ar", "ilike", pattern), eb("u.name_en", "ilike", pattern)])),
    );
  const count = await base.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
  const rows = await base
    .select(["u.id", "u.code", "u.name_ar", "u.name_en", "u.parent_id", "u.created_at"])
    .orderBy("u.code")
    .orderBy("u.id")
    .limit(input.limit)
    .offset(input.offset)
    .execute();
  return { rows, total: count.n };
}

export function getUnitRow(trx: Tx, orgId: string, id: string): Promise<UnitPageRow | undefined> {
  return trx
    .selectFrom("org_units")
    .select(["id", "code", "name_ar", "name_en", "parent_id", "created_at"])
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst();
}
