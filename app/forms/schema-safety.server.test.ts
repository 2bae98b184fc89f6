import { describe, expect, it } from "vitest";
import { describeProblems } from "./messages.server";
import { checkSchema, hasErrors, SCHEMA_LIMITS, type Problem } from "./schema-safety.server";

const codes = (problems: Problem[], severity: Problem["severity"] = "error") => problems.filter((p) => p.severity === severity).map((p) => p.code);
const form = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: "object", properties, ...extra });
const check = (schema: unknown, options: Parameters<typeof checkSchema>[1] = {}, more: { uiSchema?: unknown; translations?: unknown } = {}) =>
  checkSchema({ schema, uiSchema: more.uiSchema ?? {}, translations: more.translations ?? { ar: {}, en: {} } }, options);

// A form in the shape the builder writes (forms conventions): every field type once.
const catalogueForm = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  required: ["name", "agree"],
  properties: {
    name: { type: "string", title: "t:name.title", maxLength: 100 },
    notes: { type: "string" },
    count: { type: "integer", minimum: 0 },
    amount: { type: "number", multipleOf: 0.01, "x-masar-currency": "SAR" },
    born: { type: "string", format: "date" },
    at: { type: "string", format: "date-time" },
    email: { type: "string", format: "email" },
    phone: { type: "string", pattern: "^\\+?[0-9 ]{7,20}$" },
    nationalId: { type: "string", pattern: "^[0-9]{10}$", "x-masar-errors": { pattern: "t:nationalId.errors.pattern" } },
    kind: { type: "string", oneOf: [{ const: "a", title: "t:kind.options.a" }, { const: "b", title: "t:kind.options.b" }] },
    tags: { type: "array", uniqueItems: true, items: { type: "string", oneOf: [{ const: "x", title: "t:tags.options.x" }] } },
    ok: { type: "boolean" },
    rating: { type: "integer", minimum: 1, maximum: 5 },
    cv: { type: "string", format: "uuid", "x-masar-file": { accept: ["application/pdf"], maxSizeMb: 5 } },
    scans: { type: "array", maxItems: 5, items: { type: "string", format: "uuid", "x-masar-file": { accept: ["image/png", "image/jpeg"], maxSizeMb: 2 } } },
    rows: {
      type: "array",
      minItems: 1,
      maxItems: 50,
      items: { type: "object", required: ["qty"], properties: { qty: { type: "number" }, total: { type: "number", readOnly: true, "x-masar-compute": "qty * 2" } } },
    },
    applicant: { type: "object", properties: { city: { type: "string" } } },
    sum: { type: "number", readOnly: true, "x-masar-compute": "sum(for r in rows return r.total)" },
    agree: { type: "boolean", const: true },
  },
  allOf: [{ if: { properties: { kind: { const: "b" } }, required: ["kind"] }, then: { required: ["email"] } }],
};
const catalogueTexts = {
  ar: { "name.title": "الاسم", "nationalId.errors.pattern": "عشرة أرقام", "kind.options.a": "أ", "kind.options.b": "ب", "tags.options.x": "س", "name.placeholder": "اكتب اسمك" },
  en: { "name.title": "Name", "nationalId.errors.pattern": "Ten digits", "kind.options.a": "A", "kind.options.b": "B", "tags.options.x": "X", "name.placeholder": "Your name" },
};

