// A stored form version speaks in translation keys ("t:applicant.name.title"); the renderer
// needs text. localiseSchema replaces the keys in the places texts live, in one language,
// falling back to the other language and then to the key itself. Values (const, default,
// patterns…) are never touched, so a value that happens to start with "t:" stays as it is.
import type { Lang } from "./model";

type Json = Record<string, unknown>;

export interface LocalisableVersion {
  schema: unknown;
  uiSchema?: unknown;
  translations?: Partial<Record<Lang, Record<string, string>>> | null;
}

const SCHEMA_TEXT_KEYS = new Set(["title", "description"]);
const UI_TEXT_KEYS = new Set(["ui:placeholder", "ui:title", "ui:description", "ui:help"]);
/** Keywords whose value is data, not a subschema: not searched for texts. */
const DATA_KEYS = new Set(["const", "default", "enum", "examples", "pattern", "required", "x-masar-compute", "x-masar-file", "x-masar-currency"]);
/** uiSchema keys are property names or "ui:" options; only the conditions hold data. */
const UI_DATA_KEYS = new Set(["x-masar-visibleWhen", "ui:order"]);

export function textLookup(translations: LocalisableVersion["translations"], locale: Lang): (value: string) => string {
  const other: Lang = locale === "ar" ? "en" : "ar";
  return (value) => {
    if (!value.startsWith("t:")) return value;
    const key = value.slice(2);
    return translations?.[locale]?.[key] || translations?.[other]?.[key] || key;
  };
}

/** Keywords holding a map of name → subschema: the names are not keywords. */
const NAME_MAPS = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies"]);

interface Mode {
  textKeys: Set<string>;
  dataKeys: Set<string>;
}

function localiseNode(node: unknown, text: (v: string) => string, mode: Mode, names = false): unknown {
  if (Array.isArray(node)) return node.map((v) => localiseNode(v, text, mode));
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (names) out[k] = localiseNode(v, text, mode);
    else if (mode.textKeys.has(k) && typeof v === "string") out[k] = text(v);
    else if (k === "x-masar-errors" && v && typeof v === "object" && !Array.isArray(v))
      out[k] = Object.fromEntries(Object.entries(v as Json).map(([kw, msg]) => [kw, typeof msg === "string" ? text(msg) : msg]));
    else if (k === "ui:enumNames" && Array.isArray(v)) out[k] = v.map((n) => (typeof n === "string" ? text(n) : n));
    else if (mode.dataKeys.has(k)) out[k] = v;
    else out[k] = localiseNode(v, text, mode, NAME_MAPS.has(k) && mode.dataKeys === DATA_KEYS);
  }
  return out;
}

/**
 * { schema, uiSchema } with every text key replaced for `locale`. Pure; the input is not
 * changed. The server validates the unlocalised schema (keys do not affect validation).
 */
export function localiseSchema(version: LocalisableVersion, locale: Lang): { schema: Json; uiSchema: Json } {
  const text = textLookup(version.translations, locale);
  const schema = localiseNode(version.schema ?? {}, text, { textKeys: SCHEMA_TEXT_KEYS, dataKeys: DATA_KEYS }) as Json;
  const uiSchema = localiseNode(version.uiSchema ?? {}, text, { textKeys: UI_TEXT_KEYS, dataKeys: UI_DATA_KEYS }) as Json;
  return { schema, uiSchema };
}
