import { sql, type Kysely } from "kysely";

// Same tenant shape as the core tables: (org_id, id) key, RLS enabled and FORCED, policy on
// masar_current_org() with the platform escape hatch for system paths.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE notices_notice (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
      created_by uuid NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, id)
    );
    CREATE INDEX notices_notice_newest_idx ON notices_notice (org_id, created_at DESC, id DESC);
    ALTER TABLE notices_notice ENABLE ROW LEVEL SECURITY;
    ALTER TABLE notices_notice FORCE ROW LEVEL SECURITY;
    CREATE POLICY tenant_isolation ON notices_notice
      USING (org_id = masar_current_org() OR masar_is_platform())
      WITH CHECK (org_id = masar_current_org() OR masar_is_platform());
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE notices_notice`.execute(db);
}
