// Stored (or imported) { schema, uiSchema, translations } → the builder's model. Used through
// app/forms/fields.ts (formToModel). Any JSON Schema whose root is an object is accepted:
// plain titles become texts in both languages, string enums become labelled options, and
// whatever the builder does not edit is kept (FieldNode.extra, "raw" fields), so that
// modelToForm(formToModel(x)) validates the same data as x.
import { fieldType, READ_ORDER } from "./catalogue";
import { conditionFromIf, conditionFromUi } from "./conditions";
import { deepEqual, ERRORS, obj, omit, VISIBLE_WHEN, type Json } from "./json";
import { childPath, emptyTexts, walkFields, type BuilderModel, type Condition, type ErrorKeyword, type FieldExtra, type FieldNode, type FieldTypeId, type Lang, type Texts } from "./model";

export class FormImportError extends Error {
  constructor(public code: "notObject" | "notJson") {
    super(code === "notObject" ? "The form's schema must describe an object (type: object with properties)" : "Not JSON");
  }
}

type Translations = Record<Lang, Record<string, string>>;

const ERROR_KEYWORDS: readonly ErrorKeyword[] = ["required", "minLength", "maxLength", "pattern", "minimum", "maximum", "format", "minItems", "maxItems", "const", "multipleOf"];
const CONTAINER_KEYS = ["type", "properties", "required", "allOf"];
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");
const nonEmpty = <T extends Json>(o: T): T | undefined => (Object.keys(o).length ? o : undefined);

/**
 * Schema keywords of `orig` beyond what the type writes, or null if the type writes a
 * keyword that `orig` lacks or holds differently (then it is not this type). Option titles
 * are texts and are compared without.
 */
function schemaRest(orig: Json, written: Json): Json | null {
  const strip = (o: Json): Json => {
    const out = { ...o };
    if (Array.isArray(out.oneOf)) out.oneOf = out.oneOf.map((e) => (obj(e) ? omit(e as Json, ["title"]) : e));
    const items = obj(out.items);
    if (items && Array.isArray(items.oneOf)) out.items = { ...items, oneOf: items.oneOf.map((e) => (obj(e) ? omit(e as Json, ["title"]) : e)) };
    return out;
  };
  const a = strip(orig);
  for (const [k, v] of Object.entries(written)) if (!deepEqual(a[k], v)) return null;
  return omit(orig, Object.keys(written));
}

/**
 * uiSchema entries of `orig` beyond what the type writes. The type may add presentation
 * (a Masar widget for an imported date) but not contradict what is there.
 */
function uiRest(orig: Json, written: Json): Json | null {
  const rest = omit(orig, Object.keys(written));
  for (const [k, v] of Object.entries(written)) {
    if (orig[k] === undefined) continue;
    if (k === "ui:options" && obj(orig[k]) && obj(v)) {
      const options = obj(orig[k])!;
      if (Object.entries(v as Json).some(([ok, ov]) => options[ok] !== undefined && !deepEqual(options[ok], ov))) return null;
      const left = omit(options, Object.keys(v as Json));
      if (Object.keys(left).length) rest["ui:options"] = left;
    } else if (!deepEqual(orig[k], v)) return null;
  }
  return rest;
}

/** String enums become oneOf options (labels: enumNames / ui:enumNames, else the value). */
function enumToOptions(s: Json, ui: Json): { s: Json; ui: Json } {
  const convert = (target: Json, names: unknown): Json | null => {
    if (target.type !== "string" || !isStringList(target.enum) || target.enum.length === 0 || target.oneOf !== undefined) return null;
    const labels = isStringList(names) ? names : isStringList(target.enumNames) ? target.enumNames : [];
    const oneOf = target.enum.map((v, i) => ({ const: v, title: labels[i] ?? v }));
    return { ...omit(target, ["enum", "enumNames"]), oneOf };
  };
  const direct = convert(s, ui["ui:enumNames"]);
  if (direct) return { s: direct, ui: omit(ui, ["ui:enumNames"]) };
  const items = obj(s.items);
  const inner = s.type === "array" && items ? convert(items, undefined) : null;
  return inner ? { s: { ...s, items: inner }, ui } : { s, ui };
}

class Reader {
  constructor(
    private tr: Translations,
    private visible: Json,
  ) {}

  texts(v: unknown): Texts {
    if (typeof v !== "string") return emptyTexts();
    if (!v.startsWith("t:")) return { ar: v, en: v };
    const key = v.slice(2);
    return { ar: this.tr.ar[key] ?? "", en: this.tr.en[key] ?? "" };
  }

