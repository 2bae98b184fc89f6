import { Migrator, sql, type Kysely, type Migration } from "kysely";
import { coreMigrations } from "~migrations/index";
import { log } from "./log.server";

export const APP_ROLE = "masar_app";

// Tables the application role may read and append to but never change.
export const APPEND_ONLY_TABLES = ["audit_log", "case_events", "deadline_firings"];

export async function migrateCore(owner: Kysely<unknown>): Promise<void> {
  await runMigrations(owner, coreMigrations, "masar_migrations");
}

/** Runs a migration set under its own table; throws with the first failure. */
export async function runMigrations(
  owner: Kysely<unknown>,
  migrations: Record<string, Migration>,
  tableName: string,
): Promise<string[]> {
  const migrator = new Migrator({
    db: owner,
    provider: { getMigrations: async () => migrations },
    migrationTableName: tableName,
    migrationLockTableName: `${tableName}_lock`,
  });
  const { error, results } = await migrator.migrateToLatest();
  const applied = (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
  for (const name of applied) log.info("migration applied", { table: tableName, name });
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    throw new Error(`Migration ${failed ?? "?"} (${tableName}) failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return applied;
}

/**
 * Creates (or updates the password of) the application role and grants it DML on
 * every table, except UPDATE/DELETE on append-only tables and the migration tables.
 * Runs after every migration batch so new tables are covered.
 */
export async function ensureAppRole(owner: Kysely<unknown>, password: string | undefined): Promise<void> {
  const exists = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_roles WHERE rolname = ${APP_ROLE}`.execute(owner);
  if (exists.rows[0]?.n === 0) {
    if (!password) throw new Error(`Role ${APP_ROLE} does not exist and no password was given to create it`);
    await sql`CREATE ROLE ${sql.id(APP_ROLE)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD ${sql.lit(password)}`.execute(owner);
  } else if (password) {
    await sql`ALTER ROLE ${sql.id(APP_ROLE)} WITH LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD ${sql.lit(password)}`.execute(owner);
  }
  await grantAppRole(owner);
}

export async function grantAppRole(owner: Kysely<unknown>): Promise<void> {
  const db = await sql<{ current_database: string }>`SELECT current_database()`.execute(owner);
  await sql`GRANT CONNECT ON DATABASE ${sql.id(db.rows[0]!.current_database)} TO ${sql.id(APP_ROLE)}`.execute(owner);
  await sql`GRANT USAGE ON SCHEMA public TO ${sql.id(APP_ROLE)}`.execute(owner);
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${sql.id(APP_ROLE)}`.execute(owner);
  await sql`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${sql.id(APP_ROLE)}`.execute(owner);
  const tables = await sql<{ tablename: string }>`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`.execute(owner);
  for (const { tablename } of tables.rows) {
    if (APPEND_ONLY_TABLES.includes(tablename)) {
      await sql`REVOKE UPDATE, DELETE, TRUNCATE ON ${sql.table(tablename)} FROM ${sql.id(APP_ROLE)}`.execute(owner);
    } else if (/_migrations(_lock)?$/.test(tablename)) {
      await sql`REVOKE ALL ON ${sql.table(tablename)} FROM ${sql.id(APP_ROLE)}`.execute(owner);
    }
  }
  // pg-boss's schema (app/utils/jobs.server.ts), once installed: the app role sends and works
  // jobs (DML) but never changes the schema; queues are created by the owner at bootstrap.
  const boss = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'pgboss'`.execute(owner);
  if (boss.rows[0]?.n) {
    await sql`GRANT USAGE ON SCHEMA pgboss TO ${sql.id(APP_ROLE)}`.execute(owner);
    await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pgboss TO ${sql.id(APP_ROLE)}`.execute(owner);
    await sql`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA pgboss TO ${sql.id(APP_ROLE)}`.execute(owner);
  }
}

/** Tenant tables (any table with an org_id column) that lack enabled and forced RLS. */
export async function tablesWithoutRls(db: Kysely<unknown>): Promise<string[]> {
  const rows = await sql<{ relname: string }>`
    SELECT c.relname FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
    WHERE c.relkind = 'r'
      AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped)
      AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
    ORDER BY c.relname`.execute(db);
  return rows.rows.map((r) => r.relname);
}
