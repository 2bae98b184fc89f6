import crypto from "node:crypto";

// Shared by the hash-chained logs (audit_log, case_events): one canonical form and one
// link function, so both chains are verified the same way.

export const GENESIS_HASH = "0".repeat(64);

/** JSON with keys sorted at every level, so jsonb's reordering does not change the hash. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** sha256(prevHash "\n" canonicalJson(body)): each entry commits to its predecessor. */
export function chainHash(prevHash: string, body: unknown): string {
  return crypto.createHash("sha256").update(prevHash).update("\n").update(canonicalJson(body)).digest("hex");
}
