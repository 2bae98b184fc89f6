import type { DefinitionGraph, Edge, Lane, LaneAssignee, Localised, WorkflowNode } from "~/engine/definition";
import { diagramLayout, laneAt, nodeSize, type DiagramLayout, type Point } from "~/engine/geometry";

// The visual designer's editor state as a pure reducer (no React, no DOM): every edit of the
// canvas, the properties panel, the lanes list and the steps table goes through `reduce`, so
// undo/redo, copy/paste and lane assignment behave the same wherever the edit came from and
// are unit-tested without a browser. History entries hold the graph *before* a change; a run
// of changes with the same `coalesce` key (one drag, typing in one field, repeated nudges)
// stays one entry.

export const HISTORY_LIMIT = 100;
export const PASTE_OFFSET = 40;
export const GRID = 10;

export interface Selection {
  nodes: string[];
  edges: string[];
}

interface Snapshot {
  graph: DefinitionGraph;
  selection: Selection;
  /** What the change did (a key of designer:history, or a caller's own words). */
  label: string;
}

interface Clipboard {
  nodes: WorkflowNode[];
  edges: Edge[];
  pastes: number;
}

export interface EditorState {
  graph: DefinitionGraph;
  selection: Selection;
  past: Snapshot[];
  future: Snapshot[];
  coalesce: string | null;
  clipboard: Clipboard | null;
  /** Counts changes of the graph (undo and redo too): autosave and validation follow it. */
  revision: number;
}

/** A node as the palette makes it: everything but where it goes. */
export type NewNode = WorkflowNode extends infer N ? (N extends WorkflowNode ? Omit<N, "id" | "position" | "lane"> : never) : never;

export type EditorAction =
  | { type: "addNode"; node: NewNode; at: Point }
  | { type: "moveNodes"; positions: Record<string, Point>; coalesce?: string; assignLanes?: boolean }
  | { type: "nudge"; dx: number; dy: number }
  /** `lang`: the patch's bilingual values changed in this language only (see onlyLanguage). */
  | { type: "updateNode"; id: string; patch: Record<string, unknown>; coalesce?: string; lang?: TextLang }
  | { type: "updateEdge"; id: string; patch: Record<string, unknown>; coalesce?: string; lang?: TextLang }
  | { type: "updateGraph"; patch: { name?: Localised; description?: Localised | undefined; direction?: "rtl" | "ltr" }; coalesce?: string; lang?: TextLang }
  | { type: "connect"; source: string; target: string }
  | { type: "deleteSelection" }
  | { type: "select"; nodes: string[]; edges: string[] }
  | { type: "selectAll" }
  /** The canvas reports selection as per-item changes (nodes and edges separately). */
  | { type: "selectDelta"; nodes?: Record<string, boolean>; edges?: Record<string, boolean> }
  | { type: "copy" }
  | { type: "cut" }
  | { type: "paste" }
  | { type: "addLane"; name: Localised; assignee: LaneAssignee }
  | { type: "updateLane"; id: string; patch: { name?: Localised; assignee?: LaneAssignee }; coalesce?: string; lang?: TextLang }
  | { type: "moveLane"; id: string; offset: -1 | 1 }
  | { type: "deleteLane"; id: string }
  | { type: "replaceGraph"; graph: DefinitionGraph; label: string }
  | { type: "undo" }
  | { type: "redo" };

export function initialState(graph: DefinitionGraph): EditorState {
  return { graph, selection: { nodes: [], edges: [] }, past: [], future: [], coalesce: null, clipboard: null, revision: 0 };
}

// ── ids ────────────────────────────────────────────────────────────────────────────────────

const PREFIX: Record<WorkflowNode["kind"], string> = {
  start: "start",
  end: "end",
  task: "task",
  decision: "decision",
  parallel: "parallel",
  gate: "gate",
  timer: "timer",
  subprocess: "sub",
  action: "action",
};