  container(schema: Json, ui: Json, path: string): { fields: FieldNode[]; extra: FieldExtra } {
    const props = obj(schema.properties) ?? {};
    const keys = Object.keys(props);
    const order = isStringList(ui["ui:order"]) ? ui["ui:order"] : [];
    const listed = order.filter((k) => k !== "*" && keys.includes(k));
    const rest = keys.filter((k) => !listed.includes(k));
    const star = order.indexOf("*");
    const ordered = star >= 0 ? [...listed.slice(0, star), ...rest, ...listed.slice(star)] : [...listed, ...rest];
    const fields = ordered.map((key) => this.node(key, props[key], obj(ui[key]) ?? {}, childPath(path, key)));

    const required = isStringList(schema.required) ? schema.required : [];
    const extraRequired = required.filter((k) => !keys.includes(k));
    for (const f of fields) if (required.includes(f.key)) f.required = true;
    const extraAllOf = Array.isArray(schema.allOf) ? schema.allOf.filter((entry) => !this.requirement(entry, fields, path)) : [];

    const extraSchema: Json = omit(schema, CONTAINER_KEYS);
    if (extraRequired.length) extraSchema.required = extraRequired;
    if (extraAllOf.length) extraSchema.allOf = extraAllOf;
    if (schema.required !== undefined && !isStringList(schema.required)) extraSchema.required = schema.required;
    const extraUi = omit(ui, ["ui:order", ...keys]);
    if (order.length && !isStringList(ui["ui:order"])) extraUi["ui:order"] = ui["ui:order"];
    return { fields, extra: { schema: nonEmpty(extraSchema), ui: nonEmpty(extraUi) } };
  }

  /** Applies an allOf entry written for conditional requirements; false if it is not one. */
  requirement(entry: unknown, fields: FieldNode[], path: string): boolean {
    const e = obj(entry);
    if (!e || Object.keys(e).sort().join(",") !== "if,then") return false;
    const test = conditionFromIf(e.if);
    const source = test && fields.find((f) => f.key === test.key);
    if (!test || !source || !fieldType(source.type).conditionSource) return false;
    const cond: Condition = test.op === "isTrue" ? { field: childPath(path, test.key), op: "isTrue" } : { field: childPath(path, test.key), op: test.op, value: test.value };
    const targets = thenTargets(obj(e.then), fields);
    if (!targets || targets.length === 0 || targets.some((t) => t.required !== false || t === source)) return false;
    for (const t of targets) t.required = t.visibleWhen && deepEqual(t.visibleWhen, cond) ? true : cond;
    return true;
  }

  node(key: string, raw: unknown, rawUi: Json, path: string): FieldNode {
    const s0 = obj(raw) ?? (raw === false ? { not: {} } : {});
    const errorsIn = obj(s0[ERRORS]);
    const errorsOk = !!errorsIn && Object.entries(errorsIn).every(([k, v]) => (ERROR_KEYWORDS as readonly string[]).includes(k) && typeof v === "string");
    const errors: FieldNode["errors"] = {};
    if (errorsOk) for (const [k, v] of Object.entries(errorsIn!)) errors[k as ErrorKeyword] = this.texts(v);
    const placeholderOk = typeof rawUi["ui:placeholder"] === "string";
    const { s, ui } = enumToOptions(omit(s0, ["title", "description", ...(errorsOk ? [ERRORS] : [])]), omit(rawUi, placeholderOk ? ["ui:placeholder"] : []));
    const base: FieldNode = {
      id: `f:${path}`,
      key,
      type: "raw",
      label: this.texts(s0.title),
      description: this.texts(s0.description),
      placeholder: placeholderOk ? this.texts(rawUi["ui:placeholder"]) : emptyTexts(),
      required: false,
      props: {},
      errors,
    };
    const visibleWhen = conditionFromUi(this.visible[path]);
    if (visibleWhen) base.visibleWhen = visibleWhen;
    const marked = typeof ui["ui:masarType"] === "string" && READ_ORDER.includes(ui["ui:masarType"] as FieldTypeId) ? [ui["ui:masarType"] as FieldTypeId] : READ_ORDER;
    for (const id of marked) {
      const typed = this.typed(id, base, s, ui, path);
      if (typed) return typed;
    }
    return { ...base, extra: dropEmpty({ schema: s, ui }) };
  }

