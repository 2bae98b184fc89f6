export type DiffKind = "added" | "removed" | "changed" | "same";

export interface DiffRow {
  /** Top-level field name; "" when before/after are not both objects (the whole value). */
  key: string;
  kind: DiffKind;
  before?: string;
  after?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Pretty JSON with sorted keys, so equal values print (and compare) equally. */
export function prettyJson(value: unknown): string {
  const sortKeys = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sortKeys)
      : isRecord(v)
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sortKeys(v[k])]),
          )
        : v;
  return JSON.stringify(sortKeys(value), null, 2) ?? "null";
}

/**
 * Field-by-field comparison of an audit entry's before and after values (one level
 * deep: nested values are shown whole). Absent sides (a creation or deletion) count
 * as empty objects, so every field shows as added or removed.
 */
export function diffAudit(before: unknown, after: unknown): DiffRow[] {
  const b = before ?? {};
  const a = after ?? {};
  if (!isRecord(b) || !isRecord(a)) {
    const bs = prettyJson(before ?? null);
    const as = prettyJson(after ?? null);
    return [{ key: "", kind: bs === as ? "same" : "changed", before: bs, after: as }];
  }
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
  return keys.map((key) => {
    const inB = key in b && b[key] !== undefined;
    const inA = key in a && a[key] !== undefined;
    const bs = inB ? prettyJson(b[key]) : undefined;
    const as = inA ? prettyJson(a[key]) : undefined;
    const kind: DiffKind = !inB ? "added" : !inA ? "removed" : bs === as ? "same" : "changed";
    return { key, kind, before: bs, after: as };
  });
}
