import { sql, type Kysely } from "kysely";

// Core schema. Frozen once landed: change the shape in a new migration.
// Tenant tables carry org_id, have RLS enabled and FORCED, and a policy on
// masar_current_org(); the platform flag is set only by platform-admin code paths.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pgcrypto`.execute(db);

  await sql`
    CREATE FUNCTION masar_current_org() RETURNS uuid LANGUAGE sql STABLE AS
    $$ SELECT nullif(current_setting('app.org_id', true), '')::uuid $$;
    CREATE FUNCTION masar_current_user() RETURNS uuid LANGUAGE sql STABLE AS
    $$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$;
    CREATE FUNCTION masar_is_platform() RETURNS boolean LANGUAGE sql STABLE AS
    $$ SELECT coalesce(current_setting('app.platform', true), '') = 'on' $$;
  `.execute(db);

  await sql`
    CREATE TABLE organisations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,40}$'),
      name_ar text NOT NULL CHECK (length(name_ar) BETWEEN 1 AND 200),
      name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
      initials text NOT NULL CHECK (length(initials) BETWEEN 1 AND 20),
      default_locale text NOT NULL DEFAULT 'ar' CHECK (default_locale IN ('ar', 'en')),
      digits text NOT NULL DEFAULT 'arab' CHECK (digits IN ('arab', 'latn')),
      calendar text NOT NULL DEFAULT 'gregory' CHECK (calendar IN ('gregory', 'islamic-umalqura')),
      time_zone text NOT NULL DEFAULT 'Asia/Riyadh',
      created_at timestamptz NOT NULL DEFAULT now(),
      disabled_at timestamptz
    );

    CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      email text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) <= 254),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      password_hash text NOT NULL,
      locale text CHECK (locale IN ('ar', 'en')),
      is_platform_admin boolean NOT NULL DEFAULT false,
      disabled_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    -- Only the SHA-256 of the cookie value is stored: a database dump yields no session.
    CREATE TABLE sessions (
      id_hash text PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      current_org_id uuid REFERENCES organisations(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      ip text,
      user_agent text
    );
    CREATE INDEX sessions_user_idx ON sessions(user_id);

    CREATE TABLE login_attempts (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      email text NOT NULL,
      ip text NOT NULL,
      success boolean NOT NULL,
      at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX login_attempts_email_idx ON login_attempts(email, at);
    CREATE INDEX login_attempts_ip_idx ON login_attempts(ip, at);

    CREATE TABLE org_units (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      code text NOT NULL CHECK (code ~ '^[A-Za-z0-9\u0600-\u06FF-]{1,20}$'),
      name_ar text NOT NULL CHECK (length(name_ar) BETWEEN 1 AND 200),
      name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
      parent_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, code),
      FOREIGN KEY (org_id, parent_id) REFERENCES org_units(org_id, id)
    );

    CREATE TABLE roles (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_-]{1,40}$'),
      name_ar text NOT NULL CHECK (length(name_ar) BETWEEN 1 AND 200),
      name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
      rules jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(rules) = 'array'),
      builtin boolean NOT NULL DEFAULT false,
      version integer NOT NULL DEFAULT 1,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, key)
    );

    CREATE TABLE memberships (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      unit_id uuid,
      title text,
      disabled_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, user_id),
      FOREIGN KEY (org_id, unit_id) REFERENCES org_units(org_id, id)
    );
    CREATE INDEX memberships_user_idx ON memberships(user_id);

    CREATE TABLE membership_roles (
      org_id uuid NOT NULL,
      user_id uuid NOT NULL,
      role_id uuid NOT NULL,
      PRIMARY KEY (org_id, user_id, role_id),
      FOREIGN KEY (org_id, user_id) REFERENCES memberships(org_id, user_id) ON DELETE CASCADE,
      FOREIGN KEY (org_id, role_id) REFERENCES roles(org_id, id) ON DELETE CASCADE
    );

    -- Append-only, hash-chained per organisation (org_id NULL = the platform chain).
    CREATE TABLE audit_log (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      org_id uuid REFERENCES organisations(id),
      seq bigint NOT NULL,
      at timestamptz NOT NULL DEFAULT now(),
      actor_user_id uuid,
      actor_label text,
      action text NOT NULL,
      subject_type text NOT NULL,
      subject_id text,
      before jsonb,
      after jsonb,
      request_id text,
      ip text,
      prev_hash text NOT NULL,
      hash text NOT NULL
    );
    CREATE UNIQUE INDEX audit_log_chain_idx ON audit_log (coalesce(org_id, '00000000-0000-0000-0000-000000000000'::uuid), seq);
    CREATE INDEX audit_log_org_at_idx ON audit_log (org_id, at DESC);

    -- Personal access tokens: only a SHA-256 of the secret is kept.
    CREATE TABLE api_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      prefix text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      expires_at timestamptz,
      revoked_at timestamptz
    );
    CREATE INDEX api_tokens_user_idx ON api_tokens(user_id);

    CREATE TABLE plugin_state (
      plugin_id text PRIMARY KEY,
      version text NOT NULL,
      status text NOT NULL CHECK (status IN ('active', 'disabled')),
      error text,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);

  for (const table of ["org_units", "roles", "memberships", "membership_roles", "audit_log", "api_tokens"]) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY`.execute(db);
  }
  await sql`
    CREATE POLICY tenant_isolation ON org_units
      USING (org_id = masar_current_org() OR masar_is_platform())
      WITH CHECK (org_id = masar_current_org() OR masar_is_platform());
    CREATE POLICY tenant_isolation ON roles
      USING (org_id = masar_current_org() OR masar_is_platform())
      WITH CHECK (org_id = masar_current_org() OR masar_is_platform());
    CREATE POLICY tenant_isolation ON membership_roles
      USING (org_id = masar_current_org() OR user_id = masar_current_user() OR masar_is_platform())
      WITH CHECK (org_id = masar_current_org() OR masar_is_platform());
    -- A signed-in user may list their own memberships in every organisation (the switcher).
    CREATE POLICY tenant_isolation ON memberships
      USING (org_id = masar_current_org() OR user_id = masar_current_user() OR masar_is_platform())
      WITH CHECK (org_id = masar_current_org() OR masar_is_platform());
    -- Token lookup by hash happens before the tenant is known: the auth path uses platform scope.
    CREATE POLICY tenant_isolation ON api_tokens
      USING (org_id = masar_current_org() OR user_id = masar_current_user() OR masar_is_platform())
      WITH CHECK (org_id = masar_current_org() OR masar_is_platform());
    CREATE POLICY tenant_isolation ON audit_log
      USING (org_id = masar_current_org() OR masar_is_platform())
      WITH CHECK (org_id IS NOT DISTINCT FROM masar_current_org() OR masar_is_platform());
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error("0001_core is the base schema and cannot be rolled back");
}
