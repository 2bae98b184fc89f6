import { describe, expect, it } from "vitest";
import { definitionGraph, type DefinitionGraph } from "~/engine/definition";
import { diagramLayout } from "~/engine/geometry";
import { validateDefinition } from "~/engine/validate";
import { HISTORY_LIMIT, PASTE_OFFSET, canConnect, initialState, reduce, redoLabel, undoLabel, type EditorAction, type EditorState } from "./store";

// Two lanes, read right to left: reception holds start, task_1 and end; review holds task_2.
// Bands (geometry.ts): reception 30–200, review 200–370 (the boundary midway between them).
function fixture(): DefinitionGraph {
  return definitionGraph.parse({
    key: "aid-request",
    name: { ar: "طلب مساعدة", en: "Aid request" },
    lanes: [
      { id: "reception", name: { ar: "الاستقبال", en: "Reception" }, assignee: { type: "role", roleKey: "staff" } },
      { id: "review", name: { ar: "المراجعة", en: "Review" }, assignee: { type: "role", roleKey: "manager" } },
    ],
    nodes: [
      { id: "start", kind: "start", name: { ar: "البداية", en: "Start" }, lane: "reception", position: { x: 620, y: 82 } },
      { id: "task_1", kind: "task", name: { ar: "استلام الطلب", en: "Receive" }, lane: "reception", position: { x: 440, y: 60 } },
      { id: "task_2", kind: "task", name: { ar: "دراسة الطلب", en: "Study" }, lane: "review", position: { x: 300, y: 260 } },
      { id: "end", kind: "end", name: { ar: "النهاية", en: "End" }, lane: "reception", position: { x: 160, y: 82 } },
    ],
    edges: [
      { id: "flow_1", source: "start", target: "task_1" },
      { id: "flow_2", source: "task_1", target: "task_2", waypoints: [{ x: 490, y: 300 }] },
      { id: "flow_3", source: "task_2", target: "end" },
    ],
  });
}

const run = (s: EditorState, ...actions: EditorAction[]) => actions.reduce(reduce, s);
const node = (s: EditorState, id: string) => s.graph.nodes.find((n) => n.id === id)!;
const edge = (s: EditorState, id: string) => s.graph.edges.find((e) => e.id === id)!;
const task = (ar: string) => ({ kind: "task" as const, name: { ar, en: ar } });

