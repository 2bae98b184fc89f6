import { describe, expect, it } from "vitest";
import { changedPaths, fieldElementId, labelParts, parseErrorPath, related, sortByFormOrder, toErrorTree, toPointer, withoutErrorsAt } from "./errors";

const schema = {
  type: "object",
  properties: {
    name: { type: "string", title: "الاسم" },
    items: {
      type: "array",
      title: "البنود",
      items: { type: "object", properties: { item: { type: "string", title: "البند" }, amount: { type: "number", title: "المبلغ" } } },
    },
    kind: { type: "string", title: "النوع" },
  },
  allOf: [{ if: { properties: { kind: { const: "x" } } }, then: { properties: { extra: { type: "string", title: "إضافي" } } } }],
};

describe("error paths", () => {
  it("reads JSON pointers and dotted paths, with numeric row indices", () => {
    expect(parseErrorPath("/items/0/amount")).toEqual(["items", 0, "amount"]);
    expect(parseErrorPath("items.12.amount")).toEqual(["items", 12, "amount"]);
    expect(parseErrorPath("/a~1b/c~0d")).toEqual(["a/b", "c~d"]);
    expect(parseErrorPath("")).toEqual([]);
    expect(toPointer(["a/b", 3, "c~d"])).toBe("/a~1b/3/c~0d");
  });

  it("builds rjsf's error tree and never writes prototype keys", () => {
    const tree = toErrorTree([
      { path: "/name", message: "مطلوب" },
      { path: "/name", message: "مطلوب" },
      { path: "/items/1/amount", message: "أكبر من المسموح" },
      { path: "", message: "عام" },
      { path: "/__proto__/polluted", message: "x" },
    ]);
    expect(tree).toEqual({
      __errors: ["عام"],
      name: { __errors: ["مطلوب"] },
      items: { "1": { amount: { __errors: ["أكبر من المسموح"] } } },
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("drops the errors at and below a changed field only", () => {
    const errors = [
      { path: "/items/0/item", message: "a" },
      { path: "/items/1/item", message: "b" },
      { path: "/name", message: "c" },
    ];
    expect(withoutErrorsAt(errors, ["items", 0]).map((e) => e.message)).toEqual(["b", "c"]);
    expect(withoutErrorsAt(errors, ["items"]).map((e) => e.message)).toEqual(["c"]);
  });

  it("names the element rjsf gives a field", () => {
    expect(fieldElementId("form", ["items", 2, "amount"])).toBe("form_items_2_amount");
    expect(fieldElementId("form", [])).toBe("form");
  });
});

describe("labels and order", () => {
  it("labels a field by its ancestors' titles and row numbers", () => {
    expect(labelParts(schema, ["items", 1, "amount"])).toEqual([
      { kind: "field", text: "البنود" },
      { kind: "row", text: "", row: 2 },
      { kind: "field", text: "المبلغ" },
    ]);
    // A property declared by a condition's branch still has its title.
    expect(labelParts(schema, ["extra"])).toEqual([{ kind: "field", text: "إضافي" }]);
    expect(labelParts(schema, ["unknown"])).toEqual([{ kind: "field", text: "unknown" }]);
  });

  it("sorts errors into the order of the form (ui:order first, then rows)", () => {
    const errors = [
      { path: "/kind", message: "kind" },
      { path: "/items/1/item", message: "row 2" },
      { path: "/items/0/amount", message: "row 1 amount" },
      { path: "/items/0/item", message: "row 1 item" },
      { path: "/name", message: "name" },
    ];
    const ui = { "ui:order": ["kind", "name", "items"] };
    expect(sortByFormOrder(errors, schema, ui).map((e) => e.message)).toEqual(["kind", "name", "row 1 item", "row 1 amount", "row 2"]);
    expect(sortByFormOrder(errors, schema, {}).map((e) => e.message)).toEqual(["name", "row 1 item", "row 1 amount", "row 2", "kind"]);
  });
});

describe("changedPaths", () => {
  it("finds the leaves the person changed", () => {
    expect(changedPaths({ a: 1, b: { c: 2 } }, { a: 1, b: { c: 3 } })).toEqual([["b", "c"]]);
    expect(changedPaths({ a: "x" }, { a: "x", n: "y" })).toEqual([["n"]]);
    expect(changedPaths({ a: "x" }, {})).toEqual([["a"]]);
  });

  it("reports a table whose rows were added or removed, and the rows themselves", () => {
    const before = { items: [{ item: "أ" }] };
    const after = { items: [{ item: "أ" }, {}] };
    expect(changedPaths(before, after)).toEqual([["items"], ["items", 1]]);
    expect(changedPaths(after, before)).toEqual([["items"], ["items", 1]]);
  });

  it("relates paths on the same branch only", () => {
    expect(related(["items"], ["items", 0, "x"])).toBe(true);
    expect(related(["items", 0, "x"], ["items", 0, "x"])).toBe(true);
    expect(related(["items", 0], ["items", 1])).toBe(false);
    expect(related(["a"], ["b"])).toBe(false);
  });
});
