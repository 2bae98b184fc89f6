import type { CaseData } from "~/engine/runtime-types";
import { formsT, type FormsLocale } from "~/forms/messages.server";
import { validateSubmission } from "~/forms/validate.server";
import type { Tx } from "~/utils/db.server";
import type { DataIssue } from "./case-errors";
import { usableFiles } from "./files.server";
import { getStepFormVersion } from "./forms.server";

// THE HOOK for validating data submitted at a step (start, task, gate, incident fix).
// Every object must stay within size and depth limits; a step that names a form (a task
// node's `form`, or the start node's) must in addition pass the server validation of the
// form version the case pinned (else the latest PUBLISHED one) — the same validator the
// standalone submit uses, so computed fields are filled in and messages come in the
// member's language.

export const MAX_STEP_DATA_BYTES = 256 * 1024;
export const MAX_CASE_DATA_BYTES = 2 * 1024 * 1024;
export const MAX_DATA_DEPTH = 16;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

export type StepDataResult =
  /** `files`: ids of the form's file fields that passed the ownership check (to attach). */
  | { ok: true; data: CaseData; files?: string[]; /** The form version that validated it. */ formVersionId?: string }
  | { ok: false; issues: DataIssue[] };

function depthOf(value: unknown, limit: number): number {
  if (value === null || typeof value !== "object") return 0;
  if (limit <= 0) return 1;
  let max = 0;
  for (const v of Object.values(value as object)) max = Math.max(max, depthOf(v, limit - 1));
  return max + 1;
}

export interface StepDataContext {
  trx: Tx;
  orgId: string;
  /** Language of the messages (the member's); Arabic when not known. */
  locale?: FormsLocale;
  /**
   * Whose files the data may reference: files the user uploaded, or already attached to the
   * shared context ("task:<id>") — as the forms submit checks them. Without it, a form with
   * file fields accepts no file at all.
   */
  files?: { userId: string; context: string };
  /** The version of this form the case pinned (cases.form_versions). */
  pinnedVersionId?: string;
}

export async function validateStepData(formKey: string | undefined, data: unknown, context?: StepDataContext): Promise<StepDataResult> {
  const basic = checkShape(data);
  if (!basic.ok || !formKey) return basic;
  if (!context) throw new Error("validateStepData: a step with a form needs the transaction and org");
  const { trx, orgId, files } = context;
  const locale = context.locale ?? "ar";
  const version = await getStepFormVersion(trx, orgId, formKey, context.pinnedVersionId);
  if (!version) {
    return { ok: false, issues: [{ path: "", code: "step_form_missing", message: formsT(locale)("server.step.formMissing", { form: formKey }) }] };
  }
  let referenced: string[] = [];
  const result = await validateSubmission(version, basic.data, locale, {
    files: async (ids) => {
      referenced = ids;
      return files ? usableFiles(trx, orgId, files.userId, files.context, ids) : new Map();
    },
  });
  if (!result.ok) return { ok: false, issues: result.errors.map((e) => ({ path: e.path, code: "form_invalid" as const, message: e.message })) };
  return { ok: true, data: result.value as CaseData, files: referenced, formVersionId: version.id };
}

function checkShape(data: unknown): StepDataResult {
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
