import { isRouteErrorResponse } from "react-router";
import { describe, expect, it } from "vitest";
import { asSubject, assertCan, buildAbility, interpolateRules, knownSubjects, registerSubjects, subjectSpec, type RuleVariables } from "./permissions.server";

const ME = "11111111-1111-4111-8111-111111111111";
const UNIT = "22222222-2222-4222-8222-222222222222";
const ORG = "33333333-3333-4333-8333-333333333333";
const vars = (unitId: string | null = UNIT): RuleVariables => ({ user: { id: ME, unitId, email: "me@example.test" }, org: { id: ORG } });

describe("interpolateRules", () => {
  it("replaces whole-string placeholders at any depth", () => {
    const rules = interpolateRules(
      [
        { action: "read", subject: "Member", conditions: { unitId: "${user.unitId}" } },
        { action: "manage", subject: "ApiToken", conditions: { userId: { $in: ["${user.id}"] } } },
        { action: "read", subject: "Organisation", conditions: { id: "${org.id}" } },
      ],
      vars(),
    );
    expect(rules).toEqual([
      { action: "read", subject: "Member", conditions: { unitId: UNIT } },
      { action: "manage", subject: "ApiToken", conditions: { userId: { $in: [ME] } } },
      { action: "read", subject: "Organisation", conditions: { id: ORG } },
    ]);
  });

  it("never splices values into text and leaves unknown placeholders alone", () => {
    const rules = interpolateRules([{ action: "read", subject: "Member", conditions: { title: "x ${user.id}", note: "${user.password}" } }], vars());
    expect(rules[0]!.conditions).toEqual({ title: "x ${user.id}", note: "${user.password}" });
  });

  it("a placeholder without a value fails safe: can grants nothing, cannot forbids everything", () => {
    const rules = interpolateRules(
      [
        { action: "read", subject: "Member", conditions: { userId: "${user.id}" } },
        { action: "read", subject: "Member", conditions: { unitId: "${user.unitId}" } },
        { action: "delete", subject: "Member", inverted: true, conditions: { unitId: { $ne: "${user.unitId}" } } },
      ],
      vars(null),
    );
    expect(rules).toEqual([
      { action: "read", subject: "Member", conditions: { userId: ME } },
      { action: "delete", subject: "Member", inverted: true },
    ]);
    const ability = buildAbility(rules);
    // Without this, { unitId: null } would match every member who has no unit.
    expect(ability.can("read", asSubject("Member", { userId: "someone-else", unitId: null }))).toBe(false);
    expect(ability.can("read", asSubject("Member", { userId: ME, unitId: null }))).toBe(true);
  });

  it("does not mutate the stored rules", () => {
    const stored = [{ action: "read", subject: "Member", conditions: { unitId: "${user.unitId}" } }];
    interpolateRules(stored, vars());
    expect(stored[0]!.conditions.unitId).toBe("${user.unitId}");
  });
});

describe("assertCan", () => {
  const ability = buildAbility(interpolateRules([{ action: "read", subject: "Member", conditions: { unitId: "${user.unitId}" } }, { action: "read", subject: "Role" }], vars()));

  function thrown(fn: () => void): unknown {
    try {
      fn();
    } catch (error) {
      return error;
    }
    return undefined;
  }

  it("passes when allowed, for a type and for a row", () => {
    expect(() => assertCan(ability, "read", "Role")).not.toThrow();
    expect(() => assertCan(ability, "read", "Member", { unitId: UNIT })).not.toThrow();
  });

  it("throws a 403 response naming the action and subject", () => {
    const error = thrown(() => assertCan(ability, "update", "Role"));
    expect(error).toMatchObject({ init: { status: 403 }, data: { code: "forbidden", action: "update", subject: "Role" } });
  });

  it("checks the row's conditions, not only the type", () => {
    expect(thrown(() => assertCan(ability, "read", "Member", { unitId: "another-unit" }))).toMatchObject({ init: { status: 403 } });
    // The type-level question ("may read some Member") is answered yes.
    expect(() => assertCan(ability, "read", "Member")).not.toThrow();
  });

  it("the 403 is a route error response the error boundary can render", () => {
    const error = thrown(() => assertCan(buildAbility([]), "read", "Role")) as { data: unknown; init: { status: number } };
    expect(isRouteErrorResponse({ status: error.init.status, statusText: "", internal: false, data: error.data })).toBe(true);
  });
});

describe("subject registry", () => {
  it("knows the core subjects and their condition fields", () => {
    expect(knownSubjects()).toEqual(expect.arrayContaining(["Organisation", "OrgUnit", "Member", "Role", "AuditLog", "ApiToken", "Plugin"]));
    expect(subjectSpec("Member")?.fields).toEqual({ userId: "user", unitId: "unit" });
  });

  it("lets plugins add subjects but not redefine core ones", () => {
    registerSubjects([{ name: "TestCase", fields: { assigneeId: "user" } }]);
    expect(knownSubjects()).toContain("TestCase");
    expect(() => registerSubjects([{ name: "Member" }])).toThrow(/core subject/);
    expect(() => registerSubjects([{ name: "bad name" }])).toThrow(/Invalid subject/);
  });
});
