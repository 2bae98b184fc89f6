import { data } from "react-router";
import { recordAudit } from "./audit.server";
import { validateSubmission, type ValidationError } from "~/forms/validate.server";
import type { AuditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant, type TenantScope, type Tx } from "~/utils/db.server";
import { pluginOwningPath, pluginRegistry, pluginSettingsDefaults, pluginTexts, type LoadedPlugin } from "~/utils/plugins.server";

// A plugin per organisation: enabled or not, and its settings as numbered versions. Every
// change is audit-logged in the organisation's chain with before/after. A plugin an
// organisation has not enabled is invisible there: no navigation entry, its routes answer
// 404, its node kinds are not offered and do not run, its jobs skip the organisation.
// Its data stays (disable is not uninstall; see plugin-data.server.ts).

export interface PluginOrgRow {
  pluginId: string;
  enabled: boolean;
  settingsVersion: number;
  rowVersion: number;
  changedAt: Date;
  exportedAt: Date | null;
  exportFingerprint: string | null;
}

export async function listPluginOrgRows(trx: Tx, orgId: string): Promise<PluginOrgRow[]> {
  const rows = await trx.selectFrom("plugin_orgs").selectAll().where("org_id", "=", orgId).orderBy("plugin_id").execute();
  return rows.map((r) => ({
    pluginId: r.plugin_id,
    enabled: r.enabled,
    settingsVersion: r.settings_version,
    rowVersion: r.row_version,
    changedAt: r.changed_at,
    exportedAt: r.exported_at,
    exportFingerprint: r.export_fingerprint,
  }));
}

export async function getPluginOrgRow(trx: Tx, orgId: string, pluginId: string, options: { forUpdate?: boolean } = {}): Promise<PluginOrgRow | undefined> {
  const rows = await trx
    .selectFrom("plugin_orgs")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("plugin_id", "=", pluginId)
    .$if(Boolean(options.forUpdate), (qb) => qb.forUpdate())
    .execute();
  const r = rows[0];
  return r
    ? { pluginId: r.plugin_id, enabled: r.enabled, settingsVersion: r.settings_version, rowVersion: r.row_version, changedAt: r.changed_at, exportedAt: r.exported_at, exportFingerprint: r.export_fingerprint }
    : undefined;
}

/** Ids of the plugins usable in this organisation: active at boot AND enabled by the organisation. */
export async function enabledPluginIds(trx: Tx, orgId: string): Promise<Set<string>> {
  const rows = await trx.selectFrom("plugin_orgs").select("plugin_id").where("org_id", "=", orgId).where("enabled", "=", true).execute();
  const active = new Set(pluginRegistry().plugins.filter((p) => p.status === "active").map((p) => p.id));
  return new Set(rows.map((r) => r.plugin_id).filter((id) => active.has(id)));
}

export async function isPluginEnabledFor(trx: Tx, orgId: string, pluginId: string): Promise<boolean> {
  return (await enabledPluginIds(trx, orgId)).has(pluginId);
}

export interface SettingsVersion {
  version: number;
  values: Record<string, unknown>;
  pluginVersion: string;
  createdAt: Date;
  createdBy: string | null;
  createdByName: string | null;
}

/** A given settings version, or the organisation's current one (version omitted). */
export async function getSettingsVersion(trx: Tx, orgId: string, pluginId: string, version?: number): Promise<SettingsVersion | undefined> {
  const row = await trx
    .selectFrom("plugin_settings_versions as s")
    .leftJoin("users as u", "u.id", "s.created_by")
    .select(["s.version", "s.values", "s.plugin_version", "s.created_at", "s.created_by", "u.name"])
    .where("s.org_id", "=", orgId)
    .where("s.plugin_id", "=", pluginId)
    .$if(version !== undefined, (qb) => qb.where("s.version", "=", version!))
    .$if(version === undefined, (qb) =>
      qb.where("s.version", "=", (eb) => eb.selectFrom("plugin_orgs").select("settings_version").where("org_id", "=", orgId).where("plugin_id", "=", pluginId)),
    )
    .executeTakeFirst();
  return row
    ? { version: row.version, values: row.values, pluginVersion: row.plugin_version, createdAt: row.created_at, createdBy: row.created_by, createdByName: row.name }
    : undefined;
}

