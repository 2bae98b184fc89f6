import type { Route } from "./+types/api.v1.orgs.$org_.definitions";
import { listDefinitions } from "~/models/workflow-definitions.server";
import { pageJson } from "~/utils/api-shapes.server";
import { definitionJson } from "~/utils/api-workflow-shapes.server";
import { inTenant } from "~/utils/api-workflow.server";
import { apiRoute, methodNotAllowed, parseApiPaging, requireApiContext } from "~/utils/api.server";
import { assertCan } from "~/utils/permissions.server";

// GET /api/v1/orgs/:org/definitions?q&page&pageSize — workflow definitions the caller may read.
export const loader = apiRoute(async (args: Route.LoaderArgs) => {
  const ctx = await requireApiContext(args);
  assertCan(ctx.ability, "read", "Definition");
  const paging = parseApiPaging(args);
  const list = await inTenant(args, ctx, (trx) => listDefinitions(trx, { orgId: ctx.org.id, ability: ctx.ability, q: paging.q, limit: paging.pageSize, offset: paging.offset }));
  return pageJson(list.rows.map((r) => definitionJson(r)), paging, list.total);
});

export const action = methodNotAllowed(["GET"]);
