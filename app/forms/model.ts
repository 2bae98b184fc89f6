// The form builder's model: an ordered tree of fields with their texts in both languages.
// It is what the builder edits; app/forms/fields.ts turns it into the stored
// { schema, uiSchema, translations } and back (see docs in /tmp conventions, "Masar forms").

export type Lang = "ar" | "en";
export type Texts = Record<Lang, string>;

export type FieldTypeId =
  | "shortText"
  | "longText"
  | "number"
  | "integer"
  | "currency"
  | "date"
  | "dateTime"
  | "email"
  | "phone"
  | "nationalId"
  | "select"
  | "multiSelect"
  | "radio"
  | "checkbox"
  | "yesNo"
  | "rating"
  | "file"
  | "files"
  | "table"
  | "section"
  | "computed"
  | "signature"
  | "raw";

export type ConditionOp = "equals" | "notEquals" | "isTrue";
export type ConditionValue = string | number | boolean;

/**
 * "Show (or require) this field when <field> <op> <value>". `field` is the full dotted
 * path of another field ("applicant.kind"); inside a repeating table a path below the
 * table ("items.kind") means "the same row".
 */
export interface Condition {
  field: string;
  op: ConditionOp;
  value?: ConditionValue;
}

export interface Option {
  value: string;
  label: Texts;
}

/** Type-specific settings; which ones a type uses is listed in the catalogue (fields.ts). */
export interface FieldProps {
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  options?: Option[];
  /** multiSelect: how the choices are shown. */
  display?: "checkboxes" | "multiSelect";
  currency?: string;
  accept?: string[];
  maxSizeMb?: number;
  /** computed: FEEL expression evaluated by the server on submission. */
  compute?: string;
  resultType?: "number" | "string";
  /** textarea rows (longText). */
  rows?: number;
}

/** Keywords a custom error message can be given for (x-masar-errors). */
export type ErrorKeyword =
  | "required"
  | "minLength"
  | "maxLength"
  | "pattern"
  | "minimum"
  | "maximum"
  | "format"
  | "minItems"
  | "maxItems"
  | "const"
  | "multipleOf";

export interface FieldNode {
  /** Stable handle for the builder (selection, drag and drop); not stored in the schema. */
  id: string;
  /** Property name in the data. */
  key: string;
  type: FieldTypeId;
  label: Texts;
  description: Texts;
  placeholder: Texts;
  /** true = always; a condition = required only when it holds (with visibleWhen: when shown). */
  required: boolean | Condition;
  props: FieldProps;
  errors: Partial<Record<ErrorKeyword, Texts>>;
  visibleWhen?: Condition;
  /** section and table: the fields inside (table: its columns). */
  children?: FieldNode[];
  /**
   * Keywords the builder does not edit, kept as they were so that importing a schema loses
   * nothing. For "raw" fields, `schema`/`ui` are the whole fragment (minus its texts).
   */
  extra?: FieldExtra;
}

export interface FieldExtra {
  schema?: Record<string, unknown>;
  ui?: Record<string, unknown>;
  /** table: keywords of the row object (besides its columns) and of the row's uiSchema. */
  items?: Record<string, unknown>;
  itemsUi?: Record<string, unknown>;
}

export interface BuilderModel {
  title: Texts;
  description: Texts;
  fields: FieldNode[];
  /** Root-level keywords the builder does not edit ($defs, unknown allOf entries, ui options…). */
  extra?: { schema?: Record<string, unknown>; ui?: Record<string, unknown>; translations?: Record<Lang, Record<string, string>> };
}

export interface FormVersionJson {
  schema: Record<string, unknown>;
  uiSchema: Record<string, unknown>;
  translations: Record<Lang, Record<string, string>>;
}

export const emptyTexts = (): Texts => ({ ar: "", en: "" });
export const sameTexts = (text: string): Texts => ({ ar: text, en: text });
export const hasText = (t: Texts | undefined): boolean => !!t && (t.ar !== "" || t.en !== "");

/** Path of a child inside a container ("" = root). */
export const childPath = (parent: string, key: string): string => (parent ? `${parent}.${key}` : key);

/** Depth-first walk with each node's dotted path and its container chain. */
export function walkFields(fields: FieldNode[], visit: (node: FieldNode, path: string, parents: FieldNode[]) => void, parent = "", parents: FieldNode[] = []): void {
  for (const node of fields) {
    const path = childPath(parent, node.key);
    visit(node, path, parents);
    if (node.children) walkFields(node.children, visit, path, [...parents, node]);
  }
}
