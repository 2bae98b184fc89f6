import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { addWorkingTime } from "~/engine/calendar";
import { presetCalendar } from "~/engine/calendar-presets";
import type { CaseActor } from "~/models/case-access.server";
import { cancelCase } from "~/models/case-cancel.server";
import { verifyCaseEvents } from "~/models/case-events.server";
import { startCase } from "~/models/cases.server";
import { fireDueSla, processClock } from "~/models/sla-escalations.server";
import { setClockPaused } from "~/models/sla-pause.server";
import { createPolicy, type SlaPolicyInput } from "~/models/sla-policies.server";
import { claimTask, completeTask } from "~/models/tasks.server";
import { setTestClock } from "~/utils/clock.server";
import { withTenant, type Db } from "~/utils/db.server";
import { publishFixture, threeStepFlow } from "../fixtures/workflows";
import { actorFor, asMember, dedicatedDb } from "./engine-helpers";
import { makeOrg, testDb, type TestOrg } from "./helpers";

// SLA clocks against a real database, with the SLA clock frozen at chosen instants. The
// organisation keeps the default calendar: Sunday–Thursday 07:30–14:30 in Riyadh (a
// Friday–Saturday weekend, 7 working hours a day).

const riyadh = (iso: string) => new Date(`${iso}+03:00`);
const H = 3_600_000;
const SUNDAY_0900 = riyadh("2025-03-02T09:00:00");
// 48 working hours from Sunday 09:00: Sun 5.5 h, Mon–Thu 28 h, (weekend), Sun 7 h, Mon 7 h, Tue 0.5 h.
const BREACH = riyadh("2025-03-11T08:00:00");

let t: TestOrg;
let staff: CaseActor;
let definitionId: string;

function policy(over: Partial<SlaPolicyInput> = {}): SlaPolicyInput {
  return {
    nameAr: "الرد على الشكوى خلال 48 ساعة عمل",
    nameEn: "Answer the complaint within 48 working hours",
    scope: "step",
    nodeId: "s1",
    condition: null,
    responseMinutes: null,
    resolutionMinutes: 48 * 60,
    warnPercents: [50, 75],
    levels: [
      { afterMinutes: 0, assignee: { type: "role", roleKey: "manager" }, actions: ["notify"] },
      { afterMinutes: 4 * 60, assignee: { type: "role", roleKey: "admin" }, actions: ["notify", "raise_priority"] },
      { afterMinutes: 8 * 60, assignee: { type: "user", userId: t.manager.id }, actions: ["notify", "reassign"] },
    ],
    active: true,
    ...over,
  };
}

beforeAll(async () => {
  t = await makeOrg(testDb(), { calendar: "default" });
  staff = await actorFor(t.org.id, t.staff.id);
  ({ definitionId } = await publishFixture(testDb(), t.org.id, threeStepFlow("complaint-sla")));
  const actor = { orgId: t.org.id, actorUserId: t.admin.id, actorLabel: "test", requestId: null, ip: null };
  const created = await withTenant(testDb(), { orgId: t.org.id, userId: t.admin.id }, (trx) => createPolicy(trx, actor, definitionId, policy()));
  expect(created.ok).toBe(true);
});

afterEach(() => setTestClock(null));

async function startAt(at: Date, data: Record<string, unknown> = {}) {
  setTestClock(at);
  const started = await asMember(testDb(), t.org.id, staff.user.id, (trx) => startCase(trx, staff, { definitionKey: "complaint-sla", data: { complainant: "سالم", ...data } }));
  const task = started.tasks[0]!;
  const clock = await withTenant(testDb(), { orgId: t.org.id }, (trx) => trx.selectFrom("deadline_clocks").selectAll().where("task_id", "=", task.id).executeTakeFirstOrThrow());
  return { caseId: started.caseId, taskId: task.id, clock };
}

async function state(caseId: string, clockId: string) {
  return withTenant(testDb(), { orgId: t.org.id }, async (trx) => ({
    firings: (await trx.selectFrom("deadline_firings").select(["milestone", "due_at", "announced"]).where("clock_id", "=", clockId).orderBy("due_at").orderBy("milestone").execute()),
    events: await trx.selectFrom("case_events").select(["type", "payload"]).where("case_id", "=", caseId).where("type", "like", "sla_%").orderBy("seq").execute(),
    notes: await trx.selectFrom("notifications").select(["user_id", "kind", "params", "dedupe_key"]).where("dedupe_key", "like", `sla:${clockId}:%`).orderBy("created_at").orderBy("dedupe_key").execute(),
    ledger: await trx.selectFrom("deadline_breaches").selectAll().where("clock_id", "=", clockId).execute(),
    clock: await trx.selectFrom("deadline_clocks").selectAll().where("id", "=", clockId).executeTakeFirstOrThrow(),
    task: await trx.selectFrom("tasks").select(["priority", "assignee_user_id"]).where("case_id", "=", caseId).where("node_id", "=", "s1").executeTakeFirstOrThrow(),
  }));
}

