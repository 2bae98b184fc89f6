// The field types of Masar forms: for each, the JSON Schema + uiSchema fragment it stands for
// (without its texts, which fields.ts adds as translation keys), how to read its settings back
// from such a fragment, what the builder lets an admin edit, and the defaults of a new field.
// Import it through app/forms/fields.ts.
import { FILE_TYPES } from "./magic-bytes";
import type { ErrorKeyword, FieldNode, FieldProps, FieldTypeId, Texts } from "./model";

type Json = Record<string, unknown>;

export type PropKind = "int" | "number" | "pattern" | "options" | "choice" | "currency" | "accept" | "expression" | "bool";

export interface PropSpec {
  name: keyof FieldProps;
  kind: PropKind;
  /** kind "choice": the allowed values (labels: forms:builder.props.<name>Choices.<value>). */
  choices?: readonly string[];
}

export interface FieldTypeDef {
  id: FieldTypeId;
  group: "text" | "number" | "date" | "choice" | "file" | "layout" | "special";
  /** A short glyph shown on the palette button (decorative; the label names the type). */
  icon: string;
  /** i18n key (namespace "forms") of the palette label. */
  labelKey: string;
  props: readonly PropSpec[];
  errorKeywords: readonly ErrorKeyword[];
  /** "section" and "table" hold child fields; a table's children are its columns. */
  container?: "section" | "table";
  /** May another field's condition test this one ("show when X equals …")? */
  conditionSource: boolean;
  /** Values a condition on this field compares with: booleans, options or free text. */
  conditionValues?: "boolean" | "options" | "text" | "number";
  defaultLabel: Texts;
  defaultProps: () => FieldProps;
  /** The fragment for these settings; no title/description/placeholder/required/errors. */
  write: (props: FieldProps) => { schema: Json; ui: Json };
  /** Whether a (text-stripped) fragment could be this type; `read` then extracts the settings. */
  match: (schema: Json, ui: Json) => boolean;
  read: (schema: Json, ui: Json) => FieldProps;
}

export const DEFAULT_CURRENCIES = ["SAR", "AED", "KWD", "QAR", "BHD", "OMR", "EGP", "JOD", "USD", "EUR"] as const;
export const PHONE_PATTERN = "^\\+?[0-9 ]{7,20}$";
export const NATIONAL_ID_PATTERN = "^[0-9]{10}$";
export const DEFAULT_ACCEPT = ["application/pdf", "image/png", "image/jpeg"];
/** The types uploads can be checked for by their content (magic-bytes.ts). */
export const ACCEPT_CHOICES = FILE_TYPES;

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const obj = (v: unknown): Json | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined);
const widget = (ui: Json) => ui["ui:widget"];
/** Drops undefined members so that fragments compare and serialise cleanly. */
function defined(o: Json): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
const uiWith = (widgetName: string | undefined, options?: Json): Json =>
  defined({ "ui:widget": widgetName, "ui:options": options && Object.keys(defined(options)).length ? defined(options) : undefined });

const bounds = (p: FieldProps) => ({ minimum: p.minimum, maximum: p.maximum });
const readBounds = (s: Json): FieldProps => defined({ minimum: num(s.minimum), maximum: num(s.maximum) });
const lengths = (p: FieldProps) => ({ minLength: p.minLength, maxLength: p.maxLength });
const readLengths = (s: Json): FieldProps => defined({ minLength: num(s.minLength), maxLength: num(s.maxLength) });
const counts = (p: FieldProps) => ({ minItems: p.minItems, maxItems: p.maxItems });
const readCounts = (s: Json): FieldProps => defined({ minItems: num(s.minItems), maxItems: num(s.maxItems) });

/** oneOf [{const}] of strings (titles are texts, added by fields.ts). */
const optionsSchema = (p: FieldProps) => (p.options ?? []).map((o) => ({ const: o.value }));
function isOptionList(v: unknown): v is { const: string }[] {
  return Array.isArray(v) && v.length > 0 && v.every((e) => obj(e) && typeof (e as Json).const === "string");
}
/** Labels are filled in by fields.ts from the option titles; here only the values. */
const readOptions = (list: { const: string }[]) => list.map((e) => ({ value: e.const, label: { ar: "", en: "" } }));