describe("checkSchema", () => {
  it("accepts every field type of the catalogue with conditions, in publish mode, without warnings", () => {
    const problems = check(catalogueForm, { mode: "publish", maxFileMb: 25 }, { uiSchema: { name: { "ui:placeholder": "t:name.placeholder" } }, translations: catalogueTexts });
    expect(problems).toEqual([]);
  });

  it("refuses a root that is not an object schema, and values that are not objects", () => {
    expect(codes(check({ type: "string" }))).toContain("rootNotObject");
    expect(codes(check([]))).toEqual(["notObject"]);
    expect(codes(checkSchema({ schema: form({}), uiSchema: "x" }))).toEqual(["notObject"]);
  });

  it("limits depth, property count and size", () => {
    let deep: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < SCHEMA_LIMITS.maxDepth; i++) deep = { type: "object", properties: { a: deep } };
    expect(codes(check(deep))).toContain("tooDeep");
    let shallow: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < SCHEMA_LIMITS.maxDepth - 1; i++) shallow = { type: "object", properties: { a: shallow } };
    expect(codes(check(shallow))).toEqual([]);

    const many = Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`f${i}`, { type: "string" }]));
    expect(codes(check(form(many)))).toContain("tooManyProperties");
    const fine = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`f${i}`, { type: "string" }]));
    expect(codes(check(form(fine)))).toEqual([]);

    expect(codes(check(form({ a: { type: "string", description: "x".repeat(SCHEMA_LIMITS.maxBytes) } })))).toContain("tooLarge");
    // Arbitrary JSON (a default value) nested absurdly deep is refused before any walk.
    let value: unknown = 1;
    for (let i = 0; i < 10_000; i++) value = [value];
    expect(codes(check(form({ a: { type: "array", default: value } })))).toEqual(["tooDeep"]);
  });

  it("refuses remote, non-local and dangling $ref, $dynamicRef and $id", () => {
    expect(codes(check(form({ a: { $ref: "https://evil.example/schema.json" } })))).toEqual(["refNotLocal"]);
    expect(codes(check(form({ a: { $ref: "other.json#/x" } })))).toEqual(["refNotLocal"]);
    expect(codes(check(form({ a: { $ref: "#/properties/b" } })))).toEqual(["refNotLocal"]);
    expect(codes(check(form({ a: { $ref: "#/$defs/missing" } })))).toEqual(["refMissing"]);
    expect(codes(check(form({ a: { $ref: "#/$defs/name" } }, { $defs: { name: { type: "string" } } })))).toEqual([]);
    expect(codes(check(form({ a: { $dynamicRef: "#meta" } })))).toContain("dynamicRef");
    expect(codes(check(form({ a: { $id: "https://x.example/a", type: "string" } })))).toContain("idNotAllowed");
    expect(codes(check({ ...form({}), $schema: "http://json-schema.org/draft-07/schema#" }))).toContain("schemaDialect");
  });

  it("refuses unknown keywords, unknown formats and bad property names", () => {
    expect(check(form({ a: { type: "string", minLenght: 3 } }))).toMatchObject([{ code: "unknownKeyword", params: { keyword: "minLenght" }, path: "/properties/a/minLenght" }]);
    expect(codes(check(form({ a: { type: "string", "x-masar-other": 1 } })))).toEqual(["unknownKeyword"]);
    expect(codes(check(form({ a: { type: "string", format: "credit-card" } })))).toEqual(["unknownFormat"]);
    expect(codes(check(JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"}}}')))).toContain("badPropertyName");
    expect(codes(check(form({ "a.b": { type: "string" } })))).toContain("badPropertyName");
  });

  it("refuses unsafe and over-long patterns (also in patternProperties), with the pattern in the message", () => {
    const problems = check(form({ a: { type: "string", pattern: "^(a+)+$" } }));
    expect(problems).toMatchObject([{ code: "patternNestedQuantifier", path: "/properties/a/pattern", params: { pattern: "^(a+)+$" } }]);
    expect(codes(check(form({ a: { type: "string", pattern: "(a|ab)*c" } })))).toEqual(["patternOverlappingAlternation"]);
    expect(codes(check(form({ a: { type: "string", pattern: "(a)\\1" } })))).toEqual(["patternBackreference"]);
    expect(codes(check(form({ a: { type: "string", pattern: "(?<=a)b" } })))).toEqual(["patternLookbehind"]);
    expect(codes(check(form({ a: { type: "string", pattern: "a".repeat(201) } })))).toEqual(["patternTooLong"]);
    expect(codes(check(form({ a: { type: "string", pattern: "[" } })))).toEqual(["patternInvalid"]);
    expect(codes(check(form({ a: { type: "object", patternProperties: { "^(x+)+$": { type: "string" } } } })))).toEqual(["patternNestedQuantifier"]);
    const [message] = describeProblems(problems, "ar");
    expect(message!.message).toContain("^(a+)+$");
    expect(message!.message).toMatch(/[\u0600-\u06FF]/);
  });

  it("checks x-masar-compute: FEEL syntax, no ranges, no function definitions, read-only", () => {
    const computed = (expr: string, extra: Record<string, unknown> = {}) => form({ t: { type: "number", readOnly: true, "x-masar-compute": expr, ...extra } });
    expect(codes(check(computed("qty * price")))).toEqual([]);
    expect(codes(check(computed("qty * ")))).toEqual(["computeInvalid"]);
    expect(codes(check(computed("count(for i in 1..100000000 return i)")))).toEqual(["computeNotAllowed"]);
    expect(codes(check(computed("{f: function(n) f(n)}.f(1)")))).toEqual(["computeNotAllowed"]);
    expect(codes(check(computed("count(for a in x, b in y, c in z return 1)")))).toEqual(["computeNotAllowed"]);
    expect(codes(check(form({ t: { type: "number", "x-masar-compute": "1" } })))).toEqual(["computeNotReadOnly"]);
    // An empty expression is work in progress in a draft, an error when publishing.
    expect(codes(check(computed("")), "warning")).toEqual(["computeEmpty"]);
    expect(codes(check(computed(""), { mode: "publish" }))).toEqual(["computeEmpty"]);
  });

  it("checks x-masar-file against the allow-list and the organisation's size limit", () => {
    const file = (spec: unknown, extra: Record<string, unknown> = { format: "uuid" }) => form({ f: { type: "string", ...extra, "x-masar-file": spec } });
    expect(codes(check(file({ accept: ["application/pdf"], maxSizeMb: 10 }), { maxFileMb: 25 }))).toEqual([]);
    expect(codes(check(file({ accept: ["application/pdf"], maxSizeMb: 30 }), { maxFileMb: 25 }))).toEqual(["fileTooLarge"]);
    expect(codes(check(file({ accept: ["application/x-msdownload"], maxSizeMb: 1 })))).toEqual(["fileTypeNotAllowed"]);
    expect(codes(check(file({ accept: [], maxSizeMb: 1 })))).toEqual(["fileSpecInvalid"]);
    expect(codes(check(file({ accept: ["application/pdf"], maxSizeMb: 1 }, {})))).toEqual(["fileNotUuid"]);
  });

  it("checks x-masar-errors and x-masar-currency", () => {
    expect(codes(check(form({ a: { type: "string", "x-masar-errors": { minLenght: "t:a.e" } } })))).toEqual(["errorsKeywordUnknown"]);
    expect(codes(check(form({ a: { type: "string", "x-masar-errors": { required: "Required!" } } })))).toEqual(["errorsNotKey"]);
    expect(codes(check(form({ a: { type: "number", "x-masar-currency": "riyal" } })))).toEqual(["currencyInvalid"]);
  });

  it("refuses lists that allow more than 1000 items", () => {
    expect(codes(check(form({ a: { type: "array", maxItems: 1001, items: { type: "string" } } })))).toEqual(["maxItemsTooLarge"]);
  });

  it("reports what ajv's meta-validation finds (draft 2020-12)", () => {
    expect(codes(check(form({ a: { type: "strin" } })))).toContain("invalidSchema");
    expect(codes(check(form({ a: { type: "string", minLength: -1 } })))).toContain("invalidSchema");
  });

  it("translations: Arabic missing is a warning in a draft and an error when publishing; English missing is a warning", () => {
    const schema = form({ a: { type: "string", title: "t:a.title" } });
    const onlyEn = { ar: {}, en: { "a.title": "A" } };
    expect(codes(check(schema, { mode: "draft" }, { translations: onlyEn }), "warning")).toEqual(["translationMissing"]);
    expect(hasErrors(check(schema, { mode: "draft" }, { translations: onlyEn }))).toBe(false);
    expect(check(schema, { mode: "publish" }, { translations: onlyEn })).toMatchObject([{ code: "translationMissing", severity: "error", params: { locale: "ar", key: "a.title" } }]);
    const onlyAr = { ar: { "a.title": "أ" }, en: {} };
    expect(check(schema, { mode: "publish" }, { translations: onlyAr })).toMatchObject([{ code: "translationMissing", severity: "warning", params: { locale: "en" } }]);
    // UI schema keys count too.
    const ui = { a: { "ui:placeholder": "t:a.placeholder" } };
    expect(check(schema, { mode: "publish" }, { uiSchema: ui, translations: { ar: { "a.title": "أ" }, en: { "a.title": "A" } } })).toMatchObject([
      { code: "translationMissing", severity: "error", params: { key: "a.placeholder", locale: "ar" } },
      { code: "translationMissing", severity: "warning", params: { key: "a.placeholder", locale: "en" } },
    ]);
    expect(codes(check(schema, {}, { translations: { ar: {}, en: {}, fr: {} } }))).toEqual(["translationsShape"]);
    expect(codes(check(schema, {}, { translations: { ar: { "a.title": 5 }, en: {} } }))).toContain("translationInvalid");
  });

  it("every problem code has a message in both languages", () => {
    const all = [
      ...check({ type: "string" }),
      ...check(form({ a: { type: "string", minLenght: 1, format: "x", pattern: "(a+)+" } })),
      ...check(form({ a: { $ref: "http://x" }, b: { $dynamicRef: "#x" } })),
      ...check(form({ t: { type: "number", "x-masar-compute": "1.." } }), { mode: "publish" }, { translations: { ar: {}, en: {}, xx: {} } }),
    ];
    for (const locale of ["ar", "en"] as const) {
      for (const p of describeProblems(all, locale)) expect(p.message).not.toContain("server.schema.");
    }
  });
});
