import { definitionGraph, type DefinitionGraph, type Edge, type Localised, type WorkflowNode } from "./definition";
import { checkCondition } from "./feel";
import { indexGraph, isJoin, isSplit, type GraphIndex } from "./graph";
import type { Problem } from "./problems";
import { checkFlow } from "./structure";
import { addDuration, isValidDuration } from "./time";

// Structural validation of a definition. Pure: whatever must be looked up (forms, roles, units,
// other definitions, plugin action types) is asked through `refs`; a missing callback skips that
// check. Severity policy: anything that would make a case stuck, lost or ambiguous is an error
// (publishing is refused); things a person should look at are warnings (a task or gate without a
// lane has no candidates until someone assigns it; a missing English label falls back to Arabic).
// Arabic is the default language, so an empty Arabic label on a step people see is an error.
// Start, end, decision and parallel nodes may stay unnamed (as BPMN gateways and events often are).
// When the shape itself is invalid (zod), only those problems are returned: the graph checks
// need a well-formed graph.

export interface DefinitionRefs {
  formExists?(key: string): boolean;
  roleExists?(key: string): boolean;
  unitExists?(code: string): boolean;
  definitionExists?(key: string): boolean;
  actionTypeExists?(type: string): boolean;
}

const WHERE = ["nodes", "edges", "lanes"] as const;
const WHERE_KEY = { nodes: "nodeId", edges: "edgeId", lanes: "laneId" } as const;

function schemaProblems(input: unknown, issues: readonly { code: string; path: readonly PropertyKey[] }[]): Problem[] {
  const raw = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
  return issues.map((issue) => {
    const path = issue.path.map(String);
    const problem: Problem = { code: "schema_invalid", severity: "error", params: { path: path.join("."), issue: issue.code } };
    const [list, index] = issue.path;
    if (WHERE.includes(list as (typeof WHERE)[number]) && typeof index === "number") {
      const item = (raw[list as string] as unknown[] | undefined)?.[index] as { id?: unknown } | undefined;
      if (typeof item?.id === "string") {
        problem[WHERE_KEY[list as (typeof WHERE)[number]]] = item.id;
        problem.params!.node = item.id;
      }
    }
    const field = path.at(-1);
    if (list === "nodes" && (field === "duration" || field === "due")) {
      problem.code = "duration_invalid";
      const item = (raw.nodes as Record<string, unknown>[] | undefined)?.[index as number];
      problem.params = { ...problem.params, value: String(item?.[field] ?? "") };
    }
    return problem;
  });
}

/** Validates a definition; returns every problem found (empty = valid). Never throws. */
export function validateDefinition(input: unknown, refs: DefinitionRefs = {}): Problem[] {
  const parsed = definitionGraph.safeParse(input);
  if (!parsed.success) return schemaProblems(input, parsed.error.issues);
  const g = parsed.data;
  const problems: Problem[] = [];
  checkIds(g, problems);
  const ix = indexGraph(g);
  for (const e of g.edges) {
    if (!ix.nodes.has(e.source)) problems.push({ code: "edge_unknown_source", severity: "error", edgeId: e.id, params: { edge: e.id, id: e.source } });
    if (!ix.nodes.has(e.target)) problems.push({ code: "edge_unknown_target", severity: "error", edgeId: e.id, params: { edge: e.id, id: e.target } });
  }
  const startId = checkStartEnd(ix, problems);
  for (const node of ix.nodes.values()) checkNode(g, ix, node, refs, problems);
  checkLanes(g, refs, problems);
  checkFlow(ix, startId, problems);
  return problems;
}

function checkIds(g: DefinitionGraph, problems: Problem[]): void {
  // One id space for nodes, edges and lanes: they all become BPMN element ids.
  const seen = new Set<string>();
  const visit = (id: string, where: "nodeId" | "edgeId" | "laneId") => {
    if (seen.has(id)) problems.push({ code: "duplicate_id", severity: "error", [where]: id, params: { id } });
    seen.add(id);
  };
  for (const n of g.nodes) visit(n.id, "nodeId");
  for (const e of g.edges) visit(e.id, "edgeId");
  for (const l of g.lanes) visit(l.id, "laneId");
}

