import { describe, expect, it } from "vitest";
import type { DefinitionGraph } from "~/engine/definition";
import { diagramLayout, edgePoints, type Bounds } from "~/engine/geometry";
import { graph, S, E, T, D, SPLIT, JOIN } from "~/engine/testing";
import { certificateDefinition, socialAidDefinition } from "../../seeds/workflows";
import { generateFlow } from "./generate-flow";
import { autoLayout, type LayoutDirection } from "./layout";

const DIRECTIONS: LayoutDirection[] = ["LR", "RL", "TB"];

function overlapping(boxes: Map<string, Bounds>): string[] {
  const list = [...boxes.entries()];
  const bad: string[] = [];
  for (let i = 0; i < list.length; i++)
    for (let j = i + 1; j < list.length; j++) {
      const [p, a] = list[i]!;
      const [q, b] = list[j]!;
      if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) bad.push(`${p}/${q}`);
    }
  return bad;
}

/** Nodes with a lane that lie outside their band as diagramLayout computes it back. */
function outsideLanes(g: DefinitionGraph): string[] {
  const layout = diagramLayout(g);
  return g.nodes
    .filter((n) => n.lane)
    .filter((n) => {
      const band = layout.lanes.get(n.lane!)!;
      const b = layout.nodes.get(n.id)!;
      const inside = b.x >= band.x && b.x + b.width <= band.x + band.width && b.y >= band.y && b.y + b.height <= band.y + band.height;
      return !inside;
    })
    .map((n) => n.id);
}

const centre = (b: Bounds) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });

/** A flow over three lanes whose start, end, decision and parallel nodes have no lane. */
function lanedFlow(): DefinitionGraph {
  const g = graph(
    [S(), T("a", { lane: "l1" }), D("d"), T("b", { lane: "l2" }), T("c", { lane: "l3" }), D("m"), SPLIT("s"), T("p", { lane: "l1" }), T("q", { lane: "l1" }), JOIN("j"), T("z", { lane: "l3" }), E()],
    [
      ["start", "a"],
      ["a", "d"],
      ["d", "b", { condition: "x > 1" }],
      ["d", "c", { isDefault: true }],
      ["b", "m"],
      ["c", "m"],
      ["m", "s"],
      ["s", "p"],
      ["s", "q"],
      ["p", "j"],
      ["q", "j"],
      ["j", "z"],
      ["z", "end"],
    ],
  );
  const lane = (id: string, ar: string) => ({ id, name: { ar, en: id }, assignee: { type: "role" as const, roleKey: "staff" } });
  return { ...g, lanes: [lane("l1", "الأول"), lane("l2", "الثاني"), lane("l3", "الثالث")] };
}

