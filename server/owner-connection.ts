// The owner (migration) connection for command-line tools: npm run db:migrate, audit:verify.
import fs from "node:fs";
import path from "node:path";
import { acquireDataLock } from "./data-lock.js";
import { runningEmbeddedOwnerUrl, startEmbeddedPostgres } from "./embedded-postgres";
import { env } from "~/utils/env.server";

export interface OwnerConnection {
  url: string;
  where: string;
  release(): Promise<void>;
}

/**
 * DATABASE_URL when set; otherwise the embedded server under DATA_DIR — the one the app
 * is running if there is one (two servers must never share the files), else started
 * here for the duration of the command while holding the app's data-directory lock
 * (created on first use when options.create, as db:migrate does).
 */
export async function ownerConnection(options: { create?: boolean } = {}): Promise<OwnerConnection> {
  const config = env();
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, where: "DATABASE_URL", release: async () => undefined };
  const where = `embedded PostgreSQL in ${config.dataDir}`;
  const running = runningEmbeddedOwnerUrl(config.dataDir);
  if (running) return { url: running, where: `${where} (running)`, release: async () => undefined };
  if (!options.create && !fs.existsSync(path.join(config.dataDir, "pg", "PG_VERSION"))) {
    throw new Error(`There is no database in ${config.dataDir}. Set DATA_DIR or DATABASE_URL.`);
  }
  const lock = acquireDataLock(config.dataDir);
  if (!lock.ok) {
    throw new Error(`Masar (process ${lock.holderPid}) is starting on ${config.dataDir}; try again once it is up.`);
  }
  try {
    const cluster = await startEmbeddedPostgres(config.dataDir, config.EMBEDDED_PG_PORT);
    return {
      url: cluster.ownerUrl,
      where: `${where} (started for this command)`,
      release: async () => {
        await cluster.stop();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
