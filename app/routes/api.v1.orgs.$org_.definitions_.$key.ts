import type { Route } from "./+types/api.v1.orgs.$org_.definitions_.$key";
import { findDefinitionByKey, getDefinition } from "~/models/workflow-definitions.server";
import { definitionDetailJson } from "~/utils/api-workflow-shapes.server";
import { inTenant } from "~/utils/api-workflow.server";
import { ApiError, apiRoute, methodNotAllowed, requireApiContext } from "~/utils/api.server";
import { assertCan } from "~/utils/permissions.server";

// GET /api/v1/orgs/:org/definitions/:key — one definition with all its versions.
export const loader = apiRoute(async (args: Route.LoaderArgs) => {
  const ctx = await requireApiContext(args);
  assertCan(ctx.ability, "read", "Definition");
  const detail = await inTenant(args, ctx, async (trx) => {
    const found = await findDefinitionByKey(trx, ctx.org.id, args.params.key);
    return found ? getDefinition(trx, ctx.org.id, found.id) : undefined;
  });
  if (!detail) throw new ApiError("not_found");
  return definitionDetailJson(detail);
});

export const action = methodNotAllowed(["GET"]);
