import type { ErrorObject, ValidateFunction } from "ajv";
import localizeAr from "ajv-i18n/localize/ar/index.js"; // full paths: see ajv.server.ts
import localizeEn from "ajv-i18n/localize/en/index.js";
import { createFormAjv } from "./ajv.server";
import { applyComputed, computeSites, type ComputeSite } from "./compute.server";
import { formsT, type FormsLocale } from "./messages.server";
import { guardPayload, type PayloadCode } from "./payload.server";

// The server's verdict on submitted form data: the browser's validation is a convenience,
// this is the authority. Every submission is validated against the exact version it names.
//
// - Hostile payloads are refused before ajv (payload.server.ts).
// - Extra properties are refused: when compiling, every object of the form's structure
//   (the root, sections, table rows, $defs) that does not say otherwise gets
//   `unevaluatedProperties: false` — which, unlike additionalProperties, still lets
//   properties declared by conditions (allOf/if/then, dependentSchemas) through.
// - Computed fields are evaluated (compute.server.ts) before validation, so their results
//   are validated too; `default` values are filled in by ajv.
// - Compiled validators are cached per version id (+ lock version, for draft previews) in
//   a small LRU; published versions never change, so an entry never goes stale.

export interface VersionForValidation {
  id: string;
  lock_version?: number;
  schema: unknown;
  translations?: unknown;
}

export interface ValidationError {
  /** JSON pointer of the field ("/applicant/nationalId", "/items/0/amount"). */
  path: string;
  keyword: string;
  message: string;
  params?: Record<string, unknown>;
}

export type ValidationResult =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; status: 400 | 413; code: "validation_failed" | PayloadCode; errors: ValidationError[] };

/** What the caller knows about referenced files: id → facts, for files the submitter may use. */
export type FileChecker = (ids: string[]) => Promise<Map<string, { contentType: string; size: number }>>;

interface FileSite {
  path: string[];
  accept: string[];
  maxSizeMb: number;
}

