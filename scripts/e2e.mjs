// End-to-end run: checks for a browser, builds the app, then runs Playwright against
// `node server.js` on a fresh data directory and free ports (playwright.config.ts).
//   npm run test:e2e                 build + all specs
//   npm run test:e2e -- auth.spec    extra arguments go to `playwright test`
//   E2E_SKIP_BUILD=1 npm run test:e2e   reuse the existing build/ (local iteration only)
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SYSTEM_CHROMIUM = "/usr/bin/chromium";

/** Debian's Chromium first (CI installs it), then Playwright's own download. */
async function findBrowser() {
  if (fs.existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  try {
    const { chromium } = await import("@playwright/test");
    const own = chromium.executablePath();
    if (own && fs.existsSync(own)) return own;
  } catch {
    /* Playwright not installed: reported below */
  }
  return null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A PostgreSQL left running by a killed server would keep the temp dir busy. */
function stopLeftoverPostgres(dataDir) {
  const pidFile = path.join(dataDir, "pg", "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number.parseInt(fs.readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
  if (!Number.isInteger(pid)) return;
  try {
    process.kill(pid, "SIGINT"); // fast shutdown
  } catch {
    /* already gone */
  }
}

const browser = await findBrowser();
if (!browser) {
  console.error(
    "No Chromium for the end-to-end tests. Install one of:\n" +
      "  apt-get install -y chromium        (Debian/Ubuntu; used from /usr/bin/chromium)\n" +
      "  npx playwright install chromium    (Playwright's own browser)",
  );
  process.exit(1);
}

if (!process.env.E2E_SKIP_BUILD) {
  const build = spawnSync(process.execPath, [path.join(root, "node_modules/@react-router/dev/bin.js"), "build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) {
    console.error("e2e: the build failed");
    process.exit(build.status ?? 1);
  }
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "masar-e2e-"));
fs.chmodSync(dataDir, 0o755); // embedded PostgreSQL runs as the "postgres" user when we are root
const env = {
  ...process.env,
  E2E_DATA_DIR: dataDir,
  E2E_PORT: process.env.E2E_PORT ?? String(await freePort()),
  E2E_PG_PORT: process.env.E2E_PG_PORT ?? String(await freePort()),
  E2E_BROWSER: browser,
};
console.log(`e2e: browser ${browser}, app port ${env.E2E_PORT}, PostgreSQL port ${env.E2E_PG_PORT}, data ${dataDir}`);

const child = spawn(process.execPath, [path.join(root, "node_modules/@playwright/test/cli.js"), "test", ...process.argv.slice(2)], {
  cwd: root,
  env,
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
const code = await new Promise((resolve) => child.on("exit", (status, signal) => resolve(status ?? (signal ? 1 : 0))));

stopLeftoverPostgres(dataDir);
await new Promise((r) => setTimeout(r, 500));
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(code);
