import { definitionGraph } from "~/engine/definition";
import { hasErrors as hasGraphErrors } from "~/engine/problems";
import { validateDefinition } from "~/engine/validate";
import { createFormAjv } from "~/forms/ajv.server";
import { checkComputeExpression } from "~/forms/compute.server";
import { checkSchema, hasErrors } from "~/forms/schema-safety.server";
import { KPI_FREQUENCIES, KPI_UNITS, type JsonSchema, type PluginManifest, type PluginServer, type PluginTranslations } from "./contract";
import { PluginLoadError, translationKeys } from "./validate.server";

// Checks of what a plugin contributes beyond migrations and permissions: routes, settings,
// form and workflow templates, node kinds, KPIs and jobs. Pure (no database). Anything wrong
// disables the plugin at boot with code "invalid_contribution" and a detail naming the part.

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const SLUG = /^[a-z][a-z0-9-]{1,63}$/;
const CAMEL = /^[a-z][a-zA-Z0-9]{0,40}$/;
const KEBAB = /^[a-z][a-z0-9-]{0,40}$/;
const CRON_FIELD = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/;
/** Core pages under /app/:org/ a plugin route may not shadow. */
const CORE_PATHS = ["inbox", "cases", "forms", "files", "tasks", "profile", "tokens", "admin"];

function fail(detail: string): never {
  throw new PluginLoadError("invalid_contribution", detail);
}

/** Flat "a.b.c" → text maps of the plugin's namespace in both languages. */
export function flattenTexts(translations: PluginTranslations): { ar: Record<string, string>; en: Record<string, string> } {
  const flat = (tree: Record<string, unknown>) => {
    const out: Record<string, string> = {};
    for (const key of translationKeys(tree)) {
      const value = key.split(".").reduce<unknown>((node, part) => (isObject(node) ? node[part] : undefined), tree);
      if (typeof value === "string") out[key] = value;
    }
    return out;
  };
  return { ar: flat(translations.ar), en: flat(translations.en) };
}

/** Every "t:<key>" string in a schema or uiSchema. */
function textKeys(node: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof node === "string") {
    if (node.startsWith("t:")) out.add(node.slice(2));
  } else if (Array.isArray(node)) node.forEach((v) => textKeys(v, out));
  else if (isObject(node)) Object.values(node).forEach((v) => textKeys(v, out));
  return out;
}

function requireTexts(where: string, node: unknown, texts: { ar: Record<string, string>; en: Record<string, string> }): void {
  for (const key of textKeys(node)) {
    if (!texts.ar[key]?.trim()) fail(`${where}: text "${key}" is missing in locales/ar.json`);
    if (!texts.en[key]?.trim()) fail(`${where}: text "${key}" is missing in locales/en.json`);
  }
}

