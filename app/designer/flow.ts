import { Position, type Edge as FlowEdge, type Node as FlowNode, type NodeHandle } from "@xyflow/react";
import type { DefinitionGraph, Edge, Localised, WorkflowNode } from "~/engine/definition";
import { diagramLayout, nodeSize, parallelOffsets, type Bounds } from "~/engine/geometry";
import type { Problem } from "~/engine/problems";

// The definition as React Flow nodes and edges. The canvas is controlled (the editor store
// owns the graph), so this runs on every change, also on every frame of a drag. To keep 500
// nodes smooth, a node or edge object is reused as long as what it shows is unchanged: the
// store keeps unchanged nodes identical, and React Flow skips nodes whose object is the same.

export type Severity = "error" | "warning";
export type Highlight = "visited" | "current";

export interface ShapeData extends Record<string, unknown> {
  node: WorkflowNode;
  label: string;
  /** A second line under the name (the plugin of an action). */
  caption?: string;
  severity?: Severity;
  highlight?: Highlight;
  readOnly: boolean;
}

export interface LinkData extends Record<string, unknown> {
  edge: Edge;
  source: Bounds;
  target: Bounds;
  label?: string;
  severity?: Severity;
  highlight?: boolean;
  /** The source is a decision and this is its default way. */
  isDefault: boolean;
  /** Sideways shift of a flow that joins the same two shapes as another (geometry.ts parallelOffsets). */
  offset: number;
}

export type ShapeNode = FlowNode<ShapeData, "shape">;
export type LinkEdge = FlowEdge<LinkData, "link">;

export interface FlowView {
  lang: "ar" | "en";
  selectedNodes: ReadonlySet<string>;
  selectedEdges: ReadonlySet<string>;
  problems: ReadonlyMap<string, Severity>;
  highlight: { visited: ReadonlySet<string>; current: ReadonlySet<string>; edges: ReadonlySet<string> } | null;
  readOnly: boolean;
  /** The caption under an action's name (its plugin), by action type. */
  caption: (node: WorkflowNode) => string | undefined;
  edgeLabel: (edge: Edge, from: WorkflowNode | undefined) => string | undefined;
}

export function pickLabel(label: Localised | undefined, lang: "ar" | "en"): string {
  if (!label) return "";
  return (lang === "en" ? label.en || label.ar : label.ar || label.en).trim();
}

/** Handles on all four sides, declared so edges need no DOM measuring (off-screen nodes included). */
function handlesFor(width: number, height: number): NodeHandle[] {
  const s = 8;
  return [
    { id: "top", type: "source", position: Position.Top, x: width / 2 - s / 2, y: -s / 2, width: s, height: s },
    { id: "right", type: "source", position: Position.Right, x: width - s / 2, y: height / 2 - s / 2, width: s, height: s },
    { id: "bottom", type: "source", position: Position.Bottom, x: width / 2 - s / 2, y: height - s / 2, width: s, height: s },
    { id: "left", type: "source", position: Position.Left, x: -s / 2, y: height / 2 - s / 2, width: s, height: s },
  ];
}

/** Every node with a stored position (the layout's fallback for those without one). */
export function withPositions(graph: DefinitionGraph): DefinitionGraph {
  if (graph.nodes.every((n) => n.position)) return graph;
  const layout = diagramLayout(graph);
  return { ...graph, nodes: graph.nodes.map((n) => (n.position ? n : { ...n, position: { x: layout.nodes.get(n.id)!.x, y: layout.nodes.get(n.id)!.y } })) };
}

interface Cached<S, R> {
  src: S;
  key: string;
  out: R;
}

