import type { Migration } from "kysely";
import type { ConditionFieldKind, RuleJson } from "~/utils/permissions.server";

// The plugin contract (first cut). A plugin is a folder plugins/<id>/ with:
//   manifest.ts       default export: PluginManifest (pure data, cheap to import)
//   plugin.server.ts  default export: PluginServer (migrations, permissions, nav)
//   locales/{ar,en}.json  its i18next namespace (named after the id), wired in plugins/translations.ts
// and one line in plugins/registry.ts. See docs/plugins.md.

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

export interface PluginServer {
  /**
   * Run by the loader in one transaction, tracked in plugin_<id>_migrations. Tables must be
   * named <id_with_underscores>_*; tables with an org_id column must have RLS enabled and forced.
   */
  migrations: Record<string, Migration>;
  permissions: PluginPermissions;
  nav?: PluginNavItem[];
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
