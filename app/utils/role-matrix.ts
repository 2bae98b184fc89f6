import { createMongoAbility, type MongoAbility, type RawRuleOf } from "@casl/ability";

// The role editor's permission matrix ⇄ CASL rules. Pure (no server code): the server
// converts on save, the browser converts when switching between the matrix and the JSON view.

/** A rule as stored (plain JSON): what role rules look like on the wire and in the database. */
export interface Rule {
  action: string | string[];
  subject?: string | string[];
  conditions?: Record<string, unknown>;
  inverted?: boolean;
  fields?: string | string[];
  reason?: string;
}
export const MATRIX_ACTIONS = ["read", "create", "update", "delete"] as const;
export type MatrixAction = (typeof MATRIX_ACTIONS)[number];
export const SCOPES = ["none", "own", "unit", "all"] as const;
export type Scope = (typeof SCOPES)[number];
export type Matrix = Record<string, Record<MatrixAction, Scope>>;

/** Same shape as permissions.server's SubjectSpec: condition field → "user" | "unit". */
export interface MatrixSubject {
  name: string;
  fields?: Record<string, "user" | "unit">;
}

const PLACEHOLDER = { user: "${user.id}", unit: "${user.unitId}" } as const;
const SCOPE_KIND = { own: "user", unit: "unit" } as const;

/** The field an "own" / "own unit" scope conditions on: the subject's first field of that kind. */
export function scopeField(subject: MatrixSubject, scope: "own" | "unit"): string | undefined {
  return Object.entries(subject.fields ?? {}).find(([, kind]) => kind === SCOPE_KIND[scope])?.[0];
}

/** Only the scopes that mean something for the subject (no "own" on Role, say). */
export function scopesFor(subject: MatrixSubject): Scope[] {
  return SCOPES.filter((s) => s === "none" || s === "all" || scopeField(subject, s) !== undefined);
}

export function emptyMatrix(subjects: MatrixSubject[]): Matrix {
  return Object.fromEntries(subjects.map((s) => [s.name, Object.fromEntries(MATRIX_ACTIONS.map((a) => [a, "none"]))])) as Matrix;
}

/** One rule per (subject, scope), actions grouped, in subject order. */
export function matrixToRules(matrix: Matrix, subjects: MatrixSubject[]): Rule[] {
  const rules: Rule[] = [];
  for (const subject of subjects) {
    const row = matrix[subject.name];
    if (!row) continue;
    for (const scope of ["all", "unit", "own"] as const) {
      const actions = MATRIX_ACTIONS.filter((a) => row[a] === scope);
      if (!actions.length || !scopesFor(subject).includes(scope)) continue;
      const rule: Rule = { action: actions.length === 1 ? actions[0]! : [...actions], subject: subject.name };
      if (scope !== "all") {
        const field = scopeField(subject, scope)!;
        rule.conditions = { [field]: PLACEHOLDER[SCOPE_KIND[scope]] };
      }
      rules.push(rule);
    }
  }
  return rules;
}

/**
 * Splits rules into what the matrix can show and the rest ("extras", kept verbatim and
 * saved after the matrix rules). Order matters in CASL — a later `cannot` overrides an
 * earlier `can` and vice versa — so everything from the first `cannot` on stays an extra:
 * the matrix's `can` rules, all placed first, then keep their original precedence.
 * `manage` stays an extra too: it also covers actions beyond the four columns.
 */
export function rulesToMatrix(rules: Rule[], subjects: MatrixSubject[]): { matrix: Matrix; extras: Rule[] } {
  const matrix = emptyMatrix(subjects);
  const bySubject = new Map(subjects.map((s) => [s.name, s]));
  const extras: Rule[] = [];
  let afterCannot = false;
  for (const rule of rules) {
    afterCannot ||= Boolean(rule.inverted);
    const cells = afterCannot ? null : cellsOf(rule, bySubject);
    const merged = cells && merge(matrix, cells);
    if (!merged) extras.push(rule);
  }
  return { matrix, extras };
}