/** Nodes, edges and lanes share one id space (they all become BPMN element ids). */
function takenIds(graph: DefinitionGraph): Set<string> {
  return new Set([...graph.nodes.map((n) => n.id), ...graph.edges.map((e) => e.id), ...graph.lanes.map((l) => l.id)]);
}

function freshId(taken: Set<string>, prefix: string): string {
  let n = 1;
  while (taken.has(`${prefix}_${n}`)) n++;
  const id = `${prefix}_${n}`;
  taken.add(id);
  return id;
}

// ── geometry helpers ───────────────────────────────────────────────────────────────────────

const snap = (v: number) => Math.round(v / GRID) * GRID;

/** Where a node is drawn (its stored position, or the layout's fallback for unplaced nodes). */
export function nodeBounds(graph: DefinitionGraph, layout: DiagramLayout, node: WorkflowNode) {
  return layout.nodes.get(node.id) ?? { ...(node.position ?? { x: 0, y: 0 }), ...nodeSize(node) };
}

/** Lane bands as they are without the given nodes (the ones being dragged or dropped). */
export function laneLayout(graph: DefinitionGraph, exclude?: ReadonlySet<string>): DiagramLayout {
  const rest = exclude?.size ? graph.nodes.filter((n) => !exclude.has(n.id)) : graph.nodes;
  // With every node excluded the bands would lose their place; keep the whole picture then.
  return diagramLayout(rest.length ? { ...graph, nodes: rest } : graph);
}

/** The lane under a point; outside every band, the nearest one. */
export function laneFor(layout: DiagramLayout, point: Point): string | undefined {
  const hit = laneAt(layout, point);
  if (hit) return hit;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const [id, b] of layout.lanes) {
    const [v, start, size] = layout.orientation === "vertical" ? [point.x, b.x, b.width] : [point.y, b.y, b.height];
    const distance = v < start ? start - v : v - (start + size);
    if (distance < bestDistance) [best, bestDistance] = [id, distance];
  }
  return best;
}

function centre(node: WorkflowNode, position: Point): Point {
  const size = nodeSize(node);
  return { x: position.x + size.width / 2, y: position.y + size.height / 2 };
}

// ── the reducer ───────────────────────────────────────────────────────────────────────────

export type TextLang = "ar" | "en";

const isLocalised = (v: unknown): v is Localised => Boolean(v) && typeof v === "object" && typeof (v as Localised).ar === "string" && typeof (v as Localised).en === "string";

/**
 * A bilingual field edited in one language changes that language only. The panels render from
 * deferred state (for drag speed), so the value a text box builds its patch from may lag the
 * store: typing the English name right after the Arabic one must not bring back the old Arabic.
 * An undefined value (an optional text emptied) empties that language; it is removed only when
 * the other language is empty too.
 */
export function onlyLanguage(current: Record<string, unknown>, patch: Record<string, unknown>, lang: TextLang | undefined): Record<string, unknown> {
  if (!lang) return patch;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    const before = current[key];
    if (value !== undefined && !isLocalised(value)) out[key] = value;
    else if (!isLocalised(before)) out[key] = value;
    else if (value === undefined) {
      const merged = { ...before, [lang]: "" };
      out[key] = merged.ar.trim() || merged.en.trim() ? merged : undefined;
    } else out[key] = { ...before, [lang]: value[lang] };
  }
  return out;
}

