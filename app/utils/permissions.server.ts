import { createMongoAbility, ForbiddenError, subject as tagSubject, type MongoAbility, type RawRuleOf } from "@casl/ability";
import { data } from "react-router";

export type AppAbility = MongoAbility;
export type RuleJson = RawRuleOf<MongoAbility>;

/** Core CASL subjects; plugins add theirs through the plugin contract. */
export const CORE_SUBJECTS = ["Organisation", "OrgUnit", "Member", "Role", "AuditLog", "ApiToken", "Plugin", "Definition", "Case", "Task", "Incident", "Form"] as const;
export const ACTIONS = ["read", "create", "update", "delete", "manage"] as const;

/**
 * Which member a condition field points at: "user" fields hold a user id and take
 * "${user.id}" (the member's own records), "unit" fields hold an org unit id and take
 * "${user.unitId}" (the member's own unit).
 */
export type ConditionFieldKind = "user" | "unit";
export const PLACEHOLDER_FOR: Record<ConditionFieldKind, string> = { user: "${user.id}", unit: "${user.unitId}" };

export interface SubjectSpec {
  name: string;
  /** The fields role rules may put conditions on (all uuid columns). */
  fields?: Record<string, ConditionFieldKind>;
}

const CORE_SUBJECT_SPECS: SubjectSpec[] = [
  { name: "Organisation" },
  { name: "OrgUnit", fields: { id: "unit" } },
  { name: "Member", fields: { userId: "user", unitId: "unit" } },
  { name: "Role" },
  { name: "AuditLog", fields: { actorUserId: "user" } },
  { name: "ApiToken", fields: { userId: "user" } },
  { name: "Plugin" },
  // Workflow engine. Task conditions let a role say "tasks assigned to me" or "my unit's tasks";
  // the task service further restricts who may act to the assignee and the candidates.
  { name: "Definition" },
  { name: "Case", fields: { startedBy: "user" } },
  { name: "Task", fields: { assigneeUserId: "user", candidateUnitId: "unit" } },
  { name: "Incident" },
  // Form definitions (builder, publish, archive); filling a published form needs "read Form".
  { name: "Form", fields: { createdBy: "user" } },
];

// Module-level so the plugin loader can add its subjects once at boot.
const registry = new Map<string, SubjectSpec>(CORE_SUBJECT_SPECS.map((s) => [s.name, s]));

/** Adds (or replaces) subjects; core subjects cannot be redefined. */
export function registerSubjects(list: SubjectSpec[]): void {
  for (const spec of list) {
    if ((CORE_SUBJECTS as readonly string[]).includes(spec.name)) throw new Error(`Subject ${spec.name} is a core subject`);
    if (!/^[A-Z][A-Za-z0-9]{1,60}$/.test(spec.name)) throw new Error(`Invalid subject name ${JSON.stringify(spec.name)}`);
    registry.set(spec.name, spec);
  }
}

/** Subjects role rules may name (besides "all"): core ones first, then registered ones. */
export function knownSubjects(): string[] {
  return [...registry.keys()];
}

export function subjectSpecs(): SubjectSpec[] {
  return [...registry.values()];
}

export function subjectSpec(name: string): SubjectSpec | undefined {
  return registry.get(name);
}

export interface RuleVariables {
  user: { id: string; unitId: string | null; email: string };
  org: { id: string };
}

/**
 * Role rules are stored with placeholders such as "${user.id}" or "${user.unitId}";
 * they are replaced by the signed-in member's values before the ability is built.
 * Only whole-string placeholders are replaced, so no value is ever spliced into text.
 *
 * A placeholder with no value (a member without a unit and "${user.unitId}") must not
 * become null — CASL would then match every record without a unit. Instead the rule
 * fails safe: a `can` rule grants nothing, a `cannot` rule forbids without condition.
 */
export function interpolateRules(rules: unknown[], vars: RuleVariables): RuleJson[] {
  const lookup: Record<string, unknown> = {
    "${user.id}": vars.user.id,
    "${user.unitId}": vars.user.unitId,
    "${user.email}": vars.user.email,
    "${org.id}": vars.org.id,
  };
  const out: RuleJson[] = [];
  for (const rule of rules) {
    let missing = false;
    const walk = (value: unknown): unknown => {
      if (typeof value === "string" && value in lookup) {
        const resolved = lookup[value];
        if (resolved === null || resolved === undefined) missing = true;
        return resolved;
      }
      if (Array.isArray(value)) return value.map(walk);
      if (value && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
      }
      return value;
    };
    const filled = walk(rule) as RuleJson;
    if (!missing) out.push(filled);
    else if (filled.inverted) {
      delete filled.conditions;
      out.push(filled);
    }
  }
  return out;
}

export function buildAbility(rules: RuleJson[]): AppAbility {
  return createMongoAbility(rules);
}

/** Tags a plain row with its CASL subject type for condition checks. */
export function asSubject<T extends object>(type: string, row: T) {
  return tagSubject(type, { ...row });
}

/** The one server-side check: throws a 403 response (translated by the error boundary). */
export function assertCan(ability: AppAbility, action: string, subjectType: string, row?: object): void {
  try {
    ForbiddenError.from(ability).throwUnlessCan(action, row ? asSubject(subjectType, row) : subjectType);
  } catch {
    throw data({ code: "forbidden", action, subject: subjectType }, { status: 403 });
  }
}
