import fc from "fast-check";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { accessibleWhere, type FieldColumns } from "~/utils/casl-sql.server";
import { withTenant, type Tx } from "~/utils/db.server";
import { asSubject, buildAbility, interpolateRules, type AppAbility, type RuleJson } from "~/utils/permissions.server";
import { makeOrg, testDb } from "./helpers";

// The SQL filter must return exactly the rows ability.can() allows, for any rule set.
// Rows live in a TEMP table of the application role's own session (dropped on commit).

interface Thing {
  id: number;
  ownerId: string | null;
  score: number | null;
  label: string | null;
  active: boolean;
}

const COLUMNS: FieldColumns = {
  ownerId: "t.owner_id",
  score: { column: "t.score", type: "integer" },
  label: { column: "t.label", type: "text" },
  active: { column: "t.active", type: "boolean" },
};

const UUIDS = ["0b6f1c2e-58a4-4e0e-9a57-3c1f2d9e8a01", "7d2a9c44-1e3b-4f6a-8c5d-9e0f1a2b3c4d", "f0e1d2c3-b4a5-4968-8776-655443322110"];
// Short strings that collide often; "-1", "10" and Arabic letters exercise JS coercion and code-point order.
const LABELS = ["", "a", "b", "B", "ab", "Z", "ا", "ب", "1", "-1", "10", " "];

const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 3 });
const uuidArb = fc.constantFrom(...UUIDS);
const scoreArb = fc.integer({ min: -2, max: 3 });
const labelArb = fc.constantFrom(...LABELS);

const rowArb: fc.Arbitrary<Omit<Thing, "id">> = fc.record({
  ownerId: nullable(uuidArb),
  score: nullable(scoreArb),
  label: nullable(labelArb),
  active: fc.boolean(),
});

/** Values a rule may compare a field with: same type as the column (or null). */
const VALUE_ARBS: Record<keyof Omit<Thing, "id">, { value: fc.Arbitrary<unknown>; ordered: boolean }> = {
  ownerId: { value: uuidArb, ordered: true },
  score: { value: fc.oneof(fc.integer({ min: -3, max: 4 }), fc.constantFrom(-0.5, 0.5, 2.5)), ordered: true },
  label: { value: labelArb, ordered: true },
  active: { value: fc.boolean(), ordered: false },
};

function fieldConditionArb(field: keyof typeof VALUE_ARBS): fc.Arbitrary<unknown> {
  const { value, ordered } = VALUE_ARBS[field];
  const orNull = nullable(value);
  const list = fc.array(orNull, { maxLength: 3 });
  // Rules arrive as parsed JSON: plain objects (CASL tells operators from values by their prototype).
  const op = <T extends Record<string, fc.Arbitrary<unknown>>>(model: T) => fc.record(model, { noNullPrototype: true });
  const ops: fc.Arbitrary<unknown>[] = [
    orNull, // implicit $eq
    op({ $eq: orNull }),
    op({ $ne: orNull }),
    op({ $in: list }),
    op({ $nin: list }),
    op({ $exists: fc.boolean() }),
  ];
  if (ordered) {
    ops.push(
      op({ $lt: value }),
      op({ $lte: value }),
      op({ $gt: value }),
      op({ $gte: value }),
      op({ $gt: value, $lte: value }),
      op({ $ne: orNull, $gte: value }),
    );
  }
  return fc.oneof(...ops);
}

const conditionsArb = fc
  .uniqueArray(fc.constantFrom("ownerId", "score", "label", "active") as fc.Arbitrary<keyof typeof VALUE_ARBS>, { minLength: 1, maxLength: 3 })
  .chain((fields) => fc.tuple(...fields.map((f) => fieldConditionArb(f).map((c) => [f, c] as const))))
  .map((entries) => Object.fromEntries(entries));

const ruleArb: fc.Arbitrary<RuleJson> = fc
  .record({
    action: fc.constantFrom("read", "update", "manage", ["read", "update"]),
    subject: fc.constantFrom("Thing", "Other", "all", ["Thing", "Other"]),
    inverted: fc.boolean(),
    conditions: fc.option(conditionsArb, { nil: undefined, freq: 4 }),
    fields: fc.option(fc.constantFrom(["label"], ["label", "score"]), { nil: undefined, freq: 6 }),
  })
  .map((r) => {
    const rule: Record<string, unknown> = { action: r.action, subject: r.subject, inverted: r.inverted };
    if (r.conditions) rule.conditions = r.conditions;
    if (r.fields) rule.fields = r.fields;
    return rule as unknown as RuleJson;
  });

