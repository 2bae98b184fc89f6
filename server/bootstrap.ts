import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { seedDemo } from "../seeds/demo";
import { closeAppDb, createDb, setAppDb } from "~/utils/db.server";
import { installJobSchema, startJobs, stopJobs } from "~/utils/jobs.server";
import { env } from "~/utils/env.server";
import { log, setLogLevel } from "~/utils/log.server";
import { APP_ROLE, ensureAppRole, migrateCore, tablesWithoutRls } from "~/utils/migrate.server";
import { loadPlugins, type PluginRegistry } from "~/utils/plugins.server";
import { startEmbeddedPostgres } from "./embedded-postgres";

export interface Booted {
  ownerUrl: string;
  appUrl: string;
  plugins: PluginRegistry;
  stop(): Promise<void>;
}

export function ownerDb(url: string): Kysely<unknown> {
  return new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }) });
}

/** The application's connection string: APP_DATABASE_URL, or the owner URL with the app role. */
export function appUrlFrom(ownerUrl: string): string {
  const { APP_DATABASE_URL, APP_DB_PASSWORD } = env();
  if (APP_DATABASE_URL) return APP_DATABASE_URL;
  const url = new URL(ownerUrl);
  url.username = APP_ROLE;
  url.password = APP_DB_PASSWORD;
  return url.toString();
}

/**
 * Prepares everything the app needs before it takes requests: the database (embedded
 * when DATABASE_URL is unset), core and plugin migrations as the owner, the
 * non-owner application role, plugins and, on first start, the demo data.
 */
export async function bootstrap(): Promise<Booted> {
  const config = env();
  setLogLevel(config.LOG_LEVEL);
  const embedded = config.DATABASE_URL ? undefined : await startEmbeddedPostgres(config.dataDir, config.EMBEDDED_PG_PORT);
  const ownerUrl = config.DATABASE_URL ?? embedded!.ownerUrl;
  const owner = ownerDb(ownerUrl);
  try {
    await migrateCore(owner);
    const plugins = await loadPlugins(owner);
    // pg-boss's schema and queues before the grants, so the app role is granted them too.
    await installJobSchema(ownerUrl);
    await ensureAppRole(owner, config.APP_DATABASE_URL ? undefined : config.APP_DB_PASSWORD);
    const unprotected = await tablesWithoutRls(owner);
    if (unprotected.length) log.error("tenant tables without row-level security", { tables: unprotected });

    const appUrl = appUrlFrom(ownerUrl);
    const app = createDb(appUrl);
    setAppDb(app);
    if (config.SEED_DEMO && (await seedDemo(app.db))) log.info("demo data created");
    await startJobs(appUrl);
    return {
      ownerUrl,
      appUrl,
      plugins,
      async stop() {
        await stopJobs();
        await closeAppDb();
        await embedded?.stop();
      },
    };
  } finally {
    await owner.destroy();
  }
}