interface Compiled {
  validate: ValidateFunction;
  sites: ComputeSite[];
  files: FileSite[];
  translations: Partial<Record<FormsLocale, Record<string, unknown>>>;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

// ---------------------------------------------------------------------------------------
// Compilation and the cache.

const ajv = createFormAjv({ allErrors: true, useDefaults: true });
let capacity = 200;
const cache = new Map<string, Compiled & { schema: object }>();
const stats = { hits: 0, misses: 0, evictions: 0 };

export function formCacheStats() {
  return { ...stats, size: cache.size, capacity };
}

/** Tests and the benchmark start from a known state. */
export function resetFormCache(options: { capacity?: number } = {}): void {
  for (const entry of cache.values()) ajv.removeSchema(entry.schema);
  cache.clear();
  stats.hits = stats.misses = stats.evictions = 0;
  if (options.capacity) capacity = options.capacity;
}

/** A copy of the schema with `unevaluatedProperties: false` on every structural object. */
function closeObjects(node: unknown): unknown {
  if (!isObject(node)) return node;
  const out: Json = { ...node };
  const isObjectSchema = out.type === "object" || isObject(out.properties);
  if (isObjectSchema && out.additionalProperties === undefined && out.unevaluatedProperties === undefined) out.unevaluatedProperties = false;
  if (isObject(out.properties)) out.properties = Object.fromEntries(Object.entries(out.properties).map(([k, v]) => [k, closeObjects(v)]));
  if (isObject(out.$defs)) out.$defs = Object.fromEntries(Object.entries(out.$defs).map(([k, v]) => [k, closeObjects(v)]));
  if (out.items !== undefined) out.items = closeObjects(out.items);
  if (Array.isArray(out.prefixItems)) out.prefixItems = out.prefixItems.map(closeObjects);
  return out;
}

function fileSites(schema: unknown): FileSite[] {
  const sites: FileSite[] = [];
  const visit = (node: unknown, path: string[]) => {
    if (!isObject(node)) return;
    const spec = node["x-masar-file"];
    if (isObject(spec)) {
      sites.push({ path, accept: Array.isArray(spec.accept) ? spec.accept.map(String) : [], maxSizeMb: Number(spec.maxSizeMb) || 0 });
      return;
    }
    if (isObject(node.properties)) for (const [key, child] of Object.entries(node.properties)) visit(child, [...path, key]);
    if (node.items !== undefined) visit(node.items, [...path, "*"]);
  };
  visit(schema, []);
  return sites;
}

export function compiledFor(version: VersionForValidation): Compiled {
  const key = `${version.id}:${version.lock_version ?? 0}`;
  const hit = cache.get(key);
  if (hit) {
    stats.hits++;
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  stats.misses++;
  const schema = closeObjects(version.schema) as object;
  const translations = isObject(version.translations) ? version.translations : {};
  const entry = {
    schema,
    validate: ajv.compile(schema),
    sites: computeSites(version.schema),
    files: fileSites(version.schema),
    translations: {
      ar: isObject(translations.ar) ? translations.ar : undefined,
      en: isObject(translations.en) ? translations.en : undefined,
    },
  };
  cache.set(key, entry);
  while (cache.size > capacity) {
    const [oldest, evicted] = cache.entries().next().value!;
    cache.delete(oldest);
    ajv.removeSchema(evicted.schema);
    stats.evictions++;
  }
  return entry;
}

// ---------------------------------------------------------------------------------------
// Messages.

const escape = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");

function text(compiled: Compiled, key: unknown, locale: FormsLocale): string | undefined {
  if (typeof key !== "string" || !key.startsWith("t:")) return undefined;
  const name = key.slice(2);
  for (const lang of [locale, locale === "ar" ? "en" : "ar"] as const) {
    const table = compiled.translations[lang];
    const value = table && Object.hasOwn(table, name) ? table[name] : undefined;
    if (typeof value === "string" && value.trim() !== "") return value;
  }
  return undefined;
}

/** The field's own x-masar-errors override for the keyword, if it has one. */
function override(compiled: Compiled, e: ErrorObject, keyword: string, locale: FormsLocale): string | undefined {
  const parent = e.parentSchema as Json | undefined;
  if (!parent) return undefined;
  if (e.keyword === "required") {
    const field = isObject(parent.properties) ? parent.properties[(e.params as { missingProperty: string }).missingProperty] : undefined;
    const own = isObject(field) && isObject(field["x-masar-errors"]) ? field["x-masar-errors"].required : undefined;
    return text(compiled, own, locale);
  }
  const overrides = isObject(parent["x-masar-errors"]) ? parent["x-masar-errors"] : {};
  return text(compiled, overrides[keyword], locale) ?? (keyword === "enum" ? text(compiled, overrides.oneOf, locale) : undefined);
}

const isConstChoice = (schema: unknown) => Array.isArray(schema) && schema.length > 0 && schema.every((s) => isObject(s) && "const" in s);

function toErrors(compiled: Compiled, raw: ErrorObject[], locale: FormsLocale): ValidationError[] {
  // A select (oneOf of consts) reports one error per option plus the oneOf itself: keep
  // only the oneOf, reported as "enum". "if" only says a "then" failed; its inner error is kept.
  const choiceAt = new Set(raw.filter((e) => e.keyword === "oneOf" && isConstChoice(e.schema)).map((e) => e.schemaPath));
  const kept = raw.filter((e) => e.keyword !== "if" && ![...choiceAt].some((p) => e.schemaPath.startsWith(`${p}/`)));
  const localized = kept.map((e) => ({ ...e }));
  (locale === "en" ? localizeEn : localizeAr)(localized);
  const t = formsT(locale);
  const seen = new Set<string>();
  const out: ValidationError[] = [];
  for (const e of localized) {
    const choice = e.keyword === "oneOf" && choiceAt.has(e.schemaPath);
    const keyword = choice ? "enum" : e.keyword;
    let path = e.instancePath;
    let message = (e.message ?? "").trim();
    const params = e.params as Record<string, unknown>;
    if (e.keyword === "required") path += `/${escape(String(params.missingProperty))}`;
    if (e.keyword === "unevaluatedProperties" || e.keyword === "additionalProperties") {
      const property = String(params.unevaluatedProperty ?? params.additionalProperty);
      path += `/${escape(property)}`;
      message = t("server.validation.unknownProperty", { property });
    }
    // ajv-i18n's Arabic for these is wrong or unhelpful ("must be constant" for the
    // acknowledgement tick box): Masar's own wording.
    if (e.keyword === "multipleOf") message = t("server.validation.multipleOf", { multipleOf: params.multipleOf });
    if (e.keyword === "const") message = params.allowedValue === true ? t("server.validation.acknowledge") : t("server.validation.const");
    let shown = params;
    if (choice) {
      message = t("server.validation.enum");
      shown = { allowedValues: (e.schema as Json[]).map((option) => option.const) };
    }
    message = override(compiled, e, keyword, locale) ?? message;
    const id = `${path}|${keyword}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ path, keyword, message, params: shown });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// File references.

function valuesAt(data: unknown, path: string[], pointer = ""): { value: unknown; path: string }[] {
  if (path.length === 0) return data === undefined ? [] : [{ value: data, path: pointer }];
  const [step, ...rest] = path;
  if (step === "*") return Array.isArray(data) ? data.flatMap((item, i) => valuesAt(item, rest, `${pointer}/${i}`)) : [];
  return isObject(data) && Object.hasOwn(data, step!) ? valuesAt(data[step!], rest, `${pointer}/${escape(step!)}`) : [];
}

async function checkFiles(compiled: Compiled, data: Json, files: FileChecker, locale: FormsLocale): Promise<ValidationError[]> {
  const refs = compiled.files.flatMap((site) => valuesAt(data, site.path).map((ref) => ({ ...ref, site })));
  if (refs.length === 0) return [];
  const known = await files([...new Set(refs.map((r) => String(r.value)))]);
  const t = formsT(locale);
  const errors: ValidationError[] = [];
  for (const ref of refs) {
    const file = known.get(String(ref.value));
    if (!file) errors.push({ path: ref.path, keyword: "x-masar-file", message: t("server.validation.fileNotFound") });
    else if (!ref.site.accept.includes(file.contentType)) {
      errors.push({ path: ref.path, keyword: "x-masar-file", message: t("server.validation.fileType"), params: { accept: ref.site.accept } });
    } else if (file.size > ref.site.maxSizeMb * 1024 * 1024) {
      errors.push({ path: ref.path, keyword: "x-masar-file", message: t("server.validation.fileSize", { maxSizeMb: ref.site.maxSizeMb }), params: { maxSizeMb: ref.site.maxSizeMb } });
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------

/**
 * Validates `data` against the version's schema. `files` must be given when the form has
 * file fields (it throws otherwise, so a caller cannot skip the ownership check by accident).
 */
export async function validateSubmission(
  version: VersionForValidation,
  data: unknown,
  locale: FormsLocale,
  options: { files?: FileChecker } = {},
): Promise<ValidationResult> {
  const guarded = guardPayload(data);
  if (!guarded.ok) {
    const { code, status, path } = guarded.rejection;
    return { ok: false, status, code, errors: [{ path, keyword: "payload", message: formsT(locale)(`server.payload.${code}`) }] };
  }
  const compiled = compiledFor(version);
  if (compiled.files.length > 0 && !options.files) throw new Error("validateSubmission: this form has file fields; pass options.files");
  const value = guarded.copy;
  if (compiled.sites.length > 0) applyComputed(value, compiled.sites);
  if (!compiled.validate(value)) {
    return { ok: false, status: 400, code: "validation_failed", errors: toErrors(compiled, compiled.validate.errors ?? [], locale) };
  }
  if (compiled.files.length > 0) {
    const errors = await checkFiles(compiled, value, options.files!, locale);
    if (errors.length) return { ok: false, status: 400, code: "validation_failed", errors };
  }
  return { ok: true, value };
}
