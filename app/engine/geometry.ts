import type { DefinitionGraph, Edge, WorkflowNode } from "./definition";

// Diagram geometry shared by everything that draws a definition: the BPMN exporter, the
// visual designer, the SVG/PNG export and auto-layout. Positions stored in a definition are
// the top-left corners of the shapes in canvas coordinates (as BPMN DI stores them); lanes are
// bands, in their order, each wrapping its nodes: horizontal rows, or vertical columns when the
// positions say so (a top-to-bottom auto-layout).

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

/**
 * How the lanes run. "horizontal": lanes are bands stacked top to bottom (the service guide's
 * charts, BPMN's default). "vertical": lanes are columns, the first at the reading-start side
 * (right for an RTL definition), for flows laid out top to bottom.
 */
export type LaneOrientation = "horizontal" | "vertical";

export interface DiagramLayout {
  nodes: Map<string, Bounds>;
  lanes: Map<string, Bounds>;
  pool: Bounds;
  orientation: LaneOrientation;
}

/**
 * Shapes from the stored positions. Nodes without a position are laid out along the flow in
 * their lane. Lanes are bands, in their order, each wrapping its nodes; the boundary between
 * two lanes falls midway between their nodes; an empty lane keeps the minimum size. The
 * orientation is not stored in the definition: without `opts.orientation` it is read from the
 * positions (see laneOrientation).
 */
export function diagramLayout(graph: DefinitionGraph, opts: { orientation?: LaneOrientation } = {}): DiagramLayout {
  const orientation = opts.orientation ?? laneOrientation(graph);
  // Bands are computed in a "frame" where lanes are horizontal bands; vertical lanes are the
  // transposed (and for RTL mirrored) picture, so one algorithm serves both.
  const frame = frameOf(orientation, graph.direction);
  const laneIndex = new Map(graph.lanes.map((l, i) => [l.id, i]));
  const nodes = new Map<string, Bounds>();
  graph.nodes.forEach((node, i) => {
    const size = nodeSize(node);
    if (node.position) return nodes.set(node.id, frame.in({ ...node.position, ...size }));
    const f = frame.in({ x: 0, y: 0, ...size });
    nodes.set(node.id, { x: 150 + i * 150, y: 60 + (laneIndex.get(node.lane ?? "") ?? 0) * LANE_MIN_HEIGHT + (80 - f.height) / 2, width: f.width, height: f.height });
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
    let bottom = ext ? Math.max(top + LANE_MIN_HEIGHT, ext.bottom) : top + LANE_MIN_HEIGHT;
    if (ext && next && next.top > ext.bottom) bottom = Math.max(top + LANE_MIN_HEIGHT, (ext.bottom + next.top) / 2);
    lanes.set(lane.id, frame.out({ x: minX + POOL_LABEL, y: top, width: maxX - minX - POOL_LABEL, height: bottom - top }));
    top = bottom;
  });
  const first = lanes.size ? frame.in(lanes.get(graph.lanes[0]!.id)!) : undefined;
  const pool = first ? frame.out({ x: minX, y: first.y, width: maxX - minX, height: top - first.y }) : { x: 0, y: 0, width: 0, height: 0 };
  for (const [id, b] of nodes) nodes.set(id, frame.out(b));
  return { nodes, lanes, pool, orientation };
}

interface Frame {
  in(b: Bounds): Bounds;
  out(b: Bounds): Bounds;
}

const IDENTITY: Frame = { in: (b) => b, out: (b) => b };

/** Real coordinates ↔ the frame in which lanes are horizontal bands ordered top to bottom. */
function frameOf(orientation: LaneOrientation, direction: "rtl" | "ltr"): Frame {
  if (orientation === "horizontal") return IDENTITY;
  if (direction === "ltr") {
    const t = (b: Bounds): Bounds => ({ x: b.y, y: b.x, width: b.height, height: b.width });
    return { in: t, out: t };
  }
  // RTL columns: the first lane on the right, so the frame's y runs right to left.
  return {
    in: (b) => ({ x: b.y, y: -(b.x + b.width), width: b.height, height: b.width }),
    out: (b) => ({ x: -(b.y + b.height), y: b.x, width: b.height, height: b.width }),
  };
}

/** Does every node with a lane lie inside its lane's band in this layout? */
export function nodesInsideLanes(graph: DefinitionGraph, layout: DiagramLayout): boolean {
  return graph.nodes.every((n) => {
    const lane = n.lane ? layout.lanes.get(n.lane) : undefined;
    const b = layout.nodes.get(n.id);
    if (!lane || !b) return true;
    return layout.orientation === "vertical"
      ? b.x >= lane.x - 0.5 && b.x + b.width <= lane.x + lane.width + 0.5
      : b.y >= lane.y - 0.5 && b.y + b.height <= lane.y + lane.height + 0.5;
  });
}

