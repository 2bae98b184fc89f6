import type { BusinessCalendar } from "./calendar";
import type { DefinitionGraph, WorkflowNode } from "./definition";
import { evaluateCondition } from "./feel";
import { indexGraph, parseBranchLabel, scopeKey, branchLabel, type GraphIndex } from "./graph";
import type { CaseData, CaseState, Completion, Effect, IncidentReason, Runtime, RuntimeContext, StepResult, Token } from "./runtime-types";
import { addDuration } from "./time";

// Token movement. Each call takes the state and returns a new state plus the effects the service
// must carry out in the same transaction (create task rows, schedule timers, start subprocesses,
// run plugin actions, record incidents). Automatic nodes (start, decision, parallel, end) are
// passed within the call; waiting nodes keep an active token. Inputs are never mutated.

export type EngineErrorCode =
  | "invalid_definition"
  | "case_not_running"
  | "token_not_found"
  | "token_in_incident"
  | "token_not_in_incident"
  | "unknown_node"
  | "completion_mismatch"
  | "invalid_outcome";

/** A caller mistake (stale token, wrong completion): the service maps it to 409/400. State is untouched. */
export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string = code,
  ) {
    super(message);
    this.name = "EngineError";
  }
}

/**
 * Automatic moves allowed per call. A well-formed definition needs one per node passed; a cycle of
 * decisions whose conditions never change (the data cannot change inside one call) would spin
 * forever, so past this budget the remaining tokens become "loop_limit" incidents.
 */
export const STEP_BUDGET = 10_000;

function cloneState(s: CaseState): CaseState {
  const joins: CaseState["joins"] = {};
  for (const [j, byScope] of Object.entries(s.joins)) {
    joins[j] = {};
    for (const [k, edges] of Object.entries(byScope)) joins[j][k] = [...edges];
  }
  return { status: s.status, tokens: s.tokens.map((t) => ({ ...t, scope: [...t.scope] })), joins };
}

type WaitingNode = Extract<WorkflowNode, { kind: "task" | "gate" | "timer" | "subprocess" | "action" }>;

/**
 * What the service must do when a token starts waiting at a node. Also used by migration for
 * tokens moved onto a different node. A timer's duration is business time in the given calendar
 * (elapsed time without one). Throws RangeError for a timer duration addDuration rejects.
 */
export function waitingEffect(node: WaitingNode, tokenId: string, now: Date, calendar?: BusinessCalendar | null): Effect {
  const base = { tokenId, nodeId: node.id };
  switch (node.kind) {
    case "task":
    case "gate":
      return { type: "task.create", ...base };
    case "timer":
      return { type: "timer.schedule", ...base, dueAt: addDuration(now, node.duration, calendar).toISOString() };
    case "subprocess":
      return { type: "subprocess.start", ...base, definitionKey: node.definitionKey, ...(node.version !== undefined ? { version: node.version } : {}) };
    case "action":
      return { type: "action.run", ...base, actionType: node.actionType, config: node.config };
  }
}

class Step {
  readonly ix: GraphIndex;
  readonly effects: Effect[] = [];
  private readonly queue: Token[] = [];
  private steps = 0;

  constructor(
    def: DefinitionGraph,
    readonly state: CaseState,
    private readonly data: CaseData,
    private readonly ctx: RuntimeContext,
  ) {
    this.ix = indexGraph(def);
  }

  /** Sends the token along an edge; it is processed at the target by run(). */
  move(token: Token, edgeId: string, target: string): void {
    this.effects.push({ type: "token.moved", tokenId: token.id, from: token.nodeId, to: target, edgeId });
    token.nodeId = target;
    this.queue.push(token);
  }

  enqueue(token: Token): void {
    this.queue.push(token);
  }

  /** Leaves a node that has exactly one way out. */
  leave(token: Token): void {
    const out = this.ix.out.get(token.nodeId) ?? [];
    if (out.length !== 1) return this.incident(token, "invalid_structure", `expected one outgoing edge, found ${out.length}`);
    this.move(token, out[0]!.id, out[0]!.target);
  }

