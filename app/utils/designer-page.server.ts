import type { RouterContextProvider } from "react-router";
import { getInstance } from "~/middleware/i18next";
import { designerLists } from "~/models/designer.server";
import { getDefinition, getVersion } from "~/models/workflow-definitions.server";
import { appDb, withTenant } from "./db.server";
import { notFound, type OrgContext } from "./org-context.server";
import { definitionAction } from "./workflow-definition-page.server";

// Server side of the visual designer page (app.$org.admin.workflows.$definitionId_.design):
// the draft (or, without one, the latest version, shown read-only with a "new draft" button)
// and everything the palette, the pickers and live validation need. Saving and publishing go
// through the definition page's own action (definitionAction), so the rules are the same.

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

export async function loadDesignerPage(ctx: OrgContext, definitionId: string) {
  return withTenant(appDb(), ctx.scope, async (trx) => {
    const def = await getDefinition(trx, ctx.org.id, definitionId);
    if (!def) notFound();
    const latest = def.versions.find((v) => v.status !== "draft");
    const latestGraph = !def.draft && latest ? (await getVersion(trx, ctx.org.id, definitionId, latest.id))?.graph : undefined;
    const graph = def.draft?.graph ?? latestGraph ?? null;
    const lists = await designerLists(trx, ctx.org.id, graph);
    return {
      definition: { id: def.id, key: def.key, name_ar: def.name_ar, name_en: def.name_en, archivedAt: iso(def.archivedAt) },
      draft: def.draft ? { id: def.draft.id, lockVersion: def.draft.lockVersion, updatedAt: iso(def.draft.updatedAt)!, graph: def.draft.graph } : null,
      /** Without a draft: the version shown read-only and offered as the start of a new draft. */
      latest: latest && latestGraph ? { id: latest.id, version: latest.version ?? 0, status: latest.status, graph: latestGraph } : null,
      versions: def.versions.filter((v) => v.status !== "draft").map((v) => ({ id: v.id, version: v.version ?? 0, status: v.status, publishedAt: iso(v.publishedAt) })),
      nextVersion: Math.max(0, ...def.versions.map((v) => v.version ?? 0)) + 1,
      lists,
      canUpdate: ctx.ability.can("update", "Definition"),
      canCreateForm: ctx.ability.can("create", "Form"),
    };
  });
}

export type DesignerPage = Awaited<ReturnType<typeof loadDesignerPage>>;

const DESIGNER_INTENTS = new Set(["save", "publish", "newDraft"]);

/** The designer's forms: autosave, publish, and a new draft from the latest version. The caller checked update on Definition. */
export async function designerPageAction(ctx: OrgContext, context: Readonly<RouterContextProvider>, definitionId: string, form: FormData) {
  const t = getInstance(context).getFixedT(null, "engine");
  if (!DESIGNER_INTENTS.has(String(form.get("intent") ?? ""))) return { status: 400, body: { intent: "definition" as const, ok: false, message: "unknown intent" } };
  return definitionAction(ctx, context, definitionId, form, t);
}