describe("editor store: adding and moving", () => {
  it("adds a node centred on the drop point, in the lane under it, with a fresh id, selected", () => {
    const s = run(initialState(fixture()), { type: "addNode", node: task("تدقيق"), at: { x: 100, y: 300 } });
    const added = s.graph.nodes.at(-1)!;
    expect(added).toMatchObject({ id: "task_3", kind: "task", lane: "review", position: { x: 50, y: 260 } });
    expect(s.selection).toEqual({ nodes: ["task_3"], edges: [] });
    expect(undoLabel(s)).toBe("add");
    // Above every band: the nearest (first) lane.
    const top = run(s, { type: "addNode", node: { kind: "decision", name: { ar: "", en: "" } }, at: { x: 100, y: -500 } });
    expect(top.graph.nodes.at(-1)).toMatchObject({ id: "decision_1", lane: "reception" });
  });

  it("never reuses an id taken by a node, an edge or a lane", () => {
    const g = fixture();
    g.lanes[1]!.id = "task_3";
    g.edges[0]!.id = "task_4";
    const s = run(initialState(g), { type: "addNode", node: task("أ"), at: { x: 0, y: 100 } }, { type: "addNode", node: task("ب"), at: { x: 0, y: 100 } });
    expect(s.graph.nodes.slice(-2).map((n) => n.id)).toEqual(["task_5", "task_6"]);
  });

  it("keeps one continuous drag as one undo step and restores the start position", () => {
    const drag = (x: number, y: number): EditorAction => ({ type: "moveNodes", positions: { task_1: { x, y } }, coalesce: "drag:1" });
    const s = run(initialState(fixture()), drag(430, 60), drag(420, 70), drag(400, 80), { type: "moveNodes", positions: { task_1: { x: 400, y: 80 } }, coalesce: "drag:1", assignLanes: true });
    expect(node(s, "task_1").position).toEqual({ x: 400, y: 80 });
    expect(s.past).toHaveLength(1);
    const undone = run(s, { type: "undo" });
    expect(node(undone, "task_1").position).toEqual({ x: 440, y: 60 });
    expect(undone.past).toHaveLength(0);
    expect(redoLabel(undone)).toBe("move");
    expect(node(run(undone, { type: "redo" }), "task_1").position).toEqual({ x: 400, y: 80 });
    // A second drag is a second step.
    const again = run(s, { type: "moveNodes", positions: { task_1: { x: 380, y: 80 } }, coalesce: "drag:2" });
    expect(again.past).toHaveLength(2);
  });

  it("reassigns the lane from where a dragged node is dropped, not where it started", () => {
    const s = run(initialState(fixture()), { type: "moveNodes", positions: { task_1: { x: 440, y: 280 } }, coalesce: "drag:1", assignLanes: true });
    expect(node(s, "task_1").lane).toBe("review");
    // Bends no longer fit a connection with one end moved; with both ends moved they follow.
    expect(edge(s, "flow_2").waypoints).toBeUndefined();
    const both = run(initialState(fixture()), { type: "moveNodes", positions: { task_1: { x: 450, y: 70 }, task_2: { x: 310, y: 270 } }, assignLanes: true });
    expect(edge(both, "flow_2").waypoints).toEqual([{ x: 500, y: 310 }]);
    expect(node(both, "task_2").lane).toBe("review");
  });

  it("nudges the selection with the arrow keys, repeated presses being one step", () => {
    const s = run(initialState(fixture()), { type: "select", nodes: ["task_2"], edges: [] }, { type: "nudge", dx: 0, dy: -10 }, { type: "nudge", dx: 0, dy: -10 }, { type: "nudge", dx: -10, dy: 0 });
    expect(node(s, "task_2").position).toEqual({ x: 290, y: 240 });
    expect(s.past).toHaveLength(1);
    const far = run(s, ...Array.from({ length: 12 }, () => ({ type: "nudge", dx: 0, dy: -10 }) as EditorAction));
    expect(node(far, "task_2").lane).toBe("reception");
    expect(run(initialState(fixture()), { type: "nudge", dx: 10, dy: 0 }).revision).toBe(0);
  });
});

