import { createFormAjv, KNOWN_FORMATS, MASAR_KEYWORDS } from "./ajv.server";
import { checkComputeExpression } from "./compute.server";
import { FILE_TYPES } from "./magic-bytes";
import { regexProblem, type RegexProblem } from "./safe-regex";

// The gate every form schema passes before it is stored (draft or published). Each
// problem has a code translated under forms.json "server.schema.<code>", the JSON pointer
// of where it is and the values its message needs. A schema with any "error" problem is
// not saved; "warning" problems are shown but do not block.
//
// Translations: a "t:" key used by the schema or the UI schema must exist in Arabic (the
// default language) — an error when publishing, a warning while still a draft so work in
// progress can be saved. A missing English text is always only a warning: the renderer
// falls back to Arabic (app/forms/localise.ts).

export type Severity = "error" | "warning";
export interface Problem {
  code: string;
  path: string;
  params?: Record<string, string | number>;
  severity: Severity;
}

export interface SchemaInput {
  schema: unknown;
  uiSchema?: unknown;
  translations?: unknown;
}

export interface SchemaCheckOptions {
  mode?: "draft" | "publish";
  /** The organisation's largest upload, in MB (org_storage.max_file_bytes). */
  maxFileMb?: number;
}

export const SCHEMA_LIMITS = {
  maxDepth: 10,
  maxProperties: 500,
  maxBytes: 256 * 1024,
  maxJsonDepth: 64,
  maxItems: 1000,
  maxTranslationKeys: 5000,
  maxTranslationLength: 5000,
};

export const DIALECT = "https://json-schema.org/draft/2020-12/schema";
const FORBIDDEN_NAMES = new Set(["__proto__", "constructor", "prototype"]);

const SCHEMA_MAPS = ["properties", "patternProperties", "$defs", "dependentSchemas"];
const SCHEMA_SINGLE = ["additionalProperties", "unevaluatedProperties", "items", "contains", "propertyNames", "not", "if", "then", "else", "unevaluatedItems", "contentSchema"];
const SCHEMA_ARRAYS = ["allOf", "anyOf", "oneOf", "prefixItems"];
const PLAIN_KEYWORDS = [
  "$schema", "$ref", "$comment", "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
  "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains", "maxProperties",
  "minProperties", "required", "dependentRequired", "format", "title", "description", "default", "deprecated", "readOnly",
  "writeOnly", "examples", "contentEncoding", "contentMediaType",
];
const KEYWORDS = new Set([...SCHEMA_MAPS, ...SCHEMA_SINGLE, ...SCHEMA_ARRAYS, ...PLAIN_KEYWORDS, ...Object.keys(MASAR_KEYWORDS)]);
const DYNAMIC = new Set(["$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor"]);
const IDENTITY = new Set(["$id", "$anchor", "$vocabulary"]);
/** Keywords an x-masar-errors override may name. */
export const OVERRIDABLE = new Set([
  "required", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "pattern",
  "enum", "const", "oneOf", "format", "minItems", "maxItems", "uniqueItems", "type",
]);

const PATTERN_CODES: Record<RegexProblem, string> = {
  tooLong: "patternTooLong",
  invalid: "patternInvalid",
  backreference: "patternBackreference",
  lookbehind: "patternLookbehind",
  nestedQuantifier: "patternNestedQuantifier",
  overlappingAlternation: "patternOverlappingAlternation",
  adjacentQuantifiers: "patternAdjacentQuantifiers",
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const pointer = (path: string, key: string | number) => `${path}/${String(key).replace(/~/g, "~0").replace(/\//g, "~1")}`;

/** Nesting of arrays/objects, counted without recursion (a hostile value cannot overflow the stack). */
export function jsonDepth(value: unknown, stopAbove = Infinity): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    max = Math.max(max, depth);
    if (max > stopAbove) return max;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return max;
}

const hasControlCharacter = (text: string) => [...text].some((c) => c.charCodeAt(0) < 0x20);

export function hasErrors(problems: Problem[]): boolean {
  return problems.some((p) => p.severity === "error");
}

