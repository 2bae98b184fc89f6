import { describe, expect, it } from "vitest";
import { migrationEffects, planMigration } from "./migration";
import { problemParams } from "./problems";
import { runtime } from "./runtime";
import type { CaseState, StepResult } from "./runtime-types";
import { D, E, JOIN, S, SPLIT, T, TIMER, graph, testContext } from "./testing";
import { validateDefinition } from "./validate";

const v1 = graph([S(), T("review"), T("approve"), E()], [["start", "review"], ["review", "approve"], ["approve", "end"]]);
const v2 = graph(
  [S(), T("intake"), T("review2"), T("approve"), D("d"), TIMER("cool", "PT24H"), E()],
  [["start", "intake"], ["intake", "review2"], ["review2", "d"], ["d", "cool", { condition: "wait = true" }], ["d", "approve", { isDefault: true }], ["cool", "approve"], ["approve", "end"]],
);

const parallelV1 = graph(
  [S(), SPLIT("s"), T("a"), T("b"), JOIN("j"), T("after"), E()],
  [["start", "s"], ["s", "a"], ["s", "b"], ["a", "j"], ["b", "j"], ["j", "after"], ["after", "end"]],
);

/** A case of parallelV1 whose branch a already reached the join and whose branch b waits at b. */
function halfwayParallel(): StepResult {
  const ctx = testContext();
  const r = runtime.start(parallelV1, {}, ctx);
  const a = r.state.tokens.find((t) => t.nodeId === "a")!;
  return runtime.complete(parallelV1, r.state, a.id, { kind: "task", data: {} }, {}, ctx);
}

const codes = (plan: ReturnType<typeof planMigration>) => plan.problems.map((p) => `${p.code}@${p.nodeId}`);

