import type { Tx } from "~/utils/db.server";
import { fieldErrorsFrom, formStrings } from "~/utils/form-errors";
import { hasLintErrors, lintServiceName } from "./name-linter";
import { SERVICE_FIELDS, serviceInputSchema, type ServiceInput } from "./schema";
import { parentOptions } from "./services.server";
import { SERVICE_REVIEW_KEY } from "./templates";
import type { ServiceFormValues } from "./ui/service-form";

// Shared by the create and edit pages: reading the posted card (zod + the naming rule) and
// the choices the form offers (units, main services, workflows).

type T = (key: string, options?: Record<string, unknown>) => string;

export type ParsedServiceForm =
  | { ok: true; input: ServiceInput; values: ServiceFormValues }
  | {
      ok: false;
      values: ServiceFormValues;
      fieldErrors: Record<string, string>;
    };

export function parseServiceForm(form: FormData, t: T): ParsedServiceForm {
  const values = formStrings(form, SERVICE_FIELDS) as ServiceFormValues;
  const parsed = serviceInputSchema.safeParse(values);
  const fieldErrors = parsed.success ? {} : fieldErrorsFrom(parsed.error, t);
  // The naming rule's errors block saving (its warnings are advice, shown as the admin types).
  if (values.nameAr.trim() && hasLintErrors(lintServiceName(values.nameAr, "ar"))) fieldErrors.nameAr ??= t("errors.nameRule");
  if (values.nameEn.trim() && hasLintErrors(lintServiceName(values.nameEn, "en"))) fieldErrors.nameEn ??= t("errors.nameRule");
  if (!parsed.success || Object.keys(fieldErrors).length) return { ok: false, values, fieldErrors };
  return { ok: true, input: parsed.data, values };
}

export function valuesOf(input: ServiceInput): ServiceFormValues {
  const out = {} as ServiceFormValues;
  for (const k of SERVICE_FIELDS) {
    const v = input[k];
    out[k] = v === null || v === undefined ? "" : String(v);
  }
  return out;
}

export async function serviceFormOptions(trx: Tx, orgId: string, locale: "ar" | "en", exceptId?: string) {
  const pick = (r: { name_ar: string; name_en: string }) => (locale === "en" ? r.name_en || r.name_ar : r.name_ar);
  const units = await trx.selectFrom("org_units").select(["id", "code", "name_ar", "name_en"]).where("org_id", "=", orgId).orderBy("code").limit(1000).execute();
  const parents = await parentOptions(trx, orgId, exceptId);
  const reviewKeys = await trx.selectFrom("plugin_templates").select("target_key").where("org_id", "=", orgId).where("plugin_id", "=", "service-catalogue").execute();
  const hidden = new Set([SERVICE_REVIEW_KEY, ...reviewKeys.map((r) => r.target_key)]);
  const workflows = await trx
    .selectFrom("workflow_definitions")
    .select(["key", "name_ar", "name_en"])
    .where("org_id", "=", orgId)
    .where("archived_at", "is", null)
    .orderBy("key")
    .limit(1000)
    .execute();
  return {
    units: units.map((u) => ({ id: u.id, code: u.code, name: pick(u) })),
    parents: parents.map((p) => ({ id: p.id, code: p.code, name: pick(p) })),
    // The catalogue's own review workflow is not a service's flow.
    workflows: workflows.filter((w) => !hidden.has(w.key)).map((w) => ({ key: w.key, name: pick(w) })),
  };
}
