import type { Route } from "./+types/api.v1.me";
import { organisationJson } from "~/utils/api-shapes.server";
import { apiRoute, methodNotAllowed, requireApiContext } from "~/utils/api.server";

// GET /api/v1/me — who the token acts as, in which organisation, with which roles.
export const loader = apiRoute(async (args: Route.LoaderArgs) => {
  const ctx = await requireApiContext(args);
  return {
    user: { id: ctx.user.id, email: ctx.user.email, name: ctx.user.name, locale: ctx.user.locale },
    organisation: organisationJson(ctx.org),
    unitId: ctx.unitId,
    roles: ctx.roleKeys,
    token: { id: ctx.token.id, name: ctx.token.name, prefix: ctx.token.prefix, expiresAt: ctx.token.expires_at?.toISOString() ?? null },
  };
});

export const action = methodNotAllowed(["GET"]);
