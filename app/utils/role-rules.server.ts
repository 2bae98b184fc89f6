import { z } from "zod";
import { ACTIONS, knownSubjects, PLACEHOLDER_FOR, subjectSpec, type ConditionFieldKind, type RuleJson } from "./permissions.server";

// The one gate for rules stored on a role: whatever the matrix or the JSON view sends is
// checked here before it is written. Issues carry a code (translated in the roles
// namespace under "issues.<code>") and the rule's position, never raw zod text.

export const MAX_RULES = 200;

export interface RuleIssue {
  /** 1-based rule number, or null for the list itself. */
  rule: number | null;
  code: string;
  params?: Record<string, string>;
}

const OPERATORS = ["$eq", "$ne", "$in", "$nin"] as const;

const oneOrMany = z.union([z.string().min(1).max(100), z.array(z.string().min(1).max(100)).min(1).max(50)]);
const ruleShape = z.strictObject({
  action: oneOrMany,
  subject: oneOrMany,
  conditions: z.record(z.string(), z.unknown()).optional(),
  inverted: z.boolean().optional(),
});

type Issue = Omit<RuleIssue, "rule">;

function checkRule(rule: z.infer<typeof ruleShape>): Issue[] {
  const issues: Issue[] = [];
  const actions = [rule.action].flat();
  const subjects = [rule.subject].flat();
  for (const action of actions) {
    if (!(ACTIONS as readonly string[]).includes(action)) issues.push({ code: "unknownAction", params: { action } });
  }
  const known = new Set(knownSubjects());
  for (const subject of subjects) {
    if (subject !== "all" && !known.has(subject)) issues.push({ code: "unknownSubject", params: { subject } });
  }
  if (issues.length || rule.conditions === undefined) return issues;
  const entries = Object.entries(rule.conditions);
  if (entries.length === 0) return [{ code: "emptyConditions" }];
  for (const [field, value] of entries) {
    // A condition must make sense for every subject the rule names ("all" has no fields).
    const kinds = subjects.map((s) => (s === "all" ? undefined : subjectSpec(s)?.fields?.[field]));
    const kind = kinds[0];
    if (!kind || kinds.some((k) => k !== kind)) {
      issues.push({ code: "fieldNotAllowed", params: { field, subject: subjects.join(", ") } });
    } else if (!valueAllowed(value, kind)) {
      issues.push({ code: "valueNotAllowed", params: { field, placeholder: PLACEHOLDER_FOR[kind] } });
    }
  }
  return issues;
}

/** A placeholder, or one operator ($eq/$ne with a placeholder, $in/$nin with a list of them). */
function valueAllowed(value: unknown, kind: ConditionFieldKind): boolean {
  const placeholder = PLACEHOLDER_FOR[kind];
  if (value === placeholder) return true;
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  if (entries.length !== 1) return false;
  const [op, operand] = entries[0]!;
  if (!(OPERATORS as readonly string[]).includes(op)) return false;
  if (op === "$eq" || op === "$ne") return operand === placeholder;
  return Array.isArray(operand) && operand.length > 0 && operand.every((v) => v === placeholder);
}

export function validateRules(input: unknown): { ok: true; rules: RuleJson[] } | { ok: false; issues: RuleIssue[] } {
  if (!Array.isArray(input)) return { ok: false, issues: [{ rule: null, code: "notArray" }] };
  if (input.length > MAX_RULES) return { ok: false, issues: [{ rule: null, code: "tooMany", params: { max: String(MAX_RULES) } }] };
  const issues: RuleIssue[] = [];
  const rules: RuleJson[] = [];
  input.forEach((raw, index) => {
    const parsed = ruleShape.safeParse(raw);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const key = first?.code === "unrecognized_keys" ? first.keys.join(", ") : String(first?.path[0] ?? "");
      issues.push({ rule: index + 1, code: first?.code === "unrecognized_keys" ? "unknownKey" : "shape", params: { key } });
      return;
    }
    const ruleIssues = checkRule(parsed.data);
    issues.push(...ruleIssues.map((issue) => ({ rule: index + 1, ...issue })));
    rules.push(parsed.data as RuleJson);
  });
  return issues.length ? { ok: false, issues } : { ok: true, rules };
}

/** Parses the advanced view's text; a syntax error is an issue like any other. */
export function parseRulesJson(text: string): { ok: true; rules: RuleJson[] } | { ok: false; issues: RuleIssue[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, issues: [{ rule: null, code: "invalidJson" }] };
  }
  return validateRules(value);
}

export const roleKeySchema = z.string().trim().regex(/^[a-z][a-z0-9_-]{1,40}$/);
export const roleNameSchema = z.string().trim().min(1).max(200);
export const roleNamesSchema = z.object({ name_ar: roleNameSchema, name_en: roleNameSchema });
