import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { importFormJson } from "./import";

const sample = (name: string) => fs.readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), "samples", `${name}.json`), "utf8");

describe("importFormJson", () => {
  it("reads a playground sample (schema + uiSchema + formData)", () => {
    const r = importFormJson(sample("simple"));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.fields).toBe(8);
    expect(r.content.schema.title).toBe("t:$form.title");
    expect(r.content.translations.ar["$form.title"]).toBe("A registration form");
    expect((r.content.uiSchema.bio as Record<string, unknown>)["ui:widget"]).toBe("textarea");
  });

  it("reads a bare JSON Schema and drops an older $schema", () => {
    const r = importFormJson(JSON.stringify({ $schema: "http://json-schema.org/draft-07/schema#", type: "object", properties: { a: { type: "string", title: "A" } } }));
    expect(r.ok && r.content.schema.$schema).toBeUndefined();
    expect(r.ok && r.content.translations.en["a.title"]).toBe("A");
  });

  it("keeps a Masar version's translations", () => {
    const version = { schema: { type: "object", properties: { a: { type: "string", title: "t:a.title" } } }, uiSchema: {}, translations: { ar: { "a.title": "أ" }, en: { "a.title": "A" } } };
    const r = importFormJson(JSON.stringify(version));
    expect(r.ok && r.content.translations).toEqual({ ar: { "a.title": "أ" }, en: { "a.title": "A" } });
  });

  it("refuses what is not a form", () => {
    expect(importFormJson("{nope")).toEqual({ ok: false, code: "notJson" });
    expect(importFormJson("[1,2]")).toEqual({ ok: false, code: "notObject" });
    expect(importFormJson(JSON.stringify({ type: "string" }))).toEqual({ ok: false, code: "notObject" });
  });
});
