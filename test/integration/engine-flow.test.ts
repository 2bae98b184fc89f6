import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { registerActionExecutor, unregisterActionExecutor } from "~/models/action-executors.server";
import { ConflictError, ForbiddenError, ValidationError } from "~/models/case-errors";
import { verifyCaseEvents } from "~/models/case-events.server";
import { fireDueTimers } from "~/models/case-timers.server";
import { addComment, getCase, startCase } from "~/models/cases.server";
import { retryIncident } from "~/models/incidents.server";
import { claimTask, completeTask, delegateTask, listInbox, reassignTask, unclaimTask } from "~/models/tasks.server";
import type { CaseActor } from "~/models/case-access.server";
import { withTenant } from "~/utils/db.server";
import { actionFlow, childFlow, fullFlow, gateFlow, publishFixture, threeStepFlow } from "../fixtures/workflows";
import { actorFor, addMembers, asMember } from "./engine-helpers";
import { makeOrg, testDb, type TestOrg } from "./helpers";

// A definition with a decision, a parallel split/join, a timer and a subprocess runs to the
// end; lanes decide who may act; gates, actions, claims and comments do what they say.

const db = () => testDb();
const act = <T>(a: CaseActor, fn: (trx: import("~/utils/db.server").Tx) => Promise<T>) => asMember(db(), a.org.id, a.user.id, fn);

async function eventsOf(orgId: string, caseId: string) {
  return withTenant(db(), { orgId }, (trx) =>
    trx.selectFrom("case_events").select(["seq", "type", "node_id", "task_id", "actor_user_id", "payload"]).where("org_id", "=", orgId).where("case_id", "=", caseId).orderBy("seq").execute(),
  );
}

async function caseRow(orgId: string, caseId: string) {
  return withTenant(db(), { orgId }, (trx) => trx.selectFrom("cases").selectAll().where("org_id", "=", orgId).where("id", "=", caseId).executeTakeFirstOrThrow());
}

async function openTasks(orgId: string, caseId: string) {
  return withTenant(db(), { orgId }, (trx) =>
    trx.selectFrom("tasks").selectAll().where("org_id", "=", orgId).where("case_id", "=", caseId).where("status", "=", "open").orderBy("created_at").execute(),
  );
}

let t: TestOrg;
let staff: CaseActor;
let manager: CaseActor;
let unitAStaff: CaseActor;

beforeAll(async () => {
  t = await makeOrg();
  await publishFixture(db(), t.org.id, childFlow());
  await publishFixture(db(), t.org.id, fullFlow());
  await publishFixture(db(), t.org.id, threeStepFlow());
  await publishFixture(db(), t.org.id, gateFlow());
  staff = await actorFor(t.org.id, t.staff.id);
  manager = await actorFor(t.org.id, t.manager.id);
  const [member] = await addMembers(t, 1, "staff", t.units.a);
  unitAStaff = await actorFor(t.org.id, member!.id);
});

