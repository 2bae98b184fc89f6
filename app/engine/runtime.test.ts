import { describe, expect, it } from "vitest";
import { EngineError, STEP_BUDGET, runtime } from "./runtime";
import type { CaseState, Completion, Effect, StepResult } from "./runtime-types";
import { D, E, G, JOIN, S, SPLIT, SUB, T, fullFlowSpec, graph, testContext } from "./testing";
import { validateDefinition } from "./validate";

const kinds = (effects: Effect[]) => effects.filter((e) => e.type !== "token.moved").map((e) => `${e.type}${"nodeId" in e ? `:${e.nodeId}` : ""}`);
const where = (s: CaseState) => s.tokens.map((t) => `${t.nodeId}${t.status === "incident" ? "!" : ""}`).sort();
const tokenAt = (s: CaseState, nodeId: string) => {
  const t = s.tokens.find((x) => x.nodeId === nodeId);
  if (!t) throw new Error(`no token at ${nodeId}: ${where(s).join(",")}`);
  return t.id;
};

function expectEngineError(fn: () => unknown, code: string) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(EngineError);
    expect((e as EngineError).code).toBe(code);
    return;
  }
  throw new Error(`expected EngineError ${code}`);
}

/** The shared flow with every node kind (testing.ts), parsed. */
const full = graph(...fullFlowSpec("P2D"));

