import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { DefinitionGraph } from "./definition";
import { indexGraph, parseBranchLabel, scopeKey } from "./graph";
import { runtime } from "./runtime";
import type { CaseState, Completion, StepResult } from "./runtime-types";
import { graph, testContext } from "./testing";
import { validateDefinition } from "./validate";

// Random well-formed flows, built from nested blocks (sequence, parallel, decision, gate with
// rework, and waiting leaves), must validate cleanly and, completed in any order with any gate
// outcomes, run to completion without incidents and without losing a parallel branch.

type Block =
  | { t: "leaf"; kind: "task" | "timer" | "subprocess" | "action" }
  | { t: "seq"; items: Block[] }
  | { t: "par"; branches: Block[] }
  | { t: "choice"; yes: Block; no: Block }
  | { t: "gate"; body: Block };

const block: fc.Arbitrary<Block> = fc.letrec<{ block: Block }>((tie) => ({
  block: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ t: fc.constant("leaf" as const), kind: fc.constantFrom("task" as const, "timer" as const, "subprocess" as const, "action" as const) }),
    fc.record({ t: fc.constant("seq" as const), items: fc.array(tie("block"), { minLength: 2, maxLength: 3 }) }),
    fc.record({ t: fc.constant("par" as const), branches: fc.array(tie("block"), { minLength: 2, maxLength: 3 }) }),
    fc.record({ t: fc.constant("choice" as const), yes: tie("block"), no: tie("block") }),
    fc.record({ t: fc.constant("gate" as const), body: tie("block") }),
  ),
})).block;

interface Built {
  nodes: { id: string; kind: string; [k: string]: unknown }[];
  edges: [string, string, Record<string, unknown>][];
  data: Record<string, boolean>;
}

/** Compiles a block; returns its entry node and the (node, edge attributes) pairs that leave it. */
function compile(b: Block, out: Built, decisions: boolean[]): { entry: string; exits: [string, Record<string, unknown>][] } {
  const id = (p: string) => `${p}${out.nodes.length}`;
  const add = (node: Built["nodes"][number]) => (out.nodes.push(node), node.id);
  const link = (exits: [string, Record<string, unknown>][], target: string) => exits.forEach(([s, extra]) => out.edges.push([s, target, { ...extra, id: `e${out.edges.length}` }]));
  switch (b.t) {
    case "leaf": {
      const extra = b.kind === "timer" ? { duration: "PT1H" } : b.kind === "subprocess" ? { definitionKey: "child-flow" } : b.kind === "action" ? { actionType: "notices.send" } : {};
      const n = add({ id: id(b.kind), kind: b.kind, ...extra });
      return { entry: n, exits: [[n, {}]] };
    }
    case "seq": {
      const parts = b.items.map((x) => compile(x, out, decisions));
      parts.slice(1).forEach((p, i) => link(parts[i]!.exits, p.entry));
      return { entry: parts[0]!.entry, exits: parts.at(-1)!.exits };
    }
    case "par": {
      const split = add({ id: id("split"), kind: "parallel", direction: "split" });
      const parts = b.branches.map((x) => compile(x, out, decisions));
      const join = add({ id: id("join"), kind: "parallel", direction: "join" });
      for (const p of parts) {
        link([[split, {}]], p.entry);
        link(p.exits, join);
      }
      return { entry: split, exits: [[join, {}]] };
    }
    case "choice": {
      const d = add({ id: id("decision"), kind: "decision" });
      const variable = `c${out.nodes.length}`;
      out.data[variable] = decisions[out.nodes.length % Math.max(decisions.length, 1)] ?? true;
      const yes = compile(b.yes, out, decisions);
      const no = compile(b.no, out, decisions);
      link([[d, { condition: `=${variable} = true` }]], yes.entry);
      link([[d, { isDefault: true }]], no.entry);
      // Merge the two ways again (a split after a decision may have only one incoming edge).
      const merge = add({ id: id("merge"), kind: "decision" });
      link([...yes.exits, ...no.exits], merge);
      return { entry: d, exits: [[merge, {}]] };
    }
    case "gate": {
      // Rework loops back to a task in front of the body (a split may have only one incoming edge).
      const again = add({ id: id("again"), kind: "task" });
      const body = compile(b.body, out, decisions);
      link([[again, {}]], body.entry);
      const gate = add({ id: id("gate"), kind: "gate" });
      link(body.exits, gate);
      link([[gate, { outcome: "rework" }]], again);
      const merge = add({ id: id("merge"), kind: "decision" });
      link([[gate, { outcome: "go" }], [gate, { outcome: "no-go" }]], merge);
      return { entry: again, exits: [[merge, {}]] };
    }
  }
}

function build(b: Block, decisions: boolean[]): { def: DefinitionGraph; data: Record<string, boolean> } {
  const out: Built = { nodes: [{ id: "start", kind: "start" }], edges: [], data: {} };
  const body = compile(b, out, decisions);
  out.nodes.push({ id: "end", kind: "end" });
  out.edges.push(["start", body.entry, { id: "e-start" }]);
  body.exits.forEach(([s, extra], i) => out.edges.push([s, "end", { ...extra, id: `e-end${i}` }]));
  return { def: graph(out.nodes, out.edges), data: out.data };
}