describe("a case through decision, parallel split/join, timer and subprocess", () => {
  it("runs to completion, each step creating the next lane's task", async () => {
    const started = await act(staff, (trx) => startCase(trx, staff, { definitionKey: "social-aid", data: { amount: 5000, applicant: "سارة أحمد" }, title: "طلب سارة" }));
    expect(started.reference).toMatch(/^\d{4}-\d{6}$/);
    expect(started.status).toBe("running");
    expect(started.tasks.map((x) => x.nodeId)).toEqual(["intake"]);
    const [intake] = await openTasks(t.org.id, started.caseId);
    expect(intake!.candidate_role_id).toBe(t.roles.staff);
    expect(intake!.candidate_unit_id).toBeNull();
    expect(intake!.due_at!.getTime() - intake!.created_at.getTime()).toBe(2 * 24 * 3600 * 1000);

    // Staff sees it among "my groups' tasks"; the manager (not in the staff lane) does not.
    const inbox = await act(staff, (trx) => listInbox(trx, staff, { page: 1, pageSize: 25, sort: "due", q: "", filter: "groups" }));
    expect(inbox.rows.map((r) => r.id)).toContain(intake!.id);
    const managerInbox = await act(manager, (trx) => listInbox(trx, manager, { page: 1, pageSize: 25, sort: "due", q: "", filter: "all" }));
    expect(managerInbox.rows.map((r) => r.id)).not.toContain(intake!.id);

    // amount > 1000 → split: the unit-A check and the one-hour timer.
    const afterIntake = await act(staff, (trx) => completeTask(trx, staff, intake!.id, { data: { intakeNote: "المستندات مكتملة" } }));
    expect(afterIntake.tasks.map((x) => x.nodeId)).toEqual(["check"]);
    const [check] = await openTasks(t.org.id, started.caseId);
    expect(check!.candidate_unit_id).toBe(t.units.a);
    const timers = await withTenant(db(), { orgId: t.org.id }, (trx) => trx.selectFrom("case_timers").selectAll().where("case_id", "=", started.caseId).execute());
    expect(timers).toHaveLength(1);
    expect(timers[0]!.fired_at).toBeNull();

    // Staff of unit B is no candidate for a unit-A step.
    await expect(act(staff, (trx) => completeTask(trx, staff, check!.id, { data: {} }))).rejects.toMatchObject({ code: "forbidden", reason: "not_candidate" });
    await act(unitAStaff, (trx) => completeTask(trx, unitAStaff, check!.id, { data: { documentsOk: true } }));
    expect((await caseRow(t.org.id, started.caseId)).status).toBe("running");
    expect(await openTasks(t.org.id, started.caseId)).toHaveLength(0);

    // The timer fires (a clock two hours ahead instead of waiting): the join completes and
    // the sub-case starts with its own task.
    await fireDueTimers(db(), new Date(Date.now() + 2 * 3600 * 1000), { orgId: t.org.id });
    const children = await withTenant(db(), { orgId: t.org.id }, (trx) => trx.selectFrom("cases").selectAll().where("parent_case_id", "=", started.caseId).execute());
    expect(children).toHaveLength(1);
    const child = children[0]!;
    expect(child.data).toMatchObject({ amount: 5000, intakeNote: "المستندات مكتملة", documentsOk: true });
    const [visit] = await openTasks(t.org.id, child.id);
    expect(visit!.node_id).toBe("visit");

    // Completing the sub-case's only task ends it and moves the parent on, in one transaction.
    const afterVisit = await act(staff, (trx) => completeTask(trx, staff, visit!.id, { data: { visitReport: "تمت الزيارة" } }));
    expect(afterVisit.tasks.map((x) => [x.caseId, x.nodeId])).toEqual([[started.caseId, "approve"]]);
    expect((await caseRow(t.org.id, child.id)).status).toBe("completed");
    const [approve] = await openTasks(t.org.id, started.caseId);
    expect(approve!.candidate_role_id).toBe(t.roles.manager);

    const done = await act(manager, (trx) => completeTask(trx, manager, approve!.id, { data: { approved: true } }));
    expect(done.caseStatus).toBe("completed");
    const final = await caseRow(t.org.id, started.caseId);
    expect(final.status).toBe("completed");
    expect(final.completed_at).not.toBeNull();
    expect(final.data).toMatchObject({ amount: 5000, visitReport: "تمت الزيارة", approved: true });
    expect(final.state).toMatchObject({ status: "completed", tokens: [] });

    const types = (await eventsOf(t.org.id, started.caseId)).map((e) => e.type);
    for (const type of ["started", "task_created", "task_completed", "token_moved", "timer_scheduled", "timer_fired", "subprocess_started", "subprocess_completed", "completed"]) {
      expect(types).toContain(type);
    }
    expect(types[0]).toBe("started");
    expect(types.at(-1)).toBe("completed");
    expect(await withTenant(db(), { orgId: t.org.id }, (trx) => verifyCaseEvents(trx, t.org.id, started.caseId))).toEqual({ entries: types.length, broken: null });
    expect((await withTenant(db(), { orgId: t.org.id }, (trx) => verifyCaseEvents(trx, t.org.id, child.id))).broken).toBeNull();

    const detail = await act(staff, (trx) => getCase(trx, staff, started.reference));
    expect(detail.id).toBe(started.caseId);
    expect(detail.children).toEqual([{ id: child.id, reference: child.reference, status: "completed" }]);
    expect(detail.tasks.map((x) => x.nodeId)).toEqual(["intake", "check", "approve"]);
    expect(detail.events.map((e) => e.type)).toEqual(types);
  });

  it("takes the default edge when no condition holds", async () => {
    const started = await act(staff, (trx) => startCase(trx, staff, { definitionKey: "social-aid", data: { amount: 200 } }));
    const result = await act(staff, (trx) => completeTask(trx, staff, started.tasks[0]!.id, { data: {} }));
    expect(result.tasks.map((x) => x.nodeId)).toEqual(["approve"]);
  });

  it("numbers cases per organisation and year without gaps", async () => {
    const a = await act(staff, (trx) => startCase(trx, staff, { definitionKey: "three-steps", data: {} }));
    const b = await act(staff, (trx) => startCase(trx, staff, { definitionKey: "three-steps", data: {} }));
    expect(Number(b.reference.slice(5))).toBe(Number(a.reference.slice(5)) + 1);
  });

  it("refuses data that is not an object and unknown definitions", async () => {
    await expect(act(staff, (trx) => startCase(trx, staff, { definitionKey: "three-steps", data: [1, 2] }))).rejects.toBeInstanceOf(ValidationError);
    await expect(act(staff, (trx) => startCase(trx, staff, { definitionKey: "no-such-flow", data: {} }))).rejects.toMatchObject({ status: 404, subject: "Definition" });
  });
});

