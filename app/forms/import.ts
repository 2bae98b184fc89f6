// Importing an existing form from a JSON file: a Masar form version ({ schema, uiSchema,
// translations }), a react-jsonschema-form playground sample ({ schema, uiSchema, formData })
// or a bare JSON Schema. It goes through the builder model, so plain titles become texts in
// both languages and the result is what the builder would have written.
import { formToModel, FormImportError, modelToForm } from "./fields";
import type { FormVersionJson } from "./model";

const DIALECT = "https://json-schema.org/draft/2020-12/schema";

export type ImportResult = { ok: true; content: FormVersionJson; fields: number } | { ok: false; code: "notJson" | "notObject" };

export function importFormJson(text: string): ImportResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, code: "notJson" };
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return { ok: false, code: "notObject" };
  const o = parsed as Record<string, unknown>;
  // A schema has "type"/"properties"; a wrapper has "schema" (and uiSchema, formData… beside it).
  const wrapped = !!o.schema && typeof o.schema === "object" && o.type === undefined && o.properties === undefined;
  const schema = { ...((wrapped ? o.schema : o) as Record<string, unknown>) };
  // Older drafts name themselves in $schema; the keywords Masar accepts mean the same in 2020-12.
  if (schema.$schema !== undefined && schema.$schema !== DIALECT) delete schema.$schema;
  try {
    const model = formToModel({ schema, uiSchema: wrapped ? o.uiSchema : {}, translations: wrapped ? o.translations : {} });
    return { ok: true, content: modelToForm(model), fields: model.fields.length };
  } catch (e) {
    if (e instanceof FormImportError) return { ok: false, code: "notObject" };
    throw e;
  }
}
