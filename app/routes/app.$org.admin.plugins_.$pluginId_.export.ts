import type { Route } from "./+types/app.$org.admin.plugins_.$pluginId_.export";
import { exportPluginData } from "~/models/plugin-data.server";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { notFound, requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";
import { pluginRegistry } from "~/utils/plugins.server";

// POST: downloads the organisation's data of the plugin as one JSON document. A POST, not a
// GET: the export is audit-logged and remembered (its fingerprint lets uninstall proceed).
export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "update", "Plugin");
  const pluginId = args.params.pluginId;
  if (!pluginRegistry().plugins.some((p) => p.id === pluginId)) notFound();
  const doc = await withTenant(appDb(), ctx.scope, (trx) => exportPluginData(trx, auditActor(ctx, args.context), ctx.org, pluginId));
  const filename = `${ctx.org.slug}-${pluginId}-${doc.exportedAt.slice(0, 10)}.json`;
  return new Response(JSON.stringify(doc, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-store",
    },
  });
}

export async function loader(args: Route.LoaderArgs) {
  await requireOrgMember(args);
  notFound();
}
