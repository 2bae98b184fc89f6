import { beforeEach, describe, expect, it } from "vitest";
import { PAYLOAD_LIMITS } from "./payload.server";
import { formCacheStats, resetFormCache, validateSubmission, type ValidationResult } from "./validate.server";

const ARABIC = /[\u0600-\u06FF]/;

const schema = {
  type: "object",
  required: ["name", "nationalId", "agree"],
  properties: {
    name: { type: "string", title: "t:name.title", minLength: 2, maxLength: 20 },
    nationalId: { type: "string", pattern: "^[0-9]{10}$", "x-masar-errors": { pattern: "t:nationalId.errors.pattern", required: "t:nationalId.errors.required" } },
    age: { type: "integer", minimum: 18, maximum: 65 },
    kind: { type: "string", oneOf: [{ const: "person", title: "t:kind.options.person" }, { const: "company", title: "t:kind.options.company" }] },
    level: { type: "string", enum: ["low", "high"] },
    email: { type: "string", format: "email" },
    born: { type: "string", format: "date" },
    amount: { type: "number", multipleOf: 0.01, "x-masar-currency": "SAR" },
    tags: { type: "array", minItems: 1, maxItems: 2, items: { type: "string" } },
    applicant: { type: "object", properties: { city: { type: "string" } } },
    items: {
      type: "array",
      items: {
        type: "object",
        required: ["qty"],
        properties: { qty: { type: "number" }, price: { type: "number" }, total: { type: "number", readOnly: true, "x-masar-compute": "qty * price" } },
      },
    },
    grand: { type: "number", readOnly: true, "x-masar-compute": "sum(for r in items return r.total)" },
    status: { type: "string", default: "new" },
    agree: { type: "boolean", const: true },
  },
  allOf: [{ if: { properties: { kind: { const: "company" } }, required: ["kind"] }, then: { required: ["email"] } }],
};
const translations = {
  ar: { "nationalId.errors.pattern": "رقم الهوية عشرة أرقام", "nationalId.errors.required": "أدخل رقم الهوية" },
  en: { "nationalId.errors.pattern": "The national id has ten digits" },
};
let versionCounter = 0;
const newVersion = (s: unknown = schema) => ({ id: `00000000-0000-4000-8000-${String(++versionCounter).padStart(12, "0")}`, lock_version: 1, schema: s, translations });
const version = newVersion();
const valid = { name: "سارة", nationalId: "1234567890", agree: true };

function failure(result: ValidationResult) {
  if (result.ok) throw new Error("expected a failure");
  return result;
}
const errorAt = (result: ValidationResult, path: string, keyword: string) => failure(result).errors.find((e) => e.path === path && e.keyword === keyword);

describe("validateSubmission: Arabic messages for each rule", () => {
  const cases: [string, Record<string, unknown>, string, string, RegExp][] = [
    ["required", { name: undefined }, "/name", "required", /هذا الحقل إلزامي/],
    ["minLength", { name: "س" }, "/name", "minLength", /أقل من 2/],
    ["maxLength", { name: "س".repeat(21) }, "/name", "maxLength", /أكثر من 20/],
    ["minimum", { age: 10 }, "/age", "minimum", /يجب أن يكون >= 18/],
    ["maximum", { age: 70 }, "/age", "maximum", /يجب أن يكون <= 65/],
    ["pattern (field override)", { nationalId: "12" }, "/nationalId", "pattern", /^رقم الهوية عشرة أرقام$/],
    ["enum", { level: "medium" }, "/level", "enum", /القيم المعرفة مسبقاً/],
    ["select (oneOf of consts)", { kind: "robot" }, "/kind", "enum", /اختر أحد الخيارات/],
    ["minItems", { tags: [] }, "/tags", "minItems", /أقل من 1/],
    ["maxItems", { tags: ["a", "b", "c"] }, "/tags", "maxItems", /أكثر من 2/],
    ["format email", { email: "not-an-email" }, "/email", "format", /يجب أن يوافق الصيغة "email"/],
    ["format date", { born: "2024-13-45" }, "/born", "format", /يجب أن يوافق الصيغة "date"/],
    ["multipleOf (currency)", { amount: 10.005 }, "/amount", "multipleOf", /مضاعفات 0.01/],
    ["signature acknowledgement", { agree: false }, "/agree", "const", /تأكيد هذا الإقرار/],
    ["type", { age: "ثلاثون" }, "/age", "type", /غير صالحة/],
  ];
  for (const [rule, patch, path, keyword, message] of cases) {
    it(rule, async () => {
      const data = JSON.parse(JSON.stringify({ ...valid, ...patch })); // drops undefined
      const result = await validateSubmission(version, data, "ar");
      const error = errorAt(result, path, keyword);
      expect(error, JSON.stringify(failure(result).errors)).toBeDefined();
      expect(error!.message).toMatch(message);
      expect(error!.message).toMatch(ARABIC);
    });
  }

  it("English messages in English, with the override's English text; a missing English override falls back to Arabic", async () => {
    const result = await validateSubmission(version, { name: "x", nationalId: "12", agree: true }, "en");
    expect(errorAt(result, "/name", "minLength")!.message).toBe("must NOT be shorter than 2 characters");
    expect(errorAt(result, "/nationalId", "pattern")!.message).toBe("The national id has ten digits");
    const missing = await validateSubmission(version, { name: "Sara", agree: true }, "en");
    expect(errorAt(missing, "/nationalId", "required")!.message).toBe("أدخل رقم الهوية");
  });

  it("the select error lists the allowed values once, not one error per option", async () => {
    const result = failure(await validateSubmission(version, { ...valid, kind: "robot" }, "ar"));
    expect(result.errors.filter((e) => e.path === "/kind")).toEqual([expect.objectContaining({ keyword: "enum", params: { allowedValues: ["person", "company"] } })]);
  });
});

