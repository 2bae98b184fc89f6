import { sql } from "kysely";
import { recordAudit } from "./audit.server";
import { CaseRun } from "./case-runner.server";
import { getVersionById, type RuntimeVersion } from "./published-versions.server";
import type { DefinitionGraph, WorkflowNode } from "~/engine/definition";
import { WAITING_KINDS } from "~/engine/graph";
import { migrationEffects, planMigration, type MigrationMove } from "~/engine/migration";
import type { Problem } from "~/engine/problems";
import type { CaseState } from "~/engine/runtime-types";
import type { AuditActor } from "~/utils/audit-actor.server";
import { withTenant, type Db, type Tx } from "~/utils/db.server";

// Moving running cases of a definition to a newer version with an explicit node mapping
// (old node id → new node id; unmapped nodes keep their id), previewed before it runs.
// The plan is the pure engine's planMigration; carrying it out reuses the case runner, so
// new waits (tasks, timers, sub-cases) start exactly as they would in a normal step.
// Each case moves in its own transaction: one bad case never blocks or undoes the others.

/** Problems the service adds to the engine's plan (translated under engine:definitions.migrate.problems). */
export const SERVICE_PROBLEM_CODES = ["migration_subprocess_moved", "migration_case_changed"] as const;
export type ServiceProblemCode = (typeof SERVICE_PROBLEM_CODES)[number];
export type MigrationProblem = Problem | { code: ServiceProblemCode; severity: "error"; nodeId?: string; params?: Record<string, string | number> };

export interface CaseMigrationPreview {
  caseId: string;
  reference: string;
  title: string | null;
  status: string;
  moves: MigrationMove[];
  problems: MigrationProblem[];
}

export const MIGRATION_SETUP_ERRORS = ["version_not_found", "same_version", "target_not_published"] as const;
export type MigrationSetupError = (typeof MIGRATION_SETUP_ERRORS)[number];

interface Versions {
  from: RuntimeVersion;
  to: RuntimeVersion;
}

const HUMAN = new Set(["task", "gate"]);
/** Cases this many at most are previewed on one page; running covers all of them. */
export const PREVIEW_LIMIT = 200;

async function loadVersions(trx: Tx, orgId: string, definitionId: string, fromVersionId: string, toVersionId: string): Promise<Versions | MigrationSetupError> {
  if (fromVersionId === toVersionId) return "same_version";
  const rows = await trx
    .selectFrom("workflow_versions")
    .select(["id", "status"])
    .where("org_id", "=", orgId)
    .where("definition_id", "=", definitionId)
    .where("id", "in", [fromVersionId, toVersionId])
    .where("status", "!=", "draft")
    .execute();
  const to = rows.find((r) => r.id === toVersionId);
  if (!to || !rows.some((r) => r.id === fromVersionId)) return "version_not_found";
  // New work only goes to a version that may start cases.
  if (to.status !== "published") return "target_not_published";
  return { from: await getVersionById(trx, orgId, fromVersionId), to: await getVersionById(trx, orgId, toVersionId) };
}

/** The old version's waiting nodes that running cases are on, with how many tokens each holds. */
export async function migrationSources(trx: Tx, orgId: string, versionId: string): Promise<{ nodeId: string; tokens: number }[]> {
  const rows = await sql<{ node_id: string; n: number }>`
    SELECT tok->>'nodeId' AS node_id, count(*)::int AS n
    FROM cases c, jsonb_array_elements(c.state->'tokens') tok
    WHERE c.org_id = ${orgId} AND c.version_id = ${versionId} AND c.status IN ('running', 'incident')
    GROUP BY 1 ORDER BY 1`.execute(trx);
  return rows.rows.map((r) => ({ nodeId: r.node_id, tokens: r.n }));
}

/** The waiting nodes of a graph a token may be mapped to. */
export function waitingNodes(graph: DefinitionGraph): WorkflowNode[] {
  return graph.nodes.filter((n) => WAITING_KINDS.has(n.kind));
}

function plan(versions: Versions, state: CaseState, mapping: Record<string, string>) {
  const result = planMigration(versions.from.graph, versions.to.graph, state, mapping);
  const problems: MigrationProblem[] = [...result.problems];
  const engine = result;
  for (const move of result.moves) {
    const from = versions.from.graph.nodes.find((n) => n.id === move.from);
    // A sub-case reports back to the node that started it; moving that token elsewhere
    // would strand the sub-case (or start a second one).
    if (move.reenter && from?.kind === "subprocess") problems.push({ code: "migration_subprocess_moved", severity: "error", nodeId: move.from, params: { node: move.from } });
  }
  return { ...result, problems, engine };
}

