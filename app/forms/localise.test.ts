import { describe, expect, it } from "vitest";
import { modelToForm, newField } from "./fields";
import { localiseSchema } from "./localise";

const version = {
  schema: {
    type: "object",
    title: "t:$form.title",
    properties: {
      kind: {
        type: "string",
        title: "t:kind.title",
        description: "t:kind.description",
        oneOf: [
          { const: "t:a", title: "t:kind.options.a" },
          { const: "b", title: "Plain B" },
        ],
        "x-masar-errors": { required: "t:kind.errors.required" },
      },
      // Property names that are also keywords must still be treated as fields.
      title: { type: "string", title: "t:title.title", default: "t:not-a-key", pattern: "^t:.*$" },
      default: { type: "string", title: "t:default.title" },
      rows: { type: "array", items: { type: "object", properties: { amount: { type: "number", title: "t:rows.amount.title" } } } },
    },
  },
  uiSchema: {
    kind: { "ui:placeholder": "t:kind.placeholder", "ui:help": "t:missing.everywhere" },
    default: { "ui:placeholder": "t:default.placeholder" },
    "x-masar-visibleWhen": { title: { field: "kind", equals: "t:a" } },
  },
  translations: {
    ar: { "$form.title": "النموذج", "kind.title": "النوع", "kind.options.a": "أ", "kind.errors.required": "اختر النوع", "title.title": "العنوان", "default.title": "افتراضي", "rows.amount.title": "المبلغ" },
    en: { "$form.title": "The form", "kind.title": "Kind", "kind.description": "Pick one", "kind.placeholder": "Choose…", "default.placeholder": "Default" },
  },
};

type J = Record<string, unknown>;
const at = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (v as J | undefined)?.[k], o);

describe("localiseSchema", () => {
  it("replaces keys with the language's text", () => {
    const { schema, uiSchema } = localiseSchema(version, "ar");
    expect(schema.title).toBe("النموذج");
    expect(at(schema, "properties", "kind", "title")).toBe("النوع");
    expect(at(schema, "properties", "kind", "oneOf")).toEqual([
      { const: "t:a", title: "أ" },
      { const: "b", title: "Plain B" },
    ]);
    expect(at(schema, "properties", "kind", "x-masar-errors")).toEqual({ required: "اختر النوع" });
    expect(at(schema, "properties", "rows", "items", "properties", "amount", "title")).toBe("المبلغ");
    expect(at(schema, "properties", "title", "title")).toBe("العنوان");
    expect(at(schema, "properties", "default", "title")).toBe("افتراضي");
    expect(at(uiSchema, "default", "ui:placeholder")).toBe("Default");
  });

  it("falls back to the other language, then to the key", () => {
    const ar = localiseSchema(version, "ar");
    expect(at(ar.schema, "properties", "kind", "description")).toBe("Pick one");
    expect(at(ar.uiSchema, "kind", "ui:placeholder")).toBe("Choose…");
    expect(at(ar.uiSchema, "kind", "ui:help")).toBe("missing.everywhere");
    const en = localiseSchema(version, "en");
    expect(at(en.schema, "properties", "kind", "title")).toBe("Kind");
    expect(at(en.schema, "properties", "rows", "items", "properties", "amount", "title")).toBe("المبلغ");
  });

  it("never touches values: const, default, pattern, conditions", () => {
    const { schema, uiSchema } = localiseSchema(version, "en");
    expect(at(schema, "properties", "title", "default")).toBe("t:not-a-key");
    expect(at(schema, "properties", "title", "pattern")).toBe("^t:.*$");
    expect(uiSchema["x-masar-visibleWhen"]).toEqual({ title: { field: "kind", equals: "t:a" } });
  });

  it("does not change its input", () => {
    const copy = JSON.parse(JSON.stringify(version));
    localiseSchema(version, "ar");
    expect(version).toEqual(copy);
  });

  it("localises what modelToForm writes, in both languages", () => {
    const f = newField("select", []);
    const form = modelToForm({ title: { ar: "طلب", en: "Request" }, description: { ar: "", en: "" }, fields: [f] });
    const ar = localiseSchema(form, "ar");
    const en = localiseSchema(form, "en");
    expect(ar.schema.title).toBe("طلب");
    expect(en.schema.title).toBe("Request");
    expect(at(ar.schema, "properties", "select1", "title")).toBe("قائمة منسدلة");
    expect(at(en.schema, "properties", "select1", "oneOf")).toEqual([
      { const: "option1", title: "First option" },
      { const: "option2", title: "Second option" },
    ]);
    expect(JSON.stringify(ar)).not.toContain('"t:');
    expect(JSON.stringify(en)).not.toContain('"t:');
  });
});