function withoutUndefined<T extends object>(base: T, patch: Record<string, unknown>): T {
  const next: Record<string, unknown> = { ...base, ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete next[k];
  return next as T;
}

function cleanSelection(graph: DefinitionGraph, sel: Selection): Selection {
  const nodes = new Set(graph.nodes.map((n) => n.id));
  const edges = new Set(graph.edges.map((e) => e.id));
  return { nodes: sel.nodes.filter((id) => nodes.has(id)), edges: sel.edges.filter((id) => edges.has(id)) };
}

function commit(s: EditorState, graph: DefinitionGraph, label: string, opts: { coalesce?: string; selection?: Selection } = {}): EditorState {
  if (graph === s.graph) return opts.selection ? { ...s, selection: opts.selection } : s;
  const continuing = opts.coalesce !== undefined && s.coalesce === opts.coalesce && s.past.length > 0;
  const past = continuing ? s.past : [...s.past, { graph: s.graph, selection: s.selection, label }].slice(-HISTORY_LIMIT);
  return {
    ...s,
    graph,
    past,
    future: [],
    coalesce: opts.coalesce ?? null,
    revision: s.revision + 1,
    selection: opts.selection ?? cleanSelection(graph, s.selection),
  };
}

export function reduce(s: EditorState, a: EditorAction): EditorState {
  switch (a.type) {
    case "addNode": {
      const taken = takenIds(s.graph);
      const size = nodeSize(a.node);
      const position = { x: snap(a.at.x - size.width / 2), y: snap(a.at.y - size.height / 2) };
      const lane = laneFor(laneLayout(s.graph), a.at);
      const node = { ...a.node, id: freshId(taken, PREFIX[a.node.kind]), position, ...(lane ? { lane } : {}) } as WorkflowNode;
      return commit(s, { ...s.graph, nodes: [...s.graph.nodes, node] }, "add", { selection: { nodes: [node.id], edges: [] } });
    }
    case "moveNodes":
      return commit(s, moveNodes(s.graph, a.positions, a.assignLanes ?? false), "move", { coalesce: a.coalesce ?? `move:${s.revision}` });
    case "nudge": {
      const positions: Record<string, Point> = {};
      const layout = diagramLayout(s.graph);
      for (const n of s.graph.nodes) {
        if (!s.selection.nodes.includes(n.id)) continue;
        const b = nodeBounds(s.graph, layout, n);
        positions[n.id] = { x: b.x + a.dx, y: b.y + a.dy };
      }
      if (!Object.keys(positions).length) return s;
      return commit(s, moveNodes(s.graph, positions, true), "move", { coalesce: "nudge" });
    }
    case "updateNode": {
      const node = s.graph.nodes.find((n) => n.id === a.id);
      if (!node) return s;
      return commit(s, updateNode(s.graph, a.id, onlyLanguage(node as unknown as Record<string, unknown>, a.patch, a.lang)), "edit", { coalesce: a.coalesce });
    }
    case "updateEdge": {
      const edited = s.graph.edges.find((x) => x.id === a.id);
      if (!edited) return s;
      const edges = s.graph.edges.map((e) => {
        if (e.id === a.id) return withoutUndefined(e, onlyLanguage(e as unknown as Record<string, unknown>, a.patch, a.lang));
        // A decision has one default way: choosing another releases the old one.
        if (a.patch.isDefault === true && e.source === edited.source && e.isDefault) return withoutUndefined(e, { isDefault: undefined });
        return e;
      });
      return commit(s, { ...s.graph, edges }, "edit", { coalesce: a.coalesce });
    }
    case "updateGraph": {
      let graph = withoutUndefined(s.graph, onlyLanguage(s.graph as unknown as Record<string, unknown>, a.patch, a.lang));
      if (a.patch.direction && a.patch.direction !== s.graph.direction) graph = mirror(graph);
      return commit(s, graph, "edit", { coalesce: a.coalesce });
    }
    case "connect": {
      if (!canConnect(s.graph, a.source, a.target)) return s;
      const edge = newEdge(s.graph, a.source, a.target, takenIds(s.graph));
      return commit(s, { ...s.graph, edges: [...s.graph.edges, edge] }, "connect", { selection: { nodes: [], edges: [edge.id] } });
    }
    case "deleteSelection": {
      const nodes = new Set(s.selection.nodes);
      const edges = new Set(s.selection.edges);
      if (!nodes.size && !edges.size) return s;
      const graph = {
        ...s.graph,
        nodes: s.graph.nodes.filter((n) => !nodes.has(n.id)),
        edges: s.graph.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target)),
      };
      return commit(s, graph, "delete", { selection: { nodes: [], edges: [] } });
    }
    case "select":
      return { ...s, coalesce: null, selection: cleanSelection(s.graph, { nodes: a.nodes, edges: a.edges }) };
    case "selectDelta": {
      const apply = (current: string[], delta: Record<string, boolean> | undefined) => {
        if (!delta) return current;
        const set = new Set(current);
        for (const [id, on] of Object.entries(delta)) if (on) set.add(id);
        else set.delete(id);
        return [...set];
      };
      const next = cleanSelection(s.graph, { nodes: apply(s.selection.nodes, a.nodes), edges: apply(s.selection.edges, a.edges) });
      const same = next.nodes.length === s.selection.nodes.length && next.edges.length === s.selection.edges.length && next.nodes.every((id, i) => id === s.selection.nodes[i]) && next.edges.every((id, i) => id === s.selection.edges[i]);
      return same ? s : { ...s, coalesce: null, selection: next };
    }
    case "selectAll":
      return { ...s, coalesce: null, selection: { nodes: s.graph.nodes.map((n) => n.id), edges: s.graph.edges.map((e) => e.id) } };
    case "copy":
    case "cut": {
      const ids = new Set(s.selection.nodes);
      if (!ids.size) return s;
      const clipboard = {
        nodes: s.graph.nodes.filter((n) => ids.has(n.id)),
        edges: s.graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
        pastes: 0,
      };
      const next = { ...s, clipboard };
      return a.type === "cut" ? reduce({ ...next, selection: { nodes: [...ids], edges: [] } }, { type: "deleteSelection" }) : next;
    }
    case "paste":
      return paste(s);
    case "addLane": {
      const lane: Lane = { id: freshId(takenIds(s.graph), "lane"), name: a.name, assignee: a.assignee };
      return commit(s, { ...s.graph, lanes: [...s.graph.lanes, lane] }, "lane");
    }
    case "updateLane": {
      if (!s.graph.lanes.some((l) => l.id === a.id)) return s;
      const lanes = s.graph.lanes.map((l) => (l.id === a.id ? withoutUndefined(l, onlyLanguage(l as unknown as Record<string, unknown>, a.patch, a.lang)) : l));
      return commit(s, { ...s.graph, lanes }, "lane", { coalesce: a.coalesce });
    }
    case "moveLane":
      return commit(s, moveLane(s.graph, a.id, a.offset), "lane");
    case "deleteLane": {
      if (!s.graph.lanes.some((l) => l.id === a.id)) return s;
      const graph = {
        ...s.graph,
        lanes: s.graph.lanes.filter((l) => l.id !== a.id),
        nodes: s.graph.nodes.map((n) => (n.lane === a.id ? withoutUndefined(n, { lane: undefined }) : n)),
      };
      return commit(s, graph, "lane");
    }
    case "replaceGraph":
      return commit(s, a.graph, a.label);
    case "undo": {
      const last = s.past[s.past.length - 1];
      if (!last) return s;
      return {
        ...s,
        graph: last.graph,
        selection: cleanSelection(last.graph, last.selection),
        past: s.past.slice(0, -1),
        future: [...s.future, { graph: s.graph, selection: s.selection, label: last.label }],
        coalesce: null,
        revision: s.revision + 1,
      };
    }
    case "redo": {
      const next = s.future[s.future.length - 1];
      if (!next) return s;
      return {
        ...s,
        graph: next.graph,
        selection: cleanSelection(next.graph, next.selection),
        future: s.future.slice(0, -1),
        past: [...s.past, { graph: s.graph, selection: s.selection, label: next.label }],
        coalesce: null,
        revision: s.revision + 1,
      };
    }
  }
}