describe("editor store: properties", () => {
  it("merges a patch, removes keys set to undefined and coalesces typing in one field", () => {
    let s = initialState(fixture());
    for (const name of ["د", "در", "دراسة"]) s = reduce(s, { type: "updateNode", id: "task_2", patch: { name: { ar: name, en: "Study" } }, coalesce: "task_2:name" });
    s = reduce(s, { type: "updateNode", id: "task_2", patch: { estimatedMinutes: 15, form: "intake" } });
    expect(node(s, "task_2")).toMatchObject({ name: { ar: "دراسة" }, estimatedMinutes: 15, form: "intake" });
    expect(s.past).toHaveLength(2);
    s = reduce(s, { type: "updateNode", id: "task_2", patch: { form: undefined } });
    expect("form" in node(s, "task_2")).toBe(false);
    expect(reduce(s, { type: "updateNode", id: "missing", patch: { form: "x" } })).toBe(s);
  });

  it("moves a node into the band of the lane chosen in the panel", () => {
    const s = run(initialState(fixture()), { type: "updateNode", id: "task_1", patch: { lane: "review" } });
    const n = node(s, "task_1");
    const band = diagramLayout(s.graph).lanes.get("review")!;
    expect(n.lane).toBe("review");
    expect(n.position!.y + 40).toBeGreaterThanOrEqual(band.y);
    expect(n.position!.y + 40).toBeLessThan(band.y + band.height);
    expect(n.position!.x).toBe(440);
  });

  it("keeps a single default way out of a decision", () => {
    const g = fixture();
    g.nodes.push({ id: "d", kind: "decision", name: { ar: "", en: "" }, position: { x: 300, y: 60 } });
    let s = initialState(g);
    s = run(s, { type: "connect", source: "task_1", target: "d" }, { type: "connect", source: "d", target: "task_2" }, { type: "connect", source: "d", target: "end" });
    const [first, second] = s.graph.edges.filter((e) => e.source === "d");
    expect(first!.isDefault).toBe(true);
    expect(second!.isDefault).toBeUndefined();
    s = reduce(s, { type: "updateEdge", id: second!.id, patch: { isDefault: true, condition: undefined } });
    s = reduce(s, { type: "updateEdge", id: first!.id, patch: { condition: "amount > 1000" } });
    expect(edge(s, first!.id)).toEqual({ id: first!.id, source: "d", target: "task_2", condition: "amount > 1000" });
    expect(edge(s, second!.id).isDefault).toBe(true);
  });

  it("mirrors the diagram when the reading direction changes", () => {
    const s = run(initialState(fixture()), { type: "updateGraph", patch: { direction: "ltr" } });
    expect(s.graph.direction).toBe("ltr");
    // Shapes span 160–656 (end's left edge to start's right edge): x' = 816 − x − width.
    expect(node(s, "start").position).toEqual({ x: 160, y: 82 });
    expect(node(s, "end").position).toEqual({ x: 620, y: 82 });
    expect(node(s, "task_1").position).toEqual({ x: 276, y: 60 });
    expect(edge(s, "flow_2").waypoints).toEqual([{ x: 326, y: 300 }]);
    expect(node(run(s, { type: "updateGraph", patch: { direction: "rtl" } }), "start").position).toEqual({ x: 620, y: 82 });
  });
});

describe("editor store: connecting", () => {
  it("gives decision edges a default and gate edges their outcomes, with unique ids", () => {
    const g = fixture();
    g.nodes.push({ id: "gate", kind: "gate", name: { ar: "بوابة", en: "Gate" }, approverRole: "manager", checklist: [], requiredForms: [], requiredDocuments: [], position: { x: 0, y: 0 } });
    g.edges.push({ id: "flow_4", source: "start", target: "gate" });
    const s = run(
      initialState(g),
      { type: "connect", source: "gate", target: "task_1" },
      { type: "connect", source: "gate", target: "end" },
      { type: "connect", source: "gate", target: "task_2" },
    );
    expect(s.graph.edges.filter((e) => e.source === "gate").map((e) => [e.id, e.outcome])).toEqual([
      ["flow_5", "go"],
      ["flow_6", "no-go"],
      ["flow_7", "rework"],
    ]);
    expect(s.selection.edges).toEqual(["flow_7"]);
  });

  it("refuses loops on one node, duplicates, leaving an end and entering a start", () => {
    const g = fixture();
    expect(canConnect(g, "task_1", "task_1")).toBe(false);
    expect(canConnect(g, "start", "task_1")).toBe(false);
    expect(canConnect(g, "end", "task_1")).toBe(false);
    expect(canConnect(g, "task_2", "start")).toBe(false);
    expect(canConnect(g, "task_2", "task_1")).toBe(true);
    const s = initialState(g);
    expect(reduce(s, { type: "connect", source: "end", target: "task_1" })).toBe(s);
  });
});

