import { sql, type Kysely } from "kysely";

// Runtime support for cases (app/models/case-*.server.ts):
// - cases.event_seq / event_hash: the tail of the case's event chain, kept on the case row.
//   Every event append already holds the case row lock, so the tail is read with that lock
//   (no separate "last event" query), and verification can tell that the newest events were
//   deleted (the chain would end before event_seq).
// - Default grants of the engine's subjects for the built-in manager and staff roles of
//   organisations created before the engine existed (new organisations get them from
//   BUILTIN_ROLES). Appended once, only to roles that mention none of these subjects yet.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE cases
      ADD COLUMN event_seq integer NOT NULL DEFAULT 0 CHECK (event_seq >= 0),
      ADD COLUMN event_hash text NOT NULL DEFAULT ${sql.lit("0".repeat(64))};
    CREATE INDEX tasks_candidates_idx ON tasks (org_id, status, candidate_role_id, candidate_unit_id) WHERE assignee_user_id IS NULL;
    CREATE INDEX cases_parent_idx ON cases (org_id, parent_case_id) WHERE parent_case_id IS NOT NULL;
    CREATE INDEX incidents_case_idx ON incidents (org_id, case_id);
    CREATE INDEX case_timers_case_idx ON case_timers (org_id, case_id);
  `.execute(db);

  const grants: Record<string, unknown[]> = {
    manager: [
      { action: "manage", subject: ["Case", "Task", "Incident"] },
      { action: "read", subject: "Definition" },
    ],
    staff: [
      { action: "read", subject: ["Definition", "Case"] },
      { action: "create", subject: "Case" },
      { action: ["read", "update"], subject: "Task" },
    ],
  };
  // RLS is forced on roles; an owner that is not a superuser sees rows only as "platform".
  await sql`SELECT set_config('app.platform', 'on', true)`.execute(db);
  for (const [key, rules] of Object.entries(grants)) {
    await sql`
      UPDATE roles SET rules = rules || ${JSON.stringify(rules)}::jsonb, version = version + 1, updated_at = now()
      WHERE builtin AND key = ${key}
        AND NOT rules::text ~ '"(Case|Task|Incident|Definition)"'`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX IF EXISTS case_timers_case_idx;
    DROP INDEX IF EXISTS incidents_case_idx;
    DROP INDEX IF EXISTS cases_parent_idx;
    DROP INDEX IF EXISTS tasks_candidates_idx;
    ALTER TABLE cases DROP COLUMN IF EXISTS event_seq, DROP COLUMN IF EXISTS event_hash;
  `.execute(db);
}