export const undoLabel = (s: EditorState) => s.past[s.past.length - 1]?.label;
export const redoLabel = (s: EditorState) => s.future[s.future.length - 1]?.label;

// ── edits ──────────────────────────────────────────────────────────────────────────────────

function moveNodes(graph: DefinitionGraph, positions: Record<string, Point>, assignLanes: boolean): DefinitionGraph {
  const moved = new Set(Object.keys(positions));
  if (!moved.size) return graph;
  const delta = new Map<string, Point>();
  let nodes = graph.nodes.map((n) => {
    const p = positions[n.id];
    if (!p) return n;
    const before = n.position ?? p;
    delta.set(n.id, { x: p.x - before.x, y: p.y - before.y });
    return before.x === p.x && before.y === p.y && n.position ? n : { ...n, position: { x: p.x, y: p.y } };
  });
  if (assignLanes && graph.lanes.length) {
    const layout = laneLayout({ ...graph, nodes }, moved);
    nodes = nodes.map((n) => {
      if (!moved.has(n.id)) return n;
      const lane = laneFor(layout, centre(n, n.position!));
      return lane && lane !== n.lane ? { ...n, lane } : n;
    });
  }
  // Bends follow a connection whose two ends moved together; otherwise they no longer fit.
  const edges = graph.edges.map((e) => {
    if (!e.waypoints?.length || (!moved.has(e.source) && !moved.has(e.target))) return e;
    const a = delta.get(e.source);
    const b = delta.get(e.target);
    if (a && b && a.x === b.x && a.y === b.y) {
      if (a.x === 0 && a.y === 0) return e;
      return { ...e, waypoints: e.waypoints.map((w) => ({ x: w.x + a.x, y: w.y + a.y })) };
    }
    return withoutUndefined(e, { waypoints: undefined });
  });
  const changed = nodes.some((n, i) => n !== graph.nodes[i]) || edges.some((e, i) => e !== graph.edges[i]);
  return changed ? { ...graph, nodes, edges } : graph;
}