function activeCases(trx: Tx, orgId: string, versionId: string) {
  return trx
    .selectFrom("cases")
    .where("org_id", "=", orgId)
    .where("version_id", "=", versionId)
    .where("status", "in", ["running", "incident"]);
}

/** What would happen to each running case (up to PREVIEW_LIMIT), without changing anything. */
export async function previewMigration(
  trx: Tx,
  orgId: string,
  definitionId: string,
  fromVersionId: string,
  toVersionId: string,
  mapping: Record<string, string>,
): Promise<{ ok: true; total: number; cases: CaseMigrationPreview[] } | { ok: false; error: MigrationSetupError }> {
  const versions = await loadVersions(trx, orgId, definitionId, fromVersionId, toVersionId);
  if (typeof versions === "string") return { ok: false, error: versions };
  const count = await activeCases(trx, orgId, fromVersionId).select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
  const rows = await activeCases(trx, orgId, fromVersionId)
    .select(["id", "reference", "title", "status", "state"])
    .orderBy("started_at")
    .orderBy("id")
    .limit(PREVIEW_LIMIT)
    .execute();
  const cases = rows.map((row) => {
    const p = plan(versions, row.state as CaseState, mapping);
    return { caseId: row.id, reference: row.reference, title: row.title, status: row.status, moves: p.moves, problems: p.problems };
  });
  return { ok: true, total: count.n, cases };
}

export interface MigrationRunResult {
  migrated: { caseId: string; reference: string; moves: MigrationMove[] }[];
  skipped: { caseId: string; reference: string; problems: MigrationProblem[] }[];
}

/**
 * Migrates every running case of fromVersion, one transaction per case. Cases whose plan has
 * problems are skipped and reported; the others move to toVersion: state and version are
 * replaced, open tasks of tokens that stay on a human step are updated in place (node, name,
 * lane, candidates — a claim survives when the candidates did not change), other moved
 * tokens end their old wait and start the new one, and the case log gets a "migrated" event.
 */
export async function runMigration(
  db: Db,
  actor: AuditActor,
  input: { definitionId: string; fromVersionId: string; toVersionId: string; mapping: Record<string, string> },
): Promise<{ ok: true; result: MigrationRunResult } | { ok: false; error: MigrationSetupError }> {
  const scope = { orgId: actor.orgId, userId: actor.actorUserId };
  const setup = await withTenant(db, scope, async (trx) => {
    const versions = await loadVersions(trx, actor.orgId, input.definitionId, input.fromVersionId, input.toVersionId);
    if (typeof versions === "string") return versions;
    const ids = await activeCases(trx, actor.orgId, input.fromVersionId).select(["id", "reference"]).orderBy("started_at").orderBy("id").execute();
    return { versions, ids };
  });
  if (typeof setup === "string") return { ok: false, error: setup };

  const result: MigrationRunResult = { migrated: [], skipped: [] };
  for (const { id, reference } of setup.ids) {
    const outcome = await withTenant(db, scope, (trx) => migrateOne(trx, actor, setup.versions, id, input.mapping));
    if (outcome.ok) result.migrated.push({ caseId: id, reference, moves: outcome.moves });
    else result.skipped.push({ caseId: id, reference, problems: outcome.problems });
  }
  await withTenant(db, scope, (trx) =>
    recordAudit(trx, {
      ...actor,
      action: "definition.migrate",
      subjectType: "Definition",
      subjectId: input.definitionId,
      before: { versionId: input.fromVersionId, version: setup.versions.from.version },
      after: {
        versionId: input.toVersionId,
        version: setup.versions.to.version,
        mapping: input.mapping,
        migrated: result.migrated.map((c) => c.reference),
        skipped: result.skipped.map((c) => c.reference),
      },
    }),
  );
  return { ok: true, result };
}