describe("validateSubmission: conditions, computed values, defaults", () => {
  it("requires a field only when its condition holds", async () => {
    expect((await validateSubmission(version, { ...valid, kind: "person" }, "ar")).ok).toBe(true);
    const result = await validateSubmission(version, { ...valid, kind: "company" }, "ar");
    expect(errorAt(result, "/email", "required")?.message).toBe("هذا الحقل إلزامي");
    // No stray "must match then schema" error next to it.
    expect(failure(result).errors.map((e) => e.keyword)).toEqual(["required"]);
    expect((await validateSubmission(version, { ...valid, kind: "company", email: "a@b.co" }, "ar")).ok).toBe(true);
  });

  it("evaluates computed fields on the server (rows first, then totals), ignoring what the browser sent, and fills defaults", async () => {
    const input = { ...valid, items: [{ qty: 2, price: 3.5, total: 1_000_000 }, { qty: 1, price: 4 }], grand: -1 };
    const result = await validateSubmission(version, input, "ar");
    expect(result).toEqual({
      ok: true,
      value: { ...valid, items: [{ qty: 2, price: 3.5, total: 7 }, { qty: 1, price: 4, total: 4 }], grand: 11, status: "new" },
    });
    // The caller's object is not touched.
    expect(input.items[0]!.total).toBe(1_000_000);
    expect(input).not.toHaveProperty("status");
  });

  it("a computation that yields nothing leaves the field out instead of failing", async () => {
    const result = await validateSubmission(version, { ...valid, items: [{ qty: 2 }] }, "ar");
    expect(result.ok && (result.value.items as Record<string, unknown>[])[0]).toEqual({ qty: 2 });
  });
});

