import type { Migration } from "kysely";
import { z } from "zod";
import { CORE_SUBJECTS } from "~/utils/permissions.server";
import type { PluginManifest, PluginServer, PluginTranslations } from "./contract";

// Pure checks of what a plugin declares; the loader (app/utils/plugins.server.ts) adds the
// database-side checks (migrations, table names, row-level security).

export type PluginErrorCode =
  | "import_failed"
  | "invalid_manifest"
  | "id_mismatch"
  | "duplicate_id"
  | "dependency_missing"
  | "dependency_disabled"
  | "dependency_cycle"
  | "invalid_server"
  | "subject_conflict"
  | "invalid_translations"
  | "migration_failed"
  | "table_prefix"
  | "rls_missing"
  | "org_id_missing"
  | "invalid_contribution"
  | "load_failed";

export class PluginLoadError extends Error {
  constructor(
    readonly code: PluginErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "PluginLoadError";
  }
}

// A plugin's id is also its i18next namespace and table prefix, so it may not shadow a core
// namespace (a plugin named "common" would replace the core texts) or a core table family.
export const RESERVED_PLUGIN_IDS = [
  "common", "auth", "admin", "audit", "plugins", "tokens", "platform", "roles", "forms", "engine", "calendar", "diagram", "designer", "notifications", "portal", "deadlines",
  "core", "masar", "plugin", "app", "api", "org", "users", "sessions", "memberships",
];

export const PLUGIN_ID = /^[a-z][a-z0-9-]*$/;
// semver.org's reference pattern.
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

// 40 characters keep "plugin_<id>_migrations_lock" within PostgreSQL's 63-byte names.
const idSchema = z.string().max(40).regex(PLUGIN_ID, "must match ^[a-z][a-z0-9-]*$");
const text = z.string().trim().min(1).max(200);

export const manifestSchema = z.strictObject({
  id: idSchema.refine((id) => !RESERVED_PLUGIN_IDS.includes(id), "is reserved by the platform"),
  version: z.string().regex(SEMVER, "must be a semantic version such as 1.0.0"),
  names: z.strictObject({ ar: text, en: text }),
  description: z.strictObject({ ar: z.string().max(1000), en: z.string().max(1000) }).optional(),
  dependsOn: z.array(idSchema).max(50).refine((ids) => new Set(ids).size === ids.length, "lists a plugin twice"),
});

const oneOrMany = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const ruleSchema = z.strictObject({
  action: oneOrMany,
  subject: oneOrMany,
  conditions: z.record(z.string(), z.unknown()).optional(),
  fields: oneOrMany.optional(),
  inverted: z.boolean().optional(),
  reason: z.string().optional(),
});

const migrationSchema = z.custom<Migration>(
  (value) =>
    typeof value === "object" &&
    value !== null &&
    typeof (value as Migration).up === "function" &&
    ((value as Migration).down === undefined || typeof (value as Migration).down === "function"),
  "must be a migration module with an up() function",
);

