import { Migrator, sql, type Kysely } from "kysely";
import { data } from "react-router";
import {
  migrationTableName,
  tablePrefix,
  type BuiltinRoleKey,
  type LocalisedText,
  type PluginManifest,
  type PluginNavItem,
  type PluginRegistryEntry,
  type PluginServer,
  type PluginSubject,
  type PluginTranslations,
} from "~plugins/contract";
import { PLUGIN_REGISTRY } from "~plugins/registry";
import { pluginTranslations } from "~plugins/translations";
import { checkContributions, flattenTexts, settingsDefaults } from "~plugins/contributions.server";
import { checkTranslations, orderByDependencies, parseManifest, parseServer, PluginLoadError, type PluginErrorCode } from "~plugins/validate.server";
import { nodeKindExecutor, registerNodeKindExecutors } from "~/models/plugin-node-kinds.server";
import type { DB } from "./db-types";
import { log } from "./log.server";
import { tablesWithoutRls } from "./migrate.server";
import { registerNavItems } from "./navigation.server";
import { registerSubjects, type RuleJson } from "./permissions.server";
import { addGrantsToBuiltinRoles, mergeGrants, missingGrants, type GrantsByRole } from "./plugin-grants.server";

export interface PluginError {
  code: PluginErrorCode;
  /** Technical detail for administrators (English, as thrown). */
  detail: string;
}

export interface LoadedPlugin {
  id: string;
  status: "active" | "disabled";
  /** Null when the manifest could not be read. */
  version: string | null;
  names: LocalisedText | null;
  description: LocalisedText | null;
  /** The version whose migrations last succeeded (after a failed upgrade: the old one). */
  installedVersion: string | null;
  /** Set when this boot moved the plugin from an older version. */
  upgradedFrom: string | null;
  /** Paths under /app/:org/ the plugin owns (its routes and nav paths). */
  routes: string[];
  /** The validated server part (active plugins only): settings, templates, node kinds, KPIs, jobs, seed. */
  server: PluginServer | null;
  dependsOn: string[];
  error: PluginError | null;
  subjects: PluginSubject[];
  defaultGrants: Partial<Record<BuiltinRoleKey, RuleJson[]>>;
  nav: PluginNavItem[];
  /** Migrations applied during this boot. */
  migrationsApplied: string[];
}

export interface PluginRegistry {
  plugins: LoadedPlugin[];
}

// Kept on globalThis so a dev-server module reload does not forget what the boot loaded.
const HOLDER = Symbol.for("masar.pluginRegistry");
type Holder = { [HOLDER]?: PluginRegistry };

/** What the boot loaded; empty before loadPlugins has run. */
export function pluginRegistry(): PluginRegistry {
  return (globalThis as Holder)[HOLDER] ?? { plugins: [] };
}

export function isPluginActive(id: string): boolean {
  return pluginRegistry().plugins.some((p) => p.id === id && p.status === "active");
}

/** Routes of a plugin start with this: a disabled (or unknown) plugin's pages do not exist. */
export function requireActivePlugin(id: string): void {
  if (!isPluginActive(id)) throw data({ code: "not_found" }, { status: 404 });
}

/** CASL subjects contributed by active plugins (for the roles editor and validation). */
export function pluginSubjects(): (PluginSubject & { pluginId: string })[] {
  return pluginRegistry().plugins.flatMap((p) => (p.status === "active" ? p.subjects.map((s) => ({ ...s, pluginId: p.id })) : []));
}

/** Active plugins' default grants by built-in role key: pass to insertBuiltinRoles for a new organisation. */
export function pluginDefaultGrants(): Record<string, RuleJson[]> {
  const out: Record<string, RuleJson[]> = {};
  for (const plugin of pluginRegistry().plugins) {
    if (plugin.status !== "active") continue;
    for (const [role, rules] of Object.entries(plugin.defaultGrants)) out[role] = [...(out[role] ?? []), ...(rules ?? [])];
  }
  return out;
}

function registeredTranslations(id: string): PluginTranslations | undefined {
  const ar = pluginTranslations.ar[id];
  const en = pluginTranslations.en[id];
  return ar && en ? { ar, en } : undefined;
}

function blank(id: string): LoadedPlugin {
  return {
    id, status: "disabled", version: null, names: null, description: null, installedVersion: null, upgradedFrom: null, routes: [], server: null,
    dependsOn: [], error: null, subjects: [], defaultGrants: {}, nav: [], migrationsApplied: [],
  };
}

