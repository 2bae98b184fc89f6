import type { DefinitionGraph, Edge, NodeKind, WorkflowNode } from "./definition";

// Lookup tables over a definition, shared by the validator, the runtime and migration.

export interface GraphIndex {
  nodes: Map<string, WorkflowNode>;
  /** Outgoing edges per node, in definition order (decisions evaluate in this order). */
  out: Map<string, Edge[]>;
  incoming: Map<string, Edge[]>;
}

/** Builds the index. Edges whose ends do not exist are left out; the first node with an id wins. */
export function indexGraph(g: Pick<DefinitionGraph, "nodes" | "edges">): GraphIndex {
  const nodes = new Map<string, WorkflowNode>();
  for (const n of g.nodes) if (!nodes.has(n.id)) nodes.set(n.id, n);
  const out = new Map<string, Edge[]>();
  const incoming = new Map<string, Edge[]>();
  for (const n of nodes.keys()) {
    out.set(n, []);
    incoming.set(n, []);
  }
  for (const e of g.edges) {
    if (!nodes.has(e.source) || !nodes.has(e.target)) continue;
    out.get(e.source)!.push(e);
    incoming.get(e.target)!.push(e);
  }
  return { nodes, out, incoming };
}

/** Nodes where a token stays until something outside the engine finishes them. */
export const WAITING_KINDS: ReadonlySet<NodeKind> = new Set(["task", "gate", "timer", "subprocess", "action"]);

export function isSplit(n: WorkflowNode | undefined): boolean {
  return n?.kind === "parallel" && n.direction === "split";
}

export function isJoin(n: WorkflowNode | undefined): boolean {
  return n?.kind === "parallel" && n.direction === "join";
}

/** Scope entries name a parallel branch: "<splitNodeId>#<branchEdgeId>" ('#' cannot occur in ids). */
export function branchLabel(splitId: string, edgeId: string): string {
  return `${splitId}#${edgeId}`;
}

export function parseBranchLabel(label: string): { splitId: string; edgeId: string } {
  const i = label.indexOf("#");
  return { splitId: label.slice(0, i), edgeId: label.slice(i + 1) };
}

/** Key of a parallel scope instance in CaseState.joins ('/' cannot occur in ids either). */
export function scopeKey(scope: readonly string[]): string {
  return scope.join("/");
}
