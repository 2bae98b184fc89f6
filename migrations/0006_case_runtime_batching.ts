import { sql, type Kysely } from "kysely";

// 1. "One open task per token" becomes a DEFERRABLE (initially immediate) exclusion
//    constraint instead of a unique index: the case runner writes a step as one statement
//    (data-modifying CTEs) in which completing a task and opening the next one for the same
//    token (a rework loop, a gate sent back) happen together. A plain unique index is checked
//    row by row in an unspecified order; a deferrable constraint is checked when the
//    statement ends, when only the new task is open.
// 2. cases.form_versions: the form version each step's form key resolved to, fixed when the
//    case starts (or when a step first uses a form published later), so publishing a new
//    version of a form never changes what a running case asks or how it validates.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX tasks_open_token;
    ALTER TABLE tasks ADD CONSTRAINT tasks_open_token
      EXCLUDE USING btree (org_id WITH =, case_id WITH =, token_id WITH =) WHERE (status = 'open')
      DEFERRABLE INITIALLY IMMEDIATE;
    ALTER TABLE cases ADD COLUMN form_versions jsonb NOT NULL DEFAULT '{}';
  `.execute(db);
}
