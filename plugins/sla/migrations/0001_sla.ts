import { sql, type Kysely } from "kysely";

// Agreements between agencies (اتفاقات مستوى الخدمة; DOMAIN.md §2, guide 004 chapter 5).
// Tenant tables with the core's shape: org_id, (org_id, id) key, RLS enabled AND forced.
//
// - sla_counter: the per-organisation serial of agreement numbers (UPDATE … RETURNING).
// - sla_agreement: the record — number, names, cancellation letter and date; which version is
//   in force (signed_version) and which one is being prepared (draft_version).
// - sla_agreement_version: each version's content (the template's sections, JSON checked by
//   plugins/sla/schema.ts) and its signatures. A signed version is never rewritten except by
//   a minor change (unit name, title, email), which the history records.
// - sla_agreement_history: the template's version-history table — agreement no., version,
//   date, editor, owner, changes — one row per new version, signature, minor change and
//   cancellation. Rows are never changed; the "version" row of a draft that is discarded
//   unsigned is removed with it (the audit log keeps the discarded draft).
// - sla_agreement_link: a catalogue service's steps that pass to the other agency, with the
//   deadline policy (core deadline_policies) the agreement keeps in step with its terms.
// - sla_agreement_breach: the breach ledger on the agreement's form: found by the deadline
//   engine (deadline_breach_id) or recorded by hand, each with cause and fix.
// - sla_agreement_meeting: the quarterly review meetings, with attendees and minutes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE sla_counter (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      last integer NOT NULL DEFAULT 0 CHECK (last >= 0),
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id)
    );

    CREATE TABLE sla_agreement (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      number text NOT NULL CHECK (length(number) BETWEEN 1 AND 40),
      serial integer NOT NULL CHECK (serial >= 1),
      name_ar text NOT NULL CHECK (length(name_ar) BETWEEN 1 AND 200),
      name_en text NOT NULL DEFAULT '' CHECK (length(name_en) <= 200),
      our_side text NOT NULL CHECK (our_side IN ('provider', 'recipient')),
      counterpart text NOT NULL CHECK (length(counterpart) BETWEEN 1 AND 200),
      signed_version integer CHECK (signed_version IS NULL OR signed_version >= 1),
      draft_version integer CHECK (draft_version IS NULL OR draft_version >= 1),
      cancel_side text CHECK (cancel_side IN ('provider', 'recipient')),
      cancel_letter_date date,
      cancel_letter_ref text CHECK (cancel_letter_ref IS NULL OR length(cancel_letter_ref) <= 100),
      cancel_effective date,
      cancel_reason text CHECK (cancel_reason IS NULL OR length(cancel_reason) <= 2000),
      row_version integer NOT NULL DEFAULT 1 CHECK (row_version >= 1),
      created_by uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, number),
      UNIQUE (org_id, serial),
      CHECK ((cancel_effective IS NULL) = (cancel_letter_date IS NULL)),
      CHECK ((cancel_effective IS NULL) = (cancel_side IS NULL)),
      CHECK (cancel_effective IS NULL OR signed_version IS NOT NULL),
      CHECK (signed_version IS NOT NULL OR draft_version IS NOT NULL)
    );

    CREATE TABLE sla_agreement_version (
      org_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      agreement_id uuid NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      content jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object'),
      status text NOT NULL CHECK (status IN ('draft', 'signed', 'superseded')),
      signatures jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(signatures) = 'array'),
      signed_at timestamptz,
      changes text NOT NULL DEFAULT '' CHECK (length(changes) <= 4000),
      created_by uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, agreement_id, version),
      FOREIGN KEY (org_id, agreement_id) REFERENCES sla_agreement(org_id, id) ON DELETE CASCADE,
      CHECK ((status = 'draft') = (signed_at IS NULL))
    );
    -- At most one version in preparation and one in force per agreement.
    CREATE UNIQUE INDEX sla_agreement_version_one_draft ON sla_agreement_version (org_id, agreement_id) WHERE status = 'draft';
    CREATE UNIQUE INDEX sla_agreement_version_one_signed ON sla_agreement_version (org_id, agreement_id) WHERE status = 'signed';

    CREATE TABLE sla_agreement_history (
      org_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      agreement_id uuid NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      kind text NOT NULL CHECK (kind IN ('version', 'signed', 'minor', 'cancellation')),
      at timestamptz NOT NULL DEFAULT now(),
      editor_id uuid,
      editor_name text NOT NULL CHECK (length(editor_name) BETWEEN 1 AND 200),
      owner text NOT NULL DEFAULT '' CHECK (length(owner) <= 200),
      changes text NOT NULL DEFAULT '' CHECK (length(changes) <= 4000),
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, agreement_id) REFERENCES sla_agreement(org_id, id) ON DELETE CASCADE
    );
    CREATE INDEX sla_agreement_history_idx ON sla_agreement_history (org_id, agreement_id, at);

    CREATE TABLE sla_agreement_link (
      org_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      agreement_id uuid NOT NULL,
      service_id uuid NOT NULL,
      node_id text NOT NULL CHECK (length(node_id) BETWEEN 1 AND 200),
      channel text NOT NULL DEFAULT 'letter' CHECK (channel IN ('email', 'letter')),
      -- Whose ladder escalates when the step runs late: the side doing the work there.
      responsible_side text NOT NULL CHECK (responsible_side IN ('provider', 'recipient')),
      -- The core deadline policy kept in step with the agreement (null while not in force).
      policy_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, service_id, node_id),
      FOREIGN KEY (org_id, agreement_id) REFERENCES sla_agreement(org_id, id) ON DELETE CASCADE,
      FOREIGN KEY (org_id, service_id) REFERENCES service_catalogue_service(org_id, id) ON DELETE CASCADE
    );
    CREATE INDEX sla_agreement_link_agreement_idx ON sla_agreement_link (org_id, agreement_id);

    CREATE TABLE sla_agreement_breach (
      org_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      agreement_id uuid NOT NULL,
      occurred_at timestamptz NOT NULL,
      -- Found by the deadline engine (its ledger row) or recorded by hand (null).
      deadline_breach_id uuid,
      case_id uuid,
      side text NOT NULL CHECK (side IN ('provider', 'recipient')),
      description text NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
      cause text NOT NULL DEFAULT '' CHECK (length(cause) <= 2000),
      fix text NOT NULL DEFAULT '' CHECK (length(fix) <= 2000),
      recorded_by uuid,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      row_version integer NOT NULL DEFAULT 1 CHECK (row_version >= 1),
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, deadline_breach_id),
      FOREIGN KEY (org_id, agreement_id) REFERENCES sla_agreement(org_id, id) ON DELETE CASCADE
    );
    CREATE INDEX sla_agreement_breach_idx ON sla_agreement_breach (org_id, agreement_id, occurred_at);

    CREATE TABLE sla_agreement_meeting (
      org_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      agreement_id uuid NOT NULL,
      quarter_start date NOT NULL,
      quarter_end date NOT NULL CHECK (quarter_end > quarter_start),
      held_on date,
      attendees text NOT NULL DEFAULT '' CHECK (length(attendees) <= 2000),
      minutes text NOT NULL DEFAULT '' CHECK (length(minutes) <= 20000),
      recorded_by uuid,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      row_version integer NOT NULL DEFAULT 1 CHECK (row_version >= 1),
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, agreement_id, quarter_start),
      FOREIGN KEY (org_id, agreement_id) REFERENCES sla_agreement(org_id, id) ON DELETE CASCADE
    );
  `.execute(db);

  for (const table of ["sla_counter", "sla_agreement", "sla_agreement_version", "sla_agreement_history", "sla_agreement_link", "sla_agreement_breach", "sla_agreement_meeting"]) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY`.execute(db);
    await sql`CREATE POLICY tenant_isolation ON ${sql.table(table)}
      USING (org_id = masar_current_org() OR masar_is_platform())
      WITH CHECK (org_id = masar_current_org() OR masar_is_platform())`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["sla_agreement_meeting", "sla_agreement_breach", "sla_agreement_link", "sla_agreement_history", "sla_agreement_version", "sla_agreement", "sla_counter"]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
