import { sql } from "kysely";
import type { DefinitionGraph } from "~/engine/definition";
import type { RefLists } from "~/designer/refs";
import type { Tx } from "~/utils/db.server";
import { actionExecutor } from "./action-executors.server";
import { listActionKinds, type ActionKindInfo } from "./plugin-node-kinds.server";

// What the visual designer needs besides the graph: the organisation's forms, roles, units
// and other workflows (for the pickers and the lanes), the plugin node kinds it may use (the
// palette), and the same reference lists publishing validates against (loadRefs in
// workflow-definitions.server.ts), so that live validation in the browser agrees with the
// server (an integration test holds them together).

export interface Named {
  key: string;
  name_ar: string;
  name_en: string;
}

export interface DesignerLists {
  /** Forms that can be picked: not archived, with whether a version is published. */
  forms: (Named & { id: string; published: boolean })[];
  roles: Named[];
  units: Named[];
  /** Other workflows a sub-process may call. */
  definitions: Named[];
  actionKinds: ActionKindInfo[];
  refs: RefLists;
}

export async function designerLists(trx: Tx, orgId: string, graph: DefinitionGraph | null): Promise<DesignerLists> {
  const table = await sql<{ t: string | null }>`SELECT to_regclass('form_definitions')::text AS t`.execute(trx);
  const formsAvailable = Boolean(table.rows[0]?.t);
  const [roles, units, defs, forms, actionKinds] = await Promise.all([
    trx.selectFrom("roles").select(["key", "name_ar", "name_en"]).where("org_id", "=", orgId).orderBy("name_ar").execute(),
    trx.selectFrom("org_units").select(["code as key", "name_ar", "name_en"]).where("org_id", "=", orgId).orderBy("code").execute(),
    trx.selectFrom("workflow_definitions").select(["key", "name_ar", "name_en"]).where("org_id", "=", orgId).where("archived_at", "is", null).orderBy("name_ar").execute(),
    formsAvailable
      ? trx
          .selectFrom("form_definitions as f")
          .select((eb) => [
            "f.id",
            "f.key",
            "f.name_ar",
            "f.name_en",
            eb
              .exists(eb.selectFrom("form_versions as v").select("v.id").whereRef("v.org_id", "=", "f.org_id").whereRef("v.form_id", "=", "f.id").where("v.status", "=", "published"))
              .as("published"),
          ])
          .where("f.org_id", "=", orgId)
          .where("f.archived_at", "is", null)
          .orderBy("f.name_ar")
          .execute()
      : Promise.resolve([]),
    listActionKinds(trx, orgId),
  ]);
  // Runnable action types: those with an executor, as publishing checks (actionExecutor).
  const used = graph ? graph.nodes.flatMap((n) => (n.kind === "action" ? [n.actionType] : [])) : [];
  const actionTypes = [...new Set([...actionKinds.map((k) => k.actionType), ...used])].filter((t) => actionExecutor(t) !== undefined);
  const key = graph?.key;
  return {
    forms: forms.map((f) => ({ id: f.id, key: f.key, name_ar: f.name_ar, name_en: f.name_en, published: Boolean(f.published) })),
    roles,
    units,
    definitions: defs.filter((d) => d.key !== key),
    actionKinds,
    refs: {
      forms: formsAvailable ? forms.map((f) => f.key) : null,
      roles: roles.map((r) => r.key),
      units: units.map((u) => u.key),
      definitions: defs.map((d) => d.key),
      actionTypes,
    },
  };
}
