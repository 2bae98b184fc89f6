import fs from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { FIELD_TYPES, formToModel, FormImportError, modelToForm, newField, PALETTE_TYPES, type BuilderModel, type FieldNode, type FieldTypeId } from "./fields";
import type { Condition } from "./model";

// Ids are builder handles (path-based when read); compare models without them.
function withoutIds(model: BuilderModel): unknown {
  const strip = (nodes: FieldNode[]): unknown[] => nodes.map(({ id: _id, children, ...rest }) => ({ ...rest, ...(children ? { children: strip(children) } : {}) }));
  return { ...model, fields: strip(model.fields) };
}

const texts = (ar: string, en: string) => ({ ar, en });

/** A field of each type with every editable setting given a non-default value. */
function richField(type: FieldTypeId, key: string): FieldNode {
  const f = newField(type, []);
  f.key = key;
  f.label = texts(`عنوان ${key}`, `Title ${key}`);
  f.description = texts(`وصف ${key}`, "");
  f.placeholder = type === "shortText" ? texts("اكتب هنا", "Type here") : texts("", "");
  for (const kw of FIELD_TYPES.find((t) => t.id === type)!.errorKeywords) f.errors[kw] = texts(`خطأ ${kw}`, `Error ${kw}`);
  const p = f.props;
  switch (type) {
    case "shortText":
      Object.assign(p, { minLength: 2, maxLength: 50, pattern: "^[a-z ]+$" });
      break;
    case "longText":
      Object.assign(p, { minLength: 10, rows: 6 });
      break;
    case "number":
    case "integer":
    case "currency":
      Object.assign(p, { minimum: 1, maximum: 1000 });
      if (type === "currency") p.currency = "AED";
      break;
    case "select":
    case "radio":
    case "multiSelect":
      p.options = [
        { value: "a", label: texts("أ", "A") },
        { value: "b", label: texts("ب", "") },
        { value: "c", label: texts("", "") },
      ];
      if (type === "multiSelect") Object.assign(p, { display: "multiSelect", minItems: 1, maxItems: 2 });
      break;
    case "file":
    case "files":
      Object.assign(p, { accept: ["application/pdf"], maxSizeMb: 3 });
      if (type === "files") Object.assign(p, { minItems: 1, maxItems: 4 });
      break;
    case "computed":
      Object.assign(p, { compute: "sum(items.amount)", resultType: "string" });
      break;
    case "phone":
    case "nationalId":
      p.pattern = "^[0-9]{8}$";
      break;
    case "table":
      Object.assign(p, { minItems: 1, maxItems: 20 });
      f.children = [richField("shortText", "item"), richField("currency", "amount")];
      break;
    case "section":
      f.children = [richField("date", "from"), richField("yesNo", "agreed")];
      break;
    default:
      break;
  }
  f.required = type !== "computed";
  return f;
}

const model = (fields: FieldNode[], extra: Partial<BuilderModel> = {}): BuilderModel => ({ title: texts("نموذج", "Form"), description: texts("", ""), fields, ...extra });
const roundTrip = (m: BuilderModel) => formToModel(modelToForm(m));