describe("editor store: selection, delete, copy and paste", () => {
  it("deletes the selection with its connections, and undo brings everything back", () => {
    const s0 = initialState(fixture());
    const s = run(s0, { type: "select", nodes: ["task_1"], edges: ["flow_3"] }, { type: "deleteSelection" });
    expect(s.graph.nodes.map((n) => n.id)).toEqual(["start", "task_2", "end"]);
    expect(s.graph.edges).toEqual([]);
    expect(s.selection).toEqual({ nodes: [], edges: [] });
    const back = run(s, { type: "undo" });
    expect(back.graph).toEqual(s0.graph);
    expect(back.selection).toEqual({ nodes: ["task_1"], edges: ["flow_3"] });
  });

  it("selects all and ignores ids that do not exist", () => {
    const s = run(initialState(fixture()), { type: "selectAll" });
    expect(s.selection.nodes).toHaveLength(4);
    expect(s.selection.edges).toHaveLength(3);
    expect(run(s, { type: "select", nodes: ["nope", "end"], edges: ["x"] }).selection).toEqual({ nodes: ["end"], edges: [] });
    expect(s.revision).toBe(0);
    expect(s.past).toHaveLength(0);
  });

  it("applies the canvas's selection changes for nodes and edges one after the other", () => {
    const s = run(initialState(fixture()), { type: "select", nodes: ["task_1"], edges: ["flow_1"] }, { type: "selectDelta", nodes: { task_1: false, task_2: true } }, { type: "selectDelta", edges: { flow_1: false, flow_3: true } });
    expect(s.selection).toEqual({ nodes: ["task_2"], edges: ["flow_3"] });
    expect(reduce(s, { type: "selectDelta", nodes: { task_2: true } })).toBe(s);
  });

  it("pastes copies with new ids, offset, keeping only the connections among them", () => {
    const s0 = run(initialState(fixture()), { type: "select", nodes: ["task_1", "task_2"], edges: [] }, { type: "copy" });
    const s1 = reduce(s0, { type: "paste" });
    const pasted = s1.graph.nodes.slice(4);
    expect(pasted.map((n) => n.id)).toEqual(["task_3", "task_4"]);
    expect(pasted.map((n) => n.position)).toEqual([
      { x: 440 + PASTE_OFFSET, y: 60 + PASTE_OFFSET },
      { x: 300 + PASTE_OFFSET, y: 260 + PASTE_OFFSET },
    ]);
    expect(pasted.map((n) => n.lane)).toEqual(["reception", "review"]);
    const copies = s1.graph.edges.slice(3);
    expect(copies).toEqual([{ id: "flow_4", source: "task_3", target: "task_4", waypoints: [{ x: 530, y: 340 }] }]);
    expect(s1.selection).toEqual({ nodes: ["task_3", "task_4"], edges: ["flow_4"] });
    const s2 = reduce(s1, { type: "paste" });
    expect(s2.graph.nodes.at(-2)!.position).toEqual({ x: 440 + 2 * PASTE_OFFSET, y: 60 + 2 * PASTE_OFFSET });
    expect(validateDefinition(s2.graph).filter((p) => p.code === "duplicate_id")).toEqual([]);
    expect(undoLabel(s2)).toBe("paste");
  });

  it("cuts: copies then deletes in one undo step", () => {
    const s = run(initialState(fixture()), { type: "select", nodes: ["task_2"], edges: [] }, { type: "cut" });
    expect(s.graph.nodes.some((n) => n.id === "task_2")).toBe(false);
    expect(s.clipboard?.nodes.map((n) => n.id)).toEqual(["task_2"]);
    expect(s.past).toHaveLength(1);
    expect(reduce(s, { type: "paste" }).graph.nodes.at(-1)).toMatchObject({ id: "task_2", name: { ar: "دراسة الطلب" }, lane: "review" });
  });
});

