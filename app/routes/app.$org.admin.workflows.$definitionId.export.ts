import type { Route } from "./+types/app.$org.admin.workflows.$definitionId.export";
import { exportBpmn } from "~/engine/bpmn";
import { exportWorkflowJson } from "~/engine/interchange-json";
import { getDefinition, getVersion } from "~/models/workflow-definitions.server";
import { appDb, withTenant } from "~/utils/db.server";
import { notFound, requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";

// Downloads one version (or the draft) as a Masar JSON file or BPMN 2.0 XML:
// ?version=<version id>&format=json|bpmn. BPMN names are written in the reader's language;
// both languages travel in masar:name.
export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Definition");
  const url = new URL(args.request.url);
  const format = url.searchParams.get("format") === "bpmn" ? "bpmn" : "json";
  const versionId = url.searchParams.get("version") ?? "";
  if (!/^[0-9a-f-]{36}$/i.test(versionId)) notFound();
  const found = await withTenant(appDb(), ctx.scope, async (trx) => {
    const def = await getDefinition(trx, ctx.org.id, args.params.definitionId);
    const version = def ? await getVersion(trx, ctx.org.id, def.id, versionId) : undefined;
    return def && version ? { def, version } : undefined;
  });
  if (!found) notFound();
  const { def, version } = found;
  const suffix = version.version ? `v${version.version}` : "draft";
  const filename = `${def.key}-${suffix}.${format === "bpmn" ? "bpmn" : "json"}`;
  const body =
    format === "bpmn"
      ? await exportBpmn(version.graph, { locale: ctx.locale })
      : exportWorkflowJson(version.graph, { version: version.version, status: version.status, changeNote: version.changeNote, exportedAt: new Date().toISOString() });
  return new Response(body, {
    headers: {
      "Content-Type": format === "bpmn" ? "application/xml; charset=utf-8" : "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-store",
    },
  });
}
