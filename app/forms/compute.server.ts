import { evaluate, parseExpression } from "feelin";

// Computed fields (`x-masar-compute`): FEEL expressions evaluated on the server only, with
// feelin (an interpreter: no eval). An expression sees the object that holds the field
// (its sibling fields), over the whole form's data, which is also available as `form`;
// so a table row's "total" can be `quantity * price` and a top-level total can be
// `sum(for row in items return row.total)`. Row computations run before top-level ones.
//
// The check at save time keeps evaluation cheap whatever the data: no ranges (`1..n`
// would loop as long as n says), no function definitions (no recursion), and at most
// MAX_ITERATIONS loops (for/some/every/filter), each over a submitted array that the
// payload guard caps at 1000 items.

export const COMPUTE_MAX_LENGTH = 1000;
const MAX_ITERATIONS = 2;

export type ComputeProblem = { code: "computeEmpty" | "computeTooLong" | "computeInvalid" | "computeNotAllowed"; detail?: string };

export function checkComputeExpression(expression: string): ComputeProblem | null {
  const source = expression.trim();
  if (source === "") return { code: "computeEmpty" };
  if (source.length > COMPUTE_MAX_LENGTH) return { code: "computeTooLong" };
  let tree;
  try {
    tree = parseExpression(source, {}, undefined);
  } catch (error) {
    return { code: "computeInvalid", detail: error instanceof Error ? error.message : String(error) };
  }
  let errorAt = -1;
  let refused: string | null = null;
  let loops = 0;
  tree.iterate({
    enter(node) {
      const name = node.type.name;
      if (node.type.isError && errorAt < 0) errorAt = node.from;
      else if (name === "FunctionDefinition") refused ??= "function";
      else if (name === "Interval" || name === "..") refused ??= "..";
      else if (name === "IterationContext" || name === "FilterExpression") loops++;
    },
  });
  if (errorAt >= 0) return { code: "computeInvalid", detail: `${errorAt + 1}` };
  if (refused) return { code: "computeNotAllowed", detail: refused };
  if (loops > MAX_ITERATIONS) return { code: "computeNotAllowed", detail: "loops" };
  return null;
}

/** Where a computed field sits: the path of its container ("*" = every array item). */
export interface ComputeSite {
  container: string[];
  key: string;
  expression: string;
  type: "number" | "integer" | "string" | "boolean";
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** The computed fields of a schema, deepest first (rows before the totals that sum them). */
export function computeSites(schema: unknown): ComputeSite[] {
  const sites: ComputeSite[] = [];
  const visit = (node: unknown, container: string[]) => {
    if (!isObject(node)) return;
    const properties = isObject(node.properties) ? node.properties : {};
    for (const [key, child] of Object.entries(properties)) {
      if (!isObject(child)) continue;
      if (typeof child["x-masar-compute"] === "string") {
        const type = child.type;
        if (type === "number" || type === "integer" || type === "string" || type === "boolean") {
          sites.push({ container, key, expression: child["x-masar-compute"], type });
        }
      }
      if (child.type === "object") visit(child, [...container, key]);
      if (child.type === "array" && isObject(child.items)) visit(child.items, [...container, key, "*"]);
    }
  };
  visit(schema, []);
  return sites.sort((a, b) => b.container.length - a.container.length);
}

function containers(data: Json, path: string[]): Json[] {
  let current: unknown[] = [data];
  for (const step of path) {
    const next: unknown[] = [];
    for (const value of current) {
      if (step === "*") {
        if (Array.isArray(value)) next.push(...value);
      } else if (isObject(value) && Object.hasOwn(value, step)) next.push(value[step]);
    }
    current = next;
  }
  return current.filter(isObject);
}

function coerce(value: unknown, type: ComputeSite["type"]): unknown {
  if (value === null || value === undefined) return undefined;
  switch (type) {
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? value : undefined;
    case "integer":
      return typeof value === "number" && Number.isFinite(value) ? Math.round(value) : undefined;
    case "boolean":
      return typeof value === "boolean" ? value : undefined;
    default:
      if (typeof value === "string") return value;
      if (typeof value === "number" || typeof value === "boolean") return String(value);
      return typeof value === "object" && "toString" in value ? String(value) : undefined;
  }
}

/**
 * Writes every computed field into `data` (mutated), replacing whatever the browser sent.
 * An expression that yields nothing usable (missing inputs, wrong type, runtime error)
 * leaves the field out rather than failing the submission.
 */
export function applyComputed(data: Json, sites: ComputeSite[]): void {
  for (const site of sites) {
    for (const container of containers(data, site.container)) {
      let result: unknown;
      try {
        result = evaluate(site.expression, { ...data, ...container, form: data }).value;
      } catch {
        result = undefined;
      }
      const value = coerce(result, site.type);
      if (value === undefined) delete container[site.key];
      else container[site.key] = value;
    }
  }
}
