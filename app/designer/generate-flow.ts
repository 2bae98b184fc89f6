import type { DefinitionGraph, Edge, Lane, WorkflowNode } from "~/engine/definition";

// A generated, valid service flow of a given size for the designer benchmark and tests: a
// chain of blocks from one start to one end — single steps, yes/no decisions whose branches
// meet again at a merge, parallel blocks (split, branches, join) and stage gates (go on,
// no-go to a "rejected" end, rework back to the step before). Steps are spread over lanes;
// positions form columns along the flow (right to left, as the service guide draws) and rows
// inside each lane band. Deterministic for a seed.

export interface GenerateOptions {
  nodes: number;
  /** Edges wanted; the result has exactly this many when the node count allows (see the test). */
  edges: number;
  lanes?: number;
  seed?: number;
}

const COLUMN = 170;
const ROW = 110;

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateFlow(opts: GenerateOptions): DefinitionGraph {
  const rand = random(opts.seed ?? 1);
  const laneCount = Math.max(1, opts.lanes ?? 5);
  const lanes: Lane[] = Array.from({ length: laneCount }, (_, i) => ({
    id: `lane_${i + 1}`,
    name: { ar: `المسؤولية ${i + 1}`, en: `Responsibility ${i + 1}` },
    assignee: { type: "role", roleKey: "staff" },
  }));
  const nodes: WorkflowNode[] = [];
  const edges: Edge[] = [];
  const column = new Map<string, number>();
  const pickLane = () => lanes[Math.floor(rand() * laneCount)]!.id;
  let n = 0;
  const name = (ar: string, en: string) => ({ ar: `${ar} ${n}`, en: `${en} ${n}` });
  const add = (node: WorkflowNode, col: number) => {
    nodes.push(node);
    column.set(node.id, col);
    return node.id;
  };
  const link = (source: string, target: string, extra: Partial<Edge> = {}) => edges.push({ id: `e${edges.length + 1}`, source, target, ...extra });
  const task = (col: number, lane = pickLane()) => {
    n++;
    return add({ id: `task_${n}`, kind: "task", name: name("خطوة", "Step"), lane, estimatedMinutes: 5 + Math.floor(rand() * 55) }, col);
  };

  const startLane = pickLane();
  let tail = add({ id: "start", kind: "start", name: { ar: "بداية", en: "Start" }, lane: startLane }, 0);
  let col = 1;
  let lastTask: string | undefined;
  const decisions: { id: string; merge: string }[] = [];
  // Leave room for the final end node.
  const room = () => opts.nodes - 1 - nodes.length;
  while (room() > 0) {
    const wantRich = edges.length + 1 < ((nodes.length + 1) * opts.edges) / opts.nodes;
    const r = rand();
    if (room() >= 4 && wantRich && r < 0.35) {
      // Decision with two one-step branches meeting at a merge.
      n++;
      const d = add({ id: `decision_${n}`, kind: "decision", name: name("هل الطلب مستوفٍ؟", "Complete?"), lane: pickLane() }, col);
      link(tail, d);
      const yes = task(col + 1);
      const no = task(col + 1);
      n++;
      const m = add({ id: `merge_${n}`, kind: "decision", name: { ar: "", en: "" }, lane: pickLane() }, col + 2);
      link(d, yes, { condition: `amount > ${100 * n}`, name: { ar: "نعم", en: "Yes" } });
      link(d, no, { isDefault: true, name: { ar: "لا", en: "No" } });
      link(yes, m);
      link(no, m);
      decisions.push({ id: d, merge: m });
      tail = m;
      col += 3;
    } else if (room() >= 4 && wantRich && r < 0.6) {
      // Parallel block with two one-step branches.
      n++;
      const s = add({ id: `split_${n}`, kind: "parallel", direction: "split", name: { ar: "", en: "" }, lane: pickLane() }, col);
      link(tail, s);
      const a = task(col + 1);
      const b = task(col + 1);
      n++;
      const j = add({ id: `join_${n}`, kind: "parallel", direction: "join", name: { ar: "", en: "" }, lane: pickLane() }, col + 2);
      link(s, a);
      link(s, b);
      link(a, j);
      link(b, j);
      tail = j;
      col += 3;
    } else if (room() >= 2 && wantRich && lastTask && r < 0.75) {
      // Stage gate: go on, no-go ends the request, rework returns to the last step.
      n++;
      const lane = pickLane();
      const g = add({ id: `gate_${n}`, kind: "gate", name: name("بوابة اعتماد", "Approval gate"), lane, approverRole: "manager", checklist: [], requiredForms: [], requiredDocuments: [] }, col);
      link(tail, g);
      const rejected = add({ id: `rejected_${n}`, kind: "end", name: { ar: "رفض الطلب", en: "Rejected" }, lane }, col + 1);
      link(g, rejected, { outcome: "no-go", name: { ar: "رفض", en: "No-go" } });
      link(g, lastTask, { outcome: "rework", name: { ar: "إعادة", en: "Rework" } });
      // The go edge is the next block's incoming edge: mark it when it is created.
      tail = g;
      col += 1;
    } else {
      const t = task(col);
      link(tail, t);
      tail = t;
      lastTask = t;
      col += 1;
    }
  }
  const end = add({ id: "end", kind: "end", name: { ar: "تسليم الخدمة", en: "Service delivered" }, lane: pickLane() }, col);
  link(tail, end);
  // Edges leaving a gate without an outcome are its "go".
  const gates = new Set(nodes.filter((x) => x.kind === "gate").map((x) => x.id));
  for (const e of edges) if (gates.has(e.source) && !e.outcome) e.outcome = "go";
  // Top up with shortcuts: a decision may also go straight to its merge.
  for (const d of decisions) {
    if (edges.length >= opts.edges) break;
    link(d.id, d.merge, { condition: `urgent = true`, name: { ar: "عاجل", en: "Urgent" } });
  }

  return {
    key: "generated-flow",
    name: { ar: `إجراء مولّد (${opts.nodes} خطوة)`, en: `Generated flow (${opts.nodes} nodes)` },
    direction: "rtl",
    lanes,
    nodes: positioned(nodes, column, lanes),
    edges,
  };
}

/** Columns right to left; inside each lane band, one row per node sharing a column. */
function positioned(nodes: WorkflowNode[], column: Map<string, number>, lanes: Lane[]): WorkflowNode[] {
  const slot = new Map<string, number>();
  const rowOf = new Map<string, number>();
  const rowsInLane = new Map<string, number>();
  for (const node of nodes) {
    const key = `${node.lane}|${column.get(node.id)}`;
    const row = slot.get(key) ?? 0;
    slot.set(key, row + 1);
    rowOf.set(node.id, row);
    rowsInLane.set(node.lane!, Math.max(rowsInLane.get(node.lane!) ?? 0, row + 1));
  }
  const laneTop = new Map<string, number>();
  let top = 60;
  for (const lane of lanes) {
    laneTop.set(lane.id, top);
    top += Math.max(1, rowsInLane.get(lane.id) ?? 0) * ROW + 70;
  }
  const maxCol = Math.max(...column.values());
  return nodes.map((node) => {
    const size = node.kind === "start" || node.kind === "end" ? 36 : node.kind === "decision" || node.kind === "parallel" ? 50 : 80;
    const width = size === 80 ? 100 : size;
    const x = 100 + (maxCol - column.get(node.id)!) * COLUMN + (100 - width) / 2;
    const y = laneTop.get(node.lane!)! + rowOf.get(node.id)! * ROW + (80 - size) / 2;
    return { ...node, position: { x, y } };
  });
}
