import { sql, type Kysely } from "kysely";

// The public portal (ADR 010): requests citizens submit without signing in, their
// satisfaction ratings, and the rate-limit buckets that slow abuse down.
// - portal_requests: one row per request; the tracking code and the contact are never stored
//   in clear: code_hash = sha256 of the code (looked up by it), contact_hash = argon2id of the
//   normalised phone/email (verified after the lookup, so a database dump reveals neither).
// - portal_ratings: satisfaction 1–5 once per request (primary key = the case). Named and
//   shaped so the service catalogue's KPI computation reads it directly by service_code.
// - portal_rate_buckets: fixed-window counters (one row per organisation, bucket and window),
//   shared by every app process because they live in the database.
// - portal_secret: one random server secret (no org_id; the app role reads it) that signs
//   the form tickets (minimum fill time) and derives tracking codes.
// Tenant tables: org_id, RLS enabled and forced with the policy of 0003.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE portal_requests (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL,
      service_code text NOT NULL CHECK (length(service_code) BETWEEN 1 AND 100),
      code_hash text NOT NULL CHECK (code_hash ~ '^[0-9a-f]{64}$'),
      contact_kind text NOT NULL CHECK (contact_kind IN ('phone', 'email')),
      contact_hash text NOT NULL CHECK (length(contact_hash) BETWEEN 20 AND 300),
      locale text NOT NULL CHECK (locale IN ('ar', 'en')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, code_hash),
      UNIQUE (org_id, case_id),
      FOREIGN KEY (org_id, case_id) REFERENCES cases(org_id, id)
    );

    CREATE TABLE portal_ratings (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      case_id uuid NOT NULL,
      service_code text NOT NULL CHECK (length(service_code) BETWEEN 1 AND 100),
      rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
      comment text CHECK (comment IS NULL OR length(comment) <= 2000),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, case_id),
      FOREIGN KEY (org_id, case_id) REFERENCES cases(org_id, id)
    );
    -- The satisfaction KPI: one service's ratings in a period.
    CREATE INDEX portal_ratings_service_idx ON portal_ratings (org_id, service_code, created_at);

    CREATE TABLE portal_rate_buckets (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      bucket text NOT NULL CHECK (length(bucket) BETWEEN 1 AND 200),
      window_start timestamptz NOT NULL,
      hits integer NOT NULL DEFAULT 0 CHECK (hits >= 0),
      PRIMARY KEY (org_id, bucket, window_start)
    );
    CREATE INDEX portal_rate_buckets_age_idx ON portal_rate_buckets (org_id, window_start);

    -- gen_random_uuid() draws from the server's strong random source: two of them make the secret.
    CREATE TABLE portal_secret (
      id smallint PRIMARY KEY CHECK (id = 1),
      secret text NOT NULL CHECK (length(secret) >= 64)
    );
    INSERT INTO portal_secret (id, secret) VALUES (1, replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
  `.execute(db);
  for (const table of ["portal_requests", "portal_ratings", "portal_rate_buckets"]) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY`.execute(db);
    await sql`CREATE POLICY tenant_isolation ON ${sql.table(table)}
      USING (org_id = masar_current_org() OR masar_is_platform())
      WITH CHECK (org_id = masar_current_org() OR masar_is_platform())`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["portal_secret", "portal_rate_buckets", "portal_ratings", "portal_requests"]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
