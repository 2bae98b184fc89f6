import { z } from "zod";
import type { Route } from "./+types/api.v1.orgs.$org_.cases_.$reference_.cancel";
import { cancelCase, MAX_CANCEL_REASON } from "~/models/case-cancel.server";
import { getCase } from "~/models/cases.server";
import { caseDetailJson } from "~/utils/api-workflow-shapes.server";
import { idempotencyKeyOf, inTenant } from "~/utils/api-workflow.server";
import { ApiError, apiRoute, methodNotAllowed, readJsonBody, requireApiContext, validationFailed } from "~/utils/api.server";
import { assertCan } from "~/utils/permissions.server";

const body = z.object({ reason: z.string().trim().min(1).max(MAX_CANCEL_REASON) });

export const loader = methodNotAllowed(["POST"]);

// POST /api/v1/orgs/:org/cases/:reference/cancel — ends a running case with a reason: its
// open tasks, pending timers and running sub-cases are cancelled with it. A case already
// completed or cancelled: 409 conflict (code case_not_running).
export const action = apiRoute(async (args: Route.ActionArgs) => {
  if (args.request.method !== "POST") throw new ApiError("method_not_allowed", undefined, undefined, { Allow: "POST" });
  const ctx = await requireApiContext(args);
  assertCan(ctx.ability, "update", "Case");
  const raw = await readJsonBody(args);
  const parsed = body.safeParse(raw);
  if (!parsed.success) throw validationFailed(args, parsed.error, raw);
  return inTenant(args, ctx, async (trx) => {
    const result = await cancelCase(trx, ctx, args.params.reference, { reason: parsed.data.reason, idempotencyKey: idempotencyKeyOf(args.request) });
    return caseDetailJson(await getCase(trx, ctx, result.caseId));
  });
});