/** The plugin's texts as flat "a.b" → text maps (settings labels, node kind config titles). */
export function pluginTexts(id: string): { ar: Record<string, string>; en: Record<string, string> } {
  const translations = loadedTranslations.get(id) ?? registeredTranslations(id);
  return translations ? flattenTexts(translations) : { ar: {}, en: {} };
}

/** Settings made of the schema's defaults ({} when the plugin has no settings). */
export function pluginSettingsDefaults(plugin: LoadedPlugin): Record<string, unknown> {
  return plugin.server?.settings ? settingsDefaults(plugin.server.settings.schema) : {};
}

/** The active plugin that owns a path under /app/:org/ ("notices/archive" → notices), if any. */
export function pluginOwningPath(path: string): LoadedPlugin | undefined {
  const clean = path.replace(/^\/+|\/+$/g, "");
  return pluginRegistry().plugins.find((p) => p.status === "active" && p.routes.some((r) => clean === r || clean.startsWith(`${r}/`)));
}

// Fixture registries pass their own translations; keep them for pluginTexts.
const loadedTranslations = new Map<string, PluginTranslations>();

function errorOf(error: unknown, fallback: PluginErrorCode): PluginError {
  if (error instanceof PluginLoadError) return { code: error.code, detail: error.message };
  const detail = error instanceof Error ? error.message : String(error);
  return { code: fallback, detail: detail.slice(0, 2000) || "unknown error" };
}

/**
 * Loads, validates and migrates every plugin at boot (as the database owner). A plugin
 * that throws, fails validation or fails a migration is disabled with its error; this
 * function itself never throws, so a broken plugin cannot keep the platform from starting.
 * The caller runs ensureAppRole afterwards so the app role is granted the new tables.
 */