describe("field catalogue", () => {
  it("has every field type of the conventions, each with a palette label key", () => {
    expect(PALETTE_TYPES).toEqual(
      expect.arrayContaining(["shortText", "longText", "number", "integer", "currency", "date", "dateTime", "email", "phone", "nationalId", "select", "multiSelect", "radio", "checkbox", "yesNo", "rating", "file", "files", "table", "section", "computed", "signature"]),
    );
    for (const t of FIELD_TYPES) expect(t.labelKey).toBe(`builder.types.${t.id}`);
  });

  it("writes the fragments the conventions name", () => {
    const { schema, uiSchema } = modelToForm(model(PALETTE_TYPES.map((t) => newField(t, []))));
    const p = schema.properties as Record<string, Record<string, unknown>>;
    expect(p.currency1).toMatchObject({ type: "number", multipleOf: 0.01, "x-masar-currency": "SAR" });
    expect(p.date1).toMatchObject({ type: "string", format: "date" });
    expect(p.file1).toMatchObject({ type: "string", format: "uuid", "x-masar-file": { accept: ["application/pdf", "image/png", "image/jpeg"], maxSizeMb: 10 } });
    expect(p.signature1).toMatchObject({ type: "boolean", const: true });
    expect(p.rating1).toMatchObject({ type: "integer", minimum: 1, maximum: 5 });
    expect(p.nationalId1).toMatchObject({ type: "string", pattern: "^[0-9]{10}$" });
    expect(p.select1!.oneOf).toEqual([
      { const: "option1", title: "t:select1.options.option1" },
      { const: "option2", title: "t:select1.options.option2" },
    ]);
    expect(p.table1).toMatchObject({ type: "array", items: { type: "object", properties: {} } });
    const ui = uiSchema as Record<string, Record<string, unknown>>;
    expect(ui.date1!["ui:widget"]).toBe("masarDate");
    expect(ui.signature1!["ui:widget"]).toBe("acknowledgement");
    expect(ui.table1!["ui:options"]).toEqual({ orderable: true });
    expect(uiSchema["ui:order"]).toEqual(PALETTE_TYPES.map((t) => `${t}1`));
    expect(schema.required).toEqual(["signature1"]);
  });

  it("puts texts in the translation table under t: keys", () => {
    const f = richField("shortText", "name");
    const form = modelToForm(model([f]));
    const name = (form.schema.properties as Record<string, Record<string, unknown>>).name!;
    expect(name.title).toBe("t:name.title");
    expect(name["x-masar-errors"]).toMatchObject({ pattern: "t:name.errors.pattern" });
    expect((form.uiSchema.name as Record<string, unknown>)["ui:placeholder"]).toBe("t:name.placeholder");
    expect(form.translations.ar).toMatchObject({ "name.title": "عنوان name", "name.description": "وصف name", "$form.title": "نموذج" });
    expect(form.translations.en["name.description"]).toBeUndefined();
  });
});

describe("round trip model → form → model", () => {
  for (const type of PALETTE_TYPES) {
    it(type, () => {
      const m = model([richField(type, "f")]);
      expect(withoutIds(roundTrip(m))).toEqual(withoutIds(m));
      const bare = model([newField(type, [])]);
      expect(withoutIds(roundTrip(bare))).toEqual(withoutIds(bare));
    });
  }

  it("reads back ids from paths, so selection survives a JSON edit", () => {
    const m = roundTrip(model([richField("section", "s")]));
    expect(m.fields[0]!.id).toBe("f:s");
    expect(m.fields[0]!.children!.map((c) => c.id)).toEqual(["f:s.from", "f:s.agreed"]);
  });

  it("conditions: visible when, required when shown, required when another condition", () => {
    const kind = richField("select", "kind");
    const flag = richField("yesNo", "flag");
    const other = richField("shortText", "other");
    other.visibleWhen = { field: "kind", op: "equals", value: "b" };
    other.required = true;
    const note = richField("longText", "note");
    note.required = { field: "flag", op: "isTrue" };
    const never = richField("integer", "never");
    never.required = false;
    never.visibleWhen = { field: "kind", op: "notEquals", value: "a" };
    const section = richField("section", "s");
    const inner = richField("number", "n");
    inner.required = { field: "kind", op: "equals", value: "a" };
    section.children = [...section.children!, inner];
    const table = richField("table", "rows");
    const col = richField("shortText", "why");
    col.visibleWhen = { field: "rows.item", op: "equals", value: "x" };
    col.required = true;
    table.children = [...table.children!, col];
    const m = model([kind, flag, other, note, never, section, table]);
    const form = modelToForm(m);
    expect(form.uiSchema["x-masar-visibleWhen"]).toEqual({
      other: { field: "kind", equals: "b" },
      never: { field: "kind", op: "notEquals", value: "a" },
      "rows.why": { field: "rows.item", equals: "x" },
    });
    expect(form.schema.allOf).toEqual([
      { if: { properties: { kind: { const: "b" } }, required: ["kind"] }, then: { required: ["other"] } },
      { if: { properties: { flag: { const: true } }, required: ["flag"] }, then: { required: ["note"] } },
      { if: { properties: { kind: { const: "a" } }, required: ["kind"] }, then: { properties: { s: { required: ["n"] } } } },
    ]);
    const rows = (form.schema.properties as Record<string, Record<string, Record<string, unknown>>>).rows!;
    expect(rows.items!.allOf).toEqual([{ if: { properties: { item: { const: "x" } }, required: ["item"] }, then: { required: ["why"] } }]);
    expect(withoutIds(formToModel(form))).toEqual(withoutIds(m));
  });

  it("a condition on a deleted field requires nothing (and does not break writing)", () => {
    const f = richField("shortText", "a");
    f.required = { field: "gone", op: "isTrue" } satisfies Condition;
    const form = modelToForm(model([f]));
    expect(form.schema.allOf).toBeUndefined();
    expect(form.schema.required).toBeUndefined();
  });
});

