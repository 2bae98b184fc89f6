import { z } from "zod";
import type { Route } from "./+types/api.v1.orgs.$org_.definitions_.$key_.export";
import { exportBpmn } from "~/engine/bpmn";
import { exportWorkflowJson } from "~/engine/interchange-json";
import { findDefinitionByKey, getDefinition, getVersion } from "~/models/workflow-definitions.server";
import { apiLocale, ApiError, apiRoute, methodNotAllowed, requireApiContext, validationFailed } from "~/utils/api.server";
import { inTenant } from "~/utils/api-workflow.server";
import { assertCan } from "~/utils/permissions.server";

const query = z.object({ format: z.enum(["json", "bpmn"]).default("json"), version: z.coerce.number().int().min(1).optional() });

// GET /api/v1/orgs/:org/definitions/:key/export?format=json|bpmn&version= — a version as a
// file: the given number, else the latest published, else the draft.
export const loader = apiRoute(async (args: Route.LoaderArgs) => {
  const ctx = await requireApiContext(args);
  assertCan(ctx.ability, "read", "Definition");
  const params = new URL(args.request.url).searchParams;
  const raw = { format: params.get("format") || undefined, version: params.get("version") || undefined };
  const parsed = query.safeParse(raw);
  if (!parsed.success) throw validationFailed(args, parsed.error, raw);
  const { format, version } = parsed.data;
  const picked = await inTenant(args, ctx, async (trx) => {
    const found = await findDefinitionByKey(trx, ctx.org.id, args.params.key);
    const detail = found ? await getDefinition(trx, ctx.org.id, found.id) : undefined;
    if (!detail) return undefined;
    const published = detail.versions.filter((v) => v.status === "published");
    const summary =
      version !== undefined
        ? detail.versions.find((v) => v.version === version)
        : (published.sort((a, b) => (b.version ?? 0) - (a.version ?? 0))[0] ?? detail.versions.find((v) => v.status === "draft"));
    return summary ? getVersion(trx, ctx.org.id, detail.id, summary.id) : undefined;
  });
  if (!picked) throw new ApiError("not_found");
  const base = `${args.params.key}${picked.version ? `-v${picked.version}` : "-draft"}`;
  if (format === "bpmn") {
    const xml = await exportBpmn(picked.graph, { locale: apiLocale(args.request, args.context) });
    return new Response(xml, { headers: { "Content-Type": "application/xml; charset=utf-8", "Content-Disposition": `attachment; filename="${base}.bpmn"`, "Cache-Control": "no-store" } });
  }
  const text = exportWorkflowJson(picked.graph, {
    version: picked.version,
    status: picked.status,
    changeNote: picked.changeNote,
    exportedAt: new Date().toISOString(),
  });
  return new Response(text, { headers: { "Content-Type": "application/json; charset=utf-8", "Content-Disposition": `attachment; filename="${base}.json"`, "Cache-Control": "no-store" } });
});

export const action = methodNotAllowed(["GET"]);
