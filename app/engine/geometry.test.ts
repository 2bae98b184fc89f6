import { describe, expect, it } from "vitest";
import { certificateDefinition } from "../../seeds/workflows";
import type { DefinitionGraph } from "./definition";
import { diagramLayout, laneAt, laneOrientation, nodesInsideLanes } from "./geometry";

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
