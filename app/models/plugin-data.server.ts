import crypto from "node:crypto";
import { sql } from "kysely";
import { tablePrefix } from "~plugins/contract";
import type { AuditActor } from "~/utils/audit-actor.server";
import type { Tx } from "~/utils/db.server";
import { canonicalJson } from "~/utils/hash-chain";
import { pluginRegistry } from "~/utils/plugins.server";
import { recordAudit } from "./audit.server";
import { getPluginOrgRow, listSettingsVersions } from "./plugin-orgs.server";

// A plugin's data in one organisation: every row of its tables (all carry org_id, RLS keeps
// the query inside the organisation) and its settings history. Export writes it as one JSON
// document and remembers a fingerprint of it; uninstall removes it for that organisation
// only, and is refused while data exists that has not been exported as it is now.
// Workflow and form definitions copied from its templates belong to the organisation and stay.

const MAX_ROWS_PER_TABLE = 100_000;

/** The plugin's tables, children before parents (the order rows can be deleted in). */
export async function pluginTables(trx: Tx, pluginId: string): Promise<string[]> {
  const prefix = tablePrefix(pluginId);
  const tables = await sql<{ name: string }>`
    SELECT c.table_name AS name FROM information_schema.columns c
    WHERE c.table_schema = 'public' AND c.column_name = 'org_id' AND starts_with(c.table_name, ${prefix})
    ORDER BY c.table_name`.execute(trx);
  const names = tables.rows.map((r) => r.name);
  const fks = await sql<{ child: string; parent: string }>`
    SELECT cl.relname AS child, pl.relname AS parent FROM pg_constraint k
    JOIN pg_class cl ON cl.oid = k.conrelid JOIN pg_class pl ON pl.oid = k.confrelid
    JOIN pg_namespace n ON n.oid = cl.relnamespace AND n.nspname = 'public'
    WHERE k.contype = 'f'`.execute(trx);
  const parentsOf = new Map<string, string[]>();
  for (const fk of fks.rows) if (names.includes(fk.child) && names.includes(fk.parent) && fk.child !== fk.parent) parentsOf.set(fk.child, [...(parentsOf.get(fk.child) ?? []), fk.parent]);
  // A table comes after every table that references it: children first.
  const ordered: string[] = [];
  const visit = (name: string, seen: Set<string>) => {
    if (ordered.includes(name) || seen.has(name)) return;
    seen.add(name);
    for (const [child, parents] of parentsOf) if (parents.includes(name)) visit(child, seen);
    ordered.push(name);
  };
  for (const name of names) visit(name, new Set());
  return ordered;
}

async function tableRows(trx: Tx, orgId: string, table: string): Promise<unknown[]> {
  const rows = await sql<{ row: unknown }>`SELECT to_jsonb(t) AS row FROM ${sql.table(table)} t WHERE t.org_id = ${orgId} LIMIT ${MAX_ROWS_PER_TABLE + 1}`.execute(trx);
  if (rows.rows.length > MAX_ROWS_PER_TABLE) throw new Error(`${table} has more than ${MAX_ROWS_PER_TABLE} rows for this organisation; export it with the database tools`);
  // Sorted, so the same data always gives the same document and fingerprint.
  return rows.rows.map((r) => r.row).sort((a, b) => canonicalJson(a).localeCompare(canonicalJson(b)));
}

export interface PluginDataCounts {
  tables: Record<string, number>;
  settingsVersions: number;
  total: number;
}

