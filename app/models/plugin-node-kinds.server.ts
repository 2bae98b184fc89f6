import type { LocalisedText, PluginNodeKind } from "~plugins/contract";
import type { DefinitionGraph } from "~/engine/definition";
import type { Tx } from "~/utils/db.server";
import { pluginRegistry, pluginTexts, type LoadedPlugin } from "~/utils/plugins.server";
import { ActionRefusal, registeredActionTypes, registerActionExecutor, unregisterActionExecutor, type ActionExecutor } from "./action-executors.server";
import { CaseServiceError } from "./case-errors";
import { enabledPluginIds, settingsForCase } from "./plugin-orgs.server";

// Plugin node kinds: what the designer's palette offers an organisation, and how the engine
// runs them. A node kind is declared in the plugin contract (PluginServer.nodeKinds); the
// loader registers one executor per kind here, wrapped so that it
//   - refuses to run in an organisation that has not enabled the plugin (the token becomes
//     an incident whose detail says so in Arabic and English; enabling it and retrying helps),
//   - validates the node's config against the kind's configSchema,
//   - passes the settings of the version the case started under.
// The engine itself (case-runner.server.ts) only knows action types and executors.

export interface ActionKindInfo {
  /** "<pluginId>.<kind>", the value of an action node's actionType. */
  actionType: string;
  pluginId: string;
  name: { ar: string; en: string };
  description?: { ar: string; en: string };
  /** JSON Schema of the node's config; titles are "t:<key>" resolved by configTranslations. */
  configSchema: Record<string, unknown>;
  /** The plugin's texts (flat keys), for localiseSchema / the form renderer. */
  configTranslations: { ar: Record<string, string>; en: Record<string, string> };
  /** The plugin's name, for the palette's grouping and the canvas label. */
  pluginName: LocalisedText;
}

function kindsOf(plugin: LoadedPlugin): PluginNodeKind[] {
  return plugin.status === "active" ? (plugin.server?.nodeKinds ?? []) : [];
}

/** The node kinds of the plugins this organisation has enabled (active at boot and enabled there). */
export async function listActionKinds(trx: Tx, orgId: string): Promise<ActionKindInfo[]> {
  const enabled = await enabledPluginIds(trx, orgId);
  return pluginRegistry().plugins.flatMap((plugin) =>
    enabled.has(plugin.id)
      ? kindsOf(plugin).map((kind) => ({
          actionType: `${plugin.id}.${kind.kind}`,
          pluginId: plugin.id,
          name: kind.names,
          ...(kind.description ? { description: kind.description } : {}),
          configSchema: kind.configSchema,
          configTranslations: pluginTexts(plugin.id),
          pluginName: plugin.names ?? { ar: plugin.id, en: plugin.id },
        }))
      : [],
  );
}

/** The plugin an action type belongs to, when a loaded plugin (active or not) has that id. */
export function pluginOfActionType(actionType: string): LoadedPlugin | undefined {
  const id = actionType.split(".")[0];
  return pluginRegistry().plugins.find((p) => p.id === id);
}

function names(plugin: LoadedPlugin): LocalisedText {
  return plugin.names ?? { ar: plugin.id, en: plugin.id };
}

/** The incident detail when a token reaches a node kind whose plugin is off: both languages, one line each. */
export function disabledPluginDetail(plugin: LoadedPlugin, actionType: string): string {
  const n = names(plugin);
  return [
    `الإضافة «${n.ar}» غير مفعّلة في هذه الجهة، فلا تعمل الخطوة ${actionType}. فعّلها من صفحة الإضافات ثم أعد المحاولة.`,
    `The plugin "${n.en}" is not enabled in this organisation, so the step ${actionType} cannot run. Enable it on the Plugins page, then retry.`,
  ].join("\n");
}

/**
 * Refused start: the definition uses node kinds of plugins that this organisation has not
 * enabled (or that are disabled on the platform). Pages word it from `plugins`.
 */
export class PluginDisabledError extends CaseServiceError {
  constructor(readonly plugins: { id: string; names: LocalisedText; actionTypes: string[] }[]) {
    super(409, "plugin_disabled", `the workflow uses steps of plugins that are not enabled: ${plugins.map((p) => p.id).join(", ")}`);
  }

  override toJSON() {
    return { code: this.code, plugins: this.plugins.map((p) => ({ id: p.id, actionTypes: p.actionTypes })) };
  }
}

/**
 * Throws PluginDisabledError when the graph has action nodes of a known plugin that is not
 * usable in the organisation. Action types of no known plugin are left to the runtime (an
 * incident "no executor", as before plugins had node kinds).
 */
export async function assertPluginNodeKindsEnabled(trx: Tx, orgId: string, graph: Pick<DefinitionGraph, "nodes">): Promise<void> {
  const actionTypes = [...new Set(graph.nodes.flatMap((n) => (n.kind === "action" ? [n.actionType] : [])))];
  if (actionTypes.length === 0) return;
  const enabled = await enabledPluginIds(trx, orgId);
  const off = new Map<string, { id: string; names: LocalisedText; actionTypes: string[] }>();
  for (const type of actionTypes) {
    const plugin = pluginOfActionType(type);
    if (!plugin || enabled.has(plugin.id)) continue;
    const entry = off.get(plugin.id) ?? { id: plugin.id, names: names(plugin), actionTypes: [] };
    entry.actionTypes.push(type);
    off.set(plugin.id, entry);
  }
  if (off.size) throw new PluginDisabledError([...off.values()]);
}

/** The executor the loader registers for a node kind. */
export function nodeKindExecutor(plugin: LoadedPlugin, kind: PluginNodeKind, validateConfig: (config: unknown) => string | null): ActionExecutor {
  return async (input) => {
    const enabled = await enabledPluginIds(input.trx, input.orgId);
    if (!enabled.has(plugin.id)) throw new ActionRefusal("plugin_disabled", disabledPluginDetail(plugin, input.actionType));
    const problem = validateConfig(input.config);
    if (problem) throw new Error(`the configuration of step ${input.nodeId} is not valid for ${input.actionType}: ${problem}`);
    const settings = await settingsForCase(input.trx, input.orgId, input.caseId, plugin.id);
    return kind.execute({ ...input, settings: settings.values, settingsVersion: settings.version });
  };
}

let registered: string[] = [];

/** Replaces the executors registered from plugins (called by the loader after every load). */
export function registerNodeKindExecutors(entries: { actionType: string; executor: ActionExecutor }[]): void {
  for (const type of registered) unregisterActionExecutor(type);
  registered = [];
  for (const { actionType, executor } of entries) {
    registerActionExecutor(actionType, executor);
    registered.push(actionType);
  }
}

/** The refusal in the reader's language (t of any namespace: the key is namespaced). */
export function pluginDisabledMessage(error: PluginDisabledError, t: (key: string, options?: Record<string, unknown>) => string, locale: string): string {
  const names = error.plugins.map((p) => `«${locale === "en" ? p.names.en : p.names.ar}»`).join(locale === "en" ? ", " : "، ");
  return t("plugins:engine.startRefused", { names });
}

/**
 * Action types a definition may use in this organisation (publishing checks it): the node
 * kinds of its enabled plugins, plus executors registered outside any plugin (engine tests).
 */
export async function usableActionTypes(trx: Tx, orgId: string): Promise<Set<string>> {
  const kinds = new Set((await listActionKinds(trx, orgId)).map((k) => k.actionType));
  for (const type of registeredActionTypes()) if (!pluginOfActionType(type)) kinds.add(type);
  return kinds;
}
