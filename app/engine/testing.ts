import { definitionGraph, type DefinitionGraph } from "./definition";
import type { RuntimeContext } from "./runtime-types";

// Small builders for engine tests (imported by *.test.ts only).

type NodeSpec = { id: string; kind: string } & Record<string, unknown>;
type EdgeSpec = [source: string, target: string, extra?: Record<string, unknown>];

/** A raw definition (not parsed): tasks and gates get lane "staff" unless they say otherwise. */
export function rawGraph(nodes: NodeSpec[], edges: EdgeSpec[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    key: "test-flow",
    name: { ar: "إجراء تجريبي", en: "Test flow" },
    lanes: [{ id: "staff", name: { ar: "الموظفون", en: "Staff" }, assignee: { type: "role", roleKey: "staff" } }],
    nodes: nodes.map((n) => ({
      name: { ar: `خطوة ${n.id}`, en: `Step ${n.id}` },
      ...(n.kind === "task" || n.kind === "gate" ? { lane: "staff" } : {}),
      ...(n.kind === "gate" ? { approverRole: "manager" } : {}),
      ...n,
    })),
    edges: edges.map(([source, target, more]) => ({ id: `${source}-${target}`, source, target, ...more })),
    ...extra,
  };
}

export function graph(nodes: NodeSpec[], edges: EdgeSpec[], extra: Record<string, unknown> = {}): DefinitionGraph {
  return definitionGraph.parse(rawGraph(nodes, edges, extra));
}

/** Deterministic context: ids t1, t2, … and a fixed clock. */
export function testContext(now = new Date("2026-03-01T09:00:00.000Z")): RuntimeContext & { ids: () => number } {
  let n = 0;
  return { now, newId: () => `t${++n}`, ids: () => n };
}

export const S = (id = "start") => ({ id, kind: "start" });
export const E = (id = "end") => ({ id, kind: "end" });
export const T = (id: string, more: Record<string, unknown> = {}) => ({ id, kind: "task", ...more });
export const D = (id: string) => ({ id, kind: "decision" });
export const G = (id: string) => ({ id, kind: "gate" });
export const SPLIT = (id: string) => ({ id, kind: "parallel", direction: "split" });
export const JOIN = (id: string) => ({ id, kind: "parallel", direction: "join" });
export const TIMER = (id: string, duration = "PT48H") => ({ id, kind: "timer", duration });
export const SUB = (id: string, definitionKey = "child-flow") => ({ id, kind: "subprocess", definitionKey });
export const ACTION = (id: string, actionType = "notices.send") => ({ id, kind: "action", actionType, config: { to: "applicant" } });

/**
 * One flow with every node kind, shared by the validation and runtime tests:
 * start → t1 → d1 →(amount > 1000) split → {t2, timer} → join → gate →go sub → act → end;
 * no-go → rejected; rework → t1; d1 default → t3 → end.
 */
export function fullFlowSpec(timerDuration?: string): [NodeSpec[], EdgeSpec[]] {
  return [
    [S(), T("t1", { form: "intake" }), D("d1"), SPLIT("split"), T("t2"), TIMER("wait", timerDuration), JOIN("join"), G("gate"), SUB("sub"), ACTION("act"), T("t3"), E(), E("rejected")],
    [
      ["start", "t1"],
      ["t1", "d1"],
      ["d1", "split", { condition: "=amount > 1000" }],
      ["d1", "t3", { isDefault: true }],
      ["split", "t2"],
      ["split", "wait"],
      ["t2", "join"],
      ["wait", "join"],
      ["join", "gate"],
      ["gate", "sub", { outcome: "go" }],
      ["gate", "rejected", { outcome: "no-go" }],
      ["gate", "t1", { outcome: "rework" }],
      ["sub", "act"],
      ["act", "end"],
      ["t3", "end"],
    ],
  ];
}

