import type { Kysely } from "kysely";
import { canonicalJson, recordAudit } from "~/models/audit.server";
import type { DB } from "./db-types";
import type { Tx } from "./db.server";
import type { RuleJson } from "./permissions.server";

// A plugin's default grants reach existing organisations once: plugin_state.granted lists
// what was already added, so a grant an admin removed afterwards is never put back, while
// a later plugin version that declares new grants still gets them added.

export type GrantsByRole = Partial<Record<string, RuleJson[]>>;

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/** Declared grants not yet recorded as added, by role key. */
export function missingGrants(declared: GrantsByRole, granted: GrantsByRole): Record<string, RuleJson[]> {
  const out: Record<string, RuleJson[]> = {};
  for (const [role, rules] of Object.entries(declared)) {
    const done = granted[role] ?? [];
    const missing = (rules ?? []).filter((rule) => !done.some((d) => same(d, rule)));
    if (missing.length) out[role] = missing;
  }
  return out;
}

export function mergeGrants(granted: GrantsByRole, added: GrantsByRole): Record<string, RuleJson[]> {
  const out: Record<string, RuleJson[]> = {};
  for (const role of new Set([...Object.keys(granted), ...Object.keys(added)])) {
    out[role] = [...(granted[role] ?? []), ...(added[role] ?? []).filter((r) => !(granted[role] ?? []).some((g) => same(g, r)))];
  }
  return out;
}

/**
 * Appends the rules to the built-in roles of that key in every organisation (or only in
 * `orgIds`), skipping rules a role already has; each changed role is audit-logged in its
 * organisation's chain. Must run in a transaction with the platform flag set.
 */
export async function addGrantsToBuiltinRoles(
  db: Kysely<DB>,
  pluginId: string,
  grants: GrantsByRole,
  orgIds?: string[],
): Promise<number> {
  const keys = Object.keys(grants).filter((k) => grants[k]?.length);
  if (keys.length === 0 || orgIds?.length === 0) return 0;
  const roles = await db
    .selectFrom("roles")
    .select(["org_id", "id", "key", "rules"])
    .where("builtin", "=", true)
    .where("key", "in", keys)
    .$if(Boolean(orgIds), (qb) => qb.where("org_id", "in", orgIds!))
    .orderBy("org_id")
    .orderBy("key")
    .forUpdate()
    .execute();
  let changed = 0;
  for (const role of roles) {
    const current = Array.isArray(role.rules) ? (role.rules as RuleJson[]) : [];
    const additions = (grants[role.key] ?? []).filter((rule) => !current.some((r) => same(r, rule)));
    if (additions.length === 0) continue;
    const next = [...current, ...additions];
    await db
      .updateTable("roles")
      .set((eb) => ({ rules: JSON.stringify(next), version: eb("version", "+", 1), updated_at: new Date() }))
      .where("org_id", "=", role.org_id)
      .where("id", "=", role.id)
      .execute();
    // recordAudit only builds queries on what it is given; a connection-bound Kysely in an
    // open transaction serves it like a Transaction.
    await recordAudit(db as unknown as Tx, {
      orgId: role.org_id,
      actorUserId: null,
      actorLabel: `plugin:${pluginId}`,
      action: "role.plugin_grants",
      subjectType: "Role",
      subjectId: role.id,
      before: { key: role.key, rules: current },
      after: { key: role.key, rules: next },
    });
    changed += 1;
  }
  return changed;
}
