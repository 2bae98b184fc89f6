import type { Expression, ExpressionBuilder, SqlBool } from "kysely";
import type { AppAbility } from "./permissions.server";

/**
 * Maps a CASL subject's condition fields (camelCase, as written in role rules) to
 * SQL column references of the query being filtered, e.g. { unitId: "m.unit_id" }.
 */
export type FieldColumns = Record<string, string>;

/**
 * The SQL twin of ability.can(action, subjectType, row): a Kysely where-expression
 * built from CASL's rulesToAST, so list queries return exactly the rows can() allows.
 * Fields not in `columns` make the rule deny (never silently allow).
 *
 * TODO(helper A): implement; signature is the contract other code uses.
 */
export function accessibleWhere<DB, TB extends keyof DB>(
  _ability: AppAbility,
  _action: string,
  _subjectType: string,
  _columns: FieldColumns,
): (eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool> {
  throw new Error("accessibleWhere is not implemented yet");
}
