import { z } from "zod";
import { definitionGraph, type DefinitionGraph } from "./definition";

// Masar's own interchange file: one definition graph in an envelope that names the format
// and its version, so a file from a newer Masar is refused with a clear reason instead of
// being half-read. Pure: the caller reads the upload and writes the download.

export const WORKFLOW_FILE_FORMAT = "masar.workflow";
export const WORKFLOW_FILE_VERSION = 1;
/** Uploads larger than this are refused before parsing. */
export const MAX_WORKFLOW_JSON_BYTES = 5 * 1024 * 1024;

export interface WorkflowFileSource {
  /** The published version number the file was exported from; null for a draft. */
  version: number | null;
  status: "draft" | "published" | "archived";
  changeNote?: string | null;
  exportedAt: string;
}

export interface WorkflowFile {
  format: typeof WORKFLOW_FILE_FORMAT;
  formatVersion: typeof WORKFLOW_FILE_VERSION;
  /** Informational only; ignored on import. */
  source?: WorkflowFileSource;
  definition: DefinitionGraph;
}

export function exportWorkflowJson(graph: DefinitionGraph, source?: WorkflowFileSource): string {
  const file: WorkflowFile = { format: WORKFLOW_FILE_FORMAT, formatVersion: WORKFLOW_FILE_VERSION, ...(source ? { source } : {}), definition: graph };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export const JSON_IMPORT_ERROR_CODES = ["too_large", "invalid_json", "not_an_object", "wrong_format", "unsupported_version", "invalid_definition"] as const;
export type JsonImportErrorCode = (typeof JSON_IMPORT_ERROR_CODES)[number];

export interface JsonImportIssue {
  /** Where, readable: "nodes[3] (task_2).name.ar". */
  path: string;
  message: string;
  nodeId?: string;
  edgeId?: string;
  laneId?: string;
}

export type JsonImportResult =
  | { ok: true; graph: DefinitionGraph }
  | { ok: false; code: JsonImportErrorCode; detail?: string; issues: JsonImportIssue[] };

const envelope = z.object({ format: z.string(), formatVersion: z.number(), definition: z.unknown() });

/**
 * Reads a workflow file. A bare definition graph (an object with `nodes`, as the JSON
 * editor shows it) is accepted too. Schema messages come in the reader's language (zod's
 * own Arabic and English messages); paths name the node, edge or lane by id.
 */
export function importWorkflowJson(text: string, locale: "ar" | "en" = "ar"): JsonImportResult {
  if (new TextEncoder().encode(text).length > MAX_WORKFLOW_JSON_BYTES) return fail("too_large", String(MAX_WORKFLOW_JSON_BYTES));
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    return fail("invalid_json", error instanceof Error ? error.message : undefined);
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return fail("not_an_object");
  const obj = value as Record<string, unknown>;
  let candidate: unknown = value;
  if ("format" in obj || "definition" in obj) {
    const env = envelope.safeParse(value);
    if (!env.success || env.data.format !== WORKFLOW_FILE_FORMAT) return fail("wrong_format", typeof obj.format === "string" ? obj.format : undefined);
    if (env.data.formatVersion !== WORKFLOW_FILE_VERSION) return fail("unsupported_version", String(env.data.formatVersion));
    candidate = env.data.definition;
  }
  return parseGraph(candidate, locale);
}

/** Validates a graph's shape (not its structure: that is validateDefinition's job). */
export function parseGraph(candidate: unknown, locale: "ar" | "en" = "ar"): JsonImportResult {
  const parsed = definitionGraph.safeParse(candidate, { error: (locale === "ar" ? z.locales.ar() : z.locales.en()).localeError });
  if (parsed.success) return { ok: true, graph: parsed.data };
  const raw = (candidate && typeof candidate === "object" ? candidate : {}) as Record<string, unknown>;
  const issues = parsed.error.issues.slice(0, 50).map((issue) => describe(raw, issue.path, issue.message));
  return { ok: false, code: "invalid_definition", issues };
}

const WHERE = { nodes: "nodeId", edges: "edgeId", lanes: "laneId" } as const;

function describe(raw: Record<string, unknown>, path: readonly PropertyKey[], message: string): JsonImportIssue {
  const issue: JsonImportIssue = { path: "", message };
  const parts: string[] = [];
  path.forEach((segment, i) => {
    if (typeof segment === "number") {
      let label = `[${segment}]`;
      const list = path[i - 1];
      if (i === 1 && typeof list === "string" && list in WHERE) {
        const item = (raw[list] as unknown[] | undefined)?.[segment] as { id?: unknown } | undefined;
        if (typeof item?.id === "string") {
          label += ` (${item.id})`;
          issue[WHERE[list as keyof typeof WHERE]] = item.id;
        }
      }
      parts.push(label);
    } else parts.push(`${parts.length ? "." : ""}${String(segment)}`);
  });
  issue.path = parts.join("") || "/";
  return issue;
}

function fail(code: JsonImportErrorCode, detail?: string): JsonImportResult {
  return { ok: false, code, ...(detail ? { detail: detail.slice(0, 300) } : {}), issues: [] };
}
