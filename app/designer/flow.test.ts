import { describe, expect, it } from "vitest";
import { definitionGraph, type DefinitionGraph } from "~/engine/definition";
import { validateDefinition } from "~/engine/validate";
import { createFlowMapper, problemMarks, withPositions, type FlowView } from "./flow";
import { initialState, reduce } from "./store";

// The canvas is controlled: the mapper runs on every change (every frame of a drag). Objects of
// nodes and edges whose picture did not change must come back identical, or React Flow would
// re-render all 500 of them on each frame.

function graph(): DefinitionGraph {
  return definitionGraph.parse({
    key: "flow",
    name: { ar: "مسار", en: "Flow" },
    lanes: [{ id: "staff", name: { ar: "الموظفون", en: "Staff" }, assignee: { type: "role", roleKey: "staff" } }],
    nodes: [
      { id: "start", kind: "start", name: { ar: "البداية", en: "Start" }, lane: "staff", position: { x: 600, y: 80 } },
      { id: "a", kind: "task", name: { ar: "أ", en: "A" }, lane: "staff", position: { x: 440, y: 60 } },
      { id: "d", kind: "decision", name: { ar: "", en: "" }, lane: "staff", position: { x: 300, y: 75 } },
      { id: "b", kind: "task", name: { ar: "ب", en: "" }, lane: "staff", position: { x: 150, y: 60 } },
      { id: "end", kind: "end", name: { ar: "النهاية", en: "End" }, lane: "staff", position: { x: 40, y: 80 } },
    ],
    edges: [
      { id: "e1", source: "start", target: "a" },
      { id: "e2", source: "a", target: "d" },
      { id: "e3", source: "d", target: "b", condition: "amount > 1000" },
      { id: "e4", source: "d", target: "end", isDefault: true },
      { id: "e5", source: "b", target: "end" },
    ],
  });
}

const view = (over: Partial<FlowView> = {}): FlowView => ({
  lang: "ar",
  selectedNodes: new Set(),
  selectedEdges: new Set(),
  problems: new Map(),
  highlight: null,
  readOnly: false,
  caption: () => undefined,
  edgeLabel: (e) => e.condition,
  ...over,
});

describe("graph to React Flow", () => {
  it("reuses every node and edge that a move does not touch", () => {
    const map = createFlowMapper();
    let s = initialState(graph());
    const v = view();
    const first = map(s.graph, v);
    s = reduce(s, { type: "moveNodes", positions: { b: { x: 160, y: 70 } }, coalesce: "drag:1" });
    const second = map(s.graph, v);
    expect(second.nodes.filter((n, i) => n !== first.nodes[i]).map((n) => n.id)).toEqual(["b"]);
    // Only the two connections of the moved node get new objects (their ends moved).
    expect(second.edges.filter((e, i) => e !== first.edges[i]).map((e) => e.id)).toEqual(["e3", "e5"]);
    expect(second.nodes.find((n) => n.id === "b")!.position).toEqual({ x: 160, y: 70 });
    expect(second.edges.find((e) => e.id === "e5")!.data!.source).toMatchObject({ x: 160, y: 70, width: 100, height: 80 });
  });

  it("redraws what selection, problems and the test run change, and nothing else", () => {
    const map = createFlowMapper();
    const g = graph();
    const first = map(g, view());
    const marks = problemMarks([{ code: "no_outgoing", severity: "error", nodeId: "a" }, { code: "label_en_missing", severity: "warning", nodeId: "a" }, { code: "condition_missing", severity: "error", edgeId: "e3" }]);
    const second = map(g, view({ selectedNodes: new Set(["d"]), problems: marks, highlight: { visited: new Set(["start"]), current: new Set(), edges: new Set(["e1"]) } }));
    expect(second.nodes.filter((n, i) => n !== first.nodes[i]).map((n) => n.id)).toEqual(["start", "a", "d"]);
    expect(second.nodes.find((n) => n.id === "a")!.data.severity).toBe("error");
    expect(second.nodes.find((n) => n.id === "d")!.selected).toBe(true);
    expect(second.nodes.find((n) => n.id === "start")!.data.highlight).toBe("visited");
    expect(second.edges.filter((e, i) => e !== first.edges[i]).map((e) => e.id)).toEqual(["e1", "e3"]);
    expect(second.edges.find((e) => e.id === "e3")!.data!.severity).toBe("error");
  });

  it("names nodes and edges in the reader's language, falling back to the other", () => {
    const map = createFlowMapper();
    const { nodes, edges } = map(graph(), view({ lang: "en" }));
    expect(nodes.find((n) => n.id === "b")!.data.label).toBe("ب");
    expect(nodes.find((n) => n.id === "a")!.ariaLabel).toBe("A");
    expect(edges.find((e) => e.id === "e3")!.ariaLabel).toBe("d → ب: amount > 1000"); // an unnamed decision goes by its id
    expect(edges.find((e) => e.id === "e4")!.data!.isDefault).toBe(true);
    const ar = map(graph(), view());
    expect(ar.edges.find((e) => e.id === "e1")!.ariaLabel).toBe("البداية ← أ");
  });

  it("read-only: nothing can be dragged or connected", () => {
    const { nodes } = createFlowMapper()(graph(), view({ readOnly: true }));
    expect(nodes.every((n) => n.draggable === false && n.connectable === false)).toBe(true);
  });

  it("places nodes without a position where the diagram layout puts them", () => {
    const g = graph();
    delete (g.nodes[1] as { position?: unknown }).position;
    const placed = withPositions(g);
    expect(placed.nodes[1]!.position).toEqual(expect.objectContaining({ x: expect.any(Number), y: expect.any(Number) }));
    expect(placed.nodes[0]).toBe(g.nodes[0]);
    expect(withPositions(placed)).toBe(placed);
    expect(validateDefinition(placed)).toEqual(validateDefinition(g));
  });

  it("keeps the worst severity per item", () => {
    const marks = problemMarks([
      { code: "label_en_missing", severity: "warning", nodeId: "a" },
      { code: "no_outgoing", severity: "error", nodeId: "a" },
      { code: "label_en_missing", severity: "warning", nodeId: "a" },
      { code: "lane_role_missing", severity: "error", laneId: "staff" },
    ]);
    expect(marks.get("a")).toBe("error");
    expect(marks.get("lane:staff")).toBe("error");
  });
});
