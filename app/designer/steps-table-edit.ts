import type { DefinitionGraph, Edge, Localised, TaskNode, WorkflowNode } from "~/engine/definition";
import { diagramLayout, nodeSize, type Bounds } from "~/engine/geometry";
import { stepsTable } from "~/engine/steps-table";

// The steps table of the service documentation card, edited: every change is a change of the
// graph, so the flowchart and the table stay two views of one definition. Pure functions
// (graph in, graph out) that the designer's store records as undoable steps.
//
// Column → field: step = name, description = documentation, responsibility = lane,
// inputs / outputs / methods-tools / estimated time / "produces an official document" = the
// task's fields of the same meaning. Gates carry only name, description and lane.

export interface StepPatch {
  name?: Localised;
  description?: Localised;
  /** A lane id, or null for none. */
  lane?: string | null;
  inputs?: Localised;
  outputs?: Localised;
  tools?: Localised;
  /** Minutes, or null for "not estimated". */
  estimatedMinutes?: number | null;
  producesDocument?: boolean;
}

const TASK_ONLY = ["inputs", "outputs", "tools", "estimatedMinutes", "producesDocument"] as const;
/** Gap between shapes along the flow when a step is inserted. */
const GAP = 70;

const blank = (l: Localised | undefined) => !l || (l.ar.trim() === "" && l.en.trim() === "");

/** The first free "<prefix>_<n>" in the definition's one id space (nodes, edges, lanes). */
export function freshId(graph: DefinitionGraph, prefix: string): string {
  const used = new Set([...graph.nodes, ...graph.edges, ...graph.lanes].map((x) => x.id));
  let n = 1;
  while (used.has(`${prefix}_${n}`)) n++;
  return `${prefix}_${n}`;
}

function applyPatch<N extends WorkflowNode>(node: N, patch: StepPatch): N {
  const next: Record<string, unknown> = { ...node };
  const set = (key: string, value: unknown, unset: boolean) => {
    if (unset) delete next[key];
    else next[key] = value;
  };
  if (patch.name) next.name = patch.name;
  if (patch.description !== undefined) set("documentation", patch.description, blank(patch.description));
  if (patch.lane !== undefined) set("lane", patch.lane, patch.lane === null);
  if (node.kind === "task") {
    for (const key of TASK_ONLY) {
      const value = patch[key];
      if (value === undefined) continue;
      if (key === "estimatedMinutes") set(key, value === null ? undefined : Math.max(0, Math.min(525_600, Math.round(value as number))), value === null);
      else if (key === "producesDocument") set(key, true, value !== true);
      else set(key, value, blank(value as Localised));
    }
  }
  return next as N;
}

/** Edits one row: the step's node changes, nothing else. Unknown ids and non-step nodes leave the graph as it is. */
export function updateStep(graph: DefinitionGraph, nodeId: string, patch: StepPatch): DefinitionGraph {
  if (patch.lane && !graph.lanes.some((l) => l.id === patch.lane)) return graph;
  return {
    ...graph,
    nodes: graph.nodes.map((n) => (n.id === nodeId && (n.kind === "task" || n.kind === "gate") ? applyPatch(n, patch) : n)),
  };
}

/** Where the flow goes on from a node: a task's only edge, a gate's "go", a start's edge. */
function onwardEdge(graph: DefinitionGraph, nodeId: string): Edge | undefined {
  const out = graph.edges.filter((e) => e.source === nodeId);
  return out.find((e) => e.outcome === "go") ?? out.find((e) => !e.outcome && !e.isDefault) ?? out[0];
}

/**
 * Adds a row: a task in the given lane, spliced into the flow after the table's last step
 * (or after the start when the table is empty): last → new → whatever followed the last step.
 * The edge into the new step is the old one (a gate's "go" stays its "go"). Shapes further
 * along the flow move aside to make room, so nothing ends up on top of another shape.
 */