export async function loadPlugins(owner: Kysely<unknown>, registry: readonly PluginRegistryEntry[] = PLUGIN_REGISTRY): Promise<PluginRegistry> {
  const results: LoadedPlugin[] = [];
  const byId = new Map<string, { entry: PluginRegistryEntry; manifest: PluginManifest; result: LoadedPlugin }>();
  const disable = (result: LoadedPlugin, error: PluginError) => {
    result.status = "disabled";
    result.error = error;
  };

  for (const entry of registry) {
    const result = blank(entry.id);
    results.push(result);
    if (results.filter((r) => r.id === entry.id).length > 1) {
      disable(result, { code: "duplicate_id", detail: `another plugin is already registered as "${entry.id}"` });
      continue;
    }
    try {
      const mod = await entry.manifest().catch((error: unknown) => {
        throw new PluginLoadError("import_failed", `manifest: ${error instanceof Error ? error.message : String(error)}`);
      });
      const manifest = parseManifest(mod?.default, entry.id);
      Object.assign(result, { version: manifest.version, names: manifest.names, description: manifest.description ?? null, dependsOn: manifest.dependsOn });
      byId.set(entry.id, { entry, manifest, result });
    } catch (error) {
      disable(result, errorOf(error, "invalid_manifest"));
    }
  }

  const { ordered, cyclic } = orderByDependencies([...byId.values()].map(({ manifest }) => manifest));
  for (const id of cyclic) disable(byId.get(id)!.result, { code: "dependency_cycle", detail: `${id} is part of, or depends on, a dependency cycle` });

  const takenSubjects = new Map<string, string>();
  const executors: { actionType: string; executor: ReturnType<typeof nodeKindExecutor> }[] = [];
  loadedTranslations.clear();
  for (const id of ordered) {
    const { entry, manifest, result } = byId.get(id)!;
    try {
      for (const dep of manifest.dependsOn) {
        const found = byId.get(dep)?.result ?? results.find((r) => r.id === dep);
        if (!found) throw new PluginLoadError("dependency_missing", `requires plugin "${dep}", which is not installed`);
        if (found.status !== "active") throw new PluginLoadError("dependency_disabled", `requires plugin "${dep}", which is disabled`);
      }
      const mod = await entry.server().catch((error: unknown) => {
        throw new PluginLoadError("import_failed", `plugin.server: ${error instanceof Error ? error.message : String(error)}`);
      });
      const server = parseServer(mod?.default, takenSubjects);
      const translations = entry.translations ?? registeredTranslations(id);
      checkTranslations(translations, server);
      const dependencyKinds = manifest.dependsOn.flatMap((dep) => (byId.get(dep)?.result.server?.nodeKinds ?? []).map((k) => `${dep}.${k.kind}`));
      const checked = checkContributions(manifest, server, translations!, dependencyKinds);
      const installed = await installPlugin(owner, manifest, server);
      result.migrationsApplied = installed.applied;
      Object.assign(result, {
        status: "active",
        subjects: server.permissions.subjects,
        defaultGrants: server.permissions.defaultGrants,
        nav: server.nav ?? [],
        routes: checked.routes,
        server,
        installedVersion: manifest.version,
        upgradedFrom: installed.previousVersion && installed.previousVersion !== manifest.version ? installed.previousVersion : null,
      });
      loadedTranslations.set(id, translations!);
      for (const kind of server.nodeKinds ?? []) {
        executors.push({ actionType: `${id}.${kind.kind}`, executor: nodeKindExecutor(result, kind, checked.configValidators.get(kind.kind)!) });
      }
      for (const subject of server.permissions.subjects) takenSubjects.set(subject.name, id);
      log.info("plugin active", { plugin: id, version: manifest.version, migrations: result.migrationsApplied });
    } catch (error) {
      disable(result, errorOf(error, "load_failed"));
    }
  }

  for (const result of results) {
    if (result.status === "disabled") {
      log.error("plugin disabled", { plugin: result.id, code: result.error?.code, detail: result.error?.detail });
      // A duplicate registry line must not overwrite the state of the plugin it duplicates.
      if (result.error?.code !== "duplicate_id") result.installedVersion = await recordDisabled(owner, result);
    }
  }

  const loaded: PluginRegistry = { plugins: results };
  (globalThis as Holder)[HOLDER] = loaded;
  try {
    registerSubjects(pluginSubjects().map(({ name, fields }) => ({ name, fields })));
  } catch (error) {
    // parseServer already refused anything registerSubjects would; this is belt and braces.
    log.error("plugin subjects not registered", { error: error instanceof Error ? error.message : String(error) });
  }
  registerNavItems(
    results.flatMap((p) =>
      p.status === "active"
        ? p.nav.map((item) => ({ key: `${p.id}:${item.key}`, label: item.label, ns: p.id, path: item.path, section: item.section, can: item.can, pluginId: p.id }))
        : [],
    ),
  );
  registerNodeKindExecutors(executors);
  return loaded;
}

/** Records the plugin as disabled; returns the version whose migrations last succeeded (kept as it was). */
async function recordDisabled(owner: Kysely<unknown>, result: LoadedPlugin): Promise<string | null> {
  const db = owner as Kysely<DB>;
  const error = result.error ? `[${result.error.code}] ${result.error.detail}` : null;
  try {
    const row = await db
      .insertInto("plugin_state")
      .values({ plugin_id: result.id, version: result.version ?? "unknown", status: "disabled", error })
      .onConflict((oc) => oc.column("plugin_id").doUpdateSet({ version: result.version ?? "unknown", status: "disabled", error, updated_at: new Date() }))
      .returning("installed_version")
      .executeTakeFirst();
    return row?.installed_version ?? null;
  } catch (e) {
    log.error("plugin state not recorded", { plugin: result.id, error: e instanceof Error ? e.message : String(e) });
    return null;
  }
}

/**
 * One transaction on one connection: migrations (kysely's Migrator cannot join an
 * existing Transaction, so BEGIN/COMMIT are issued on a dedicated connection and the
 * Migrator runs with its own transactions disabled), table checks, default grants for
 * existing organisations and the plugin's state. Any failure rolls all of it back.
 */
