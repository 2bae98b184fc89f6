import { describe, expect, it } from "vitest";
import { SLA_PROBLEM_CODES } from "~/engine/sla";
import arAudit from "~/locales/ar/audit.json";
import arEngine from "~/locales/ar/engine.json";
import ar from "~/locales/ar/deadlines.json";
import enAudit from "~/locales/en/audit.json";
import enEngine from "~/locales/en/engine.json";
import en from "~/locales/en/deadlines.json";
import { fieldErrors, hoursToMinutes, readPolicyForm } from "./sla-admin.server";

function keys(tree: unknown, prefix = ""): string[] {
  if (!tree || typeof tree !== "object") return [prefix];
  return Object.entries(tree).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}
const lookup = (tree: unknown, path: string) => path.split(".").reduce<unknown>((node, k) => (node && typeof node === "object" ? (node as Record<string, unknown>)[k] : undefined), tree);

const MODEL_CODES = ["name_required", "name_too_long", "node_required", "node_unknown", "condition_invalid", "number_invalid", "role_unknown", "user_unknown"];
const EVENTS = ["sla_paused", "sla_resumed", "sla_warning", "sla_breached", "sla_escalated"];
const AUDIT = ["sla.policy.create", "sla.policy.update", "sla.policy.delete"];

describe("SLA messages", () => {
  it("Arabic and English have the same keys", () => {
    expect(keys(ar).sort()).toEqual(keys(en).sort());
  });
  for (const [lang, tree, engine, audit] of [["ar", ar, arEngine, arAudit], ["en", en, enEngine, enAudit]] as const) {
    it(`${lang}: every refusal, timeline event and audit action has words`, () => {
      const missing = [...SLA_PROBLEM_CODES, ...MODEL_CODES].map((c) => `admin.problems.${c}`).filter((p) => typeof lookup(tree, p) !== "string");
      expect(missing).toEqual([]);
      expect(EVENTS.filter((e) => typeof lookup(engine, `case.events.${e}`) !== "string")).toEqual([]);
      expect(AUDIT.filter((a) => !(audit.actionLabels as Record<string, string>)[a])).toEqual([]);
      expect((audit.subjectLabels as Record<string, string>).SlaPolicy).toBeTruthy();
    });
  }
});

describe("the policy form", () => {
  it("reads working hours in Latin or Arabic digits", () => {
    expect(hoursToMinutes("48")).toBe(2880);
    expect(hoursToMinutes("٤٨")).toBe(2880);
    expect(hoursToMinutes("٧٫٥")).toBe(450);
    expect(hoursToMinutes("7,25")).toBe(435);
    expect(hoursToMinutes(" ")).toBeNull();
    expect(hoursToMinutes("ساعتان")).toBeNaN();
  });

  function form(entries: [string, string][]): FormData {
    const f = new FormData();
    for (const [k, v] of entries) f.append(k, v);
    return f;
  }

  it("turns the typed form into the model's input, levels and actions included", () => {
    const { input, problems, values } = readPolicyForm(
      form([
        ["nameAr", "الرد خلال 48 ساعة"],
        ["nameEn", "Within 48 hours"],
        ["scope", "step"],
        ["nodeId", "study"],
        ["condition", 'priority = "urgent"'],
        ["responseHours", ""],
        ["resolutionHours", "٤٨"],
        ["warnPercents", "٧٥، 50"],
        ["active", "on"],
        ["levelCount", "2"],
        ["levels.0.type", "role"],
        ["levels.0.roleKey", "manager"],
        ["levels.0.afterHours", "0"],
        ["levels.0.actions", "notify"],
        ["levels.1.type", "user"],
        ["levels.1.userId", "5b0c2f8e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"],
        ["levels.1.afterHours", "4"],
        ["levels.1.actions", "reassign"],
        ["levels.1.actions", "made-up"],
      ]),
    );
    expect(problems).toEqual([]);
    expect(values.resolutionHours).toBe("٤٨");
    expect(input).toEqual({
      nameAr: "الرد خلال 48 ساعة",
      nameEn: "Within 48 hours",
      scope: "step",
      nodeId: "study",
      condition: 'priority = "urgent"',
      responseMinutes: null,
      resolutionMinutes: 2880,
      warnPercents: [75, 50],
      active: true,
      levels: [
        { afterMinutes: 0, assignee: { type: "role", roleKey: "manager" }, actions: ["notify"] },
        { afterMinutes: 240, assignee: { type: "user", userId: "5b0c2f8e-1a2b-4c3d-8e9f-0a1b2c3d4e5f" }, actions: ["reassign"] },
      ],
    });
  });

  it("refuses what is not a number next to the field, keeping what was typed", () => {
    const { input, problems, values } = readPolicyForm(form([["resolutionHours", "يومان"], ["warnPercents", "نصف"], ["levelCount", "1"], ["levels.0.afterHours", "x"]]));
    expect(input).toBeNull();
    expect(values.resolutionHours).toBe("يومان");
    expect(fieldErrors(problems, (k) => k)).toEqual({
      resolutionHours: "admin.problems.number_invalid",
      warnPercents: "admin.problems.warning_invalid",
      "levels.0.afterHours": "admin.problems.number_invalid",
    });
    expect(fieldErrors([{ path: "levels.2.afterMinutes", code: "level_after_invalid" }, { path: "resolutionMinutes", code: "target_invalid" }], (k) => k)).toEqual({
      "levels.2.afterHours": "admin.problems.level_after_invalid",
      resolutionHours: "admin.problems.target_invalid",
    });
  });
});
