import type { DefinitionGraph, Edge, WorkflowNode } from "~/engine/definition";
import { EngineError, runtime } from "~/engine/runtime";
import type { CaseData, CaseState, Completion, Effect, IncidentReason, RuntimeContext, StepResult } from "~/engine/runtime-types";

// Test-run of a draft in the designer: the engine's own runtime (runtime.start / complete /
// retry), no database, no case, no task rows — the person at the screen plays every waiting
// step. Decisions either follow their conditions or, when the run pauses at decisions, wait
// for the person to pick a way out (or to let the conditions decide after all).
//
// How a decision is made to wait without touching the engine: the run's graph shows each
// decision with two or more ways out as a task (the runtime stops at tasks). Choosing an
// edge completes that "task" in a copy of the graph where the edge is its only way out;
// "let the conditions decide" retries the token in a copy where the node is a decision again
// (retry re-enters the node, which is exactly an evaluation of its conditions).

export type StepHow = "completed" | "skipped" | "go" | "no-go" | "rework" | "chosen" | "conditions" | "retried";

export type TestRunEvent =
  | { type: "started"; nodeId: string }
  | { type: "moved"; from: string; to: string; edgeId: string }
  | { type: "waiting"; nodeId: string; tokenId: string }
  | { type: "done"; nodeId: string; how: StepHow; edgeId?: string; data?: CaseData }
  | { type: "incident"; nodeId: string; tokenId: string; reason: IncidentReason; detail: string }
  | { type: "finished" }
  /** The runtime refused the action (a mistake of the caller, e.g. a gate outcome the gate does not have). */
  | { type: "refused"; code: string; detail: string };

export interface TestRun {
  graph: DefinitionGraph;
  pauseAtDecisions: boolean;
  state: CaseState;
  data: CaseData;
  log: TestRunEvent[];
  /** Token ids handed out so far (t1, t2, …). */
  ids: number;
}

export type StepAction =
  /** Tasks; timers, subprocesses and actions are "skipped" (completed by the person). */
  | { type: "complete"; data?: CaseData }
  | { type: "gate"; outcome: "go" | "no-go" | "rework"; data?: CaseData }
  /** A decision: follow this edge. */
  | { type: "choose"; edgeId: string; data?: CaseData }
  /** A decision: evaluate its conditions on the (edited) data. */
  | { type: "conditions"; data?: CaseData }
  /** Any other incident: try the node again (after editing the data). */
  | { type: "retry"; data?: CaseData };

export interface WaitingStep {
  tokenId: string;
  node: WorkflowNode;
  status: "active" | "incident";
  /** Why the token is stuck (the last incident raised for it). */
  incident?: { reason: IncidentReason; detail: string };
  /** What the person can do here. */
  actions: StepAction["type"][];
  /** For decisions and gates: their ways out (a gate offers the outcomes its edges have). */
  edges: Edge[];
}

const isChoice = (graph: DefinitionGraph, node: WorkflowNode) => node.kind === "decision" && graph.edges.filter((e) => e.source === node.id).length >= 2;

/** The graph the runtime sees: with pauses, decisions become tasks that wait. */
function runGraph(graph: DefinitionGraph, pause: boolean, override?: { nodeId: string; as: "decision" | { edgeId: string } }): DefinitionGraph {
  const waiting = (n: WorkflowNode): WorkflowNode => ({ id: n.id, kind: "task", name: n.name, ...(n.lane ? { lane: n.lane } : {}) });
  const nodes = graph.nodes.map((n) => {
    if (override?.nodeId === n.id) return override.as === "decision" ? n : waiting(n);
    return pause && isChoice(graph, n) ? waiting(n) : n;
  });
  const only = override && override.as !== "decision" ? override.as.edgeId : undefined;
  const edges = only ? graph.edges.filter((e) => e.source !== override!.nodeId || e.id === only) : graph.edges;
  return { ...graph, nodes, edges };
}

function context(run: { ids: number }, now: Date): RuntimeContext & { used: () => number } {
  let n = run.ids;
  return { now, newId: () => `t${++n}`, used: () => n };
}

function translate(effects: Effect[]): TestRunEvent[] {
  const out: TestRunEvent[] = [];
  for (const e of effects) {
    if (e.type === "token.moved") out.push({ type: "moved", from: e.from, to: e.to, edgeId: e.edgeId });
    else if (e.type === "incident.raise") out.push({ type: "incident", nodeId: e.nodeId, tokenId: e.tokenId, reason: e.reason, detail: e.detail });
    else if (e.type === "case.completed") out.push({ type: "finished" });
    else out.push({ type: "waiting", nodeId: e.nodeId, tokenId: e.tokenId });
  }
  return out;
}

export function startTestRun(graph: DefinitionGraph, data: CaseData, opts: { pauseAtDecisions?: boolean; now?: Date } = {}): TestRun {
  const pause = opts.pauseAtDecisions ?? true;
  const empty: TestRun = { graph, pauseAtDecisions: pause, state: { status: "running", tokens: [], joins: {} }, data, log: [], ids: 0 };
  const ctx = context(empty, opts.now ?? new Date());
  try {
    const result = runtime.start(runGraph(graph, pause), data, ctx);
    const start = graph.nodes.find((n) => n.kind === "start")!;
    return { ...empty, state: result.state, log: [{ type: "started", nodeId: start.id }, ...translate(result.effects)], ids: ctx.used() };
  } catch (error) {
    return { ...empty, state: { status: "incident", tokens: [], joins: {} }, log: [refusal(error)] };
  }
}

