import { sql } from "kysely";
import type { PluginFormTemplate, PluginWorkflowTemplate } from "~plugins/contract";
import { definitionGraph, type DefinitionGraph } from "~/engine/definition";
import type { AuditActor } from "~/utils/audit-actor.server";
import type { Tx } from "~/utils/db.server";
import { pluginRegistry, type LoadedPlugin } from "~/utils/plugins.server";
import { recordAudit } from "./audit.server";
import { createForm, getDraftVersion, saveDraft as saveFormDraft } from "./forms.server";
import { createDefinition } from "./workflow-definitions.server";

// A plugin's workflow and form templates in an organisation. Installing copies each template
// in as an editable draft (forms first, so the workflow's steps can name them; a key the
// organisation already uses gets a "-2", "-3"… suffix and references are rewritten).
// plugin_templates remembers what was copied at which template version. When a plugin
// upgrade brings a higher template version, it is OFFERED: accepting adds it as the next
// draft of the organisation's definition/form — its published versions (its own edits) stay
// as they are, and an unpublished draft of its own is never replaced (accepting is refused
// until it is published or discarded).

export type TemplateKind = "workflow" | "form";

export interface TemplateStatus {
  kind: TemplateKind;
  key: string;
  names: { ar: string; en: string };
  /** The plugin's current template version. */
  version: number;
  installed: { version: number; targetId: string; targetKey: string; installedAt: Date } | null;
  /** installed, but the plugin now has a higher version. */
  upgradeAvailable: boolean;
}

function pluginById(id: string): LoadedPlugin | undefined {
  return pluginRegistry().plugins.find((p) => p.id === id && p.status === "active");
}

function templatesOf(plugin: LoadedPlugin): { kind: TemplateKind; template: PluginFormTemplate | PluginWorkflowTemplate }[] {
  return [
    ...(plugin.server?.forms ?? []).map((template) => ({ kind: "form" as const, template })),
    ...(plugin.server?.workflows ?? []).map((template) => ({ kind: "workflow" as const, template })),
  ];
}

async function installedRows(trx: Tx, orgId: string, pluginId: string) {
  return trx.selectFrom("plugin_templates").selectAll().where("org_id", "=", orgId).where("plugin_id", "=", pluginId).execute();
}

export async function templateStatuses(trx: Tx, orgId: string, pluginId: string): Promise<TemplateStatus[]> {
  const plugin = pluginById(pluginId);
  if (!plugin) return [];
  const rows = await installedRows(trx, orgId, pluginId);
  return templatesOf(plugin).map(({ kind, template }) => {
    const row = rows.find((r) => r.kind === kind && r.template_key === template.key);
    return {
      kind,
      key: template.key,
      names: template.names,
      version: template.version,
      installed: row ? { version: row.template_version, targetId: row.target_id, targetKey: row.target_key, installedAt: row.installed_at } : null,
      upgradeAvailable: Boolean(row && row.template_version < template.version),
    };
  });
}

const SUFFIXES = ["", "-2", "-3", "-4", "-5", "-6", "-7", "-8", "-9"];

/** The workflow graph with its key and the form keys of its steps mapped to the organisation's keys. */
function graphFor(template: PluginWorkflowTemplate, key: string, formKeys: Map<string, string>): DefinitionGraph {
  const graph = definitionGraph.parse(structuredClone(template.graph));
  graph.key = key;
  for (const node of graph.nodes) {
    if (node.kind === "task" && node.form) node.form = formKeys.get(node.form) ?? node.form;
    if (node.kind === "gate") node.requiredForms = node.requiredForms.map((f) => formKeys.get(f) ?? f);
  }
  return graph;
}

async function record(trx: Tx, actor: AuditActor, pluginId: string, kind: TemplateKind, template: { key: string; version: number }, target: { id: string; key: string }) {
  await trx
    .insertInto("plugin_templates")
    .values({ org_id: actor.orgId, plugin_id: pluginId, kind, template_key: template.key, template_version: template.version, target_id: target.id, target_key: target.key, installed_by: actor.actorUserId })
    .onConflict((oc) =>
      oc.columns(["org_id", "plugin_id", "kind", "template_key"]).doUpdateSet({ template_version: template.version, installed_by: actor.actorUserId, installed_at: sql`now()` }),
    )
    .execute();
}

/**
 * Copies every template not yet installed in the organisation (all of them on first enable;
 * a template a plugin upgrade added, later). Returns what was installed, with the keys used.
 */
