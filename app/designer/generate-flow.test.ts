import { describe, expect, it } from "vitest";
import { definitionGraph } from "~/engine/definition";
import { diagramLayout } from "~/engine/geometry";
import { validateDefinition } from "~/engine/validate";
import { generateFlow } from "./generate-flow";

describe("generated benchmark flows", () => {
  for (const [nodes, edges] of [
    [500, 600],
    [1000, 1200],
    [10, 11],
  ] as const) {
    it(`${nodes} nodes / ${edges} edges: exact size, valid, with lanes, decisions, parallel blocks and gates`, () => {
      const g = generateFlow({ nodes, edges, lanes: 5, seed: 7 });
      expect(g.nodes).toHaveLength(nodes);
      expect(g.edges).toHaveLength(edges);
      expect(definitionGraph.safeParse(g).success).toBe(true);
      expect(validateDefinition(g, { roleExists: (r) => ["staff", "manager"].includes(r) }).filter((p) => p.severity === "error")).toEqual([]);
      if (nodes >= 500) {
        const kinds = new Set(g.nodes.map((n) => (n.kind === "parallel" ? `${n.kind}-${n.direction}` : n.kind)));
        for (const k of ["start", "end", "task", "decision", "parallel-split", "parallel-join", "gate"]) expect(kinds).toContain(k);
        expect(new Set(g.nodes.map((n) => n.lane)).size).toBe(5);
      }
    });
  }

  it("places nodes without overlaps, each inside its lane band", () => {
    const g = generateFlow({ nodes: 500, edges: 600, seed: 3 });
    const layout = diagramLayout(g);
    expect(layout.orientation).toBe("horizontal");
    const boxes = [...layout.nodes.entries()];
    const overlaps: string[] = [];
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [p, a] = boxes[i]!;
        const [q, b] = boxes[j]!;
        if (!(a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y)) overlaps.push(`${p}/${q}`);
      }
    expect(overlaps).toEqual([]);
    const outside = g.nodes.filter((n) => {
      const band = layout.lanes.get(n.lane!)!;
      const box = layout.nodes.get(n.id)!;
      return box.y < band.y || box.y + box.height > band.y + band.height;
    });
    expect(outside.map((n) => n.id)).toEqual([]);
  });

  it("is deterministic for a seed", () => {
    expect(generateFlow({ nodes: 50, edges: 60, seed: 9 })).toEqual(generateFlow({ nodes: 50, edges: 60, seed: 9 }));
  });
});