function updateNode(graph: DefinitionGraph, id: string, patch: Record<string, unknown>): DefinitionGraph {
  const layoutBefore = "lane" in patch && typeof patch.lane === "string" ? laneLayout(graph, new Set([id])) : undefined;
  const nodes = graph.nodes.map((n) => {
    if (n.id !== id) return n;
    let next = withoutUndefined(n, patch);
    // Choosing a lane in the panel also moves the shape into that lane's band.
    const band = layoutBefore?.lanes.get(patch.lane as string);
    if (band && next.position && layoutBefore) {
      const size = nodeSize(next);
      const p = next.position;
      if (layoutBefore.orientation === "vertical") {
        const c = p.x + size.width / 2;
        if (c < band.x || c >= band.x + band.width) next = { ...next, position: { x: snap(band.x + band.width / 2 - size.width / 2), y: p.y } };
      } else {
        const c = p.y + size.height / 2;
        if (c < band.y || c >= band.y + band.height) next = { ...next, position: { x: p.x, y: snap(band.y + band.height / 2 - size.height / 2) } };
      }
    }
    return next;
  });
  return { ...graph, nodes };
}

/** Which connections the editor refuses outright (the validator reports the subtler ones). */
export function canConnect(graph: DefinitionGraph, source: string, target: string): boolean {
  if (source === target) return false;
  const a = graph.nodes.find((n) => n.id === source);
  const b = graph.nodes.find((n) => n.id === target);
  if (!a || !b || a.kind === "end" || b.kind === "start") return false;
  return !graph.edges.some((e) => e.source === source && e.target === target);
}

const GATE_OUTCOMES = ["go", "no-go", "rework"] as const;

function newEdge(graph: DefinitionGraph, source: string, target: string, taken: Set<string>): Edge {
  const edge: Edge = { id: freshId(taken, "flow"), source, target };
  const from = graph.nodes.find((n) => n.id === source)!;
  const siblings = graph.edges.filter((e) => e.source === source);
  // A decision's first way out is its default; later ones need a condition (the panel asks).
  if (from.kind === "decision" && !siblings.some((e) => e.isDefault)) edge.isDefault = true;
  if (from.kind === "gate") {
    const free = GATE_OUTCOMES.find((o) => !siblings.some((e) => e.outcome === o));
    if (free) edge.outcome = free;
  }
  return edge;
}