async function migrateOne(
  trx: Tx,
  actor: AuditActor,
  versions: Versions,
  caseId: string,
  mapping: Record<string, string>,
): Promise<{ ok: true; moves: MigrationMove[] } | { ok: false; problems: MigrationProblem[] }> {
  const run = new CaseRun(trx, actor.orgId, actor.actorUserId);
  const kase = await run.lockCase(caseId);
  // Completed, cancelled or moved by someone else since the list was read.
  const current = await trx.selectFrom("cases").select(["status", "version_id"]).where("org_id", "=", actor.orgId).where("id", "=", caseId).executeTakeFirst();
  if (!kase || !current || current.version_id !== versions.from.id || !["running", "incident"].includes(current.status)) {
    return { ok: false, problems: [{ code: "migration_case_changed", severity: "error" }] };
  }
  const p = plan(versions, kase.state, mapping);
  if (!p.ok || !p.state || p.problems.length > 0) return { ok: false, problems: p.problems };

  const oldGraph = versions.from.graph;
  const newGraph = versions.to.graph;
  const inPlace = new Set<string>();
  for (const move of p.moves) {
    const from = oldGraph.nodes.find((n) => n.id === move.from)!;
    const to = newGraph.nodes.find((n) => n.id === move.to)!;
    if (HUMAN.has(from.kind) && from.kind === to.kind) {
      await updateTaskInPlace(trx, actor.orgId, caseId, move.tokenId, from, to, oldGraph, newGraph);
      inPlace.add(move.tokenId);
      continue;
    }
    if (!move.reenter) continue;
    // The old wait ends: its task is cancelled, its timer will not fire.
    await trx
      .updateTable("tasks")
      .set((eb) => ({ status: "cancelled", row_version: eb("row_version", "+", 1) }))
      .where("org_id", "=", actor.orgId)
      .where("case_id", "=", caseId)
      .where("token_id", "=", move.tokenId)
      .where("status", "=", "open")
      .execute();
    await trx
      .updateTable("case_timers")
      .set({ cancelled_at: run.now })
      .where("org_id", "=", actor.orgId)
      .where("case_id", "=", caseId)
      .where("token_id", "=", move.tokenId)
      .where("fired_at", "is", null)
      .where("cancelled_at", "is", null)
      .execute();
  }
  // An incident stays open on its token; it now points at the token's new node.
  for (const move of p.moves.filter((m) => m.from !== m.to)) {
    await trx
      .updateTable("incidents")
      .set({ node_id: move.to })
      .where("org_id", "=", actor.orgId)
      .where("case_id", "=", caseId)
      .where("token_id", "=", move.tokenId)
      .where("status", "=", "open")
      .execute();
  }

  kase.version = versions.to;
  run.event(kase, {
    type: "migrated",
    payload: {
      fromVersionId: versions.from.id,
      fromVersion: versions.from.version,
      toVersionId: versions.to.id,
      toVersion: versions.to.version,
      moves: p.moves.map((m) => ({ tokenId: m.tokenId, from: m.from, to: m.to })),
    },
  });
  const effects = migrationEffects(newGraph, p.engine, { now: run.now, calendar: await run.businessCalendar() }).filter((e) => !("tokenId" in e) || !inPlace.has(e.tokenId));
  await run.apply(kase, { state: p.state, effects });
  await run.flush();
  await trx.updateTable("cases").set({ version_id: versions.to.id }).where("org_id", "=", actor.orgId).where("id", "=", caseId).execute();
  return { ok: true, moves: p.moves };
}

function candidatesOf(node: WorkflowNode, graph: DefinitionGraph): { roleKey: string | null; unitCode: string | null } {
  if (node.kind === "gate") return { roleKey: node.approverRole, unitCode: null };
  const lane = node.lane ? graph.lanes.find((l) => l.id === node.lane) : undefined;
  return {
    roleKey: lane?.assignee.type === "role" ? lane.assignee.roleKey : null,
    unitCode: lane?.assignee.type === "unit" ? lane.assignee.unitCode : null,
  };
}

/** A token that stays on a human step keeps its task row: node, name, lane and candidates follow the new version. */
async function updateTaskInPlace(trx: Tx, orgId: string, caseId: string, tokenId: string, from: WorkflowNode, to: WorkflowNode, oldGraph: DefinitionGraph, newGraph: DefinitionGraph) {
  const before = candidatesOf(from, oldGraph);
  const after = candidatesOf(to, newGraph);
  const sameCandidates = before.roleKey === after.roleKey && before.unitCode === after.unitCode;
  await trx
    .updateTable("tasks")
    .set((eb) => ({
      node_id: to.id,
      name_ar: to.name.ar,
      name_en: to.name.en,
      lane_id: to.lane ?? null,
      candidate_role_id: after.roleKey ? eb.selectFrom("roles").select("id").where("org_id", "=", orgId).where("key", "=", after.roleKey) : null,
      candidate_unit_id: after.unitCode ? eb.selectFrom("org_units").select("id").where("org_id", "=", orgId).where("code", "=", after.unitCode) : null,
      // Someone who claimed the step keeps it unless the step now belongs to other people.
      ...(sameCandidates ? {} : { assignee_user_id: null, claimed_at: null }),
      row_version: eb("row_version", "+", 1),
    }))
    .where("org_id", "=", orgId)
    .where("case_id", "=", caseId)
    .where("token_id", "=", tokenId)
    .where("status", "=", "open")
    .execute();
}