export function checkSchema(input: SchemaInput, options: SchemaCheckOptions = {}): Problem[] {
  const mode = options.mode ?? "draft";
  const problems: Problem[] = [];
  const error = (code: string, path: string, params?: Problem["params"]) => problems.push({ code, path, params, severity: "error" });
  const warn = (code: string, path: string, params?: Problem["params"]) => problems.push({ code, path, params, severity: "warning" });

  // 1. Size and shape before anything walks the values.
  const parts: [string, unknown][] = [["schema", input.schema], ["uiSchema", input.uiSchema ?? {}], ["translations", input.translations ?? { ar: {}, en: {} }]];
  for (const [part, value] of parts) {
    if (!isObject(value)) {
      error("notObject", `#${part}`, { part });
      continue;
    }
    if (jsonDepth(value, SCHEMA_LIMITS.maxJsonDepth) > SCHEMA_LIMITS.maxJsonDepth) {
      error("tooDeep", `#${part}`, { part, limit: SCHEMA_LIMITS.maxJsonDepth });
      continue;
    }
    const bytes = Buffer.byteLength(JSON.stringify(value), "utf8");
    if (bytes > SCHEMA_LIMITS.maxBytes) error("tooLarge", `#${part}`, { part, limitKb: SCHEMA_LIMITS.maxBytes / 1024 });
  }
  if (hasErrors(problems)) return problems;
  const schema = input.schema as Json;
  const uiSchema = (input.uiSchema ?? {}) as Json;
  const translations = (input.translations ?? { ar: {}, en: {} }) as Json;

  if (schema.type !== "object") error("rootNotObject", "");
  if (schema.$schema !== undefined && schema.$schema !== DIALECT) error("schemaDialect", "/$schema", { expected: DIALECT });

  // 2. Walk every sub-schema: keywords, references, formats, patterns, Masar keywords.
  const refs: { key: string; path: string }[] = [];
  let propertyCount = 0;
  let tooDeep = false;
  const defs = isObject(schema.$defs) ? schema.$defs : {};

  const visit = (node: unknown, path: string, depth: number) => {
    if (typeof node === "boolean") return;
    if (!isObject(node)) {
      error("notASchema", path);
      return;
    }
    if (depth > SCHEMA_LIMITS.maxDepth) {
      if (!tooDeep) error("tooDeep", path, { part: "schema", limit: SCHEMA_LIMITS.maxDepth });
      tooDeep = true;
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      const at = pointer(path, key);
      if (DYNAMIC.has(key)) error("dynamicRef", at, { keyword: key });
      else if (IDENTITY.has(key)) error("idNotAllowed", at, { keyword: key });
      else if (key === "$schema" && path !== "") error("schemaDialect", at, { expected: DIALECT });
      else if (!KEYWORDS.has(key)) error("unknownKeyword", at, { keyword: key });
      if ((key === "title" || key === "description") && typeof value === "string" && value.startsWith("t:")) refs.push({ key: value.slice(2), path: at });
    }
    checkNode(node, path);
    for (const key of SCHEMA_MAPS) {
      const map = node[key];
      if (map === undefined) continue;
      if (!isObject(map)) continue; // meta-validation reports the wrong type
      if (key === "properties") {
        propertyCount += Object.keys(map).length;
        for (const name of Object.keys(map)) {
          if (FORBIDDEN_NAMES.has(name) || name.includes(".") || name.length > 100 || hasControlCharacter(name) || name === "") {
            error("badPropertyName", pointer(pointer(path, key), name), { name: name.slice(0, 100) });
          }
        }
      }
      if (key === "patternProperties") for (const pattern of Object.keys(map)) checkPattern(pattern, pointer(path, key));
      for (const [name, child] of Object.entries(map)) visit(child, pointer(pointer(path, key), name), depth + 1);
    }
    for (const key of SCHEMA_SINGLE) if (node[key] !== undefined) visit(node[key], pointer(path, key), depth + 1);
    for (const key of SCHEMA_ARRAYS) {
      const list = node[key];
      if (Array.isArray(list)) list.forEach((child, i) => visit(child, pointer(pointer(path, key), i), depth + 1));
    }
  };

  const checkPattern = (pattern: string, path: string) => {
    const problem = regexProblem(pattern);
    if (problem) error(PATTERN_CODES[problem], path, { pattern: pattern.slice(0, 200) });
  };

  const checkNode = (node: Json, path: string) => {
    if (typeof node.$ref === "string") {
      const match = /^#\/\$defs\/([A-Za-z0-9_-]{1,100})$/.exec(node.$ref);
      if (!match) error("refNotLocal", pointer(path, "$ref"), { ref: node.$ref.slice(0, 200) });
      else if (!isObject(defs[match[1]!]) && typeof defs[match[1]!] !== "boolean") error("refMissing", pointer(path, "$ref"), { ref: node.$ref });
    }
    if (node.format !== undefined && !(KNOWN_FORMATS as readonly unknown[]).includes(node.format)) {
      error("unknownFormat", pointer(path, "format"), { format: String(node.format).slice(0, 100), known: KNOWN_FORMATS.join(", ") });
    }
    if (typeof node.pattern === "string") checkPattern(node.pattern, pointer(path, "pattern"));
    if (typeof node.maxItems === "number" && node.maxItems > SCHEMA_LIMITS.maxItems) error("maxItemsTooLarge", pointer(path, "maxItems"), { limit: SCHEMA_LIMITS.maxItems });
    checkMasarKeywords(node, path);
  };

  const checkMasarKeywords = (node: Json, path: string) => {
    const compute = node["x-masar-compute"];
    if (compute !== undefined) {
      const at = pointer(path, "x-masar-compute");
      const problem = typeof compute === "string" ? checkComputeExpression(compute) : { code: "computeInvalid" as const };
      if (problem?.code === "computeEmpty" && mode === "draft") warn(problem.code, at);
      else if (problem) error(problem.code, at, problem.detail ? { detail: problem.detail } : undefined);
      if (node.readOnly !== true) error("computeNotReadOnly", at);
    }
    const file = node["x-masar-file"];
    if (file !== undefined) {
      const at = pointer(path, "x-masar-file");
      if (node.type !== "string" || node.format !== "uuid") error("fileNotUuid", at);
      if (!isObject(file) || !Array.isArray(file.accept) || file.accept.length === 0 || typeof file.maxSizeMb !== "number" || !(file.maxSizeMb > 0)) {
        error("fileSpecInvalid", at);
      } else {
        for (const type of file.accept) {
          if (!(FILE_TYPES as readonly unknown[]).includes(type)) error("fileTypeNotAllowed", pointer(at, "accept"), { type: String(type).slice(0, 100) });
        }
        if (options.maxFileMb !== undefined && file.maxSizeMb > options.maxFileMb) {
          error("fileTooLarge", pointer(at, "maxSizeMb"), { maxSizeMb: file.maxSizeMb, limitMb: options.maxFileMb });
        }
      }
    }
    const overrides = node["x-masar-errors"];
    if (overrides !== undefined) {
      const at = pointer(path, "x-masar-errors");
      if (!isObject(overrides)) error("errorsInvalid", at);
      else {
        for (const [keyword, key] of Object.entries(overrides)) {
          if (!OVERRIDABLE.has(keyword)) error("errorsKeywordUnknown", pointer(at, keyword), { keyword });
          if (typeof key !== "string" || !key.startsWith("t:")) error("errorsNotKey", pointer(at, keyword), { keyword });
          else refs.push({ key: key.slice(2), path: pointer(at, keyword) });
        }
      }
    }
    const currency = node["x-masar-currency"];
    if (currency !== undefined && (typeof currency !== "string" || !/^[A-Z]{3}$/.test(currency))) error("currencyInvalid", pointer(path, "x-masar-currency"));
  };

  visit(schema, "", 1);
  if (propertyCount > SCHEMA_LIMITS.maxProperties) error("tooManyProperties", "", { limit: SCHEMA_LIMITS.maxProperties, count: propertyCount });

  // 3. Only a schema that passed the walk reaches ajv (which would otherwise try to resolve
  // remote references): meta-validation against draft 2020-12, then a real compile.
  if (!hasErrors(problems)) {
    const ajv = createFormAjv();
    if (!ajv.validateSchema(schema)) {
      for (const e of (ajv.errors ?? []).slice(0, 10)) error("invalidSchema", e.instancePath, { detail: `${e.message ?? e.keyword}` });
    } else {
      try {
        ajv.compile(schema);
      } catch (e) {
        error("compileFailed", "", { detail: e instanceof Error ? e.message.slice(0, 300) : String(e) });
      }
    }
  }

  // 4. Texts: the UI schema's "t:" strings, then the table itself.
  collectUiRefs(uiSchema, "#uiSchema", refs);
  checkTranslations(translations, refs, mode, error, warn);
  return problems;
}

