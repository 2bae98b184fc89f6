import type { BusinessCalendar } from "./calendar";
import type { DefinitionGraph } from "./definition";
import { WAITING_KINDS, branchLabel, indexGraph, isJoin, isSplit, parseBranchLabel, scopeKey, type GraphIndex } from "./graph";
import type { Problem } from "./problems";
import { waitingEffect } from "./runtime";
import type { CaseState, Effect, Token } from "./runtime-types";
import { labelScopes } from "./structure";

// Moving a running case to another (validated) version of its definition, as Camunda's and
// Flowable's process-instance migration do: an explicit node mapping old → new; nodes not in the
// mapping keep their id. Pure and previewable: planMigration only computes what would happen.
// To carry it out, the service stores plan.state, and for every move with `reenter` closes what
// the token waited on at the old node (task row, timer) and carries out migrationEffects(...).
// Parallel scopes ("<split>#<edge>") are remapped through the same node mapping; branch edges
// keep their ids across versions.

export interface MigrationMove {
  tokenId: string;
  from: string;
  to: string;
  /** The token lands on a different node (or kind): the old wait ends and a new one starts. */
  reenter: boolean;
}

export interface MigrationPlan {
  ok: boolean;
  /** The migrated state, only when ok. */
  state?: CaseState;
  /** One entry per token, including those that stay where they are. */
  moves: MigrationMove[];
  /** Errors; `node` params (and nodeId) name old-version nodes, `target` params new-version nodes. */
  problems: Problem[];
}

export function planMigration(oldGraph: DefinitionGraph, newGraph: DefinitionGraph, state: CaseState, mapping: Record<string, string>): MigrationPlan {
  const oldIx = indexGraph(oldGraph);
  const newIx = indexGraph(newGraph);
  const problems: Problem[] = [];
  const err = (code: Problem["code"], nodeId: string, params: Record<string, string | number> = {}) =>
    problems.push({ code, severity: "error", nodeId, params: { node: nodeId, ...params } });
  const mapNode = (id: string) => (Object.hasOwn(mapping, id) ? mapping[id]! : id);
  const start = newGraph.nodes.find((n) => n.kind === "start");
  const statics = start ? labelScopes(newIx, start.id) : undefined;

  const mapLabel = (label: string): string => {
    const { splitId, edgeId } = parseBranchLabel(label);
    const to = mapNode(splitId);
    const ok = isSplit(newIx.nodes.get(to)) && newIx.out.get(to)!.some((e) => e.id === edgeId);
    if (!ok) err("migration_branch_edge_missing", splitId, { edge: edgeId });
    return branchLabel(to, edgeId);
  };

  const moves: MigrationMove[] = [];
  const tokens: Token[] = state.tokens.map((t) => {
    const to = mapNode(t.nodeId);
    const target = newIx.nodes.get(to);
    const scope = t.scope.map(mapLabel);
    moves.push({ tokenId: t.id, from: t.nodeId, to, reenter: to !== t.nodeId || target?.kind !== oldIx.nodes.get(t.nodeId)?.kind });
    if (!target) {
      err(Object.hasOwn(mapping, t.nodeId) ? "migration_target_missing" : "migration_token_unmapped", t.nodeId, { target: to, token: t.id });
    } else if (t.status === "active" ? !WAITING_KINDS.has(target.kind) : target.kind === "start" || target.kind === "end") {
      // Active tokens wait; an incident token may also sit on a decision or parallel node (retry re-evaluates it).
      err("migration_target_not_waiting", t.nodeId, { target: to, token: t.id });
    } else if (statics && scopeKey(statics.scopes.get(to) ?? []) !== scopeKey(scope) && !isJoin(target)) {
      err("migration_scope_mismatch", t.nodeId, { target: to, token: t.id });
    }
    return { ...t, nodeId: to, scope };
  });

  const joins: CaseState["joins"] = {};
  for (const [joinId, byScope] of Object.entries(state.joins)) {
    const to = mapNode(joinId);
    if (!isJoin(newIx.nodes.get(to))) {
      err("migration_join_invalid", joinId, { target: to });
      continue;
    }
    for (const [key, arrived] of Object.entries(byScope)) {
      const newKey = scopeKey(key === "" ? [] : key.split("/").map(mapLabel));
      (joins[to] ??= {})[newKey] = [...arrived];
    }
  }
  if (statics) checkBranches(newIx, statics.arrivals, tokens, joins, problems);

  const unique = problems.filter((p, i) => problems.findIndex((q) => JSON.stringify(q) === JSON.stringify(p)) === i);
  if (unique.length > 0) return { ok: false, moves, problems: unique };
  const status = tokens.some((t) => t.status === "incident") ? "incident" : state.status;
  return { ok: true, state: { status, tokens, joins }, moves, problems: [] };
}

/**
 * Every open parallel block must still be able to close: each branch of its split (in the new
 * version) holds a token or has already arrived at the join; otherwise the join would wait forever.
 */
function checkBranches(ix: GraphIndex, arrivals: ReturnType<typeof labelScopes>["arrivals"], tokens: Token[], joins: CaseState["joins"], problems: Problem[]): void {
  const present = new Map<string, { splitId: string; branches: Set<string> }>();
  const note = (parent: string[], splitId: string, edgeId: string) => {
    const k = `${scopeKey(parent)}|${splitId}`;
    const entry = present.get(k) ?? { splitId, branches: new Set<string>() };
    entry.branches.add(edgeId);
    present.set(k, entry);
  };
  for (const t of tokens) {
    t.scope.forEach((label, i) => {
      const { splitId, edgeId } = parseBranchLabel(label);
      note(t.scope.slice(0, i), splitId, edgeId);
    });
  }
  for (const [joinId, byScope] of Object.entries(joins)) {
    const first = arrivals.get(joinId)?.[0]?.scope.at(-1);
    if (first === undefined) continue;
    const { splitId } = parseBranchLabel(first);
    for (const [key, arrived] of Object.entries(byScope)) {
      for (const edgeId of arrived) note(key === "" ? [] : key.split("/"), splitId, edgeId);
    }
  }
  for (const { splitId, branches } of present.values()) {
    const required = (ix.out.get(splitId) ?? []).map((e) => e.id);
    if (required.length === 0) continue; // reported as migration_branch_edge_missing
    if (required.length !== branches.size || required.some((b) => !branches.has(b))) {
      // nodeId is a node of the new version here.
      problems.push({ code: "migration_branches_changed", severity: "error", nodeId: splitId, params: { target: splitId } });
    }
  }
}

/** The waits to start for the moves that re-enter a node (task rows, timers, …), for carrying out a plan. */
export function migrationEffects(newGraph: DefinitionGraph, plan: MigrationPlan, ctx: { now: Date; calendar?: BusinessCalendar | null }): Effect[] {
  if (!plan.ok || !plan.state) return [];
  const ix = indexGraph(newGraph);
  const effects: Effect[] = [];
  for (const move of plan.moves) {
    const token = plan.state.tokens.find((t) => t.id === move.tokenId);
    const node = ix.nodes.get(move.to);
    if (!move.reenter || !token || token.status !== "active" || !node) continue;
    if (node.kind === "task" || node.kind === "gate" || node.kind === "timer" || node.kind === "subprocess" || node.kind === "action") {
      effects.push(waitingEffect(node, token.id, ctx.now, ctx.calendar));
    }
  }
  return effects;
}
