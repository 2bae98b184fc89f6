import type { DefinitionGraph, Edge, WorkflowNode } from "./definition";

// Diagram geometry shared by everything that draws a definition: the BPMN exporter, the
// visual designer, the SVG/PNG export and auto-layout. Positions stored in a definition are
// the top-left corners of the shapes in canvas coordinates (as BPMN DI stores them); lanes are
// horizontal bands, in their order, each wrapping its nodes.

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}
export type Point = { x: number; y: number };

/** Shape sizes per family (BPMN's customary sizes, so imported diagrams keep their look). */
export const SIZES = {
  event: { width: 36, height: 36 },
  gateway: { width: 50, height: 50 },
  activity: { width: 100, height: 80 },
} as const;

export function nodeSize(node: Pick<WorkflowNode, "kind">): { width: number; height: number } {
  if (node.kind === "start" || node.kind === "end" || node.kind === "timer") return SIZES.event;
  if (node.kind === "decision" || node.kind === "parallel") return SIZES.gateway;
  return SIZES.activity;
}

export const LANE_MIN_HEIGHT = 150;
export const LANE_PAD = 30;
/** The strip at the pool's reading-start side that carries the lane names. */
export const POOL_LABEL = 30;

export interface DiagramLayout {
  nodes: Map<string, Bounds>;
  lanes: Map<string, Bounds>;
  pool: Bounds;
}

/**
 * Shapes from the stored positions. Nodes without a position are laid out left to right in
 * their lane. Lanes are horizontal bands, in their order, each wrapping its nodes; the
 * boundary between two lanes falls midway between their nodes; an empty lane keeps the
 * minimum height.
 */
export function diagramLayout(graph: DefinitionGraph): DiagramLayout {
  const laneIndex = new Map(graph.lanes.map((l, i) => [l.id, i]));
  const nodes = new Map<string, Bounds>();
  graph.nodes.forEach((node, i) => {
    const size = nodeSize(node);
    const fallback = { x: 150 + i * 150, y: 60 + (laneIndex.get(node.lane ?? "") ?? 0) * LANE_MIN_HEIGHT + (80 - size.height) / 2 };
    nodes.set(node.id, { ...(node.position ?? fallback), ...size });
  });
  const all = [...nodes.values()];
  const minX = Math.min(...all.map((b) => b.x)) - LANE_PAD - 20;
  const maxX = Math.max(...all.map((b) => b.x + b.width)) + LANE_PAD + 20;
  const extents = graph.lanes.map((lane) => {
    const inLane = graph.nodes.filter((n) => n.lane === lane.id).map((n) => nodes.get(n.id)!);
    if (!inLane.length) return undefined;
    return { top: Math.min(...inLane.map((b) => b.y)) - LANE_PAD, bottom: Math.max(...inLane.map((b) => b.y + b.height)) + LANE_PAD };
  });
  const lanes = new Map<string, Bounds>();
  let top = extents.find(Boolean)?.top ?? 0;
  const firstIndex = extents.findIndex(Boolean);
  if (firstIndex > 0) top -= firstIndex * LANE_MIN_HEIGHT;
  graph.lanes.forEach((lane, i) => {
    const ext = extents[i];
    const next = extents[i + 1];
    let bottom = Math.max(top + LANE_MIN_HEIGHT, ext?.bottom ?? 0);
    if (ext && next && next.top > ext.bottom) bottom = Math.max(top + LANE_MIN_HEIGHT, (ext.bottom + next.top) / 2);
    lanes.set(lane.id, { x: minX + POOL_LABEL, y: top, width: maxX - minX - POOL_LABEL, height: bottom - top });
    top = bottom;
  });
  const first = lanes.get(graph.lanes[0]?.id ?? "");
  const pool = first ? { x: minX, y: first.y, width: maxX - minX, height: top - first.y } : { x: 0, y: 0, width: 0, height: 0 };
  return { nodes, lanes, pool };
}

/** The lane whose band contains the point's height (the designer assigns a dropped step to it). */
export function laneAt(layout: DiagramLayout, point: Point): string | undefined {
  for (const [id, b] of layout.lanes) if (point.y >= b.y && point.y < b.y + b.height) return id;
  return undefined;
}

/** Waypoints: docking points on both shapes around the stored bends. */
export function edgePoints(edge: Edge, source: Bounds, target: Bounds): Point[] {
  const bends = edge.waypoints ?? [];
  const start = dock(source, bends[0] ?? centre(target));
  const end = dock(target, bends[bends.length - 1] ?? centre(source));
  return [start, ...bends, end];
}

function centre(b: Bounds): Point {
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** Where the line from the shape's centre towards `to` crosses its border. */
function dock(b: Bounds, to: Point): Point {
  const c = centre(b);
  const dx = to.x - c.x;
  const dy = to.y - c.y;
  if (dx === 0 && dy === 0) return { x: Math.round(c.x), y: Math.round(c.y) };
  const t = Math.min(dx ? b.width / 2 / Math.abs(dx) : Infinity, dy ? b.height / 2 / Math.abs(dy) : Infinity);
  return { x: Math.round(c.x + dx * Math.min(t, 1)), y: Math.round(c.y + dy * Math.min(t, 1)) };
}

