import { z } from "zod";
import type { Route } from "./+types/api.v1.orgs.$org_.cases_.$reference_.events";
import { listCaseEvents } from "~/models/cases.server";
import { caseEventJson } from "~/utils/api-workflow-shapes.server";
import { inTenant } from "~/utils/api-workflow.server";
import { apiRoute, methodNotAllowed, requireApiContext, validationFailed } from "~/utils/api.server";
import { assertCan } from "~/utils/permissions.server";

const query = z.object({
  afterSeq: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

// GET /api/v1/orgs/:org/cases/:reference/events?afterSeq&limit — the case's hash-chained event log, in order.
export const loader = apiRoute(async (args: Route.LoaderArgs) => {
  const ctx = await requireApiContext(args);
  assertCan(ctx.ability, "read", "Case");
  const params = new URL(args.request.url).searchParams;
  const raw = { afterSeq: params.get("afterSeq") || undefined, limit: params.get("limit") || undefined };
  const parsed = query.safeParse(raw);
  if (!parsed.success) throw validationFailed(args, parsed.error, raw);
  const events = await inTenant(args, ctx, (trx) => listCaseEvents(trx, ctx, args.params.reference, parsed.data));
  return { items: events.map(caseEventJson) };
});

export const action = methodNotAllowed(["GET"]);