type Cell = [subject: string, action: MatrixAction, scope: Scope];

function cellsOf(rule: Rule, bySubject: Map<string, MatrixSubject>): Cell[] | null {
  const known = new Set(["action", "subject", "conditions", "inverted"]);
  if (Object.keys(rule).some((k) => !known.has(k)) || rule.inverted) return null;
  const actions = wrap(rule.action);
  const subjects = wrap(rule.subject);
  if (!actions.length || !subjects.length) return null;
  if (!actions.every((a): a is MatrixAction => (MATRIX_ACTIONS as readonly string[]).includes(a))) return null;
  const cells: Cell[] = [];
  for (const name of subjects) {
    const subject = typeof name === "string" ? bySubject.get(name) : undefined;
    if (!subject) return null;
    const scope = scopeOf(rule.conditions, subject);
    if (!scope) return null;
    for (const action of actions) cells.push([subject.name, action, scope]);
  }
  return cells;
}

function scopeOf(conditions: unknown, subject: MatrixSubject): Scope | null {
  if (conditions === undefined) return "all";
  if (!conditions || typeof conditions !== "object" || Array.isArray(conditions)) return null;
  const entries = Object.entries(conditions);
  if (entries.length !== 1) return null;
  const [field, value] = entries[0]!;
  for (const scope of ["own", "unit"] as const) {
    if (scopeField(subject, scope) === field && value === PLACEHOLDER[SCOPE_KIND[scope]]) return scope;
  }
  return null;
}

/** Applies all cells of one rule, or none when a cell would need two different scopes. */
function merge(matrix: Matrix, cells: Cell[]): boolean {
  const next: Cell[] = [];
  for (const [subject, action, scope] of cells) {
    const current = matrix[subject]![action];
    if (current === "none" || current === scope || scope === "all") next.push([subject, action, scope]);
    else if (current !== "all") return false; // "own" and "unit" together: not one scope
  }
  for (const [subject, action, scope] of next) matrix[subject]![action] = scope;
  return true;
}

function wrap<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Reads `cell:<Subject>:<action>` form fields; missing or unknown values count as "none". */
export function matrixFromForm(get: (name: string) => unknown, subjects: MatrixSubject[]): Matrix {
  const matrix = emptyMatrix(subjects);
  for (const subject of subjects) {
    const allowed = scopesFor(subject);
    for (const action of MATRIX_ACTIONS) {
      const value = get(cellName(subject.name, action));
      if (typeof value === "string" && (allowed as string[]).includes(value)) matrix[subject.name]![action] = value as Scope;
    }
  }
  return matrix;
}

export const cellName = (subject: string, action: MatrixAction) => `cell:${subject}:${action}`;

export interface CellHint {
  /** An extra rule grants this cell: to every record, or to some. */
  grant?: "all" | "some";
  /** An extra `cannot` rule narrows this cell. */
  limited: boolean;
}

/** What the extra rules add to or take from each cell, so the matrix does not mislead. */
export function extraHints(extras: Rule[], subjects: MatrixSubject[]): Record<string, Partial<Record<MatrixAction, CellHint>>> {
  const ability = createMongoAbility(extras as RawRuleOf<MongoAbility>[]);
  const hints: Record<string, Partial<Record<MatrixAction, CellHint>>> = {};
  for (const subject of subjects) {
    for (const action of MATRIX_ACTIONS) {
      const rules = ability.rulesFor(action, subject.name);
      if (!rules.length) continue;
      const grants = rules.filter((r) => !r.inverted);
      const hint: CellHint = { limited: rules.some((r) => r.inverted) };
      if (grants.length) hint.grant = grants.some((r) => !r.conditions) ? "all" : "some";
      (hints[subject.name] ??= {})[action] = hint;
    }
  }
  return hints;
}