function checkStartEnd(ix: GraphIndex, problems: Problem[]): string | undefined {
  const nodes = [...ix.nodes.values()];
  const starts = nodes.filter((n) => n.kind === "start");
  if (starts.length === 0) problems.push({ code: "start_missing", severity: "error" });
  for (const extra of starts.slice(1)) problems.push({ code: "start_multiple", severity: "error", nodeId: extra.id, params: { node: extra.id } });
  for (const s of starts) {
    if (ix.incoming.get(s.id)!.length > 0) problems.push({ code: "start_has_incoming", severity: "error", nodeId: s.id, params: { node: s.id } });
  }
  const ends = nodes.filter((n) => n.kind === "end");
  if (ends.length === 0) problems.push({ code: "end_missing", severity: "error" });
  for (const e of ends) {
    if (ix.out.get(e.id)!.length > 0) problems.push({ code: "end_has_outgoing", severity: "error", nodeId: e.id, params: { node: e.id } });
  }
  return starts[0]?.id;
}

const SINGLE_EXIT = new Set(["start", "task", "timer", "subprocess", "action"]);
const NAMED = new Set(["task", "gate", "timer", "subprocess", "action"]);

function checkNode(g: DefinitionGraph, ix: GraphIndex, node: WorkflowNode, refs: DefinitionRefs, problems: Problem[]): void {
  const at = { nodeId: node.id };
  const err = (code: Problem["code"], params: Record<string, string | number> = {}) =>
    problems.push({ code, severity: "error", ...at, params: { node: node.id, ...params } });
  const out = ix.out.get(node.id)!;
  const inCount = ix.incoming.get(node.id)!.length;

  if (SINGLE_EXIT.has(node.kind) || isJoin(node)) {
    if (out.length === 0) err("no_outgoing");
    if (out.length > 1) err("multiple_outgoing", { count: out.length });
  }
  if (isSplit(node)) {
    if (inCount > 1) err("split_incoming", { count: inCount });
    if (out.length < 2) err("split_too_few_outgoing", { count: out.length });
  }
  if (isJoin(node) && inCount < 2) err("join_too_few_incoming", { count: inCount });
  if (node.kind === "decision") checkDecision(node.id, out, inCount, problems);
  if (node.kind === "gate") checkGate(node.id, out, problems);
  for (const e of out) {
    const edgeErr = (code: Problem["code"]) => problems.push({ code, severity: "error", edgeId: e.id, params: { edge: e.id } });
    if (node.kind !== "decision" && e.condition !== undefined) edgeErr("condition_outside_decision");
    if (node.kind !== "decision" && e.isDefault) edgeErr("default_outside_decision");
    if (node.kind !== "gate" && e.outcome !== undefined) edgeErr("outcome_outside_gate");
  }

  if (node.lane !== undefined && !g.lanes.some((l) => l.id === node.lane)) err("lane_unknown", { lane: node.lane });
  if ((node.kind === "task" || node.kind === "gate") && node.lane === undefined) {
    problems.push({ code: "lane_not_set", severity: "warning", ...at, params: { node: node.id } });
  }
  if (NAMED.has(node.kind)) checkLabel(node.name, at, problems, { node: node.id });

  const formMissing = (form: string) => refs.formExists && !refs.formExists(form) && err("form_missing", { form });
  const durationOk = (d: string) => isValidDuration(d) && !Number.isNaN(safeAdd(d));
  switch (node.kind) {
    case "start":
      if (node.form !== undefined) formMissing(node.form);
      break;
    case "task":
      if (node.form !== undefined) formMissing(node.form);
      if (node.due !== undefined && !durationOk(node.due)) err("duration_invalid", { value: node.due });
      break;
    case "gate":
      node.requiredForms.forEach(formMissing);
      if (refs.roleExists && !refs.roleExists(node.approverRole)) err("role_missing", { role: node.approverRole });
      for (const item of [...node.checklist, ...node.requiredDocuments]) {
        if (item.label.ar.trim() === "") err("gate_item_label_missing", { item: item.id });
      }
      break;
    case "timer":
      if (!durationOk(node.duration)) err("duration_invalid", { value: node.duration });
      break;
    case "subprocess":
      if (node.definitionKey === g.key) err("subprocess_self", { key: node.definitionKey });
      else if (refs.definitionExists && !refs.definitionExists(node.definitionKey)) err("subprocess_missing", { key: node.definitionKey });
      break;
    case "action":
      if (refs.actionTypeExists && !refs.actionTypeExists(node.actionType)) err("action_type_missing", { type: node.actionType });
      break;
  }
}

