import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CaseActor } from "~/models/case-access.server";
import { startCase } from "~/models/cases.server";
import { fireDueSla } from "~/models/sla-escalations.server";
import { listSlaItems, slaDashboard } from "~/models/sla-dashboard.server";
import { setClockPaused } from "~/models/sla-pause.server";
import { createPolicy } from "~/models/sla-policies.server";
import { claimTask, completeTask } from "~/models/tasks.server";
import { setTestClock } from "~/utils/clock.server";
import { withTenant } from "~/utils/db.server";
import { buildAbility } from "~/utils/permissions.server";
import { publishFixture, threeStepFlow } from "../fixtures/workflows";
import { actorFor, asMember } from "./engine-helpers";
import { makeOrg, testDb, type TestOrg } from "./helpers";

// The dashboard's numbers and the lists behind them: statuses at an instant, pauses, closed
// items left out, breaches per day from the ledger, and the member's read rules applied in SQL.

const T0 = new Date("2025-06-01T06:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const ZONE = "Asia/Riyadh";

let t: TestOrg;
let staff: CaseActor;
let manager: CaseActor;
const tasks: Record<"paused" | "done" | "late", string> = { paused: "", done: "", late: "" };

beforeAll(async () => {
  t = await makeOrg();
  staff = await actorFor(t.org.id, t.staff.id);
  manager = await actorFor(t.org.id, t.manager.id);
  const { definitionId } = await publishFixture(testDb(), t.org.id, threeStepFlow("sla-board"));
  const actor = { orgId: t.org.id, actorUserId: t.admin.id, actorLabel: "test", requestId: null, ip: null };
  await withTenant(testDb(), { orgId: t.org.id, userId: t.admin.id }, (trx) =>
    createPolicy(trx, actor, definitionId, {
      nameAr: "ساعة واحدة",
      nameEn: "One hour",
      scope: "step",
      nodeId: "s1",
      condition: null,
      responseMinutes: null,
      resolutionMinutes: 60,
      warnPercents: [50],
      levels: [{ afterMinutes: 0, assignee: { type: "role", roleKey: "manager" }, actions: ["notify"] }],
      active: true,
    }),
  );
  setTestClock(T0);
  for (const key of ["paused", "done", "late"] as const) {
    const started = await asMember(testDb(), t.org.id, staff.user.id, (trx) => startCase(trx, staff, { definitionKey: "sla-board", data: { n: key } }));
    tasks[key] = started.tasks[0]!.id;
  }
  setTestClock(at(10));
  await asMember(testDb(), t.org.id, staff.user.id, (trx) => setClockPaused(trx, staff, tasks.paused, true, { kind: "customer", reason: "بانتظار المستندات" }));
  await asMember(testDb(), t.org.id, staff.user.id, (trx) => completeTask(trx, staff, tasks.done, {}));
  setTestClock(null);
});

afterEach(() => setTestClock(null));

const board = (actor: CaseActor, minutes: number) => withTenant(testDb(), { orgId: t.org.id }, (trx) => slaDashboard(trx, actor, at(minutes), ZONE, 30));

describe("the SLA dashboard", () => {
  it("counts open items by status at an instant; a paused clock keeps its status and counts as paused", async () => {
    // The completed task's clock is closed; the paused one has 10 of 60 minutes counted.
    expect((await board(manager, 20)).totals).toEqual({ on_time: 2, at_risk: 0, breached: 0, paused: 1 });
    expect((await board(manager, 40)).totals).toEqual({ on_time: 1, at_risk: 1, breached: 0, paused: 1 });
    const later = await board(manager, 70);
    expect(later.totals).toEqual({ on_time: 1, at_risk: 0, breached: 1, paused: 1 });
    expect(later.bySteps).toMatchObject([{ nodeId: "s1", step: { ar: "استلام الطلب" }, on_time: 1, breached: 1 }]);
    expect(later.byUnits).toMatchObject([{ unitId: null, on_time: 1, breached: 1 }]);
  });

  it("lists exactly the items behind a number", async () => {
    const list = (filter: Parameters<typeof listSlaItems>[4]) => withTenant(testDb(), { orgId: t.org.id }, (trx) => listSlaItems(trx, manager, at(70), ZONE, filter, { page: 1, pageSize: 25 }));
    const breached = await list({ status: "breached" });
    expect(breached.total).toBe(1);
    expect(breached.rows.map((r) => r.taskId)).toEqual([tasks.late]);
    expect((await list({ status: "paused" })).rows.map((r) => r.taskId)).toEqual([tasks.paused]);
    expect((await list({ nodeId: "s1", status: "on_time" })).rows.map((r) => r.taskId)).toEqual([tasks.paused]);
    expect((await list({ unitId: "none" })).total).toBe(2);
  });

  it("draws the breach trend from the ledger, per local day", async () => {
    await fireDueSla(testDb(), at(70), { orgId: t.org.id });
    const trend = (await board(manager, 70)).trend;
    expect(trend).toHaveLength(30);
    expect(trend.at(-1)).toEqual({ day: "2025-06-01", breaches: 1 });
    expect(trend.slice(0, -1).every((d) => d.breaches === 0)).toBe(true);
    const day = await withTenant(testDb(), { orgId: t.org.id }, (trx) => listSlaItems(trx, manager, at(70), ZONE, { day: "2025-06-01" }, { page: 1, pageSize: 25 }));
    expect(day.rows.map((r) => r.taskId)).toEqual([tasks.late]);
  });

  it("applies the member's read rules in the query", async () => {
    // A member who may read only the tasks assigned to them sees nothing until one is theirs.
    const own: CaseActor = { ...staff, ability: buildAbility([{ action: "read", subject: "Task", conditions: { assigneeUserId: staff.user.id } }]) };
    expect((await board(own, 70)).totals).toEqual({ on_time: 0, at_risk: 0, breached: 0, paused: 0 });
    await asMember(testDb(), t.org.id, staff.user.id, (trx) => claimTask(trx, staff, tasks.late));
    expect((await board(own, 70)).totals).toEqual({ on_time: 0, at_risk: 0, breached: 1, paused: 0 });
    const items = await withTenant(testDb(), { orgId: t.org.id }, (trx) => listSlaItems(trx, own, at(70), ZONE, {}, { page: 1, pageSize: 25 }));
    expect(items.rows.map((r) => r.taskId)).toEqual([tasks.late]);
  });
});