describe("editor store: lanes", () => {
  it("adds, renames (one step while typing) and deletes lanes; deleting unassigns its nodes", () => {
    let s = run(initialState(fixture()), { type: "addLane", name: { ar: "المدير", en: "Director" }, assignee: { type: "role", roleKey: "manager" } });
    expect(s.graph.lanes.map((l) => l.id)).toEqual(["reception", "review", "lane_1"]);
    for (const en of ["R", "Re", "Reviewers"]) s = reduce(s, { type: "updateLane", id: "review", patch: { name: { ar: "المراجعة", en } }, coalesce: "review:name" });
    expect(s.graph.lanes[1]!.name.en).toBe("Reviewers");
    expect(s.past).toHaveLength(2);
    s = reduce(s, { type: "deleteLane", id: "review" });
    expect(s.graph.lanes.map((l) => l.id)).toEqual(["reception", "lane_1"]);
    expect("lane" in node(s, "task_2")).toBe(false);
    expect(run(s, { type: "undo" }).graph.lanes).toHaveLength(3);
  });

  it("a name typed in one language keeps the other, even when the text box built its value from a stale render", () => {
    // The panels render from deferred state: the English box may still hold the lane's old
    // Arabic name when the English is typed right after the Arabic.
    const stale = { ar: "الاستقبال", en: "Reception" };
    let s = reduce(initialState(fixture()), { type: "updateLane", id: "reception", patch: { name: { ...stale, ar: "خدمة المتعاملين" } }, coalesce: "l:ar", lang: "ar" });
    s = reduce(s, { type: "updateLane", id: "reception", patch: { name: { ...stale, en: "Customer service" } }, coalesce: "l:en", lang: "en" });
    expect(s.graph.lanes[0]!.name).toEqual({ ar: "خدمة المتعاملين", en: "Customer service" });
    // Without the language the patch is taken as it is (what the stale render sent).
    const plain = reduce(s, { type: "updateLane", id: "reception", patch: { name: stale } });
    expect(plain.graph.lanes[0]!.name).toEqual(stale);
  });

  it("node and edge texts follow the same rule; an emptied optional text goes only when both languages are empty", () => {
    let s = reduce(initialState(fixture()), { type: "updateNode", id: "task_1", patch: { name: { ar: "استلام", en: "Receive" } }, lang: "ar" });
    s = reduce(s, { type: "updateNode", id: "task_1", patch: { name: { ar: "استلام الطلب", en: "Receive the request" } }, lang: "en" });
    expect(node(s, "task_1").name).toEqual({ ar: "استلام", en: "Receive the request" });
    s = reduce(s, { type: "updateEdge", id: "flow_1", patch: { name: { ar: "نعم", en: "" } }, lang: "ar" });
    s = reduce(s, { type: "updateEdge", id: "flow_1", patch: { name: { ar: "", en: "Yes" } }, lang: "en" });
    expect(edge(s, "flow_1").name).toEqual({ ar: "نعم", en: "Yes" });
    // The English emptied from a render that saw no Arabic: the Arabic stays.
    s = reduce(s, { type: "updateEdge", id: "flow_1", patch: { name: undefined }, lang: "en" });
    expect(edge(s, "flow_1").name).toEqual({ ar: "نعم", en: "" });
    s = reduce(s, { type: "updateEdge", id: "flow_1", patch: { name: undefined }, lang: "ar" });
    expect("name" in edge(s, "flow_1")).toBe(false);
  });

  it("reorders lanes, moving each lane's nodes with its band", () => {
    const s = run(initialState(fixture()), { type: "moveLane", id: "review", offset: -1 });
    expect(s.graph.lanes.map((l) => l.id)).toEqual(["review", "reception"]);
    const layout = diagramLayout(s.graph);
    // Review now lies above reception and each node stays inside its own lane's band.
    expect(layout.lanes.get("review")!.y).toBeLessThan(layout.lanes.get("reception")!.y);
    for (const n of s.graph.nodes) {
      const band = layout.lanes.get(n.lane!)!;
      const b = layout.nodes.get(n.id)!;
      expect(b.y).toBeGreaterThanOrEqual(band.y);
      expect(b.y + b.height).toBeLessThanOrEqual(band.y + band.height);
    }
    expect(node(s, "task_2").position).toEqual({ x: 300, y: 260 - 170 });
    expect(run(s, { type: "moveLane", id: "review", offset: -1 })).toBe(s);
  });
});

