import { defaultLadder, ESCALATION_ACTIONS, type EscalationAction } from "~/engine/sla";
import type { SlaFieldProblem, SlaPolicy, SlaPolicyInput } from "~/models/sla-policies.server";
import { SLA_SCOPES } from "~/models/sla-policies.server";
import type { PolicyFormValues } from "~/components/sla/policy-form";

// The SLA policy form, server side: what the admin typed (kept as typed, to show again after a
// refusal) ↔ the model's input. Times are typed in working hours (decimals allowed, Arabic or
// Latin digits) and stored in working minutes.

import { SLA_LIMITS } from "~/engine/sla";
export const MAX_LEVEL_ROWS = SLA_LIMITS.levels;

/** Arabic-Indic and Persian digits as Latin ones. */
function latinDigits(text: string): string {
  return text.replace(/[٠-٩۰-۹]/g, (d) => String(d.charCodeAt(0) - (d.charCodeAt(0) >= 0x6f0 ? 0x6f0 : 0x660)));
}

/** "48", "٤٨", "7.5", "٧٫٥", "7,5" → minutes; "" → null; anything else → NaN. */
export function hoursToMinutes(text: string): number | null {
  const s = latinDigits(text.trim()).replace(/[٫,]/, ".");
  if (s === "") return null;
  if (!/^\d{1,6}(\.\d{1,3})?$/.test(s)) return Number.NaN;
  return Math.round(Number(s) * 60);
}

function minutesToHours(minutes: number | null): string {
  return minutes === null ? "" : String(Math.round((minutes / 60) * 1000) / 1000);
}

export function defaultFormValues(): PolicyFormValues {
  return {
    nameAr: "",
    nameEn: "",
    scope: "step",
    nodeId: "",
    condition: "",
    responseHours: "",
    resolutionHours: "48",
    warnPercents: "50, 75",
    active: true,
    levels: defaultLadder().map((l) => ({
      type: l.assignee.type,
      roleKey: l.assignee.type === "role" ? l.assignee.roleKey : "",
      userId: l.assignee.type === "user" ? l.assignee.userId : "",
      afterHours: minutesToHours(l.afterMinutes),
      actions: l.actions,
    })),
  };
}

export function formValuesOf(p: SlaPolicy): PolicyFormValues {
  return {
    nameAr: p.nameAr,
    nameEn: p.nameEn,
    scope: p.scope,
    nodeId: p.nodeId ?? "",
    condition: p.condition ?? "",
    responseHours: minutesToHours(p.responseMinutes),
    resolutionHours: minutesToHours(p.resolutionMinutes),
    warnPercents: p.warnPercents.join(", "),
    active: p.active,
    levels: p.levels.map((l) => ({
      type: l.assignee.type,
      roleKey: l.assignee.type === "role" ? l.assignee.roleKey : "",
      userId: l.assignee.type === "user" ? l.assignee.userId : "",
      afterHours: minutesToHours(l.afterMinutes),
      actions: l.actions,
    })),
  };
}

export function readPolicyForm(form: FormData): { values: PolicyFormValues; input: SlaPolicyInput | null; problems: SlaFieldProblem[] } {
  const str = (k: string) => String(form.get(k) ?? "");
  const count = Math.min(MAX_LEVEL_ROWS + 1, Math.max(0, Number.parseInt(str("levelCount"), 10) || 0));
  const scope = str("scope");
  const values: PolicyFormValues = {
    nameAr: str("nameAr"),
    nameEn: str("nameEn"),
    scope: (SLA_SCOPES as readonly string[]).includes(scope) ? (scope as PolicyFormValues["scope"]) : "step",
    nodeId: str("nodeId"),
    condition: str("condition"),
    responseHours: str("responseHours"),
    resolutionHours: str("resolutionHours"),
    warnPercents: str("warnPercents"),
    active: form.get("active") === "on",
    levels: Array.from({ length: count }, (_, i) => ({
      type: str(`levels.${i}.type`) === "user" ? ("user" as const) : ("role" as const),
      roleKey: str(`levels.${i}.roleKey`),
      userId: str(`levels.${i}.userId`),
      afterHours: str(`levels.${i}.afterHours`),
      actions: form.getAll(`levels.${i}.actions`).map(String).filter((a): a is EscalationAction => (ESCALATION_ACTIONS as readonly string[]).includes(a)),
    })),
  };
  const problems: SlaFieldProblem[] = [];
  const minutes = (field: "responseHours" | "resolutionHours") => {
    const m = hoursToMinutes(values[field]);
    if (m !== null && Number.isNaN(m)) problems.push({ path: field, code: "number_invalid" });
    return m !== null && Number.isNaN(m) ? null : m;
  };
  const responseMinutes = minutes("responseHours");
  const resolutionMinutes = minutes("resolutionHours");
  const percentText = latinDigits(values.warnPercents);
  const parts = percentText.split(/[,،\s]+/).filter(Boolean);
  const warnPercents = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : Number.NaN));
  if (warnPercents.some(Number.isNaN)) problems.push({ path: "warnPercents", code: "warning_invalid" });
  const levels = values.levels.map((l, i) => {
    const after = hoursToMinutes(l.afterHours);
    if (after === null || Number.isNaN(after)) problems.push({ path: `levels.${i}.afterHours`, code: "number_invalid" });
    return {
      afterMinutes: after === null || Number.isNaN(after) ? 0 : after,
      assignee: l.type === "user" ? { type: "user" as const, userId: l.userId } : { type: "role" as const, roleKey: l.roleKey },
      // Filtered to known actions when the form was read.
      actions: l.actions as EscalationAction[],
    };
  });
  const input: SlaPolicyInput = {
    nameAr: values.nameAr,
    nameEn: values.nameEn,
    scope: values.scope,
    nodeId: values.scope === "step" ? values.nodeId || null : null,
    condition: values.condition.trim() ? values.condition : null,
    responseMinutes,
    resolutionMinutes,
    warnPercents: warnPercents.filter((n) => !Number.isNaN(n)),
    levels,
    active: values.active,
  };
  return { values, input: problems.length ? null : input, problems };
}

/** Model problem paths → the form's field names. */
export function fieldOf(path: string): string {
  return path
    .replace(/^responseMinutes$/, "responseHours")
    .replace(/^resolutionMinutes$/, "resolutionHours")
    .replace(/^levels\.(\d+)\.afterMinutes$/, "levels.$1.afterHours");
}

export function fieldErrors(problems: SlaFieldProblem[], t: (key: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of problems) out[fieldOf(p.path)] ??= t(`admin.problems.${p.code}`);
  return out;
}
