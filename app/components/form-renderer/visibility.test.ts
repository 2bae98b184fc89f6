import { describe, expect, it } from "vitest";
import {
  conditionHolds,
  expandFieldPath,
  hiddenPaths,
  isHiddenPath,
  pathKey,
  resolveConditionPath,
  stripHidden,
  visibilityRules,
} from "./visibility";

describe("visibilityRules", () => {
  it("reads well-formed rules and drops malformed ones", () => {
    const ui = {
      "x-masar-visibleWhen": {
        reason: { field: "kind", equals: "other" },
        broken: { equals: 1 },
        empty: { field: "" },
        notObject: "x",
      },
    };
    expect(Object.keys(visibilityRules(ui))).toEqual(["reason"]);
    expect(visibilityRules(undefined)).toEqual({});
    expect(visibilityRules({ "x-masar-visibleWhen": [1] })).toEqual({});
  });
});

describe("conditionHolds", () => {
  it("supports both the short and the builder shape", () => {
    expect(conditionHolds({ field: "k", equals: "a" }, "a")).toBe(true);
    expect(conditionHolds({ field: "k", equals: "a" }, "b")).toBe(false);
    expect(conditionHolds({ field: "k", op: "equals", value: "a" }, "a")).toBe(true);
    expect(conditionHolds({ field: "k", op: "notEquals", value: "a" }, "b")).toBe(true);
    expect(conditionHolds({ field: "k", op: "notEquals", value: "a" }, "a")).toBe(false);
    expect(conditionHolds({ field: "k", op: "isTrue" }, true)).toBe(true);
    expect(conditionHolds({ field: "k", op: "isTrue" }, "true")).toBe(false);
    expect(conditionHolds({ field: "k", notEquals: "a" }, "b")).toBe(true);
    expect(conditionHolds({ field: "k", notEquals: "a" }, "a")).toBe(false);
    expect(conditionHolds({ field: "k", equals: true }, true)).toBe(true);
  });

  it("treats empty answers as never equal and scalars by their text", () => {
    expect(conditionHolds({ field: "k", equals: "" }, "")).toBe(false);
    expect(conditionHolds({ field: "k", equals: 2 }, "2")).toBe(true);
    expect(conditionHolds({ field: "k", equals: true }, true)).toBe(true);
    expect(conditionHolds({ field: "k", equals: false }, undefined)).toBe(false);
    // notEquals on an unanswered question shows the field (nothing contradicts it yet).
    expect(conditionHolds({ field: "k", op: "notEquals", value: "a" }, undefined)).toBe(true);
  });
});

describe("paths", () => {
  it("expands table paths over the rows present", () => {
    const data = { items: [{ a: 1 }, { a: 2 }], s: { x: 1 } };
    expect(expandFieldPath(data, "items.a")).toEqual([
      ["items", 0, "a"],
      ["items", 1, "a"],
    ]);
    expect(expandFieldPath(data, "s.x")).toEqual([["s", "x"]]);
    expect(expandFieldPath({}, "s.x")).toEqual([["s", "x"]]);
    expect(expandFieldPath({ items: [] }, "items.a")).toEqual([]);
  });

  it("resolves a condition inside a table to the same row", () => {
    expect(resolveConditionPath(["items", 2, "reason"], "items.kind")).toEqual(["items", 2, "kind"]);
    expect(resolveConditionPath(["items", 2, "reason"], "married")).toEqual(["married"]);
    expect(resolveConditionPath(["items", 2, "reason"], "items")).toEqual(["items"]);
    expect(resolveConditionPath(["spouse", "name"], "spouse.married")).toEqual(["spouse", "married"]);
    expect(resolveConditionPath(["a", "b"], "c.d")).toEqual(["c", "d"]);
  });
});

describe("hiddenPaths", () => {
  const rules = visibilityRules({
    "x-masar-visibleWhen": {
      spouseName: { field: "married", op: "isTrue" },
      spouseJob: { field: "spouseName", op: "notEquals", value: "" },
      "items.reason": { field: "items.kind", equals: "other" },
    },
  });

  it("hides a field whose condition is false and shows it when true", () => {
    expect(hiddenPaths(rules, { married: true }).has("spouseName")).toBe(false);
    expect(hiddenPaths(rules, { married: false }).has("spouseName")).toBe(true);
    expect(hiddenPaths(rules, {}).has("spouseName")).toBe(true);
  });

  it("hides a field whose condition reads a hidden field (chain)", () => {
    // spouseJob's own condition holds (spouseName is not empty) but spouseName is hidden.
    const hidden = hiddenPaths(rules, { married: false, spouseName: "سارة" });
    expect(hidden.has("spouseJob")).toBe(true);
    expect(hiddenPaths(rules, { married: true, spouseName: "سارة" }).has("spouseJob")).toBe(false);
  });

  it("decides table rows one by one", () => {
    const hidden = hiddenPaths(rules, { items: [{ kind: "other" }, { kind: "food" }, {}] });
    expect(hidden.has(pathKey(["items", 0, "reason"]))).toBe(false);
    expect(hidden.has(pathKey(["items", 1, "reason"]))).toBe(true);
    expect(hidden.has(pathKey(["items", 2, "reason"]))).toBe(true);
  });

  it("treats descendants of a hidden section as hidden", () => {
    const sectionRules = visibilityRules({ "x-masar-visibleWhen": { spouse: { field: "married", op: "isTrue" } } });
    const hidden = hiddenPaths(sectionRules, { married: false });
    expect(isHiddenPath(hidden, ["spouse", "name"])).toBe(true);
    expect(isHiddenPath(hidden, ["married"])).toBe(false);
  });
});

describe("stripHidden", () => {
  const rules = visibilityRules({
    "x-masar-visibleWhen": {
      spouse: { field: "married", op: "isTrue" },
      other: { field: "kind", equals: "other" },
      "items.reason": { field: "items.kind", equals: "other" },
    },
  });

  it("removes values of hidden fields and keeps visible ones", () => {
    const data = {
      married: false,
      spouse: { name: "سارة" },
      kind: "other",
      other: "تفصيل",
      items: [
        { kind: "other", reason: "سبب" },
        { kind: "food", reason: "قديم" },
      ],
    };
    expect(stripHidden(data, rules)).toEqual({
      married: false,
      kind: "other",
      other: "تفصيل",
      items: [{ kind: "other", reason: "سبب" }, { kind: "food" }],
    });
    // The input is not modified (the user's typing stays in the form).
    expect(data.spouse).toEqual({ name: "سارة" });
    expect(data.items[1]).toEqual({ kind: "food", reason: "قديم" });
  });

  it("keeps everything when nothing is hidden", () => {
    const data = { married: true, spouse: { name: "x" }, kind: "other", other: "y" };
    expect(stripHidden(data, rules)).toEqual(data);
    expect(stripHidden(data, {})).toBe(data);
  });
});
