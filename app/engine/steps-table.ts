import type { DefinitionGraph, Localised } from "./definition";

// The steps table of the service documentation card (DOMAIN.md §1): number, step,
// description, responsibility, inputs, outputs, methods/tools, estimated time, with the
// total step count and time. It is a second view of the same definition as the flowchart,
// so it is derived from the graph, never stored.

export interface StepRow {
  number: number;
  nodeId: string;
  kind: "task" | "gate";
  name: Localised;
  description?: Localised;
  responsibility?: Localised;
  inputs?: Localised;
  outputs?: Localised;
  tools?: Localised;
  estimatedMinutes?: number;
  producesDocument: boolean;
}

export interface StepsTable {
  rows: StepRow[];
  totalMinutes: number;
  /** Steps without an estimate (the total then understates the time). */
  unestimated: number;
}

/** Human steps in flow order: breadth-first from the start along the edges as listed; unreachable steps last. */
export function stepsTable(graph: DefinitionGraph): StepsTable {
  const out = new Map<string, string[]>();
  for (const e of graph.edges) out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
  const order: string[] = [];
  const seen = new Set<string>();
  const queue = graph.nodes.filter((n) => n.kind === "start").map((n) => n.id);
  while (queue.length) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    order.push(id);
    queue.push(...(out.get(id) ?? []));
  }
  for (const n of graph.nodes) if (!seen.has(n.id)) order.push(n.id);

  const lanes = new Map(graph.lanes.map((l) => [l.id, l.name]));
  const rows: StepRow[] = [];
  for (const id of order) {
    const node = graph.nodes.find((n) => n.id === id);
    if (!node || (node.kind !== "task" && node.kind !== "gate")) continue;
    const task = node.kind === "task" ? node : undefined;
    rows.push({
      number: rows.length + 1,
      nodeId: node.id,
      kind: node.kind,
      name: node.name,
      description: node.documentation ?? task?.instructions,
      responsibility: node.lane ? lanes.get(node.lane) : undefined,
      inputs: task?.inputs,
      outputs: task?.outputs,
      tools: task?.tools,
      estimatedMinutes: task?.estimatedMinutes,
      producesDocument: task?.producesDocument ?? false,
    });
  }
  return {
    rows,
    totalMinutes: rows.reduce((sum, r) => sum + (r.estimatedMinutes ?? 0), 0),
    unestimated: rows.filter((r) => r.estimatedMinutes === undefined).length,
  };
}
