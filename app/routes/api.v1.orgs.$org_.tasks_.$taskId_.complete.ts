import { z } from "zod";
import type { Route } from "./+types/api.v1.orgs.$org_.tasks_.$taskId_.complete";
import { getCase } from "~/models/cases.server";
import { once } from "~/models/idempotency.server";
import { getVersionById } from "~/models/published-versions.server";
import { completeTask, getTask } from "~/models/tasks.server";
import { caseDetailJson, taskJson } from "~/utils/api-workflow-shapes.server";
import { engineT, idempotencyKeyOf, inTenant } from "~/utils/api-workflow.server";
import { ApiError, apiRoute, methodNotAllowed, readJsonBody, requireApiContext, validationFailed } from "~/utils/api.server";
import { assertCan } from "~/utils/permissions.server";
import { prepareCompletion } from "~/utils/task-completion";

const body = z.object({
  data: z.record(z.string(), z.unknown()).default({}),
  outcome: z.enum(["go", "no-go", "rework"]).optional(),
  checklist: z.array(z.string().max(64)).max(100).optional(),
  expectedRowVersion: z.number().int().min(1).optional(),
});

export const loader = methodNotAllowed(["POST"]);

// POST /api/v1/orgs/:org/tasks/:taskId/complete — completes a step (or decides a gate) with
// data. Exactly one of concurrent completions wins; the others get 409 with who and when.
// With an Idempotency-Key, a repeat returns the stored first answer.
export const action = apiRoute(async (args: Route.ActionArgs) => {
  if (args.request.method !== "POST") throw new ApiError("method_not_allowed", undefined, undefined, { Allow: "POST" });
  const ctx = await requireApiContext(args);
  assertCan(ctx.ability, "update", "Task");
  const raw = await readJsonBody(args);
  const parsed = body.safeParse(raw);
  if (!parsed.success) throw validationFailed(args, parsed.error, raw);
  const input = parsed.data;
  const taskId = args.params.taskId;
  const t = engineT(args);
  return inTenant(args, ctx, (trx) =>
    once(trx, { orgId: ctx.org.id, userId: ctx.user.id }, `task.complete:${taskId}`, idempotencyKeyOf(args.request), async () => {
      const row = await getTask(trx, ctx, taskId);
      const kase = await trx.selectFrom("cases").select("version_id").where("org_id", "=", ctx.org.id).where("id", "=", row.case_id).executeTakeFirstOrThrow();
      const { graph } = await getVersionById(trx, ctx.org.id, kase.version_id);
      const node = graph.nodes.find((n) => n.id === row.node_id);
      const prepared = node ? prepareCompletion(graph, node, { outcome: input.outcome ?? null, checklist: input.checklist }) : null;
      if (prepared && !prepared.ok) {
        const message = prepared.problem.field === "outcome" ? t("task.errors.outcomeRequired") : t("task.errors.checklistRequired");
        throw new ApiError("validation_failed", undefined, { fields: { [prepared.problem.field]: message } });
      }
      await completeTask(trx, ctx, taskId, {
        data: { ...input.data, ...(prepared?.ok ? prepared.extraData : {}) },
        outcome: prepared?.ok ? prepared.outcome : undefined,
        expectedRowVersion: input.expectedRowVersion,
      });
      const after = await getCase(trx, ctx, row.case_id);
      return { task: taskJson(after.tasks.find((x) => x.id === taskId)!, after), case: caseDetailJson(after) };
    }),
  );
});
