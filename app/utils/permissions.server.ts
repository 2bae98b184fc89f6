import { createMongoAbility, ForbiddenError, subject as tagSubject, type MongoAbility, type RawRuleOf } from "@casl/ability";
import { data } from "react-router";

export type AppAbility = MongoAbility;
export type RuleJson = RawRuleOf<MongoAbility>;

/** Core CASL subjects; plugins add theirs through the plugin contract. */
export const CORE_SUBJECTS = ["Organisation", "OrgUnit", "Member", "Role", "AuditLog", "ApiToken", "Plugin"] as const;
export const ACTIONS = ["read", "create", "update", "delete", "manage"] as const;

export interface RuleVariables {
  user: { id: string; unitId: string | null; email: string };
  org: { id: string };
}

/**
 * Role rules are stored with placeholders such as "${user.id}" or "${user.unitId}";
 * they are replaced by the signed-in member's values before the ability is built.
 * Only whole-string placeholders are replaced, so no value is ever spliced into text.
 */
export function interpolateRules(rules: unknown[], vars: RuleVariables): RuleJson[] {
  const lookup: Record<string, unknown> = {
    "${user.id}": vars.user.id,
    "${user.unitId}": vars.user.unitId,
    "${user.email}": vars.user.email,
    "${org.id}": vars.org.id,
  };
  const walk = (value: unknown): unknown => {
    if (typeof value === "string" && value in lookup) return lookup[value];
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    }
    return value;
  };
  return rules.map((rule) => walk(rule) as RuleJson);
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