function fileSpec(p: FieldProps): Json {
  return defined({ accept: p.accept, maxSizeMb: p.maxSizeMb });
}
function readFileSpec(v: unknown): FieldProps {
  const spec = obj(v) ?? {};
  const accept = Array.isArray(spec.accept) && spec.accept.every((a) => typeof a === "string") ? (spec.accept as string[]) : undefined;
  return defined({ accept, maxSizeMb: num(spec.maxSizeMb) });
}
const isFileItem = (s: Json | undefined) => !!s && s.type === "string" && s.format === "uuid" && obj(s["x-masar-file"]) !== undefined;

const textErrors = ["required", "minLength", "maxLength", "pattern"] as const;
const numberErrors = ["required", "minimum", "maximum"] as const;

const T = (ar: string, en: string): Texts => ({ ar, en });

function def(d: Omit<FieldTypeDef, "labelKey">): FieldTypeDef {
  return { ...d, labelKey: `builder.types.${d.id}` };
}

const stringNoFormat = (s: Json) => s.type === "string" && s.format === undefined && s.oneOf === undefined && s.enum === undefined;

export const FIELD_TYPES: readonly FieldTypeDef[] = [
  def({
    id: "shortText",
    group: "text",
    icon: "Aa",
    props: [
      { name: "minLength", kind: "int" },
      { name: "maxLength", kind: "int" },
      { name: "pattern", kind: "pattern" },
    ],
    errorKeywords: textErrors,
    conditionSource: true,
    conditionValues: "text",
    defaultLabel: T("نص قصير", "Short text"),
    defaultProps: () => ({ maxLength: 200 }),
    write: (p) => ({ schema: defined({ type: "string", ...lengths(p), pattern: p.pattern }), ui: {} }),
    match: (s) => s.type === "string",
    read: (s) => defined({ ...readLengths(s), pattern: str(s.pattern) }),
  }),
  def({
    id: "longText",
    group: "text",
    icon: "¶",
    props: [
      { name: "minLength", kind: "int" },
      { name: "maxLength", kind: "int" },
      { name: "rows", kind: "int" },
    ],
    errorKeywords: ["required", "minLength", "maxLength"],
    conditionSource: false,
    defaultLabel: T("نص طويل", "Long text"),
    defaultProps: () => ({ maxLength: 2000, rows: 4 }),
    write: (p) => ({ schema: defined({ type: "string", ...lengths(p) }), ui: uiWith("textarea", { rows: p.rows }) }),
    match: (s, ui) => s.type === "string" && widget(ui) === "textarea",
    read: (s, ui) => defined({ ...readLengths(s), rows: num(obj(ui["ui:options"])?.rows) }),
  }),
  def({
    id: "number",
    group: "number",
    icon: "1.5",
    props: [
      { name: "minimum", kind: "number" },
      { name: "maximum", kind: "number" },
    ],
    errorKeywords: numberErrors,
    conditionSource: true,
    conditionValues: "number",
    defaultLabel: T("رقم", "Number"),
    defaultProps: () => ({}),
    write: (p) => ({ schema: defined({ type: "number", ...bounds(p) }), ui: {} }),
    match: (s) => s.type === "number",
    read: readBounds,
  }),
  def({
    id: "integer",
    group: "number",
    icon: "123",
    props: [
      { name: "minimum", kind: "number" },
      { name: "maximum", kind: "number" },
    ],
    errorKeywords: numberErrors,
    conditionSource: true,
    conditionValues: "number",
    defaultLabel: T("عدد صحيح", "Whole number"),
    defaultProps: () => ({}),
    write: (p) => ({ schema: defined({ type: "integer", ...bounds(p) }), ui: {} }),
    match: (s) => s.type === "integer",
    read: readBounds,
  }),
  def({
    id: "currency",
    group: "number",
    icon: "¤",
    props: [
      { name: "currency", kind: "currency" },
      { name: "minimum", kind: "number" },
      { name: "maximum", kind: "number" },
    ],
    errorKeywords: [...numberErrors, "multipleOf"],
    conditionSource: false,
    defaultLabel: T("مبلغ", "Amount"),
    defaultProps: () => ({ currency: "SAR", minimum: 0 }),
    write: (p) => ({
      schema: defined({ type: "number", multipleOf: 0.01, "x-masar-currency": p.currency ?? "SAR", ...bounds(p) }),
      ui: uiWith("currency"),
    }),
    match: (s) => s.type === "number" && typeof s["x-masar-currency"] === "string",
    read: (s) => defined({ currency: str(s["x-masar-currency"]), ...readBounds(s) }),
  }),
  def({
    id: "date",
    group: "date",
    icon: "31",
    props: [],
    errorKeywords: ["required", "format"],
    conditionSource: false,
    defaultLabel: T("تاريخ", "Date"),
    defaultProps: () => ({}),
    write: () => ({ schema: { type: "string", format: "date" }, ui: uiWith("masarDate") }),
    match: (s) => s.type === "string" && s.format === "date",
    read: () => ({}),
  }),
  def({
    id: "dateTime",
    group: "date",
    icon: "◷",
    props: [],
    errorKeywords: ["required", "format"],
    conditionSource: false,
    defaultLabel: T("تاريخ ووقت", "Date and time"),
    defaultProps: () => ({}),
    write: () => ({ schema: { type: "string", format: "date-time" }, ui: uiWith("masarDateTime") }),
    match: (s) => s.type === "string" && s.format === "date-time",
    read: () => ({}),
  }),
  def({
    id: "email",
    group: "text",
    icon: "@",
    props: [{ name: "maxLength", kind: "int" }],
    errorKeywords: ["required", "format", "maxLength"],
    conditionSource: false,
    defaultLabel: T("البريد الإلكتروني", "Email"),
    defaultProps: () => ({ maxLength: 254 }),
    write: (p) => ({ schema: defined({ type: "string", format: "email", maxLength: p.maxLength }), ui: {} }),
    match: (s) => s.type === "string" && s.format === "email",
    read: (s) => defined({ maxLength: num(s.maxLength) }),
  }),
  def({
    id: "phone",
    group: "text",
    icon: "☎",
    props: [{ name: "pattern", kind: "pattern" }],
    errorKeywords: ["required", "pattern"],
    conditionSource: false,
    defaultLabel: T("رقم الجوال", "Mobile number"),
    defaultProps: () => ({ pattern: PHONE_PATTERN }),
    write: (p) => ({ schema: defined({ type: "string", pattern: p.pattern }), ui: uiWith("phone") }),
    match: (s, ui) => stringNoFormat(s) && widget(ui) === "phone",
    read: (s) => defined({ pattern: str(s.pattern) }),
  }),
  def({
    id: "nationalId",
    group: "text",
    icon: "ID",
    props: [{ name: "pattern", kind: "pattern" }],
    errorKeywords: ["required", "pattern"],
    conditionSource: false,
    defaultLabel: T("رقم الهوية الوطنية", "National ID number"),
    defaultProps: () => ({ pattern: NATIONAL_ID_PATTERN }),
    // No widget of its own (a text box); the marker keeps it apart from a short text with a pattern.
    write: (p) => ({ schema: defined({ type: "string", pattern: p.pattern }), ui: { "ui:masarType": "nationalId" } }),
    match: (s, ui) => stringNoFormat(s) && ui["ui:masarType"] === "nationalId",
    read: (s) => defined({ pattern: str(s.pattern) }),
  }),
  def({
    id: "select",
    group: "choice",
    icon: "▾",
    props: [{ name: "options", kind: "options" }],
    errorKeywords: ["required"],
    conditionSource: true,
    conditionValues: "options",
    defaultLabel: T("قائمة منسدلة", "Drop-down list"),
    defaultProps: () => ({ options: defaultOptions() }),
    write: (p) => ({ schema: { type: "string", oneOf: optionsSchema(p) }, ui: {} }),
    match: (s) => s.type === "string" && isOptionList(s.oneOf),
    read: (s) => ({ options: readOptions(s.oneOf as { const: string }[]) }),
  }),
  def({
    id: "radio",
    group: "choice",
    icon: "◉",
    props: [{ name: "options", kind: "options" }],
    errorKeywords: ["required"],
    conditionSource: true,
    conditionValues: "options",
    defaultLabel: T("اختيار واحد", "Single choice"),
    defaultProps: () => ({ options: defaultOptions() }),
    write: (p) => ({ schema: { type: "string", oneOf: optionsSchema(p) }, ui: uiWith("radio") }),
    match: (s, ui) => s.type === "string" && isOptionList(s.oneOf) && widget(ui) === "radio",
    read: (s) => ({ options: readOptions(s.oneOf as { const: string }[]) }),
  }),
  def({
    id: "multiSelect",
    group: "choice",
    icon: "☑",
    props: [
      { name: "options", kind: "options" },
      { name: "display", kind: "choice", choices: ["checkboxes", "multiSelect"] },
      { name: "minItems", kind: "int" },
      { name: "maxItems", kind: "int" },
    ],
    errorKeywords: ["required", "minItems", "maxItems"],
    conditionSource: false,
    defaultLabel: T("اختيار متعدد", "Multiple choice"),
    defaultProps: () => ({ options: defaultOptions(), display: "checkboxes" }),
    write: (p) => ({
      schema: defined({ type: "array", items: { type: "string", oneOf: optionsSchema(p) }, uniqueItems: true, ...counts(p) }),
      ui: uiWith(p.display ?? "checkboxes"),
    }),
    match: (s, ui) =>
      s.type === "array" && s.uniqueItems === true && obj(s.items)?.type === "string" && isOptionList(obj(s.items)?.oneOf) && [undefined, "checkboxes", "multiSelect"].includes(widget(ui) as string | undefined),
    read: (s, ui) => ({ options: readOptions(obj(s.items)!.oneOf as { const: string }[]), display: widget(ui) === "multiSelect" ? "multiSelect" : "checkboxes", ...readCounts(s) }),
  }),
  def({
    id: "checkbox",
    group: "choice",
    icon: "✓",
    props: [],
    errorKeywords: [],
    conditionSource: true,
    conditionValues: "boolean",
    defaultLabel: T("خانة اختيار", "Checkbox"),
    defaultProps: () => ({}),
    write: () => ({ schema: { type: "boolean" }, ui: {} }),
    match: (s) => s.type === "boolean",
    read: () => ({}),
  }),
  def({
    id: "yesNo",
    group: "choice",
    icon: "⇆",
    props: [],
    errorKeywords: ["required"],
    conditionSource: true,
    conditionValues: "boolean",
    defaultLabel: T("نعم / لا", "Yes / no"),
    defaultProps: () => ({}),
    write: () => ({ schema: { type: "boolean" }, ui: uiWith("yesNo") }),
    match: (s, ui) => s.type === "boolean" && widget(ui) === "yesNo",
    read: () => ({}),
  }),
  def({
    id: "rating",
    group: "choice",
    icon: "★",
    props: [],
    errorKeywords: ["required"],
    conditionSource: true,
    conditionValues: "number",
    defaultLabel: T("مستوى الرضا", "Satisfaction"),
    defaultProps: () => ({}),
    write: () => ({ schema: { type: "integer", minimum: 1, maximum: 5 }, ui: uiWith("rating") }),
    match: (s, ui) => s.type === "integer" && widget(ui) === "rating",
    read: () => ({}),
  }),
  def({
    id: "file",
    group: "file",
    icon: "⇪",
    props: [
      { name: "accept", kind: "accept" },
      { name: "maxSizeMb", kind: "int" },
    ],
    errorKeywords: ["required"],
    conditionSource: false,
    defaultLabel: T("مرفق", "Attachment"),
    defaultProps: () => ({ accept: [...DEFAULT_ACCEPT], maxSizeMb: 10 }),
    write: (p) => ({ schema: { type: "string", format: "uuid", "x-masar-file": fileSpec(p) }, ui: uiWith("masarFile") }),
    match: (s) => isFileItem(s),
    read: (s) => readFileSpec(s["x-masar-file"]),
  }),
  def({
    id: "files",
    group: "file",
    icon: "⇪⇪",
    props: [
      { name: "accept", kind: "accept" },
      { name: "maxSizeMb", kind: "int" },
      { name: "minItems", kind: "int" },
      { name: "maxItems", kind: "int" },
    ],
    errorKeywords: ["required", "minItems", "maxItems"],
    conditionSource: false,
    defaultLabel: T("مرفقات", "Attachments"),
    defaultProps: () => ({ accept: [...DEFAULT_ACCEPT], maxSizeMb: 10, maxItems: 5 }),
    write: (p) => ({
      schema: defined({ type: "array", items: { type: "string", format: "uuid", "x-masar-file": fileSpec(p) }, ...counts(p) }),
      ui: uiWith("masarFiles"),
    }),
    match: (s) => s.type === "array" && isFileItem(obj(s.items)),
    read: (s) => ({ ...readFileSpec(obj(s.items)!["x-masar-file"]), ...readCounts(s) }),
  }),
  def({
    id: "table",
    group: "layout",
    icon: "▦",
    container: "table",
    props: [
      { name: "minItems", kind: "int" },
      { name: "maxItems", kind: "int" },
    ],
    errorKeywords: ["required", "minItems", "maxItems"],
    conditionSource: false,
    defaultLabel: T("جدول متكرر", "Repeating table"),
    defaultProps: () => ({ maxItems: 50 }),
    // The item object (columns, under "items") is written by fields.ts, which owns child fields.
    write: (p) => ({ schema: defined({ type: "array", ...counts(p) }), ui: { "ui:options": { orderable: true } } }),
    match: (s) => s.type === "array" && obj(s.items)?.type === "object" && obj(obj(s.items)?.properties) !== undefined,
    read: readCounts,
  }),
  def({
    id: "section",
    group: "layout",
    icon: "▭",
    container: "section",
    props: [],
    errorKeywords: [],
    conditionSource: false,
    defaultLabel: T("قسم", "Section"),
    defaultProps: () => ({}),
    write: () => ({ schema: { type: "object" }, ui: {} }),
    match: (s) => s.type === "object" && obj(s.properties) !== undefined,
    read: () => ({}),
  }),
  def({
    id: "computed",
    group: "special",
    icon: "ƒ",
    props: [
      { name: "compute", kind: "expression" },
      { name: "resultType", kind: "choice", choices: ["number", "string"] },
    ],
    errorKeywords: [],
    conditionSource: false,
    defaultLabel: T("قيمة محسوبة", "Calculated value"),
    defaultProps: () => ({ compute: "", resultType: "number" }),
    write: (p) => ({ schema: { type: p.resultType ?? "number", readOnly: true, "x-masar-compute": p.compute ?? "" }, ui: uiWith("computed") }),
    match: (s) => (s.type === "number" || s.type === "string") && s.readOnly === true && typeof s["x-masar-compute"] === "string",
    read: (s) => ({ compute: String(s["x-masar-compute"]), resultType: s.type === "string" ? "string" : "number" }),
  }),
  def({
    id: "signature",
    group: "special",
    icon: "✍",
    props: [],
    errorKeywords: ["required", "const"],
    conditionSource: false,
    defaultLabel: T("أقر بأن البيانات صحيحة", "I confirm the data is correct"),
    defaultProps: () => ({}),
    write: () => ({ schema: { type: "boolean", const: true }, ui: uiWith("acknowledgement") }),
    match: (s, ui) => s.type === "boolean" && s.const === true && widget(ui) === "acknowledgement",
    read: () => ({}),
  }),
  def({
    id: "raw",
    group: "special",
    icon: "{}",
    props: [],
    errorKeywords: [],
    conditionSource: false,
    defaultLabel: T("حقل JSON", "JSON field"),
    defaultProps: () => ({}),
    // A raw field is its kept fragment (FieldNode.extra); nothing of its own.
    write: () => ({ schema: {}, ui: {} }),
    match: () => true,
    read: () => ({}),
  }),
];

