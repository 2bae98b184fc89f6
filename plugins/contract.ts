import type { Migration } from "kysely";
import type { CaseData } from "~/engine/runtime-types";
import type { Tx } from "~/utils/db.server";
import type { ConditionFieldKind, RuleJson } from "~/utils/permissions.server";

// The plugin contract. A plugin is a folder plugins/<id>/ with:
//   manifest.ts       default export: PluginManifest (pure data, cheap to import)
//   plugin.server.ts  default export: PluginServer (migrations, permissions, nav, routes,
//                     settings, templates, node kinds, KPIs, jobs, seed)
//   locales/{ar,en}.json  its i18next namespace (named after the id), wired in plugins/translations.ts
// and one line in plugins/registry.ts. Everything except migrations and permissions is
// optional. Organisations enable plugins one by one (plugin_orgs); see docs/plugins.md.

export interface LocalisedText {
  ar: string;
  en: string;
}

export interface PluginManifest {
  /** Lower-case, digits and hyphens; also the i18next namespace and (underscored) the table prefix. */
  id: string;
  /** Semantic version, e.g. "1.0.0". */
  version: string;
  names: LocalisedText;
  description?: LocalisedText;
  /** Ids of plugins that must be active before this one loads. */
  dependsOn: string[];
}

export interface PluginSubject {
  /** CASL subject type, PascalCase; unique across the core and all plugins. */
  name: string;
  /** Actions the plugin checks for this subject ("manage" is implied by CASL). */
  actions: string[];
  /**
   * Fields role rules may put conditions on (uuid columns), and whose id they hold: "user"
   * fields take "${user.id}", "unit" fields "${user.unitId}" (see permissions.server.ts).
   */
  fields?: Record<string, ConditionFieldKind>;
}

export type BuiltinRoleKey = "admin" | "manager" | "staff";

export interface PluginPermissions {
  subjects: PluginSubject[];
  /**
   * Rules added to the built-in roles: in every new organisation, and once (when the
   * plugin first activates, or a later version adds grants) in existing ones. Rules may
   * only name this plugin's own subjects.
   */
  defaultGrants: Partial<Record<BuiltinRoleKey, RuleJson[]>>;
}

export interface PluginNavItem {
  /** Unique within the plugin. */
  key: string;
  /** Translation key in the plugin's namespace. */
  label: string;
  /** Path under /app/:org/, e.g. "notices". */
  path: string;
  section: "main" | "admin";
  /** Shown only to members who can do this (cosmetic; the route checks again). */
  can?: [action: string, subject: string];
}

/** A JSON Schema (draft 2020-12) object, as plain data. */
export type JsonSchema = Record<string, unknown>;

/**
 * The organisation's policy values for this plugin. `schema` is an object schema whose every
 * property has a `default` (a newly enabled plugin starts from the defaults); titles,
 * descriptions and option titles are "t:<key>" references into the plugin's own namespace
 * (locales/{ar,en}.json), so the labels exist in Arabic and English. Rendered with the form
 * renderer, validated on the server with the forms' ajv, versioned per organisation.
 */
export interface PluginSettings {
  schema: JsonSchema;
  uiSchema?: Record<string, unknown>;
}

/** A form template: the stored form format (schema, uiSchema, translations), copied into an organisation as a draft. */
export interface PluginFormTemplate {
  /** Form key in the organisation (slug); a taken key gets a "-2", "-3"… suffix. */
  key: string;
  /** Raise it when the template changes: organisations are offered the new version. */
  version: number;
  names: LocalisedText;
  schema: JsonSchema;
  uiSchema?: Record<string, unknown>;
  translations: { ar: Record<string, string>; en: Record<string, string> };
}

/** A workflow template: a definition graph (app/engine/definition.ts), copied into an organisation as a draft. */
export interface PluginWorkflowTemplate {
  key: string;
  version: number;
  names: LocalisedText;
  description?: LocalisedText;
  /** A DefinitionGraph whose `key` equals the template key; task forms name the plugin's form templates by key. */
  graph: Record<string, unknown>;
}

/** What a node kind's execute gets: the engine's action input plus the organisation's settings. */
export interface NodeKindInput {
  /** The case's transaction, inside a savepoint: a throw rolls back only this node's writes. */
  trx: Tx;
  orgId: string;
  caseId: string;
  nodeId: string;
  tokenId: string;
  actionType: string;
  /** The node's configuration, valid against the node kind's configSchema. */
  config: Record<string, unknown>;
  /** A copy of the case data. */
  data: CaseData;
  now: Date;
  /** The settings version the case runs under (recorded when it started), and its values. */
  settings: Record<string, unknown>;
  settingsVersion: number;
}