// ---------------------------------------------------------------- imported schemas

interface Sample {
  schema: Record<string, unknown>;
  uiSchema: Record<string, unknown>;
  formData: unknown;
  invalidData: unknown[];
}
const SAMPLES = path.join(path.dirname(new URL(import.meta.url).pathname), "samples");
const samples = fs.readdirSync(SAMPLES).filter((f) => f.endsWith(".json"));

function validator(schema: Record<string, unknown>) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe("importing playground-like samples", () => {
  it("has the five samples", () => {
    expect(samples.sort()).toEqual(["arrays.json", "conditionals.json", "enums.json", "nested.json", "simple.json"]);
  });

  for (const file of samples) {
    describe(file, () => {
      const sample = JSON.parse(fs.readFileSync(path.join(SAMPLES, file), "utf8")) as Sample;
      const imported = formToModel({ schema: sample.schema, uiSchema: sample.uiSchema, translations: {} });
      const form = modelToForm(imported);

      it("is stable: form → model → form → model gives the same model", () => {
        expect(withoutIds(formToModel(form))).toEqual(withoutIds(imported));
        expect(modelToForm(formToModel(form))).toEqual(form);
      });

      it("accepts and refuses the same data as the original", () => {
        const before = validator(sample.schema);
        const after = validator(form.schema);
        expect(before(sample.formData), JSON.stringify(before.errors)).toBe(true);
        expect(after(sample.formData), JSON.stringify(after.errors)).toBe(true);
        for (const bad of sample.invalidData) {
          expect(before(bad), `original accepts ${JSON.stringify(bad)}`).toBe(false);
          expect(after(bad), `imported accepts ${JSON.stringify(bad)}`).toBe(false);
        }
      });

      it("moves plain titles into the translation table for both languages", () => {
        const props = form.schema.properties as Record<string, Record<string, unknown>>;
        for (const [key, prop] of Object.entries(props)) {
          if (prop.title === undefined) continue;
          expect(prop.title).toBe(`t:${key}.title`);
          const original = (sample.schema.properties as Record<string, Record<string, unknown>>)[key]!.title;
          expect(form.translations.ar[`${key}.title`]).toBe(original);
          expect(form.translations.en[`${key}.title`]).toBe(original);
        }
      });
    });
  }

  it("simple: recognises the field types and keeps what it does not edit", () => {
    const m = formToModel(JSON.parse(fs.readFileSync(path.join(SAMPLES, "simple.json"), "utf8")) as Sample);
    const byKey = Object.fromEntries(m.fields.map((f) => [f.key, f]));
    expect(m.title).toEqual({ ar: "A registration form", en: "A registration form" });
    expect(byKey.firstName).toMatchObject({ type: "shortText", required: true, placeholder: { ar: "Your first name", en: "Your first name" }, extra: { schema: { default: "Chuck" } } });
    expect(byKey.bio!.type).toBe("longText");
    expect(byKey.age).toMatchObject({ type: "integer", extra: { ui: { "ui:widget": "updown" } } });
    expect(byKey.email!.type).toBe("email");
    expect(byKey.birthday!.type).toBe("date");
  });

  it("enums: string enums become options with their names; number enums are kept", () => {
    const m = formToModel(JSON.parse(fs.readFileSync(path.join(SAMPLES, "enums.json"), "utf8")) as Sample);
    const byKey = Object.fromEntries(m.fields.map((f) => [f.key, f]));
    expect(byKey.colour!.type).toBe("select");
    expect(byKey.colour!.props.options![1]).toEqual({ value: "green", label: { ar: "Green", en: "Green" } });
    expect(byKey.delivery!.type).toBe("radio");
    expect(byKey.toppings!.type).toBe("multiSelect");
    expect(byKey.priority).toMatchObject({ type: "integer", extra: { schema: { enum: [1, 2, 3] } } });
  });

  it("arrays: unknown constructs become raw fields, tables keep their row extras", () => {
    const m = formToModel(JSON.parse(fs.readFileSync(path.join(SAMPLES, "arrays.json"), "utf8")) as Sample);
    const byKey = Object.fromEntries(m.fields.map((f) => [f.key, f]));
    expect(byKey.fixedItemsList!.type).toBe("raw");
    expect(byKey.minItemsList!.type).toBe("raw");
    expect(byKey.multipleChoicesList!.type).toBe("multiSelect");
    expect(byKey.rows).toMatchObject({ type: "table", props: { minItems: 1, maxItems: 10 }, extra: { items: { title: "Bid item" }, ui: { "ui:options": { addable: true } } } });
    expect(byKey.rows!.children!.map((c) => [c.key, c.type, c.required])).toEqual([
      ["item", "shortText", true],
      ["amount", "number", true],
    ]);
    expect(m.extra?.schema?.$defs).toEqual({ Thing: { type: "string", default: "Default name" } });
  });

  it("conditionals: builder-shaped if/then become conditions, others are kept as they are", () => {
    const sample = JSON.parse(fs.readFileSync(path.join(SAMPLES, "conditionals.json"), "utf8")) as Sample;
    const m = formToModel(sample);
    const byKey = Object.fromEntries(m.fields.map((f) => [f.key, f]));
    expect(byKey.childrenCount).toMatchObject({ required: true, visibleWhen: { field: "hasChildren", op: "isTrue" } });
    expect(byKey.phone).toMatchObject({ required: true, visibleWhen: { field: "contact", op: "equals", value: "phone" } });
    expect((m.extra?.schema?.allOf as unknown[]).length).toBe(1);
    expect(m.extra?.schema?.dependentRequired).toEqual({ credit_card: ["billing_address"] });
  });

  it("keeps the translations that kept fragments still refer to", () => {
    const m = formToModel({
      schema: { type: "object", properties: { x: { type: "string", title: "t:x.title" }, odd: { type: "array", prefixItems: [{ type: "string", title: "t:odd.first" }] } } },
      uiSchema: {},
      translations: { ar: { "x.title": "س", "odd.first": "الأول", stale: "قديم" }, en: { "x.title": "X" } },
    });
    const form = modelToForm(m);
    expect(form.translations.ar).toEqual({ "x.title": "س", "odd.first": "الأول" });
    expect(form.translations.en).toEqual({ "x.title": "X" });
  });

  it("refuses a schema that is not an object form", () => {
    expect(() => formToModel({ schema: { type: "string" } })).toThrow(FormImportError);
    expect(() => formToModel({ schema: [] })).toThrow(FormImportError);
  });
});
