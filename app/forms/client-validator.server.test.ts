import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { retrieveSchema, type RJSFSchema } from "@rjsf/utils";
import { afterAll, describe, expect, it } from "vitest";
import { loadValidatorFunctions, MasarValidator } from "~/components/form-renderer/client-validator";
import { clientValidatorModule } from "./client-validator.server";
import { localiseSchema } from "./localise";

// The browser's precompiled validator, end to end: compiled here, loaded as a module the way
// the renderer loads it (a URL import, no eval), and used as rjsf's validator.

const fixture = JSON.parse(fs.readFileSync(path.resolve("test/fixtures/forms/assistance-request.json"), "utf8"));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "masar-validator-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function load(key: string, schema: Record<string, unknown>) {
  const file = path.join(dir, `${key.replace(/[^a-z0-9]/gi, "_")}.mjs`);
  fs.writeFileSync(file, clientValidatorModule(key, schema));
  return loadValidatorFunctions(pathToFileURL(file).href);
}

describe("precompiled browser validator", () => {
  it("validates like the schema says, with Arabic messages and the form's own overrides left to the renderer", async () => {
    const { schema } = localiseSchema(fixture, "ar");
    const fns = await load("v1:ar", schema);
    expect(fns).not.toBeNull();
    const validator = new MasarValidator(fns, schema as RJSFSchema, "ar");
    expect(validator.ready).toBe(true);

    const bad = validator.validateFormData({ fullName: "سا", nationalId: "12", kind: "other", members: [{}] }, schema as RJSFSchema);
    // rjsf writes root-level required errors without the leading dot.
    const byProperty = Object.fromEntries(bad.errors.map((e) => [`.${(e.property ?? "").replace(/^\./, "")}:${e.name}`, e.message]));
    expect(byProperty[".nationalId:pattern"]).toMatch(/[\u0600-\u06FF]/);
    expect(byProperty[".fullName:minLength"]).toMatch(/[\u0600-\u06FF]/);
    expect(byProperty[".otherReason:required"]).toBe("هذا الحقل إلزامي"); // the condition (kind = other) holds
    expect(byProperty[".members.0.name:required"]).toBeDefined();
    expect(byProperty[".confirm:required"]).toBeDefined();

    const good = validator.validateFormData(
      { fullName: "سارة", nationalId: "1234567890", kind: "food", members: [{ name: "محمد" }], confirm: true },
      schema as RJSFSchema,
    );
    expect(good.errors).toEqual([]);
  });

  it("answers rjsf's questions about conditions (which branch of if/then applies)", async () => {
    const { schema } = localiseSchema(fixture, "en");
    const validator = new MasarValidator(await load("v1:en", schema), schema as RJSFSchema, "en");
    const required = (data: object) => (retrieveSchema(validator, schema as RJSFSchema, schema as RJSFSchema, data).required ?? []) as string[];
    expect(required({ kind: "other" })).toContain("otherReason");
    expect(required({ kind: "food" })).not.toContain("otherReason");
    const errors = validator.validateFormData({ fullName: "S" }, schema as RJSFSchema).errors;
    expect(errors.find((e) => e.property === ".fullName")?.message).toMatch(/shorter than 3 characters/);
  });

  it("stands back (validates nothing, never throws) when there is no module", () => {
    const schema = { type: "object", properties: { a: { type: "string", minLength: 5 } } } as RJSFSchema;
    const validator = new MasarValidator(null, schema, "ar");
    expect(validator.ready).toBe(false);
    expect(validator.validateFormData({ a: "x" }, schema).errors).toEqual([]);
    expect(validator.isValid(schema, { a: "x" }, schema)).toBe(false);
  });

  it("compiles each version and language once", async () => {
    const { schema } = localiseSchema(fixture, "ar");
    const first = clientValidatorModule("v2:ar", schema);
    expect(clientValidatorModule("v2:ar", { type: "object" })).toBe(first); // cached by key
    expect(first).toContain("export default function (require)");
  });
});