describe("autoLayout", () => {
  for (const direction of DIRECTIONS) {
    describe(direction, () => {
      for (const [name, make] of [
        ["the certificate (lanes on every node)", certificateDefinition],
        ["a flow whose events and gateways have no lane", lanedFlow],
      ] as const) {
        it(`${name}: no overlaps, nodes inside their lanes, lanes in order, edges forward`, async () => {
          const g = make();
          const out = await autoLayout(g, { direction });
          expect(out.nodes.map((n) => n.id)).toEqual(g.nodes.map((n) => n.id));
          expect(out.edges.map((e) => [e.id, e.source, e.target, e.condition])).toEqual(g.edges.map((e) => [e.id, e.source, e.target, e.condition]));
          const layout = diagramLayout(out);
          expect(layout.orientation).toBe(direction === "TB" ? "vertical" : "horizontal");
          expect(overlapping(layout.nodes)).toEqual([]);
          expect(outsideLanes(out)).toEqual([]);
          // Lanes keep their order: top to bottom, or for columns from the reading-start side (RTL: right).
          const bands = g.lanes.map((l) => layout.lanes.get(l.id)!);
          for (let i = 1; i < bands.length; i++) {
            if (direction === "TB") expect(bands[i]!.x + bands[i]!.width).toBeLessThanOrEqual(bands[i - 1]!.x + 0.5);
            else expect(bands[i]!.y).toBeGreaterThanOrEqual(bands[i - 1]!.y + bands[i - 1]!.height - 0.5);
          }
          // Acyclic: every edge moves forward along the flow.
          for (const e of out.edges) {
            const s = centre(layout.nodes.get(e.source)!);
            const t = centre(layout.nodes.get(e.target)!);
            if (direction === "LR") expect(t.x, e.id).toBeGreaterThan(s.x);
            if (direction === "RL") expect(t.x, e.id).toBeLessThan(s.x);
            if (direction === "TB") expect(t.y, e.id).toBeGreaterThan(s.y);
          }
        });
      }
    });
  }

  it("RL mirrors LR", async () => {
    const lr = diagramLayout(await autoLayout(certificateDefinition(), { direction: "LR" }));
    const rl = diagramLayout(await autoLayout(certificateDefinition(), { direction: "RL" }));
    const order = (l: typeof lr) => [...l.nodes.entries()].sort((a, b) => centre(a[1]).x - centre(b[1]).x).map(([id]) => id);
    expect(order(rl)).toEqual(order(lr).reverse());
  });

  it("waypoints are orthogonal bends: forward edges leave and enter along the flow, loops go round the top", async () => {
    for (const g of [certificateDefinition(), socialAidDefinition()]) {
      const out = await autoLayout(g, { direction: "RL" });
      const layout = diagramLayout(out);
      const bent = out.edges.filter((e) => e.waypoints?.length);
      expect(bent.length).toBeGreaterThan(0);
      for (const e of bent) {
        const pts = edgePoints(e, layout.nodes.get(e.source)!, layout.nodes.get(e.target)!);
        for (let i = 1; i < pts.length; i++) expect(pts[i]!.x === pts[i - 1]!.x || pts[i]!.y === pts[i - 1]!.y, `${e.id} segment ${i}`).toBe(true);
      }
    }
    // The loop back for missing documents bends above both shapes.
    const social = await autoLayout(socialAidDefinition(), { direction: "RL" });
    const loop = social.edges.find((e) => e.source === "request_docs" && e.target === "check")!;
    const top = Math.min(...["request_docs", "check"].map((id) => social.nodes.find((n) => n.id === id)!.position!.y));
    expect(loop.waypoints!.every((p) => p.y < top)).toBe(true);
  });

  it("keeps empty lanes (leading and in between) as bands without nodes", async () => {
    const g = lanedFlow();
    const empty = (id: string) => ({ id, name: { ar: id, en: id }, assignee: { type: "role" as const, roleKey: "staff" } });
    const withEmpty = { ...g, lanes: [empty("e0"), g.lanes[0]!, empty("e1"), g.lanes[1]!, g.lanes[2]!] };
    for (const direction of DIRECTIONS) {
      const out = await autoLayout(withEmpty, { direction });
      expect(overlapping(diagramLayout(out).nodes)).toEqual([]);
      expect(outsideLanes(out)).toEqual([]);
    }
  });

  it("lays out a flow with loops back (rework, missing documents) and a 300-node generated flow", async () => {
    for (const g of [socialAidDefinition(), generateFlow({ nodes: 300, edges: 360, seed: 4 })]) {
      for (const direction of DIRECTIONS) {
        const out = await autoLayout(g, { direction });
        expect(overlapping(diagramLayout(out).nodes)).toEqual([]);
        expect(outsideLanes(out)).toEqual([]);
      }
    }
  });

  it("lays out a broken draft (duplicate ids, an edge to nowhere) without failing", async () => {
    const g = lanedFlow();
    const broken = {
      ...g,
      nodes: [...g.nodes, { ...g.nodes[1]!, name: { ar: "نسخة", en: "copy" } }],
      edges: [...g.edges, { id: "ghost", source: "a", target: "nowhere" }, { ...g.edges[0]!, target: "b" }],
    };
    const out = await autoLayout(broken, { direction: "LR" });
    expect(out.nodes).toHaveLength(broken.nodes.length);
    expect(out.nodes.every((n) => n.position && Number.isFinite(n.position.x) && Number.isFinite(n.position.y))).toBe(true);
  });

  it("without lanes keeps elk's placement and still moves forward", async () => {
    const g = { ...graph([S(), T("a", { lane: undefined }), T("b", { lane: undefined }), E()], [["start", "a"], ["a", "b"], ["b", "end"]]), lanes: [] };
    const out = await autoLayout(g, { direction: "LR" });
    const xs = out.nodes.map((n) => n.position!.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
  });
});
