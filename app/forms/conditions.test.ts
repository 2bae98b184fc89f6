import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import { hiddenPaths, pathKey, visibilityRules } from "~/components/form-renderer/visibility";
import { modelToForm, newField, type BuilderModel, type FieldNode } from "./fields";
import type { Condition } from "./model";

// The builder writes each condition twice: uiSchema "x-masar-visibleWhen" (the renderer
// hides the field) and an allOf if/then in the schema (the server requires it). Both
// must agree with what the builder shows, for every operator.

function field(type: FieldNode["type"], key: string, extra: Partial<FieldNode> = {}): FieldNode {
  return { ...newField(type, []), id: key, key, ...extra };
}

function form(visibleWhen: Condition) {
  const model: BuilderModel = {
    title: { ar: "", en: "" },
    description: { ar: "", en: "" },
    fields: [
      field("select", "kind"),
      field("yesNo", "flag"),
      field("integer", "count"),
      field("shortText", "target", { visibleWhen, required: true }),
      field("table", "rows", { children: [field("select", "type"), field("shortText", "why", { visibleWhen: { field: "rows.type", op: "equals", value: "option2" }, required: true })] }),
    ],
  };
  return modelToForm(model);
}

const cases: [Condition, Record<string, unknown>, boolean][] = [
  [{ field: "kind", op: "equals", value: "option2" }, { kind: "option2" }, true],
  [{ field: "kind", op: "equals", value: "option2" }, { kind: "option1" }, false],
  [{ field: "kind", op: "equals", value: "option2" }, {}, false],
  [{ field: "kind", op: "notEquals", value: "option2" }, { kind: "option1" }, true],
  [{ field: "kind", op: "notEquals", value: "option2" }, {}, true],
  [{ field: "kind", op: "notEquals", value: "option2" }, { kind: "option2" }, false],
  [{ field: "flag", op: "isTrue" }, { flag: true }, true],
  [{ field: "flag", op: "isTrue" }, { flag: false }, false],
  [{ field: "flag", op: "equals", value: false }, { flag: false }, true],
  [{ field: "count", op: "equals", value: 3 }, { count: 3 }, true],
  [{ field: "count", op: "equals", value: 3 }, { count: 4 }, false],
];

describe("conditions: renderer and server agree with the builder", () => {
  for (const [condition, data, shown] of cases) {
    it(`${condition.field} ${condition.op} ${String(condition.value ?? "")} with ${JSON.stringify(data)} → ${shown ? "shown and required" : "hidden, not required"}`, () => {
      const f = form(condition);
      const hidden = hiddenPaths(visibilityRules(f.uiSchema), data);
      expect(hidden.has(pathKey(["target"]))).toBe(!shown);
      const validate = new Ajv2020({ strict: false }).compile(f.schema);
      // Without "target": refused exactly when the field is shown (required when shown).
      expect(validate(data)).toBe(!shown);
      expect(validate({ ...data, target: "x" })).toBe(true);
    });
  }

  it("inside a repeating table, a condition reads the same row", () => {
    const f = form({ field: "kind", op: "isTrue" });
    const data = { rows: [{ type: "option1" }, { type: "option2" }] };
    const hidden = hiddenPaths(visibilityRules(f.uiSchema), data);
    expect(hidden.has(pathKey(["rows", 0, "why"]))).toBe(true);
    expect(hidden.has(pathKey(["rows", 1, "why"]))).toBe(false);
    const validate = new Ajv2020({ strict: false }).compile(f.schema);
    expect(validate(data)).toBe(false);
    expect(validate({ rows: [{ type: "option1" }, { type: "option2", why: "سبب" }] })).toBe(true);
  });
});
