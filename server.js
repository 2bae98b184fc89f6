// Masar launcher: locks the data directory, optionally builds, then starts the app.
//   node server.js          serve the existing build
//   node server.js --build  build first (npm start)
//   node server.js --dev    Vite dev server with HMR
// Reads only DATABASE_URL, DATA_DIR and MASAR_BUILD_DIR here; everything else goes through app/utils/env.server.ts.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { acquireDataLock } from "./server/data-lock.js";

const args = new Set(process.argv.slice(2));
const dev = args.has("--dev");
process.env.NODE_ENV ??= dev ? "development" : "production";

if (!process.env.DATABASE_URL) {
  const dataDir = path.resolve(process.env.DATA_DIR ?? ".data");
  const lock = acquireDataLock(dataDir);
  if (!lock.ok) {
    console.error(
      `Masar is already running on the data directory ${dataDir} (process ${lock.holderPid}).\n` +
        `Stop that instance first, or start this one with another DATA_DIR (or a DATABASE_URL).`,
    );
    process.exit(1);
  }
}

try {
  if (dev) {
    const vite = await import("vite");
    const viteServer = await vite.createServer({ server: { middlewareMode: true } });
    const mod = await viteServer.ssrLoadModule("./server/app.ts");
    await mod.start({ viteMiddleware: viteServer.middlewares });
  } else {
    if (args.has("--build")) {
      execFileSync(process.execPath, [path.resolve("node_modules/@react-router/dev/bin.js"), "build"], { stdio: "inherit" });
    }
    const buildDir = path.resolve(process.env.MASAR_BUILD_DIR ?? "build");
    const mod = await import(pathToFileURL(path.join(buildDir, "server/index.js")).href);
    await mod.start({ clientDir: path.join(buildDir, "client") });
  }
} catch (error) {
  console.error(`Masar could not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
