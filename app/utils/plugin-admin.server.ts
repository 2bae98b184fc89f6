import { localiseSchema } from "~/forms/localise";
import { pluginDataCounts, type PluginDataCounts } from "~/models/plugin-data.server";
import { currentSettings, listPluginOrgRows, listSettingsVersions, type PluginOrgRow } from "~/models/plugin-orgs.server";
import { templateStatuses, type TemplateStatus } from "~/models/plugin-templates.server";
import type { LocalisedText, PluginKpi } from "~plugins/contract";
import type { Tx } from "./db.server";
import { pluginRegistry, pluginTexts, type LoadedPlugin, type PluginError } from "./plugins.server";

// What the plugin catalogue and a plugin's page show an organisation's admin: the plugin as
// the platform loaded it, plus this organisation's state (enabled, settings, templates, data).
// Plain data for the loaders.

export interface PluginCard {
  id: string;
  names: LocalisedText;
  description: LocalisedText | null;
  version: string | null;
  /** Platform status: a plugin disabled at boot cannot be enabled by any organisation. */
  status: "active" | "disabled";
  error: PluginError | null;
  /** Set when the platform's upgrade failed: the version still installed. */
  failedUpgradeFrom: string | null;
  enabled: boolean;
  dependsOn: { id: string; names: LocalisedText; enabled: boolean }[];
  requiredBy: { id: string; names: LocalisedText }[];
  /** What it adds, counted: settings fields, templates, steps, KPIs, pages, jobs. */
  adds: { settings: number; workflows: number; forms: number; nodeKinds: number; kpis: number; pages: number; jobs: number };
  upgradesOffered: number;
}

const namesOf = (p: LoadedPlugin): LocalisedText => p.names ?? { ar: p.id, en: p.id };

function card(p: LoadedPlugin, rows: Map<string, PluginOrgRow>, offers: number): PluginCard {
  const all = pluginRegistry().plugins;
  const on = (id: string) => Boolean(rows.get(id)?.enabled) && all.some((x) => x.id === id && x.status === "active");
  const server = p.server;
  const settingsProps = server?.settings?.schema.properties;
  return {
    id: p.id,
    names: namesOf(p),
    description: p.description,
    version: p.version,
    status: p.status,
    error: p.error,
    failedUpgradeFrom: p.status === "disabled" && p.installedVersion && p.installedVersion !== p.version ? p.installedVersion : null,
    enabled: on(p.id),
    dependsOn: p.dependsOn.map((id) => {
      const dep = all.find((x) => x.id === id);
      return { id, names: dep ? namesOf(dep) : { ar: id, en: id }, enabled: on(id) };
    }),
    requiredBy: all.filter((x) => x.status === "active" && x.dependsOn.includes(p.id) && on(x.id)).map((x) => ({ id: x.id, names: namesOf(x) })),
    adds: {
      settings: settingsProps && typeof settingsProps === "object" ? Object.keys(settingsProps).length : 0,
      workflows: server?.workflows?.length ?? 0,
      forms: server?.forms?.length ?? 0,
      nodeKinds: server?.nodeKinds?.length ?? 0,
      kpis: server?.kpis?.length ?? 0,
      pages: p.routes.length,
      jobs: server?.jobs?.length ?? 0,
    },
    upgradesOffered: offers,
  };
}

export async function pluginCatalogue(trx: Tx, orgId: string): Promise<PluginCard[]> {
  const rows = new Map((await listPluginOrgRows(trx, orgId)).map((r) => [r.pluginId, r]));
  const cards: PluginCard[] = [];
  for (const p of pluginRegistry().plugins) {
    // A duplicate registry line is not a plugin of its own.
    if (p.error?.code === "duplicate_id") continue;
    const offers = rows.get(p.id)?.enabled ? (await templateStatuses(trx, orgId, p.id)).filter((s) => s.upgradeAvailable || !s.installed).length : 0;
    cards.push(card(p, rows, offers));
  }
  return cards;
}

