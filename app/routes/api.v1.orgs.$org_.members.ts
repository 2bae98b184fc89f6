import type { Route } from "./+types/api.v1.orgs.$org_.members";
import { listMembers } from "~/models/members.server";
import { memberJson, pageJson } from "~/utils/api-shapes.server";
import { apiRoute, methodNotAllowed, parseApiPaging, requireApiContext } from "~/utils/api.server";
import { appDb, withTenant } from "~/utils/db.server";
import { assertCan } from "~/utils/permissions.server";

// GET /api/v1/orgs/:org/members?page&pageSize&q — members the token's user may read
// (the role rules become SQL, so a staff member sees their own unit only).
export const loader = apiRoute(async (args: Route.LoaderArgs) => {
  const ctx = await requireApiContext(args);
  assertCan(ctx.ability, "read", "Member");
  const paging = parseApiPaging(args);
  const { rows, total } = await withTenant(appDb(), ctx.scope, (trx) =>
    listMembers(trx, { orgId: ctx.org.id, ability: ctx.ability, q: paging.q, limit: paging.pageSize, offset: paging.offset }),
  );
  return pageJson(rows.map(memberJson), paging, total);
});

export const action = methodNotAllowed(["GET"]);
