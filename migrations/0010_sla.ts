import { sql, type Kysely } from "kysely";

// SLA policies, clocks, firings and the breach ledger (app/engine/sla.ts, app/models/sla-*.server.ts;
// ADR 009). Tenant tables: org_id + RLS enabled and forced, the policy of 0003.
// - sla_policies: targets in working minutes of the organisation's calendar, warning
//   percentages and an escalation ladder (JSON, validated by the engine before every write),
//   attached to a definition as a whole case, every step, or one step (node id), optionally only
//   when a FEEL condition on the case data holds.
// - sla_clocks: one per task (and per case for case-level policies). The policy's terms are
//   copied on start, so editing a policy never moves a running clock. The due instants and
//   next_due_at are derived (pure engine) and stored so that the sweep and the dashboard are
//   plain indexed queries.
// - sla_firings: one row per milestone that fired (warning, breach, escalation level). The
//   unique (org_id, clock_id, milestone) is what makes each level fire exactly once, whoever
//   runs the job and however often; the app role may not update or delete them.
// - sla_breaches: the ledger (case, SLA, target, actual, level reached); breaches are written by
//   the firing that announces them, or by the trigger below when the clock stops first.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE sla_policies (
      org_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      definition_id uuid NOT NULL,
      scope text NOT NULL CHECK (scope IN ('case', 'every_step', 'step')),
      node_id text CHECK ((scope = 'step') = (node_id IS NOT NULL) AND (node_id IS NULL OR length(node_id) BETWEEN 1 AND 200)),
      condition text CHECK (condition IS NULL OR length(condition) BETWEEN 1 AND 1000),
      name_ar text NOT NULL CHECK (length(name_ar) BETWEEN 1 AND 200),
      name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
      response_minutes integer CHECK (response_minutes IS NULL OR response_minutes > 0),
      resolution_minutes integer CHECK (resolution_minutes IS NULL OR resolution_minutes > 0),
      warn_percents jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(warn_percents) = 'array'),
      levels jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(levels) = 'array'),
      active boolean NOT NULL DEFAULT true,
      version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      created_by uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_by uuid,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, definition_id) REFERENCES workflow_definitions(org_id, id) ON DELETE CASCADE,
      CHECK (response_minutes IS NOT NULL OR resolution_minutes IS NOT NULL)
    );
    CREATE INDEX sla_policies_definition_idx ON sla_policies (org_id, definition_id);

    CREATE TABLE sla_clocks (
      org_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      -- No foreign key: a deleted policy leaves its running clocks on the terms they started with.
      policy_id uuid NOT NULL,
      case_id uuid NOT NULL,
      task_id uuid,
      definition_id uuid NOT NULL,
      node_id text,
      terms jsonb NOT NULL,
      started_at timestamptz NOT NULL,
      pauses jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(pauses) = 'array'),
      paused_at timestamptz,
      responded_at timestamptz,
      stopped_at timestamptz,
      stop_reason text CHECK (stop_reason IN ('completed', 'cancelled')),
      response_due_at timestamptz,
      response_risk_at timestamptz,
      resolution_due_at timestamptz,
      resolution_risk_at timestamptz,
      next_due_at timestamptz,
      warned_at timestamptz,
      breached_at timestamptz,
      level_reached smallint NOT NULL DEFAULT 0 CHECK (level_reached >= 0),
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, case_id) REFERENCES cases(org_id, id) ON DELETE CASCADE,
      FOREIGN KEY (org_id, task_id) REFERENCES tasks(org_id, id) ON DELETE CASCADE,
      CHECK ((stopped_at IS NULL) = (stop_reason IS NULL)),
      CHECK (stopped_at IS NULL OR next_due_at IS NULL)
    );
    CREATE UNIQUE INDEX sla_clocks_task_key ON sla_clocks (org_id, task_id) WHERE task_id IS NOT NULL;
    CREATE UNIQUE INDEX sla_clocks_case_key ON sla_clocks (org_id, case_id) WHERE task_id IS NULL;
    CREATE INDEX sla_clocks_case_idx ON sla_clocks (org_id, case_id);
    -- The escalation sweep, across organisations: only clocks with something still to fire.
    CREATE INDEX sla_clocks_due_idx ON sla_clocks (next_due_at) WHERE next_due_at IS NOT NULL;
    -- The dashboard: an organisation's open clocks.
    CREATE INDEX sla_clocks_open_idx ON sla_clocks (org_id, definition_id, node_id) WHERE stopped_at IS NULL;

    CREATE TABLE sla_firings (
      org_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      clock_id uuid NOT NULL,
      milestone text NOT NULL CHECK (milestone ~ '^(warning|breach|escalation):(response|resolution):[0-9]{1,3}$'),
      due_at timestamptz NOT NULL,
      fired_at timestamptz NOT NULL,
      -- false: recorded without telling anyone (a warning overtaken by its breach).
      announced boolean NOT NULL,
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, clock_id, milestone),
      FOREIGN KEY (org_id, clock_id) REFERENCES sla_clocks(org_id, id) ON DELETE CASCADE
    );

    CREATE TABLE sla_breaches (
      org_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      clock_id uuid NOT NULL,
      case_id uuid NOT NULL,
      task_id uuid,
      policy_id uuid NOT NULL,
      policy_name_ar text NOT NULL,
      policy_name_en text NOT NULL,
      definition_id uuid NOT NULL,
      node_id text,
      target text NOT NULL CHECK (target IN ('response', 'resolution')),
      -- When the target was due (the breach instant) and when it was actually met (null: not yet).
      due_at timestamptz NOT NULL,
      actual_at timestamptz,
      level_reached smallint NOT NULL DEFAULT 0 CHECK (level_reached >= 0),
      recorded_at timestamptz NOT NULL,
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, clock_id, target),
      FOREIGN KEY (org_id, clock_id) REFERENCES sla_clocks(org_id, id) ON DELETE CASCADE
    );
    CREATE INDEX sla_breaches_due_idx ON sla_breaches (org_id, due_at);

    -- Every breach reaches the ledger, also one the sweep never saw (the task was answered or
    -- done before it came round), and each ledger row gets its actual time: done here, when the
    -- clock row records its first response or its stop, so the case runner's step only writes
    -- the clock (one cheap UPDATE in its batched statement; nothing at all without clocks).
    CREATE FUNCTION sla_clock_ledger() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.responded_at IS NOT NULL AND OLD.responded_at IS NULL AND NEW.response_due_at IS NOT NULL
         AND NEW.response_due_at <= NEW.responded_at THEN
        INSERT INTO sla_breaches (org_id, clock_id, case_id, task_id, policy_id, policy_name_ar, policy_name_en, definition_id, node_id, target, due_at, actual_at, recorded_at)
        VALUES (NEW.org_id, NEW.id, NEW.case_id, NEW.task_id, NEW.policy_id, NEW.terms->'name'->>'ar', NEW.terms->'name'->>'en', NEW.definition_id, NEW.node_id,
                'response', NEW.response_due_at, NEW.responded_at, NEW.responded_at)
        ON CONFLICT (org_id, clock_id, target) DO UPDATE SET actual_at = COALESCE(sla_breaches.actual_at, EXCLUDED.actual_at);
      END IF;
      IF NEW.stopped_at IS NOT NULL AND OLD.stopped_at IS NULL THEN
        IF NEW.responded_at IS NULL AND NEW.response_due_at IS NOT NULL AND NEW.response_due_at <= NEW.stopped_at THEN
          INSERT INTO sla_breaches (org_id, clock_id, case_id, task_id, policy_id, policy_name_ar, policy_name_en, definition_id, node_id, target, due_at, actual_at, recorded_at)
          VALUES (NEW.org_id, NEW.id, NEW.case_id, NEW.task_id, NEW.policy_id, NEW.terms->'name'->>'ar', NEW.terms->'name'->>'en', NEW.definition_id, NEW.node_id,
                  'response', NEW.response_due_at, NEW.stopped_at, NEW.stopped_at)
          ON CONFLICT (org_id, clock_id, target) DO UPDATE SET actual_at = COALESCE(sla_breaches.actual_at, EXCLUDED.actual_at);
        END IF;
        IF NEW.resolution_due_at IS NOT NULL AND NEW.resolution_due_at <= NEW.stopped_at THEN
          INSERT INTO sla_breaches (org_id, clock_id, case_id, task_id, policy_id, policy_name_ar, policy_name_en, definition_id, node_id, target, due_at, actual_at, recorded_at)
          VALUES (NEW.org_id, NEW.id, NEW.case_id, NEW.task_id, NEW.policy_id, NEW.terms->'name'->>'ar', NEW.terms->'name'->>'en', NEW.definition_id, NEW.node_id,
                  'resolution', NEW.resolution_due_at, NEW.stopped_at, NEW.stopped_at)
          ON CONFLICT (org_id, clock_id, target) DO UPDATE SET actual_at = COALESCE(sla_breaches.actual_at, EXCLUDED.actual_at);
        END IF;
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER sla_clock_ledger AFTER UPDATE OF responded_at, stopped_at ON sla_clocks
      FOR EACH ROW WHEN (OLD.responded_at IS NULL AND NEW.responded_at IS NOT NULL OR OLD.stopped_at IS NULL AND NEW.stopped_at IS NOT NULL)
      EXECUTE FUNCTION sla_clock_ledger();
  `.execute(db);

  for (const table of ["sla_policies", "sla_clocks", "sla_firings", "sla_breaches"]) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY`.execute(db);
    await sql`CREATE POLICY tenant_isolation ON ${sql.table(table)}
      USING (org_id = masar_current_org() OR masar_is_platform())
      WITH CHECK (org_id = masar_current_org() OR masar_is_platform())`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["sla_breaches", "sla_firings", "sla_clocks", "sla_policies"]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS sla_clock_ledger()`.execute(db);
}
