import type { DefinitionGraph, Edge, Lane, WorkflowNode } from "~/engine/definition";
import type { Highlight } from "./svg-export";

// What changed between two versions of a definition, element by element (by id: ids are
// stable across versions because drafts are copied from the version before). A move on the
// canvas is reported apart from a change of meaning, so "moved only" does not light a node up.

export interface Changed<T> {
  id: string;
  before: T;
  after: T;
  /** Top-level fields whose value differs, e.g. ["name", "lane"]. Layout fields are listed in `layout`. */
  fields: string[];
  /** Layout-only fields that differ (position for nodes, waypoints for edges). */
  layout: string[];
}

export interface ElementDiff<T> {
  added: T[];
  removed: T[];
  /** Elements whose meaning changed (fields non-empty). */
  changed: Changed<T>[];
  /** Elements only moved on the canvas. */
  moved: Changed<T>[];
}

export interface GraphDiff {
  nodes: ElementDiff<WorkflowNode>;
  edges: ElementDiff<Edge>;
  lanes: ElementDiff<Lane>;
  /** Definition-level fields that differ (name, description, direction, lane order). */
  definition: string[];
}

const LAYOUT_FIELDS = new Set(["position", "waypoints"]);

/** Structural equality for JSON values (object key order does not matter). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => sameValue(v, bb[i]));
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function diffList<T extends { id: string }>(before: T[], after: T[]): ElementDiff<T> {
  const old = new Map(before.map((x) => [x.id, x]));
  const now = new Map(after.map((x) => [x.id, x]));
  const out: ElementDiff<T> = { added: [], removed: [], changed: [], moved: [] };
  for (const x of after) if (!old.has(x.id)) out.added.push(x);
  for (const x of before) {
    const y = now.get(x.id);
    if (!y) {
      out.removed.push(x);
      continue;
    }
    const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => k !== "id");
    const differing = keys.filter((k) => !sameValue((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]));
    const fields = differing.filter((k) => !LAYOUT_FIELDS.has(k));
    const layout = differing.filter((k) => LAYOUT_FIELDS.has(k));
    if (fields.length) out.changed.push({ id: x.id, before: x, after: y, fields, layout });
    else if (layout.length) out.moved.push({ id: x.id, before: x, after: y, fields, layout });
  }
  return out;
}

export function diffGraphs(a: DefinitionGraph, b: DefinitionGraph): GraphDiff {
  const definition: string[] = (["key", "name", "description", "direction"] as const).filter((k) => !sameValue(a[k], b[k]));
  const common = (list: { id: string }[], other: { id: string }[]) => list.map((x) => x.id).filter((id) => other.some((y) => y.id === id));
  if (!sameValue(common(a.lanes, b.lanes), common(b.lanes, a.lanes))) definition.push("laneOrder");
  return { nodes: diffList(a.nodes, b.nodes), edges: diffList(a.edges, b.edges), lanes: diffList(a.lanes, b.lanes), definition };
}

/** Highlights for drawing the two versions: removed and changed on the old one, added and changed on the new one. */
export function diffHighlights(diff: GraphDiff): { before: Map<string, Highlight>; after: Map<string, Highlight> } {
  const before = new Map<string, Highlight>();
  const after = new Map<string, Highlight>();
  for (const part of [diff.nodes, diff.edges, diff.lanes] as ElementDiff<{ id: string }>[]) {
    for (const x of part.removed) before.set(x.id, "removed");
    for (const x of part.added) after.set(x.id, "added");
    for (const c of part.changed) {
      before.set(c.id, "changed");
      after.set(c.id, "changed");
    }
  }
  return { before, after };
}

export function isEmptyDiff(diff: GraphDiff): boolean {
  const parts = [diff.nodes, diff.edges, diff.lanes] as ElementDiff<unknown>[];
  return diff.definition.length === 0 && parts.every((p) => !p.added.length && !p.removed.length && !p.changed.length && !p.moved.length);
}
