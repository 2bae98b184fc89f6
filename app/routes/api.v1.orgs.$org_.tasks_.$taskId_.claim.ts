import type { Route } from "./+types/api.v1.orgs.$org_.tasks_.$taskId_.claim";
import { getCase } from "~/models/cases.server";
import { claimTask } from "~/models/tasks.server";
import { taskJson } from "~/utils/api-workflow-shapes.server";
import { idempotencyKeyOf, inTenant } from "~/utils/api-workflow.server";
import { ApiError, apiRoute, methodNotAllowed, requireApiContext } from "~/utils/api.server";
import { assertCan } from "~/utils/permissions.server";

export const loader = methodNotAllowed(["POST"]);

// POST /api/v1/orgs/:org/tasks/:taskId/claim — takes an unclaimed task of one of my lanes.
// Someone faster: 409 conflict, details.by / details.at.
export const action = apiRoute(async (args: Route.ActionArgs) => {
  if (args.request.method !== "POST") throw new ApiError("method_not_allowed", undefined, undefined, { Allow: "POST" });
  const ctx = await requireApiContext(args);
  assertCan(ctx.ability, "update", "Task");
  return inTenant(args, ctx, async (trx) => {
    const result = await claimTask(trx, ctx, args.params.taskId, { idempotencyKey: idempotencyKeyOf(args.request) });
    const kase = await getCase(trx, ctx, result.caseId);
    return taskJson(kase.tasks.find((t) => t.id === result.taskId)!, kase);
  });
});