/** Newest first. */
export async function listSettingsVersions(trx: Tx, orgId: string, pluginId: string, limit = 50): Promise<SettingsVersion[]> {
  const rows = await trx
    .selectFrom("plugin_settings_versions as s")
    .leftJoin("users as u", "u.id", "s.created_by")
    .select(["s.version", "s.values", "s.plugin_version", "s.created_at", "s.created_by", "u.name"])
    .where("s.org_id", "=", orgId)
    .where("s.plugin_id", "=", pluginId)
    .orderBy("s.version", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ version: r.version, values: r.values, pluginVersion: r.plugin_version, createdAt: r.created_at, createdBy: r.created_by, createdByName: r.name }));
}

function activePlugin(pluginId: string): LoadedPlugin | undefined {
  return pluginRegistry().plugins.find((p) => p.id === pluginId && p.status === "active");
}

export type EnableResult =
  | { ok: true; changed: boolean; settingsVersion: number }
  | { ok: false; reason: "unknown_plugin" }
  | { ok: false; reason: "dependency_not_enabled"; pluginIds: string[] }
  | { ok: false; reason: "required_by"; pluginIds: string[] };

/**
 * Enables or disables a plugin for the organisation. Enabling needs its dependencies enabled
 * there first; disabling is refused while an enabled plugin depends on it. The first enable
 * records settings version 1 from the schema's defaults.
 */
export async function setPluginEnabled(trx: Tx, actor: AuditActor, pluginId: string, enabled: boolean): Promise<EnableResult> {
  const plugin = activePlugin(pluginId);
  if (!plugin) return { ok: false, reason: "unknown_plugin" };
  const orgId = actor.orgId;
  // Serialises enable/disable/settings changes of this organisation's plugins.
  await trx.selectFrom("organisations").select("id").where("id", "=", orgId).forUpdate().executeTakeFirst();
  const on = await enabledPluginIds(trx, orgId);
  if (enabled) {
    const missing = plugin.dependsOn.filter((dep) => !on.has(dep));
    if (missing.length) return { ok: false, reason: "dependency_not_enabled", pluginIds: missing };
  } else {
    const dependents = pluginRegistry()
      .plugins.filter((p) => p.status === "active" && on.has(p.id) && p.dependsOn.includes(pluginId))
      .map((p) => p.id);
    if (dependents.length) return { ok: false, reason: "required_by", pluginIds: dependents };
  }
  const before = await getPluginOrgRow(trx, orgId, pluginId, { forUpdate: true });
  if (before && before.enabled === enabled) return { ok: true, changed: false, settingsVersion: before.settingsVersion };
  if (!before) {
    await trx.insertInto("plugin_orgs").values({ org_id: orgId, plugin_id: pluginId, enabled, changed_by: actor.actorUserId }).execute();
  } else {
    await trx
      .updateTable("plugin_orgs")
      .set((eb) => ({ enabled, changed_by: actor.actorUserId, changed_at: new Date(), row_version: eb("row_version", "+", 1) }))
      .where("org_id", "=", orgId)
      .where("plugin_id", "=", pluginId)
      .execute();
  }
  await recordAudit(trx, {
    ...actor,
    action: enabled ? "plugin.enable" : "plugin.disable",
    subjectType: "Plugin",
    subjectId: pluginId,
    before: { enabled: before?.enabled ?? false },
    after: { enabled, version: plugin.version },
  });
  let settingsVersion = before?.settingsVersion ?? 0;
  if (enabled && settingsVersion === 0 && plugin.server?.settings) {
    settingsVersion = await writeSettingsVersion(trx, actor, plugin, pluginSettingsDefaults(plugin), null);
  }
  return { ok: true, changed: true, settingsVersion };
}

async function writeSettingsVersion(trx: Tx, actor: AuditActor, plugin: LoadedPlugin, values: Record<string, unknown>, previous: SettingsVersion | null): Promise<number> {
  const version = (previous?.version ?? 0) + 1;
  await trx
    .insertInto("plugin_settings_versions")
    .values({ org_id: actor.orgId, plugin_id: plugin.id, version, values: JSON.stringify(values), plugin_version: plugin.version ?? "unknown", created_by: actor.actorUserId })
    .execute();
  await trx
    .updateTable("plugin_orgs")
    .set((eb) => ({ settings_version: version, changed_by: actor.actorUserId, changed_at: new Date(), row_version: eb("row_version", "+", 1) }))
    .where("org_id", "=", actor.orgId)
    .where("plugin_id", "=", plugin.id)
    .execute();
  await recordAudit(trx, {
    ...actor,
    action: "plugin.settings",
    subjectType: "Plugin",
    subjectId: plugin.id,
    before: previous ? { version: previous.version, values: previous.values } : null,
    after: { version, values },
  });
  return version;
}