describe("validateSubmission: hostile payloads are refused before validation", () => {
  const refused = async (data: unknown) => failure(await validateSubmission(version, data, "ar"));

  it("extra properties at the top, in a section and in a table row", async () => {
    for (const [data, path] of [
      [{ ...valid, isAdmin: true }, "/isAdmin"],
      [{ ...valid, applicant: { city: "الرياض", role: "admin" } }, "/applicant/role"],
      [{ ...valid, items: [{ qty: 1, price: 1, hidden: 1 }] }, "/items/0/hidden"],
    ] as const) {
      const result = await refused(data);
      expect(result.status).toBe(400);
      expect(result.errors).toContainEqual(expect.objectContaining({ path, keyword: "unevaluatedProperties", message: expect.stringMatching(ARABIC) }));
    }
  });

  it("__proto__, constructor and prototype keys anywhere", async () => {
    for (const json of [
      `{"name":"سارة","nationalId":"1234567890","agree":true,"__proto__":{"isAdmin":true}}`,
      `{"applicant":{"constructor":{"prototype":{"x":1}}}}`,
      `{"items":[{"qty":1,"prototype":1}]}`,
    ]) {
      const result = await refused(JSON.parse(json));
      expect(result).toMatchObject({ status: 400, code: "payload_forbidden_key" });
      expect(result.errors[0]!.message).toMatch(ARABIC);
    }
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it("deep nesting, huge arrays, huge strings, non-objects", async () => {
    let deep: unknown = {};
    for (let i = 0; i < PAYLOAD_LIMITS.maxDepth; i++) deep = { a: deep };
    expect(await refused({ ...valid, applicant: deep })).toMatchObject({ code: "payload_too_deep", status: 400 });
    expect(await refused({ ...valid, tags: Array.from({ length: 1001 }, () => "x") })).toMatchObject({ code: "payload_array_too_long" });
    expect(await refused({ ...valid, name: "x".repeat(PAYLOAD_LIMITS.maxStringLength + 1) })).toMatchObject({ code: "payload_string_too_long" });
    expect(await refused([valid])).toMatchObject({ code: "payload_not_object" });
    expect(await refused("text")).toMatchObject({ code: "payload_not_object" });
    const big = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, "x".repeat(6000)]));
    expect(await refused(big)).toMatchObject({ code: "payload_too_large", status: 413 });
  });

  it("a pattern never runs on more than PATTERN_INPUT_MAX characters", async () => {
    const v = newVersion({ type: "object", properties: { t: { type: "string", pattern: "^[a-z ]+$" } } });
    expect((await validateSubmission(v, { t: "a".repeat(2000) }, "ar")).ok).toBe(true);
    expect(errorAt(await validateSubmission(v, { t: "a".repeat(2001) }, "ar"), "/t", "pattern")).toBeDefined();
  });
});

describe("validateSubmission: file fields", () => {
  const fileForm = {
    type: "object",
    properties: {
      cv: { type: "string", format: "uuid", "x-masar-file": { accept: ["application/pdf"], maxSizeMb: 1 } },
      scans: { type: "array", items: { type: "string", format: "uuid", "x-masar-file": { accept: ["image/png"], maxSizeMb: 1 } } },
    },
  };
  const pdf = "11111111-1111-4111-8111-111111111111";
  const png = "22222222-2222-4222-8222-222222222222";
  const big = "33333333-3333-4333-8333-333333333333";
  const stranger = "44444444-4444-4444-8444-444444444444";
  const known = new Map([
    [pdf, { contentType: "application/pdf", size: 1000 }],
    [png, { contentType: "image/png", size: 1000 }],
    [big, { contentType: "image/png", size: 2 * 1024 * 1024 }],
  ]);
  const files = async (ids: string[]) => new Map(ids.filter((id) => known.has(id)).map((id) => [id, known.get(id)!]));
  const v = newVersion(fileForm);

  it("refuses to run without a file checker", async () => {
    await expect(validateSubmission(v, { cv: pdf }, "ar")).rejects.toThrow(/options.files/);
  });

  it("accepts the submitter's files of an accepted type and size; refuses unknown, wrong type, too large", async () => {
    expect((await validateSubmission(v, { cv: pdf, scans: [png] }, "ar", { files })).ok).toBe(true);
    const result = failure(await validateSubmission(v, { cv: png, scans: [stranger, big] }, "ar", { files }));
    expect(result.errors.map((e) => [e.path, e.keyword])).toEqual([
      ["/cv", "x-masar-file"],
      ["/scans/0", "x-masar-file"],
      ["/scans/1", "x-masar-file"],
    ]);
    for (const e of result.errors) expect(e.message).toMatch(ARABIC);
  });
});

describe("compiled validators are cached per version", () => {
  beforeEach(() => resetFormCache({ capacity: 2 }));

  it("compiles once per version and counts hits and misses", async () => {
    const a = newVersion();
    for (let i = 0; i < 5; i++) await validateSubmission(a, valid, "ar");
    expect(formCacheStats()).toMatchObject({ misses: 1, hits: 4, size: 1 });
  });

  it("evicts the least recently used version beyond the capacity", async () => {
    const [a, b, c] = [newVersion(), newVersion(), newVersion()];
    await validateSubmission(a, valid, "ar");
    await validateSubmission(b, valid, "ar");
    await validateSubmission(a, valid, "ar"); // a is now the most recent
    await validateSubmission(c, valid, "ar"); // evicts b
    await validateSubmission(a, valid, "ar");
    expect(formCacheStats()).toMatchObject({ misses: 3, hits: 2, evictions: 1, size: 2 });
    await validateSubmission(b, valid, "ar");
    expect(formCacheStats().misses).toBe(4);
  });
});