async function installPlugin(owner: Kysely<unknown>, manifest: PluginManifest, server: PluginServer): Promise<{ applied: string[]; previousVersion: string | null }> {
  return owner.connection().execute(async (conn) => {
    await sql`BEGIN`.execute(conn);
    try {
      const applied = await installInTransaction(conn, manifest, server);
      await sql`COMMIT`.execute(conn);
      return applied;
    } catch (error) {
      await sql`ROLLBACK`.execute(conn).catch(() => undefined);
      // kysely's Postgres migration lock is a session-level advisory lock; a rollback does not
      // release it, and its own unlock cannot run in an aborted transaction. This connection
      // holds no other session locks, so release them all before it returns to the pool.
      await sql`SELECT pg_advisory_unlock_all()`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}

async function tableNames(db: Kysely<unknown>): Promise<string[]> {
  const rows = await sql<{ tablename: string }>`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`.execute(db);
  return rows.rows.map((r) => r.tablename);
}

async function installInTransaction(conn: Kysely<unknown>, manifest: PluginManifest, server: PluginServer): Promise<{ applied: string[]; previousVersion: string | null }> {
  // Platform scope: RLS is forced on roles and audit_log even for their owner.
  await sql`SELECT set_config('app.platform', 'on', true)`.execute(conn);
  // One plugin installs at a time across processes, so the table diff below sees only this plugin's work.
  await sql`SELECT pg_advisory_xact_lock(hashtextextended('masar:plugins', 0))`.execute(conn);

  const table = migrationTableName(manifest.id);
  const before = new Set(await tableNames(conn));
  // The Migrator reports a later error (its unlock in the aborted transaction) instead of
  // the migration's own; keep the first one.
  let failure: { name: string; error: unknown } | undefined;
  const tracked = Object.fromEntries(
    Object.entries(server.migrations).map(([name, migration]) => [
      name,
      {
        ...migration,
        up: async (db: Kysely<unknown>) => {
          try {
            await migration.up(db);
          } catch (error) {
            failure ??= { name, error };
            throw error;
          }
        },
      },
    ]),
  );
  const migrator = new Migrator({
    db: conn,
    provider: { getMigrations: async () => tracked },
    migrationTableName: table,
    migrationLockTableName: `${table}_lock`,
    disableTransactions: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error || failure) {
    const name = failure?.name ?? results?.find((r) => r.status === "Error")?.migrationName ?? "migrations";
    const cause = failure?.error ?? error;
    throw new PluginLoadError("migration_failed", `${name}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  const applied = (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);

  const prefix = tablePrefix(manifest.id);
  const stray = (await tableNames(conn)).filter((t) => !before.has(t) && t !== table && t !== `${table}_lock` && !t.startsWith(prefix));
  if (stray.length) throw new PluginLoadError("table_prefix", `tables must be named ${prefix}*: ${stray.join(", ")}`);
  // Every tenant table of the plugin, not only new ones: a later migration must not switch RLS off.
  const unprotected = (await tablesWithoutRls(conn)).filter((t) => t.startsWith(prefix));
  if (unprotected.length) throw new PluginLoadError("rls_missing", `row-level security must be enabled and forced on: ${unprotected.join(", ")}`);
  // Per-organisation data only: every plugin table carries org_id (export and uninstall work per organisation).
  const withoutOrg = (await tablesWithoutOrgId(conn)).filter((t) => t.startsWith(prefix));
  if (withoutOrg.length) throw new PluginLoadError("org_id_missing", `plugin tables must have an org_id column: ${withoutOrg.join(", ")}`);

  const db = conn as Kysely<DB>;
  const state = await db.selectFrom("plugin_state").select(["granted", "installed_version"]).where("plugin_id", "=", manifest.id).forUpdate().executeTakeFirst();
  const granted = (state?.granted ?? {}) as GrantsByRole;
  const missing = missingGrants(server.permissions.defaultGrants, granted);
  const changedRoles = await addGrantsToBuiltinRoles(db, manifest.id, missing);
  if (changedRoles) log.info("plugin grants added to existing roles", { plugin: manifest.id, roles: changedRoles });

  const values = { version: manifest.version, installed_version: manifest.version, status: "active" as const, error: null, granted: JSON.stringify(mergeGrants(granted, missing)) };
  await db
    .insertInto("plugin_state")
    .values({ plugin_id: manifest.id, ...values })
    .onConflict((oc) => oc.column("plugin_id").doUpdateSet({ ...values, updated_at: new Date() }))
    .execute();
  return { applied, previousVersion: state?.installed_version ?? null };
}

async function tablesWithoutOrgId(db: Kysely<unknown>): Promise<string[]> {
  const rows = await sql<{ tablename: string }>`
    SELECT t.tablename FROM pg_tables t
    WHERE t.schemaname = 'public'
      AND NOT EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = 'public' AND c.table_name = t.tablename AND c.column_name = 'org_id')`.execute(db);
  return rows.rows.map((r) => r.tablename);
}
