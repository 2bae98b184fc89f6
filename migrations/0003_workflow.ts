import { sql, type Kysely } from "kysely";

// Workflow definitions, versions, cases, tasks, the hash-chained case event log,
// incidents, timers, comments and idempotency keys. All tenant tables: org_id + forced RLS.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE workflow_definitions (
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

    -- A draft has no number; publishing numbers it (1, 2, …) and freezes its graph.
    CREATE TABLE workflow_versions (
      org_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      definition_id uuid NOT NULL,
      version integer CHECK (version IS NULL OR version >= 1),
      status text NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
      graph jsonb NOT NULL,
      change_note text,
      lock_version integer NOT NULL DEFAULT 1,
      created_by uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      published_by uuid,
      published_at timestamptz,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, definition_id) REFERENCES workflow_definitions(org_id, id) ON DELETE CASCADE,
      CHECK ((status = 'draft') = (version IS NULL))
    );
    CREATE UNIQUE INDEX workflow_versions_one_draft ON workflow_versions (org_id, definition_id) WHERE status = 'draft';
    CREATE UNIQUE INDEX workflow_versions_number ON workflow_versions (org_id, definition_id, version) WHERE version IS NOT NULL;

    CREATE TABLE case_counters (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      year integer NOT NULL,
      last bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (org_id, year)
    );

    CREATE TABLE cases (
      org_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      reference text NOT NULL,
      definition_id uuid NOT NULL,
      version_id uuid NOT NULL,
      status text NOT NULL CHECK (status IN ('running', 'completed', 'incident', 'cancelled')),
      title text,
      data jsonb NOT NULL DEFAULT '{}',
      state jsonb NOT NULL,
      parent_case_id uuid,
      parent_token_id text,
      started_by uuid,
      started_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz,
      row_version integer NOT NULL DEFAULT 1,
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, reference),
      FOREIGN KEY (org_id, version_id) REFERENCES workflow_versions(org_id, id),
      FOREIGN KEY (org_id, definition_id) REFERENCES workflow_definitions(org_id, id),
      FOREIGN KEY (org_id, parent_case_id) REFERENCES cases(org_id, id)
    );
    CREATE INDEX cases_status_idx ON cases (org_id, status, started_at DESC);

    CREATE TABLE tasks (
      org_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL,
      token_id text NOT NULL,
      node_id text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('task', 'gate')),
      name_ar text NOT NULL,
      name_en text NOT NULL,
      lane_id text,
      candidate_role_id uuid,
      candidate_unit_id uuid,
      assignee_user_id uuid,
      status text NOT NULL CHECK (status IN ('open', 'completed', 'cancelled')),
      priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
      due_at timestamptz,
      outcome text,
      created_at timestamptz NOT NULL DEFAULT now(),
      claimed_at timestamptz,
      completed_at timestamptz,
      completed_by uuid,
      row_version integer NOT NULL DEFAULT 1,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, case_id) REFERENCES cases(org_id, id) ON DELETE CASCADE
    );
    -- At most one open task per token: a retried or concurrent step never duplicates it.
    CREATE UNIQUE INDEX tasks_open_token ON tasks (org_id, case_id, token_id) WHERE status = 'open';
    CREATE INDEX tasks_inbox_idx ON tasks (org_id, status, assignee_user_id, due_at);
    CREATE INDEX tasks_case_idx ON tasks (org_id, case_id);

    -- Append-only and hash-chained per case; the timeline is rebuilt from it.
    CREATE TABLE case_events (
      org_id uuid NOT NULL,
      id bigint GENERATED ALWAYS AS IDENTITY,
      case_id uuid NOT NULL,
      seq integer NOT NULL,
      at timestamptz NOT NULL,
      actor_user_id uuid,
      type text NOT NULL,
      node_id text,
      task_id uuid,
      payload jsonb,
      prev_hash text NOT NULL,
      hash text NOT NULL,
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, case_id, seq),
      FOREIGN KEY (org_id, case_id) REFERENCES cases(org_id, id) ON DELETE CASCADE
    );

    CREATE TABLE incidents (
      org_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL,
      token_id text NOT NULL,
      node_id text NOT NULL,
      reason text NOT NULL,
      detail text NOT NULL,
      data_snapshot jsonb NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
      created_at timestamptz NOT NULL DEFAULT now(),
      resolved_at timestamptz,
      resolved_by uuid,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, case_id) REFERENCES cases(org_id, id) ON DELETE CASCADE
    );
    CREATE UNIQUE INDEX incidents_open_token ON incidents (org_id, case_id, token_id) WHERE status = 'open';

    -- One row per scheduled timer: the job handler fires it only while fired_at is null.
    CREATE TABLE case_timers (
      org_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL,
      token_id text NOT NULL,
      node_id text NOT NULL,
      due_at timestamptz NOT NULL,
      fired_at timestamptz,
      cancelled_at timestamptz,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, case_id) REFERENCES cases(org_id, id) ON DELETE CASCADE
    );
    CREATE INDEX case_timers_due_idx ON case_timers (due_at) WHERE fired_at IS NULL AND cancelled_at IS NULL;

    CREATE TABLE case_comments (
      org_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL,
      author_user_id uuid NOT NULL,
      body text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, case_id) REFERENCES cases(org_id, id) ON DELETE CASCADE
    );

    -- A repeated request with the same key returns the first answer instead of acting twice.
    CREATE TABLE idempotency_keys (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      key text NOT NULL CHECK (length(key) BETWEEN 8 AND 200),
      user_id uuid NOT NULL,
      scope text NOT NULL,
      response jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, user_id, key)
    );
  `.execute(db);

  const tables = [
    "workflow_definitions",
    "workflow_versions",
    "case_counters",
    "cases",
    "tasks",
    "case_events",
    "incidents",
    "case_timers",
    "case_comments",
    "idempotency_keys",
  ];
  for (const table of tables) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY`.execute(db);
    await sql`CREATE POLICY tenant_isolation ON ${sql.table(table)}
      USING (org_id = masar_current_org() OR masar_is_platform())
      WITH CHECK (org_id = masar_current_org() OR masar_is_platform())`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["idempotency_keys", "case_comments", "case_timers", "incidents", "case_events", "tasks", "cases", "case_counters", "workflow_versions", "workflow_definitions"]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