function collectUiRefs(value: unknown, path: string, refs: { key: string; path: string }[]): void {
  const stack: [unknown, string][] = [[value, path]];
  while (stack.length) {
    const [node, at] = stack.pop()!;
    if (typeof node === "string" && node.startsWith("t:")) refs.push({ key: node.slice(2), path: at });
    else if (typeof node === "object" && node !== null) {
      for (const [k, v] of Object.entries(node)) stack.push([v, pointer(at, k)]);
    }
  }
}

type Report = (code: string, path: string, params?: Problem["params"]) => void;

function checkTranslations(translations: Json, refs: { key: string; path: string }[], mode: "draft" | "publish", error: Report, warn: Report): void {
  const tables: Partial<Record<"ar" | "en", Json>> = {};
  for (const key of Object.keys(translations)) if (key !== "ar" && key !== "en") error("translationsShape", `#translations/${key}`);
  let count = 0;
  for (const locale of ["ar", "en"] as const) {
    const table = translations[locale] ?? {};
    if (!isObject(table)) {
      error("translationsShape", `#translations/${locale}`);
      continue;
    }
    tables[locale] = table;
    for (const [key, text] of Object.entries(table)) {
      count++;
      if (typeof text !== "string" || text.length > SCHEMA_LIMITS.maxTranslationLength || key.length > 300) {
        error("translationInvalid", `#translations/${locale}/${key.slice(0, 300)}`, { key: key.slice(0, 300), locale, limit: SCHEMA_LIMITS.maxTranslationLength });
      }
    }
  }
  if (count > SCHEMA_LIMITS.maxTranslationKeys) error("tooManyTranslations", "#translations", { limit: SCHEMA_LIMITS.maxTranslationKeys });
  const seen = new Set<string>();
  for (const { key, path } of refs) {
    if (seen.has(key)) continue;
    seen.add(key);
    const has = (locale: "ar" | "en") => typeof tables[locale]?.[key] === "string" && (tables[locale]![key] as string).trim() !== "";
    if (!has("ar")) (mode === "publish" ? error : warn)("translationMissing", path, { key, locale: "ar" });
    if (!has("en")) warn("translationMissing", path, { key, locale: "en" });
  }
}
