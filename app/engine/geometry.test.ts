import { describe, expect, it } from "vitest";
import { certificateDefinition } from "../../seeds/workflows";
import type { DefinitionGraph } from "./definition";
import { diagramLayout, edgePoints, laneAt, laneOrientation, nodesInsideLanes, PARALLEL_GAP, parallelOffsets, type Bounds } from "./geometry";

const lane = (id: string) => ({ id, name: { ar: id, en: id }, assignee: { type: "role" as const, roleKey: "staff" } });

/** Two lanes as columns: l1 on the right (RTL), each with two steps one below the other. */
function columns(direction: "rtl" | "ltr"): DefinitionGraph {
  const x = (col: number) => (direction === "rtl" ? 400 - col * 200 : col * 200);
  const task = (id: string, laneId: string, col: number, row: number) => ({ id, kind: "task" as const, name: { ar: id, en: id }, lane: laneId, position: { x: x(col), y: row * 150 } });
  return {
    key: "columns",
    name: { ar: "أعمدة", en: "Columns" },
    direction,
    lanes: [lane("l1"), lane("l2")],
    nodes: [task("a", "l1", 0, 0), task("b", "l2", 1, 1), task("c", "l1", 0, 2), task("d", "l2", 1, 3)],
    edges: [],
  };
}

describe("diagram geometry", () => {
  it("reads the service guide's charts as horizontal lanes", () => {
    const g = certificateDefinition();
    expect(laneOrientation(g)).toBe("horizontal");
    expect(nodesInsideLanes(g, diagramLayout(g))).toBe(true);
  });

  for (const direction of ["rtl", "ltr"] as const) {
    it(`reads positions that only fit columns as vertical lanes (${direction}: first lane at the reading start)`, () => {
      const g = columns(direction);
      expect(laneOrientation(g)).toBe("vertical");
      const layout = diagramLayout(g);
      expect(layout.orientation).toBe("vertical");
      expect(nodesInsideLanes(g, layout)).toBe(true);
      const [l1, l2] = [layout.lanes.get("l1")!, layout.lanes.get("l2")!];
      if (direction === "rtl") expect(l2.x + l2.width).toBeLessThanOrEqual(l1.x);
      else expect(l1.x + l1.width).toBeLessThanOrEqual(l2.x);
      // Columns span the pool's height; the pool's label strip is on top.
      expect(l1.height).toBe(l2.height);
      expect(layout.pool.y).toBeLessThan(l1.y);
      // Dropping a point into a column assigns that column's lane.
      const a = layout.nodes.get("a")!;
      expect(laneAt(layout, { x: a.x + 10, y: 5000 })).toBe("l1");
    });
  }

  it("an empty lane keeps its minimum size at negative coordinates", () => {
    const g: DefinitionGraph = {
      ...columns("ltr"),
      lanes: [lane("l1"), lane("empty"), lane("l2")],
      nodes: [
        { id: "a", kind: "task", name: { ar: "a", en: "a" }, lane: "l1", position: { x: 0, y: -900 } },
        { id: "b", kind: "task", name: { ar: "b", en: "b" }, lane: "l2", position: { x: 0, y: -500 } },
      ],
    };
    const layout = diagramLayout(g, { orientation: "horizontal" });
    expect(layout.lanes.get("empty")!.height).toBe(150);
    expect(nodesInsideLanes(g, layout)).toBe(true);
  });
});

describe("parallel flows", () => {
  const box = (x: number, y: number): Bounds => ({ x, y, width: 100, height: 80 });
  const flow = (id: string, source: string, target: string, extra: object = {}) => ({ id, source, target, ...extra });

  it("spreads flows that join the same two shapes around the straight line, and leaves single ones and bent ones alone", () => {
    const offsets = parallelOffsets([flow("go", "gate", "notify"), flow("nogo", "gate", "notify"), flow("rework", "gate", "review"), flow("bent", "a", "b", { waypoints: [{ x: 1, y: 1 }] }), flow("bent2", "a", "b", { waypoints: [{ x: 2, y: 2 }] })]);
    expect(offsets.get("go")).toBe(-PARALLEL_GAP / 2);
    expect(offsets.get("nogo")).toBe(PARALLEL_GAP / 2);
    expect(offsets.has("rework")).toBe(false);
    expect(offsets.has("bent")).toBe(false);
    expect(parallelOffsets([flow("a", "x", "y"), flow("b", "x", "y"), flow("c", "x", "y")]).get("b")).toBe(0);
  });

  it("draws two parallel lines from border to border, the gap apart, also when the flows go opposite ways", () => {
    const s = box(0, 0);
    const t = box(400, 0);
    const cases = [
      [flow("go", "s", "t"), flow("nogo", "s", "t")],
      [flow("there", "s", "t"), flow("back", "t", "s")],
    ];
    for (const [first, second] of cases) {
      const offsets = parallelOffsets([first!, second!]);
      const line = (e: typeof first) => (e!.source === "s" ? edgePoints(e!, s, t, offsets.get(e!.id)) : edgePoints(e!, t, s, offsets.get(e!.id)));
      const [a, b] = [line(first), line(second)];
      // Horizontal lines at different heights: both ends on the shapes' facing sides.
      expect(a[0]!.y).toBe(a[1]!.y);
      expect(b[0]!.y).toBe(b[1]!.y);
      expect(Math.abs(a[0]!.y - b[0]!.y)).toBe(PARALLEL_GAP);
      for (const p of [...a, ...b]) expect([100, 400]).toContain(p.x);
    }
  });

  it("keeps a moved line inside small shapes (never beyond their half size)", () => {
    const small: Bounds = { x: 0, y: 0, width: 36, height: 36 };
    const [start] = edgePoints(flow("e", "s", "t"), small, box(300, 0), 100);
    expect(start!.x).toBe(36);
    expect(start!.y).toBeGreaterThanOrEqual(0);
    expect(start!.y).toBeLessThanOrEqual(36);
  });
});
