// Field errors as the server sends them (a flat list) and as rjsf shows them (an
// ErrorSchema tree), plus the labels and element ids the error summary links to.
import type { InstancePath } from "./visibility";

export interface FieldError {
  /** JSON pointer ("/items/0/amount") or dotted path ("items.0.amount"); "" = the whole form. */
  path: string;
  message: string;
}

export interface ErrorTree {
  __errors?: string[];
  [key: string]: ErrorTree | string[] | undefined;
}

/** "/items/0/amount" or "items.0.amount" → ["items", 0, "amount"]. */
export function parseErrorPath(path: string): InstancePath {
  const pointer = path.startsWith("/");
  const parts = pointer ? path.slice(1).split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~")) : path.split(".");
  return parts.filter((p) => p !== "").map((p) => (/^(0|[1-9][0-9]{0,8})$/.test(p) ? Number(p) : p));
}

export function toPointer(path: InstancePath): string {
  return path.map((p) => `/${String(p).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

/** The ErrorSchema rjsf takes as `extraErrors`. Unsafe keys are dropped, never assigned. */
export function toErrorTree(errors: FieldError[]): ErrorTree {
  const root: ErrorTree = {};
  for (const error of errors) {
    let node = root;
    const path = parseErrorPath(error.path);
    if (path.some((p) => p === "__proto__" || p === "constructor" || p === "prototype" || p === "__errors")) continue;
    for (const segment of path) {
      const key = String(segment);
      const next = node[key];
      if (next && !Array.isArray(next)) node = next;
      else {
        const created: ErrorTree = {};
        node[key] = created;
        node = created;
      }
    }
    const list = node.__errors ?? (node.__errors = []);
    if (!list.includes(error.message)) list.push(error.message);
  }
  return root;
}

export const samePath = (a: InstancePath, b: InstancePath) => a.length === b.length && a.every((s, i) => String(s) === String(b[i]));

/** The errors left once the user has changed the field at `path` (and what lies below it). */
export function withoutErrorsAt(errors: FieldError[], path: InstancePath): FieldError[] {
  return errors.filter((e) => {
    const p = parseErrorPath(e.path);
    return !(p.length >= path.length && samePath(p.slice(0, path.length), path));
  });
}

/** The id rjsf gives the field at `path` (idPrefix + path joined by "_"). */
export function fieldElementId(idPrefix: string, path: InstancePath): string {
  return [idPrefix, ...path].join("_");
}

type SchemaNode = Record<string, unknown>;
const isNode = (v: unknown): v is SchemaNode => typeof v === "object" && v !== null && !Array.isArray(v);

/** The (localised) schema node at an instance path: properties for names, items for rows. */
export function schemaAt(schema: unknown, path: InstancePath): SchemaNode | undefined {
  let node: unknown = schema;
  for (const segment of path) {
    if (!isNode(node)) return undefined;
    if (typeof segment === "number") node = node.items;
    else node = findProperty(node, segment);
  }
  return isNode(node) ? node : undefined;
}

// A property may be declared in the object itself or in a branch of its conditions.
function findProperty(node: SchemaNode, name: string): unknown {
  const own = isNode(node.properties) ? node.properties[name] : undefined;
  if (own !== undefined) return own;
  const branches = Array.isArray(node.allOf) ? node.allOf : [];
  for (const branch of branches) {
    if (!isNode(branch)) continue;
    for (const part of [branch, branch.then, branch.else]) {
      if (isNode(part) && isNode(part.properties) && part.properties[name] !== undefined) return part.properties[name];
    }
  }
  return undefined;
}

export interface LabelPart {
  kind: "field" | "row";
  text: string;
  /** 1-based row number for kind "row". */
  row?: number;
}

/** What the summary calls the field at `path`: its ancestors' titles and row numbers. */
export function labelParts(schema: unknown, path: InstancePath): LabelPart[] {
  const parts: LabelPart[] = [];
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    if (typeof segment === "number") {
      parts.push({ kind: "row", text: "", row: segment + 1 });
      continue;
    }
    const node = schemaAt(schema, path.slice(0, i + 1));
    const title = node && typeof node.title === "string" && node.title !== "" ? node.title : segment;
    parts.push({ kind: "field", text: title });
  }
  return parts;
}

/**
 * The leaf paths at which `after` differs from `before` (a changed array length reports the
 * array itself too). Used to tell which fields the user has touched.
 */
export function changedPaths(before: unknown, after: unknown, path: InstancePath = [], out: InstancePath[] = []): InstancePath[] {
  if (before === after) return out;
  if (Array.isArray(before) && Array.isArray(after)) {
    if (before.length !== after.length) out.push(path);
    const n = Math.max(before.length, after.length);
    for (let i = 0; i < n; i++) changedPaths(before[i], after[i], [...path, i], out);
    return out;
  }
  if (isNode(before) && isNode(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) changedPaths(before[key], after[key], [...path, key], out);
    return out;
  }
  out.push(path);
  return out;
}

/** Whether one path lies on the other's branch (equal, ancestor or descendant). */
export function related(a: InstancePath, b: InstancePath): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (String(a[i]) !== String(b[i])) return false;
  return true;
}

/** The position of each property in its object as the form shows it (ui:order, then schema). */
function propertyOrder(schema: SchemaNode | undefined, uiSchema: unknown): string[] {
  const names = schema && isNode(schema.properties) ? Object.keys(schema.properties) : [];
  const order = isNode(uiSchema) && Array.isArray(uiSchema["ui:order"]) ? (uiSchema["ui:order"] as unknown[]).filter((n): n is string => typeof n === "string") : [];
  if (order.length === 0) return names;
  const rest = names.filter((n) => !order.includes(n));
  return order.flatMap((n) => (n === "*" ? rest : names.includes(n) ? [n] : []));
}

/** Sorts errors into the order the fields appear on the form. */
export function sortByFormOrder(errors: FieldError[], schema: unknown, uiSchema: unknown): FieldError[] {
  const rank = (path: InstancePath): number[] => {
    const ranks: number[] = [];
    let node = isNode(schema) ? schema : undefined;
    let ui: unknown = uiSchema;
    for (const segment of path) {
      if (typeof segment === "number") {
        ranks.push(segment);
        node = node && isNode(node.items) ? node.items : undefined;
        ui = isNode(ui) ? ui.items : undefined;
        continue;
      }
      const order = propertyOrder(node, ui);
      const index = order.indexOf(segment);
      ranks.push(index === -1 ? order.length : index);
      node = node ? (findProperty(node, segment) as SchemaNode | undefined) : undefined;
      node = isNode(node) ? node : undefined;
      ui = isNode(ui) ? ui[segment] : undefined;
    }
    return ranks;
  };
  const keyed = errors.map((e, i) => ({ e, i, r: rank(parseErrorPath(e.path)) }));
  keyed.sort((a, b) => {
    const n = Math.max(a.r.length, b.r.length);
    for (let k = 0; k < n; k++) {
      const d = (a.r[k] ?? -1) - (b.r[k] ?? -1);
      if (d !== 0) return d;
    }
    return a.i - b.i;
  });
  return keyed.map((k) => k.e);
}