export async function installTemplates(trx: Tx, actor: AuditActor, pluginId: string): Promise<{ kind: TemplateKind; key: string; targetKey: string }[]> {
  const plugin = pluginById(pluginId);
  if (!plugin) return [];
  const rows = await installedRows(trx, actor.orgId, pluginId);
  const done: { kind: TemplateKind; key: string; targetKey: string }[] = [];
  const formKeys = new Map(rows.filter((r) => r.kind === "form").map((r) => [r.template_key, r.target_key]));
  for (const form of plugin.server?.forms ?? []) {
    if (rows.some((r) => r.kind === "form" && r.template_key === form.key)) continue;
    for (const suffix of SUFFIXES) {
      const key = `${form.key}${suffix}`.slice(0, 64);
      const created = await createForm(trx, actor, {
        key,
        name_ar: form.names.ar,
        name_en: form.names.en,
        content: { schema: form.schema, uiSchema: form.uiSchema ?? {}, translations: form.translations },
      });
      if (created.ok) {
        await record(trx, actor, pluginId, "form", form, { id: created.value.id, key });
        formKeys.set(form.key, key);
        done.push({ kind: "form", key: form.key, targetKey: key });
        break;
      }
      if (created.reason !== "duplicate_key") throw new Error(`form template ${form.key} of ${pluginId} cannot be installed: ${created.reason}`);
    }
  }
  for (const wf of plugin.server?.workflows ?? []) {
    if (rows.some((r) => r.kind === "workflow" && r.template_key === wf.key)) continue;
    for (const suffix of SUFFIXES) {
      const key = `${wf.key}${suffix}`.slice(0, 64);
      const created = await createDefinition(trx, actor, { key, name: wf.names, graph: graphFor(wf, key, formKeys) });
      if (created.ok) {
        await record(trx, actor, pluginId, "workflow", wf, { id: created.definitionId, key });
        done.push({ kind: "workflow", key: wf.key, targetKey: key });
        break;
      }
      if (created.reason !== "key_taken") throw new Error(`workflow template ${wf.key} of ${pluginId} cannot be installed: ${created.reason}`);
    }
  }
  if (done.length) {
    await recordAudit(trx, { ...actor, action: "plugin.templates_install", subjectType: "Plugin", subjectId: pluginId, before: null, after: { version: plugin.version, templates: done } });
  }
  return done;
}

export type AcceptUpgradeResult =
  | { ok: true; version: number; targetKey: string }
  | { ok: false; reason: "not_found" | "up_to_date" | "draft_exists" };

/**
 * Takes a newer template version as the next draft of the organisation's definition or form.
 * Refused while the organisation has a draft of its own there (it is never overwritten).
 */
export async function acceptTemplateUpgrade(trx: Tx, actor: AuditActor, pluginId: string, kind: TemplateKind, key: string): Promise<AcceptUpgradeResult> {
  const plugin = pluginById(pluginId);
  const entry = plugin ? templatesOf(plugin).find((t) => t.kind === kind && t.template.key === key) : undefined;
  if (!plugin || !entry) return { ok: false, reason: "not_found" };
  const row = (await installedRows(trx, actor.orgId, pluginId)).find((r) => r.kind === kind && r.template_key === key);
  if (!row) return { ok: false, reason: "not_found" };
  if (row.template_version >= entry.template.version) return { ok: false, reason: "up_to_date" };
  if (kind === "form") {
    const form = entry.template as PluginFormTemplate;
    if (await getDraftVersion(trx, actor.orgId, row.target_id)) return { ok: false, reason: "draft_exists" };
    const saved = await saveFormDraft(trx, actor, row.target_id, {
      schema: form.schema,
      uiSchema: form.uiSchema ?? {},
      translations: form.translations,
      lockVersion: 0,
      changeNote: `${plugin.id} ${plugin.version}: template ${form.key} v${form.version}`,
    });
    if (!saved.ok) return saved.reason === "conflict" ? { ok: false, reason: "draft_exists" } : { ok: false, reason: "not_found" };
  } else {
    const wf = entry.template as PluginWorkflowTemplate;
    const forms = new Map((await installedRows(trx, actor.orgId, pluginId)).filter((r) => r.kind === "form").map((r) => [r.template_key, r.target_key]));
    const inserted = await trx
      .insertInto("workflow_versions")
      .values({ org_id: actor.orgId, definition_id: row.target_id, status: "draft", graph: JSON.stringify(graphFor(wf, row.target_key, forms)), created_by: actor.actorUserId })
      .onConflict((oc) => oc.columns(["org_id", "definition_id"]).where("status", "=", "draft").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!inserted) return { ok: false, reason: "draft_exists" };
    await recordAudit(trx, {
      ...actor,
      action: "definition.draft_create",
      subjectType: "Definition",
      subjectId: row.target_id,
      after: { versionId: inserted.id, fromTemplate: `${plugin.id}/${wf.key}@${wf.version}` },
    });
  }
  await record(trx, actor, pluginId, kind, entry.template, { id: row.target_id, key: row.target_key });
  await recordAudit(trx, {
    ...actor,
    action: "plugin.template_upgrade",
    subjectType: "Plugin",
    subjectId: pluginId,
    before: { kind, key, version: row.template_version },
    after: { kind, key, version: entry.template.version, targetKey: row.target_key },
  });
  return { ok: true, version: entry.template.version, targetKey: row.target_key };
}