function refusal(error: unknown): TestRunEvent {
  if (error instanceof EngineError) return { type: "refused", code: error.code, detail: error.message };
  return { type: "refused", code: "error", detail: error instanceof Error ? error.message : String(error) };
}

/** Plays one waiting step. Never throws: a refusal is logged and the state stays as it was. */
export function act(run: TestRun, tokenId: string, action: StepAction, now = new Date()): TestRun {
  const token = run.state.tokens.find((t) => t.id === tokenId);
  const node = token ? run.graph.nodes.find((n) => n.id === token.nodeId) : undefined;
  if (!token || !node) return { ...run, log: [...run.log, { type: "refused", code: "token_not_found", detail: tokenId }] };
  const data = { ...run.data, ...(action.data ?? {}) };
  const ctx = context(run, now);
  const pause = run.pauseAtDecisions;
  const asIncident = (s: CaseState): CaseState => ({ ...s, tokens: s.tokens.map((t) => (t.id === tokenId ? { ...t, status: "incident" } : t)) });
  const asActive = (s: CaseState): CaseState => ({ ...s, tokens: s.tokens.map((t) => (t.id === tokenId ? { ...t, status: "active" } : t)) });
  let done: TestRunEvent;
  let result: StepResult;
  try {
    switch (action.type) {
      case "complete": {
        const completion = completionFor(node, data);
        if (!completion) throw new EngineError("completion_mismatch", `${node.kind} cannot be completed`);
        result = runtime.complete(runGraph(run.graph, pause), run.state, tokenId, completion, data, ctx);
        done = { type: "done", nodeId: node.id, how: node.kind === "task" ? "completed" : "skipped", ...(action.data ? { data: action.data } : {}) };
        break;
      }
      case "gate":
        result = runtime.complete(runGraph(run.graph, pause), run.state, tokenId, { kind: "gate", outcome: action.outcome, data }, data, ctx);
        done = { type: "done", nodeId: node.id, how: action.outcome, ...(action.data ? { data: action.data } : {}) };
        break;
      case "choose": {
        if (node.kind !== "decision" || !run.graph.edges.some((e) => e.id === action.edgeId && e.source === node.id)) throw new EngineError("invalid_outcome", action.edgeId);
        const graph = runGraph(run.graph, pause, { nodeId: node.id, as: { edgeId: action.edgeId } });
        result = runtime.complete(graph, asActive(run.state), tokenId, { kind: "task", data }, data, ctx);
        done = { type: "done", nodeId: node.id, how: "chosen", edgeId: action.edgeId };
        break;
      }
      case "conditions":
        if (node.kind !== "decision") throw new EngineError("completion_mismatch", `${node.kind} has no conditions`);
        result = runtime.retry(runGraph(run.graph, pause, { nodeId: node.id, as: "decision" }), asIncident(run.state), tokenId, data, ctx);
        done = { type: "done", nodeId: node.id, how: "conditions" };
        break;
      case "retry":
        result = runtime.retry(runGraph(run.graph, pause), run.state, tokenId, data, ctx);
        done = { type: "done", nodeId: node.id, how: "retried" };
        break;
    }
  } catch (error) {
    return { ...run, log: [...run.log, refusal(error)] };
  }
  return { ...run, state: result.state, data, log: [...run.log, done, ...translate(result.effects)], ids: ctx.used() };
}

function completionFor(node: WorkflowNode, data: CaseData): Completion | undefined {
  switch (node.kind) {
    case "task":
      return { kind: "task", data };
    case "timer":
      return { kind: "timer" };
    case "subprocess":
      return { kind: "subprocess", data };
    case "action":
      return { kind: "action", data };
    default:
      return undefined;
  }
}

/** The tokens the person has to act on, with what they can do at each. */
export function waitingSteps(run: TestRun): WaitingStep[] {
  return run.state.tokens.flatMap((t): WaitingStep[] => {
    const node = run.graph.nodes.find((n) => n.id === t.nodeId);
    if (!node) return [];
    const last = [...run.log].reverse().find((e): e is Extract<TestRunEvent, { type: "incident" }> => e.type === "incident" && e.tokenId === t.id);
    const edges = node.kind === "decision" || node.kind === "gate" ? run.graph.edges.filter((e) => e.source === node.id) : [];
    let actions: StepAction["type"][];
    if (node.kind === "decision") actions = ["choose", "conditions"];
    else if (t.status === "incident") actions = ["retry"];
    else if (node.kind === "gate") actions = ["gate"];
    else actions = ["complete"];
    return [{ tokenId: t.id, node, status: t.status, ...(t.status === "incident" && last ? { incident: { reason: last.reason, detail: last.detail } } : {}), actions, edges }];
  });
}

/** What to light up on the canvas: every node and edge the run has passed, and where it waits now. */
export function runHighlight(run: TestRun): { visited: Set<string>; current: Set<string>; edges: Set<string> } {
  const visited = new Set<string>();
  const edges = new Set<string>();
  for (const e of run.log) {
    if (e.type === "started") visited.add(e.nodeId);
    if (e.type === "moved") {
      visited.add(e.from);
      visited.add(e.to);
      edges.add(e.edgeId);
    }
  }
  return { visited, current: new Set(run.state.tokens.map((t) => t.nodeId)), edges };
}