export const serverSchema = z.strictObject({
  migrations: z.record(z.string().regex(/^\d{4}_[a-z0-9_]+$/, "migration names look like 0001_create_things"), migrationSchema),
  permissions: z.strictObject({
    subjects: z.array(
      z.strictObject({
        name: z.string().regex(/^[A-Z][A-Za-z0-9]{1,60}$/, "subjects are PascalCase"),
        actions: z.array(z.string().regex(/^[a-z][a-zA-Z]{1,40}$/)).min(1),
        fields: z.record(z.string().regex(/^[a-z][a-zA-Z0-9]{0,60}$/), z.enum(["user", "unit"])).optional(),
      }),
    ),
    defaultGrants: z.strictObject({
      admin: z.array(ruleSchema).optional(),
      manager: z.array(ruleSchema).optional(),
      staff: z.array(ruleSchema).optional(),
    }),
  }),
  nav: z
    .array(
      z.strictObject({
        key: z.string().regex(/^[a-z][a-z0-9-]*$/),
        label: z.string().min(1),
        path: z.string().regex(/^[a-z0-9][a-z0-9/-]*$/, "a relative path under /app/:org/"),
        section: z.enum(["main", "admin"]),
        can: z.tuple([z.string(), z.string()]).optional(),
      }),
    )
    .optional(),
  // Shapes only; their meaning is checked by checkContributions (contributions.server.ts).
  routes: z.array(z.string()).max(50).optional(),
  settings: z.strictObject({ schema: z.record(z.string(), z.unknown()), uiSchema: z.record(z.string(), z.unknown()).optional() }).optional(),
  forms: z.array(z.record(z.string(), z.unknown())).max(50).optional(),
  workflows: z.array(z.record(z.string(), z.unknown())).max(50).optional(),
  nodeKinds: z.array(z.record(z.string(), z.unknown())).max(50).optional(),
  kpis: z.array(z.record(z.string(), z.unknown())).max(100).optional(),
  jobs: z.array(z.record(z.string(), z.unknown())).max(20).optional(),
  seed: z.custom<(...args: unknown[]) => unknown>((v) => typeof v === "function", "must be a function").optional(),
});

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`)
    .join("; ");
}

export function parseManifest(raw: unknown, registryId: string): PluginManifest {
  const result = manifestSchema.safeParse(raw);
  if (!result.success) throw new PluginLoadError("invalid_manifest", describe(result.error));
  const manifest = result.data;
  if (manifest.id !== registryId) {
    throw new PluginLoadError("id_mismatch", `registry lists "${registryId}" but the manifest says "${manifest.id}"`);
  }
  if (manifest.dependsOn.includes(manifest.id)) throw new PluginLoadError("invalid_manifest", "dependsOn: a plugin cannot depend on itself");
  return manifest;
}

const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/**
 * Shape and meaning of plugin.server.ts. `takenSubjects` maps subjects already registered
 * by active plugins to their owner, so two plugins never define the same subject.
 */
export function parseServer(raw: unknown, takenSubjects: ReadonlyMap<string, string>): PluginServer {
  const result = serverSchema.safeParse(raw);
  if (!result.success) throw new PluginLoadError("invalid_server", describe(result.error));
  const server = result.data as PluginServer;
  const own = new Map<string, Set<string>>();
  for (const subject of server.permissions.subjects) {
    if (own.has(subject.name)) throw new PluginLoadError("subject_conflict", `subject ${subject.name} is defined twice`);
    if (subject.name === "all" || (CORE_SUBJECTS as readonly string[]).includes(subject.name)) {
      throw new PluginLoadError("subject_conflict", `subject ${subject.name} is a core subject`);
    }
    const owner = takenSubjects.get(subject.name);
    if (owner) throw new PluginLoadError("subject_conflict", `subject ${subject.name} is already defined by plugin "${owner}"`);
    own.set(subject.name, new Set([...subject.actions, "manage"]));
  }
  // A plugin may grant only its own subjects: it must never widen access to core data.
  for (const [role, rules] of Object.entries(server.permissions.defaultGrants)) {
    for (const rule of rules ?? []) {
      for (const subject of asList(rule.subject as string | string[])) {
        const actions = own.get(subject);
        if (!actions) throw new PluginLoadError("invalid_server", `defaultGrants.${role}: subject ${subject} is not defined by this plugin`);
        const unknown = asList(rule.action as string | string[]).find((action) => !actions.has(action));
        if (unknown) throw new PluginLoadError("invalid_server", `defaultGrants.${role}: action ${unknown} is not declared for ${subject}`);
      }
    }
  }
  const navKeys = new Set<string>();
  for (const item of server.nav ?? []) {
    if (navKeys.has(item.key)) throw new PluginLoadError("invalid_server", `nav: key ${item.key} is used twice`);
    navKeys.add(item.key);
    const subject = item.can?.[1];
    if (subject && !own.has(subject) && !(CORE_SUBJECTS as readonly string[]).includes(subject)) {
      throw new PluginLoadError("invalid_server", `nav.${item.key}: subject ${subject} is unknown`);
    }
  }
  return server;
}

/** Dotted keys of every string leaf, e.g. "form.title". */
export function translationKeys(value: unknown, prefix = ""): string[] {
  if (typeof value === "string") return [prefix];
  if (!value || typeof value !== "object" || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => translationKeys(child, prefix ? `${prefix}.${key}` : key));
}

/** Both languages present with the same keys, and every nav label translated. */
export function checkTranslations(translations: PluginTranslations | undefined, server: PluginServer): void {
  if (!translations?.ar || !translations.en) throw new PluginLoadError("invalid_translations", "locales/ar.json and locales/en.json are both required");
  const ar = new Set(translationKeys(translations.ar));
  const en = new Set(translationKeys(translations.en));
  const onlyAr = [...ar].filter((k) => !en.has(k));
  const onlyEn = [...en].filter((k) => !ar.has(k));
  if (onlyAr.length || onlyEn.length) {
    const parts = [onlyAr.length ? `missing in en: ${onlyAr.slice(0, 5).join(", ")}` : "", onlyEn.length ? `missing in ar: ${onlyEn.slice(0, 5).join(", ")}` : ""];
    throw new PluginLoadError("invalid_translations", parts.filter(Boolean).join("; "));
  }
  const untranslated = (server.nav ?? []).find((item) => !ar.has(item.label));
  if (untranslated) throw new PluginLoadError("invalid_translations", `nav label ${untranslated.label} has no translation`);
}

/**
 * Registry order, except that every plugin comes after the plugins it depends on.
 * Plugins caught in (or behind) a dependency cycle are returned separately.
 */
export function orderByDependencies(plugins: { id: string; dependsOn: string[] }[]): { ordered: string[]; cyclic: string[] } {
  const known = new Set(plugins.map((p) => p.id));
  const done = new Set<string>();
  const ordered: string[] = [];
  let progressed = true;
  while (progressed) {
    progressed = false;
    for (const plugin of plugins) {
      if (done.has(plugin.id)) continue;
      // Missing dependencies are not edges: the loader reports them as dependency_missing.
      if (plugin.dependsOn.every((dep) => !known.has(dep) || done.has(dep))) {
        done.add(plugin.id);
        ordered.push(plugin.id);
        progressed = true;
      }
    }
  }
  return { ordered, cyclic: plugins.filter((p) => !done.has(p.id)).map((p) => p.id) };
}
