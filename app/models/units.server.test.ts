import { describe, expect, it } from "vitest";
import { UNIT_CODE_PATTERN, unitTree, wouldCycle } from "./units.server";

const u = (id: string, code: string, parentId: string | null = null) => ({ id, code, parentId });

describe("unitTree", () => {
  it("orders depth-first with children under their parent, codes in numeric order", () => {
    const tree = unitTree([u("c", "16-1", "b"), u("a", "20"), u("b", "16"), u("d", "9"), u("e", "16-10", "b"), u("f", "16-2", "b")]);
    expect(tree.map((t) => [t.code, t.depth])).toEqual([
      ["9", 0],
      ["16", 0],
      ["16-1", 1],
      ["16-2", 1],
      ["16-10", 1],
      ["20", 0],
    ]);
  });

  it("shows a unit whose parent is not in the list as a root instead of dropping it", () => {
    expect(unitTree([u("x", "X", "hidden")]).map((t) => [t.code, t.depth])).toEqual([["X", 0]]);
  });
});

describe("wouldCycle", () => {
  const units = [u("a", "A"), u("b", "B", "a"), u("c", "C", "b")];
  it("refuses a unit as its own parent or under its descendants", () => {
    expect(wouldCycle(units, "a", "a")).toBe(true);
    expect(wouldCycle(units, "a", "c")).toBe(true);
    expect(wouldCycle(units, "b", "c")).toBe(true);
  });
  it("allows moving under an unrelated unit or to the top", () => {
    expect(wouldCycle(units, "c", "a")).toBe(false);
    expect(wouldCycle(units, "b", null)).toBe(false);
  });
  it("terminates on data that already loops", () => {
    expect(wouldCycle([u("p", "P", "q"), u("q", "Q", "p")], "z", "p")).toBe(false);
  });
});

describe("UNIT_CODE_PATTERN", () => {
  it("accepts digits, Latin and Arabic letters and hyphens, up to 20", () => {
    for (const ok of ["16", "HR-2", "خ-م", "a".repeat(20)]) expect(UNIT_CODE_PATTERN.test(ok)).toBe(true);
    for (const bad of ["", "16 S", "a".repeat(21), "x/y", "16_1"]) expect(UNIT_CODE_PATTERN.test(bad)).toBe(false);
  });
});
