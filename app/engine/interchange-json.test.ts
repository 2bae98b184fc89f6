import { describe, expect, it } from "vitest";
import type { DefinitionGraph } from "./definition";
import { exportWorkflowJson, importWorkflowJson } from "./interchange-json";

const graph: DefinitionGraph = {
  key: "issue-certificate",
  name: { ar: "إصدار شهادة", en: "Issue a certificate" },
  direction: "rtl",
  lanes: [{ id: "l1", name: { ar: "خدمة المتعاملين", en: "Customer service" }, assignee: { type: "unit", unitCode: "16" } }],
  nodes: [
    { id: "s", kind: "start", name: { ar: "", en: "" } },
    { id: "t", kind: "task", name: { ar: "استلام الطلب", en: "Receive" }, lane: "l1", estimatedMinutes: 2 },
    { id: "e", kind: "end", name: { ar: "", en: "" } },
  ],
  edges: [
    { id: "f1", source: "s", target: "t" },
    { id: "f2", source: "t", target: "e" },
  ],
};

describe("workflow JSON files", () => {
  it("round-trips a definition in its envelope", () => {
    const text = exportWorkflowJson(graph, { version: 3, status: "published", changeNote: "x", exportedAt: "2026-01-01T00:00:00.000Z" });
    const file = JSON.parse(text);
    expect(file).toMatchObject({ format: "masar.workflow", formatVersion: 1, source: { version: 3 } });
    expect(importWorkflowJson(text)).toEqual({ ok: true, graph });
  });

  it("accepts a bare graph (what the JSON editor shows) and a byte-order mark", () => {
    expect(importWorkflowJson(`\uFEFF${JSON.stringify(graph)}`)).toEqual({ ok: true, graph });
  });

  it("explains what is wrong with a file", () => {
    expect(importWorkflowJson("{ nope")).toMatchObject({ ok: false, code: "invalid_json" });
    expect(importWorkflowJson("[1,2]")).toMatchObject({ ok: false, code: "not_an_object" });
    expect(importWorkflowJson(JSON.stringify({ format: "other.tool", formatVersion: 1, definition: graph }))).toMatchObject({
      ok: false,
      code: "wrong_format",
      detail: "other.tool",
    });
    expect(importWorkflowJson(JSON.stringify({ format: "masar.workflow", formatVersion: 2, definition: graph }))).toMatchObject({
      ok: false,
      code: "unsupported_version",
      detail: "2",
    });
  });

  it("points schema problems at the node by id, in the reader's language", () => {
    const broken = { ...graph, nodes: [graph.nodes[0], { ...graph.nodes[1], name: { ar: 5 } }, { id: "e", kind: "wormhole", name: { ar: "", en: "" } }] };
    const text = JSON.stringify({ format: "masar.workflow", formatVersion: 1, definition: broken });
    const ar = importWorkflowJson(text, "ar");
    expect(ar.ok).toBe(false);
    if (ar.ok) return;
    expect(ar.code).toBe("invalid_definition");
    expect(ar.issues.map((i) => i.path)).toEqual(expect.arrayContaining(["nodes[1] (t).name.ar", "nodes[1] (t).name.en", "nodes[2] (e).kind"]));
    expect(ar.issues.find((i) => i.path === "nodes[1] (t).name.ar")).toMatchObject({ nodeId: "t" });
    expect(ar.issues[0]!.message).toMatch(/[\u0600-\u06FF]/);
    const en = importWorkflowJson(text, "en");
    expect(en.ok === false && en.issues[0]!.message).toMatch(/^Invalid/);
  });
});
