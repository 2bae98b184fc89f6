import { describe, expect, it } from "vitest";
import fc from "fast-check";
import arEngine from "~/locales/ar/engine.json";
import enEngine from "~/locales/en/engine.json";
import { definitionGraph } from "./definition";
import { problemParams, type Problem, type ProblemCode } from "./problems";
import { D, E, G, JOIN, S, SPLIT, T, TIMER, fullFlowSpec, rawGraph } from "./testing";
import { validateDefinition, type DefinitionRefs } from "./validate";

const messages = { ar: arEngine.validation as Record<string, string>, en: enEngine.validation as Record<string, string> };

/** Asserts the problem is there, at that element, and that its messages get every placeholder. */
function expectProblem(input: Record<string, unknown>, code: ProblemCode, where: Partial<Pick<Problem, "nodeId" | "edgeId" | "laneId" | "severity">>, refs?: DefinitionRefs): Problem {
  const problems = validateDefinition(input, refs);
  const found = problems.find((p) => p.code === code && Object.entries(where).every(([k, v]) => p[k as keyof Problem] === v));
  expect(found, `${code} at ${JSON.stringify(where)} in ${JSON.stringify(problems)}`).toBeDefined();
  const parsed = definitionGraph.safeParse(input);
  for (const lang of ["ar", "en"] as const) {
    const params = problemParams(found!, parsed.success ? parsed.data : undefined, lang);
    for (const [, name] of messages[lang][code]!.matchAll(/\{\{(\w+)\}\}/g)) {
      expect(params, `${lang} ${code} needs {{${name}}}`).toHaveProperty(name!);
    }
  }
  return found!;
}

const codes = (input: unknown, refs?: DefinitionRefs) => validateDefinition(input, refs).map((p) => p.code);

/** The shared flow with every node kind (testing.ts). */
function fullFlow() {
  return rawGraph(...fullFlowSpec());
}

const allRefs: DefinitionRefs = { formExists: () => true, roleExists: () => true, unitExists: () => true, definitionExists: () => true, actionTypeExists: () => true };

