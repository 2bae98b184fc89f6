import { sql, type Kysely } from "kysely";

// Notifications (ADR 008). Three tenant tables, RLS enabled and forced like 0003:
// - notifications: one row per recipient and event; the text is NOT stored, only the kind and
//   its params, so the bell renders it in the language the reader uses today. The unique
//   (org_id, user_id, dedupe_key) makes notify() idempotent: a retried job, a second app
//   process or a replayed escalation level inserts nothing the second time.
// - email_outbox: the rendered mail (recipient's language), written in the same transaction as
//   the notification; a worker sends it later with retries. Unique (org_id, dedupe_key) =
//   at most one mail per recipient and event.
// - notification_preferences: which kinds a member wants by email (no row = the kind's default).
// Kinds are free text with a shape check, so new kinds need no migration.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE notifications (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$'),
      params jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object'),
      link text CHECK (link IS NULL OR (length(link) <= 500 AND link ~ '^[a-z0-9][A-Za-z0-9/_.~%?=&-]*$')),
      dedupe_key text NOT NULL CHECK (length(dedupe_key) BETWEEN 1 AND 300),
      created_at timestamptz NOT NULL DEFAULT now(),
      read_at timestamptz,
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, user_id, dedupe_key)
    );
    -- The bell's COUNT: an index-only scan over the reader's unread rows.
    CREATE INDEX notifications_unread_idx ON notifications (org_id, user_id) WHERE read_at IS NULL;
    CREATE INDEX notifications_list_idx ON notifications (org_id, user_id, created_at DESC, id);

    CREATE TABLE email_outbox (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      user_id uuid REFERENCES users(id) ON DELETE SET NULL,
      kind text NOT NULL,
      to_address text NOT NULL CHECK (length(to_address) BETWEEN 3 AND 254),
      locale text NOT NULL CHECK (locale IN ('ar', 'en')),
      subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 1000),
      body_text text NOT NULL,
      body_html text NOT NULL,
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
      attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_error text,
      sent_at timestamptz,
      dedupe_key text NOT NULL CHECK (length(dedupe_key) BETWEEN 1 AND 400),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, dedupe_key),
      CHECK ((status = 'sent') = (sent_at IS NOT NULL))
    );
    -- The sender's scan across organisations: only rows still waiting.
    CREATE INDEX email_outbox_due_idx ON email_outbox (next_attempt_at) WHERE status = 'queued';
    CREATE INDEX email_outbox_list_idx ON email_outbox (org_id, created_at DESC, id);

    CREATE TABLE notification_preferences (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$'),
      email boolean NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, user_id, kind)
    );
  `.execute(db);
  for (const table of ["notifications", "email_outbox", "notification_preferences"]) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY`.execute(db);
    await sql`CREATE POLICY tenant_isolation ON ${sql.table(table)}
      USING (org_id = masar_current_org() OR masar_is_platform())
      WITH CHECK (org_id = masar_current_org() OR masar_is_platform())`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["notification_preferences", "email_outbox", "notifications"]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
