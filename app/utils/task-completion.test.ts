import { describe, expect, it } from "vitest";
import type { DefinitionGraph, WorkflowNode } from "~/engine/definition";
import { gateOutcomes, prepareCompletion } from "./task-completion";

const name = (ar: string) => ({ ar, en: ar });
const gate: WorkflowNode = {
  id: "gate_1",
  kind: "gate",
  name: name("بوابة"),
  approverRole: "manager",
  requiredForms: [],
  requiredDocuments: [],
  checklist: [
    { id: "budget", label: name("الميزانية"), required: true },
    { id: "photos", label: name("الصور"), required: false },
  ],
};
const graph: DefinitionGraph = {
  key: "partnership",
  name: name("شراكة"),
  direction: "rtl",
  lanes: [],
  nodes: [{ id: "start", kind: "start", name: name("بداية") }, gate, { id: "task", kind: "task", name: name("خطوة") }, { id: "end", kind: "end", name: name("نهاية") }],
  edges: [
    { id: "e0", source: "start", target: "gate_1" },
    { id: "e1", source: "gate_1", target: "end", outcome: "go" },
    { id: "e2", source: "gate_1", target: "task", outcome: "rework" },
    { id: "e3", source: "task", target: "gate_1" },
  ],
};

describe("gateOutcomes", () => {
  it("offers the outcomes the gate's edges carry, in a fixed order", () => {
    expect(gateOutcomes(graph, "gate_1")).toEqual(["go", "rework"]);
    expect(gateOutcomes(graph, "task")).toEqual(["go", "rework", "no-go"]);
  });
});

describe("prepareCompletion", () => {
  it("adds nothing for a plain step", () => {
    expect(prepareCompletion(graph, graph.nodes[2]!, { outcome: "go" })).toEqual({ ok: true, outcome: undefined, extraData: {} });
  });

  it("needs an outcome the gate offers", () => {
    expect(prepareCompletion(graph, gate, {})).toMatchObject({ ok: false, problem: { code: "outcome_required" } });
    expect(prepareCompletion(graph, gate, { outcome: "no-go" })).toMatchObject({ ok: false, problem: { code: "outcome_not_offered" } });
    expect(prepareCompletion(graph, gate, { outcome: "maybe" })).toMatchObject({ ok: false, problem: { code: "outcome_not_offered" } });
  });

  it("refuses 'go' until every required item is ticked, and records what was ticked", () => {
    expect(prepareCompletion(graph, gate, { outcome: "go", checklist: ["photos"] })).toEqual({
      ok: false,
      problem: { field: "checklist", code: "checklist_required", missing: ["budget"] },
    });
    expect(prepareCompletion(graph, gate, { outcome: "go", checklist: ["budget", "budget"] })).toEqual({ ok: true, outcome: "go", extraData: { gate_1_checklist: ["budget"] } });
    // Sending the work back does not need the checklist.
    expect(prepareCompletion(graph, gate, { outcome: "rework", checklist: [] })).toEqual({ ok: true, outcome: "rework", extraData: { gate_1_checklist: [] } });
  });

  it("refuses items the gate does not have", () => {
    expect(prepareCompletion(graph, gate, { outcome: "go", checklist: ["budget", "bribe"] })).toMatchObject({ ok: false, problem: { code: "unknown_item", item: "bribe" } });
  });
});
