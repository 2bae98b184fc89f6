// Conditions ("show/require this field when <field> equals …") in their three shapes:
// the builder's Condition, the uiSchema's "x-masar-visibleWhen" entry the renderer reads,
// and the JSON Schema `if` the server validates with.
import type { Condition, ConditionValue } from "./model";

type Json = Record<string, unknown>;

const isValue = (v: unknown): v is ConditionValue => typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));

/** "equals true" and "is true" are the same test; keep one spelling so models compare equal. */
export function normaliseCondition(c: Condition): Condition {
  if (c.op === "isTrue" || (c.op === "equals" && c.value === true)) return { field: c.field, op: "isTrue" };
  return { field: c.field, op: c.op, value: c.value ?? "" };
}

/**
 * uiSchema form, as the renderer (components/form-renderer/visibility.ts) reads it:
 * { field, equals: v } (the conventions' short shape; "is true" is equals: true) and
 * { field, op: "notEquals", value: v }.
 */
export function conditionToUi(c: Condition): Json {
  if (c.op === "isTrue") return { field: c.field, equals: true };
  return c.op === "notEquals" ? { field: c.field, op: "notEquals", value: c.value ?? "" } : { field: c.field, equals: c.value ?? "" };
}

/** Reads the shapes above and the long form { field, op, value }; null for anything else. */
export function conditionFromUi(v: unknown): Condition | null {
  if (!v || typeof v !== "object" || Array.isArray(v)) return null;
  const o = v as Json;
  const keys = Object.keys(o).sort().join(",");
  if (typeof o.field !== "string" || !o.field) return null;
  if (keys === "equals,field" && isValue(o.equals)) return normaliseCondition({ field: o.field, op: "equals", value: o.equals });
  if (keys === "field,notEquals" && isValue(o.notEquals)) return { field: o.field, op: "notEquals", value: o.notEquals };
  if (keys === "field,op" && o.op === "isTrue") return { field: o.field, op: "isTrue" };
  if (keys === "field,op,value" && (o.op === "equals" || o.op === "notEquals") && isValue(o.value)) return normaliseCondition({ field: o.field, op: o.op, value: o.value });
  return null;
}

/** The `if` of an allOf entry testing property `key` of the object the entry sits in. */
export function conditionToIf(key: string, c: Condition): Json {
  const test = { properties: { [key]: { const: c.op === "isTrue" ? true : (c.value ?? "") } }, required: [key] };
  return c.op === "notEquals" ? { not: test } : test;
}

/** Reads an `if` written by conditionToIf; anything else is not a builder condition. */
export function conditionFromIf(v: unknown): { key: string; op: Condition["op"]; value?: ConditionValue } | null {
  if (!v || typeof v !== "object" || Array.isArray(v)) return null;
  const o = v as Json;
  const negated = Object.keys(o).length === 1 && o.not !== undefined;
  const test = (negated ? o.not : o) as Json;
  if (!test || typeof test !== "object" || Object.keys(test).sort().join(",") !== "properties,required") return null;
  const props = test.properties as Json;
  const required = test.required;
  if (!props || typeof props !== "object" || Object.keys(props).length !== 1) return null;
  const key = Object.keys(props)[0]!;
  if (!Array.isArray(required) || required.length !== 1 || required[0] !== key) return null;
  const inner = props[key] as Json;
  if (!inner || typeof inner !== "object" || Object.keys(inner).join(",") !== "const" || !isValue(inner.const)) return null;
  if (negated) return { key, op: "notEquals", value: inner.const };
  return inner.const === true ? { key, op: "isTrue" } : { key, op: "equals", value: inner.const };
}