async function createThings(trx: Tx, rows: Omit<Thing, "id">[]): Promise<Thing[]> {
  // The test cluster's default collation is C; production databases often use a linguistic
  // one ("a" < "B"), where JS's code-unit order would not hold without COLLATE "C".
  await sql`CREATE TEMP TABLE casl_things (id int PRIMARY KEY, owner_id uuid, score int, label text COLLATE "en-x-icu", active boolean NOT NULL) ON COMMIT DROP`.execute(trx);
  const things = rows.map((r, i) => ({ id: i + 1, ...r }));
  for (const t of things) {
    await sql`INSERT INTO casl_things VALUES (${t.id}, ${t.ownerId}, ${t.score}, ${t.label}, ${t.active})`.execute(trx);
  }
  return things;
}

async function sqlVisible(trx: Tx, ability: AppAbility, action: string, subject: string, columns: FieldColumns = COLUMNS): Promise<number[]> {
  const rows = await trx
    .withTables<{ casl_things: { id: number } }>()
    .selectFrom("casl_things as t")
    .select("t.id")
    .where(accessibleWhere(ability, action, subject, columns))
    .orderBy("t.id")
    .execute();
  return rows.map((r) => r.id);
}

const jsVisible = (ability: AppAbility, action: string, things: Thing[]) =>
  things.filter((t) => ability.can(action, asSubject("Thing", t))).map((t) => t.id);

/** One transaction per case: the temp table belongs to that one pooled connection. */
const inTx = <T>(fn: (trx: Tx) => Promise<T>) => testDb().transaction().execute(fn);

