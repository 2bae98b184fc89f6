import type { DefinitionGraph, WorkflowNode } from "~/engine/definition";

// What completing a step adds to the case beyond the person's answers, and the checks the
// task service leaves to its callers: a stage gate's outcome must be one its outgoing edges
// offer, and "go" needs every required checklist item ticked. Shared by the task page and
// the API so both refuse the same things.

export type GateOutcome = "go" | "no-go" | "rework";
const OUTCOME_ORDER: GateOutcome[] = ["go", "rework", "no-go"];

/** The outcomes a gate offers: those its outgoing edges carry (all three if none is labelled). */
export function gateOutcomes(graph: DefinitionGraph, nodeId: string): GateOutcome[] {
  const offered = new Set(graph.edges.filter((e) => e.source === nodeId && e.outcome).map((e) => e.outcome!));
  return offered.size ? OUTCOME_ORDER.filter((o) => offered.has(o)) : [...OUTCOME_ORDER];
}

/** The case data key that records which checklist items of a gate were ticked. */
export const checklistKey = (nodeId: string) => `${nodeId}_checklist`;

export type CompletionProblem =
  | { field: "outcome"; code: "outcome_required" | "outcome_not_offered" }
  | { field: "checklist"; code: "checklist_required"; missing: string[] }
  | { field: "checklist"; code: "unknown_item"; item: string };

/**
 * Checks a gate decision and returns the data to merge: the ticked checklist (recorded in
 * the case so the decision can be audited later). Plain steps add nothing.
 */
export function prepareCompletion(
  graph: DefinitionGraph,
  node: WorkflowNode,
  input: { outcome?: string | null; checklist?: string[] },
): { ok: true; outcome: GateOutcome | undefined; extraData: Record<string, unknown> } | { ok: false; problem: CompletionProblem } {
  if (node.kind !== "gate") return { ok: true, outcome: undefined, extraData: {} };
  const outcome = OUTCOME_ORDER.find((o) => o === input.outcome);
  if (!input.outcome) return { ok: false, problem: { field: "outcome", code: "outcome_required" } };
  if (!outcome || !gateOutcomes(graph, node.id).includes(outcome)) return { ok: false, problem: { field: "outcome", code: "outcome_not_offered" } };
  const ticked = [...new Set(input.checklist ?? [])];
  const known = new Set(node.checklist.map((c) => c.id));
  const unknown = ticked.find((id) => !known.has(id));
  if (unknown !== undefined) return { ok: false, problem: { field: "checklist", code: "unknown_item", item: unknown } };
  if (outcome === "go") {
    const missing = node.checklist.filter((c) => c.required && !ticked.includes(c.id)).map((c) => c.id);
    if (missing.length) return { ok: false, problem: { field: "checklist", code: "checklist_required", missing } };
  }
  return { ok: true, outcome, extraData: node.checklist.length ? { [checklistKey(node.id)]: ticked } : {} };
}
