import { describe, expect, it } from "vitest";
import { DEMO_ORGS } from "../../seeds/demo";
import { certificateDefinition, DEMO_WORKFLOWS, socialAidDefinition } from "../../seeds/workflows";
import { runtime } from "./runtime";
import type { CaseState, Completion } from "./runtime-types";
import { stepsTable } from "./steps-table";
import { validateDefinition } from "./validate";

describe("steps table (service documentation card)", () => {
  it("lists the guide's worked example: five steps, ten minutes, in flow order", () => {
    const table = stepsTable(certificateDefinition());
    expect(table.rows.map((r) => [r.number, r.name.ar, r.responsibility?.ar, r.estimatedMinutes])).toEqual([
      [1, "استلام الطلب", "موظف خدمة المتعاملين", 2],
      [2, "دراسة الطلب", "موظف مختص", 4],
      [3, "اعتماد الطلب", "متخذ القرار", 1],
      [4, "طباعة وتسليم الشهادة", "موظف خدمة المتعاملين", 2],
      [5, "استلام الخدمة", "المتعامل", 1],
    ]);
    expect(table.totalMinutes).toBe(10);
    expect(table.unestimated).toBe(0);
    expect(table.rows[3]).toMatchObject({ producesDocument: true, tools: { ar: "وجهًا لوجه" }, inputs: { ar: "الموافقة على الطلب" } });
  });

  it("counts steps without an estimate and lists unreachable steps last", () => {
    const g = socialAidDefinition();
    const extra = { ...g, nodes: [...g.nodes, { id: "orphan", kind: "task" as const, name: { ar: "خطوة معزولة", en: "Orphan" } }] };
    const table = stepsTable(extra);
    expect(table.rows.at(-1)).toMatchObject({ nodeId: "orphan", number: table.rows.length });
    expect(table.unestimated).toBe(2); // the gate and the orphan
  });
});

describe("demo workflows", () => {
  for (const org of DEMO_ORGS) {
    for (const make of DEMO_WORKFLOWS[org.slug] ?? []) {
      it(`${org.slug}: ${make().key} is valid against the demo organisation's units and roles`, () => {
        const problems = validateDefinition(make(), {
          roleExists: (k) => ["admin", "manager", "staff"].includes(k),
          unitExists: (c) => org.units.some((u) => u.code === c),
          definitionExists: () => false,
        });
        expect(problems).toEqual([]);
      });
    }
  }

  it("the certificate runs: approved goes to delivery, otherwise the request is rejected", () => {
    const g = certificateDefinition();
    let n = 0;
    const ctx = { now: new Date("2026-01-04T08:00:00Z"), newId: () => `t${++n}` };
    const step = (s: CaseState, data: Record<string, unknown>, c: Completion = { kind: "task", data: {} }) => runtime.complete(g, s, s.tokens[0]!.id, c, data, ctx).state;
    let s = runtime.start(g, {}, ctx).state;
    for (const data of [{}, {}, { approved: true }, {}, {}]) s = step(s, data);
    expect(s.status).toBe("completed");
    let r = runtime.start(g, {}, ctx).state;
    for (const data of [{}, {}, { approved: false }]) r = step(r, data);
    expect(r.status).toBe("completed");
  });

  it("the social aid request loops back for missing documents and ends after the committee", () => {
    const g = socialAidDefinition();
    let n = 0;
    const ctx = { now: new Date("2026-01-04T08:00:00Z"), newId: () => `t${++n}` };
    const at = (s: CaseState) => s.tokens.map((t) => t.nodeId);
    const step = (s: CaseState, data: Record<string, unknown>, c: Completion = { kind: "task", data: {} }) => runtime.complete(g, s, s.tokens[0]!.id, c, data, ctx).state;
    let s = runtime.start(g, {}, ctx).state;
    s = step(s, {});
    s = step(s, { documentsComplete: false });
    expect(at(s)).toEqual(["request_docs"]);
    s = step(s, {});
    s = step(s, { documentsComplete: true });
    expect(at(s)).toEqual(["review"]);
    s = step(s, {});
    expect(at(s)).toEqual(["committee"]);
    s = step(s, {}, { kind: "gate", outcome: "rework", data: {} });
    expect(at(s)).toEqual(["review"]);
    s = step(s, {});
    s = step(s, {}, { kind: "gate", outcome: "go", data: {} });
    expect(at(s)).toEqual(["notify"]);
    s = step(s, {});
    expect(s.status).toBe("completed");
  });
});
