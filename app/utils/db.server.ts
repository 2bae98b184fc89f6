import { Kysely, PostgresDialect, sql, type Transaction } from "kysely";
import pg from "pg";
import type { DB } from "./db-types";
import { log } from "./log.server";

export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;

// bigint columns (identity, seq) come back as strings; timestamps as Date.
let current: { db: Db; pool: pg.Pool } | undefined;

export function createDb(connectionString: string, options: { max?: number } = {}): { db: Db; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its server (database restart) emits 'error' on the pool;
  // unhandled, it would crash the process. The pool drops the client and recovers.
  pool.on("error", (error) => log.warn("database connection lost", { error: error.message }));
  return { db: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }), pool };
}

/** The application's pool (the masar_app role); set once by the bootstrap. */
export function setAppDb(value: { db: Db; pool: pg.Pool }): void {
  current = value;
}

export function appDb(): Db {
  if (!current) throw new Error("The database is not initialised (bootstrap has not run)");
  return current.db;
}

export async function closeAppDb(): Promise<void> {
  const value = current;
  current = undefined;
  await value?.db.destroy();
}

export interface TenantScope {
  orgId: string;
  userId?: string;
}

/**
 * Runs fn in one transaction with the tenant set for row-level security.
 * set_config(..., true) is transaction-local, so a pooled connection never carries
 * one tenant's setting into another request.
 */
export async function withTenant<T>(db: Db, scope: TenantScope, fn: (trx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('app.org_id', ${scope.orgId}, true), set_config('app.user_id', ${scope.userId ?? ""}, true)`.execute(trx);
    return fn(trx);
  });
}

/** A signed-in user outside any one organisation: sees their own memberships only. */
export async function withUser<T>(db: Db, userId: string, fn: (trx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('app.user_id', ${userId}, true)`.execute(trx);
    return fn(trx);
  });
}

/** Platform-administration and system paths (bootstrap, seeds, login) that span tenants. */
export async function withPlatform<T>(db: Db, fn: (trx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('app.platform', 'on', true)`.execute(trx);
    return fn(trx);
  });
}

const UNAVAILABLE_CODES = new Set(["57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006", "53300"]);
const UNAVAILABLE_ERRNOS = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND"]);

/** True when an error means "the database is not reachable right now" (→ 503). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code;
  if (code && (UNAVAILABLE_CODES.has(code) || UNAVAILABLE_ERRNOS.has(code))) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(error.message);
}
