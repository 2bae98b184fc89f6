import { sql, type Kysely } from "kysely";

// The default grants of each plugin already added to existing organisations' built-in
// roles (by role key). The loader adds only grants not listed here, so a grant an admin
// later removed is never put back, and a new plugin version can still add new grants.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE plugin_state ADD COLUMN granted jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(granted) = 'object')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE plugin_state DROP COLUMN granted`.execute(db);
}
