import type { TFunction } from "i18next";
import type { Rule } from "~/utils/role-matrix";

const PLACEHOLDER_KEYS: Record<string, string> = { "${user.id}": "placeholders.user", "${user.unitId}": "placeholders.unit" };

/** Core subjects are named in "roles"; a plugin's in its own namespace, falling back to the raw name. */
export const subjectLabel = (t: TFunction, name: string, namespaces: Record<string, string> = {}) =>
  t(`subjects.${name}`, { defaultValue: namespaces[name] ? t(`subjects.${name}`, { ns: namespaces[name], defaultValue: name }) : name });
export const actionLabel = (t: TFunction, name: string) => t(`actions.${name}`, { defaultValue: name });

function valueText(t: TFunction, value: unknown): string {
  if (typeof value === "string" && PLACEHOLDER_KEYS[value]) return t(PLACEHOLDER_KEYS[value]!);
  if (Array.isArray(value)) return value.map((v) => valueText(t, v)).join("، ");
  return `\u2068${JSON.stringify(value)}\u2069`; // isolated: stays readable inside Arabic text
}

function conditionText(t: TFunction, field: string, value: unknown): string {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const [op, operand] = Object.entries(value)[0] ?? [];
    const key = { $eq: "is", $ne: "isNot", $in: "in", $nin: "notIn" }[op ?? ""];
    if (key) return t(`conditions.${key}`, { field: `\u2068${field}\u2069`, value: valueText(t, operand) });
  }
  return t("conditions.is", { field: `\u2068${field}\u2069`, value: valueText(t, value) });
}

/** One sentence per rule for the "additional rules" list, e.g. "Allow: full control — access tokens — where userId is the member". */
export function ruleText(t: TFunction, rule: Rule, namespaces: Record<string, string> = {}): string {
  const list = (v: string | string[] | undefined, label: (n: string) => string) => [v ?? []].flat().map(label).join("، ");
  const actions = list(rule.action as string | string[], (a) => actionLabel(t, a));
  const subjects = list(rule.subject as string | string[] | undefined, (s) => subjectLabel(t, s, namespaces));
  const conditions = rule.conditions ? Object.entries(rule.conditions).map(([f, v]) => conditionText(t, f, v)) : [];
  return t(rule.inverted ? "extras.deny" : "extras.allow", {
    actions,
    subjects,
    conditions: conditions.length ? t("extras.where", { conditions: conditions.join(t("extras.and")) }) : "",
  });
}
