// The field catalogue (catalogue.ts) and the two-way mapping between the builder's model
// and a stored form version { schema, uiSchema, translations } — see the shared forms
// conventions: texts are "t:<fieldPath>.<part>" keys into flat per-language tables,
// conditions are allOf if/then entries plus uiSchema "x-masar-visibleWhen".
//
// Reading is lossless: keywords the builder does not edit are kept on the field
// (FieldNode.extra), and fragments no type fits become "raw" fields.
import { fieldType } from "./catalogue";
import { conditionToIf, conditionToUi } from "./conditions";
import { ERRORS, FORM_TEXT_PATH, obj, omit, VISIBLE_WHEN, type Json } from "./json";
import { childPath, walkFields, type BuilderModel, type Condition, type ErrorKeyword, type FieldExtra, type FieldNode, type FormVersionJson, type Lang, type Texts } from "./model";

export { FIELD_TYPES, PALETTE_TYPES, fieldType, newField, newId, type FieldTypeDef, type PropSpec } from "./catalogue";
export { normaliseCondition } from "./conditions";
export { deepEqual, ERRORS, FORM_TEXT_PATH, VISIBLE_WHEN } from "./json";
export { formToModel, FormImportError } from "./form-reader";
export type { BuilderModel, Condition, FieldNode, FieldProps, FieldTypeId, FormVersionJson, Lang, Option, Texts } from "./model";

// ---------------------------------------------------------------- model → form

interface Index {
  /** path → node and its enclosing containers. */
  byPath: Map<string, { node: FieldNode; parents: FieldNode[] }>;
}

function indexModel(fields: FieldNode[]): Index {
  const byPath = new Map<string, { node: FieldNode; parents: FieldNode[] }>();
  walkFields(fields, (node, path, parents) => byPath.set(path, { node, parents }));
  return { byPath };
}

const parentPath = (path: string) => (path.includes(".") ? path.slice(0, path.lastIndexOf(".")) : "");

/** Where a conditional requirement goes: the object holding the tested field, and below it the chain to the field. */
function placeRequirement(index: Index, path: string, cond: Condition): { container: string; then: Json } | null {
  const entry = index.byPath.get(path);
  const source = index.byPath.get(cond.field);
  if (!entry || !source || cond.field === path || source.node.children) return null;
  const container = parentPath(cond.field);
  const chain = entry.parents.map((p, i) => ({ node: p, path: entry.parents.slice(0, i + 1).map((q) => q.key).join(".") }));
  const start = container === "" ? 0 : chain.findIndex((c) => c.path === container) + 1;
  if (container !== "" && start === 0) return null; // the tested field is not beside the field or one of its containers
  let then: Json = { required: [entry.node.key] };
  for (const link of chain.slice(start).reverse()) {
    then = { properties: { [link.node.key]: link.node.type === "table" ? { items: then } : then } };
  }
  return { container, then };
}

function mergeThen(a: Json, b: Json): Json {
  const out: Json = { ...a };
  if (b.required) out.required = [...((a.required as string[]) ?? []), ...(b.required as string[])];
  if (b.items) out.items = a.items ? mergeThen(a.items as Json, b.items as Json) : b.items;
  if (b.properties) {
    const props: Json = { ...((a.properties as Json) ?? {}) };
    for (const [k, v] of Object.entries(b.properties as Json)) props[k] = props[k] ? mergeThen(props[k] as Json, v as Json) : v;
    out.properties = props;
  }
  return out;
}

class Writer {
  translations: Record<Lang, Record<string, string>> = { ar: {}, en: {} };
  visible: Json = {};
  /** container path → condition (JSON) → { key, condition, then } */
  requirements = new Map<string, Map<string, { key: string; cond: Condition; then: Json }>>();

  constructor(private index: Index) {
    for (const [path, { node }] of index.byPath) {
      if (node.required === false) continue;
      const cond = node.required === true ? node.visibleWhen : node.required;
      if (!cond) continue;
      const placed = placeRequirement(index, path, cond);
      if (!placed) continue; // a dangling condition (checkModel reports it) requires nothing
      const key = cond.field.slice(cond.field.lastIndexOf(".") + 1);
      const byCond = this.requirements.get(placed.container) ?? new Map();
      const id = JSON.stringify(conditionToIf(key, cond));
      const prev = byCond.get(id);
      byCond.set(id, { key, cond, then: prev ? mergeThen(prev.then, placed.then) : placed.then });
      this.requirements.set(placed.container, byCond);
    }
  }

  text(key: string, t: Texts): string | undefined {
    if (!t.ar && !t.en) return undefined;
    if (t.ar) this.translations.ar[key] = t.ar;
    if (t.en) this.translations.en[key] = t.en;
    return `t:${key}`;
  }