  incident(token: Token, reason: IncidentReason, detail: string): void {
    token.status = "incident";
    this.effects.push({ type: "incident.raise", tokenId: token.id, nodeId: token.nodeId, reason, detail });
  }

  private remove(token: Token): void {
    this.state.tokens = this.state.tokens.filter((t) => t.id !== token.id);
  }

  run(): StepResult {
    while (this.queue.length > 0) {
      const token = this.queue.shift()!;
      if (++this.steps > STEP_BUDGET) {
        this.incident(token, "loop_limit", `more than ${STEP_BUDGET} automatic steps in one action`);
        continue;
      }
      const node = this.ix.nodes.get(token.nodeId);
      if (!node) this.incident(token, "invalid_structure", `node ${token.nodeId} does not exist`);
      else this.arrive(token, node);
    }
    return this.finish();
  }

  private arrive(token: Token, node: WorkflowNode): void {
    switch (node.kind) {
      case "start":
        return this.leave(token);
      case "end":
        return this.remove(token);
      case "task":
      case "gate":
      case "timer":
      case "subprocess":
      case "action":
        try {
          this.effects.push(waitingEffect(node, token.id, this.ctx.now, this.ctx.calendar));
        } catch (e) {
          // Only a timer with a duration addDuration rejects; the validator refuses those.
          this.incident(token, "invalid_structure", String(e));
        }
        return;
      case "decision":
        return this.decide(token);
      case "parallel":
        return node.direction === "split" ? this.split(token) : this.join(token);
    }
  }

  /**
   * Exclusive choice: conditions in edge order, first true wins, else the default edge. A decision
   * with a single way out is a merge (converging exclusive gateway) and just passes the token on.
   */
  private decide(token: Token): void {
    const out = this.ix.out.get(token.nodeId) ?? [];
    if (out.length === 1) return this.move(token, out[0]!.id, out[0]!.target);
    for (const e of out) {
      if (e.isDefault || e.condition === undefined || e.condition.trim() === "") continue;
      const r = evaluateCondition(e.condition, this.data);
      if (!r.ok) return this.incident(token, "condition_error", `${e.id}: ${r.error}`);
      if (r.value) return this.move(token, e.id, e.target);
    }
    const fallback = out.find((e) => e.isDefault);
    if (fallback) return this.move(token, fallback.id, fallback.target);
    this.incident(token, "no_matching_edge", "no condition is true and there is no default edge");
  }

  /** One fresh token per branch; the incoming token ends here. */
  private split(token: Token): void {
    const out = this.ix.out.get(token.nodeId) ?? [];
    if (out.length === 0) return this.incident(token, "invalid_structure", "parallel split without outgoing edges");
    this.remove(token);
    for (const e of out) {
      const branch: Token = { id: this.ctx.newId(), nodeId: token.nodeId, status: "active", scope: [...token.scope, branchLabel(token.nodeId, e.id)] };
      this.state.tokens.push(branch);
      this.move(branch, e.id, e.target);
    }
  }

  /**
   * Waits for one token from every branch of the split that opened this scope (branches are
   * counted, not incoming edges: a branch may reach the join by several edges). The last token
   * to arrive carries on with the scope popped.
   */
  private join(token: Token): void {
    const label = token.scope.at(-1);
    if (label === undefined) return this.incident(token, "invalid_structure", "token reached a join outside any parallel branch");
    const { splitId, edgeId } = parseBranchLabel(label);
    const branches = (this.ix.out.get(splitId) ?? []).map((e) => e.id);
    if (!branches.includes(edgeId)) return this.incident(token, "invalid_structure", `branch ${label} does not belong to this definition`);
    const parent = token.scope.slice(0, -1);
    const key = scopeKey(parent);
    const byScope = (this.state.joins[token.nodeId] ??= {});
    const arrived = byScope[key] ?? [];
    if (arrived.includes(edgeId)) return this.incident(token, "invalid_structure", `branch ${label} reached the join twice`);
    arrived.push(edgeId);
    if (!branches.every((b) => arrived.includes(b))) {
      byScope[key] = arrived;
      return this.remove(token);
    }
    delete byScope[key];
    if (Object.keys(byScope).length === 0) delete this.state.joins[token.nodeId];
    token.scope = parent;
    this.leave(token);
  }