export async function pluginDataCounts(trx: Tx, orgId: string, pluginId: string): Promise<PluginDataCounts> {
  const tables: Record<string, number> = {};
  for (const table of await pluginTables(trx, pluginId)) {
    const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE org_id = ${orgId}`.execute(trx);
    tables[table] = r.rows[0]!.n;
  }
  const settings = await trx
    .selectFrom("plugin_settings_versions")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("org_id", "=", orgId)
    .where("plugin_id", "=", pluginId)
    .executeTakeFirstOrThrow();
  const total = Object.values(tables).reduce((a, b) => a + b, 0) + settings.n;
  return { tables, settingsVersions: settings.n, total };
}

async function snapshot(trx: Tx, orgId: string, pluginId: string) {
  const tables: Record<string, unknown[]> = {};
  for (const table of await pluginTables(trx, pluginId)) tables[table] = await tableRows(trx, orgId, table);
  const settingsVersions = (await listSettingsVersions(trx, orgId, pluginId, 10_000))
    .reverse()
    .map((v) => ({ version: v.version, values: v.values, pluginVersion: v.pluginVersion, createdAt: v.createdAt.toISOString(), createdBy: v.createdBy }));
  const fingerprint = crypto.createHash("sha256").update(canonicalJson({ tables, settingsVersions })).digest("hex");
  return { tables, settingsVersions, fingerprint };
}

export interface PluginExport {
  format: "masar-plugin-export";
  formatVersion: 1;
  plugin: { id: string; version: string | null };
  organisation: { id: string; slug: string };
  exportedAt: string;
  fingerprint: string;
  settingsVersions: unknown[];
  tables: Record<string, unknown[]>;
}

/** The organisation's data of the plugin as one JSON document; remembered (and audit-logged) so uninstall may proceed. */
export async function exportPluginData(trx: Tx, actor: AuditActor, org: { id: string; slug: string }, pluginId: string): Promise<PluginExport> {
  const plugin = pluginRegistry().plugins.find((p) => p.id === pluginId);
  const data = await snapshot(trx, org.id, pluginId);
  const now = new Date();
  await trx
    .updateTable("plugin_orgs")
    .set({ exported_at: now, export_fingerprint: data.fingerprint })
    .where("org_id", "=", org.id)
    .where("plugin_id", "=", pluginId)
    .execute();
  const counts = Object.fromEntries(Object.entries(data.tables).map(([t, rows]) => [t, rows.length]));
  await recordAudit(trx, { ...actor, action: "plugin.export", subjectType: "Plugin", subjectId: pluginId, after: { fingerprint: data.fingerprint, tables: counts, settingsVersions: data.settingsVersions.length } });
  return {
    format: "masar-plugin-export",
    formatVersion: 1,
    plugin: { id: pluginId, version: plugin?.version ?? null },
    organisation: { id: org.id, slug: org.slug },
    exportedAt: now.toISOString(),
    fingerprint: data.fingerprint,
    settingsVersions: data.settingsVersions,
    tables: data.tables,
  };
}

export type UninstallResult =
  | { ok: true; removed: PluginDataCounts }
  | { ok: false; reason: "not_installed" | "still_enabled" }
  | { ok: false; reason: "export_required"; counts: PluginDataCounts };

/**
 * Removes the plugin from the organisation: its rows in the plugin's tables, its settings
 * history and template records. The plugin must be disabled there first, and data that
 * exists must have been exported unchanged since (the export's fingerprint still matches).
 */
export async function uninstallPlugin(trx: Tx, actor: AuditActor, pluginId: string): Promise<UninstallResult> {
  await trx.selectFrom("organisations").select("id").where("id", "=", actor.orgId).forUpdate().executeTakeFirst();
  const row = await getPluginOrgRow(trx, actor.orgId, pluginId, { forUpdate: true });
  if (!row) return { ok: false, reason: "not_installed" };
  if (row.enabled) return { ok: false, reason: "still_enabled" };
  const counts = await pluginDataCounts(trx, actor.orgId, pluginId);
  if (counts.total > 0) {
    const now = await snapshot(trx, actor.orgId, pluginId);
    if (!row.exportFingerprint || row.exportFingerprint !== now.fingerprint) return { ok: false, reason: "export_required", counts };
  }
  for (const table of await pluginTables(trx, pluginId)) await sql`DELETE FROM ${sql.table(table)} WHERE org_id = ${actor.orgId}`.execute(trx);
  // Cascades to plugin_settings_versions and plugin_templates.
  await trx.deleteFrom("plugin_orgs").where("org_id", "=", actor.orgId).where("plugin_id", "=", pluginId).execute();
  await recordAudit(trx, {
    ...actor,
    action: "plugin.uninstall",
    subjectType: "Plugin",
    subjectId: pluginId,
    before: { ...counts, exportedAt: row.exportedAt?.toISOString() ?? null, fingerprint: row.exportFingerprint },
    after: null,
  });
  return { ok: true, removed: counts };
}