function safeAdd(d: string): number {
  try {
    // Any fixed instant: only "does it stay a valid date" matters here.
    return addDuration(new Date(Date.UTC(2000, 0, 1)), d).getTime();
  } catch {
    return Number.NaN;
  }
}

function checkDecision(nodeId: string, out: Edge[], inCount: number, problems: Problem[]): void {
  const at = { nodeId, params: { node: nodeId } };
  // A merge (BPMN's converging exclusive gateway): several ways in, one way out, always taken.
  if (out.length === 1 && inCount >= 2) {
    if (out[0]!.condition?.trim()) problems.push({ code: "default_has_condition", severity: "warning", edgeId: out[0]!.id, params: { edge: out[0]!.id } });
    return;
  }
  if (out.length < 2) problems.push({ code: "decision_too_few_outgoing", severity: "error", ...at, params: { node: nodeId, count: out.length } });
  const defaults = out.filter((e) => e.isDefault);
  if (defaults.length === 0) problems.push({ code: "decision_missing_default", severity: "error", ...at });
  if (defaults.length > 1) problems.push({ code: "decision_multiple_defaults", severity: "error", ...at });
  for (const e of out) {
    const where = { edgeId: e.id, params: { edge: e.id } };
    const hasCondition = e.condition !== undefined && e.condition.trim() !== "";
    if (e.isDefault) {
      if (hasCondition) problems.push({ code: "default_has_condition", severity: "warning", ...where });
      continue;
    }
    if (!hasCondition) {
      problems.push({ code: "condition_missing", severity: "error", ...where });
      continue;
    }
    const check = checkCondition(e.condition!);
    if (!check.ok) problems.push({ code: "condition_invalid", severity: "error", edgeId: e.id, params: { edge: e.id, error: check.error } });
  }
}

function checkGate(nodeId: string, out: Edge[], problems: Problem[]): void {
  const seen = new Set<string>();
  for (const e of out) {
    if (e.outcome === undefined) {
      problems.push({ code: "gate_edge_missing_outcome", severity: "error", edgeId: e.id, params: { edge: e.id } });
    } else if (seen.has(e.outcome)) {
      problems.push({ code: "gate_duplicate_outcome", severity: "error", edgeId: e.id, params: { edge: e.id, outcome: e.outcome } });
    }
    if (e.outcome !== undefined) seen.add(e.outcome);
  }
  if (!seen.has("go")) problems.push({ code: "gate_missing_go", severity: "error", nodeId, params: { node: nodeId } });
  if (!seen.has("no-go")) problems.push({ code: "gate_missing_no_go", severity: "error", nodeId, params: { node: nodeId } });
}

function checkLanes(g: DefinitionGraph, refs: DefinitionRefs, problems: Problem[]): void {
  checkLabel(g.name, {}, problems, {});
  for (const lane of g.lanes) {
    const at = { laneId: lane.id };
    checkLabel(lane.name, at, problems, { lane: lane.id });
    const a = lane.assignee;
    if (a.type === "role" && refs.roleExists && !refs.roleExists(a.roleKey)) {
      problems.push({ code: "lane_role_missing", severity: "error", ...at, params: { lane: lane.id, role: a.roleKey } });
    }
    if (a.type === "unit" && refs.unitExists && !refs.unitExists(a.unitCode)) {
      problems.push({ code: "lane_unit_missing", severity: "error", ...at, params: { lane: lane.id, unit: a.unitCode } });
    }
  }
}

function checkLabel(label: Localised, at: Pick<Problem, "nodeId" | "laneId">, problems: Problem[], params: Record<string, string>): void {
  if (label.ar.trim() === "") problems.push({ code: "label_ar_missing", severity: "error", ...at, params });
  if (label.en.trim() === "") problems.push({ code: "label_en_missing", severity: "warning", ...at, params });
}