/**
 * Horizontal lanes unless the stored positions only make sense as vertical columns (every
 * node inside its column but not inside a horizontal band), which is what a top-to-bottom
 * auto-layout produces. When both readings fit, horizontal wins: either draws every node in
 * its own lane.
 */
export function laneOrientation(graph: DefinitionGraph): LaneOrientation {
  if (graph.lanes.length < 2 || !graph.nodes.every((n) => n.position || !n.lane)) return "horizontal";
  if (nodesInsideLanes(graph, diagramLayout(graph, { orientation: "horizontal" }))) return "horizontal";
  return nodesInsideLanes(graph, diagramLayout(graph, { orientation: "vertical" })) ? "vertical" : "horizontal";
}

/** The lane whose band contains the point (the designer assigns a dropped step to it). */
export function laneAt(layout: DiagramLayout, point: Point): string | undefined {
  const vertical = layout.orientation === "vertical";
  for (const [id, b] of layout.lanes) {
    if (vertical ? point.x >= b.x && point.x < b.x + b.width : point.y >= b.y && point.y < b.y + b.height) return id;
  }
  return undefined;
}

/** Waypoints: docking points on both shapes around the stored bends. */
export function edgePoints(edge: Edge, source: Bounds, target: Bounds, offset = 0): Point[] {
  const bends = edge.waypoints ?? [];
  if (!bends.length && offset) return offsetLine(source, target, offset);
  const start = dock(source, bends[0] ?? centre(target));
  const end = dock(target, bends[bends.length - 1] ?? centre(source));
  return [start, ...bends, end];
}

/** Between flows that join the same two shapes. */
export const PARALLEL_GAP = 24;

/**
 * How far each flow that joins the same two shapes as another is moved sideways (px, along the
 * normal of its own direction: +90° from source→target), so that two ways out of a gate to the
 * same step ("الموافقة", "الرفض") are two lines with two labels, not one line with one label
 * hiding the other. Flows with stored bends follow them and are left alone; flows in opposite
 * directions between the same shapes are spread as one group.
 */
export function parallelOffsets(edges: readonly Edge[]): Map<string, number> {
  const groups = new Map<string, Edge[]>();
  for (const e of edges) {
    if (e.waypoints?.length || e.source === e.target) continue;
    const key = e.source < e.target ? `${e.source}\u0000${e.target}` : `${e.target}\u0000${e.source}`;
    const group = groups.get(key);
    if (group) group.push(e);
    else groups.set(key, [e]);
  }
  const offsets = new Map<string, number>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    group.forEach((e, k) => {
      const along = (k - (group.length - 1) / 2) * PARALLEL_GAP;
      // The normal of a reversed flow points the other way: negated, it lands on the same side.
      offsets.set(e.id, e.source < e.target ? along : -along);
    });
  }
  return offsets;
}

/** A straight line between the two shapes, moved `offset` px along its normal, from border to border. */
function offsetLine(source: Bounds, target: Bounds, offset: number): Point[] {
  const sc = centre(source);
  const tc = centre(target);
  const len = Math.hypot(tc.x - sc.x, tc.y - sc.y) || 1;
  const n = { x: -(tc.y - sc.y) / len, y: (tc.x - sc.x) / len };
  // Never further out than the smaller shape's half size allows: the line must leave a shape.
  const room = Math.max(0, Math.min(source.width, source.height, target.width, target.height) / 2 - 4);
  const o = Math.max(-room, Math.min(room, offset));
  const a = { x: sc.x + n.x * o, y: sc.y + n.y * o };
  const b = { x: tc.x + n.x * o, y: tc.y + n.y * o };
  return [exitPoint(source, a, b), exitPoint(target, b, a)];
}

/** Where the ray from `from` (inside the shape) towards `to` leaves the shape's box. */
function exitPoint(box: Bounds, from: Point, to: Point): Point {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const tx = dx > 0 ? (box.x + box.width - from.x) / dx : dx < 0 ? (box.x - from.x) / dx : Infinity;
  const ty = dy > 0 ? (box.y + box.height - from.y) / dy : dy < 0 ? (box.y - from.y) / dy : Infinity;
  const t = Math.min(tx, ty, 1);
  return { x: Math.round(from.x + dx * t), y: Math.round(from.y + dy * t) };
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

