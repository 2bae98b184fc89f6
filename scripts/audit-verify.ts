// npm run audit:verify — checks every audit chain (the platform chain and each
// organisation's) as the database owner, beneath the application role.
// Exit codes: 0 every chain intact, 1 a chain is broken, 2 the check could not run.
import fs from "node:fs";
import path from "node:path";
import { runningEmbeddedOwnerUrl, startEmbeddedPostgres } from "../server/embedded-postgres";
import { acquireDataLock } from "../server/data-lock.js";
import { verifyAllChains, type ChainBreak, type ChainReport } from "~/models/audit.server";
import { createDb } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { setLogLevel } from "~/utils/log.server";

const REASONS: Record<ChainBreak["reason"], string> = {
  hash_mismatch: "the entry's content does not match its hash (edited)",
  prev_hash_mismatch: "the entry does not link to the one before it (edited or inserted)",
  sequence_gap: "entries are missing before this one (deleted)",
};

interface OwnerConnection {
  url: string;
  where: string;
  release(): Promise<void>;
}

/**
 * DATABASE_URL when set; otherwise the embedded server under DATA_DIR — the one the app
 * is running if there is one (two servers must never share the files), else started
 * here for the duration of the check while holding the app's data-directory lock.
 */
async function ownerConnection(): Promise<OwnerConnection> {
  const config = env();
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, where: "DATABASE_URL", release: async () => undefined };
  const where = `embedded PostgreSQL in ${config.dataDir}`;
  const running = runningEmbeddedOwnerUrl(config.dataDir);
  if (running) return { url: running, where: `${where} (running)`, release: async () => undefined };
  if (!fs.existsSync(path.join(config.dataDir, "pg", "PG_VERSION"))) {
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
      where: `${where} (started for this check)`,
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

function formatReport(report: ChainReport): string {
  const name = report.slug ?? "(platform)";
  if (!report.broken) return `${name}: ok (${report.entries} ${report.entries === 1 ? "entry" : "entries"})`;
  const { seq, id, reason } = report.broken;
  return `${name}: BROKEN at seq ${seq} (id ${id}): ${reason} — ${REASONS[reason]}; ${report.entries} entries before it are intact`;
}

async function main(): Promise<number> {
  setLogLevel("warn");
  const owner = await ownerConnection();
  const { db } = createDb(owner.url, { max: 1 });
  try {
    console.log(`Verifying audit chains (${owner.where})`);
    const reports = await verifyAllChains(db);
    for (const report of reports) console.log(formatReport(report));
    const broken = reports.filter((r) => r.broken).length;
    console.log(broken ? `${broken} of ${reports.length} chains are BROKEN.` : `All ${reports.length} chains are intact.`);
    return broken ? 1 : 0;
  } finally {
    await db.destroy();
    await owner.release();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`audit:verify could not run: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