export interface PluginDetail extends PluginCard {
  installed: boolean;
  settings: {
    version: number;
    values: Record<string, unknown>;
    form: { id: string; schema: unknown; uiSchema: unknown; translations: { ar: Record<string, string>; en: Record<string, string> } };
    history: { version: number; values: Record<string, unknown>; pluginVersion: string; createdAt: Date; createdByName: string | null }[];
    /** Field labels and option labels in both languages, for the history table. */
    labels: Record<string, { title: LocalisedText; options: Record<string, LocalisedText> }>;
  } | null;
  templates: TemplateStatus[];
  nodeKinds: { actionType: string; names: LocalisedText; description: LocalisedText | null }[];
  kpis: Pick<PluginKpi, "key" | "names" | "description" | "definitionKey" | "formula" | "frequency" | "target" | "unit" | "direction">[];
  pages: string[];
  jobs: { key: string; cron: string }[];
  data: PluginDataCounts;
  exportedAt: Date | null;
}

/** Field → { title, options } in both languages, from the localised settings schema. */
function settingsLabels(plugin: LoadedPlugin): NonNullable<PluginDetail["settings"]>["labels"] {
  const version = { schema: plugin.server!.settings!.schema, uiSchema: plugin.server!.settings!.uiSchema, translations: pluginTexts(plugin.id) };
  const ar = localiseSchema(version, "ar").schema.properties as Record<string, Record<string, unknown>>;
  const en = localiseSchema(version, "en").schema.properties as Record<string, Record<string, unknown>>;
  return Object.fromEntries(
    Object.keys(ar).map((key) => {
      const options = (ar[key]!.oneOf as { const: string; title: string }[] | undefined) ?? [];
      const enOptions = (en[key]!.oneOf as { const: string; title: string }[] | undefined) ?? [];
      return [
        key,
        {
          title: { ar: String(ar[key]!.title ?? key), en: String(en[key]!.title ?? key) },
          options: Object.fromEntries(options.map((o, i) => [o.const, { ar: o.title, en: enOptions[i]?.title ?? o.title }])),
        },
      ];
    }),
  );
}

export async function pluginDetail(trx: Tx, orgId: string, pluginId: string): Promise<PluginDetail | undefined> {
  const plugin = pluginRegistry().plugins.find((p) => p.id === pluginId && p.error?.code !== "duplicate_id");
  if (!plugin) return undefined;
  const rows = new Map((await listPluginOrgRows(trx, orgId)).map((r) => [r.pluginId, r]));
  const row = rows.get(pluginId);
  const templates = plugin.status === "active" ? await templateStatuses(trx, orgId, pluginId) : [];
  const base = card(plugin, rows, row?.enabled ? templates.filter((s) => s.upgradeAvailable || !s.installed).length : 0);
  const server = plugin.status === "active" ? plugin.server : null;
  let settings: PluginDetail["settings"] = null;
  if (server?.settings) {
    const current = await currentSettings(trx, orgId, pluginId);
    const history = await listSettingsVersions(trx, orgId, pluginId, 20);
    settings = {
      version: current.version,
      values: current.values,
      form: { id: `plugin-settings:${pluginId}@${plugin.version}`, schema: server.settings.schema, uiSchema: server.settings.uiSchema ?? {}, translations: pluginTexts(pluginId) },
      history: history.map((h) => ({ version: h.version, values: h.values, pluginVersion: h.pluginVersion, createdAt: h.createdAt, createdByName: h.createdByName })),
      labels: settingsLabels(plugin),
    };
  }
  return {
    ...base,
    installed: Boolean(row),
    settings,
    templates,
    nodeKinds: (server?.nodeKinds ?? []).map((k) => ({ actionType: `${pluginId}.${k.kind}`, names: k.names, description: k.description ?? null })),
    kpis: (server?.kpis ?? []).map(({ key, names, description, definitionKey, formula, frequency, target, unit, direction }) => ({ key, names, description, definitionKey, formula, frequency, target, unit, direction })),
    pages: plugin.routes,
    jobs: (server?.jobs ?? []).map((j) => ({ key: j.key, cron: j.cron })),
    data: await pluginDataCounts(trx, orgId, pluginId),
    exportedAt: row?.exportedAt ?? null,
  };
}