describe("accessibleWhere agrees with ability.can()", () => {
  it("for random rule sets and rows (property, real PostgreSQL)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(ruleArb, { maxLength: 6 }), fc.array(rowArb, { maxLength: 12 }), fc.constantFrom("read", "update", "delete"), async (rules, rows, action) => {
        const ability = buildAbility(rules);
        await inTx(async (trx) => {
          const things = await createThings(trx, rows);
          expect(await sqlVisible(trx, ability, action, "Thing")).toEqual(jsVisible(ability, action, things));
        });
      }),
      { numRuns: 300 },
    );
  });

  const ME = UUIDS[0]!;
  const OTHER = UUIDS[1]!;
  const things: Omit<Thing, "id">[] = [
    { ownerId: ME, score: 1, label: "مسودة", active: true },
    { ownerId: OTHER, score: 2, label: "منشور", active: true },
    { ownerId: null, score: null, label: null, active: false },
    { ownerId: ME, score: 3, label: "مؤرشف", active: false },
  ];

  /** `alias` names the rule's field for a column, as a real subject would carry it. */
  async function check(rules: RuleJson[], expected: number[], alias?: { field: string; column: keyof Thing }) {
    const ability = buildAbility(rules);
    const columns = alias ? { ...COLUMNS, [alias.field]: `t.${alias.column === "ownerId" ? "owner_id" : alias.column}` } : COLUMNS;
    await inTx(async (trx) => {
      const rows = await createThings(trx, things);
      const subjects = rows.map((r) => (alias ? { ...r, [alias.field]: r[alias.column] } : r));
      expect(await sqlVisible(trx, ability, "read", "Thing", columns)).toEqual(expected);
      expect(jsVisible(ability, "read", subjects)).toEqual(expected);
    });
  }

  it("own records: { ownerId: \"${user.id}\" } (assignee-style)", async () => {
    const rules = interpolateRules([{ action: "read", subject: "Thing", conditions: { assigneeId: "${user.id}" } }], {
      user: { id: ME, unitId: null, email: "me@example.test" },
      org: { id: OTHER },
    });
    await check(rules, [1, 4], { field: "assigneeId", column: "ownerId" });
  });

  it("own unit: { unitId: \"${user.unitId}\" }, and nothing for a member without a unit", async () => {
    const raw = [{ action: "read", subject: "Thing", conditions: { unitId: "${user.unitId}" } }];
    const columns = { field: "unitId", column: "ownerId" } as const;
    await check(interpolateRules(raw, { user: { id: ME, unitId: OTHER, email: "x@example.test" }, org: { id: ME } }), [2], columns);
    // CASL would match `unitId: null` against every row without a unit; the placeholder fails safe instead.
    await check(interpolateRules(raw, { user: { id: ME, unitId: null, email: "x@example.test" }, org: { id: ME } }), [], columns);
  });

  it("deny-all (no rules, other subject, unconditional cannot) and allow-all", async () => {
    await check([], []);
    await check([{ action: "read", subject: "Other" }], []);
    await check([{ action: "manage", subject: "all" }, { action: "read", subject: "Thing", inverted: true }], []);
    await check([{ action: "manage", subject: "all" }], [1, 2, 3, 4]);
    await check([{ action: "read", subject: "Thing", fields: ["label"] }], [1, 2, 3, 4]);
  });

  it("$ne matches NULL, NOT treats NULL as false, $in [] matches nothing", async () => {
    await check([{ action: "read", subject: "Thing", conditions: { label: { $ne: "منشور" } } }], [1, 3, 4]);
    await check([{ action: "read", subject: "all" }, { action: "read", subject: "Thing", inverted: true, conditions: { score: { $gte: 2 } } }], [1, 3]);
    await check([{ action: "read", subject: "Thing", conditions: { ownerId: { $in: [] } } }], []);
    await check([{ action: "read", subject: "Thing", conditions: { ownerId: { $nin: [] } } }], [1, 2, 3, 4]);
  });

  it("refuses to build a filter it cannot translate faithfully", () => {
    const build = (rules: RuleJson[], columns: FieldColumns = COLUMNS) => () => accessibleWhere(buildAbility(rules), "read", "Thing", columns);
    expect(build([{ action: "read", subject: "Thing", conditions: { secret: true } }])).toThrow(/"secret", which this query does not map/);
    // An unmapped field inside a `cannot` must not silently turn into "allowed".
    expect(build([{ action: "read", subject: "Thing" }, { action: "read", subject: "Thing", inverted: true, conditions: { secret: true } }])).toThrow(/secret/);
    expect(build([{ action: "read", subject: "Thing", conditions: { ownerId: "not-a-uuid" } }])).toThrow(/uuid column/);
    expect(build([{ action: "read", subject: "Thing", conditions: { score: "2" } }])).toThrow(/integer column/);
    expect(build([{ action: "read", subject: "Thing", conditions: { label: { $regex: "^a" } } }])).toThrow(/"regex".*not supported/);
    expect(build([{ action: "read", subject: "Thing", conditions: { $or: [{ score: 1 }] } }])).toThrow(/\$or/);
    // Nothing to translate when no rule can apply: no error.
    expect(build([{ action: "read", subject: "Other", conditions: { secret: true } }])).not.toThrow();
  });
});

describe("accessibleWhere on a real tenant table", () => {
  it("a staff member lists exactly the members of their own unit", async () => {
    const t = await makeOrg();
    const rules = interpolateRules(
      [{ action: "read", subject: "Member", conditions: { unitId: "${user.unitId}" } }],
      { user: { id: t.staff.id, unitId: t.units.b, email: t.staff.email }, org: { id: t.org.id } },
    );
    const ability = buildAbility(rules);
    const rows = await withTenant(testDb(), { orgId: t.org.id, userId: t.staff.id }, (trx) =>
      trx
        .selectFrom("memberships as m")
        .select(["m.user_id", "m.unit_id"])
        .where(accessibleWhere(ability, "read", "Member", { userId: "m.user_id", unitId: "m.unit_id" }))
        .execute(),
    );
    expect(rows.map((r) => r.user_id)).toEqual([t.staff.id]);
    const all = await withTenant(testDb(), { orgId: t.org.id }, (trx) => trx.selectFrom("memberships").select(["user_id as userId", "unit_id as unitId"]).execute());
    expect(all.filter((m) => ability.can("read", asSubject("Member", m))).map((m) => m.userId)).toEqual([t.staff.id]);
  });
});