describe("validateDefinition", () => {
  it("accepts a well-formed flow with every node kind", () => {
    expect(validateDefinition(fullFlow(), allRefs)).toEqual([]);
  });

  it("every problem code has a non-empty Arabic and English message", async () => {
    const { PROBLEM_CODES } = await import("./problems");
    for (const code of PROBLEM_CODES) {
      expect(messages.ar[code]?.trim(), `ar ${code}`).toBeTruthy();
      expect(messages.en[code]?.trim(), `en ${code}`).toBeTruthy();
    }
    expect(Object.keys(messages.ar).sort()).toEqual([...PROBLEM_CODES].sort());
    expect(Object.keys(messages.en).sort()).toEqual([...PROBLEM_CODES].sort());
  });

  it("never throws, whatever it is given", () => {
    fc.assert(fc.property(fc.anything(), (x) => Array.isArray(validateDefinition(x))));
    const g = fullFlow();
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom("t1", "d1", "split", "join", "gate", "end", "nowhere"), fc.constantFrom("t2", "wait", "join", "start", "t1", "end"))), (extra) => {
        const edges = [...(g.edges as object[]), ...extra.map(([s, t], i) => ({ id: `x${i}`, source: s, target: t }))];
        return Array.isArray(validateDefinition({ ...g, edges }));
      }),
    );
  });

  describe("shape", () => {
    it("schema_invalid: reports the path and the element", () => {
      const g = rawGraph([S(), { id: "odd", kind: "teleport" }, E()], [["start", "end"]]);
      const p = expectProblem(g, "schema_invalid", { nodeId: "odd" });
      expect(p.params?.path).toMatch(/^nodes\.1/);
      expectProblem({ ...fullFlow(), key: "Not A Key" }, "schema_invalid", {});
    });

    it("duration_invalid: malformed (shape) and out of range (value)", () => {
      expectProblem(rawGraph([S(), TIMER("wait", "48 hours"), E()], [["start", "wait"], ["wait", "end"]]), "duration_invalid", { nodeId: "wait" });
      expectProblem(rawGraph([S(), TIMER("wait", "P999999D"), E()], [["start", "wait"], ["wait", "end"]]), "duration_invalid", { nodeId: "wait" });
      expectProblem(rawGraph([S(), T("t1", { due: "P999999Y" }), E()], [["start", "t1"], ["t1", "end"]]), "duration_invalid", { nodeId: "t1" });
    });

    it("duplicate_id: one id space for nodes, edges and lanes", () => {
      const g = rawGraph([S(), T("t1"), E()], [["start", "t1"], ["t1", "end", { id: "t1" }]]);
      expectProblem(g, "duplicate_id", { edgeId: "t1" });
    });

    it("edge_unknown_source / edge_unknown_target", () => {
      const g = rawGraph([S(), T("t1"), E()], [["start", "t1"], ["t1", "end"], ["ghost", "end", { id: "from-ghost" }], ["t1", "void", { id: "to-void" }]]);
      expectProblem(g, "edge_unknown_source", { edgeId: "from-ghost" });
      expectProblem(g, "edge_unknown_target", { edgeId: "to-void" });
    });
  });

  describe("start and end", () => {
    it("start_missing", () => {
      expectProblem(rawGraph([T("t1"), E()], [["t1", "end"]]), "start_missing", {});
    });
    it("start_multiple", () => {
      expectProblem(rawGraph([S(), S("start2"), T("t1"), E()], [["start", "t1"], ["start2", "t1"], ["t1", "end"]]), "start_multiple", { nodeId: "start2" });
    });
    it("start_has_incoming", () => {
      expectProblem(rawGraph([S(), T("t1"), D("d"), E()], [["start", "t1"], ["t1", "d"], ["d", "start", { condition: "again" }], ["d", "end", { isDefault: true }]]), "start_has_incoming", { nodeId: "start" });
    });
    it("end_missing", () => {
      expectProblem(rawGraph([S(), T("t1")], [["start", "t1"]]), "end_missing", {});
    });
    it("end_has_outgoing", () => {
      expectProblem(rawGraph([S(), E(), T("t1"), E("end2")], [["start", "end"], ["end", "t1"], ["t1", "end2"]]), "end_has_outgoing", { nodeId: "end" });
    });
  });

  describe("flow", () => {
    it("unreachable", () => {
      expectProblem(rawGraph([S(), T("t1"), T("island"), E()], [["start", "t1"], ["t1", "end"], ["island", "end"]]), "unreachable", { nodeId: "island" });
    });
    it("cannot_reach_end: a loop without exit", () => {
      const g = rawGraph(
        [S(), D("d"), T("t1"), T("t2"), E()],
        [["start", "d"], ["d", "t1", { condition: "x > 1" }], ["d", "end", { isDefault: true }], ["t1", "t2"], ["t2", "t1"]],
      );
      expectProblem(g, "cannot_reach_end", { nodeId: "t1" });
      expectProblem(g, "cannot_reach_end", { nodeId: "t2" });
      expect(codes(g).filter((c) => c === "cannot_reach_end")).toHaveLength(2);
    });
    it("no_outgoing", () => {
      expectProblem(rawGraph([S(), D("d"), T("t1"), E()], [["start", "d"], ["d", "t1", { condition: "x > 1" }], ["d", "end", { isDefault: true }]]), "no_outgoing", { nodeId: "t1" });
    });
    it("multiple_outgoing", () => {
      const p = expectProblem(rawGraph([S(), T("t1"), T("t2"), E()], [["start", "t1"], ["t1", "t2"], ["t1", "end"], ["t2", "end"]]), "multiple_outgoing", { nodeId: "t1" });
      expect(p.params?.count).toBe(2);
    });
  });

  describe("decisions", () => {
    const decision = (edges: [string, string, Record<string, unknown>?][]) =>
      rawGraph([S(), D("d"), T("a"), T("b"), E()], [["start", "d"], ...edges, ["a", "end"], ["b", "end"]]);

    it("decision_too_few_outgoing", () => {
      expectProblem(rawGraph([S(), D("d"), E()], [["start", "d"], ["d", "end", { isDefault: true }]]), "decision_too_few_outgoing", { nodeId: "d" });
    });
    it("decision_missing_default", () => {
      expectProblem(decision([["d", "a", { condition: "x > 1" }], ["d", "b", { condition: "x <= 1" }]]), "decision_missing_default", { nodeId: "d" });
    });
    it("decision_multiple_defaults", () => {
      expectProblem(decision([["d", "a", { isDefault: true }], ["d", "b", { isDefault: true }]]), "decision_multiple_defaults", { nodeId: "d" });
    });
    it("condition_missing", () => {
      expectProblem(decision([["d", "a", { condition: "  " }], ["d", "b", { isDefault: true }]]), "condition_missing", { edgeId: "d-a" });
    });
    it("condition_invalid: FEEL that does not parse, with feelin's reason", () => {
      const p = expectProblem(decision([["d", "a", { condition: "=amount >" }], ["d", "b", { isDefault: true }]]), "condition_invalid", { edgeId: "d-a" });
      expect(String(p.params?.error)).toMatch(/Incomplete/);
    });
    it("default_has_condition is a warning", () => {
      const g = decision([["d", "a", { condition: "x > 1" }], ["d", "b", { isDefault: true, condition: "x <= 1" }]]);
      expectProblem(g, "default_has_condition", { edgeId: "d-b", severity: "warning" });
    });
    it("condition_outside_decision", () => {
      expectProblem(rawGraph([S(), T("t1"), E()], [["start", "t1"], ["t1", "end", { condition: "x > 1" }]]), "condition_outside_decision", { edgeId: "t1-end" });
    });
    it("default_outside_decision", () => {
      expectProblem(rawGraph([S(), T("t1"), E()], [["start", "t1"], ["t1", "end", { isDefault: true }]]), "default_outside_decision", { edgeId: "t1-end" });
    });
  });

  describe("gates", () => {
    const gate = (edges: [string, string, Record<string, unknown>?][]) =>
      rawGraph([S(), T("t1"), G("g"), T("next"), E(), E("stop")], [["start", "t1"], ["t1", "g"], ...edges, ["next", "end"]]);

    it("gate_missing_go", () => {
      expectProblem(gate([["g", "stop", { outcome: "no-go" }]]), "gate_missing_go", { nodeId: "g" });
    });
    it("gate_missing_no_go", () => {
      expectProblem(gate([["g", "next", { outcome: "go" }]]), "gate_missing_no_go", { nodeId: "g" });
    });
    it("gate_edge_missing_outcome", () => {
      expectProblem(gate([["g", "next", { outcome: "go" }], ["g", "stop"]]), "gate_edge_missing_outcome", { edgeId: "g-stop" });
    });
    it("gate_duplicate_outcome", () => {
      expectProblem(gate([["g", "next", { outcome: "go" }], ["g", "stop", { outcome: "no-go" }], ["g", "end", { outcome: "go" }]]), "gate_duplicate_outcome", { edgeId: "g-end" });
    });
    it("a rework edge is optional and may loop back", () => {
      expect(validateDefinition(gate([["g", "next", { outcome: "go" }], ["g", "stop", { outcome: "no-go" }], ["g", "t1", { outcome: "rework" }]]))).toEqual([]);
    });
    it("outcome_outside_gate", () => {
      expectProblem(rawGraph([S(), T("t1"), E()], [["start", "t1"], ["t1", "end", { outcome: "go" }]]), "outcome_outside_gate", { edgeId: "t1-end" });
    });
  });

  describe("parallel splits and joins", () => {
    it("split_incoming", () => {
      const g = rawGraph(
        [S(), D("d"), T("t0"), SPLIT("s"), T("a"), T("b"), JOIN("j"), E()],
        [["start", "d"], ["d", "s", { condition: "x > 1" }], ["d", "t0", { isDefault: true }], ["t0", "s"], ["s", "a"], ["s", "b"], ["a", "j"], ["b", "j"], ["j", "end"]],
      );
      expectProblem(g, "split_incoming", { nodeId: "s" });
    });
    it("split_too_few_outgoing / join_too_few_incoming", () => {
      const g = rawGraph([S(), SPLIT("s"), T("a"), JOIN("j"), E()], [["start", "s"], ["s", "a"], ["a", "j"], ["j", "end"]]);
      expectProblem(g, "split_too_few_outgoing", { nodeId: "s" });
      expectProblem(g, "join_too_few_incoming", { nodeId: "j" });
    });
    it("join_without_split: branches of a decision meeting at a parallel join", () => {
      const g = rawGraph(
        [S(), D("d"), T("a"), T("b"), JOIN("j"), E()],
        [["start", "d"], ["d", "a", { condition: "x > 1" }], ["d", "b", { isDefault: true }], ["a", "j"], ["b", "j"], ["j", "end"]],
      );
      expectProblem(g, "join_without_split", { nodeId: "j" });
    });
    it("join_mixed_branches: a nested split's branches skip their own join", () => {
      const g = rawGraph(
        [S(), SPLIT("s1"), T("a"), SPLIT("s2"), T("a1"), T("a2"), T("b"), JOIN("j"), E()],
        [["start", "s1"], ["s1", "a"], ["s1", "b"], ["a", "s2"], ["s2", "a1"], ["s2", "a2"], ["a1", "j"], ["a2", "j"], ["b", "j"], ["j", "end"]],
      );
      expectProblem(g, "join_mixed_branches", { nodeId: "j" });
    });
    it("join_missing_branch and end_inside_parallel: one branch ends on its own", () => {
      const g = rawGraph(
        [S(), SPLIT("s"), T("a"), T("b"), T("c"), JOIN("j"), E(), E("early")],
        [["start", "s"], ["s", "a"], ["s", "b"], ["s", "c"], ["a", "j"], ["b", "j"], ["c", "early"], ["j", "end"]],
      );
      const p = expectProblem(g, "join_missing_branch", { nodeId: "j" });
      expect(p.params?.split).toBe("s");
      expectProblem(g, "end_inside_parallel", { nodeId: "early" });
    });
    it("split_without_join", () => {
      const g = rawGraph([S(), SPLIT("s"), T("a"), T("b"), E(), E("end2")], [["start", "s"], ["s", "a"], ["s", "b"], ["a", "end"], ["b", "end2"]]);
      expectProblem(g, "split_without_join", { nodeId: "s" });
      expect(codes(g)).not.toContain("end_inside_parallel");
    });
    it("split_multiple_joins: decisions send the branches to one of two joins", () => {
      const g = rawGraph(
        [S(), SPLIT("s"), D("da"), D("db"), JOIN("j1"), JOIN("j2"), E(), E("end2")],
        [
          ["start", "s"],
          ["s", "da"],
          ["s", "db"],
          ["da", "j1", { condition: "x > 1" }],
          ["da", "j2", { isDefault: true }],
          ["db", "j1", { condition: "x > 1" }],
          ["db", "j2", { isDefault: true }],
          ["j1", "end"],
          ["j2", "end2"],
        ],
      );
      expectProblem(g, "split_multiple_joins", { nodeId: "s" });
    });
    it("parallel_scope_mismatch: two branches merge into a step without a join", () => {
      const g = rawGraph([S(), SPLIT("s"), T("a"), T("b"), T("m"), E()], [["start", "s"], ["s", "a"], ["s", "b"], ["a", "m"], ["b", "m"], ["m", "end"]]);
      expectProblem(g, "parallel_scope_mismatch", { nodeId: "m" });
    });
    it("parallel_scope_mismatch: a branch loops back out of its block", () => {
      const g = rawGraph(
        [S(), T("t0"), SPLIT("s"), T("a"), D("d"), T("b"), JOIN("j"), E()],
        [["start", "t0"], ["t0", "s"], ["s", "a"], ["s", "b"], ["a", "d"], ["d", "t0", { condition: "redo = true" }], ["d", "j", { isDefault: true }], ["b", "j"], ["j", "end"]],
      );
      expectProblem(g, "parallel_scope_mismatch", { nodeId: "t0" });
    });
    it("accepts nested blocks, loops inside a branch and loops around a whole block", () => {
      const g = rawGraph(
        [S(), T("t0"), SPLIT("s1"), T("a"), D("da"), SPLIT("s2"), T("x"), T("y"), JOIN("j2"), T("b"), JOIN("j1"), D("again"), E()],
        [
          ["start", "t0"],
          ["t0", "s1"],
          ["s1", "a"],
          ["s1", "s2"],
          ["a", "da"],
          ["da", "a", { condition: "retry = true" }],
          ["da", "j1", { isDefault: true }],
          ["s2", "x"],
          ["s2", "y"],
          ["x", "j2"],
          ["y", "j2"],
          ["j2", "b"],
          ["b", "j1"],
          ["j1", "again"],
          ["again", "t0", { condition: "loop = true" }],
          ["again", "end", { isDefault: true }],
        ],
      );
      expect(validateDefinition(g)).toEqual([]);
    });
  });

  describe("lanes and references", () => {
    it("lane_unknown", () => {
      expectProblem(rawGraph([S(), T("t1", { lane: "ghosts" }), E()], [["start", "t1"], ["t1", "end"]]), "lane_unknown", { nodeId: "t1" });
    });
    it("lane_not_set is a warning for tasks and gates", () => {
      const g = rawGraph([S(), { id: "t1", kind: "task", lane: undefined }, E()], [["start", "t1"], ["t1", "end"]]);
      expectProblem(g, "lane_not_set", { nodeId: "t1", severity: "warning" });
    });
    it("lane_role_missing / lane_unit_missing", () => {
      const g = rawGraph([S(), T("t1"), T("t2", { lane: "unit" }), E()], [["start", "t1"], ["t1", "t2"], ["t2", "end"]], {
        lanes: [
          { id: "staff", name: { ar: "الموظفون", en: "Staff" }, assignee: { type: "role", roleKey: "staff" } },
          { id: "unit", name: { ar: "الفرع", en: "Branch" }, assignee: { type: "unit", unitCode: "BR-9" } },
        ],
      });
      const refs = { roleExists: (k: string) => k !== "staff", unitExists: (c: string) => c !== "BR-9" };
      expectProblem(g, "lane_role_missing", { laneId: "staff" }, refs);
      expectProblem(g, "lane_unit_missing", { laneId: "unit" }, refs);
      expect(codes(g)).not.toContain("lane_role_missing");
    });
    it("form_missing (task form and gate required forms)", () => {
      const g = fullFlow();
      (g.nodes as Record<string, unknown>[]).find((n) => n.id === "gate")!.requiredForms = ["site-visit"];
      const refs = { formExists: (k: string) => k === "intake" };
      expectProblem(g, "form_missing", { nodeId: "gate" }, refs);
      expect(validateDefinition(g, { formExists: () => false }).filter((p) => p.code === "form_missing").map((p) => p.nodeId)).toEqual(["t1", "gate"]);
    });
    it("role_missing (gate approver)", () => {
      expectProblem(fullFlow(), "role_missing", { nodeId: "gate" }, { roleExists: (k) => k !== "manager" });
    });
    it("subprocess_missing / subprocess_self", () => {
      expectProblem(fullFlow(), "subprocess_missing", { nodeId: "sub" }, { definitionExists: () => false });
      const self = fullFlow();
      (self.nodes as Record<string, unknown>[]).find((n) => n.id === "sub")!.definitionKey = "test-flow";
      expectProblem(self, "subprocess_self", { nodeId: "sub" }, allRefs);
    });
    it("action_type_missing", () => {
      expectProblem(fullFlow(), "action_type_missing", { nodeId: "act" }, { actionTypeExists: (t) => t !== "notices.send" });
    });
  });

  describe("labels", () => {
    it("label_ar_missing is an error, label_en_missing a warning", () => {
      const g = rawGraph([S(), T("t1", { name: { ar: "", en: "Review" } }), E()], [["start", "t1"], ["t1", "end"]]);
      expectProblem(g, "label_ar_missing", { nodeId: "t1", severity: "error" });
      const lanes = [{ id: "staff", name: { ar: "الموظفون", en: " " }, assignee: { type: "role", roleKey: "staff" } }];
      expectProblem(rawGraph([S(), T("t1"), E()], [["start", "t1"], ["t1", "end"]], { lanes }), "label_en_missing", { laneId: "staff", severity: "warning" });
    });
    it("structural markers may stay unnamed", () => {
      const blank = { ar: "", en: "" };
      const g = rawGraph([{ ...S(), name: blank }, T("t1"), { ...E(), name: blank }], [["start", "t1"], ["t1", "end"]]);
      expect(validateDefinition(g)).toEqual([]);
    });
    it("gate_item_label_missing", () => {
      const g = fullFlow();
      (g.nodes as Record<string, unknown>[]).find((n) => n.id === "gate")!.checklist = [{ id: "c1", label: { ar: "", en: "Site visit" } }];
      expectProblem(g, "gate_item_label_missing", { nodeId: "gate" });
    });
  });
});
