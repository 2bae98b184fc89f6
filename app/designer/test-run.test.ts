import { describe, expect, it } from "vitest";
import { fullFlowSpec, graph } from "~/engine/testing";
import { certificateDefinition, socialAidDefinition } from "../../seeds/workflows";
import { act, runHighlight, startTestRun, waitingSteps, type TestRun } from "./test-run";

const NOW = new Date("2026-03-01T09:00:00Z");
const at = (run: TestRun) => run.state.tokens.map((t) => t.nodeId).sort();
const only = (run: TestRun) => {
  const w = waitingSteps(run);
  expect(w).toHaveLength(1);
  return w[0]!;
};

describe("test-run of a draft", () => {
  it("walks the certificate with the conditions deciding, lighting up the path", () => {
    let run = startTestRun(certificateDefinition(), {}, { pauseAtDecisions: false, now: NOW });
    expect(at(run)).toEqual(["receive"]);
    expect(only(run)).toMatchObject({ node: { id: "receive" }, actions: ["complete"] });
    run = act(run, only(run).tokenId, { type: "complete" }, NOW);
    run = act(run, only(run).tokenId, { type: "complete" }, NOW);
    expect(at(run)).toEqual(["approve"]);
    run = act(run, only(run).tokenId, { type: "complete", data: { approved: true } }, NOW);
    expect(at(run)).toEqual(["deliver"]);
    expect(run.data).toEqual({ approved: true });
    const h = runHighlight(run);
    expect([...h.visited].sort()).toEqual(["approve", "deliver", "eligible", "receive", "start", "study"]);
    expect(h.edges.has("f_yes")).toBe(true);
    expect(h.edges.has("f_no")).toBe(false);
    expect([...h.current]).toEqual(["deliver"]);
    run = act(run, only(run).tokenId, { type: "complete" }, NOW);
    run = act(run, only(run).tokenId, { type: "complete" }, NOW);
    expect(run.state.status).toBe("completed");
    expect(run.log.at(-1)).toEqual({ type: "finished" });
    expect(waitingSteps(run)).toEqual([]);
  });

  it("pauses at a decision: the person picks a way out, or lets the conditions decide", () => {
    let run = startTestRun(certificateDefinition(), { approved: true }, { now: NOW });
    for (let i = 0; i < 3; i++) run = act(run, only(run).tokenId, { type: "complete" }, NOW);
    const decision = only(run);
    expect(decision).toMatchObject({ node: { id: "eligible", kind: "decision" }, actions: ["choose", "conditions"] });
    expect(decision.edges.map((e) => e.id)).toEqual(["f_yes", "f_no"]);
    // Against the data: choose "no".
    const chosen = act(run, decision.tokenId, { type: "choose", edgeId: "f_no" }, NOW);
    expect(chosen.state.status).toBe("completed");
    expect(runHighlight(chosen).edges.has("f_no")).toBe(true);
    expect(chosen.log).toContainEqual({ type: "done", nodeId: "eligible", how: "chosen", edgeId: "f_no" });
    // Or the conditions: approved = true → yes.
    const decided = act(run, decision.tokenId, { type: "conditions" }, NOW);
    expect(at(decided)).toEqual(["deliver"]);
    // An edge of another node is refused and changes nothing.
    const refused = act(run, decision.tokenId, { type: "choose", edgeId: "f_start" }, NOW);
    expect(refused.state).toEqual(run.state);
    expect(refused.log.at(-1)).toMatchObject({ type: "refused" });
  });

  it("shows a FEEL error as an incident; fixing the data and deciding again goes on", () => {
    const [nodes, edges] = fullFlowSpec();
    let run = startTestRun(graph(nodes, edges), {}, { pauseAtDecisions: false, now: NOW });
    run = act(run, only(run).tokenId, { type: "complete" }, NOW);
    // amount is missing: `amount > 1000` is an error, not false.
    const stuck = only(run);
    expect(stuck).toMatchObject({ node: { id: "d1" }, status: "incident", incident: { reason: "condition_error" } });
    expect(run.state.status).toBe("incident");
    run = act(run, stuck.tokenId, { type: "conditions", data: { amount: 5000 } }, NOW);
    // Parallel block: a task and a timer wait side by side.
    expect(at(run)).toEqual(["t2", "wait"]);
    const timer = waitingSteps(run).find((w) => w.node.id === "wait")!;
    run = act(run, timer.tokenId, { type: "complete" }, NOW);
    expect(run.log).toContainEqual(expect.objectContaining({ type: "done", nodeId: "wait", how: "skipped" }));
    run = act(run, waitingSteps(run)[0]!.tokenId, { type: "complete" }, NOW);
    // The join fired: the gate waits with its three outcomes.
    const gate = only(run);
    expect(gate).toMatchObject({ node: { id: "gate" }, actions: ["gate"] });
    expect(gate.edges.map((e) => e.outcome).sort()).toEqual(["go", "no-go", "rework"]);
    const rework = act(run, gate.tokenId, { type: "gate", outcome: "rework" }, NOW);
    expect(at(rework)).toEqual(["t1"]);
    run = act(run, gate.tokenId, { type: "gate", outcome: "go" }, NOW);
    expect(at(run)).toEqual(["sub"]);
    run = act(run, only(run).tokenId, { type: "complete" }, NOW); // subprocess skipped
    run = act(run, only(run).tokenId, { type: "complete" }, NOW); // action skipped
    expect(run.state.status).toBe("completed");
  });

  it("a gate outcome the gate does not have is refused, the run goes on from where it was", () => {
    let run = startTestRun(socialAidDefinition(), { documentsComplete: true }, { pauseAtDecisions: false, now: NOW });
    for (let i = 0; i < 3; i++) run = act(run, only(run).tokenId, { type: "complete" }, NOW);
    expect(at(run)).toEqual(["committee"]);
    const g = structuredClone(run);
    g.graph = { ...g.graph, edges: g.graph.edges.filter((e) => e.outcome !== "rework") };
    const refused = act(g, only(g).tokenId, { type: "gate", outcome: "rework" }, NOW);
    expect(refused.log.at(-1)).toMatchObject({ type: "refused", code: "invalid_outcome" });
    expect(refused.state).toEqual(g.state);
  });

  it("a draft without a start is refused at once", () => {
    const g = certificateDefinition();
    const run = startTestRun({ ...g, nodes: g.nodes.filter((n) => n.kind !== "start") }, {}, { now: NOW });
    expect(run.log).toEqual([{ type: "refused", code: "invalid_definition", detail: expect.any(String) }]);
    expect(waitingSteps(run)).toEqual([]);
  });

  it("never touches the draft it runs", () => {
    const g = certificateDefinition();
    const copy = structuredClone(g);
    let run = startTestRun(g, {}, { now: NOW });
    for (let i = 0; i < 3; i++) run = act(run, only(run).tokenId, { type: "complete" }, NOW);
    act(run, only(run).tokenId, { type: "choose", edgeId: "f_yes" }, NOW);
    expect(g).toEqual(copy);
  });
});
