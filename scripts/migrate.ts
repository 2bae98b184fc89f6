// npm run db:migrate — core and plugin migrations as the owner, then the application role's
// grants. The app does the same at every start; this is for deployments that migrate first.
import { ownerConnection } from "../server/owner-connection";
import { ownerDb } from "../server/bootstrap";
import { env } from "~/utils/env.server";
import { setLogLevel } from "~/utils/log.server";
import { ensureAppRole, migrateCore, tablesWithoutRls } from "~/utils/migrate.server";
import { loadPlugins } from "~/utils/plugins.server";

async function main(): Promise<number> {
  setLogLevel("info");
  const owner = await ownerConnection({ create: true });
  const db = ownerDb(owner.url);
  try {
    console.log(`Migrating (${owner.where})`);
    await migrateCore(db);
    await loadPlugins(db);
    const config = env();
    await ensureAppRole(db, config.APP_DATABASE_URL ? undefined : config.APP_DB_PASSWORD);
    const unprotected = await tablesWithoutRls(db);
    if (unprotected.length) {
      console.error(`Tenant tables without forced row-level security: ${unprotected.join(", ")}`);
      return 1;
    }
    console.log("Database is up to date.");
    return 0;
  } finally {
    await db.destroy();
    await owner.release();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
