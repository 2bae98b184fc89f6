import { describe, expect, it } from "vitest";
import { checkModel } from "./check-model";
import { newField } from "./fields";
import type { BuilderModel, FieldNode, FieldTypeId } from "./model";
import { conditionSources, dependents, duplicateField, insertField, locate, moveField, removeField, shiftField, updateField } from "./model-ops";
import { problemFieldPath } from "./problem-paths";

function field(type: FieldTypeId, key: string, children?: FieldNode[]): FieldNode {
  const f = newField(type, []);
  return { ...f, id: key, key, ...(children ? { children } : {}) };
}

// name, kind (select), section s { inner, deeper section d { leaf } }, table t { a, b }
const tree = (): FieldNode[] => [
  field("shortText", "name"),
  field("select", "kind"),
  field("section", "s", [field("yesNo", "inner"), field("section", "d", [field("number", "leaf")])]),
  field("table", "t", [field("shortText", "a"), field("integer", "b")]),
];
const keys = (list: FieldNode[]): unknown[] => list.map((n) => (n.children ? [n.key, keys(n.children)] : n.key));

describe("model edits", () => {
  it("inserts at an index or at the end, with a free key", () => {
    let f = insertField(tree(), field("shortText", "name"), null, 1);
    expect(keys(f)).toEqual(["name", "name2", "kind", ["s", ["inner", ["d", ["leaf"]]]], ["t", ["a", "b"]]]);
    f = insertField(f, field("date", "when"), "t");
    expect(locate(f, "when")!.path).toBe("t.when");
  });

  it("moves between containers and refuses impossible moves", () => {
    const f = moveField(tree(), "name", "d", 0);
    expect(locate(f, "name")!.path).toBe("s.d.name");
    expect(moveField(tree(), "s", "d", 0)).toEqual(tree()); // into itself
    expect(moveField(tree(), "s", "t", 0)).toEqual(tree()); // a section cannot be a table column
    expect(keys(moveField(tree(), "name", null, 3))).toEqual(["kind", ["s", ["inner", ["d", ["leaf"]]]], ["t", ["a", "b"]], "name"]);
  });

  it("shifts up and down within the container", () => {
    expect(keys(shiftField(tree(), "kind", -1)).slice(0, 2)).toEqual(["kind", "name"]);
    expect(shiftField(tree(), "name", -1)).toEqual(tree());
    expect(locate(shiftField(tree(), "b", -1), "b")!.index).toBe(0);
  });

  it("keeps conditions pointing at a field that is renamed or moved", () => {
    let f = updateField(tree(), "b", (n) => ({ ...n, visibleWhen: { field: "t.a", op: "equals", value: "x" } }));
    f = updateField(f, "leaf", (n) => ({ ...n, required: { field: "s.inner", op: "isTrue" } }));
    f = updateField(f, "a", (n) => ({ ...n, key: "item" }));
    expect(locate(f, "b")!.node.visibleWhen).toEqual({ field: "t.item", op: "equals", value: "x" });
    f = updateField(f, "s", (n) => ({ ...n, key: "part" }));
    expect(locate(f, "leaf")!.node.required).toEqual({ field: "part.inner", op: "isTrue" });
    expect(dependents(f, "part.inner").map((n) => n.key)).toEqual(["leaf"]);
  });

  it("duplicates with new ids and a free key", () => {
    const { fields, id } = duplicateField(tree(), "s");
    const copy = locate(fields, id!)!;
    expect(copy.node.key).toBe("s2");
    expect(copy.index).toBe(3);
    expect(copy.node.children!.map((c) => c.id)).not.toContain("inner");
  });

  it("removes a field and its children", () => {
    expect(keys(removeField(tree(), "s"))).toEqual(["name", "kind", ["t", ["a", "b"]]]);
  });

  it("offers as condition sources the testable fields beside the field or its containers", () => {
    const sources = (id: string) => conditionSources(tree(), id).map((s) => s.path);
    expect(sources("name")).toEqual(["kind"]);
    expect(sources("leaf")).toEqual(["name", "kind", "s.inner"]);
    expect(sources("b")).toEqual(["name", "kind", "t.a"]);
  });
});

describe("checkModel", () => {
  const model = (fields: FieldNode[]): BuilderModel => ({ title: { ar: "", en: "" }, description: { ar: "", en: "" }, fields });

  it("finds nothing wrong with sensible fields", () => {
    expect(checkModel(model(tree()))).toEqual([]);
  });

  it("reports field problems by field", () => {
    const bad = tree();
    bad[0] = { ...bad[0]!, key: "1st name", label: { ar: "", en: " " }, props: { minLength: 5, maxLength: 2, pattern: "(" } };
    bad[1] = { ...bad[1]!, props: { options: [{ value: "a", label: { ar: "", en: "" } }, { value: "a", label: { ar: "", en: "" } }] } };
    bad.push({ ...field("shortText", "kind"), id: "dup", visibleWhen: { field: "t.a", op: "isTrue" } });
    bad.push(field("section", "empty", []));
    const codes = checkModel(model(bad)).map((p) => `${p.nodeId}:${p.code}`);
    expect(codes.sort()).toEqual(
      ["name:keyInvalid", "name:labelMissing", "name:minAboveMax", "name:patternInvalid", "kind:optionDuplicate", "dup:conditionInvalid", "dup:keyDuplicate", "empty:containerEmpty"].sort(),
    );
  });
});

describe("problemFieldPath", () => {
  const known = ["a", "s", "s.b", "t", "t.c"];
  it("maps schema, uiSchema and translation pointers to fields", () => {
    expect(problemFieldPath("/properties/s/properties/b/pattern", known)).toBe("s.b");
    expect(problemFieldPath("/properties/t/items/properties/c/x-masar-errors/required", known)).toBe("t.c");
    expect(problemFieldPath("/properties/t/maxItems", known)).toBe("t");
    expect(problemFieldPath("#uiSchema/t/items/c/ui:placeholder", known)).toBe("t.c");
    expect(problemFieldPath("#uiSchema/x-masar-visibleWhen/s.b", known)).toBe("s.b");
    expect(problemFieldPath("#translations/ar/s.b.options.x", known)).toBe("s.b");
    expect(problemFieldPath("/allOf/0/then/required", known)).toBe("");
    expect(problemFieldPath("", known)).toBe("");
  });
});