describe("editor store: lanes as columns (a top-to-bottom layout)", () => {
  // Reading left to right, lanes are columns: intake on the left (x 60–160), review on the right.
  function columns(): DefinitionGraph {
    return definitionGraph.parse({
      key: "columns",
      name: { ar: "أعمدة", en: "Columns" },
      direction: "ltr",
      lanes: [
        { id: "intake", name: { ar: "الاستقبال", en: "Intake" }, assignee: { type: "role", roleKey: "staff" } },
        { id: "review", name: { ar: "المراجعة", en: "Review" }, assignee: { type: "role", roleKey: "manager" } },
      ],
      nodes: [
        { id: "start", kind: "start", name: { ar: "", en: "" }, lane: "intake", position: { x: 92, y: 0 } },
        { id: "a", kind: "task", name: { ar: "أ", en: "A" }, lane: "intake", position: { x: 60, y: 300 } },
        { id: "b", kind: "task", name: { ar: "ب", en: "B" }, lane: "review", position: { x: 400, y: 150 } },
      ],
    });
  }

  it("assigns the column under the drop point and swaps columns sideways", () => {
    const g = columns();
    expect(diagramLayout(g).orientation).toBe("vertical");
    const s = run(initialState(g), { type: "moveNodes", positions: { a: { x: 390, y: 420 } }, assignLanes: true });
    expect(node(s, "a").lane).toBe("review");
    const added = run(initialState(g), { type: "addNode", node: task("ج"), at: { x: 2000, y: 100 } });
    expect(added.graph.nodes.at(-1)!.lane).toBe("review");

    const swapped = run(initialState(g), { type: "moveLane", id: "intake", offset: 1 });
    const layout = diagramLayout(swapped.graph);
    expect(layout.orientation).toBe("vertical");
    expect(layout.lanes.get("review")!.x).toBeLessThan(layout.lanes.get("intake")!.x);
    expect(node(swapped, "b").position!.y).toBe(150);
    expect(node(swapped, "b").position!.x).toBeLessThan(node(swapped, "a").position!.x);
  });
});

describe("editor store: history", () => {
  it("replaces the whole graph as one labelled step (auto-layout, steps table)", () => {
    const s0 = initialState(fixture());
    const laidOut = { ...s0.graph, nodes: s0.graph.nodes.map((n, i) => ({ ...n, position: { x: i * 200, y: 60 } })) };
    const s = reduce(s0, { type: "replaceGraph", graph: laidOut, label: "layout" });
    expect(s.graph).toBe(laidOut);
    expect(undoLabel(s)).toBe("layout");
    expect(reduce(s, { type: "undo" }).graph).toBe(s0.graph);
  });

  it("forgets the redo branch on a new change and bounds the history", () => {
    let s = initialState(fixture());
    s = run(s, { type: "updateNode", id: "task_1", patch: { estimatedMinutes: 1 } }, { type: "undo" });
    expect(s.future).toHaveLength(1);
    s = reduce(s, { type: "updateNode", id: "task_1", patch: { estimatedMinutes: 2 } });
    expect(s.future).toHaveLength(0);
    expect(reduce(s, { type: "redo" })).toBe(s);

    for (let i = 0; i < HISTORY_LIMIT + 50; i++) s = reduce(s, { type: "updateNode", id: "task_1", patch: { estimatedMinutes: i + 10 } });
    expect(s.past).toHaveLength(HISTORY_LIMIT);
    for (let i = 0; i < HISTORY_LIMIT; i++) s = reduce(s, { type: "undo" });
    // The oldest 50 steps were forgotten: the earliest state left is the one before edit 50.
    expect((node(s, "task_1") as { estimatedMinutes?: number }).estimatedMinutes).toBe(59);
    expect(reduce(s, { type: "undo" })).toBe(s);
  });

  it("counts revisions for changes, undo and redo, but not for selection", () => {
    const s = run(initialState(fixture()), { type: "select", nodes: ["task_1"], edges: [] }, { type: "nudge", dx: 10, dy: 0 }, { type: "undo" }, { type: "redo" }, { type: "copy" });
    expect(s.revision).toBe(3);
  });
});
