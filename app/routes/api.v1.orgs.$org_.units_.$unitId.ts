import type { Route } from "./+types/api.v1.orgs.$org_.units_.$unitId";
import { getUnitRow } from "~/models/api-units.server";
import { unitJson } from "~/utils/api-shapes.server";
import { ApiError, apiRoute, methodNotAllowed, requireApiContext } from "~/utils/api.server";
import { appDb, withTenant } from "~/utils/db.server";
import { assertCan } from "~/utils/permissions.server";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// GET /api/v1/orgs/:org/units/:unitId — one unit (the Location of a created unit).
export const loader = apiRoute(async (args: Route.LoaderArgs) => {
  const ctx = await requireApiContext(args);
  assertCan(ctx.ability, "read", "OrgUnit");
  const unit = UUID.test(args.params.unitId) ? await withTenant(appDb(), ctx.scope, (trx) => getUnitRow(trx, ctx.org.id, args.params.unitId)) : undefined;
  if (!unit) throw new ApiError("not_found");
  // The same condition fields as the SQL filter on lists (units.server.ts UNIT_FIELDS).
  assertCan(ctx.ability, "read", "OrgUnit", { id: unit.id, parentId: unit.parent_id, code: unit.code });
  return unitJson(unit);
});

export const action = methodNotAllowed(["GET"]);
