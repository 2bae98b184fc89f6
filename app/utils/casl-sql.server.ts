import { rulesToAST } from "@casl/ability/extra";
import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from "kysely";
import type { AppAbility } from "./permissions.server";

/**
 * How a condition field is stored. The type decides how rule values are bound and which
 * values are legal: a value of the wrong JS type is a broken rule and throws (see below).
 * - uuid: values must be canonical lower-case uuids (what pg returns, so can() agrees)
 * - text: strings; ordering uses COLLATE "C", the code-point order JS comparisons use
 * - integer: numbers (fractions allowed: `score < 2.5`)
 * - boolean: booleans
 */
export type ColumnType = "uuid" | "text" | "integer" | "boolean";
export interface ColumnSpec {
  column: string;
  type: ColumnType;
}

/**
 * Maps a CASL subject's condition fields (camelCase, as written in role rules) to SQL
 * column references of the query being filtered, e.g. { unitId: "m.unit_id" }.
 * A bare string names a uuid column — every core condition field is an id; declare other
 * columns as { column, type }.
 */
export type FieldColumns = Record<string, string | ColumnSpec>;

/**
 * A where-callback usable in any query (`.where(accessibleWhere(...))`): generic in the
 * query's tables, because it only references columns through sql.ref.
 */
export type AccessFilter = <DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool>;
type Part = (eb: ExpressionBuilder<unknown, never>) => Expression<SqlBool>;

/** The subset of @ucast's Condition that CASL's mongo matcher produces. */
interface AstNode {
  operator: string;
  field?: string;
  value: unknown;
}

/**
 * The SQL twin of ability.can(action, subjectType, row): a Kysely where-expression built
 * from CASL's rulesToAST, so list queries return exactly the rows can() allows.
 *
 * Decisions (each one proven against can() by test/integration/casl-sql.test.ts):
 * - No rule → FALSE; an unconditional `can` not overridden → TRUE.
 * - A condition on a field missing from `columns`, an operator other than
 *   eq/ne/in/nin/lt/lte/gt/gte/exists, or a value of the wrong type THROWS here, when the
 *   filter is built: replacing it with FALSE would turn a `cannot` into an allow.
 * - Rules restricted to `fields` count as "the action is allowed on the subject at all",
 *   exactly like can(action, subject) without a field: a row is listed when any of its
 *   fields may be read; inverted rules with `fields` do not hide rows.
 * - NULL: leaves may yield SQL NULL only where can() says false, and NOT is written as
 *   `IS NOT TRUE`, so AND/OR/NOT agree with JS two-valued logic. `$ne` matches NULLs
 *   (IS DISTINCT FROM), `eq null` is IS NULL, `$in`/`$nin` handle null members and empty
 *   lists, and range operators reproduce JS's `null < 5` (null counts as 0).
 * - `$exists` tests presence of the property, as CASL does; every mapped column is present,
 *   so it is constant. Rows passed to can() must therefore carry every condition field.
 */
export function accessibleWhere(ability: AppAbility, action: string, subjectType: string, columns: FieldColumns): AccessFilter {
  const ast = rulesToAST(ability, action, subjectType) as AstNode | null;
  const part: Part = ast ? translate(ast, { subjectType, columns }) : () => FALSE;
  return (eb) => part(eb as unknown as ExpressionBuilder<unknown, never>);
}

const TRUE = sql<SqlBool>`TRUE`;
const FALSE = sql<SqlBool>`FALSE`;
const constant = (value: boolean): Part => () => (value ? TRUE : FALSE);

interface Ctx {
  subjectType: string;
  columns: FieldColumns;
}

function translate(node: AstNode, ctx: Ctx): Part {
  switch (node.operator) {
    case "and":
    case "or": {
      const parts = (node.value as AstNode[]).map((child) => translate(child, ctx));
      if (parts.length === 0) return constant(node.operator === "and");
      if (parts.length === 1) return parts[0]!;
      return (eb) => (node.operator === "and" ? eb.and(parts.map((p) => p(eb))) : eb.or(parts.map((p) => p(eb))));
    }
    case "not": {
      const inner = translate((node.value as AstNode[])[0]!, ctx);
      // NULL (= "false" for can()) must become TRUE under negation.
      return (eb) => sql<SqlBool>`(${inner(eb)}) IS NOT TRUE`;
    }
    default: {
      const leaf = fieldCondition(node, ctx);
      return () => leaf;
    }
  }
}

const SUPPORTED = new Set(["eq", "ne", "in", "nin", "lt", "lte", "gt", "gte", "exists"]);