  private finish(): StepResult {
    const s = this.state;
    const before = s.status;
    if (s.tokens.some((t) => t.status === "incident")) s.status = "incident";
    else if (s.tokens.length > 0) s.status = "running";
    // No tokens but a join still waiting cannot happen in a validated definition; the case then
    // stays "running" rather than claiming completion.
    else if (Object.keys(s.joins).length === 0) s.status = "completed";
    if (s.status === "completed" && before !== "completed") this.effects.push({ type: "case.completed" });
    return { state: s, effects: this.effects };
  }
}

function findToken(state: CaseState, tokenId: string): Token {
  const token = state.tokens.find((t) => t.id === tokenId);
  if (!token) throw new EngineError("token_not_found", `token ${tokenId} is not active in this case`);
  return token;
}

export const runtime: Runtime = {
  start(def, data, ctx) {
    const startNode = def.nodes.find((n) => n.kind === "start");
    if (!startNode) throw new EngineError("invalid_definition", "the definition has no start node");
    const token: Token = { id: ctx.newId(), nodeId: startNode.id, status: "active", scope: [] };
    const step = new Step(def, { status: "running", tokens: [token], joins: {} }, data, ctx);
    step.enqueue(token);
    return step.run();
  },

  complete(def, state, tokenId, completion: Completion, data, ctx) {
    if (state.status === "completed" || state.status === "cancelled") throw new EngineError("case_not_running", `the case is already ${state.status}`);
    const step = new Step(def, cloneState(state), data, ctx);
    const token = findToken(step.state, tokenId);
    if (token.status === "incident") throw new EngineError("token_in_incident", `token ${tokenId} is in an incident`);
    const node = step.ix.nodes.get(token.nodeId);
    if (!node) throw new EngineError("unknown_node", `node ${token.nodeId} is not in the definition`);
    if (node.kind !== completion.kind) throw new EngineError("completion_mismatch", `a ${completion.kind} completion cannot finish a ${node.kind} node`);
    if (completion.kind === "gate") {
      const edge = step.ix.out.get(node.id)!.find((e) => e.outcome === completion.outcome);
      if (!edge) throw new EngineError("invalid_outcome", `the gate has no "${completion.outcome}" outcome`);
      step.move(token, edge.id, edge.target);
    } else {
      step.leave(token);
    }
    return step.run();
  },

  retry(def, state, tokenId, data, ctx) {
    const step = new Step(def, cloneState(state), data, ctx);
    const token = findToken(step.state, tokenId);
    if (token.status !== "incident") throw new EngineError("token_not_in_incident", `token ${tokenId} has no incident`);
    token.status = "active";
    step.enqueue(token);
    return step.run();
  },

  raiseIncident(state, tokenId, reason, detail) {
    const next = cloneState(state);
    const token = findToken(next, tokenId);
    if (token.status === "incident") throw new EngineError("token_in_incident", `token ${tokenId} is already in an incident`);
    token.status = "incident";
    next.status = "incident";
    return { state: next, effects: [{ type: "incident.raise", tokenId, nodeId: token.nodeId, reason, detail }] };
  },

  cancel(state) {
    if (state.status === "completed" || state.status === "cancelled") throw new EngineError("case_not_running", `the case is already ${state.status}`);
    return { state: { status: "cancelled", tokens: [], joins: {} }, effects: [] };
  },
};