/** Sweeps the organisation at `now` (SLA time) and returns what fired on this clock. */
const fire = async (now: Date, clockId: string, db: Db = testDb()) => (await fireDueSla(db, now, { orgId: t.org.id })).filter((k) => k.startsWith(`${clockId}:`));

describe("an SLA breach on a Friday–Saturday calendar", () => {
  it("starts the clock with the task and computes the deadline in working hours", async () => {
    const { clock } = await startAt(SUNDAY_0900);
    expect(clock.started_at).toEqual(SUNDAY_0900);
    expect(clock.resolution_due_at).toEqual(BREACH);
    expect(clock.resolution_risk_at).toEqual(addWorkingTime(SUNDAY_0900, 24 * H, presetCalendar("sa", "Asia/Riyadh")));
    expect(clock.next_due_at).toEqual(clock.resolution_risk_at);
  });

  it("fires level 1 at the breach, level 2 four working hours later, each exactly once", async () => {
    const { caseId, clock } = await startAt(SUNDAY_0900);
    expect(await fire(new Date(BREACH.getTime() - 1), clock.id)).toEqual([`${clock.id}:warning:resolution:50`, `${clock.id}:warning:resolution:75`]);

    expect(await fire(BREACH, clock.id)).toEqual([`${clock.id}:breach:resolution:0`, `${clock.id}:escalation:resolution:1`]);
    let s = await state(caseId, clock.id);
    expect(s.ledger).toMatchObject([{ target: "resolution", due_at: BREACH, actual_at: null, level_reached: 1, policy_name_ar: "الرد على الشكوى خلال 48 ساعة عمل" }]);
    expect(s.clock.breached_at).toEqual(BREACH);
    // Level 2 is four working hours after the breach: Tuesday 12:00.
    expect(s.clock.next_due_at).toEqual(riyadh("2025-03-11T12:00:00"));
    expect(s.notes.filter((n) => n.kind === "sla.escalated").map((n) => n.user_id)).toEqual([t.manager.id]);
    expect(s.notes.find((n) => n.kind === "sla.escalated")?.params).toMatchObject({ level: 1, task_ar: "استلام الطلب" });

    expect(await fire(riyadh("2025-03-11T11:59:59"), clock.id)).toEqual([]);
    expect(await fire(riyadh("2025-03-11T12:00:00"), clock.id)).toEqual([`${clock.id}:escalation:resolution:2`]);
    expect(await fire(riyadh("2025-03-11T12:00:00"), clock.id)).toEqual([]);
    s = await state(caseId, clock.id);
    expect(s.task.priority).toBe("high");
    expect(s.ledger[0]!.level_reached).toBe(2);
    expect(s.firings.map((f) => f.milestone)).toEqual(["warning:resolution:50", "warning:resolution:75", "breach:resolution:0", "escalation:resolution:1", "escalation:resolution:2"]);
    expect(s.events.map((e) => e.type)).toEqual(["sla_warning", "sla_warning", "sla_breached", "sla_escalated", "sla_escalated"]);
    expect(s.events.at(-1)!.payload).toMatchObject({ level: 2, of: 3, changes: [{ priority: { before: "normal", after: "high" } }] });
    expect(s.notes.filter((n) => n.kind === "sla.escalated").map((n) => n.user_id)).toEqual([t.manager.id, t.admin.id]);

    // Level 3 (eight working hours later, Wednesday 13:00) hands the task to the manager.
    expect(await fire(riyadh("2025-03-12T13:00:00"), clock.id)).toEqual([`${clock.id}:escalation:resolution:3`]);
    s = await state(caseId, clock.id);
    expect(s.task.assignee_user_id).toBe(t.manager.id);
    expect(s.clock.next_due_at).toBeNull();
    expect((await withTenant(testDb(), { orgId: t.org.id }, (trx) => verifyCaseEvents(trx, t.org.id, caseId))).broken).toBeNull();
  });

  it("a late sweep fires every level in order and warns nobody about what is already breached", async () => {
    const { caseId, clock } = await startAt(SUNDAY_0900);
    expect(await fire(riyadh("2025-03-20T09:00:00"), clock.id)).toHaveLength(6);
    const s = await state(caseId, clock.id);
    expect(s.firings.filter((f) => !f.announced).map((f) => f.milestone)).toEqual(["warning:resolution:50", "warning:resolution:75"]);
    expect(s.notes.map((n) => n.kind)).not.toContain("sla.warning");
    expect(s.events.map((e) => e.type)).toEqual(["sla_breached", "sla_escalated", "sla_escalated", "sla_escalated"]);
  });

  it("two processes firing at the same moment fire each milestone once and notify each person once", async () => {
    const { caseId, clock } = await startAt(SUNDAY_0900);
    const [a, b] = [dedicatedDb(4), dedicatedDb(4)];
    try {
      const results = await Promise.all([fire(BREACH, clock.id, a), fire(BREACH, clock.id, b), processClock(a, t.org.id, clock.id, BREACH), processClock(b, t.org.id, clock.id, BREACH)]);
      const fired = [...results[0], ...results[1], ...results[2].fired.map((k) => `${clock.id}:${k}`), ...results[3].fired.map((k) => `${clock.id}:${k}`)];
      expect(fired.sort()).toEqual([`${clock.id}:breach:resolution:0`, `${clock.id}:escalation:resolution:1`, `${clock.id}:warning:resolution:50`, `${clock.id}:warning:resolution:75`].sort());
    } finally {
      await a.destroy();
      await b.destroy();
    }
    const s = await state(caseId, clock.id);
    expect(s.notes.filter((n) => n.kind === "sla.escalated")).toHaveLength(1);
    expect(s.events.filter((e) => e.type === "sla_escalated")).toHaveLength(1);
  });
});