/** A mapper with memory: call it with each new graph; unchanged items come back identical. */
export function createFlowMapper() {
  let nodeCache = new Map<string, Cached<WorkflowNode, ShapeNode>>();
  let edgeCache = new Map<string, Cached<Edge, LinkEdge> & { s: WorkflowNode; t: WorkflowNode }>();

  return function map(graph: DefinitionGraph, view: FlowView): { nodes: ShapeNode[]; edges: LinkEdge[] } {
    const nextNodes = new Map<string, Cached<WorkflowNode, ShapeNode>>();
    const byId = new Map<string, WorkflowNode>();
    const nodes: ShapeNode[] = [];
    for (const n of graph.nodes) {
      if (byId.has(n.id)) continue; // duplicate ids are a validation problem; draw the first
      byId.set(n.id, n);
      const selected = view.selectedNodes.has(n.id);
      const severity = view.problems.get(n.id);
      const highlight: Highlight | undefined = view.highlight?.current.has(n.id) ? "current" : view.highlight?.visited.has(n.id) ? "visited" : undefined;
      const label = pickLabel(n.name, view.lang);
      const caption = view.caption(n);
      const key = `${selected}|${severity}|${highlight}|${label}|${caption}|${view.readOnly}`;
      const hit = nodeCache.get(n.id);
      if (hit && hit.src === n && hit.key === key) {
        nextNodes.set(n.id, hit);
        nodes.push(hit.out);
        continue;
      }
      const { width, height } = nodeSize(n);
      const out: ShapeNode = {
        id: n.id,
        type: "shape",
        position: n.position ?? { x: 0, y: 0 },
        width,
        height,
        measured: { width, height },
        handles: handlesFor(width, height),
        selected,
        draggable: !view.readOnly,
        connectable: !view.readOnly,
        deletable: false,
        ariaLabel: label || n.id,
        data: { node: n, label, caption, severity, highlight, readOnly: view.readOnly },
      };
      nextNodes.set(n.id, { src: n, key, out });
      nodes.push(out);
    }
    nodeCache = nextNodes;

    const nextEdges = new Map<string, Cached<Edge, LinkEdge> & { s: WorkflowNode; t: WorkflowNode }>();
    const edges: LinkEdge[] = [];
    const offsets = parallelOffsets(graph.edges);
    for (const e of graph.edges) {
      const s = byId.get(e.source);
      const t = byId.get(e.target);
      if (!s || !t || nextEdges.has(e.id)) continue;
      const selected = view.selectedEdges.has(e.id);
      const severity = view.problems.get(`edge:${e.id}`);
      const highlight = view.highlight?.edges.has(e.id) ?? false;
      const label = view.edgeLabel(e, s);
      const offset = offsets.get(e.id) ?? 0;
      const key = `${selected}|${severity}|${highlight}|${label}|${view.readOnly}|${view.lang}|${offset}`;
      const hit = edgeCache.get(e.id);
      if (hit && hit.src === e && hit.s === s && hit.t === t && hit.key === key) {
        nextEdges.set(e.id, hit);
        edges.push(hit.out);
        continue;
      }
      const out: LinkEdge = {
        id: e.id,
        type: "link",
        source: e.source,
        target: e.target,
        selected,
        deletable: false,
        focusable: true,
        // "from → to: label" (the arrow points the reading way) instead of React Flow's English default.
        ariaLabel: `${pickLabel(s.name, view.lang) || s.id} ${view.lang === "ar" ? "←" : "→"} ${pickLabel(t.name, view.lang) || t.id}${label ? `: ${label}` : ""}`,
        zIndex: selected ? 1 : 0,
        data: {
          edge: e,
          source: { ...(s.position ?? { x: 0, y: 0 }), ...nodeSize(s) },
          target: { ...(t.position ?? { x: 0, y: 0 }), ...nodeSize(t) },
          label,
          severity,
          highlight,
          isDefault: s.kind === "decision" && Boolean(e.isDefault),
          offset,
        },
      };
      nextEdges.set(e.id, { src: e, s, t, key, out });
      edges.push(out);
    }
    edgeCache = nextEdges;
    return { nodes, edges };
  };
}

/** Worst severity per node id, "edge:<id>" and "lane:<id>", for marking the canvas. */
export function problemMarks(problems: readonly Problem[]): Map<string, Severity> {
  const marks = new Map<string, Severity>();
  const mark = (key: string, severity: Severity) => {
    if (marks.get(key) !== "error") marks.set(key, severity);
  };
  for (const p of problems) {
    if (p.nodeId) mark(p.nodeId, p.severity);
    if (p.edgeId) mark(`edge:${p.edgeId}`, p.severity);
    if (p.laneId) mark(`lane:${p.laneId}`, p.severity);
  }
  return marks;
}
