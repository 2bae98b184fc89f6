import type { Route } from "./+types/api.v1.orgs.$org_.definitions_.import";
import { BpmnImportError, importBpmn, type BpmnWarning } from "~/engine/bpmn";
import { slugKey, type DefinitionGraph } from "~/engine/definition";
import { importWorkflowJson, MAX_WORKFLOW_JSON_BYTES } from "~/engine/interchange-json";
import { problemParams } from "~/engine/problems";
import { checkGraph, createDefinition } from "~/models/workflow-definitions.server";
import { engineT, inTenant } from "~/utils/api-workflow.server";
import { ApiError, apiJson, apiLocale, apiRoute, methodNotAllowed, requireApiContext } from "~/utils/api.server";
import { auditActor } from "~/utils/audit-actor.server";
import { assertCan } from "~/utils/permissions.server";

export const loader = methodNotAllowed(["POST"]);

type T = ReturnType<typeof engineT>;

function importFailed(t: T, code: string, detail: string | undefined, fields?: Record<string, string>): ApiError {
  const message = t(`definitions.import.errors.${code}`, { detail: detail ?? "", max: "5 MB", key: detail ?? "" });
  return new ApiError("validation_failed", message, { fields: fields ?? { _body: message } });
}

/** The Masar JSON file (or a bare graph), or a BPMN 2.0 document, into a definition graph. */
async function readGraph(request: Request, t: T, lang: "ar" | "en", key: string | undefined): Promise<{ graph: DefinitionGraph; warnings: BpmnWarning[]; source: "json" | "bpmn" }> {
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  const isXml = /^(application|text)\/([a-z.+-]*\+)?xml\b/.test(type);
  const isJson = /^application\/([a-z.+-]*\+)?json\b/.test(type);
  if (!isXml && !isJson) throw new ApiError("validation_failed", t("case.api.importType"), { fields: { _body: t("case.api.importType") } });
  const text = await request.text();
  if (text.length > MAX_WORKFLOW_JSON_BYTES) throw importFailed(t, "too_large", undefined);
  if (isXml) {
    try {
      const result = await importBpmn(text, { key });
      return { graph: result.graph, warnings: result.warnings, source: "bpmn" };
    } catch (error) {
      if (error instanceof BpmnImportError) throw importFailed(t, error.code, error.detail);
      throw error;
    }
  }
  const result = importWorkflowJson(text, lang);
  if (!result.ok) {
    const fields = Object.fromEntries(result.issues.map((i) => [i.path || "_body", i.message]));
    throw importFailed(t, result.code, result.detail, result.issues.length ? fields : undefined);
  }
  return { graph: key ? { ...result.graph, key } : result.graph, warnings: [], source: "json" };
}

// POST /api/v1/orgs/:org/definitions/import[?key=] — JSON (application/json) or BPMN 2.0 XML
// (application/xml) becomes a new definition's draft, as on the admin screen. Publish it next.
export const action = apiRoute(async (args: Route.ActionArgs) => {
  if (args.request.method !== "POST") throw new ApiError("method_not_allowed", undefined, undefined, { Allow: "POST" });
  const ctx = await requireApiContext(args);
  assertCan(ctx.ability, "create", "Definition");
  const t = engineT(args);
  const lang = apiLocale(args.request, args.context);
  const keyParam = new URL(args.request.url).searchParams.get("key") || undefined;
  if (keyParam !== undefined && !slugKey.safeParse(keyParam).success) {
    throw new ApiError("validation_failed", undefined, { fields: { key: t("definitions.import.errors.key_invalid") } });
  }
  const { graph, warnings, source } = await readGraph(args.request, t, lang, keyParam);
  const created = await inTenant(args, ctx, async (trx) => {
    const result = await createDefinition(trx, auditActor(ctx, args.context), { key: graph.key, name: graph.name, graph, source });
    if (!result.ok) {
      const message = t("definitions.import.errors.key_taken", { key: graph.key });
      throw new ApiError("conflict", message, { fields: { key: message } });
    }
    return checkGraph(trx, ctx.org.id, graph);
  });
  return apiJson(
    {
      key: graph.key,
      created: true,
      warnings: warnings.map((w) => ({ code: w.code, elementId: w.elementId ?? null, message: t(`definitions.import.bpmnWarnings.${w.code}`, { elementId: w.elementId ?? "", ...w.params }) })),
      problems: created.map((p) => ({ code: p.code, severity: p.severity, nodeId: p.nodeId ?? null, edgeId: p.edgeId ?? null, message: t(`validation.${p.code}`, problemParams(p, graph, lang)) })),
    },
    { status: 201, headers: { Location: `/api/v1/orgs/${ctx.org.slug}/definitions/${graph.key}` } },
  );
});