describe("pause and resume", () => {
  it("moves the deadline by exactly the paused working time and logs both on the timeline", async () => {
    const { caseId, taskId, clock } = await startAt(SUNDAY_0900);
    setTestClock(riyadh("2025-03-03T10:00:00"));
    const paused = await asMember(testDb(), t.org.id, staff.user.id, (trx) => setClockPaused(trx, staff, taskId, true, { kind: "customer", reason: "بانتظار صورة الهوية من المتعامل" }));
    expect(paused.resolutionDueAt).toBeNull();
    // Nothing fires while the clock is paused, however late it gets.
    expect(await fire(riyadh("2025-04-30T10:00:00"), clock.id)).toEqual([]);
    setTestClock(riyadh("2025-03-05T11:30:00"));
    const resumed = await asMember(testDb(), t.org.id, staff.user.id, (trx) => setClockPaused(trx, staff, taskId, false, { kind: "customer", reason: "" }));
    // Paused Mon 10:00–14:30, Tue 07:30–14:30, Wed 07:30–11:30: 15.5 working hours.
    expect(resumed.resolutionDueAt).toEqual(addWorkingTime(BREACH, 15.5 * H, presetCalendar("sa", "Asia/Riyadh")));
    expect(resumed.resolutionDueAt).toEqual(riyadh("2025-03-13T09:30:00"));
    const s = await state(caseId, clock.id);
    expect(s.clock.resolution_due_at).toEqual(riyadh("2025-03-13T09:30:00"));
    expect(s.events.map((e) => e.type)).toEqual(["sla_paused", "sla_resumed"]);
    expect(s.events[0]!.payload).toMatchObject({ kind: "customer", reason: "بانتظار صورة الهوية من المتعامل" });
    expect(s.events[1]!.payload).toMatchObject({ pausedWorkingMinutes: 15.5 * 60, resolutionDueAt: "2025-03-13T06:30:00.000Z" });
    expect(await fire(new Date(riyadh("2025-03-13T09:30:00").getTime() - 1), clock.id)).not.toContain(`${clock.id}:breach:resolution:0`);
    expect(await fire(riyadh("2025-03-13T09:30:00"), clock.id)).toContain(`${clock.id}:breach:resolution:0`);
  });

  it("refuses a pause without a reason, and a second pause", async () => {
    const { taskId } = await startAt(SUNDAY_0900);
    await expect(asMember(testDb(), t.org.id, staff.user.id, (trx) => setClockPaused(trx, staff, taskId, true, { kind: "agency", reason: "  " }))).rejects.toMatchObject({ status: 400 });
    await asMember(testDb(), t.org.id, staff.user.id, (trx) => setClockPaused(trx, staff, taskId, true, { kind: "agency", reason: "بانتظار رد وزارة الداخلية" }));
    await expect(asMember(testDb(), t.org.id, staff.user.id, (trx) => setClockPaused(trx, staff, taskId, true, { kind: "agency", reason: "مرة أخرى" }))).rejects.toMatchObject({ code: "sla_already_paused" });
  });
});