describe("gates, actions, claims and comments", () => {
  it("a gate is decided by its approver role with go / no-go / rework", async () => {
    const started = await act(staff, (trx) => startCase(trx, staff, { definitionKey: "stage-gate", data: {} }));
    const gate = (await act(staff, (trx) => completeTask(trx, staff, started.tasks[0]!.id, { data: { file: "v1" } }))).tasks[0]!;
    expect(gate.kind).toBe("gate");
    await expect(act(staff, (trx) => completeTask(trx, staff, gate.id, { outcome: "go" }))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(act(manager, (trx) => completeTask(trx, manager, gate.id, {}))).rejects.toMatchObject({ code: "invalid", issues: [{ code: "invalid_outcome" }] });
    const rework = await act(manager, (trx) => completeTask(trx, manager, gate.id, { outcome: "rework" }));
    expect(rework.tasks.map((x) => x.nodeId)).toEqual(["prepare"]);
    const again = (await act(staff, (trx) => completeTask(trx, staff, rework.tasks[0]!.id, { data: { file: "v2" } }))).tasks[0]!;
    const go = await act(manager, (trx) => completeTask(trx, manager, again.id, { outcome: "go" }));
    expect(go.caseStatus).toBe("completed");
  });

  it("an action runs its registered executor inside the case's transaction; a failing one becomes a retryable incident", async () => {
    const org = await makeOrg();
    await publishFixture(db(), org.org.id, actionFlow("auto-notice", "notices.send"));
    const orgStaff = await actorFor(org.org.id, org.staff.id);
    const admin = await actorFor(org.org.id, org.admin.id);
    let fail = true;
    registerActionExecutor("notices.send", async ({ trx, caseId, config }) => {
      // A write that must disappear when the executor fails.
      await trx.insertInto("case_comments").values({ org_id: org.org.id, case_id: caseId, author_user_id: org.admin.id, body: "written by the action" }).execute();
      if (fail) throw new Error("mail server unreachable");
      return { noticeSent: config.template };
    });
    try {
      const started = await act(orgStaff, (trx) => startCase(trx, orgStaff, { definitionKey: "auto-notice", data: {} }));
      expect(started.status).toBe("incident");
      const incidents = await withTenant(db(), { orgId: org.org.id }, (trx) => trx.selectFrom("incidents").selectAll().where("case_id", "=", started.caseId).execute());
      expect(incidents.map((i) => [i.reason, i.detail, i.status])).toEqual([["action_failed", "mail server unreachable", "open"]]);
      const comments = await withTenant(db(), { orgId: org.org.id }, (trx) => trx.selectFrom("case_comments").select("id").where("case_id", "=", started.caseId).execute());
      expect(comments).toHaveLength(0);

      fail = false;
      const retried = await act(admin, (trx) => retryIncident(trx, admin, incidents[0]!.id));
      expect(retried.caseStatus).toBe("running");
      expect(retried.tasks.map((x) => x.nodeId)).toEqual(["after"]);
      expect((await caseRow(org.org.id, started.caseId)).data).toEqual({ noticeSent: "welcome" });
    } finally {
      unregisterActionExecutor("notices.send");
    }
  });

  it("an action type nobody registered is an incident, not a crash", async () => {
    const org = await makeOrg();
    await publishFixture(db(), org.org.id, actionFlow("auto-sms", "sms.send"));
    const orgStaff = await actorFor(org.org.id, org.staff.id);
    const started = await act(orgStaff, (trx) => startCase(trx, orgStaff, { definitionKey: "auto-sms", data: {} }));
    expect(started.status).toBe("incident");
    const types = (await eventsOf(org.org.id, started.caseId)).map((e) => e.type);
    expect(types).toContain("incident_raised");
  });

  it("claim, unclaim, reassign and delegate move the assignee and are recorded", async () => {
    const [colleague] = await addMembers(t, 1, "staff", t.units.b);
    const outsider = (await addMembers(t, 1, "manager", t.units.a))[0]!;
    const started = await act(staff, (trx) => startCase(trx, staff, { definitionKey: "three-steps", data: {} }));
    const taskId = started.tasks[0]!.id;
    const claimed = await act(staff, (trx) => claimTask(trx, staff, taskId));
    expect(claimed.assigneeUserId).toBe(t.staff.id);
    // Claiming one's own task again changes nothing.
    expect((await act(staff, (trx) => claimTask(trx, staff, taskId))).rowVersion).toBe(claimed.rowVersion);
    const mine = await act(staff, (trx) => listInbox(trx, staff, { page: 1, pageSize: 100, sort: "created", q: "", filter: "mine" }));
    expect(mine.rows.map((r) => r.id)).toContain(taskId);
    expect(mine.counts.mine).toBeGreaterThanOrEqual(1);

    const colleagueActor = await actorFor(t.org.id, colleague!.id);
    await expect(act(colleagueActor, (trx) => completeTask(trx, colleagueActor, taskId, { data: {} }))).rejects.toMatchObject({
      code: "task_already_claimed",
      by: { id: t.staff.id },
    });
    // Reassigning to someone outside the lane needs "manage Task".
    await expect(act(staff, (trx) => reassignTask(trx, staff, taskId, { toUserId: outsider.id }))).rejects.toMatchObject({ reason: "target_not_candidate" });
    expect((await act(staff, (trx) => reassignTask(trx, staff, taskId, { toUserId: colleague!.id }))).assigneeUserId).toBe(colleague!.id);
    expect((await act(colleagueActor, (trx) => delegateTask(trx, colleagueActor, taskId, { toUserId: outsider.id }))).assigneeUserId).toBe(outsider.id);
    expect((await act(manager, (trx) => unclaimTask(trx, manager, taskId))).assigneeUserId).toBeNull();

    await act(staff, (trx) => addComment(trx, staff, started.caseId, "يرجى استكمال الهوية"));
    const types = (await eventsOf(t.org.id, started.caseId)).map((e) => e.type);
    expect(types.filter((x) => x.startsWith("task_") || x === "comment_added")).toEqual([
      "task_created",
      "task_claimed",
      "task_reassigned",
      "task_delegated",
      "task_unclaimed",
      "comment_added",
    ]);
    const detail = await act(staff, (trx) => getCase(trx, staff, started.caseId));
    expect(detail.comments.map((c) => c.body)).toEqual(["يرجى استكمال الهوية"]);
    expect(detail.tasks[0]!.actions).toEqual({ claim: true, unclaim: false, complete: true, reassign: false, delegate: false });
  });

  it("a stale expectedRowVersion is a conflict, and a completed task says who completed it", async () => {
    const started = await act(staff, (trx) => startCase(trx, staff, { definitionKey: "three-steps", data: {} }));
    const taskId = started.tasks[0]!.id;
    await act(staff, (trx) => claimTask(trx, staff, taskId));
    await expect(act(staff, (trx) => completeTask(trx, staff, taskId, { data: {}, expectedRowVersion: 1 }))).rejects.toMatchObject({ code: "task_changed" });
    await act(staff, (trx) => completeTask(trx, staff, taskId, { data: { a: 1 }, expectedRowVersion: 2 }));
    const error = await act(manager, (trx) => completeTask(trx, manager, taskId, { data: {} })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    const completedAt = (await withTenant(db(), { orgId: t.org.id }, (trx) => sql<{ at: Date }>`SELECT completed_at AS at FROM tasks WHERE id = ${taskId}`.execute(trx))).rows[0]!.at;
    expect((error as ConflictError).toJSON()).toEqual({ code: "task_already_completed", by: { id: t.staff.id, name: expect.any(String) }, at: completedAt.toISOString() });
  });
});