/**
 * A workflow node kind ("<pluginId>.<kind>"), placed as an `action` node. execute returns
 * data to merge into the case (or nothing); a throw becomes an incident that can be retried.
 */
export interface PluginNodeKind {
  /** camelCase, unique within the plugin; the action type is "<pluginId>.<kind>". */
  kind: string;
  names: LocalisedText;
  description?: LocalisedText;
  /** JSON Schema of the node's `config` (an object); checked at boot and when the node runs. */
  configSchema: JsonSchema;
  execute(input: NodeKindInput): Promise<CaseData | void> | CaseData | void;
}

export const KPI_FREQUENCIES = ["daily", "weekly", "monthly", "quarterly", "half-yearly", "yearly"] as const;
export const KPI_UNITS = ["count", "percent", "minutes", "hours", "days"] as const;

/**
 * A key performance indicator (DOMAIN.md §1: name, formula, measurement frequency, target,
 * unit). Defined, validated and listed; computing it is a later issue. `formula` is a FEEL
 * expression evaluated once per period over `cases`: the cases of `definitionKey` started in
 * the period, each `{ status, data, startedAt, completedAt }`.
 */
export interface PluginKpi {
  key: string;
  names: LocalisedText;
  description?: LocalisedText;
  /** Key of one of this plugin's workflow templates. */
  definitionKey: string;
  formula: string;
  frequency: (typeof KPI_FREQUENCIES)[number];
  target: number;
  unit: (typeof KPI_UNITS)[number];
  /** Whether meeting the target means being at least or at most `target`. */
  direction: "atLeast" | "atMost";
}

/** What a job run and the seed get for one organisation. */
export interface PluginOrgInput {
  trx: Tx;
  orgId: string;
  settings: Record<string, unknown>;
  settingsVersion: number;
  now: Date;
}

/**
 * A background job (pg-boss cron). It runs once per schedule tick for each organisation that
 * has the plugin enabled, in that organisation's tenant transaction; a disabled plugin's jobs
 * do not run.
 */
export interface PluginJob {
  /** kebab-case, unique within the plugin. */
  key: string;
  /** Five-field cron, e.g. "15 2 * * *" (02:15 daily, UTC). */
  cron: string;
  run(input: PluginOrgInput): Promise<void>;
}

/** Demo data for one organisation (seeds/demo.ts), run after the plugin is enabled there. */
export type PluginSeed = (input: PluginOrgInput & { adminUserId: string; orgSlug: string }) => Promise<void>;

export interface PluginServer {
  /**
   * Run by the loader in one transaction, tracked in plugin_<id>_migrations. Tables must be
   * named <id_with_underscores>_*, carry org_id and have RLS enabled and forced.
   */
  migrations: Record<string, Migration>;
  permissions: PluginPermissions;
  nav?: PluginNavItem[];
  /**
   * Paths under /app/:org/ that belong to the plugin ("notices" covers notices/…). When the
   * organisation has not enabled the plugin they answer 404 (requireOrgMember checks).
   */
  routes?: string[];
  settings?: PluginSettings;
  forms?: PluginFormTemplate[];
  workflows?: PluginWorkflowTemplate[];
  nodeKinds?: PluginNodeKind[];
  kpis?: PluginKpi[];
  jobs?: PluginJob[];
  seed?: PluginSeed;
}

export interface PluginTranslations {
  ar: Record<string, unknown>;
  en: Record<string, unknown>;
}

/**
 * One line of plugins/registry.ts. The importers are literal dynamic imports so Vite
 * bundles each plugin, and a module that throws while loading is caught by the loader.
 */
export interface PluginRegistryEntry {
  id: string;
  manifest: () => Promise<{ default: unknown }>;
  server: () => Promise<{ default: unknown }>;
  /** Defaults to plugins/translations.ts under the id; fixtures pass their own. */
  translations?: PluginTranslations;
}

/** Table-name prefix for a plugin id: "beneficiary-relations" → "beneficiary_relations_". */
export function tablePrefix(id: string): string {
  return `${id.replace(/-/g, "_")}_`;
}

export function migrationTableName(id: string): string {
  return `plugin_${id.replace(/-/g, "_")}_migrations`;
}

/** Identity helpers that only give plugin authors type checking. */
export function defineManifest(manifest: PluginManifest): PluginManifest {
  return manifest;
}

export function definePluginServer(server: PluginServer): PluginServer {
  return server;
}