export function addStep(graph: DefinitionGraph, input: StepPatch & { name: Localised }, id = freshId(graph, "task")): { graph: DefinitionGraph; nodeId: string } {
  const rows = stepsTable(graph).rows;
  const after = rows.at(-1)?.nodeId ?? graph.nodes.find((n) => n.kind === "start")?.id;
  const lane = input.lane && graph.lanes.some((l) => l.id === input.lane) ? input.lane : undefined;
  const base: TaskNode = { id, kind: "task", name: input.name, ...(lane ? { lane } : {}) };
  let task = applyPatch(base, { ...input, lane: undefined });

  const layout = diagramLayout(graph);
  const vertical = layout.orientation === "vertical";
  // Everything gets an explicit position first, so moving some shapes keeps the others where they are drawn.
  let nodes = graph.nodes.map((n) => ({ ...n, position: n.position ?? { x: layout.nodes.get(n.id)!.x, y: layout.nodes.get(n.id)!.y } }));
  let edges = graph.edges;
  const anchor = after ? layout.nodes.get(after) : undefined;
  const onward = after ? onwardEdge(graph, after) : undefined;
  if (anchor) {
    const next = onward ? layout.nodes.get(onward.target) : undefined;
    const along = (b: Bounds) => (vertical ? b.y + b.height / 2 : b.x + b.width / 2);
    const sign = next && along(next) !== along(anchor) ? Math.sign(along(next) - along(anchor)) : vertical || graph.direction === "ltr" ? 1 : -1;
    const size = nodeSize(task);
    const len = vertical ? size.height : size.width;
    const anchorLen = vertical ? anchor.height : anchor.width;
    const start = sign > 0 ? along(anchor) + anchorLen / 2 + GAP : along(anchor) - anchorLen / 2 - GAP - len;
    const band = lane ? layout.lanes.get(lane) : undefined;
    const cross = band
      ? vertical
        ? band.x + band.width / 2 - size.width / 2
        : band.y + band.height / 2 - size.height / 2
      : vertical
        ? anchor.x + anchor.width / 2 - size.width / 2
        : anchor.y + anchor.height / 2 - size.height / 2;
    task = { ...task, position: vertical ? { x: cross, y: start } : { x: start, y: cross } };
    // Shapes beyond the anchor move along the flow until they clear the new step.
    const beyond = (b: Bounds) => sign * (along(b) - along(anchor)) > 0;
    const moving = graph.nodes.filter((n) => beyond(layout.nodes.get(n.id)!)).map((n) => layout.nodes.get(n.id)!);
    const near = moving.length ? Math.min(...moving.map((b) => (sign > 0 ? (vertical ? b.y : b.x) - (start + len) : start - (vertical ? b.y + b.height : b.x + b.width)))) : Infinity;
    const shift = near < GAP ? sign * (GAP - near) : 0;
    if (shift) {
      const edge = along(anchor);
      nodes = nodes.map((n) => (beyond(layout.nodes.get(n.id)!) ? { ...n, position: vertical ? { ...n.position, y: n.position.y + shift } : { ...n.position, x: n.position.x + shift } } : n));
      edges = edges.map((e) =>
        e.waypoints ? { ...e, waypoints: e.waypoints.map((p) => (sign * ((vertical ? p.y : p.x) - edge) > 0 ? (vertical ? { ...p, y: p.y + shift } : { ...p, x: p.x + shift }) : p)) } : e,
      );
    }
  }
  if (after) {
    if (onward) {
      const { waypoints: _w, ...into } = { ...onward, target: id };
      edges = edges.map((e) => (e.id === onward.id ? into : e));
      edges = [...edges, { id: freshId({ ...graph, nodes: [...graph.nodes, task], edges }, "flow"), source: id, target: onward.target }];
    } else {
      edges = [...edges, { id: freshId({ ...graph, nodes: [...graph.nodes, task] }, "flow"), source: after, target: id }];
      const end = graph.nodes.find((n) => n.kind === "end");
      if (end) edges = [...edges, { id: freshId({ ...graph, nodes: [...graph.nodes, task], edges }, "flow"), source: id, target: end.id }];
    }
  }
  return { graph: { ...graph, nodes: [...nodes, task], edges }, nodeId: id };
}

/**
 * Deletes a row: the step goes, and whatever led into it now leads to where it led (a
 * gate's "go"); the step's other ways out go with it, and a loop that would now point at
 * itself is dropped. Conditions and outcomes of the incoming edges are kept.
 */
export function deleteStep(graph: DefinitionGraph, nodeId: string): DefinitionGraph {
  const node = graph.nodes.find((n) => n.id === nodeId);
  if (!node || (node.kind !== "task" && node.kind !== "gate")) return graph;
  const onward = onwardEdge(graph, nodeId);
  const edges: Edge[] = [];
  for (const e of graph.edges) {
    if (e.source === nodeId) continue;
    if (e.target !== nodeId) {
      edges.push(e);
      continue;
    }
    if (!onward || onward.target === nodeId || onward.target === e.source) continue;
    const { waypoints: _w, ...rest } = e;
    edges.push({ ...rest, target: onward.target });
  }
  return { ...graph, nodes: graph.nodes.filter((n) => n.id !== nodeId), edges };
}
