import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export interface RunningServer {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts the real launcher (node server.js) on the built bundle. */
export function startServer(env: Record<string, string>): RunningServer {
  const buildDir = process.env.MASAR_BUILD_DIR ?? "build";
  if (!fs.existsSync(path.resolve(buildDir, "server/index.js"))) {
    throw new Error(`${buildDir}/server/index.js is missing: run \`npm run build\` before the integration tests (npm test does).`);
  }
  let out = "";
  const child = spawn(process.execPath, ["server.js"], {
    env: { ...process.env, NODE_ENV: "production", SECURE_COOKIES: "false", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => out, exited };
}

export async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs = 30_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  await waitFor(async () => ((await fetch(url, { redirect: "manual" })).status < 500 ? true : undefined), timeoutMs, url);
}

export async function stopServer(server: RunningServer): Promise<void> {
  if (server.child.exitCode === null) server.child.kill("SIGTERM");
  await Promise.race([server.exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (server.child.exitCode === null) server.child.kill("SIGKILL");
}
