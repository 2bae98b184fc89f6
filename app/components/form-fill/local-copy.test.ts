import { describe, expect, it } from "vitest";
import { chooseStart, type LocalCopy } from "./local-copy";
import { sameAnswers } from "./use-draft-autosave";

const copy = (patch: Partial<LocalCopy>): LocalCopy => ({ data: { name: "محلي" }, baseLockVersion: 2, dirty: true, changedAt: 0, ...patch });

describe("which answers a page starts from", () => {
  it("takes this browser's unsaved changes made on top of the server's draft", () => {
    expect(chooseStart({ data: { name: "خادم" }, lockVersion: 2 }, copy({}))).toBe("local");
    expect(chooseStart(null, copy({ baseLockVersion: 0 }))).toBe("local");
  });

  it("takes the server's draft when the copy has nothing unsaved or was overtaken elsewhere", () => {
    expect(chooseStart({ data: {}, lockVersion: 2 }, copy({ dirty: false }))).toBe("server");
    expect(chooseStart({ data: {}, lockVersion: 3 }, copy({ baseLockVersion: 2 }))).toBe("server");
    expect(chooseStart({ data: {}, lockVersion: 2 }, null)).toBe("server");
  });
});

describe("sameAnswers", () => {
  it("compares answers whatever the key order, ignoring absent values", () => {
    expect(sameAnswers({ a: 1, b: [{ x: "y" }] }, { b: [{ x: "y" }], a: 1 })).toBe(true);
    expect(sameAnswers({ a: 1, c: undefined }, { a: 1 })).toBe(true);
    expect(sameAnswers({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameAnswers({ items: [{}] }, { items: [{}, {}] })).toBe(false);
    expect(sameAnswers({ a: false }, {})).toBe(false);
  });
});
