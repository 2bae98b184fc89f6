import { sql, type Kysely } from "kysely";

// Each organisation's business calendar (app/engine/calendar.ts): one row per organisation,
// read whole by the engine once per transaction that schedules a deadline. No row = the
// default (the Saudi preset in the organisation's time zone). mode 'elapsed' = durations count
// every hour of every day (bodies that work round the clock). The weekly hours, dated
// overrides and holidays are JSON documents validated by the library before every write; the
// checks below only keep their shape.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE business_calendars (
      org_id uuid PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
      mode text NOT NULL DEFAULT 'business' CHECK (mode IN ('business', 'elapsed')),
      preset text CHECK (preset IS NULL OR preset ~ '^[a-z][a-z-]{1,30}$'),
      week jsonb NOT NULL CHECK (jsonb_typeof(week) = 'array' AND jsonb_array_length(week) = 7),
      overrides jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(overrides) = 'array'),
      holidays jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(holidays) = 'array'),
      version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      updated_by uuid,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    ALTER TABLE business_calendars ENABLE ROW LEVEL SECURITY;
    ALTER TABLE business_calendars FORCE ROW LEVEL SECURITY;
    CREATE POLICY tenant_isolation ON business_calendars
      USING (org_id = masar_current_org() OR masar_is_platform())
      WITH CHECK (org_id = masar_current_org() OR masar_is_platform());
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS business_calendars`.execute(db);
}