export type SaveSettingsResult =
  | { ok: true; version: number; changed: boolean }
  | { ok: false; reason: "not_enabled" | "no_settings" }
  | { ok: false; reason: "stale"; currentVersion: number }
  | { ok: false; reason: "invalid"; errors: ValidationError[] };

/**
 * Validates the values against the plugin's settings schema (defaults filled in, unknown keys
 * refused) and stores them as the next version, when the caller saw `expectedVersion`.
 * Unchanged values create no version. Running cases keep the version they started under.
 */
export async function savePluginSettings(
  trx: Tx,
  actor: AuditActor,
  pluginId: string,
  input: { values: unknown; expectedVersion: number; locale: "ar" | "en" },
): Promise<SaveSettingsResult> {
  const plugin = activePlugin(pluginId);
  if (!plugin?.server?.settings) return { ok: false, reason: "no_settings" };
  await trx.selectFrom("organisations").select("id").where("id", "=", actor.orgId).forUpdate().executeTakeFirst();
  const row = await getPluginOrgRow(trx, actor.orgId, pluginId, { forUpdate: true });
  if (!row?.enabled) return { ok: false, reason: "not_enabled" };
  if (row.settingsVersion !== input.expectedVersion) return { ok: false, reason: "stale", currentVersion: row.settingsVersion };
  const checked = await validateSubmission(settingsValidationVersion(plugin), input.values, input.locale);
  if (!checked.ok) return { ok: false, reason: "invalid", errors: checked.errors };
  const previous = (await getSettingsVersion(trx, actor.orgId, pluginId, row.settingsVersion)) ?? null;
  if (previous && JSON.stringify(sortKeys(previous.values)) === JSON.stringify(sortKeys(checked.value))) {
    return { ok: true, version: previous.version, changed: false };
  }
  const version = await writeSettingsVersion(trx, actor, plugin, checked.value, previous);
  return { ok: true, version, changed: true };
}

/** The settings schema as a form version for validateSubmission (cached per plugin version). */
export function settingsValidationVersion(plugin: LoadedPlugin) {
  return { id: `plugin-settings:${plugin.id}@${plugin.version}`, schema: plugin.server!.settings!.schema, translations: pluginTexts(plugin.id) };
}

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The settings a case runs under for a plugin: the version recorded on the case when it
 * started (cases.plugin_settings), or — for a case started before the organisation enabled
 * the plugin — the current version.
 */
export async function settingsForCase(trx: Tx, orgId: string, caseId: string, pluginId: string): Promise<{ version: number; values: Record<string, unknown> }> {
  const kase = await trx.selectFrom("cases").select("plugin_settings").where("org_id", "=", orgId).where("id", "=", caseId).executeTakeFirst();
  const recorded = kase?.plugin_settings?.[pluginId];
  const found = await getSettingsVersion(trx, orgId, pluginId, typeof recorded === "number" ? recorded : undefined);
  if (found) return { version: found.version, values: found.values };
  const plugin = activePlugin(pluginId);
  return { version: 0, values: plugin ? pluginSettingsDefaults(plugin) : {} };
}

/** The organisation's current settings values (defaults when none were ever saved). */
export async function currentSettings(trx: Tx, orgId: string, pluginId: string): Promise<{ version: number; values: Record<string, unknown> }> {
  const found = await getSettingsVersion(trx, orgId, pluginId);
  if (found) return { version: found.version, values: found.values };
  const plugin = activePlugin(pluginId);
  return { version: 0, values: plugin ? pluginSettingsDefaults(plugin) : {} };
}

/**
 * First line of a plugin's loaders and actions (after requireOrgMember): 404 unless the
 * plugin is active on the platform and enabled by this organisation.
 */
export async function requirePluginEnabled(ctx: { scope: TenantScope; org: { id: string } }, pluginId: string): Promise<void> {
  const on = await withTenant(appDb(), ctx.scope, (trx) => isPluginEnabledFor(trx, ctx.org.id, pluginId));
  if (!on) throw data({ code: "not_found" }, { status: 404 });
}

/**
 * Called by requireOrgMember for every /app/:org request: a path owned by a plugin (its
 * routes and nav paths) answers 404 in an organisation that has not enabled it, before the
 * plugin's own loader or action runs.
 */
export async function refuseDisabledPluginPath(ctx: { scope: TenantScope; org: { id: string; slug: string } }, request: Request): Promise<void> {
  const pathname = decodeURIComponent(new URL(request.url).pathname).replace(/\.data$/, "");
  const base = `/app/${ctx.org.slug}/`;
  if (!pathname.startsWith(base)) return;
  const plugin = pluginOwningPath(pathname.slice(base.length));
  if (plugin) await requirePluginEnabled(ctx, plugin.id);
}