describe("runtime", () => {
  it("the full flow is valid", () => {
    expect(validateDefinition(full).filter((p) => p.severity === "error")).toEqual([]);
  });

  it("runs a decision, a parallel split/join with a timer, a gate with rework, a subprocess and an action to completion", () => {
    const ctx = testContext();
    const data = { amount: 5000 };
    let r: StepResult = runtime.start(full, data, ctx);
    expect(r.state.status).toBe("running");
    expect(kinds(r.effects)).toEqual(["task.create:t1"]);
    expect(r.effects[0]).toEqual({ type: "token.moved", tokenId: "t1", from: "start", to: "t1", edgeId: "start-t1" });

    const step = (nodeId: string, completion: Completion) => (r = runtime.complete(full, r.state, tokenAt(r.state, nodeId), completion, data, ctx));

    step("t1", { kind: "task", data });
    expect(kinds(r.effects)).toEqual(["task.create:t2", "timer.schedule:wait"]);
    expect(r.effects.find((e) => e.type === "timer.schedule")).toMatchObject({ dueAt: "2026-03-03T09:00:00.000Z" });
    expect(where(r.state)).toEqual(["t2", "wait"]);
    expect(r.state.tokens.map((t) => t.scope)).toEqual([["split#split-t2"], ["split#split-wait"]]);

    step("t2", { kind: "task", data });
    expect(kinds(r.effects)).toEqual([]);
    expect(where(r.state)).toEqual(["wait"]);
    expect(r.state.joins).toEqual({ join: { "": ["split-t2"] } });

    step("wait", { kind: "timer" });
    expect(kinds(r.effects)).toEqual(["task.create:gate"]);
    expect(r.state.joins).toEqual({});
    expect(r.state.tokens[0]!.scope).toEqual([]);

    step("gate", { kind: "gate", outcome: "rework", data });
    expect(kinds(r.effects)).toEqual(["task.create:t1"]);
    step("t1", { kind: "task", data });
    step("t2", { kind: "task", data });
    step("wait", { kind: "timer" });
    step("gate", { kind: "gate", outcome: "go", data });
    expect(r.effects.at(-1)).toEqual({ type: "subprocess.start", tokenId: expect.any(String), nodeId: "sub", definitionKey: "child-flow" });

    step("sub", { kind: "subprocess", data: { childResult: "ok" } });
    expect(r.effects.at(-1)).toEqual({ type: "action.run", tokenId: expect.any(String), nodeId: "act", actionType: "notices.send", config: { to: "applicant" } });

    step("act", { kind: "action", data: {} });
    expect(r.state).toEqual({ status: "completed", tokens: [], joins: {} });
    expect(r.effects.at(-1)).toEqual({ type: "case.completed" });
    expect(r.effects.filter((e) => e.type === "token.moved").at(-1)).toMatchObject({ from: "act", to: "end" });
  });

  it("takes the default edge when no condition is true", () => {
    const ctx = testContext();
    let r = runtime.start(full, {}, ctx);
    r = runtime.complete(full, r.state, tokenAt(r.state, "t1"), { kind: "task", data: {} }, { amount: 10 }, ctx);
    expect(where(r.state)).toEqual(["t3"]);
    r = runtime.complete(full, r.state, tokenAt(r.state, "t3"), { kind: "task", data: {} }, { amount: 10 }, ctx);
    expect(r.state.status).toBe("completed");
  });

  it("gate no-go ends the case", () => {
    const ctx = testContext();
    const data = { amount: 5000 };
    let r = runtime.start(full, data, ctx);
    for (const [node, c] of [["t1", { kind: "task", data }], ["t2", { kind: "task", data }], ["wait", { kind: "timer" }], ["gate", { kind: "gate", outcome: "no-go", data }]] as const) {
      r = runtime.complete(full, r.state, tokenAt(r.state, node), c, data, ctx);
    }
    expect(r.state.status).toBe("completed");
    expect(r.effects.find((e) => e.type === "token.moved")).toMatchObject({ from: "gate", to: "rejected", edgeId: "gate-rejected" });
  });

  it("refuses completions that do not fit, without touching the state", () => {
    const ctx = testContext();
    const r = runtime.start(full, {}, ctx);
    const before = structuredClone(r.state);
    const id = tokenAt(r.state, "t1");
    expectEngineError(() => runtime.complete(full, r.state, id, { kind: "timer" }, {}, ctx), "completion_mismatch");
    expectEngineError(() => runtime.complete(full, r.state, "nope", { kind: "task", data: {} }, {}, ctx), "token_not_found");
    expectEngineError(() => runtime.retry(full, r.state, id, {}, ctx), "token_not_in_incident");
    expect(r.state).toEqual(before);
    const done = runtime.complete(full, r.state, id, { kind: "task", data: {} }, { amount: 1 }, ctx);
    expect(r.state).toEqual(before);
    const end = runtime.complete(full, done.state, tokenAt(done.state, "t3"), { kind: "task", data: {} }, {}, ctx);
    expectEngineError(() => runtime.complete(full, end.state, id, { kind: "task", data: {} }, {}, ctx), "case_not_running");
  });

  it("a gate outcome without an edge is refused (no rework edge here)", () => {
    const g = graph([S(), G("g"), T("next"), E(), E("stop")], [["start", "g"], ["g", "next", { outcome: "go" }], ["g", "stop", { outcome: "no-go" }], ["next", "end"]]);
    const ctx = testContext();
    const r = runtime.start(g, {}, ctx);
    expectEngineError(() => runtime.complete(g, r.state, tokenAt(r.state, "g"), { kind: "gate", outcome: "rework", data: {} }, {}, ctx), "invalid_outcome");
  });

  describe("incidents", () => {
    it("a FEEL error raises condition_error; retry after fixing the data continues", () => {
      const ctx = testContext();
      let r = runtime.start(full, {}, ctx);
      const id = tokenAt(r.state, "t1");
      // A typo in the data: `amount > 1000` is null (not false) when amount is missing.
      r = runtime.complete(full, r.state, id, { kind: "task", data: {} }, { amonut: 5000 }, ctx);
      expect(r.state.status).toBe("incident");
      expect(where(r.state)).toEqual(["d1!"]);
      const incident = r.effects.find((e) => e.type === "incident.raise");
      expect(incident).toMatchObject({ tokenId: id, nodeId: "d1", reason: "condition_error" });
      expect(incident && "detail" in incident && incident.detail).toMatch(/d1-split/);
      expectEngineError(() => runtime.complete(full, r.state, id, { kind: "task", data: {} }, {}, ctx), "token_in_incident");

      const again = runtime.retry(full, r.state, id, {}, ctx);
      expect(again.state.status).toBe("incident");

      r = runtime.retry(full, r.state, id, { amount: 20 }, ctx);
      expect(r.state.status).toBe("running");
      expect(where(r.state)).toEqual(["t3"]);
      expect(kinds(r.effects)).toEqual(["task.create:t3"]);
    });

    it("a non-boolean condition result is an incident, not truthiness", () => {
      const g = graph([S(), D("d"), T("a"), E()], [["start", "d"], ["d", "a", { condition: "count" }], ["d", "end", { isDefault: true }], ["a", "end"]]);
      const r = runtime.start(g, { count: 3 }, testContext());
      expect(r.effects.find((e) => e.type === "incident.raise")).toMatchObject({ nodeId: "d", reason: "condition_error" });
    });

    it("no true condition and no default raises no_matching_edge; retry after the fix continues", () => {
      const g = graph(
        [S(), D("d"), T("a"), T("b"), E()],
        [["start", "d"], ["d", "a", { condition: 'status = "a"' }], ["d", "b", { condition: 'status = "b"' }], ["a", "end"], ["b", "end"]],
      );
      const ctx = testContext();
      let r = runtime.start(g, { status: "c" }, ctx);
      expect(r.state.status).toBe("incident");
      expect(r.effects.find((e) => e.type === "incident.raise")).toMatchObject({ nodeId: "d", reason: "no_matching_edge" });
      r = runtime.retry(g, r.state, r.state.tokens[0]!.id, { status: "b" }, ctx);
      expect(where(r.state)).toEqual(["b"]);
    });

    it("one branch in an incident does not stop the other", () => {
      const g = graph(
        [S(), SPLIT("s"), T("a"), D("d"), T("b"), JOIN("j"), E()],
        [["start", "s"], ["s", "a"], ["s", "d"], ["d", "b", { condition: "ok = true" }], ["d", "j", { isDefault: true }], ["a", "j"], ["b", "j"], ["j", "end"]],
      );
      const ctx = testContext();
      let r = runtime.start(g, { ok: 1 }, ctx);
      expect(where(r.state)).toEqual(["a", "d!"]);
      expect(r.state.status).toBe("incident");
      r = runtime.complete(g, r.state, tokenAt(r.state, "a"), { kind: "task", data: {} }, { ok: 1 }, ctx);
      expect(r.state.status).toBe("incident");
      expect(r.state.joins).toEqual({ j: { "": ["s-a"] } });
      r = runtime.retry(g, r.state, tokenAt(r.state, "d"), { ok: false }, ctx);
      expect(r.state.status).toBe("completed");
      expect(r.effects.at(-1)).toEqual({ type: "case.completed" });
    });

    it("the service raises incidents (subprocess_missing) and retry starts the subprocess again", () => {
      const g = graph([S(), SUB("sub"), E()], [["start", "sub"], ["sub", "end"]]);
      const ctx = testContext();
      let r = runtime.start(g, {}, ctx);
      const id = tokenAt(r.state, "sub");
      r = runtime.raiseIncident(r.state, id, "subprocess_missing", "child-flow has no published version");
      expect(r.state.status).toBe("incident");
      expect(r.effects).toEqual([{ type: "incident.raise", tokenId: id, nodeId: "sub", reason: "subprocess_missing", detail: "child-flow has no published version" }]);
      expectEngineError(() => runtime.raiseIncident(r.state, id, "action_failed", "x"), "token_in_incident");
      r = runtime.retry(g, r.state, id, {}, ctx);
      expect(r.state.status).toBe("running");
      expect(kinds(r.effects)).toEqual(["subprocess.start:sub"]);
    });

    it("a cycle of decisions that never exits stops at the step budget with loop_limit", () => {
      const g = graph([S(), D("d1"), D("d2"), E()], [["start", "d1"], ["d1", "d2", { condition: "true" }], ["d1", "end", { isDefault: true }], ["d2", "d1", { condition: "true" }], ["d2", "end", { isDefault: true }]]);
      const r = runtime.start(g, {}, testContext());
      expect(r.state.status).toBe("incident");
      expect(r.effects.find((e) => e.type === "incident.raise")).toMatchObject({ reason: "loop_limit" });
      expect(r.effects.filter((e) => e.type === "token.moved").length).toBeLessThanOrEqual(STEP_BUDGET);
    });
  });

  it("nested parallel blocks join level by level, in any completion order", () => {
    const g = graph(
      [S(), SPLIT("s1"), T("a"), SPLIT("s2"), T("x"), T("y"), JOIN("j2"), T("b"), JOIN("j1"), E()],
      [["start", "s1"], ["s1", "a"], ["s1", "s2"], ["s2", "x"], ["s2", "y"], ["x", "j2"], ["y", "j2"], ["j2", "b"], ["a", "j1"], ["b", "j1"], ["j1", "end"]],
    );
    expect(validateDefinition(g)).toEqual([]);
    for (const order of [["a", "x", "y", "b"], ["y", "x", "b", "a"], ["x", "a", "y", "b"]]) {
      const ctx = testContext();
      let r = runtime.start(g, {}, ctx);
      expect(where(r.state)).toEqual(["a", "x", "y"]);
      expect(r.state.tokens.find((t) => t.nodeId === "x")!.scope).toEqual(["s1#s1-s2", "s2#s2-x"]);
      for (const node of order) {
        expect(r.state.status).toBe("running");
        r = runtime.complete(g, r.state, tokenAt(r.state, node), { kind: "task", data: {} }, {}, ctx);
      }
      expect(r.state).toEqual({ status: "completed", tokens: [], joins: {} });
    }
  });

  it("is deterministic and does not mutate its inputs", () => {
    const run = () => {
      const ctx = testContext();
      const first = runtime.start(full, { amount: 5000 }, ctx);
      const frozen = JSON.stringify(first.state);
      const second = runtime.complete(full, first.state, "t1", { kind: "task", data: {} }, { amount: 5000 }, ctx);
      expect(JSON.stringify(first.state)).toBe(frozen);
      return [first, second];
    };
    expect(run()).toEqual(run());
  });

  it("a flow from start straight to end completes at once", () => {
    const g = graph([S(), E()], [["start", "end"]]);
    const r = runtime.start(g, {}, testContext());
    expect(r.state.status).toBe("completed");
    expect(r.effects).toEqual([{ type: "token.moved", tokenId: "t1", from: "start", to: "end", edgeId: "start-end" }, { type: "case.completed" }]);
  });

  it("refuses to start a definition without a start node", () => {
    const g = graph([T("t1"), E()], [["t1", "end"]]);
    expectEngineError(() => runtime.start(g, {}, testContext()), "invalid_definition");
  });
});
