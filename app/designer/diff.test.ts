import { describe, expect, it } from "vitest";
import type { DefinitionGraph } from "~/engine/definition";
import { certificateDefinition } from "../../seeds/workflows";
import { diffGraphs, diffHighlights, isEmptyDiff, sameValue } from "./diff";

function edit(g: DefinitionGraph, fn: (g: DefinitionGraph) => void): DefinitionGraph {
  const copy = structuredClone(g);
  fn(copy);
  return copy;
}

describe("diffGraphs", () => {
  it("finds nothing between a version and its copy, whatever the key order", () => {
    const a = certificateDefinition();
    const b = JSON.parse(JSON.stringify(a, Object.keys(a).reverse())) as DefinitionGraph;
    const d = diffGraphs(a, structuredClone(a));
    expect(isEmptyDiff(d)).toBe(true);
    expect(isEmptyDiff(diffGraphs(a, { ...b, ...a }))).toBe(true);
  });

  it("reports added, removed and changed nodes, edges and lanes with the fields that changed", () => {
    const a = certificateDefinition();
    const b = edit(a, (g) => {
      g.nodes = g.nodes.filter((n) => n.id !== "collect");
      g.edges = g.edges.filter((e) => e.source !== "collect" && e.target !== "collect");
      g.edges.push({ id: "f_deliver_done", source: "deliver", target: "done" });
      g.edges = g.edges.filter((e) => e.id !== "f_deliver");
      g.nodes.push({ id: "archive", kind: "task", name: { ar: "أرشفة الطلب", en: "Archive" }, lane: "lane_cs" });
      const study = g.nodes.find((n) => n.id === "study")!;
      study.name = { ar: "دراسة الطلب وتدقيقه", en: "Study and check the request" };
      if (study.kind === "task") study.estimatedMinutes = 6;
      g.edges.find((e) => e.id === "f_yes")!.condition = "approved = true and paid = true";
      g.lanes.find((l) => l.id === "lane_decision")!.name.en = "Approver";
      g.lanes = g.lanes.filter((l) => l.id !== "lane_customer");
    });
    const d = diffGraphs(a, b);
    expect(d.nodes.added.map((n) => n.id)).toEqual(["archive"]);
    expect(d.nodes.removed.map((n) => n.id)).toEqual(["collect"]);
    expect(d.nodes.changed.map((c) => [c.id, c.fields])).toEqual([["study", ["name", "estimatedMinutes"]]]);
    expect(d.edges.added.map((e) => e.id)).toEqual(["f_deliver_done"]);
    expect(d.edges.removed.map((e) => e.id).sort()).toEqual(["f_collect", "f_deliver"]);
    expect(d.edges.changed.map((c) => [c.id, c.fields])).toEqual([["f_yes", ["condition"]]]);
    expect(d.lanes.changed.map((c) => [c.id, c.fields])).toEqual([["lane_decision", ["name"]]]);
    expect(d.lanes.removed.map((l) => l.id)).toEqual(["lane_customer"]);
    expect(d.definition).toEqual([]);

    const h = diffHighlights(d);
    expect(h.before.get("collect")).toBe("removed");
    expect(h.after.get("archive")).toBe("added");
    expect(h.after.get("study")).toBe("changed");
    expect(h.before.get("study")).toBe("changed");
    expect(h.after.has("collect")).toBe(false);
  });

  it("separates a move on the canvas from a change of meaning", () => {
    const a = certificateDefinition();
    const b = edit(a, (g) => {
      g.nodes.find((n) => n.id === "receive")!.position = { x: 1, y: 2 };
      g.edges[0]!.waypoints = [{ x: 5, y: 5 }];
      g.direction = "ltr";
      g.lanes.reverse();
    });
    const d = diffGraphs(a, b);
    expect(d.nodes.changed).toEqual([]);
    expect(d.nodes.moved.map((c) => [c.id, c.layout])).toEqual([["receive", ["position"]]]);
    expect(d.edges.moved.map((c) => c.id)).toEqual([a.edges[0]!.id]);
    expect(d.definition).toEqual(["direction", "laneOrder"]);
    expect(diffHighlights(d).after.size).toBe(0);
    expect(isEmptyDiff(d)).toBe(false);
  });

  it("treats an absent field and an undefined one alike", () => {
    expect(sameValue({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameValue([1, { x: [2] }], [1, { x: [2] }])).toBe(true);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
  });
});