describe("clocks stop with their task", () => {
  it("completing on time stops the clock with nothing in the ledger", async () => {
    const { caseId, taskId, clock } = await startAt(SUNDAY_0900);
    setTestClock(riyadh("2025-03-03T09:00:00"));
    await asMember(testDb(), t.org.id, staff.user.id, (trx) => completeTask(trx, staff, taskId, {}));
    const s = await state(caseId, clock.id);
    expect(s.clock).toMatchObject({ stopped_at: riyadh("2025-03-03T09:00:00"), stop_reason: "completed", next_due_at: null, breached_at: null });
    expect(s.ledger).toEqual([]);
    expect(await fire(riyadh("2025-05-01T09:00:00"), clock.id)).toEqual([]);
  });

  it("a breach the sweep never saw still reaches the ledger, with the actual time", async () => {
    const { caseId, taskId, clock } = await startAt(SUNDAY_0900);
    setTestClock(riyadh("2025-03-11T10:00:00"));
    await asMember(testDb(), t.org.id, staff.user.id, async (trx) => {
      await claimTask(trx, staff, taskId);
      await completeTask(trx, staff, taskId, {});
    });
    const s = await state(caseId, clock.id);
    expect(s.clock.breached_at).toEqual(BREACH);
    expect(s.ledger).toMatchObject([{ target: "resolution", due_at: BREACH, actual_at: riyadh("2025-03-11T10:00:00"), level_reached: 0 }]);
  });

  it("a cancelled case stops its clocks; a ledger entry gets its actual time", async () => {
    const { caseId, clock } = await startAt(SUNDAY_0900);
    await fire(BREACH, clock.id);
    setTestClock(riyadh("2025-03-11T09:00:00"));
    const manager = await actorFor(t.org.id, t.manager.id);
    await asMember(testDb(), t.org.id, manager.user.id, (trx) => cancelCase(trx, manager, caseId, { reason: "سحب المتعامل شكواه" }));
    const s = await state(caseId, clock.id);
    expect(s.clock.stop_reason).toBe("cancelled");
    expect(s.ledger[0]!.actual_at).toEqual(riyadh("2025-03-11T09:00:00"));
  });
});

describe("the sweep's safety net", () => {
  it("stops a clock whose task ended by another path, as of when it ended: no false breach", async () => {
    const { caseId, taskId, clock } = await startAt(SUNDAY_0900);
    setTestClock(null); // SLA time of a real instant is the instant itself again
    // As a version migration does: the task row changes without the case runner's flush.
    await withTenant(testDb(), { orgId: t.org.id }, (trx) =>
      trx.updateTable("tasks").set({ status: "completed", completed_at: riyadh("2025-03-03T09:00:00") }).where("id", "=", taskId).execute(),
    );
    expect(await fire(riyadh("2025-03-20T09:00:00"), clock.id)).toEqual([]);
    const s = await state(caseId, clock.id);
    expect(s.clock).toMatchObject({ stop_reason: "completed", stopped_at: riyadh("2025-03-03T09:00:00"), breached_at: null, next_due_at: null });
    expect(s.ledger).toEqual([]);
    expect(s.firings).toEqual([]);
  });
});

describe("which policy applies", () => {
  it("a condition on the case data picks the tighter policy", async () => {
    const actor = { orgId: t.org.id, actorUserId: t.admin.id, actorLabel: "test", requestId: null, ip: null };
    const { definitionId: other } = await publishFixture(testDb(), t.org.id, threeStepFlow("urgent-sla"));
    await withTenant(testDb(), { orgId: t.org.id, userId: t.admin.id }, async (trx) => {
      expect((await createPolicy(trx, actor, other, policy({ scope: "every_step", nodeId: null, resolutionMinutes: 72 * 60 }))).ok).toBe(true);
      expect((await createPolicy(trx, actor, other, policy({ scope: "every_step", nodeId: null, condition: 'priority = "urgent"', resolutionMinutes: 8 * 60, nameAr: "عاجل", nameEn: "Urgent" }))).ok).toBe(true);
    });
    setTestClock(SUNDAY_0900);
    const start = (data: Record<string, unknown>) => asMember(testDb(), t.org.id, staff.user.id, (trx) => startCase(trx, staff, { definitionKey: "urgent-sla", data }));
    const [normal, urgent] = [await start({ priority: "normal" }), await start({ priority: "urgent" })];
    const terms = await withTenant(testDb(), { orgId: t.org.id }, (trx) =>
      trx.selectFrom("deadline_clocks").select(["case_id", "terms"]).where("case_id", "in", [normal.caseId, urgent.caseId]).execute(),
    );
    expect(terms.find((r) => r.case_id === normal.caseId)?.terms).toMatchObject({ resolutionMinutes: 72 * 60 });
    expect(terms.find((r) => r.case_id === urgent.caseId)?.terms).toMatchObject({ resolutionMinutes: 8 * 60, name: { ar: "عاجل" } });
  });
});

afterAll(() => setTestClock(null));
