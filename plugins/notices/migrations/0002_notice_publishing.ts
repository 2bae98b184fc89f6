import { sql, type Kysely } from "kysely";

// Version 1.1.0: notices published by the "publish a notice" workflow. A notice stays on the
// board for the organisation's displayDays (expires_at), may carry the policy's signature and
// remembers the case that published it. A daily job archives expired notices (archived_at);
// archived notices are kept (disabling or expiring never deletes data). created_by may be
// empty for a notice a case published without a starter (e.g. started through a timer).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE notices_notice
      ALTER COLUMN created_by DROP NOT NULL,
      ADD COLUMN expires_at timestamptz,
      ADD COLUMN archived_at timestamptz,
      ADD COLUMN signature text CHECK (signature IS NULL OR length(signature) <= 100),
      ADD COLUMN pinned boolean NOT NULL DEFAULT false,
      ADD COLUMN case_id uuid;
    CREATE INDEX notices_notice_expiry_idx ON notices_notice (org_id, expires_at) WHERE archived_at IS NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX IF EXISTS notices_notice_expiry_idx;
    ALTER TABLE notices_notice DROP COLUMN case_id, DROP COLUMN pinned, DROP COLUMN signature, DROP COLUMN archived_at, DROP COLUMN expires_at;
  `.execute(db);
}
