import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedCluster } from "../../server/embedded-postgres";
import { startCase } from "~/models/cases.server";
import { createPolicy } from "~/models/sla-policies.server";
import { createDb, withTenant, type Db } from "~/utils/db.server";
import { publishFixture, threeStepFlow } from "../fixtures/workflows";
import { actorFor } from "./engine-helpers";
import { makeOrg } from "./helpers";
import { freePort, startServer, stopServer, waitFor, waitForHttp, type RunningServer } from "./process";

// Exactly once, for real: two app processes (node server.js on the production build) share
// one database and both run the SLA sweep and workers every second. The SLA clock of both is
// moved past the breach and two escalation levels through the clock file; while a worker is
// inside its job (blocked on the case row, which the test holds), that process is killed with
// SIGKILL. The other process then fires the breach and each level exactly once, and each
// person is notified once per level. Its own PostgreSQL cluster, so no other test file's
// clocks are swept.

const APP_PASSWORD = "masar_app_sla_procs";

describe("SLA escalations across two app processes", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  });

  it("fire each level exactly once when a worker is killed mid-job", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "masar-sla-"));
    fs.chmodSync(dir, 0o755);
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const cluster: EmbeddedCluster = await startEmbeddedPostgres(path.join(dir, "pg"), await freePort());
    cleanups.push(() => cluster.stop());
    const clockFile = path.join(dir, "clock.json");
    fs.writeFileSync(clockFile, JSON.stringify({ offsetMs: 0 }));

    const servers: Record<"a" | "b", RunningServer> = {} as never;
    for (const name of ["a", "b"] as const) {
      const port = await freePort();
      const server = startServer({
        DATABASE_URL: cluster.ownerUrl,
        APP_DB_PASSWORD: APP_PASSWORD,
        PORT: String(port),
        SEED_DEMO: "false",
        LOG_LEVEL: "warn",
        MASAR_CLOCK_FILE: clockFile,
        SLA_SWEEP_SECONDS: "1",
        // node-postgres names its connections after PGAPPNAME: pg_stat_activity tells the processes apart.
        PGAPPNAME: `masar-sla-${name}`,
      });
      cleanups.push(() => stopServer(server));
      // One after the other: the second finds the schema migrated.
      await waitForHttp(`http://127.0.0.1:${port}/login`, 90_000);
      servers[name] = server;
    }

    const appUrl = new URL(cluster.ownerUrl);
    appUrl.username = "masar_app";
    appUrl.password = APP_PASSWORD;
    const { db } = createDb(appUrl.toString(), { max: 4 }) as { db: Db };
    cleanups.push(() => db.destroy());
    const t = await makeOrg(db);
    const { definitionId } = await publishFixture(db, t.org.id, threeStepFlow("complaint"));
    const actor = { orgId: t.org.id, actorUserId: t.admin.id, actorLabel: "test", requestId: null, ip: null };
    const created = await withTenant(db, { orgId: t.org.id, userId: t.admin.id }, (trx) =>
      createPolicy(trx, actor, definitionId, {
        nameAr: "الرد على الشكوى خلال ساعة",
        nameEn: "Answer within an hour",
        scope: "step",
        nodeId: "s1",
        condition: null,
        responseMinutes: null,
        resolutionMinutes: 60,
        warnPercents: [],
        levels: [
          { afterMinutes: 0, assignee: { type: "role", roleKey: "manager" }, actions: ["notify"] },
          { afterMinutes: 30, assignee: { type: "role", roleKey: "admin" }, actions: ["notify", "raise_priority"] },
        ],
        active: true,
      }),
    );
    expect(created.ok).toBe(true);
    const staff = await actorFor(t.org.id, t.staff.id, db);
    const started = await withTenant(db, { orgId: t.org.id, userId: t.staff.id }, (trx) => startCase(trx, staff, { definitionKey: "complaint", data: { complainant: "سالم" } }));
    const clock = await withTenant(db, { orgId: t.org.id }, (trx) => trx.selectFrom("deadline_clocks").select("id").where("case_id", "=", started.caseId).executeTakeFirstOrThrow());

    // Hold the case row: whichever worker takes the clock's job waits inside it.
    const holder = new pg.Client({ connectionString: cluster.ownerUrl });
    await holder.connect();
    cleanups.push(() => holder.end());
    await holder.query("BEGIN");
    await holder.query("SELECT id FROM cases WHERE id = $1 FOR UPDATE", [started.caseId]);

    // Two hours later in SLA time: the breach (60 min), level 1 (at the breach), level 2 (+30 min).
    fs.writeFileSync(clockFile, JSON.stringify({ offsetMs: 2 * 3_600_000 }));
    const blocked = await waitFor(
      async () => {
        const r = await holder.query<{ application_name: string }>(
          "SELECT application_name FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name LIKE 'masar-sla-%' ORDER BY backend_start",
        );
        return r.rows[0]?.application_name;
      },
      // Generous: with the whole integration suite running beside it, the two servers' first
      // sweeps have once taken longer than 30 s to reach the lock on this 2-core machine.
      90_000,
      "a worker blocked inside the SLA job",
    );
    const victim = blocked === "masar-sla-a" ? "a" : "b";
    const survivor = victim === "a" ? "b" : "a";
    servers[victim].child.kill("SIGKILL");
    await servers[victim].exited;
    await holder.query("ROLLBACK");

    const firings = () =>
      withTenant(db, { orgId: t.org.id }, (trx) => trx.selectFrom("deadline_firings").select(["milestone", "announced"]).where("clock_id", "=", clock.id).orderBy("milestone").execute());
    await waitFor(async () => ((await firings()).length === 3 ? true : undefined), 60_000, "the survivor to fire the breach and both levels");
    // Give any duplicate job (the killed one's retry, later sweeps) time to run and find nothing to do.
    await new Promise((r) => setTimeout(r, 4000));

    expect(servers[survivor].child.exitCode).toBeNull();
    expect((await firings()).map((f) => f.milestone)).toEqual(["breach:resolution:0", "escalation:resolution:1", "escalation:resolution:2"]);
    const outcome = await withTenant(db, { orgId: t.org.id }, async (trx) => ({
      events: await trx.selectFrom("case_events").select("type").where("case_id", "=", started.caseId).where("type", "like", "sla_%").orderBy("seq").execute(),
      notes: await trx.selectFrom("notifications").select(["user_id", "kind", "dedupe_key"]).where("dedupe_key", "like", `sla:${clock.id}:%`).orderBy("dedupe_key").execute(),
      ledger: await trx.selectFrom("deadline_breaches").select(["level_reached"]).where("clock_id", "=", clock.id).execute(),
      task: await trx.selectFrom("tasks").select("priority").where("case_id", "=", started.caseId).executeTakeFirstOrThrow(),
    }));
    expect(outcome.events.map((e) => e.type)).toEqual(["sla_breached", "sla_escalated", "sla_escalated"]);
    expect(outcome.notes.filter((n) => n.kind === "sla.escalated").map((n) => [n.dedupe_key.split(":").slice(-1)[0], n.user_id])).toEqual([
      ["1", t.manager.id],
      ["2", t.admin.id],
    ]);
    expect(outcome.notes.filter((n) => n.kind === "sla.breached")).toHaveLength(1);
    expect(outcome.ledger).toEqual([{ level_reached: 2 }]);
    // Raised once (normal → high), not once per attempt.
    expect(outcome.task.priority).toBe("high");
  }, 240_000);
});
