import type { Route } from "./+types/api.v1.orgs.$org";
import { organisationJson } from "~/utils/api-shapes.server";
import { apiRoute, methodNotAllowed, requireApiContext } from "~/utils/api.server";
import { assertCan } from "~/utils/permissions.server";

// GET /api/v1/orgs/:org — the organisation's public settings (names, locale, calendar, zone).
export const loader = apiRoute(async (args: Route.LoaderArgs) => {
  const ctx = await requireApiContext(args);
  assertCan(ctx.ability, "read", "Organisation");
  return organisationJson(ctx.org);
});

export const action = methodNotAllowed(["GET"]);