function defaultOptions() {
  return [
    { value: "option1", label: T("الخيار الأول", "First option") },
    { value: "option2", label: T("الخيار الثاني", "Second option") },
  ];
}

const byId = new Map(FIELD_TYPES.map((t) => [t.id, t]));

export function fieldType(id: FieldTypeId): FieldTypeDef {
  return byId.get(id)!;
}

/**
 * Which types to try, most specific first, when reading a fragment: a type is taken only
 * if writing its settings back gives the same keywords (see fields.ts), so a wrong guess
 * falls through to the next, and in the end to "raw".
 */
export const READ_ORDER: readonly FieldTypeId[] = [
  "signature",
  "computed",
  "file",
  "files",
  "multiSelect",
  "table",
  "section",
  "radio",
  "select",
  "yesNo",
  "checkbox",
  "rating",
  "currency",
  "integer",
  "number",
  "date",
  "dateTime",
  "email",
  "phone",
  "nationalId",
  "longText",
  "shortText",
];

/** Types a builder palette offers ("raw" fields only come from imports and the JSON view). */
export const PALETTE_TYPES: readonly FieldTypeId[] = FIELD_TYPES.map((t) => t.id).filter((id) => id !== "raw");

let counter = 0;
/** A fresh builder id (not stored in the schema). */
export function newId(): string {
  counter += 1;
  return `n${Date.now().toString(36)}${counter.toString(36)}`;
}

/** A new field of a type with its defaults, a unique key among `taken` and default labels. */
export function newField(type: FieldTypeId, taken: Iterable<string>): FieldNode {
  const d = fieldType(type);
  const used = new Set(taken);
  let n = 1;
  while (used.has(`${type}${n}`)) n += 1;
  return {
    id: newId(),
    key: `${type}${n}`,
    type,
    label: { ...d.defaultLabel },
    description: { ar: "", en: "" },
    placeholder: { ar: "", en: "" },
    required: type === "signature",
    props: d.defaultProps(),
    errors: {},
    ...(d.container ? { children: [] } : {}),
  };
}
