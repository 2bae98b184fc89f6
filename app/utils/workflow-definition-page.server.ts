import type { RouterContextProvider } from "react-router";
import type { DefinitionGraph } from "~/engine/definition";
import { stepsTable } from "~/engine/steps-table";
import { migrationSources, previewMigration, runMigration, waitingNodes, type CaseMigrationPreview, type MigrationRunResult } from "~/models/case-migration.server";
import {
  checkGraph,
  createDraftFrom,
  discardDraft,
  getDefinition,
  getVersion,
  publish,
  saveDraft,
  setDefinitionArchived,
  setVersionArchived,
} from "~/models/workflow-definitions.server";
import type { Problem } from "~/engine/problems";
import { auditActor } from "./audit-actor.server";
import { appDb, withTenant } from "./db.server";
import { formatDateTime, formatNumber } from "./format";
import { notFound, type OrgContext } from "./org-context.server";
import { assertCan } from "./permissions.server";

// Server side of a definition's admin page (app.$org.admin.workflows.$definitionId): what the
// page shows, and every form on it. Each action is one model call in one transaction
// (a migration: one per case).

type T = (key: string, options?: Record<string, unknown>) => string;
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

export async function loadDefinitionPage(ctx: OrgContext, definitionId: string, url: URL) {
  return withTenant(appDb(), ctx.scope, async (trx) => {
    const def = await getDefinition(trx, ctx.org.id, definitionId);
    if (!def) notFound();
    const problems = def.draft ? await checkGraph(trx, ctx.org.id, def.draft.graph) : [];
    const latest = def.versions.find((v) => v.status !== "draft");
    const shown = def.draft?.graph ?? (latest ? (await getVersion(trx, ctx.org.id, definitionId, latest.id))?.graph : undefined);

    // Migration: from any version with running cases, to a published one.
    const from = url.searchParams.get("from") ?? "";
    const to = url.searchParams.get("to") ?? "";
    const fromVersion = def.versions.find((v) => v.id === from && v.status !== "draft");
    const toVersion = def.versions.find((v) => v.id === to && v.status === "published");
    let migration: { fromGraph: DefinitionGraph; toGraph: DefinitionGraph; sources: { nodeId: string; tokens: number }[]; targets: string[] } | null = null;
    if (fromVersion && toVersion && fromVersion.id !== toVersion.id) {
      const [a, b] = await Promise.all([getVersion(trx, ctx.org.id, definitionId, fromVersion.id), getVersion(trx, ctx.org.id, definitionId, toVersion.id)]);
      if (a && b) {
        migration = {
          fromGraph: a.graph,
          toGraph: b.graph,
          sources: await migrationSources(trx, ctx.org.id, fromVersion.id),
          targets: waitingNodes(b.graph).map((n) => n.id),
        };
      }
    }
    return {
      definition: { id: def.id, key: def.key, name_ar: def.name_ar, name_en: def.name_en, archivedAt: iso(def.archivedAt) },
      versions: def.versions.map((v) => ({ ...v, createdAt: iso(v.createdAt)!, updatedAt: iso(v.updatedAt)!, publishedAt: iso(v.publishedAt) })),
      draft: def.draft ? { id: def.draft.id, lockVersion: def.draft.lockVersion, updatedAt: iso(def.draft.updatedAt)!, graph: def.draft.graph } : null,
      nextVersion: Math.max(0, ...def.versions.map((v) => v.version ?? 0)) + 1,
      problems,
      steps: shown ? stepsTable(shown) : null,
      stepsGraph: shown ?? null,
      migration: { from: fromVersion?.id ?? "", to: toVersion?.id ?? "", data: migration },
      canUpdate: ctx.ability.can("update", "Definition"),
      canMigrate: ctx.ability.can("update", "Definition") && ctx.ability.can("update", "Case"),
    };
  });
}

export type DefinitionActionResult =
  | { intent: "save"; ok: true; message: string; problems: number; lockVersion: number }
  | { intent: "save"; ok: false; message: string; text: string; issues: { path: string; message: string }[]; reload: boolean; conflict?: { lockVersion: number } }
  | { intent: "publish"; ok: boolean; message: string; problems: Problem[] }
  | { intent: "version" | "draft" | "definition"; ok: boolean; message: string }
  | { intent: "preview"; ok: boolean; message: string; total: number; cases: CaseMigrationPreview[]; mapping: Record<string, string> }
  | { intent: "migrate"; ok: boolean; message: string; result: MigrationRunResult | null; mapping: Record<string, string> };

