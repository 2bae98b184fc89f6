import { sql, type Kysely } from "kysely";

// The service catalogue (DOMAIN.md §1–2, guide 004 chapters 2–4). Every table has the tenant
// shape of the core: org_id, (org_id, id) key, RLS enabled AND forced, policy on
// masar_current_org() with the platform escape hatch.
//
// - service: the working copy of a service card + documentation card (what admins edit).
//   The code (initials – unit code – S – serial) is fixed at creation and never recomputed,
//   so renaming or moving a service keeps its code.
// - service_version: a frozen snapshot per publication; the portal reads the latest one.
// - counter: the per-organisation serial; taken with UPDATE … RETURNING so concurrent
//   creations queue on the row lock and never share a serial.
// - kpi / kpi_measurement: indicators of a service (computed from its cases with a FEEL
//   expression, or entered by hand) and their history of measurements.
// - charter / charter_version: the service charter draft and its published versions.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE service_catalogue_counter (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      last integer NOT NULL DEFAULT 0 CHECK (last >= 0),
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id)
    );

    CREATE TABLE service_catalogue_service (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      code text NOT NULL CHECK (length(code) BETWEEN 3 AND 60),
      serial integer NOT NULL CHECK (serial >= 1),
      name_ar text NOT NULL CHECK (length(name_ar) BETWEEN 1 AND 200),
      name_en text NOT NULL DEFAULT '' CHECK (length(name_en) <= 200),
      description_ar text NOT NULL DEFAULT '' CHECK (length(description_ar) <= 4000),
      description_en text NOT NULL DEFAULT '' CHECK (length(description_en) <= 4000),
      category_ar text CHECK (category_ar IS NULL OR length(category_ar) BETWEEN 1 AND 200),
      category_en text CHECK (category_en IS NULL OR length(category_en) <= 200),
      entity_ar text NOT NULL CHECK (length(entity_ar) BETWEEN 1 AND 200),
      entity_en text NOT NULL DEFAULT '' CHECK (length(entity_en) <= 200),
      unit_id uuid,
      segment text NOT NULL DEFAULT 'G2C' CHECK (segment IN ('G2C', 'G2B', 'G2G')),
      level text NOT NULL DEFAULT 'main' CHECK (level IN ('main', 'sub')),
      parent_id uuid,
      linkage text NOT NULL DEFAULT 'unlinked' CHECK (linkage IN ('unlinked', 'linked')),
      link_type text CHECK (link_type IS NULL OR link_type IN ('electronic', 'traditional', 'other')),
      linked_entity_ar text NOT NULL DEFAULT '' CHECK (length(linked_entity_ar) <= 200),
      linked_entity_en text NOT NULL DEFAULT '' CHECK (length(linked_entity_en) <= 200),
      sla_reference text NOT NULL DEFAULT '' CHECK (length(sla_reference) <= 200),
      channel text NOT NULL DEFAULT 'traditional' CHECK (channel IN ('traditional', 'partial', 'digital')),
      channel_details_ar text NOT NULL DEFAULT '' CHECK (length(channel_details_ar) <= 1000),
      channel_details_en text NOT NULL DEFAULT '' CHECK (length(channel_details_en) <= 1000),
      conditions_ar text NOT NULL DEFAULT '' CHECK (length(conditions_ar) <= 4000),
      conditions_en text NOT NULL DEFAULT '' CHECK (length(conditions_en) <= 4000),
      documents_ar text NOT NULL DEFAULT '' CHECK (length(documents_ar) <= 4000),
      documents_en text NOT NULL DEFAULT '' CHECK (length(documents_en) <= 4000),
      fees_ar text NOT NULL DEFAULT '' CHECK (length(fees_ar) <= 1000),
      fees_en text NOT NULL DEFAULT '' CHECK (length(fees_en) <= 1000),
      contact_ar text NOT NULL DEFAULT '' CHECK (length(contact_ar) <= 1000),
      contact_en text NOT NULL DEFAULT '' CHECK (length(contact_en) <= 1000),
      final_product_ar text NOT NULL DEFAULT '' CHECK (length(final_product_ar) <= 500),
      final_product_en text NOT NULL DEFAULT '' CHECK (length(final_product_en) <= 500),
      estimated_minutes integer CHECK (estimated_minutes IS NULL OR estimated_minutes BETWEEN 0 AND 525600),
      workflow_key text CHECK (workflow_key IS NULL OR workflow_key ~ '^[a-z][a-z0-9-]{1,63}$'),
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in_review', 'published')),
      published_version integer CHECK (published_version IS NULL OR published_version >= 1),
      review_case_id uuid,
      row_version integer NOT NULL DEFAULT 1,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, code),
      UNIQUE (org_id, serial),
      FOREIGN KEY (org_id, unit_id) REFERENCES org_units(org_id, id),
      FOREIGN KEY (org_id, parent_id) REFERENCES service_catalogue_service(org_id, id),
      CHECK ((level = 'sub') = (parent_id IS NOT NULL)),
      CHECK (parent_id IS NULL OR parent_id <> id),
      CHECK (linkage = 'linked' OR link_type IS NULL)
    );
    CREATE INDEX service_catalogue_service_name_idx ON service_catalogue_service (org_id, name_ar);

    CREATE TABLE service_catalogue_service_version (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      service_id uuid NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      snapshot jsonb NOT NULL CHECK (jsonb_typeof(snapshot) = 'object'),
      published_by uuid REFERENCES users(id),
      published_at timestamptz NOT NULL DEFAULT now(),
      case_id uuid,
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, service_id, version),
      FOREIGN KEY (org_id, service_id) REFERENCES service_catalogue_service(org_id, id) ON DELETE CASCADE
    );

    CREATE TABLE service_catalogue_kpi (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      service_id uuid NOT NULL,
      position integer NOT NULL DEFAULT 0,
      name_ar text NOT NULL CHECK (length(name_ar) BETWEEN 1 AND 200),
      name_en text NOT NULL DEFAULT '' CHECK (length(name_en) <= 200),
      formula_ar text NOT NULL DEFAULT '' CHECK (length(formula_ar) <= 1000),
      formula_en text NOT NULL DEFAULT '' CHECK (length(formula_en) <= 1000),
      -- FEEL over the period's cases of the service's workflow, as the plugin contract's KPIs
      -- (each case: status, data, startedAt, completedAt, durationMinutes); NULL = entered by hand.
      expression text CHECK (expression IS NULL OR length(expression) BETWEEN 1 AND 1000),
      frequency text NOT NULL DEFAULT 'half-yearly' CHECK (frequency IN ('monthly', 'quarterly', 'half-yearly', 'yearly')),
      target numeric NOT NULL,
      unit text NOT NULL DEFAULT 'percent' CHECK (unit IN ('percent', 'count', 'minutes', 'hours', 'days')),
      direction text NOT NULL DEFAULT 'atLeast' CHECK (direction IN ('atLeast', 'atMost')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, service_id) REFERENCES service_catalogue_service(org_id, id) ON DELETE CASCADE,
      CHECK (unit <> 'percent' OR (target >= 0 AND target <= 100))
    );

    CREATE TABLE service_catalogue_kpi_measurement (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      kpi_id uuid NOT NULL,
      period_start date NOT NULL,
      period_end date NOT NULL,
      value numeric,
      method text NOT NULL CHECK (method IN ('computed', 'manual')),
      case_count integer CHECK (case_count IS NULL OR case_count >= 0),
      note text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
      recorded_by uuid REFERENCES users(id),
      recorded_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, kpi_id) REFERENCES service_catalogue_kpi(org_id, id) ON DELETE CASCADE,
      CHECK (period_end >= period_start)
    );
    CREATE INDEX service_catalogue_kpi_measurement_idx ON service_catalogue_kpi_measurement (org_id, kpi_id, period_start DESC, recorded_at DESC);

    CREATE TABLE service_catalogue_charter (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      content jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object'),
      row_version integer NOT NULL DEFAULT 1,
      updated_by uuid REFERENCES users(id),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id)
    );

    CREATE TABLE service_catalogue_charter_version (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      version integer NOT NULL CHECK (version >= 1),
      content jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object'),
      published_by uuid REFERENCES users(id),
      published_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, version)
    );

    -- Published versions are records: never rewritten (a correction is a new version).
    CREATE FUNCTION service_catalogue_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'published versions of the service catalogue are never updated' USING ERRCODE = 'check_violation';
    END $$;
    CREATE TRIGGER service_catalogue_service_version_frozen BEFORE UPDATE ON service_catalogue_service_version
      FOR EACH ROW EXECUTE FUNCTION service_catalogue_frozen();
    CREATE TRIGGER service_catalogue_charter_version_frozen BEFORE UPDATE ON service_catalogue_charter_version
      FOR EACH ROW EXECUTE FUNCTION service_catalogue_frozen();
  `.execute(db);

  for (const table of [
    "service_catalogue_counter",
    "service_catalogue_service",
    "service_catalogue_service_version",
    "service_catalogue_kpi",
    "service_catalogue_kpi_measurement",
    "service_catalogue_charter",
    "service_catalogue_charter_version",
  ]) {
    await sql`
      ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON ${sql.table(table)}
        USING (org_id = masar_current_org() OR masar_is_platform())
        WITH CHECK (org_id = masar_current_org() OR masar_is_platform());
    `.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE service_catalogue_charter_version, service_catalogue_charter, service_catalogue_kpi_measurement,
      service_catalogue_kpi, service_catalogue_service_version, service_catalogue_service, service_catalogue_counter;
    DROP FUNCTION service_catalogue_frozen();
  `.execute(db);
}
