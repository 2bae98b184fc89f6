import { z } from "zod";
import type { Route } from "./+types/api.v1.orgs.$org_.definitions_.$key_.publish";
import { problemParams } from "~/engine/problems";
import { findDefinitionByKey, getDefinition, publish } from "~/models/workflow-definitions.server";
import { versionJson } from "~/utils/api-workflow-shapes.server";
import { engineT, inTenant, readOptionalJsonBody } from "~/utils/api-workflow.server";
import { ApiError, apiLocale, apiRoute, methodNotAllowed, requireApiContext, validationFailed } from "~/utils/api.server";
import { auditActor } from "~/utils/audit-actor.server";
import { assertCan } from "~/utils/permissions.server";

const body = z.object({ changeNote: z.string().trim().max(2000).default("") });

export const loader = methodNotAllowed(["POST"]);

// POST /api/v1/orgs/:org/definitions/:key/publish — validates the draft and publishes it as
// the next numbered version (same model and audit entry as the admin screen).
export const action = apiRoute(async (args: Route.ActionArgs) => {
  if (args.request.method !== "POST") throw new ApiError("method_not_allowed", undefined, undefined, { Allow: "POST" });
  const ctx = await requireApiContext(args);
  assertCan(ctx.ability, "update", "Definition");
  // No body is fine: the change note is optional.
  const raw = await readOptionalJsonBody(args);
  const parsed = body.safeParse(raw);
  if (!parsed.success) throw validationFailed(args, parsed.error, raw);
  const t = engineT(args);
  const lang = apiLocale(args.request, args.context);
  return inTenant(args, ctx, async (trx) => {
    const found = await findDefinitionByKey(trx, ctx.org.id, args.params.key);
    if (!found) throw new ApiError("not_found");
    const draft = (await getDefinition(trx, ctx.org.id, found.id))?.draft;
    const result = await publish(trx, auditActor(ctx, args.context), found.id, parsed.data.changeNote);
    if (!result.ok && result.reason === "invalid") {
      const problems = result.problems.filter((p) => p.severity === "error");
      // One message per node, edge or lane (several problems on one element are joined).
      const fields: Record<string, string> = {};
      for (const p of problems) {
        const where = p.nodeId ?? p.edgeId ?? p.laneId ?? "definition";
        const message = t(`validation.${p.code}`, problemParams(p, draft?.graph, lang));
        fields[where] = fields[where] ? `${fields[where]} ${message}` : message;
      }
      throw new ApiError("validation_failed", t("case.api.publishInvalid"), { fields });
    }
    if (!result.ok) throw new ApiError("conflict", t(`case.api.${result.reason === "no_draft" ? "noDraft" : "stale"}`));
    const detail = await getDefinition(trx, ctx.org.id, found.id);
    const published = detail?.versions.find((v) => v.id === result.versionId);
    if (!published) throw new ApiError("internal");
    return versionJson(published);
  });
});
