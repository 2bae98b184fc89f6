// Conditional visibility of form fields (uiSchema "x-masar-visibleWhen").
//
// The uiSchema maps a field's dotted path to a condition on another field:
//   "x-masar-visibleWhen": { "spouse.name": { field: "married", op: "isTrue" },
//                            "items.reason": { field: "items.kind", equals: "other" } }
// A condition path below a repeating table ("items.kind") means "the same row" for a
// target in that table. A field whose condition is false is not rendered, and its value
// is removed before the data is sent (the server validates what it receives).
// Pure functions, shared by the renderer, the filling page and the print view.

export type PathSegment = string | number;
export type InstancePath = PathSegment[];

export interface VisibilityCondition {
  field: string;
  /** The builder's shape: { field, op, value }. */
  op?: "equals" | "notEquals" | "isTrue";
  value?: unknown;
  /** The short shapes: { field, equals } and { field, notEquals }. */
  equals?: unknown;
  notEquals?: unknown;
}

export type VisibilityRules = Record<string, VisibilityCondition>;

const RULES_KEY = "x-masar-visibleWhen";

/** The rules of a uiSchema, ignoring anything malformed (a bad rule never hides a field). */
export function visibilityRules(uiSchema: unknown): VisibilityRules {
  const raw = isRecord(uiSchema) ? uiSchema[RULES_KEY] : undefined;
  if (!isRecord(raw)) return {};
  const rules: VisibilityRules = {};
  for (const [target, condition] of Object.entries(raw)) {
    if (isRecord(condition) && typeof condition.field === "string" && condition.field !== "") {
      rules[target] = condition as unknown as VisibilityCondition;
    }
  }
  return rules;
}

/** Whether `actual` satisfies the condition. Empty values never equal anything. */
export function conditionHolds(condition: VisibilityCondition, actual: unknown): boolean {
  const short = condition.op === undefined;
  const op = condition.op ?? (short && "notEquals" in condition ? "notEquals" : "equals");
  const expected = short ? (op === "notEquals" ? condition.notEquals : condition.equals) : condition.value;
  if (op === "isTrue") return actual === true;
  const same = actual !== undefined && actual !== null && actual !== "" && looselyEqual(actual, expected);
  return op === "notEquals" ? !same : same;
}

// A select stores strings while a condition typed in the builder may hold a number (or
// the reverse); compare scalars by their text so "2" and 2 agree.
function looselyEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const scalar = (v: unknown) => typeof v === "string" || typeof v === "number" || typeof v === "boolean";
  return scalar(a) && scalar(b) && String(a) === String(b);
}

export function getAt(data: unknown, path: InstancePath): unknown {
  let current: unknown = data;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === "number") current = current[segment];
    else if (isRecord(current) && typeof segment === "string" && Object.hasOwn(current, segment)) current = current[segment];
    else return undefined;
  }
  return current;
}

/**
 * Every concrete instance path a dotted field path stands for in `data`: "items.amount"
 * with three rows gives items.0.amount … items.2.amount. Paths whose parent is missing
 * are still returned for non-array steps (an absent section holds a hidden field too).
 */
export function expandFieldPath(data: unknown, fieldPath: string): InstancePath[] {
  const names = fieldPath.split(".").filter(Boolean);
  let paths: InstancePath[] = [[]];
  for (const name of names) {
    const next: InstancePath[] = [];
    for (const path of paths) {
      const here = getAt(data, path);
      if (Array.isArray(here)) here.forEach((_, index) => next.push([...path, index, name]));
      else next.push([...path, name]);
    }
    paths = next;
  }
  return paths;
}

/**
 * The concrete path of a condition's field, seen from a concrete target path: array
 * indices of the table the two share are copied from the target ("the same row").
 */
export function resolveConditionPath(target: InstancePath, conditionField: string): InstancePath {
  const names = conditionField.split(".").filter(Boolean);
  const resolved: InstancePath = [];
  let t = 0;
  let shared = true;
  names.forEach((name, i) => {
    if (shared && target[t] === name) {
      resolved.push(name);
      t += 1;
      // Inside a shared table, keep to the target's row when the condition goes deeper.
      const row = target[t];
      if (typeof row === "number" && i < names.length - 1) {
        resolved.push(row);
        t += 1;
      }
      return;
    }
    shared = false;
    resolved.push(name);
  });
  return resolved;
}

export const pathKey = (path: InstancePath): string => path.join("\u001f");

/**
 * The set (as path keys) of concrete instance paths hidden by the rules for `data`.
 * A field is hidden when its own condition is false or when the field its condition
 * reads is itself hidden (the chain), or when an enclosing field is hidden.
 */
export function hiddenPaths(rules: VisibilityRules, data: unknown): Set<string> {
  const hidden = new Set<string>();
  const entries = Object.entries(rules);
  // Chains (A shows B, B shows C) settle in at most one pass per rule.
  for (let pass = 0; pass <= entries.length; pass++) {
    let changed = false;
    for (const [target, condition] of entries) {
      for (const path of expandFieldPath(data, target)) {
        const key = pathKey(path);
        if (hidden.has(key)) continue;
        const source = resolveConditionPath(path, condition.field);
        if (isHiddenPath(hidden, source) || !conditionHolds(condition, getAt(data, source))) {
          hidden.add(key);
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  return hidden;
}

/** Whether `path` or any of its ancestors is in the hidden set. */
export function isHiddenPath(hidden: Set<string>, path: InstancePath): boolean {
  if (hidden.size === 0) return false;
  for (let length = path.length; length > 0; length--) {
    if (hidden.has(pathKey(path.slice(0, length)))) return true;
  }
  return false;
}

/** A copy of `data` without the values of hidden fields (what the renderer submits). */
export function stripHidden<T>(data: T, rules: VisibilityRules): T {
  if (Object.keys(rules).length === 0) return data;
  const hidden = hiddenPaths(rules, data);
  if (hidden.size === 0) return data;
  return strip(data, [], hidden) as T;
}

function strip(value: unknown, path: InstancePath, hidden: Set<string>): unknown {
  if (Array.isArray(value)) return value.map((item, index) => strip(item, [...path, index], hidden));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, key];
    if (hidden.has(pathKey(childPath))) continue;
    out[key] = strip(child, childPath, hidden);
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