function fieldCondition(node: AstNode, ctx: Ctx): RawBuilder<SqlBool> {
  const field = String(node.field);
  if (!SUPPORTED.has(node.operator)) {
    throw new Error(`accessibleWhere: operator "${node.operator}" on ${ctx.subjectType}.${field} is not supported in SQL filters`);
  }
  const spec = columnSpec(ctx, field);
  const ref = sql.ref(spec.column);
  const where = `${ctx.subjectType}.${field} ${node.operator}`;
  switch (node.operator) {
    case "eq":
      return node.value === null ? sql`${ref} IS NULL` : sql`${ref} = ${param(spec, node.value, where)}`;
    case "ne":
      return node.value === null ? sql`${ref} IS NOT NULL` : sql`${ref} IS DISTINCT FROM ${param(spec, node.value, where)}`;
    case "in":
      return inList(ref, spec, node.value, where);
    case "nin":
      return sql`(${inList(ref, spec, node.value, where)}) IS NOT TRUE`;
    case "lt":
    case "lte":
    case "gt":
    case "gte":
      return range(ref, spec, node.operator, node.value, where);
    default: // exists
      return node.value === true ? TRUE : FALSE;
  }
}

function columnSpec(ctx: Ctx, field: string): ColumnSpec {
  const mapped = Object.hasOwn(ctx.columns, field) ? ctx.columns[field] : undefined;
  if (mapped === undefined) {
    throw new Error(`accessibleWhere: a rule for ${ctx.subjectType} has a condition on "${field}", which this query does not map to a column`);
  }
  return typeof mapped === "string" ? { column: mapped, type: "uuid" } : mapped;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SQL_TYPE: Record<ColumnType, string> = { uuid: "uuid", text: "text", integer: "numeric", boolean: "boolean" };

/** Throws unless `value` (non-null) is a value can() could ever compare with this column's rows. */
function checkValue(spec: ColumnSpec, value: unknown, where: string): void {
  const ok =
    spec.type === "uuid"
      ? typeof value === "string" && UUID.test(value)
      : spec.type === "text"
        ? typeof value === "string" && !value.includes("\u0000")
        : spec.type === "integer"
          ? typeof value === "number" && Number.isFinite(value)
          : typeof value === "boolean";
  if (!ok) throw new Error(`accessibleWhere: ${where} compares a ${spec.type} column with ${JSON.stringify(value)}`);
}

function param(spec: ColumnSpec, value: unknown, where: string): RawBuilder<unknown> {
  checkValue(spec, value, where);
  return sql`${value}::${sql.raw(SQL_TYPE[spec.type])}`;
}

function inList(ref: RawBuilder<unknown>, spec: ColumnSpec, list: unknown, where: string): RawBuilder<SqlBool> {
  const values = list as unknown[];
  const present = values.filter((v) => v !== null);
  present.forEach((v) => checkValue(spec, v, where));
  const parts: RawBuilder<SqlBool>[] = [];
  // One array parameter: an empty list needs no special SQL and the plan stays cacheable.
  if (present.length) parts.push(sql`${ref} = ANY(${present}::${sql.raw(SQL_TYPE[spec.type])}[])`);
  if (present.length < values.length) parts.push(sql`${ref} IS NULL`);
  if (parts.length === 0) return FALSE;
  return parts.length === 1 ? parts[0]! : sql`(${parts[0]!} OR ${parts[1]!})`;
}

const RANGE_SQL = { lt: "<", lte: "<=", gt: ">", gte: ">=" } as const;

function range(ref: RawBuilder<unknown>, spec: ColumnSpec, op: keyof typeof RANGE_SQL, value: unknown, where: string): RawBuilder<SqlBool> {
  const bound = param(spec, value, where);
  const column = spec.type === "text" ? sql`${ref} COLLATE "C"` : ref;
  const compared = sql<SqlBool>`${column} ${sql.raw(RANGE_SQL[op])} ${bound}`;
  return nullPasses(op, value) ? sql`(${compared} OR ${ref} IS NULL)` : compared;
}

/**
 * What can() answers for a NULL field under a range operator. CASL compares with
 * `a === b ? 0 : a > b ? 1 : -1`, and JS coerces null to 0 (and strings to numbers), so
 * `null < 5`, `null > -1` and `null < "m"` are all true. Reproduced here, not "fixed",
 * so the list and the single-record check never disagree.
 */
function nullPasses(op: keyof typeof RANGE_SQL, value: unknown): boolean {
  const nullAbove = (null as unknown as number) > (value as number);
  return op === "gt" || op === "gte" ? nullAbove : !nullAbove;
}
