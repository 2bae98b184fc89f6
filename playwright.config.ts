import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, defineConfig } from "@playwright/test";

// scripts/e2e.mjs (npm run test:e2e) picks free ports, a fresh data directory and the
// browser, and passes them here. Run directly (`npx playwright test`), the config makes
// its own; process.env is inherited by the workers, so they see the same values.
const SYSTEM_CHROMIUM = "/usr/bin/chromium";
process.env.E2E_PORT ??= "3100";
process.env.E2E_PG_PORT ??= "56100";
if (!process.env.E2E_DATA_DIR) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "masar-e2e-"));
  fs.chmodSync(dir, 0o755); // embedded PostgreSQL runs as the "postgres" user under root
  process.env.E2E_DATA_DIR = dir;
}
const port = Number(process.env.E2E_PORT);
const baseURL = `http://localhost:${port}`;

/** Debian's Chromium when present; otherwise undefined = Playwright's own download. */
function browserPath(): string | undefined {
  if (process.env.E2E_BROWSER && process.env.E2E_BROWSER !== chromium.executablePath()) return process.env.E2E_BROWSER;
  return fs.existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined;
}

const executablePath = browserPath();

export default defineConfig({
  testDir: "test/e2e",
  testMatch: "*.spec.ts",
  outputDir: "test-results/e2e",
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: "list",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    locale: "ar",
    // No fades (app/components/theme.ts respects the setting): a dialog is measured by axe and
    // clicked at full opacity. test/e2e/axe.ts still waits for open dialogs to be opaque.
    reducedMotion: "reduce",
    screenshot: "only-on-failure",
    trace: "off",
    launchOptions: {
      executablePath,
      // Root on CI needs --no-sandbox; this machine has no GPU and no outside network.
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    command: "node server.js",
    url: `${baseURL}/login`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: "ignore",
    stderr: "pipe",
    // SIGTERM lets the app stop its embedded PostgreSQL cleanly.
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    env: {
      ...(process.env as Record<string, string>),
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: process.env.E2E_DATA_DIR!,
      EMBEDDED_PG_PORT: process.env.E2E_PG_PORT!,
      SECURE_COOKIES: "false",
      SEED_DEMO: "true",
      LOG_LEVEL: "warn",
      // The SLA spec moves SLA time forward through this file and needs sweeps every few seconds
      // (app/utils/clock.server.ts; only SLA clocks read it).
      MASAR_CLOCK_FILE: path.join(process.env.E2E_DATA_DIR!, "sla-clock.json"),
      SLA_SWEEP_SECONDS: "2",
    },
  },
});
