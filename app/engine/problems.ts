import type { DefinitionGraph, Localised } from "./definition";

// Problems found in a definition (validate.ts) or a migration plan (migration.ts). The engine
// stays free of i18next: the UI shows t(`engine:validation.${code}`, problemParams(p, graph, lng)).
// Every code has a message in app/locales/{ar,en}/engine.json (checked by a unit test).

export const VALIDATION_CODES = [
  "schema_invalid",
  "duration_invalid",
  "duplicate_id",
  "edge_unknown_source",
  "edge_unknown_target",
  "start_missing",
  "start_multiple",
  "start_has_incoming",
  "end_missing",
  "end_has_outgoing",
  "unreachable",
  "cannot_reach_end",
  "no_outgoing",
  "multiple_outgoing",
  "decision_too_few_outgoing",
  "decision_missing_default",
  "decision_multiple_defaults",
  "condition_missing",
  "condition_invalid",
  "default_has_condition",
  "condition_outside_decision",
  "default_outside_decision",
  "gate_missing_go",
  "gate_missing_no_go",
  "gate_edge_missing_outcome",
  "gate_duplicate_outcome",
  "outcome_outside_gate",
  "split_incoming",
  "split_too_few_outgoing",
  "join_too_few_incoming",
  "join_without_split",
  "join_mixed_branches",
  "join_missing_branch",
  "split_without_join",
  "split_multiple_joins",
  "parallel_scope_mismatch",
  "end_inside_parallel",
  "lane_unknown",
  "lane_not_set",
  "lane_role_missing",
  "lane_unit_missing",
  "form_missing",
  "role_missing",
  "subprocess_missing",
  "subprocess_self",
  "action_type_missing",
  "label_ar_missing",
  "label_en_missing",
  "gate_item_label_missing",
] as const;

export const MIGRATION_CODES = [
  "migration_token_unmapped",
  "migration_target_missing",
  "migration_target_not_waiting",
  "migration_scope_mismatch",
  "migration_join_invalid",
  "migration_branch_edge_missing",
  "migration_branches_changed",
] as const;

export type ValidationCode = (typeof VALIDATION_CODES)[number];
export type MigrationCode = (typeof MIGRATION_CODES)[number];
export type ProblemCode = ValidationCode | MigrationCode;
/** All codes with a message under engine:validation.<code>. */
export const PROBLEM_CODES: readonly ProblemCode[] = [...VALIDATION_CODES, ...MIGRATION_CODES];

export interface Problem {
  code: ProblemCode;
  severity: "error" | "warning";
  nodeId?: string;
  edgeId?: string;
  laneId?: string;
  /** Interpolation values. `node`, `edge`, `lane` and `split`/`join` hold ids; problemParams turns them into names. */
  params?: Record<string, string | number>;
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === "error");
}

function pick(label: Localised | undefined, lang: "ar" | "en"): string | undefined {
  if (!label) return undefined;
  const first = lang === "ar" ? label.ar : label.en;
  const second = lang === "ar" ? label.en : label.ar;
  return first.trim() || second.trim() || undefined;
}

type GraphNames = Pick<DefinitionGraph, "nodes" | "edges" | "lanes">;

/**
 * The problem's params with ids replaced by names in the reader's language (falling back to the
 * other language, then the id), ready for t(`engine:validation.${code}`, params). For migration
 * problems pass the old version as `graph` and the new one as `targetGraph` (`target` params).
 */
export function problemParams(problem: Problem, graph: GraphNames | undefined, lang: "ar" | "en", targetGraph?: GraphNames): Record<string, string | number> {
  const params: Record<string, string | number> = { ...problem.params };
  const nameIn = (g: GraphNames | undefined, id: string) => pick(g?.nodes.find((n) => n.id === id)?.name, lang) ?? id;
  const nodeName = (id: string) => nameIn(graph, id);
  for (const key of ["node", "split", "join"] as const) {
    const value = params[key];
    if (typeof value === "string") params[key] = nodeName(value);
  }
  if (typeof params.target === "string") params.target = nameIn(targetGraph ?? graph, params.target);
  if (typeof params.edge === "string") {
    const id = params.edge;
    const e = graph?.edges.find((x) => x.id === id);
    // Unnamed edges read "source → target"; in Arabic (right to left) the arrow points left.
    const arrow = lang === "ar" ? "←" : "→";
    params.edge = pick(e?.name, lang) ?? (e ? `${nodeName(e.source)} ${arrow} ${nodeName(e.target)}` : id);
  }
  if (typeof params.lane === "string") {
    const id = params.lane;
    params.lane = pick(graph?.lanes.find((l) => l.id === id)?.name, lang) ?? id;
  }
  return params;
}