describe("planMigration", () => {
  it("moves a waiting token as mapped and says what to start at the new node", () => {
    expect(validateDefinition(v2)).toEqual([]);
    const r = runtime.start(v1, {}, testContext());
    const before = JSON.stringify(r.state);
    const plan = planMigration(v1, v2, r.state, { review: "review2" });
    expect(plan.ok).toBe(true);
    expect(plan.moves).toEqual([{ tokenId: "t1", from: "review", to: "review2", reenter: true }]);
    expect(plan.state).toEqual({ status: "running", tokens: [{ id: "t1", nodeId: "review2", status: "active", scope: [] }], joins: {} });
    expect(JSON.stringify(r.state)).toBe(before);
    expect(migrationEffects(v2, plan, { now: new Date("2026-03-01T09:00:00Z") })).toEqual([{ type: "task.create", tokenId: "t1", nodeId: "review2" }]);

    // …and the case carries on in the new version.
    const next = runtime.complete(v2, plan.state!, "t1", { kind: "task", data: {} }, { wait: true }, testContext());
    expect(next.state.tokens.map((t) => t.nodeId)).toEqual(["cool"]);
  });

  it("keeps tokens on nodes that exist under the same id (no re-entry)", () => {
    const ctx = testContext();
    let r = runtime.start(v1, {}, ctx);
    r = runtime.complete(v1, r.state, "t1", { kind: "task", data: {} }, {}, ctx);
    const plan = planMigration(v1, v2, r.state, {});
    expect(plan.ok).toBe(true);
    expect(plan.moves).toEqual([{ tokenId: "t1", from: "approve", to: "approve", reenter: false }]);
    expect(migrationEffects(v2, plan, { now: new Date() })).toEqual([]);
  });

  it("schedules a timer for a token moved onto a timer", () => {
    const r = runtime.start(v1, {}, testContext());
    const plan = planMigration(v1, v2, r.state, { review: "cool" });
    expect(plan.ok).toBe(true);
    expect(migrationEffects(v2, plan, { now: new Date("2026-03-01T09:00:00Z") })).toEqual([{ type: "timer.schedule", tokenId: "t1", nodeId: "cool", dueAt: "2026-03-02T09:00:00.000Z" }]);
  });

  it("migration_token_unmapped: a token's node is gone and not mapped", () => {
    const r = runtime.start(v1, {}, testContext());
    const plan = planMigration(v1, v2, r.state, {});
    expect(plan.ok).toBe(false);
    expect(plan.state).toBeUndefined();
    expect(codes(plan)).toEqual(["migration_token_unmapped@review"]);
  });

  it("migration_target_missing: mapped to a node the new version lacks", () => {
    const r = runtime.start(v1, {}, testContext());
    const plan = planMigration(v1, v2, r.state, { review: "nowhere" });
    expect(codes(plan)).toEqual(["migration_target_missing@review"]);
    expect(problemParams(plan.problems[0]!, v1, "en", v2)).toMatchObject({ node: "Step review", target: "nowhere" });
  });

  it("migration_target_not_waiting: an active token must land where tokens wait", () => {
    const r = runtime.start(v1, {}, testContext());
    expect(codes(planMigration(v1, v2, r.state, { review: "d" }))).toEqual(["migration_target_not_waiting@review"]);
    expect(codes(planMigration(v1, v2, r.state, { review: "end" }))).toEqual(["migration_target_not_waiting@review"]);
  });

  it("an incident token on a decision may move to a decision, and retry continues there", () => {
    const old = graph([S(), D("check"), T("yes"), E()], [["start", "check"], ["check", "yes", { condition: "ok = true" }], ["check", "end", { isDefault: true }], ["yes", "end"]]);
    const r = runtime.start(old, { ok: "?" }, testContext());
    expect(r.state.status).toBe("incident");
    const plan = planMigration(old, v2, r.state, { check: "d" });
    expect(plan.ok).toBe(true);
    expect(plan.state!.status).toBe("incident");
    expect(migrationEffects(v2, plan, { now: new Date() })).toEqual([]);
    const retried = runtime.retry(v2, plan.state!, r.state.tokens[0]!.id, { wait: false }, testContext());
    expect(retried.state.tokens.map((t) => t.nodeId)).toEqual(["approve"]);
  });

  describe("parallel blocks", () => {
    // b is renamed b2 and j renamed j2; the branch edge keeps its id "s-b".
    const renamed = graph(
      [S(), SPLIT("s"), T("a"), T("b2"), JOIN("j2"), T("after"), E()],
      [["start", "s"], ["s", "a"], ["s", "b2", { id: "s-b" }], ["a", "j2"], ["b2", "j2"], ["j2", "after"], ["after", "end"]],
    );

    it("remaps the waiting branch and the join's bookkeeping, then the case completes", () => {
      expect(validateDefinition(renamed)).toEqual([]);
      const r = halfwayParallel();
      expect(r.state.joins).toEqual({ j: { "": ["s-a"] } });
      const plan = planMigration(parallelV1, renamed, r.state, { b: "b2", j: "j2" });
      expect(plan.problems).toEqual([]);
      expect(plan.state!.joins).toEqual({ j2: { "": ["s-a"] } });
      expect(plan.state!.tokens).toEqual([expect.objectContaining({ nodeId: "b2", scope: ["s#s-b"] })]);
      const ctx = testContext();
      let next = runtime.complete(renamed, plan.state!, plan.state!.tokens[0]!.id, { kind: "task", data: {} }, {}, ctx);
      expect(next.state.tokens.map((t) => t.nodeId)).toEqual(["after"]);
      next = runtime.complete(renamed, next.state, next.state.tokens[0]!.id, { kind: "task", data: {} }, {}, ctx);
      expect(next.state.status).toBe("completed");
    });

    it("migration_join_invalid: a join must map to a join", () => {
      const plan = planMigration(parallelV1, renamed, halfwayParallel().state, { b: "b2", j: "after" });
      expect(codes(plan)).toContain("migration_join_invalid@j");
    });

    it("migration_scope_mismatch: a branch token may not leave its block", () => {
      const plan = planMigration(parallelV1, renamed, halfwayParallel().state, { b: "after", j: "j2" });
      expect(codes(plan)).toContain("migration_scope_mismatch@b");
    });

    it("migration_branches_changed: a new branch would never reach the join", () => {
      const threeWay = graph(
        [S(), SPLIT("s"), T("a"), T("b"), T("c"), JOIN("j"), T("after"), E()],
        [["start", "s"], ["s", "a"], ["s", "b"], ["s", "c"], ["a", "j"], ["b", "j"], ["c", "j"], ["j", "after"], ["after", "end"]],
      );
      const plan = planMigration(parallelV1, threeWay, halfwayParallel().state, {});
      expect(codes(plan)).toEqual(["migration_branches_changed@s"]);
    });

    it("migration_branch_edge_missing: branch edges keep their ids across versions", () => {
      const rewired = graph(
        [S(), SPLIT("s"), T("a"), T("b"), JOIN("j"), T("after"), E()],
        [["start", "s"], ["s", "a", { id: "to-a" }], ["s", "b", { id: "to-b" }], ["a", "j"], ["b", "j"], ["j", "after"], ["after", "end"]],
      );
      const plan = planMigration(parallelV1, rewired, halfwayParallel().state, {});
      expect(codes(plan)).toContain("migration_branch_edge_missing@s");
    });
  });

  it("a completed case has nothing to move", () => {
    const done: CaseState = { status: "completed", tokens: [], joins: {} };
    expect(planMigration(v1, v2, done, {})).toEqual({ ok: true, state: done, moves: [], problems: [] });
  });
});
