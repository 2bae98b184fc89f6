import { sql, type Kysely } from "kysely";

// Dynamic forms: definitions with versioned JSON Schemas, users' autosaved drafts,
// submissions (each pinned to the version it was validated against), uploaded files and
// each organisation's storage quota. All tenant tables: org_id + forced RLS.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE form_definitions (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9-]{1,63}$'),
      name_ar text NOT NULL CHECK (length(name_ar) BETWEEN 1 AND 500),
      name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 500),
      created_by uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      archived_at timestamptz,
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, key)
    );

    -- Same life cycle as workflow_versions: a draft has no number; publishing numbers it.
    CREATE TABLE form_versions (
      org_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      form_id uuid NOT NULL,
      version integer CHECK (version IS NULL OR version >= 1),
      status text NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
      schema jsonb NOT NULL CHECK (jsonb_typeof(schema) = 'object'),
      ui_schema jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(ui_schema) = 'object'),
      translations jsonb NOT NULL DEFAULT '{"ar": {}, "en": {}}' CHECK (jsonb_typeof(translations) = 'object'),
      change_note text CHECK (change_note IS NULL OR length(change_note) <= 1000),
      lock_version integer NOT NULL DEFAULT 1,
      created_by uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      published_by uuid,
      published_at timestamptz,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, form_id) REFERENCES form_definitions(org_id, id) ON DELETE CASCADE,
      CHECK ((status = 'draft') = (version IS NULL))
    );
    CREATE UNIQUE INDEX form_versions_one_draft ON form_versions (org_id, form_id) WHERE status = 'draft';
    CREATE UNIQUE INDEX form_versions_number ON form_versions (org_id, form_id, version) WHERE version IS NOT NULL;

    -- Submissions point at a numbered version; its content must never change underneath
    -- them, whatever code path (or bug) tries. Only published -> archived is allowed, and a
    -- numbered version is deleted only by a cascade from its definition (depth > 1: the
    -- foreign-key action is itself a trigger), which submissions' foreign key still stops.
    CREATE FUNCTION masar_form_version_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        IF OLD.version IS NOT NULL AND pg_trigger_depth() = 1 THEN
          RAISE EXCEPTION 'form version % is published and cannot be deleted', OLD.id USING ERRCODE = 'P0001';
        END IF;
        RETURN OLD;
      END IF;
      IF OLD.version IS NOT NULL AND (
        NEW.version IS DISTINCT FROM OLD.version OR NEW.form_id IS DISTINCT FROM OLD.form_id OR
        NEW.schema IS DISTINCT FROM OLD.schema OR NEW.ui_schema IS DISTINCT FROM OLD.ui_schema OR
        NEW.translations IS DISTINCT FROM OLD.translations OR NEW.published_at IS DISTINCT FROM OLD.published_at OR
        NOT (NEW.status = OLD.status OR (OLD.status = 'published' AND NEW.status = 'archived'))
      ) THEN
        RAISE EXCEPTION 'form version % is published and cannot be changed', OLD.id USING ERRCODE = 'P0001';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER form_versions_frozen BEFORE UPDATE OR DELETE ON form_versions
      FOR EACH ROW EXECUTE FUNCTION masar_form_version_frozen();

    -- One autosaved draft per person, form version and context ("standalone", "task:<id>").
    CREATE TABLE form_drafts (
      org_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      form_version_id uuid NOT NULL,
      user_id uuid NOT NULL,
      context text NOT NULL CHECK (length(context) BETWEEN 1 AND 200),
      data jsonb NOT NULL,
      lock_version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, user_id, form_version_id, context),
      FOREIGN KEY (org_id, form_version_id) REFERENCES form_versions(org_id, id) ON DELETE CASCADE
    );

    CREATE TABLE form_submissions (
      org_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      form_version_id uuid NOT NULL,
      context text NOT NULL CHECK (length(context) BETWEEN 1 AND 200),
      data jsonb NOT NULL,
      submitted_by uuid NOT NULL,
      submitted_at timestamptz NOT NULL DEFAULT now(),
      idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 8 AND 200),
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, submitted_by, idempotency_key),
      FOREIGN KEY (org_id, form_version_id) REFERENCES form_versions(org_id, id)
    );
    CREATE INDEX form_submissions_version_idx ON form_submissions (org_id, form_version_id, submitted_at DESC);

    -- Bytes live in storage (app/forms/storage.server.ts) under a server-generated key;
    -- the user's file name is only ever a column here.
    CREATE TABLE files (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      storage_key text NOT NULL CHECK (storage_key ~ '^[a-zA-Z0-9/_-]{1,200}$'),
      filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
      content_type text NOT NULL CHECK (length(content_type) BETWEEN 3 AND 200),
      size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
      sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      uploaded_by uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      attached_to text CHECK (attached_to IS NULL OR length(attached_to) BETWEEN 1 AND 200),
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, storage_key)
    );
    CREATE INDEX files_uploader_idx ON files (org_id, uploaded_by, created_at DESC);

    -- Per-organisation limits (settings, not constants) and the running total.
    CREATE TABLE org_storage (
      org_id uuid PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
      quota_bytes bigint NOT NULL DEFAULT 1073741824 CHECK (quota_bytes >= 0),
      max_file_bytes bigint NOT NULL DEFAULT 26214400 CHECK (max_file_bytes BETWEEN 1 AND 1073741824),
      used_bytes bigint NOT NULL DEFAULT 0 CHECK (used_bytes >= 0),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);

  const tables = ["form_definitions", "form_versions", "form_drafts", "form_submissions", "files", "org_storage"];
  for (const table of tables) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY`.execute(db);
    await sql`CREATE POLICY tenant_isolation ON ${sql.table(table)}
      USING (org_id = masar_current_org() OR masar_is_platform())
      WITH CHECK (org_id = masar_current_org() OR masar_is_platform())`.execute(db);
  }

  await grantFormRules(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["org_storage", "files", "form_submissions", "form_drafts", "form_versions", "form_definitions"]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS masar_form_version_frozen()`.execute(db);
}

/**
 * Existing organisations' built-in roles get the Form grants once (new organisations get
 * them from BUILTIN_ROLES); a role that already names Form is left alone. Admins hold
 * "manage all" already. The platform flag lets a non-superuser owner see every
 * organisation's roles through the forced RLS; it is cleared again for later migrations.
 */
export async function grantFormRules(db: Kysely<unknown>): Promise<void> {
  await sql`SELECT set_config('app.platform', 'on', true)`.execute(db);
  const grants: [string, unknown[]][] = [
    [
      "manager",
      [
        { action: ["read", "create"], subject: "Form" },
        { action: "update", subject: "Form", conditions: { createdBy: "${user.id}" } },
      ],
    ],
    ["staff", [{ action: "read", subject: "Form" }]],
  ];
  for (const [key, rules] of grants) {
    await sql`
      UPDATE roles SET rules = rules || ${JSON.stringify(rules)}::jsonb, version = version + 1, updated_at = now()
      WHERE builtin AND key = ${key} AND NOT rules @> '[{"subject": "Form"}]'::jsonb`.execute(db);
  }
  await sql`SELECT set_config('app.platform', '', true)`.execute(db);
}
