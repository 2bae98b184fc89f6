import { sql, type Kysely } from "kysely";

// The core's deadline tables (0010) are renamed from sla_* to deadline_*, matching the core's
// "deadlines" namespace: a plugin's tables are every table named after its id, so the core
// must not own tables under a plugin id's prefix. The `sla` plugin (agreements between
// agencies, plugins/sla) owns sla_*; before this migration its export and uninstall would
// have reached the core's clocks and breaches. Indexes, constraints, grants and RLS policies
// follow a renamed table; the ledger trigger's function names the breach table in its body,
// so it is recreated under the new name.
const RENAMES = [
  ["sla_policies", "deadline_policies"],
  ["sla_clocks", "deadline_clocks"],
  ["sla_firings", "deadline_firings"],
  ["sla_breaches", "deadline_breaches"],
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [from, to] of RENAMES) await sql`ALTER TABLE ${sql.table(from)} RENAME TO ${sql.table(to)}`.execute(db);
  await sql`
    DROP TRIGGER sla_clock_ledger ON deadline_clocks;
    DROP FUNCTION sla_clock_ledger();
${sql.raw(ledger("deadline_clock_ledger", "deadline_breaches"))}
    CREATE TRIGGER deadline_clock_ledger AFTER UPDATE OF responded_at, stopped_at ON deadline_clocks
      FOR EACH ROW WHEN (OLD.responded_at IS NULL AND NEW.responded_at IS NOT NULL OR OLD.stopped_at IS NULL AND NEW.stopped_at IS NOT NULL)
      EXECUTE FUNCTION deadline_clock_ledger();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TRIGGER deadline_clock_ledger ON deadline_clocks;
    DROP FUNCTION deadline_clock_ledger();
  `.execute(db);
  for (const [from, to] of RENAMES) await sql`ALTER TABLE ${sql.table(to)} RENAME TO ${sql.table(from)}`.execute(db);
  await sql`
    ${sql.raw(ledger("sla_clock_ledger", "sla_breaches"))}
    CREATE TRIGGER sla_clock_ledger AFTER UPDATE OF responded_at, stopped_at ON sla_clocks
      FOR EACH ROW WHEN (OLD.responded_at IS NULL AND NEW.responded_at IS NOT NULL OR OLD.stopped_at IS NULL AND NEW.stopped_at IS NOT NULL)
      EXECUTE FUNCTION sla_clock_ledger();
  `.execute(db);
}

/** 0010's ledger function (unchanged logic) under a name, writing to the named breach table. */
function ledger(fn: string, breaches: string): string {
  return `
    CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.responded_at IS NOT NULL AND OLD.responded_at IS NULL AND NEW.response_due_at IS NOT NULL
         AND NEW.response_due_at <= NEW.responded_at THEN
        INSERT INTO ${breaches} (org_id, clock_id, case_id, task_id, policy_id, policy_name_ar, policy_name_en, definition_id, node_id, target, due_at, actual_at, recorded_at)
        VALUES (NEW.org_id, NEW.id, NEW.case_id, NEW.task_id, NEW.policy_id, NEW.terms->'name'->>'ar', NEW.terms->'name'->>'en', NEW.definition_id, NEW.node_id,
                'response', NEW.response_due_at, NEW.responded_at, NEW.responded_at)
        ON CONFLICT (org_id, clock_id, target) DO UPDATE SET actual_at = COALESCE(${breaches}.actual_at, EXCLUDED.actual_at);
      END IF;
      IF NEW.stopped_at IS NOT NULL AND OLD.stopped_at IS NULL THEN
        IF NEW.responded_at IS NULL AND NEW.response_due_at IS NOT NULL AND NEW.response_due_at <= NEW.stopped_at THEN
          INSERT INTO ${breaches} (org_id, clock_id, case_id, task_id, policy_id, policy_name_ar, policy_name_en, definition_id, node_id, target, due_at, actual_at, recorded_at)
          VALUES (NEW.org_id, NEW.id, NEW.case_id, NEW.task_id, NEW.policy_id, NEW.terms->'name'->>'ar', NEW.terms->'name'->>'en', NEW.definition_id, NEW.node_id,
                  'response', NEW.response_due_at, NEW.stopped_at, NEW.stopped_at)
          ON CONFLICT (org_id, clock_id, target) DO UPDATE SET actual_at = COALESCE(${breaches}.actual_at, EXCLUDED.actual_at);
        END IF;
        IF NEW.resolution_due_at IS NOT NULL AND NEW.resolution_due_at <= NEW.stopped_at THEN
          INSERT INTO ${breaches} (org_id, clock_id, case_id, task_id, policy_id, policy_name_ar, policy_name_en, definition_id, node_id, target, due_at, actual_at, recorded_at)
          VALUES (NEW.org_id, NEW.id, NEW.case_id, NEW.task_id, NEW.policy_id, NEW.terms->'name'->>'ar', NEW.terms->'name'->>'en', NEW.definition_id, NEW.node_id,
                  'resolution', NEW.resolution_due_at, NEW.stopped_at, NEW.stopped_at)
          ON CONFLICT (org_id, clock_id, target) DO UPDATE SET actual_at = COALESCE(${breaches}.actual_at, EXCLUDED.actual_at);
        END IF;
      END IF;
      RETURN NULL;
    END $$;`;
}