/** Every open parallel block still holds one token (or a join arrival) for each of its branches. */
function assertNoLostBranch(def: DefinitionGraph, s: CaseState): void {
  const ix = indexGraph(def);
  const present = new Map<string, Set<string>>();
  const note = (parent: string[], label: string) => {
    const { splitId, edgeId } = parseBranchLabel(label);
    const k = `${scopeKey(parent)}|${splitId}`;
    present.set(k, (present.get(k) ?? new Set()).add(edgeId));
  };
  for (const t of s.tokens) t.scope.forEach((label, i) => note(t.scope.slice(0, i), label));
  for (const [joinId, byScope] of Object.entries(s.joins)) {
    for (const [key, arrived] of Object.entries(byScope)) {
      expect(arrived.length, `join ${joinId} holds arrivals`).toBeGreaterThan(0);
      // Arrivals are branch edge ids; the edge's source is the split.
      for (const edgeId of arrived) note(key === "" ? [] : key.split("/"), `${def.edges.find((e) => e.id === edgeId)!.source}#${edgeId}`);
    }
  }
  for (const [k, branches] of present) {
    const splitId = k.split("|")[1]!;
    expect([...branches].sort(), `branches of ${splitId}`).toEqual(ix.out.get(splitId)!.map((e) => e.id).sort());
  }
}

describe("runtime on random well-formed flows", () => {
  it("validates cleanly, runs to completion and never loses a token", () => {
    fc.assert(
      fc.property(block, fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { minLength: 1, maxLength: 200 }), (b, decisions, choices) => {
        const { def, data } = build(b, decisions);
        expect(validateDefinition(def)).toEqual([]);
        const ix = indexGraph(def);
        const ctx = testContext();
        let r: StepResult = runtime.start(def, data, ctx);
        let completedEvents = r.effects.filter((e) => e.type === "case.completed").length;
        const reworks = new Map<string, number>();
        for (let step = 0; r.state.status !== "completed"; step++) {
          expect(step, "terminates").toBeLessThan(2000);
          expect(r.state.status).toBe("running");
          expect(r.effects.some((e) => e.type === "incident.raise")).toBe(false);
          expect(r.state.tokens.length).toBeGreaterThan(0);
          for (const t of r.state.tokens) expect(["task", "gate", "timer", "subprocess", "action"]).toContain(ix.nodes.get(t.nodeId)!.kind);
          assertNoLostBranch(def, r.state);

          const pick = choices[step % choices.length]!;
          const token = r.state.tokens[pick % r.state.tokens.length]!;
          const kind = ix.nodes.get(token.nodeId)!.kind;
          let completion: Completion;
          if (kind === "gate") {
            const n = reworks.get(token.nodeId) ?? 0;
            const outcome = (["go", "no-go", "rework"] as const)[(pick >> 2) % (n < 2 ? 3 : 2)]!;
            if (outcome === "rework") reworks.set(token.nodeId, n + 1);
            completion = { kind, outcome, data: {} };
          } else if (kind === "timer") completion = { kind };
          else completion = { kind: kind as "task" | "subprocess" | "action", data: {} };
          r = runtime.complete(def, r.state, token.id, completion, data, ctx);
          completedEvents += r.effects.filter((e) => e.type === "case.completed").length;
        }
        expect(r.state).toEqual({ status: "completed", tokens: [], joins: {} });
        expect(completedEvents).toBe(1);
      }),
      { numRuns: 300 },
    );
  });

  it("whatever the validator accepts runs without structural incidents or lost branches (random rewiring)", () => {
    let accepted = 0;
    fc.assert(
      fc.property(block, fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), fc.boolean(), fc.nat(), fc.nat(), fc.array(fc.nat(), { minLength: 1, maxLength: 60 }), (b, decisions, addEdge, pick, targetPick, choices) => {
        const built = build(b, decisions);
        const edges = built.def.edges.map((e) => ({ ...e }));
        const nodes = built.def.nodes;
        const target = nodes[targetPick % nodes.length]!.id;
        const choicesNodes = nodes.filter((n) => n.kind === "decision" && edges.filter((e) => e.source === n.id).length > 1);
        if (addEdge && choicesNodes.length > 0) {
          // An extra conditional way out of a decision, taken first (it is evaluated before the others).
          edges.unshift({ id: "extra", source: choicesNodes[pick % choicesNodes.length]!.id, target, condition: "true" });
        } else {
          edges[pick % edges.length]!.target = target;
        }
        const def = { ...built.def, edges };
        if (validateDefinition(def).some((p) => p.severity === "error")) return;
        accepted++;
        const ix = indexGraph(def);
        const ctx = testContext();
        let r: StepResult = runtime.start(def, built.data, ctx);
        // Rewired loops may never end with fixed data: only check the invariants for a while.
        for (let step = 0; step < 60 && r.state.status === "running"; step++) {
          assertNoLostBranch(def, r.state);
          const token = r.state.tokens[choices[step % choices.length]! % r.state.tokens.length]!;
          const kind = ix.nodes.get(token.nodeId)!.kind;
          const completion: Completion =
            kind === "gate" ? { kind, outcome: "go", data: {} } : kind === "timer" ? { kind } : { kind: kind as "task" | "subprocess" | "action", data: {} };
          r = runtime.complete(def, r.state, token.id, completion, built.data, ctx);
          const bad = r.effects.find((e) => e.type === "incident.raise" && e.reason !== "loop_limit");
          expect(bad).toBeUndefined();
        }
      }),
      { numRuns: 500 },
    );
    expect(accepted).toBeGreaterThan(20);
  });
});
