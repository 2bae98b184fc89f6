import { z } from "zod";

// Years 1900–2999 only: PostgreSQL rejects year 0, and nothing in an audit log predates 1900.
// The round trip rejects days that do not exist (2026-02-30) instead of rolling them over.
const isoDay = z
  .string()
  .regex(/^(19|2\d)\d{2}-\d{2}-\d{2}$/)
  .refine((s) => {
    const date = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(s);
  });

const FILTERS = {
  actor: z.string().trim().max(254),
  action: z.string().trim().max(200),
  subject: z.string().trim().max(100),
  from: isoDay,
  to: isoDay,
};
export type FilterKey = keyof typeof FILTERS;
export type FilterError = "invalidDate" | "rangeOrder" | "tooLong";

export interface ParsedFilters {
  /** What the user typed, to put back into the form. */
  values: Record<FilterKey, string>;
  /** The filters that are valid and applied. */
  valid: Partial<Record<FilterKey, string>>;
  errors: Partial<Record<FilterKey, FilterError>>;
}

/** Reads the audit-log filters from a query string; an invalid one is reported and not applied. */
export function parseAuditFilters(params: URLSearchParams): ParsedFilters {
  const values = {} as Record<FilterKey, string>;
  const valid: ParsedFilters["valid"] = {};
  const errors: ParsedFilters["errors"] = {};
  for (const key of Object.keys(FILTERS) as FilterKey[]) {
    values[key] = (params.get(key) ?? "").slice(0, 300);
    if (!values[key].trim()) continue;
    const parsed = FILTERS[key].safeParse(values[key]);
    if (parsed.success) valid[key] = parsed.data;
    else errors[key] = key === "from" || key === "to" ? "invalidDate" : "tooLong";
  }
  if (valid.from && valid.to && valid.from > valid.to) {
    errors.to = "rangeOrder";
    delete valid.to;
  }
  return { values, valid, errors };
}
