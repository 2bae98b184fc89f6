import { branchLabel, isJoin, isSplit, parseBranchLabel, scopeKey, type GraphIndex } from "./graph";
import type { Problem } from "./problems";

// Flow-level checks: reachability from the start, a way to an end from every node, and the
// matching of parallel splits and joins.
//
// Parallel blocks: "scope labelling". Walking from the start, every node gets one static scope,
// the stack of parallel branches it sits in (innermost last, the same labels the runtime puts on
// tokens): a split pushes "<split>#<edge>" on each outgoing edge, a join pops one level. The
// definition is sound when
//   - every node other than a join is reached with exactly one scope (otherwise two parallel
//     branches merge without a join, or a path leaves or re-enters a block: parallel_scope_mismatch);
//   - every join is reached only from the branches of one split at one level, and from all of
//     them (join_without_split / join_mixed_branches / join_missing_branch);
//   - each split has exactly one join (split_without_join / split_multiple_joins);
//   - no end lies inside a parallel branch (end_inside_parallel).
// Together these mean parallel blocks are properly nested single-entry/single-exit regions
// (loops inside a branch, and loops around a whole block, are fine): each branch carries
// exactly one token that can only leave its branch through the block's join, so the join can
// neither wait forever for a branch that ended elsewhere nor fire twice. Whether a loop is ever
// left is the usual "can reach an end" check, not a guarantee (conditions are data).

type Problems = Problem[];

function reach(from: string[], next: (id: string) => string[]): Set<string> {
  const seen = new Set(from);
  const queue = [...from];
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const n of next(id)) {
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return seen;
}

export function checkFlow(ix: GraphIndex, startId: string | undefined, problems: Problems): void {
  if (startId === undefined) return;
  const forward = reach([startId], (id) => ix.out.get(id)!.map((e) => e.target));
  for (const id of ix.nodes.keys()) {
    if (!forward.has(id)) problems.push({ code: "unreachable", severity: "error", nodeId: id, params: { node: id } });
  }
  const ends = [...ix.nodes.values()].filter((n) => n.kind === "end").map((n) => n.id);
  if (ends.length > 0) {
    const backward = reach(ends, (id) => ix.incoming.get(id)!.map((e) => e.source));
    for (const id of forward) {
      if (!backward.has(id)) problems.push({ code: "cannot_reach_end", severity: "error", nodeId: id, params: { node: id } });
    }
  }
  checkParallel(ix, startId, problems);
}

export interface ParallelScopes {
  /** Static scope of every node reachable from the start (joins: the scope after the join). */
  scopes: Map<string, string[]>;
  /** Per join, the scope each incoming edge brings. */
  arrivals: Map<string, { edgeId: string; scope: string[] }[]>;
  /** Nodes (not joins) reached with two different scopes. */
  mismatched: string[];
}

/** The scope labelling described above; migration.ts uses it on the target version too. */
export function labelScopes(ix: GraphIndex, startId: string): ParallelScopes {
  const scopes = new Map<string, string[]>([[startId, []]]);
  const arrivals = new Map<string, { edgeId: string; scope: string[] }[]>();
  const mismatched: string[] = [];
  const queue = [startId];
  while (queue.length > 0) {
    const id = queue.shift()!;
    const scope = scopes.get(id)!;
    const node = ix.nodes.get(id);
    for (const e of ix.out.get(id)!) {
      const next = isSplit(node) ? [...scope, branchLabel(id, e.id)] : scope;
      const target = ix.nodes.get(e.target);
      if (isJoin(target)) {
        const list = arrivals.get(e.target) ?? [];
        list.push({ edgeId: e.id, scope: next });
        arrivals.set(e.target, list);
        // The join's own scope is its first arrival's, one level up; bad arrivals are reported by checkParallel.
        if (!scopes.has(e.target)) {
          scopes.set(e.target, next.slice(0, -1));
          queue.push(e.target);
        }
      } else if (!scopes.has(e.target)) {
        scopes.set(e.target, next);
        queue.push(e.target);
      } else if (scopeKey(scopes.get(e.target)!) !== scopeKey(next) && !mismatched.includes(e.target)) {
        mismatched.push(e.target);
      }
    }
  }
  return { scopes, arrivals, mismatched };
}

function checkParallel(ix: GraphIndex, startId: string, problems: Problems): void {
  const { scopes, arrivals, mismatched } = labelScopes(ix, startId);
  for (const id of mismatched) problems.push({ code: "parallel_scope_mismatch", severity: "error", nodeId: id, params: { node: id } });

  const joinsOfSplit = new Map<string, string[]>();
  for (const [joinId, list] of arrivals) {
    const err = (code: Problem["code"], params: Record<string, string | number> = {}) =>
      problems.push({ code, severity: "error", nodeId: joinId, params: { node: joinId, ...params } });
    if (list.some((a) => a.scope.length === 0)) {
      err("join_without_split");
      continue;
    }
    const levels = new Set(list.map((a) => `${scopeKey(a.scope.slice(0, -1))}|${parseBranchLabel(a.scope.at(-1)!).splitId}`));
    if (levels.size > 1) {
      err("join_mixed_branches");
      continue;
    }
    const splitId = parseBranchLabel(list[0]!.scope.at(-1)!).splitId;
    joinsOfSplit.set(splitId, [...(joinsOfSplit.get(splitId) ?? []), joinId]);
    const arrived = new Set(list.map((a) => parseBranchLabel(a.scope.at(-1)!).edgeId));
    const missing = ix.out.get(splitId)!.filter((e) => !arrived.has(e.id));
    if (missing.length > 0) err("join_missing_branch", { split: splitId, edge: missing[0]!.id, count: missing.length });
  }

  for (const [id, node] of ix.nodes) {
    if (!isSplit(node) || !scopes.has(id)) continue;
    const joins = joinsOfSplit.get(id) ?? [];
    if (joins.length === 0) problems.push({ code: "split_without_join", severity: "error", nodeId: id, params: { node: id } });
    if (joins.length > 1) problems.push({ code: "split_multiple_joins", severity: "error", nodeId: id, params: { node: id, join: joins[1]! } });
  }
  for (const [id, node] of ix.nodes) {
    const scope = scopes.get(id);
    if (node.kind !== "end" || !scope || scope.length === 0) continue;
    const splitId = parseBranchLabel(scope.at(-1)!).splitId;
    // A split without any join is already reported on the split itself.
    if (joinsOfSplit.has(splitId)) problems.push({ code: "end_inside_parallel", severity: "error", nodeId: id, params: { node: id, split: splitId } });
  }
}
