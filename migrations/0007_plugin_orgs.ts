import { sql, type Kysely } from "kysely";

// Plugins per organisation (docs/plugins.md, ADR 007):
// - plugin_orgs: whether an organisation has a plugin enabled, and its current settings version.
// - plugin_settings_versions: every settings change is a new numbered version (history is never
//   rewritten: UPDATE is refused by a trigger), validated against the plugin's settings schema.
// - plugin_templates: which of a plugin's workflow/form templates were copied into the
//   organisation, at which template version, so upgrades can be offered without overwriting edits.
// - cases.plugin_settings: { pluginId: settingsVersion } of the plugins enabled when the case
//   started, filled by a BEFORE INSERT trigger, so every way a case starts (UI, API, sub-case)
//   records the policy it runs under and action executors read exactly that version.
// - plugin_state.installed_version: the plugin version whose migrations last succeeded (an
//   upgrade that fails leaves it at the old version, status disabled, with the error).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE plugin_state ADD COLUMN installed_version text;
    UPDATE plugin_state SET installed_version = version WHERE status = 'active';

    CREATE TABLE plugin_orgs (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      plugin_id text NOT NULL CHECK (plugin_id ~ '^[a-z][a-z0-9-]{0,39}$'),
      enabled boolean NOT NULL DEFAULT false,
      settings_version integer NOT NULL DEFAULT 0 CHECK (settings_version >= 0),
      row_version integer NOT NULL DEFAULT 1,
      changed_by uuid REFERENCES users(id),
      changed_at timestamptz NOT NULL DEFAULT now(),
      -- Uninstall is refused unless the data was exported and has not changed since.
      exported_at timestamptz,
      export_fingerprint text,
      PRIMARY KEY (org_id, plugin_id)
    );

    CREATE TABLE plugin_settings_versions (
      org_id uuid NOT NULL,
      plugin_id text NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      "values" jsonb NOT NULL CHECK (jsonb_typeof("values") = 'object'),
      plugin_version text NOT NULL,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, plugin_id, version),
      FOREIGN KEY (org_id, plugin_id) REFERENCES plugin_orgs(org_id, plugin_id) ON DELETE CASCADE
    );

    CREATE TABLE plugin_templates (
      org_id uuid NOT NULL,
      plugin_id text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('workflow', 'form')),
      template_key text NOT NULL,
      template_version integer NOT NULL CHECK (template_version >= 1),
      -- workflow_definitions.id or form_definitions.id in this organisation.
      target_id uuid NOT NULL,
      target_key text NOT NULL,
      installed_by uuid REFERENCES users(id),
      installed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, plugin_id, kind, template_key),
      FOREIGN KEY (org_id, plugin_id) REFERENCES plugin_orgs(org_id, plugin_id) ON DELETE CASCADE
    );

    ALTER TABLE cases ADD COLUMN plugin_settings jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(plugin_settings) = 'object');

    CREATE FUNCTION masar_case_plugin_settings() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.plugin_settings := COALESCE(
        (SELECT jsonb_object_agg(plugin_id, settings_version) FROM plugin_orgs
          WHERE org_id = NEW.org_id AND enabled AND settings_version > 0),
        '{}'::jsonb);
      RETURN NEW;
    END $$;
    CREATE TRIGGER cases_plugin_settings BEFORE INSERT ON cases
      FOR EACH ROW EXECUTE FUNCTION masar_case_plugin_settings();

    CREATE FUNCTION masar_settings_versions_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'plugin settings versions are history and cannot be changed';
    END $$;
    CREATE TRIGGER plugin_settings_versions_frozen BEFORE UPDATE ON plugin_settings_versions
      FOR EACH ROW EXECUTE FUNCTION masar_settings_versions_frozen();
  `.execute(db);

  for (const table of ["plugin_orgs", "plugin_settings_versions", "plugin_templates"]) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY`.execute(db);
    await sql`CREATE POLICY tenant_isolation ON ${sql.table(table)}
      USING (org_id = masar_current_org() OR masar_is_platform())
      WITH CHECK (org_id = masar_current_org() OR masar_is_platform())`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TRIGGER IF EXISTS cases_plugin_settings ON cases;
    DROP FUNCTION IF EXISTS masar_case_plugin_settings();
    ALTER TABLE cases DROP COLUMN IF EXISTS plugin_settings;
    DROP TABLE IF EXISTS plugin_templates;
    DROP TABLE IF EXISTS plugin_settings_versions;
    DROP FUNCTION IF EXISTS masar_settings_versions_frozen();
    DROP TABLE IF EXISTS plugin_orgs;
    ALTER TABLE plugin_state DROP COLUMN IF EXISTS installed_version;
  `.execute(db);
}