function paste(s: EditorState): EditorState {
  const clip = s.clipboard;
  if (!clip?.nodes.length) return s;
  const taken = takenIds(s.graph);
  const offset = PASTE_OFFSET * (clip.pastes + 1);
  const lanes = new Set(s.graph.lanes.map((l) => l.id));
  const ids = new Map<string, string>();
  const layout = diagramLayout({ ...s.graph, nodes: clip.nodes });
  const nodes = clip.nodes.map((n) => {
    const id = freshId(taken, PREFIX[n.kind]);
    ids.set(n.id, id);
    const at = layout.nodes.get(n.id) ?? { x: 0, y: 0 };
    const copy = { ...n, id, position: { x: at.x + offset, y: at.y + offset } } as WorkflowNode;
    return n.lane && !lanes.has(n.lane) ? withoutUndefined(copy, { lane: undefined }) : copy;
  });
  const edges = clip.edges.map((e) => ({
    ...e,
    id: freshId(taken, "flow"),
    source: ids.get(e.source)!,
    target: ids.get(e.target)!,
    ...(e.waypoints ? { waypoints: e.waypoints.map((w) => ({ x: w.x + offset, y: w.y + offset })) } : {}),
  }));
  const next = commit(s, { ...s.graph, nodes: [...s.graph.nodes, ...nodes], edges: [...s.graph.edges, ...edges] }, "paste", {
    selection: { nodes: nodes.map((n) => n.id), edges: edges.map((e) => e.id) },
  });
  return { ...next, clipboard: { ...clip, pastes: clip.pastes + 1 } };
}

/** Swaps a lane with its neighbour; the nodes of both bands move with them. */
function moveLane(graph: DefinitionGraph, id: string, offset: -1 | 1): DefinitionGraph {
  const i = graph.lanes.findIndex((l) => l.id === id);
  const j = i + offset;
  if (i < 0 || j < 0 || j >= graph.lanes.length) return graph;
  const layout = diagramLayout(graph);
  const vertical = layout.orientation === "vertical";
  const a = graph.lanes[i]!;
  const b = graph.lanes[j]!;
  const start = (id: string) => (vertical ? layout.lanes.get(id)!.x : layout.lanes.get(id)!.y);
  const size = (id: string) => (vertical ? layout.lanes.get(id)!.width : layout.lanes.get(id)!.height);
  // The two bands trade places: the one nearer the origin moves on by the other's size, the
  // other moves back by the first's (rows and LTR columns alike; RTL columns run the other way).
  const [low, high] = start(a.id) < start(b.id) ? [a, b] : [b, a];
  const delta = new Map([
    [low.id, size(high.id)],
    [high.id, -size(low.id)],
  ]);
  const lanes = [...graph.lanes];
  lanes[i] = b;
  lanes[j] = a;
  const nodes = graph.nodes.map((n) => {
    const d = n.lane ? delta.get(n.lane) : undefined;
    if (d === undefined) return n;
    const at = layout.nodes.get(n.id)!;
    return { ...n, position: vertical ? { x: at.x + d, y: at.y } : { x: at.x, y: at.y + d } };
  });
  const touched = new Set(graph.nodes.filter((n) => n.lane && delta.has(n.lane)).map((n) => n.id));
  const edges = graph.edges.map((e) => (e.waypoints && (touched.has(e.source) || touched.has(e.target)) ? withoutUndefined(e, { waypoints: undefined }) : e));
  return { ...graph, lanes, nodes, edges };
}

/** The other reading direction: shapes and bends mirrored left to right around the pool. */
function mirror(graph: DefinitionGraph): DefinitionGraph {
  if (!graph.nodes.length) return graph;
  const layout = diagramLayout(graph);
  const all = [...layout.nodes.values()];
  const axis = Math.min(...all.map((b) => b.x)) + Math.max(...all.map((b) => b.x + b.width));
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      const b = layout.nodes.get(n.id)!;
      return { ...n, position: { x: axis - b.x - b.width, y: b.y } };
    }),
    edges: graph.edges.map((e) => (e.waypoints ? { ...e, waypoints: e.waypoints.map((w) => ({ x: axis - w.x, y: w.y })) } : e)),
  };
}
