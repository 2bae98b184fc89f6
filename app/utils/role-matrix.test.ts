import { createMongoAbility, subject as tag, type MongoAbility, type RawRuleOf } from "@casl/ability";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cellName,
  emptyMatrix,
  extraHints,
  MATRIX_ACTIONS,
  matrixFromForm,
  matrixToRules,
  rulesToMatrix,
  scopesFor,
  type Matrix,
  type MatrixSubject,
  type Rule,
  type Scope,
} from "./role-matrix";

const SUBJECTS: MatrixSubject[] = [
  { name: "Organisation" },
  { name: "OrgUnit", fields: { id: "unit" } },
  { name: "Member", fields: { userId: "user", unitId: "unit" } },
  { name: "Role" },
  { name: "ApiToken", fields: { userId: "user" } },
];

const matrixArb: fc.Arbitrary<Matrix> = fc.record(
  Object.fromEntries(
    SUBJECTS.map((s) => [s.name, fc.record(Object.fromEntries(MATRIX_ACTIONS.map((a) => [a, fc.constantFrom(...scopesFor(s))])) as Record<string, fc.Arbitrary<Scope>>)]),
  ) as Record<string, fc.Arbitrary<Matrix[string]>>,
  { noNullPrototype: true },
) as fc.Arbitrary<Matrix>;

describe("scopes", () => {
  it("offers only the scopes a subject supports", () => {
    expect(scopesFor(SUBJECTS[0]!)).toEqual(["none", "all"]);
    expect(scopesFor(SUBJECTS[1]!)).toEqual(["none", "unit", "all"]);
    expect(scopesFor(SUBJECTS[2]!)).toEqual(["none", "own", "unit", "all"]);
    expect(scopesFor(SUBJECTS[4]!)).toEqual(["none", "own", "all"]);
  });
});

describe("matrix → rules → matrix", () => {
  it("is the identity and leaves no extras (property)", () => {
    fc.assert(
      fc.property(matrixArb, (matrix) => {
        expect(rulesToMatrix(matrixToRules(matrix, SUBJECTS), SUBJECTS)).toEqual({ matrix, extras: [] });
      }),
      { numRuns: 300 },
    );
  });

  it("groups actions per subject and scope with placeholder conditions", () => {
    const matrix = emptyMatrix(SUBJECTS);
    matrix.Member = { read: "unit", create: "none", update: "own", delete: "none" };
    matrix.OrgUnit!.read = "all";
    matrix.ApiToken = { read: "own", create: "own", update: "own", delete: "own" };
    expect(matrixToRules(matrix, SUBJECTS)).toEqual([
      { action: "read", subject: "OrgUnit" },
      { action: "read", subject: "Member", conditions: { unitId: "${user.unitId}" } },
      { action: "update", subject: "Member", conditions: { userId: "${user.id}" } },
      { action: ["read", "create", "update", "delete"], subject: "ApiToken", conditions: { userId: "${user.id}" } },
    ]);
  });

  it("never emits a scope the subject does not offer", () => {
    const matrix = emptyMatrix(SUBJECTS);
    matrix.Role!.read = "own";
    expect(matrixToRules(matrix, SUBJECTS)).toEqual([]);
  });
});

// Rules built from a small vocabulary, including ones the matrix cannot show. Weighted
// towards Member, which has both narrow scopes, so overlapping grants are common.
const weighted = <T>(...items: [T, number][]) => fc.oneof(...items.map(([value, weight]) => ({ arbitrary: fc.constant(value), weight })));
const ruleArb: fc.Arbitrary<Rule> = fc
  .record(
    {
      action: weighted<Rule["action"]>(["read", 4], ["update", 1], ["delete", 1], ["manage", 1], [["read", "update"], 2], [["create", "delete"], 1]),
      subject: weighted<Rule["subject"]>(["Member", 6], ["OrgUnit", 1], ["Role", 1], ["ApiToken", 1], ["all", 1], [["Member", "ApiToken"], 2], [["OrgUnit", "Role"], 1]),
      inverted: weighted([false, 3], [true, 1]),
      conditions: weighted<Rule["conditions"]>(
        [undefined, 2],
        [{ userId: "${user.id}" }, 3],
        [{ unitId: "${user.unitId}" }, 3],
        [{ id: "${user.unitId}" }, 1],
        [{ userId: { $ne: "${user.id}" } }, 1],
        [{ userId: "${user.id}", unitId: "${user.unitId}" }, 1],
      ),
    },
    { noNullPrototype: true },
  )
  .map((r) => {
    const rule: Rule = { action: r.action, subject: r.subject };
    if (r.inverted) rule.inverted = true;
    if (r.conditions) rule.conditions = r.conditions;
    return rule;
  });