  /** properties/required/allOf of an object and its uiSchema (order + children). */
  container(fields: FieldNode[], path: string, extra: { schema?: Json; ui?: Json } = {}): { schema: Json; ui: Json } {
    const properties: Json = {};
    const ui: Json = { "ui:order": fields.map((f) => f.key) };
    const required: string[] = [];
    for (const node of fields) {
      const p = childPath(path, node.key);
      const out = this.node(node, p);
      properties[node.key] = out.schema;
      if (Object.keys(out.ui).length) ui[node.key] = out.ui;
      if (node.required === true && !node.visibleWhen) required.push(node.key);
    }
    const allOf = [...(this.requirements.get(path)?.values() ?? [])].map((r) => ({ if: conditionToIf(r.key, r.cond), then: r.then }));
    const { required: extraRequired, allOf: extraAllOf, ...extraSchema } = extra.schema ?? {};
    const allRequired = [...required, ...(Array.isArray(extraRequired) ? (extraRequired as string[]) : [])];
    const allAllOf = [...allOf, ...(Array.isArray(extraAllOf) ? extraAllOf : [])];
    const schema: Json = { type: "object", properties, ...extraSchema };
    if (allRequired.length) schema.required = allRequired;
    if (allAllOf.length) schema.allOf = allAllOf;
    return { schema, ui: { ...ui, ...(extra.ui ?? {}) } };
  }

  node(node: FieldNode, path: string): { schema: Json; ui: Json } {
    const { schema, ui } = this.fragment(node, path);
    if (node.props.options) this.optionTitles(node, path, schema);
    const errors: Json = {};
    for (const [kw, texts] of Object.entries(node.errors) as [ErrorKeyword, Texts][]) {
      const key = this.text(`${path}.errors.${kw}`, texts);
      if (key) errors[kw] = key;
    }
    if (Object.keys(errors).length) schema[ERRORS] = errors;
    const placeholder = this.text(`${path}.placeholder`, node.placeholder);
    if (placeholder) ui["ui:placeholder"] = placeholder;
    if (node.visibleWhen) this.visible[path] = conditionToUi(node.visibleWhen);
    const title = this.text(`${path}.title`, node.label);
    const description = this.text(`${path}.description`, node.description);
    return { schema: { ...(title ? { title } : {}), ...(description ? { description } : {}), ...schema }, ui };
  }

  /** The type's fragment with the kept extras; containers with their children. */
  private fragment(node: FieldNode, path: string): { schema: Json; ui: Json } {
    const extra: FieldExtra = node.extra ?? {};
    if (node.type === "section") return this.container(node.children ?? [], path, extra);
    const written = node.type === "raw" ? { schema: {}, ui: {} } : fieldType(node.type).write(node.props);
    const schema: Json = { ...written.schema, ...(extra.schema ?? {}) };
    const ui: Json = { ...written.ui, ...omit(extra.ui ?? {}, ["ui:options"]) };
    const options = { ...(obj(written.ui["ui:options"]) ?? {}), ...(obj(extra.ui?.["ui:options"]) ?? {}) };
    if (Object.keys(options).length) ui["ui:options"] = options;
    if (node.type === "table") {
      const row = this.container(node.children ?? [], path, { schema: extra.items, ui: extra.itemsUi });
      schema.items = row.schema;
      ui.items = row.ui;
    }
    return { schema, ui };
  }

  private optionTitles(node: FieldNode, path: string, schema: Json): void {
    const items = node.type === "multiSelect" ? obj(schema.items) : undefined;
    const list = (items ? items.oneOf : schema.oneOf) as Json[] | undefined;
    if (!Array.isArray(list)) return;
    const labelled = list.map((entry) => {
      const option = node.props.options!.find((o) => o.value === entry.const);
      const title = option && this.text(`${path}.options.${option.value}`, option.label);
      return title ? { ...entry, title } : entry;
    });
    if (items) schema.items = { ...items, oneOf: labelled };
    else schema.oneOf = labelled;
  }
}

/** The stored form version for a builder model. */
export function modelToForm(model: BuilderModel): FormVersionJson {
  const writer = new Writer(indexModel(model.fields));
  const { translations: extraTranslations, ...rootExtra } = model.extra ?? {};
  const root = writer.container(model.fields, "", rootExtra);
  const title = writer.text(`${FORM_TEXT_PATH}.title`, model.title);
  const description = writer.text(`${FORM_TEXT_PATH}.description`, model.description);
  const schema: Json = { ...(title ? { title } : {}), ...(description ? { description } : {}), ...root.schema };
  const uiSchema: Json = { ...root.ui };
  if (Object.keys(writer.visible).length) uiSchema[VISIBLE_WHEN] = writer.visible;
  const translations = {
    ar: { ...(extraTranslations?.ar ?? {}), ...writer.translations.ar },
    en: { ...(extraTranslations?.en ?? {}), ...writer.translations.en },
  };
  return { schema, uiSchema, translations };
}

