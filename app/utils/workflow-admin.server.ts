import type { RouterContextProvider } from "react-router";
import { z } from "zod";
import { BpmnImportError, importBpmn, type BpmnWarning } from "~/engine/bpmn";
import { slugKey, type DefinitionGraph, type Localised } from "~/engine/definition";
import { importWorkflowJson } from "~/engine/interchange-json";
import { createDefinition } from "~/models/workflow-definitions.server";
import { auditActor } from "./audit-actor.server";
import { MULTIPART_TOKEN_MAX_BYTES } from "./csrf.server";
import { appDb, withTenant } from "./db.server";
import { formatNumber } from "./format";
import type { OrgContext } from "./org-context.server";

// The definitions admin pages' server side: reading the create and import forms, turning a
// JSON or BPMN upload into a new definition, and translating what went wrong. The routes
// stay thin: parse → authorize → call this → respond.

type T = (key: string, options?: Record<string, unknown>) => string;

/**
 * Uploads go through the ordinary form (CSRF token in the body), which the CSRF check reads
 * only up to this size; workflow files are far smaller. The page checks the size before
 * sending, and the action again.
 */
export const MAX_IMPORT_BYTES = MULTIPART_TOKEN_MAX_BYTES;

const createSchema = z.object({
  key: slugKey,
  name_ar: z.string().trim().min(1).max(500),
  name_en: z.string().trim().min(1).max(500),
});

export type CreateFormResult = { ok: true; definitionId: string } | { ok: false; values: Record<string, string>; fieldErrors: Record<string, string> };

export async function createFromForm(ctx: OrgContext, context: Readonly<RouterContextProvider>, form: FormData, t: T): Promise<CreateFormResult> {
  const values = { key: String(form.get("key") ?? "").trim(), name_ar: String(form.get("name_ar") ?? ""), name_en: String(form.get("name_en") ?? "") };
  const parsed = createSchema.safeParse(values);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= t(`definitions.errors.${String(issue.path[0])}`);
    return { ok: false, values, fieldErrors };
  }
  const name = { ar: parsed.data.name_ar, en: parsed.data.name_en };
  const result = await withTenant(appDb(), ctx.scope, (trx) => createDefinition(trx, auditActor(ctx, context), { key: parsed.data.key, name }));
  if (!result.ok) return { ok: false, values, fieldErrors: { key: t("definitions.errors.keyTaken") } };
  return { ok: true, definitionId: result.definitionId };
}

export type ImportFormResult =
  | { ok: true; definitionId: string; name: Localised; warnings: string[] }
  | { ok: false; error: string; issues: { path: string; message: string }[]; key: string };

/** Reads the upload (JSON or BPMN, told apart by content) and creates a definition from it. */
export async function importFromForm(ctx: OrgContext, context: Readonly<RouterContextProvider>, request: Request, t: T): Promise<ImportFormResult> {
  const err = (code: string, params: Record<string, unknown> = {}, issues: { path: string; message: string }[] = [], key = "") => ({
    ok: false as const,
    error: t(`definitions.import.errors.${code}`, params),
    issues,
    key,
  });
  const maxLabel = `${formatNumber(MAX_IMPORT_BYTES / 1024 / 1024, ctx.prefs)} MB`;
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (!Number.isFinite(declared) || declared > MAX_IMPORT_BYTES + 64 * 1024) return err("too_large", { max: maxLabel });
  const form = await request.formData();
  const key = String(form.get("key") ?? "").trim();
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return err("no_file", {}, [], key);
  if (file.size > MAX_IMPORT_BYTES) return err("too_large", { max: maxLabel }, [], key);
  if (key && !slugKey.safeParse(key).success) return err("key_invalid", {}, [], key);
  const text = await file.text();

  let graph: DefinitionGraph;
  let warnings: string[] = [];
  let source: "json" | "bpmn";
  if (/^\s*</.test(text.replace(/^\uFEFF/, ""))) {
    source = "bpmn";
    try {
      const imported = await importBpmn(text, key ? { key } : {});
      graph = imported.graph;
      warnings = imported.warnings.map((w) => bpmnWarningText(w, t));
    } catch (error) {
      if (error instanceof BpmnImportError) return err(error.code, { detail: error.detail ?? "" }, [], key);
      throw error;
    }
  } else {
    source = "json";
    const read = importWorkflowJson(text, ctx.locale);
    if (!read.ok) return err(read.code, { detail: read.detail ?? "", max: maxLabel }, read.issues.map((i) => ({ path: i.path, message: i.message })), key);
    graph = key ? { ...read.graph, key } : read.graph;
  }
  const created = await withTenant(appDb(), ctx.scope, (trx) => createDefinition(trx, auditActor(ctx, context), { key: graph.key, name: namesOf(graph), graph, source }));
  if (!created.ok) return err("key_taken", { key: graph.key }, [], key);
  return { ok: true, definitionId: created.definitionId, name: graph.name, warnings };
}

/** The definition row needs names in both languages; an unnamed import is called by its key. */
function namesOf(graph: DefinitionGraph): Localised {
  const ar = graph.name.ar.trim() || graph.name.en.trim() || graph.key;
  return { ar: ar.slice(0, 500), en: (graph.name.en.trim() || ar).slice(0, 500) };
}

export function bpmnWarningText(w: BpmnWarning, t: T): string {
  return t(`definitions.import.bpmnWarnings.${w.code}`, { elementId: w.elementId ?? "", ...w.params });
}
