import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, entryHash, GENESIS_HASH, type HashedFields } from "./audit.server";

/** The same object with its keys inserted in reverse order, at every level. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reverseKeys(v)]),
    );
  }
  return value;
}

describe("canonicalJson", () => {
  it("does not depend on key order, at any depth", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const shuffled = reverseKeys(value);
        expect(canonicalJson(shuffled)).toBe(canonicalJson(value));
      }),
    );
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: "ج" } })).toBe('{"a":{"c":"ج","d":[1,{"x":1,"y":2}]},"b":1}');
  });

  it("parses back to the same value (so nothing is lost before hashing)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it("keeps array order and distinguishes values that differ", () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
    expect(canonicalJson({ a: "1" })).not.toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({}));
  });

  it("treats undefined like JSON does and dates as ISO strings", () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson(undefined)).toBe("null");
    expect(canonicalJson([undefined])).toBe("[null]");
    expect(canonicalJson({ at: new Date("2026-03-01T08:00:00.000Z") })).toBe('{"at":"2026-03-01T08:00:00.000Z"}');
  });
});

describe("entryHash", () => {
  const base: HashedFields = {
    org_id: "6f1c9a64-3b0e-4f7e-9a55-2d7f1b0c8e11",
    seq: "7",
    at: new Date("2026-03-01T08:00:00.123Z"),
    actor_user_id: "0b8f6a2e-1f0c-4c47-8a3b-5e9d2c4a7f10",
    actor_label: "admin@social-services.example",
    action: "unit.update",
    subject_type: "OrgUnit",
    subject_id: "16",
    before: { name_ar: "إدارة خدمة المتعاملين", code: "16" },
    after: { name_ar: "إدارة خدمة العملاء", code: "16" },
    request_id: "req-1",
    ip: "10.0.0.1",
  };
  const prev = "a".repeat(64);

  // One different value for every hashed field: each must change the hash.
  const variants: { [K in keyof HashedFields]: HashedFields[K] } = {
    org_id: null,
    seq: "8",
    at: new Date("2026-03-01T08:00:00.124Z"),
    actor_user_id: null,
    actor_label: "manager@social-services.example",
    action: "unit.delete",
    subject_type: "Role",
    subject_id: "12",
    before: { name_ar: "إدارة خدمة المتعاملين", code: "17" },
    after: null,
    request_id: "req-2",
    ip: "10.0.0.2",
  };

  it("is a stable SHA-256 hex digest", () => {
    const hash = entryHash(prev, base);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash(prev, { ...base })).toBe(hash);
  });

  it("does not depend on the key order of before/after (jsonb reorders keys)", () => {
    const reordered = { ...base, before: reverseKeys(base.before), after: reverseKeys(base.after) };
    expect(entryHash(prev, reordered)).toBe(entryHash(prev, base));
  });

  it.each(Object.keys(variants) as (keyof HashedFields)[])("changes when %s changes", (field) => {
    const changed = { ...base, [field]: variants[field] } as HashedFields;
    expect(entryHash(prev, changed)).not.toBe(entryHash(prev, base));
  });

  it("covers every field of HashedFields (a new column must be added to the variants above)", () => {
    expect(Object.keys(variants).sort()).toEqual(Object.keys(base).sort());
  });

  it("changes with the previous hash, so entries cannot be moved between positions", () => {
    expect(entryHash(GENESIS_HASH, base)).not.toBe(entryHash(prev, base));
  });

  it("changes when a nested value changes", () => {
    const nested = { ...base, after: { ...(base.after as object), extra: { deep: [1, 2] } } };
    const nested2 = { ...base, after: { ...(base.after as object), extra: { deep: [1, 3] } } };
    expect(entryHash(prev, nested)).not.toBe(entryHash(prev, nested2));
  });
});
