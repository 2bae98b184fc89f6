import ELK from "elkjs/lib/elk.bundled.js";
import type { DefinitionGraph, Edge, WorkflowNode } from "~/engine/definition";
import { LANE_MIN_HEIGHT, LANE_PAD, nodeSize, type Bounds } from "~/engine/geometry";

// Auto-layout: elkjs's layered algorithm decides where along the flow each node goes (layers,
// crossing minimisation, cycles broken); the lanes decide the other axis. Each lane is a band
// of rows; a node takes the first row of its lane where it does not collide with another node,
// in the order elk gave them. Lane bands are placed exactly as geometry.ts's diagramLayout
// will compute them back from the positions, so every node stays inside its lane.
//
// Everything is computed in a "frame" where the flow runs left to right and lanes are
// horizontal bands; "RL" mirrors it, "TB" transposes it (lanes become columns, the first at
// the reading-start side of the definition: right for RTL), matching diagramLayout's
// vertical orientation.

export type LayoutDirection = "LR" | "TB" | "RL";

/** Gap between layers along the flow and between nodes across it. */
const LAYER_GAP = 70;
const NODE_GAP = 40;
/** Where the drawing starts (leaves room for the pool and its label strip). */
const ORIGIN = 100;

interface Box extends Bounds {
  id: string;
}

let elk: InstanceType<typeof ELK> | undefined;

export async function autoLayout(graph: DefinitionGraph, opts: { direction: LayoutDirection }): Promise<DefinitionGraph> {
  const transposed = opts.direction === "TB";
  // Frame sizes: along the flow = width.
  const size = (n: WorkflowNode) => {
    const s = nodeSize(n);
    return transposed ? { width: s.height, height: s.width } : s;
  };
  // A draft may be invalid (a duplicate id, an edge to nowhere): elk gets a clean graph and
  // such leftovers keep a position next to their namesake.
  const unique = [...new Map(graph.nodes.map((n) => [n.id, n])).values()];
  const ids = new Set(unique.map((n) => n.id));
  const edges = graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target) && e.source !== e.target);
  elk ??= new ELK();
  const laidOut = await elk.layout({
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "RIGHT",
      "elk.spacing.nodeNode": String(NODE_GAP),
      "elk.layered.spacing.nodeNodeBetweenLayers": String(LAYER_GAP),
      "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
      "elk.layered.cycleBreaking.strategy": "MODEL_ORDER",
    },
    children: unique.map((n) => ({ id: n.id, ...size(n) })),
    // Edge ids may repeat in a broken draft; elk only needs them unique among edges.
    edges: edges.map((e, i) => ({ id: `edge#${i}`, sources: [e.source], targets: [e.target] })),
  });
  const elkPos = new Map((laidOut.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]));

  const frame = new Map<string, Box>();
  for (const n of unique) frame.set(n.id, { id: n.id, ...elkPos.get(n.id)!, ...size(n) });
  // With no node in any lane there are no bands to respect: elk's own placement stands.
  if (unique.some((n) => n.lane && graph.lanes.some((l) => l.id === n.lane))) placeInLanes({ ...graph, nodes: unique, edges }, frame);

  const boxes = [...frame.values()];
  const minX = Math.min(...boxes.map((b) => b.x));
  const maxX = Math.max(...boxes.map((b) => b.x + b.width));
  const minY = Math.min(...boxes.map((b) => b.y));
  const toReal = realMapping(opts.direction, graph.direction, { minX, maxX, minY, maxY: Math.max(...boxes.map((b) => b.y + b.height)) });
  const waypoints = new Map(edges.map((e) => [e.id, elbows(frame.get(e.source)!, frame.get(e.target)!).map(toReal.point)]));
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      const b = toReal.box(frame.get(n.id)!);
      return { ...n, position: { x: Math.round(b.x), y: Math.round(b.y) } };
    }),
    edges: graph.edges.map((e): Edge => {
      const { waypoints: _old, ...rest } = e;
      const bends = waypoints.get(e.id);
      return bends && bends.length ? { ...rest, waypoints: bends.map((p) => ({ x: Math.round(p.x), y: Math.round(p.y) })) } : rest;
    }),
  };
}

/** The lane each node is drawn in: its own, else the nearest neighbour's (start and end often have none). */
function homeLanes(graph: DefinitionGraph): Map<string, string> {
  const known = new Set(graph.lanes.map((l) => l.id));
  const home = new Map<string, string>();
  for (const n of graph.nodes) if (n.lane && known.has(n.lane)) home.set(n.id, n.lane);
  const preds = new Map<string, string[]>();
  const succs = new Map<string, string[]>();
  for (const e of graph.edges) {
    preds.set(e.target, [...(preds.get(e.target) ?? []), e.source]);
    succs.set(e.source, [...(succs.get(e.source) ?? []), e.target]);
  }
  // Breadth-first from the nodes that have a lane; predecessors before successors so an end
  // event sits with the step before it, and a start event with the step after it.
  let frontier = [...home.keys()];
  while (frontier.length) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const other of [...(succs.get(id) ?? []), ...(preds.get(id) ?? [])]) {
        if (home.has(other)) continue;
        home.set(other, home.get(id)!);
        next.push(other);
      }
    }
    frontier = next;
  }
  // Nodes cut off from every laned node go to the first lane that has nodes of its own.
  const first = graph.nodes.find((n) => home.has(n.id));
  for (const n of graph.nodes) if (!home.has(n.id) && first) home.set(n.id, home.get(first.id)!);
  return home;
}

/**
 * Rows inside each lane band, then the bands one after the other. The band arithmetic mirrors
 * diagramLayout: a lane's extent is its laned nodes ± LANE_PAD, a band is at least
 * LANE_MIN_HEIGHT, the boundary between two non-touching extents falls midway. Choosing the
 * next lane's first row at or below max(previous band top + minimum, previous extent bottom)
 * keeps every boundary between the two lanes' nodes.
 */
