import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../server/embedded-postgres";
import { ownerDb } from "../../server/bootstrap";
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
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