/** Every form of the page; the caller has checked update on Definition. */
export async function definitionAction(ctx: OrgContext, context: Readonly<RouterContextProvider>, definitionId: string, form: FormData, t: T): Promise<{ status: number; body: DefinitionActionResult }> {
  const actor = auditActor(ctx, context);
  const tenant = <R>(fn: Parameters<typeof withTenant<R>>[2]) => withTenant(appDb(), ctx.scope, fn);
  const intent = String(form.get("intent") ?? "");
  const lockVersion = Number.parseInt(String(form.get("lockVersion") ?? ""), 10);
  const versionId = String(form.get("versionId") ?? "");
  const num = (n: number) => formatNumber(n, ctx.prefs);
  const ok = <B extends DefinitionActionResult>(body: B) => ({ status: 200, body });
  const fail = <B extends DefinitionActionResult>(status: number, body: B) => ({ status, body });

  switch (intent) {
    case "save": {
      const text = String(form.get("graph") ?? "");
      let graph: unknown;
      try {
        graph = JSON.parse(text);
      } catch (error) {
        return fail(400, { intent, ok: false, message: t("definitions.editor.invalidJson", { detail: error instanceof Error ? error.message : "" }), text, issues: [], reload: false });
      }
      const r = await tenant((trx) => saveDraft(trx, actor, definitionId, graph, lockVersion, ctx.locale));
      if (r.ok) {
        const errors = r.problems.filter((p) => p.severity === "error").length;
        const warnings = r.problems.length - errors;
        const message = r.problems.length ? t("definitions.editor.savedWithProblems", { errors: num(errors), warnings: num(warnings) }) : t("definitions.editor.saved");
        return ok({ intent, ok: true, message, problems: r.problems.length, lockVersion: r.lockVersion });
      }
      const base = { intent, ok: false as const, text, issues: [] as { path: string; message: string }[], reload: false };
      if (r.reason === "invalid") return fail(400, { ...base, message: t("definitions.editor.invalid"), issues: r.issues.map((i) => ({ path: i.path, message: i.message })) });
      if (r.reason === "key_mismatch") return fail(400, { ...base, message: t("definitions.editor.keyMismatch", { key: r.key }) });
      if (r.reason === "no_draft") return fail(409, { ...base, message: t("definitions.editor.noDraft"), reload: true });
      const at = formatDateTime(r.updatedAt, ctx.prefs, "datetime");
      const message = r.updatedBy ? t("definitions.editor.conflict", { name: r.updatedBy, at }) : t("definitions.editor.conflictAnonymous", { at });
      // The designer keeps its graph and may save over the newer draft with this lock version.
      return fail(409, { ...base, message, reload: true, conflict: { lockVersion: r.lockVersion } });
    }
    case "publish": {
      const r = await tenant((trx) => publish(trx, actor, definitionId, String(form.get("changeNote") ?? ""), Number.isFinite(lockVersion) ? lockVersion : undefined));
      if (r.ok) return ok({ intent, ok: true, message: t("definitions.publish.done", { version: num(r.version) }), problems: r.problems });
      if (r.reason === "invalid") return fail(400, { intent, ok: false, message: t("definitions.publish.refused"), problems: r.problems });
      return fail(409, { intent, ok: false, message: t(r.reason === "stale" ? "definitions.publish.stale" : "definitions.editor.noDraft"), problems: [] });
    }
    case "newDraft": {
      const r = await tenant((trx) => createDraftFrom(trx, actor, definitionId, versionId));
      if (r.ok) return ok({ intent: "draft", ok: true, message: t("definitions.versions.newDraftDone", { version: num(Number(form.get("version") ?? 0)) }) });
      return fail(409, { intent: "draft", ok: false, message: t(r.reason === "draft_exists" ? "definitions.versions.draftExists" : "definitions.errors.notFound") });
    }
    case "discard": {
      const done = await tenant((trx) => discardDraft(trx, actor, definitionId));
      return done ? ok({ intent: "draft", ok: true, message: t("definitions.draft.discarded") }) : fail(409, { intent: "draft", ok: false, message: t("definitions.editor.noDraft") });
    }
    case "archiveVersion":
    case "unarchiveVersion": {
      const archived = intent === "archiveVersion";
      const done = await tenant((trx) => setVersionArchived(trx, actor, definitionId, versionId, archived));
      const version = num(Number(form.get("version") ?? 0));
      if (!done) return fail(409, { intent: "version", ok: false, message: t("definitions.errors.notFound") });
      return ok({ intent: "version", ok: true, message: t(archived ? "definitions.versions.archivedDone" : "definitions.versions.unarchivedDone", { version }) });
    }
    case "archiveDefinition":
    case "restoreDefinition": {
      const archived = intent === "archiveDefinition";
      const done = await tenant((trx) => setDefinitionArchived(trx, actor, definitionId, archived));
      return { status: done ? 200 : 409, body: { intent: "definition", ok: done, message: t(archived ? "definitions.archive.archived" : "definitions.archive.restored") } };
    }
    case "preview":
    case "migrate": {
      assertCan(ctx.ability, "update", "Case");
      const from = String(form.get("from") ?? "");
      const to = String(form.get("to") ?? "");
      const mapping: Record<string, string> = {};
      for (const [k, v] of form.entries()) if (k.startsWith("map:") && typeof v === "string" && v) mapping[k.slice(4)] = v;
      if (intent === "preview") {
        const r = await tenant((trx) => previewMigration(trx, ctx.org.id, definitionId, from, to, mapping));
        if (!r.ok) return fail(400, { intent, ok: false, message: t(`definitions.migrate.errors.${r.error}`), total: 0, cases: [], mapping });
        return ok({ intent, ok: true, message: "", total: r.total, cases: r.cases, mapping });
      }
      const r = await runMigration(appDb(), actor, { definitionId, fromVersionId: from, toVersionId: to, mapping });
      if (!r.ok) return fail(400, { intent, ok: false, message: t(`definitions.migrate.errors.${r.error}`), result: null, mapping });
      return ok({ intent, ok: true, message: "", result: r.result, mapping });
    }
    default:
      return fail(400, { intent: "definition", ok: false, message: "unknown intent" });
  }
}
