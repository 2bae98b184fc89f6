import { describe, expect, it } from "vitest";
import { diffAudit, prettyJson } from "./audit-diff";

describe("diffAudit", () => {
  it("marks each top-level field as added, removed, changed or unchanged", () => {
    const rows = diffAudit({ code: "16", name_ar: "قديم", parent: null }, { code: "16", name_ar: "جديد", title: "مدير" });
    expect(rows).toEqual([
      { key: "code", kind: "same", before: '"16"', after: '"16"' },
      { key: "name_ar", kind: "changed", before: '"قديم"', after: '"جديد"' },
      { key: "parent", kind: "removed", before: "null", after: undefined },
      { key: "title", kind: "added", before: undefined, after: '"مدير"' },
    ]);
  });

  it("treats a creation (no before) as every field added and a deletion as every field removed", () => {
    expect(diffAudit(null, { a: 1 })).toEqual([{ key: "a", kind: "added", before: undefined, after: "1" }]);
    expect(diffAudit({ a: 1 }, null)).toEqual([{ key: "a", kind: "removed", before: "1", after: undefined }]);
  });

  it("compares nested values regardless of key order (jsonb reorders keys)", () => {
    const rows = diffAudit({ rules: { b: 1, a: [1, 2] } }, { rules: { a: [1, 2], b: 1 } });
    expect(rows).toEqual([{ key: "rules", kind: "same", before: prettyJson({ a: [1, 2], b: 1 }), after: prettyJson({ a: [1, 2], b: 1 }) }]);
    expect(diffAudit({ rules: [1, 2] }, { rules: [2, 1] })[0]?.kind).toBe("changed");
  });

  it("compares non-object values whole", () => {
    expect(diffAudit([1], [1, 2])).toEqual([{ key: "", kind: "changed", before: "[\n  1\n]", after: "[\n  1,\n  2\n]" }]);
    expect(diffAudit("x", "x")[0]?.kind).toBe("same");
  });
});
