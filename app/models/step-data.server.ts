import type { CaseData } from "~/engine/runtime-types";
import type { DataIssue } from "./case-errors";
import type { Tx } from "~/utils/db.server";

// THE HOOK for validating data submitted at a step (start, task, gate, incident fix).
// Today it accepts any JSON object within size and depth limits; the forms issue replaces
// the body with validation against the step's form (JSON Schema) — every caller already
// passes the form key and a transaction for loading it.

export const MAX_STEP_DATA_BYTES = 256 * 1024;
export const MAX_CASE_DATA_BYTES = 2 * 1024 * 1024;
export const MAX_DATA_DEPTH = 16;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

export type StepDataResult = { ok: true; data: CaseData } | { ok: false; issues: DataIssue[] };

function depthOf(value: unknown, limit: number): number {
  if (value === null || typeof value !== "object") return 0;
  if (limit <= 0) return 1;
  let max = 0;
  for (const v of Object.values(value as object)) max = Math.max(max, depthOf(v, limit - 1));
  return max + 1;
}

export async function validateStepData(
  formKey: string | undefined,
  data: unknown,
  _context?: { trx: Tx; orgId: string },
): Promise<StepDataResult> {
  void formKey;
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return { ok: false, issues: [{ path: "", code: "not_object", message: "data must be a JSON object" }] };
  }
  let text: string;
  try {
    text = JSON.stringify(data);
  } catch {
    return { ok: false, issues: [{ path: "", code: "invalid_value", message: "data is not JSON" }] };
  }
  if (Buffer.byteLength(text) > MAX_STEP_DATA_BYTES) {
    return { ok: false, issues: [{ path: "", code: "too_large", message: `data is larger than ${MAX_STEP_DATA_BYTES} bytes` }] };
  }
  if (depthOf(data, MAX_DATA_DEPTH + 1) > MAX_DATA_DEPTH) {
    return { ok: false, issues: [{ path: "", code: "too_deep", message: `data is nested deeper than ${MAX_DATA_DEPTH} levels` }] };
  }
  const bad = Object.keys(data).find((k) => FORBIDDEN_KEYS.has(k) || k.length > 200 || k === "");
  if (bad !== undefined) return { ok: false, issues: [{ path: `/${bad}`, code: "invalid_key", message: "field name not allowed" }] };
  // Parse back: drops undefined and functions, turns Dates into strings — what jsonb will hold.
  return { ok: true, data: JSON.parse(text) as CaseData };
}

/** The merged case data must stay within the case limit too. */
export function checkCaseDataSize(data: CaseData): DataIssue[] {
  return Buffer.byteLength(JSON.stringify(data)) > MAX_CASE_DATA_BYTES
    ? [{ path: "", code: "too_large", message: `case data would exceed ${MAX_CASE_DATA_BYTES} bytes` }]
    : [];
}
