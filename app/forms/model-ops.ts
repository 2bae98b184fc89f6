// Edits of the builder model as pure functions (each returns a new tree), so the builder's
// undo history is a list of snapshots and every edit is unit-tested.
import { fieldType, newId } from "./catalogue";
import { childPath, walkFields, type BuilderModel, type Condition, type FieldNode, type FieldTypeId } from "./model";

export interface Located {
  node: FieldNode;
  /** The enclosing container, null at the top level. */
  parent: FieldNode | null;
  index: number;
  path: string;
  parents: FieldNode[];
}

export function locate(fields: FieldNode[], id: string): Located | null {
  let found: Located | null = null;
  walkFields(fields, (node, path, parents) => {
    if (!found && node.id === id) {
      const parent = parents[parents.length - 1] ?? null;
      const siblings = parent ? parent.children! : fields;
      found = { node, parent, index: siblings.indexOf(node), path, parents };
    }
  });
  return found;
}

export const pathOf = (fields: FieldNode[], id: string): string | null => locate(fields, id)?.path ?? null;

/** Can a field of `type` go inside `parent` (null = top level)? Table rows hold plain fields only. */
export function canContain(parent: FieldNode | null, type: FieldTypeId): boolean {
  if (!parent) return true;
  if (parent.type === "table") return !fieldType(type).container;
  return parent.type === "section";
}

function mapChildren(fields: FieldNode[], parentId: string | null, fn: (list: FieldNode[]) => FieldNode[]): FieldNode[] {
  if (parentId === null) return fn(fields);
  return fields.map((n) => (n.id === parentId ? { ...n, children: fn(n.children ?? []) } : n.children ? { ...n, children: mapChildren(n.children, parentId, fn) } : n));
}

/** A key not used by `siblings` (other than `self`), based on `key`. */
export function uniqueKey(key: string, siblings: FieldNode[], self?: FieldNode): string {
  const taken = new Set(siblings.filter((s) => s !== self).map((s) => s.key));
  if (!taken.has(key)) return key;
  const base = key.replace(/\d+$/, "");
  let n = 2;
  while (taken.has(`${base}${n}`)) n += 1;
  return `${base}${n}`;
}

/** Conditions point at paths: when a field's path changes, follow it everywhere. */
function rewritePaths(fields: FieldNode[], from: string, to: string): FieldNode[] {
  if (from === to) return fields;
  const move = (c: Condition): Condition => {
    if (c.field === from) return { ...c, field: to };
    if (c.field.startsWith(`${from}.`)) return { ...c, field: to + c.field.slice(from.length) };
    return c;
  };
  const visit = (list: FieldNode[]): FieldNode[] =>
    list.map((n) => {
      const next: FieldNode = { ...n };
      if (n.visibleWhen) next.visibleWhen = move(n.visibleWhen);
      if (typeof n.required === "object") next.required = move(n.required);
      if (n.children) next.children = visit(n.children);
      return next;
    });
  return visit(fields);
}

export function insertField(fields: FieldNode[], node: FieldNode, parentId: string | null, index?: number): FieldNode[] {
  return mapChildren(fields, parentId, (list) => {
    const placed = { ...node, key: uniqueKey(node.key, list) };
    const at = index === undefined ? list.length : Math.max(0, Math.min(index, list.length));
    return [...list.slice(0, at), placed, ...list.slice(at)];
  });
}

export function removeField(fields: FieldNode[], id: string): FieldNode[] {
  const here = locate(fields, id);
  if (!here) return fields;
  return mapChildren(fields, here.parent?.id ?? null, (list) => list.filter((n) => n.id !== id));
}

export function updateField(fields: FieldNode[], id: string, patch: (node: FieldNode) => FieldNode): FieldNode[] {
  const here = locate(fields, id);
  if (!here) return fields;
  const before = here.path;
  const updated = mapChildren(fields, here.parent?.id ?? null, (list) => list.map((n) => (n.id === id ? patch(n) : n)));
  const after = locate(updated, id)!.path;
  return rewritePaths(updated, before, after);
}

/**
 * Moves a field to `index` of `parentId`'s children (index counted without the field
 * itself). Refused (unchanged) for a container into itself or a type the target cannot hold.
 */
export function moveField(fields: FieldNode[], id: string, parentId: string | null, index: number): FieldNode[] {
  const here = locate(fields, id);
  if (!here) return fields;
  const target = parentId === null ? null : locate(fields, parentId);
  if (parentId !== null && (!target || target.node.id === id || target.parents.some((p) => p.id === id))) return fields;
  if (!canContain(target?.node ?? null, here.node.type)) return fields;
  const before = here.path;
  const without = removeField(fields, id);
  const placed = insertField(without, here.node, parentId, index);
  const after = locate(placed, id)!.path;
  return rewritePaths(placed, before, after);
}

/** Moves a field one place up (-1) or down (+1) among its siblings. */
export function shiftField(fields: FieldNode[], id: string, delta: -1 | 1): FieldNode[] {
  const here = locate(fields, id);
  if (!here) return fields;
  const siblings = here.parent ? here.parent.children! : fields;
  const to = here.index + delta;
  if (to < 0 || to >= siblings.length) return fields;
  return moveField(fields, id, here.parent?.id ?? null, to);
}

function cloneWithNewIds(node: FieldNode): FieldNode {
  return { ...structuredClone(node), id: newId(), ...(node.children ? { children: node.children.map(cloneWithNewIds) } : {}) };
}

/** A copy right after the original, with fresh ids and a free key; returns the copy's id too. */
export function duplicateField(fields: FieldNode[], id: string): { fields: FieldNode[]; id: string | null } {
  const here = locate(fields, id);
  if (!here) return { fields, id: null };
  const copy = cloneWithNewIds(here.node);
  return { fields: insertField(fields, copy, here.parent?.id ?? null, here.index + 1), id: copy.id };
}

/**
 * Fields a condition of field `id` may test: plain fields of a type that can be tested,
 * beside it or beside one of its containers (what the schema's if/then can express).
 */
export function conditionSources(fields: FieldNode[], id: string): { path: string; node: FieldNode }[] {
  const here = locate(fields, id);
  if (!here) return [];
  const levels: { list: FieldNode[]; path: string }[] = [{ list: fields, path: "" }];
  here.parents.forEach((p, i) => levels.push({ list: p.children ?? [], path: here.parents.slice(0, i + 1).map((q) => q.key).join(".") }));
  return levels.flatMap(({ list, path }) =>
    list.filter((n) => n.id !== id && !n.children && fieldType(n.type).conditionSource).map((n) => ({ path: childPath(path, n.key), node: n })),
  );
}

/** Fields whose conditions test `path` (to warn before deleting it). */
export function dependents(fields: FieldNode[], path: string): FieldNode[] {
  const out: FieldNode[] = [];
  const hit = (c: Condition | undefined) => !!c && (c.field === path || c.field.startsWith(`${path}.`));
  walkFields(fields, (n) => {
    if (hit(n.visibleWhen) || (typeof n.required === "object" && hit(n.required))) out.push(n);
  });
  return out;
}

export function withFields(model: BuilderModel, fields: FieldNode[]): BuilderModel {
  return { ...model, fields };
}