  private typed(id: FieldTypeId, base: FieldNode, s: Json, ui: Json, path: string): FieldNode | null {
    const def = fieldType(id);
    if (!def.match(s, ui)) return null;
    if (id === "section") {
      const inner = this.container(s, ui, path);
      return { ...base, type: id, children: inner.fields, extra: dropEmpty(inner.extra) };
    }
    const props = def.read(s, ui);
    const written = def.write(props);
    const rest = schemaRest(id === "table" ? omit(s, ["items"]) : s, written.schema);
    const restUi = uiRest(id === "table" ? omit(ui, ["items"]) : ui, written.ui);
    if (!rest || !restUi) return null;
    if (props.options) {
      const list = (id === "multiSelect" ? obj(s.items)?.oneOf : s.oneOf) as Json[];
      props.options = props.options.map((o, i) => ({ value: o.value, label: this.texts(list[i]?.title) }));
    }
    const node: FieldNode = { ...base, type: id, props };
    if (id === "table") {
      const items = obj(s.items)!;
      const row = this.container(items, obj(ui.items) ?? {}, path);
      node.children = row.fields;
      node.extra = dropEmpty({ schema: rest, ui: restUi, items: row.extra.schema, itemsUi: row.extra.ui });
    } else {
      node.extra = dropEmpty({ schema: rest, ui: restUi });
    }
    if (!node.extra) delete node.extra;
    return node;
  }
}

function dropEmpty(extra: FieldExtra): FieldExtra | undefined {
  const out: FieldExtra = {};
  for (const [k, v] of Object.entries(extra) as [keyof FieldExtra, Json | undefined][]) if (v && Object.keys(v).length) out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

/** The fields an allOf `then` requires: { required } and/or { properties: { section: …, table: { items: … } } }. */
function thenTargets(then: Json | undefined, fields: FieldNode[]): FieldNode[] | null {
  if (!then) return null;
  const keys = Object.keys(then);
  if (keys.length === 0 || keys.some((k) => k !== "required" && k !== "properties")) return null;
  const out: FieldNode[] = [];
  if (then.required !== undefined) {
    if (!isStringList(then.required)) return null;
    for (const name of then.required) {
      const f = fields.find((x) => x.key === name);
      if (!f || out.includes(f)) return null;
      out.push(f);
    }
  }
  if (then.properties !== undefined) {
    const props = obj(then.properties);
    if (!props) return null;
    for (const [name, sub] of Object.entries(props)) {
      const f = fields.find((x) => x.key === name);
      const inner = f?.type === "table" ? (obj(sub) && Object.keys(sub as Json).join(",") === "items" ? obj((sub as Json).items) : undefined) : obj(sub);
      if (!f || !f.children || (f.type !== "table" && f.type !== "section")) return null;
      const nested = thenTargets(inner, f.children);
      if (!nested) return null;
      out.push(...nested);
    }
  }
  return out;
}

/** Keys "t:…" that kept (unedited) fragments still refer to: their translations are kept too. */
function keptKeys(model: BuilderModel): Set<string> {
  const keys = new Set<string>();
  const scan = (v: unknown) => {
    if (typeof v === "string" && v.startsWith("t:")) keys.add(v.slice(2));
    else if (Array.isArray(v)) v.forEach(scan);
    else if (v && typeof v === "object") Object.values(v).forEach(scan);
  };
  scan(model.extra?.schema);
  scan(model.extra?.ui);
  walkFields(model.fields, (node) => scan(node.extra));
  return keys;
}

/** The builder model of a stored or imported form version. Throws FormImportError. */
export function formToModel(version: { schema: unknown; uiSchema?: unknown; translations?: unknown }): BuilderModel {
  const schema = obj(version.schema);
  if (!schema || (schema.type !== undefined && schema.type !== "object") || !obj(schema.properties)) throw new FormImportError("notObject");
  const trIn = obj(version.translations) ?? {};
  const table = (lang: Lang): Record<string, string> => Object.fromEntries(Object.entries(obj(trIn[lang]) ?? {}).filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const tr: Translations = { ar: table("ar"), en: table("en") };
  const ui = obj(version.uiSchema) ?? {};
  const reader = new Reader(tr, obj(ui[VISIBLE_WHEN]) ?? {});
  const root = reader.container({ ...schema, type: "object" }, omit(ui, [VISIBLE_WHEN]), "");
  const rootSchemaExtra = omit(root.extra.schema ?? {}, ["title", "description"]);
  const model: BuilderModel = {
    title: reader.texts(schema.title),
    description: reader.texts(schema.description),
    fields: root.fields,
  };
  const extra = dropEmpty({ schema: rootSchemaExtra, ui: root.extra.ui });
  if (extra) model.extra = { schema: extra.schema, ui: extra.ui };
  const kept = keptKeys(model);
  if (kept.size) {
    const pick = (lang: Lang) => Object.fromEntries(Object.entries(tr[lang]).filter(([k]) => kept.has(k)));
    model.extra = { ...(model.extra ?? {}), translations: { ar: pick("ar"), en: pick("en") } };
  }
  if (model.extra) for (const k of ["schema", "ui"] as const) if (model.extra[k] === undefined) delete model.extra[k];
  return model;
}
