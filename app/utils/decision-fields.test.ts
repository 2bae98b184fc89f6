import { describe, expect, it } from "vitest";
import type { DefinitionGraph } from "~/engine/definition";
import { conditionComparisons, decisionFields, parseDecisionAnswers } from "./decision-fields";

const name = (ar: string, en: string) => ({ ar, en });

const graph: DefinitionGraph = {
  key: "certificate",
  name: name("إصدار شهادة", "Issue a certificate"),
  direction: "rtl",
  lanes: [],
  nodes: [
    { id: "start", kind: "start", name: name("بداية", "Start") },
    { id: "review", kind: "task", name: name("مراجعة الطلب", "Review") },
    { id: "complete", kind: "decision", name: name("هل المستندات مكتملة؟", "Documents complete?") },
    { id: "amount", kind: "decision", name: name("المبلغ والقناة", "Amount and channel") },
    { id: "issue", kind: "task", name: name("إصدار", "Issue") },
    { id: "after", kind: "decision", name: name("لاحق", "Later") },
    { id: "end", kind: "end", name: name("نهاية", "End") },
  ],
  edges: [
    { id: "e1", source: "start", target: "review" },
    { id: "e2", source: "review", target: "complete" },
    { id: "e3", source: "complete", target: "amount", condition: "documentsComplete = true" },
    { id: "e4", source: "complete", target: "end", isDefault: true },
    { id: "e5", source: "amount", target: "issue", condition: '= amount > 1000 and channel = "email"' },
    { id: "e6", source: "amount", target: "issue", condition: '"counter" = channel' },
    { id: "e7", source: "amount", target: "end", isDefault: true },
    { id: "e8", source: "issue", target: "after" },
    { id: "e9", source: "after", target: "end", condition: "reviewedTwice" },
  ],
};

describe("conditionComparisons", () => {
  it("reads simple comparisons, bare booleans and the Camunda '=' prefix", () => {
    expect(conditionComparisons("documentsComplete = true")).toEqual([{ key: "documentsComplete", type: "boolean" }]);
    expect(conditionComparisons("= amount >= 10.5")).toEqual([{ key: "amount", type: "number" }]);
    expect(conditionComparisons('channel != "email" or urgent')).toEqual([
      { key: "channel", type: "string", value: "email" },
      { key: "urgent", type: "boolean" },
    ]);
    expect(conditionComparisons("not(approved)")).toEqual([{ key: "approved", type: "boolean" }]);
  });

  it("leaves expressions it does not understand alone rather than guessing", () => {
    expect(conditionComparisons("count(items) > 2")).toEqual([]);
    expect(conditionComparisons("applicant.age > 18")).toEqual([]);
    expect(conditionComparisons("")).toEqual([]);
    expect(conditionComparisons("true")).toEqual([]);
  });
});

describe("decisionFields", () => {
  it("collects the fields of the decisions right after a step, through chained decisions", () => {
    const fields = decisionFields(graph, "review");
    expect(fields.map((f) => f.key)).toEqual(["documentsComplete", "amount", "channel"]);
    // A decision about one field asks its own question; one about several names no field.
    expect(fields[0]).toMatchObject({ type: "boolean", label: { ar: "هل المستندات مكتملة؟" } });
    expect(fields[1]).toMatchObject({ type: "number", label: null, decision: { en: "Amount and channel" } });
    expect(fields[2]).toMatchObject({ type: "string", options: ["email", "counter"] });
  });

  it("stops at the next human step", () => {
    expect(decisionFields(graph, "issue").map((f) => f.key)).toEqual(["reviewedTwice"]);
    expect(decisionFields(graph, "start").map((f) => f.key)).toEqual([]);
  });
});

describe("parseDecisionAnswers", () => {
  const fields = decisionFields(graph, "review");
  it("types the answers and skips unanswered ones", () => {
    expect(parseDecisionAnswers(fields, { documentsComplete: "true", amount: "١٢٠٠", channel: "" })).toEqual({
      data: { documentsComplete: true, amount: 1200 },
      invalid: null,
    });
  });
  it("names the first answer that does not fit", () => {
    expect(parseDecisionAnswers(fields, { documentsComplete: "maybe" }).invalid).toBe("documentsComplete");
    expect(parseDecisionAnswers(fields, { amount: "a lot" }).invalid).toBe("amount");
  });
});
