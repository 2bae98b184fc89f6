import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedCluster } from "../../server/embedded-postgres";
import { freePort, startServer, stopServer, waitFor, waitForHttp, type RunningServer } from "./process";

// These tests run the real launcher (node server.js) on the production build, as a user would.
describe("the server process", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  });

  function tempDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "masar-proc-"));
    fs.chmodSync(dir, 0o755);
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  function track(server: RunningServer): RunningServer {
    cleanups.push(() => stopServer(server));
    return server;
  }

  it("refuses a second instance on the same data directory with a clear message", async () => {
    const dataDir = tempDir();
    const [port, port2, pgPort] = [await freePort(), await freePort(), await freePort()];
    const first = track(startServer({ DATA_DIR: dataDir, PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), SEED_DEMO: "false" }));
    await waitForHttp(`http://127.0.0.1:${port}/login`);

    const second = startServer({ DATA_DIR: dataDir, PORT: String(port2), EMBEDDED_PG_PORT: String(pgPort), SEED_DEMO: "false" });
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/already running on the data directory/);
    expect(second.output()).toContain(String(first.child.pid));
    // The first instance is untouched and still serves the Arabic sign-in page.
    const page = await fetch(`http://127.0.0.1:${port}/login`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('dir="rtl"');
  }, 120_000);

  it("takes over a lock left by a process that died", async () => {
    const dataDir = tempDir();
    const dead = spawn(process.execPath, ["-e", "0"]);
    await new Promise((r) => dead.on("exit", r));
    fs.writeFileSync(path.join(dataDir, "masar.pid"), String(dead.pid));
    const [port, pgPort] = [await freePort(), await freePort()];
    const server = track(startServer({ DATA_DIR: dataDir, PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), SEED_DEMO: "false" }));
    await waitForHttp(`http://127.0.0.1:${port}/login`);
    expect(fs.readFileSync(path.join(dataDir, "masar.pid"), "utf8")).toBe(String(server.child.pid));
  }, 120_000);

  it("survives a database restart: 503 while it is down, then recovers", async () => {
    const pgDir = tempDir();
    const pgPort = await freePort();
    let cluster: EmbeddedCluster = await startEmbeddedPostgres(pgDir, pgPort);
    cleanups.push(() => cluster.stop());
    const port = await freePort();
    const server = track(startServer({ DATABASE_URL: cluster.ownerUrl, PORT: String(port), SEED_DEMO: "false" }));
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/login`);

    // A session cookie (encoded as React Router cookies are) makes every request read the database.
    const cookie = `masar_session=${encodeURIComponent(Buffer.from(JSON.stringify("x".repeat(43))).toString("base64"))}`;
    const probe = () => fetch(`${base}/app/any-org/inbox`, { redirect: "manual", headers: { cookie } });
    expect((await probe()).status).toBe(302); // unknown session → sign-in

    await cluster.stop();
    const down = await waitFor(async () => {
      const r = await probe();
      return r.status === 503 ? r : undefined;
    }, 20_000, "a 503 while the database is down");
    expect(down.headers.get("retry-after")).toBe("5");
    expect(await down.text()).toContain("الخدمة غير متاحة مؤقتاً");
    expect(server.child.exitCode).toBeNull(); // still running

    cluster = await startEmbeddedPostgres(pgDir, pgPort);
    const back = await waitFor(async () => {
      const r = await probe();
      return r.status === 302 ? r : undefined;
    }, 30_000, "recovery after the restart");
    expect(back.headers.get("location")).toMatch(/^\/login/);
    expect(server.child.exitCode).toBeNull();
  }, 120_000);
});