function placeInLanes(graph: DefinitionGraph, frame: Map<string, Box>): void {
  const home = homeLanes(graph);
  const laned = new Set(graph.nodes.filter((n) => n.lane && graph.lanes.some((l) => l.id === n.lane)).map((n) => n.id));
  const rowHeight = Math.max(...[...frame.values()].map((b) => b.height));
  const pitch = rowHeight + NODE_GAP;

  let bandTop = 0; // where diagramLayout will start the current lane's band
  let last: { top: number; lanedBottom: number; allBottom: number } | undefined;
  let emptySinceLast = 0;
  for (const lane of graph.lanes) {
    // homeLanes only sends lane-less nodes to lanes that have nodes of their own, so a lane
    // without laned nodes is empty for diagramLayout too.
    const members = graph.nodes.filter((n) => home.get(n.id) === lane.id).map((n) => frame.get(n.id)!);
    if (!members.some((b) => laned.has(b.id))) {
      emptySinceLast++;
      continue;
    }
    // The lane's own nodes take the first rows, so its extent starts where its band does.
    const rows = packRows(members, (b) => laned.has(b.id), pitch, rowHeight);
    const lanedRows = rows.filter((b) => laned.has(b.id));
    const relTop = Math.min(Math.min(...lanedRows.map((b) => b.y)) - LANE_PAD, Math.min(...rows.map((b) => b.y)));
    let top: number;
    if (!last) top = bandTop + emptySinceLast * LANE_MIN_HEIGHT;
    else if (emptySinceLast > 0) top = Math.max(last.top + LANE_MIN_HEIGHT, last.lanedBottom) + emptySinceLast * LANE_MIN_HEIGHT;
    else top = Math.max(last.top + LANE_MIN_HEIGHT, last.lanedBottom, 2 * last.allBottom - last.lanedBottom);
    const shift = top - relTop;
    for (const b of rows) frame.set(b.id, { ...b, y: b.y + shift });
    const lanedBottom = Math.max(...lanedRows.map((b) => b.y + shift + b.height)) + LANE_PAD;
    const allBottom = Math.max(...rows.map((b) => b.y + shift + b.height)) + LANE_PAD;
    // The band top diagramLayout will compute for this lane, given the previous lane's extent.
    if (last && emptySinceLast === 0) {
      const gapMid = top > last.lanedBottom ? (last.lanedBottom + top) / 2 : last.lanedBottom;
      bandTop = Math.max(last.top + LANE_MIN_HEIGHT, gapMid);
    } else bandTop = top;
    last = { top: bandTop, lanedBottom, allBottom };
    emptySinceLast = 0;
  }
}

/** First-fit rows in elk's in-layer order (preferred nodes first); y relative to the first row (0). */
function packRows(members: Box[], preferred: (b: Box) => boolean, pitch: number, rowHeight: number): Box[] {
  const rows: Box[][] = [];
  const out: Box[] = [];
  const order = [...members].sort((p, q) => Number(preferred(q)) - Number(preferred(p)) || p.y - q.y || p.x - q.x);
  for (const b of order) {
    let r = rows.findIndex((row) => row.every((o) => b.x + b.width + NODE_GAP / 2 <= o.x || o.x + o.width + NODE_GAP / 2 <= b.x));
    if (r < 0) r = rows.push([]) - 1;
    rows[r]!.push(b);
    out.push({ ...b, y: r * pitch + (rowHeight - b.height) / 2 });
  }
  return out;
}

/**
 * Orthogonal bends: a forward edge turns once between the layers; an edge that loops back
 * (rework, missing documents) leaves and enters from the side facing the lane's top and runs
 * back above both shapes; an edge level with its target needs none.
 */
function elbows(s: Box, t: Box): { x: number; y: number }[] {
  const sy = s.y + s.height / 2;
  const ty = t.y + t.height / 2;
  if (t.x + t.width <= s.x) {
    const y = Math.min(s.y, t.y) - NODE_GAP / 2 + 5;
    return [
      { x: s.x + s.width / 2, y },
      { x: t.x + t.width / 2, y },
    ];
  }
  if (t.x < s.x + s.width || Math.abs(sy - ty) < 1) return [];
  const x = Math.max(s.x + s.width + LAYER_GAP / 2, t.x - LAYER_GAP / 2);
  return [
    { x, y: sy },
    { x, y: ty },
  ];
}

/** Frame → real coordinates, the drawing starting at ORIGIN. */
function realMapping(direction: LayoutDirection, reading: "rtl" | "ltr", ext: { minX: number; maxX: number; minY: number; maxY: number }) {
  const point = (p: { x: number; y: number }) => {
    if (direction === "LR") return { x: p.x - ext.minX + ORIGIN, y: p.y - ext.minY + ORIGIN };
    if (direction === "RL") return { x: ext.maxX - p.x + ORIGIN, y: p.y - ext.minY + ORIGIN };
    // TB: frame x (flow) → real y; frame y (lanes) → real x, mirrored for an RTL definition.
    return { x: reading === "rtl" ? ext.maxY - p.y + ORIGIN : p.y - ext.minY + ORIGIN, y: p.x - ext.minX + ORIGIN };
  };
  const box = (b: Box): Bounds => {
    const w = direction === "TB" ? b.height : b.width;
    const h = direction === "TB" ? b.width : b.height;
    const c = point({ x: b.x + b.width / 2, y: b.y + b.height / 2 });
    return { x: c.x - w / 2, y: c.y - h / 2, width: w, height: h };
  };
  return { point, box };
}