const ME = "me";
const UNIT = "u1";
const resolve = (rules: Rule[]) =>
  createMongoAbility(JSON.parse(JSON.stringify(rules).replaceAll("${user.id}", ME).replaceAll("${user.unitId}", UNIT)) as RawRuleOf<MongoAbility>[]);
const SAMPLES = [
  { userId: ME, unitId: UNIT, id: UNIT },
  { userId: ME, unitId: "u2", id: "u2" },
  { userId: "other", unitId: UNIT, id: UNIT },
  { userId: "other", unitId: "u2", id: "x" },
];

describe("rules → matrix + extras → rules", () => {
  it("grants exactly what the original rules grant (property)", () => {
    fc.assert(
      fc.property(fc.array(ruleArb, { maxLength: 6 }), (rules) => {
        const { matrix, extras } = rulesToMatrix(rules, SUBJECTS);
        const before = resolve(rules);
        const after = resolve([...matrixToRules(matrix, SUBJECTS), ...extras]);
        for (const s of ["Member", "OrgUnit", "Role", "ApiToken", "Organisation"]) {
          for (const action of [...MATRIX_ACTIONS, "manage"]) {
            expect(after.can(action, s), `${action} ${s}`).toBe(before.can(action, s));
            for (const row of SAMPLES) expect(after.can(action, tag(s, { ...row })), `${action} ${s} ${JSON.stringify(row)}`).toBe(before.can(action, tag(s, { ...row })));
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it("reads the built-in staff role into the matrix and keeps `manage` as an extra", () => {
    const staff: Rule[] = [
      { action: "read", subject: ["OrgUnit", "Organisation"] },
      { action: "read", subject: "Member", conditions: { unitId: "${user.unitId}" } },
      { action: "manage", subject: "ApiToken", conditions: { userId: "${user.id}" } },
    ];
    const { matrix, extras } = rulesToMatrix(staff, SUBJECTS);
    expect(matrix.OrgUnit!.read).toBe("all");
    expect(matrix.Organisation!.read).toBe("all");
    expect(matrix.Member).toEqual({ read: "unit", create: "none", update: "none", delete: "none" });
    expect(extras).toEqual([staff[2]]);
  });

  it("keeps everything from the first `cannot` on as extras, in order", () => {
    const rules: Rule[] = [
      { action: "read", subject: "Role" },
      { action: "read", subject: "Member", inverted: true },
      { action: "read", subject: "Member", conditions: { userId: "${user.id}" } },
    ];
    const { matrix, extras } = rulesToMatrix(rules, SUBJECTS);
    expect(matrix.Role!.read).toBe("all");
    expect(matrix.Member!.read).toBe("none");
    expect(extras).toEqual(rules.slice(1));
  });

  it("does not merge two different narrow scopes into one cell", () => {
    const rules: Rule[] = [
      { action: "read", subject: "Member", conditions: { userId: "${user.id}" } },
      { action: "read", subject: "Member", conditions: { unitId: "${user.unitId}" } },
    ];
    const { matrix, extras } = rulesToMatrix(rules, SUBJECTS);
    expect(matrix.Member!.read).toBe("own");
    expect(extras).toEqual([rules[1]]);
  });
});

describe("form and hints", () => {
  it("reads cells from form fields, ignoring scopes the subject does not offer", () => {
    const form = new Map([
      [cellName("Member", "read"), "unit"],
      [cellName("Role", "update"), "own"],
      [cellName("Role", "read"), "all"],
      [cellName("Nope", "read"), "all"],
    ]);
    const matrix = matrixFromForm((name) => form.get(name), SUBJECTS);
    expect(matrix.Member!.read).toBe("unit");
    expect(matrix.Role).toEqual({ read: "all", create: "none", update: "none", delete: "none" });
    expect(matrix.Nope).toBeUndefined();
  });

  it("marks cells that extra rules grant or narrow", () => {
    const hints = extraHints(
      [
        { action: "manage", subject: "all" },
        { action: "delete", subject: "Member", inverted: true, conditions: { userId: "${user.id}" } },
        { action: "read", subject: "ApiToken", conditions: { userId: "${user.id}" } },
      ],
      SUBJECTS,
    );
    expect(hints.Role!.update).toEqual({ grant: "all", limited: false });
    expect(hints.Member!.delete).toEqual({ grant: "all", limited: true });
    expect(extraHints([{ action: "read", subject: "ApiToken", conditions: { userId: "x" } }], SUBJECTS).ApiToken!.read).toEqual({ grant: "some", limited: false });
  });
});
