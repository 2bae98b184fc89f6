import type { BusinessCalendar } from "./calendar";
import type { DefinitionGraph } from "./definition";

// The runtime's contract: pure functions from (definition, state, event) to (state, effects).
// Repositories persist the state and carry out the effects in the same transaction.

export type CaseData = Record<string, unknown>;

export interface Token {
  id: string;
  nodeId: string;
  /** active: waiting for a person, a timer, a subprocess or an action; incident: stuck. */
  status: "active" | "incident";
  /** Parallel branches this token belongs to, innermost last: [splitNodeId#branchEdgeId, …]. */
  scope: string[];
}

export interface CaseState {
  status: "running" | "completed" | "incident" | "cancelled";
  tokens: Token[];
  /**
   * Parallel joins waiting for branches: joinNodeId → scope key (the arriving tokens' scope minus
   * its innermost entry, joined with "/") → ids of the split's outgoing (branch) edges whose token
   * has already arrived. An entry disappears when the join fires.
   */
  joins: Record<string, Record<string, string[]>>;
}

export type IncidentReason =
  | "condition_error"
  | "no_matching_edge"
  | "subprocess_missing"
  | "action_failed"
  /** An action step of a plugin the organisation has disabled (since the case started). */
  | "plugin_disabled"
  | "invalid_outcome"
  /** Too many sub-cases started inside each other in one step (a flow calling itself). */
  | "subprocess_depth"
  /** The sub-case this token waited for was cancelled on its own. */
  | "subprocess_cancelled"
  /** The definition does not fit the state (missing edge/node, join outside a branch): not possible for validated definitions. */
  | "invalid_structure"
  /** More than STEP_BUDGET automatic moves in one call (a cycle of decisions that never exits). */
  | "loop_limit";

export type Effect =
  /** A human step became active (task or gate): create the task row. */
  | { type: "task.create"; tokenId: string; nodeId: string }
  | { type: "timer.schedule"; tokenId: string; nodeId: string; dueAt: string }
  | { type: "subprocess.start"; tokenId: string; nodeId: string; definitionKey: string; version?: number }
  | { type: "action.run"; tokenId: string; nodeId: string; actionType: string; config: Record<string, unknown> }
  | { type: "incident.raise"; tokenId: string; nodeId: string; reason: IncidentReason; detail: string }
  | { type: "token.moved"; tokenId: string; from: string; to: string; edgeId: string }
  | { type: "case.completed" };

export interface StepResult {
  state: CaseState;
  effects: Effect[];
}

export interface RuntimeContext {
  now: Date;
  /** Fresh token ids (the repository passes a uuid generator; tests a counter). */
  newId: () => string;
  /** The organisation's business calendar for timer durations; absent/null = elapsed time. */
  calendar?: BusinessCalendar | null;
}

/** What ended a waiting token. */
export type Completion =
  | { kind: "task"; data: CaseData }
  | { kind: "gate"; outcome: "go" | "no-go" | "rework"; data: CaseData }
  | { kind: "timer" }
  | { kind: "subprocess"; data: CaseData }
  | { kind: "action"; data: CaseData };

export interface Runtime {
  start(def: DefinitionGraph, data: CaseData, ctx: RuntimeContext): StepResult;
  /** Moves the token on after its node finished; data is the case data after the merge. */
  complete(def: DefinitionGraph, state: CaseState, tokenId: string, completion: Completion, data: CaseData, ctx: RuntimeContext): StepResult;
  /** Re-evaluates an incident token's node (after an admin fixed the data or definition). */
  retry(def: DefinitionGraph, state: CaseState, tokenId: string, data: CaseData, ctx: RuntimeContext): StepResult;
  /** Puts an active token into an incident for a failure the service found (subprocess_missing, action_failed). */
  raiseIncident(state: CaseState, tokenId: string, reason: IncidentReason, detail: string): StepResult;
  /** Ends a running case: no token is left; the service cancels its tasks, timers and sub-cases. */
  cancel(state: CaseState): StepResult;
}