/** The schema passes the forms' safety check and compiles; returns the compiled validator. */
function checkJsonSchema(where: string, schema: unknown, uiSchema: unknown, translations: unknown) {
  if (!isObject(schema) || schema.type !== "object") fail(`${where}: must be a JSON Schema with "type": "object"`);
  const problems = checkSchema({ schema, uiSchema: uiSchema ?? {}, translations: translations ?? { ar: {}, en: {} } }, { mode: "publish" });
  if (hasErrors(problems)) {
    const first = problems.filter((p) => p.severity === "error").slice(0, 3);
    fail(`${where}: ${first.map((p) => `${p.code} at ${p.path}`).join("; ")}`);
  }
  try {
    return createFormAjv({ allErrors: true, useDefaults: true }).compile(schema);
  } catch (error) {
    fail(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function unique(where: string, keys: string[]): void {
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) fail(`${where}: "${key}" is used twice`);
    seen.add(key);
  }
}

function localised(where: string, value: unknown): void {
  if (!isObject(value) || typeof value.ar !== "string" || typeof value.en !== "string" || !value.ar.trim() || !value.en.trim()) {
    fail(`${where}: needs non-empty { ar, en }`);
  }
}

/** Routes and nav paths: the plugin's own id, or admin/<id>, never a core page. */
export function pluginRoutes(manifest: PluginManifest, server: PluginServer): string[] {
  const paths = [...(server.routes ?? []), ...(server.nav ?? []).map((n) => n.path)];
  return [...new Set(paths.map((p) => p.replace(/\/+$/, "")))];
}

/** The settings object made only of the schema's defaults. */
export function settingsDefaults(schema: JsonSchema): Record<string, unknown> {
  const props = isObject(schema.properties) ? schema.properties : {};
  return Object.fromEntries(Object.entries(props).flatMap(([k, v]) => (isObject(v) && "default" in v ? [[k, structuredClone(v.default)]] : [])));
}

export interface CheckedContributions {
  routes: string[];
  /** config validators of the node kinds, by kind. */
  configValidators: Map<string, (config: unknown) => string | null>;
}

/**
 * Validates every optional contribution. `dependencyKinds` are the action types of the
 * plugins this one depends on (its workflow templates may use them).
 */
export function checkContributions(
  manifest: PluginManifest,
  server: PluginServer,
  translations: PluginTranslations,
  dependencyKinds: string[] = [],
): CheckedContributions {
  const texts = flattenTexts(translations);
  const id = manifest.id;

  const routes = pluginRoutes(manifest, server);
  for (const path of routes) {
    if (!/^[a-z0-9][a-z0-9/-]*$/.test(path)) fail(`routes: "${path}" is not a relative path`);
    const owned = path === id || path.startsWith(`${id}/`) || path === `admin/${id}` || path.startsWith(`admin/${id}/`);
    if (!owned) fail(`routes: "${path}" must be "${id}", "${id}/…", "admin/${id}" or "admin/${id}/…"`);
    if (CORE_PATHS.includes(path)) fail(`routes: "${path}" is a core page`);
  }

  if (server.settings) {
    const { schema, uiSchema } = server.settings;
    checkJsonSchema("settings.schema", schema, uiSchema, texts);
    const props = isObject(schema.properties) ? schema.properties : {};
    if (Object.keys(props).length === 0) fail("settings.schema: declares no properties");
    for (const [key, prop] of Object.entries(props)) {
      if (!isObject(prop) || !("default" in prop)) fail(`settings.schema: property "${key}" has no default`);
      if (typeof prop.title !== "string" || !prop.title.startsWith("t:")) fail(`settings.schema: property "${key}" needs a title "t:<key>" (Arabic and English labels)`);
    }
    requireTexts("settings", [schema, uiSchema ?? {}], texts);
    const validate = createFormAjv({ allErrors: true, useDefaults: true }).compile(schema);
    if (!validate(settingsDefaults(schema))) fail(`settings.schema: the defaults are not valid: ${validate.errors?.[0]?.instancePath} ${validate.errors?.[0]?.message}`);
  }

  const forms = server.forms ?? [];
  unique("forms", forms.map((f) => f.key));
  for (const form of forms) {
    const where = `forms.${form.key}`;
    if (!SLUG.test(form.key)) fail(`${where}: key must match ${SLUG}`);
    if (!Number.isInteger(form.version) || form.version < 1) fail(`${where}: version must be an integer ≥ 1`);
    localised(`${where}.names`, form.names);
    checkJsonSchema(where, form.schema, form.uiSchema, form.translations);
  }

  const configValidators = new Map<string, (config: unknown) => string | null>();
  const kinds = server.nodeKinds ?? [];
  unique("nodeKinds", kinds.map((k) => k.kind));
  for (const kind of kinds) {
    const where = `nodeKinds.${kind.kind}`;
    if (!CAMEL.test(kind.kind)) fail(`${where}: kind must be camelCase (${CAMEL})`);
    localised(`${where}.names`, kind.names);
    if (kind.description) localised(`${where}.description`, kind.description);
    if (typeof kind.execute !== "function") fail(`${where}: execute must be a function`);
    const validate = checkJsonSchema(`${where}.configSchema`, kind.configSchema, {}, texts);
    requireTexts(`${where}.configSchema`, kind.configSchema, texts);
    configValidators.set(kind.kind, (config) => {
      const copy = structuredClone(config ?? {});
      if (validate(copy)) return null;
      const e = validate.errors?.[0];
      return `${e?.instancePath || "(config)"} ${e?.message ?? "is not valid"}`;
    });
  }
  const actionTypes = new Set([...kinds.map((k) => `${id}.${k.kind}`), ...dependencyKinds]);

  const workflows = server.workflows ?? [];
  unique("workflows", workflows.map((w) => w.key));
  const formKeys = new Set(forms.map((f) => f.key));
  for (const wf of workflows) {
    const where = `workflows.${wf.key}`;
    if (!SLUG.test(wf.key)) fail(`${where}: key must match ${SLUG}`);
    if (!Number.isInteger(wf.version) || wf.version < 1) fail(`${where}: version must be an integer ≥ 1`);
    localised(`${where}.names`, wf.names);
    const parsed = definitionGraph.safeParse(wf.graph);
    if (!parsed.success) fail(`${where}.graph: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    if (parsed.data.key !== wf.key) fail(`${where}.graph: key "${parsed.data.key}" differs from the template key`);
    const problems = validateDefinition(parsed.data, {
      formExists: (key) => formKeys.has(key),
      roleExists: (key) => ["admin", "manager", "staff"].includes(key),
      actionTypeExists: (type) => actionTypes.has(type),
    });
    const errors = problems.filter((p) => p.severity === "error");
    if (hasGraphErrors(problems)) fail(`${where}.graph: ${errors.slice(0, 3).map((p) => `${p.code}${p.nodeId ? ` at ${p.nodeId}` : ""}`).join("; ")}`);
  }

  const kpis = server.kpis ?? [];
  unique("kpis", kpis.map((k) => k.key));
  const workflowKeys = new Set(workflows.map((w) => w.key));
  for (const kpi of kpis) {
    const where = `kpis.${kpi.key}`;
    if (!KEBAB.test(kpi.key)) fail(`${where}: key must match ${KEBAB}`);
    localised(`${where}.names`, kpi.names);
    if (!workflowKeys.has(kpi.definitionKey)) fail(`${where}: definitionKey "${kpi.definitionKey}" is not one of this plugin's workflow templates`);
    // The forms' safety check (no ranges, no function definitions); more than two filters are
    // fine here: a KPI runs once per period, not on every form submission.
    const problem = checkComputeExpression(kpi.formula ?? "");
    if (problem && !(problem.code === "computeNotAllowed" && problem.detail === "loops")) fail(`${where}.formula: ${problem.code}${problem.detail ? ` (${problem.detail})` : ""}`);
    if (!(KPI_FREQUENCIES as readonly string[]).includes(kpi.frequency)) fail(`${where}: frequency must be one of ${KPI_FREQUENCIES.join(", ")}`);
    if (!(KPI_UNITS as readonly string[]).includes(kpi.unit)) fail(`${where}: unit must be one of ${KPI_UNITS.join(", ")}`);
    if (typeof kpi.target !== "number" || !Number.isFinite(kpi.target)) fail(`${where}: target must be a number`);
    if (kpi.unit === "percent" && (kpi.target < 0 || kpi.target > 100)) fail(`${where}: a percentage target is between 0 and 100`);
    if (kpi.direction !== "atLeast" && kpi.direction !== "atMost") fail(`${where}: direction must be "atLeast" or "atMost"`);
  }

  const jobs = server.jobs ?? [];
  unique("jobs", jobs.map((j) => j.key));
  for (const job of jobs) {
    const where = `jobs.${job.key}`;
    if (!KEBAB.test(job.key)) fail(`${where}: key must match ${KEBAB}`);
    const fields = typeof job.cron === "string" ? job.cron.trim().split(/\s+/) : [];
    if (fields.length !== 5 || !fields.every((f) => CRON_FIELD.test(f))) fail(`${where}: cron must have five fields, e.g. "15 2 * * *"`);
    if (typeof job.run !== "function") fail(`${where}: run must be a function`);
  }
  if (server.seed !== undefined && typeof server.seed !== "function") fail("seed: must be a function");

  return { routes, configValidators };
}
