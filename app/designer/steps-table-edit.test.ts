import { describe, expect, it } from "vitest";
import type { DefinitionGraph } from "~/engine/definition";
import { diagramLayout, nodesInsideLanes } from "~/engine/geometry";
import { stepsTable } from "~/engine/steps-table";
import { validateDefinition } from "~/engine/validate";
import { certificateDefinition, socialAidDefinition } from "../../seeds/workflows";
import { autoLayout } from "./layout";
import { addStep, deleteStep, freshId, updateStep } from "./steps-table-edit";

const errors = (g: DefinitionGraph) => validateDefinition(g).filter((p) => p.severity === "error");

function overlaps(g: DefinitionGraph): string[] {
  const boxes = [...diagramLayout(g).nodes.entries()];
  const bad: string[] = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const [p, a] = boxes[i]!;
      const [q, b] = boxes[j]!;
      if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) bad.push(`${p}/${q}`);
    }
  return bad;
}

const row = (g: DefinitionGraph, nodeId: string) => stepsTable(g).rows.find((r) => r.nodeId === nodeId)!;

describe("steps table editing (graph ↔ table)", () => {
  it("editing a row changes the step's node, and the table shows it back", () => {
    const g = certificateDefinition();
    const next = updateStep(g, "study", {
      name: { ar: "دراسة الطلب وتدقيقه", en: "Study and check" },
      description: { ar: "وصف جديد", en: "New description" },
      lane: "lane_decision",
      inputs: { ar: "الطلب", en: "The request" },
      outputs: { ar: "التوصية", en: "Recommendation" },
      tools: { ar: "البريد", en: "Mail" },
      estimatedMinutes: 9,
      producesDocument: true,
    });
    expect(row(next, "study")).toMatchObject({
      number: 2,
      name: { ar: "دراسة الطلب وتدقيقه" },
      description: { ar: "وصف جديد" },
      responsibility: { ar: "متخذ القرار" },
      inputs: { ar: "الطلب" },
      outputs: { ar: "التوصية" },
      tools: { ar: "البريد" },
      estimatedMinutes: 9,
      producesDocument: true,
    });
    expect(stepsTable(next).totalMinutes).toBe(15);
    expect(next.nodes.find((n) => n.id === "study")).toMatchObject({ lane: "lane_decision", documentation: { en: "New description" } });
    // Nothing else moved or changed.
    expect(next.edges).toEqual(g.edges);
    expect(next.nodes.filter((n) => n.id !== "study")).toEqual(g.nodes.filter((n) => n.id !== "study"));
    expect(g.nodes.find((n) => n.id === "study")).toMatchObject({ name: { ar: "دراسة الطلب" } }); // input untouched
  });

  it("clearing cells removes the fields: no estimate, no lane, no description", () => {
    const next = updateStep(certificateDefinition(), "study", { estimatedMinutes: null, lane: null, description: { ar: " ", en: "" }, producesDocument: false });
    const node = next.nodes.find((n) => n.id === "study")!;
    expect(node).not.toHaveProperty("lane");
    expect(node).not.toHaveProperty("documentation");
    expect(node).not.toHaveProperty("estimatedMinutes");
    expect(node).not.toHaveProperty("producesDocument");
    expect(stepsTable(next).unestimated).toBe(1);
    expect(row(next, "study").responsibility).toBeUndefined();
  });

  it("a gate row takes a name, description and lane, not the task columns; an unknown lane is refused", () => {
    const g = socialAidDefinition();
    const next = updateStep(g, "committee", { name: { ar: "قرار اللجنة", en: "Committee" }, inputs: { ar: "x", en: "x" }, estimatedMinutes: 5 });
    expect(next.nodes.find((n) => n.id === "committee")).toMatchObject({ name: { ar: "قرار اللجنة" } });
    expect(next.nodes.find((n) => n.id === "committee")).not.toHaveProperty("inputs");
    expect(updateStep(g, "committee", { lane: "nope" })).toBe(g);
    expect(updateStep(g, "complete", { name: { ar: "قرار", en: "d" } })).toEqual(g); // a decision is not a row
  });

  it("adding a row adds a task in its lane after the last step, rewired so the definition stays valid", () => {
    const g = certificateDefinition();
    const { graph: next, nodeId } = addStep(g, { name: { ar: "أرشفة الطلب", en: "Archive the request" }, lane: "lane_specialist", estimatedMinutes: 3 });
    expect(nodeId).toBe("task_1");
    const table = stepsTable(next);
    expect(table.rows.map((r) => r.nodeId)).toEqual(["receive", "study", "approve", "deliver", "collect", "task_1"]);
    expect(table.rows.at(-1)).toMatchObject({ number: 6, responsibility: { ar: "موظف مختص" }, estimatedMinutes: 3 });
    expect(table.totalMinutes).toBe(13);
    // collect → new → done, the old edge kept its id.
    expect(next.edges.find((e) => e.id === "f_collect")).toMatchObject({ source: "collect", target: "task_1" });
    expect(next.edges.filter((e) => e.source === "task_1").map((e) => e.target)).toEqual(["done"]);
    expect(errors(next)).toEqual([]);
    expect(overlaps(next)).toEqual([]);
    expect(nodesInsideLanes(next, diagramLayout(next))).toBe(true);
  });

  it("adds after a gate along its go edge, and into an empty table after the start", async () => {
    const g = socialAidDefinition();
    // Make the gate the last step: notify becomes an end.
    const gateLast: DefinitionGraph = { ...g, nodes: g.nodes.filter((n) => n.id !== "notify"), edges: g.edges.filter((e) => e.id !== "f_notify").map((e) => (e.target === "notify" ? { ...e, target: "end" } : e)) };
    const { graph: next } = addStep(gateLast, { name: { ar: "إبلاغ", en: "Inform" }, lane: "lane_centre" });
    expect(next.edges.find((e) => e.id === "f_go")).toMatchObject({ target: "task_1", outcome: "go" });
    expect(errors(next)).toEqual([]);

    const empty: DefinitionGraph = { ...g, nodes: [g.nodes[0]!, g.nodes.at(-1)!], edges: [{ id: "f", source: "start", target: "end" }] };
    const first = addStep(empty, { name: { ar: "خطوة", en: "Step" }, lane: "lane_researcher" }).graph;
    expect(stepsTable(first).rows.map((r) => r.number)).toEqual([1]);
    expect(errors(first)).toEqual([]);

    // Top-to-bottom layouts: the new step goes below, inside its column.
    const tb = await autoLayout(certificateDefinition(), { direction: "TB" });
    const added = addStep(tb, { name: { ar: "أرشفة", en: "Archive" }, lane: "lane_cs" }).graph;
    expect(overlaps(added)).toEqual([]);
    expect(diagramLayout(added).orientation).toBe("vertical");
    expect(nodesInsideLanes(added, diagramLayout(added))).toBe(true);
  });

  it("deleting a row removes the step and connects what led into it to where it led", () => {
    const g = certificateDefinition();
    const next = deleteStep(g, "study");
    expect(stepsTable(next).rows.map((r) => [r.number, r.nodeId])).toEqual([
      [1, "receive"],
      [2, "approve"],
      [3, "deliver"],
      [4, "collect"],
    ]);
    expect(stepsTable(next).totalMinutes).toBe(6);
    expect(next.edges.find((e) => e.id === "f_receive")).toMatchObject({ source: "receive", target: "approve" });
    expect(next.edges.some((e) => e.source === "study" || e.target === "study")).toBe(false);
    expect(errors(next)).toEqual([]);
  });

  it("deleting keeps conditions and outcomes on the way in and drops loops onto themselves", () => {
    const g = socialAidDefinition();
    const noReview = deleteStep(g, "review");
    expect(noReview.edges.find((e) => e.id === "f_complete")).toMatchObject({ target: "committee", condition: "documentsComplete = true" });
    expect(noReview.edges.some((e) => e.id === "f_rework")).toBe(false);
    expect(errors(noReview)).toEqual([]);
    const noGate = deleteStep(g, "committee");
    expect(noGate.edges.find((e) => e.id === "f_review")).toMatchObject({ target: "notify" });
    expect(errors(noGate)).toEqual([]);
  });

  it("add then delete gives back the same flow", () => {
    const g = certificateDefinition();
    const { graph: added, nodeId } = addStep(g, { name: { ar: "س", en: "x" }, lane: "lane_cs" });
    expect(deleteStep(added, nodeId).edges).toEqual(g.edges);
  });

  it("fresh ids share the one id space of nodes, edges and lanes", () => {
    const g = certificateDefinition();
    const withClash = { ...g, lanes: [...g.lanes, { ...g.lanes[0]!, id: "task_1" }] };
    expect(freshId(withClash, "task")).toBe("task_2");
  });
});
