import type { Route } from "./+types/api.v1.orgs.$org_.cases_.$reference";
import { getCase } from "~/models/cases.server";
import { caseDetailJson } from "~/utils/api-workflow-shapes.server";
import { inTenant } from "~/utils/api-workflow.server";
import { apiRoute, methodNotAllowed, requireApiContext } from "~/utils/api.server";
import { assertCan } from "~/utils/permissions.server";

// GET /api/v1/orgs/:org/cases/:reference — one case (by reference or id) with its open tasks.
export const loader = apiRoute(async (args: Route.LoaderArgs) => {
  const ctx = await requireApiContext(args);
  assertCan(ctx.ability, "read", "Case");
  return inTenant(args, ctx, async (trx) => caseDetailJson(await getCase(trx, ctx, args.params.reference)));
});

export const action = methodNotAllowed(["GET"]);
