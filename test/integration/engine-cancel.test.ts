import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { definitionGraph } from "~/engine/definition";
import type { CaseActor } from "~/models/case-access.server";
import { cancelCase } from "~/models/case-cancel.server";
import { ConflictError, ForbiddenError, ValidationError } from "~/models/case-errors";
import { MAX_SUBPROCESS_NESTING } from "~/models/case-runner.server";
import { fireTimer } from "~/models/case-timers.server";
import { startCase } from "~/models/cases.server";
import { retryIncident } from "~/models/incidents.server";
import { completeTask, listInbox, reassignTask } from "~/models/tasks.server";
import { withTenant, type Tx } from "~/utils/db.server";
import { childFlow, fullFlow, publishFixture } from "../fixtures/workflows";
import { actorFor, asMember } from "./engine-helpers";
import { makeOrg, testDb, type TestOrg } from "./helpers";

// Cancelling a case ends it with a reason, in one transaction: open tasks leave every inbox,
// pending timers never fire, open incidents close, running sub-cases are cancelled with it,
// and a sub-case cancelled on its own puts its parent's waiting step into an incident.

let t: TestOrg;
let staff: CaseActor;
let manager: CaseActor;
const act = <T>(a: CaseActor, fn: (trx: Tx) => Promise<T>) => asMember(testDb(), a.org.id, a.user.id, fn);

beforeAll(async () => {
  t = await makeOrg();
  await publishFixture(testDb(), t.org.id, childFlow("field-visit"));
  await publishFixture(testDb(), t.org.id, fullFlow("social-aid", "field-visit"));
  staff = await actorFor(t.org.id, t.staff.id);
  manager = await actorFor(t.org.id, t.manager.id);
});

async function caseRow(id: string) {
  return withTenant(testDb(), { orgId: t.org.id }, async (trx) => ({
    kase: await trx.selectFrom("cases").select(["status", "state", "completed_at", "reference"]).where("org_id", "=", t.org.id).where("id", "=", id).executeTakeFirstOrThrow(),
    tasks: await trx.selectFrom("tasks").select(["id", "node_id", "status"]).where("org_id", "=", t.org.id).where("case_id", "=", id).orderBy("created_at").execute(),
    timers: await trx.selectFrom("case_timers").select(["id", "fired_at", "cancelled_at"]).where("org_id", "=", t.org.id).where("case_id", "=", id).execute(),
    incidents: await trx.selectFrom("incidents").select(["id", "status", "reason"]).where("org_id", "=", t.org.id).where("case_id", "=", id).execute(),
    events: await trx.selectFrom("case_events").select(["type", "payload"]).where("org_id", "=", t.org.id).where("case_id", "=", id).orderBy("seq").execute(),
    children: await trx.selectFrom("cases").select(["id", "status"]).where("org_id", "=", t.org.id).where("parent_case_id", "=", id).orderBy("started_at").execute(),
  }));
}

/** A social-aid case past intake: waiting at "check" (a task) and "wait" (a timer) in parallel. */
async function inParallelBranches() {
  const started = await act(staff, (trx) => startCase(trx, staff, { definitionKey: "social-aid", data: { amount: 5000 }, title: "طلب مساعدة" }));
  const done = await act(manager, (trx) => completeTask(trx, manager, started.tasks[0]!.id, { data: {} }));
  expect(done.tasks.map((x) => x.nodeId)).toEqual(["check"]);
  return { caseId: started.caseId, checkTaskId: done.tasks[0]!.id };
}

/** Past both branches: the field visit runs as a sub-case. */
async function waitingForSubCase() {
  const { caseId, checkTaskId } = await inParallelBranches();
  await act(manager, (trx) => completeTask(trx, manager, checkTaskId, { data: {} }));
  const timer = (await caseRow(caseId)).timers[0]!;
  expect(await fireTimer(testDb(), t.org.id, timer.id, new Date(Date.now() + 2 * 3600_000))).toBe("fired");
  const after = await caseRow(caseId);
  expect(after.children).toHaveLength(1);
  return { caseId, childId: after.children[0]!.id };
}

describe("cancelling a case", () => {
  it("cancels its open tasks and pending timers, records the reason, and nothing fires or completes afterwards", async () => {
    const { caseId, checkTaskId } = await inParallelBranches();
    const result = await act(manager, (trx) => cancelCase(trx, manager, caseId, { reason: "طلب المتعامل إلغاء الطلب" }));
    const after = await caseRow(caseId);
    expect(result.cancelled).toEqual([after.kase.reference]);
    expect(after.kase.status).toBe("cancelled");
    expect(after.kase.state).toEqual({ status: "cancelled", tokens: [], joins: {} });
    expect(after.kase.completed_at).not.toBeNull();
    expect(after.tasks.find((x) => x.id === checkTaskId)?.status).toBe("cancelled");
    expect(after.tasks.filter((x) => x.status === "open")).toEqual([]);
    expect(after.timers).toHaveLength(1);
    expect(after.timers[0]!.cancelled_at).not.toBeNull();
    const event = after.events.at(-1)!;
    expect(event.type).toBe("cancelled");
    expect(event.payload).toMatchObject({ reason: "طلب المتعامل إلغاء الطلب", cancelledTasks: [checkTaskId], cancelledTimers: [after.timers[0]!.id] });

    // The timer's job may still arrive: it finds the timer cancelled and does nothing.
    expect(await fireTimer(testDb(), t.org.id, after.timers[0]!.id, new Date(Date.now() + 2 * 3600_000))).toBe("already_fired");
    // The task left the inbox, and completing it is a conflict, not a crash.
    const inbox = await act(manager, (trx) => listInbox(trx, { org: { id: t.org.id }, user: { id: manager.user.id }, unitId: manager.unitId, ability: manager.ability }, { filter: "all", sort: "due", page: 1, pageSize: 100, q: "" }));
    expect(inbox.rows.map((r) => r.id)).not.toContain(checkTaskId);
    await expect(act(manager, (trx) => completeTask(trx, manager, checkTaskId, { data: {} }))).rejects.toBeInstanceOf(ConflictError);
    expect((await caseRow(caseId)).events.at(-1)!.type).toBe("cancelled");
  });

  it("cancels running sub-cases with their parent", async () => {
    const { caseId, childId } = await waitingForSubCase();
    const result = await act(manager, (trx) => cancelCase(trx, manager, caseId, { reason: "إغلاق إداري" }));
    expect(result.cancelled).toHaveLength(2);
    const child = await caseRow(childId);
    expect(child.kase.status).toBe("cancelled");
    expect(child.tasks.every((x) => x.status === "cancelled")).toBe(true);
    expect(child.events.at(-1)!.payload).toMatchObject({ byParentCase: result.reference });
  });

  it("a sub-case cancelled on its own leaves the parent in a visible incident; retrying starts a new sub-case", async () => {
    const { caseId, childId } = await waitingForSubCase();
    await act(manager, (trx) => cancelCase(trx, manager, childId, { reason: "زيارة غير لازمة" }));
    const parent = await caseRow(caseId);
    expect(parent.kase.status).toBe("incident");
    const incident = parent.incidents.find((i) => i.status === "open");
    expect(incident?.reason).toBe("subprocess_cancelled");
    await act(manager, (trx) => retryIncident(trx, manager, incident!.id));
    const retried = await caseRow(caseId);
    expect(retried.kase.status).toBe("running");
    // (The first sub-case started at the timer's firing time, two hours ahead: compare as a set.)
    expect(retried.children.map((c) => c.status).sort()).toEqual(["cancelled", "running"]);
  });

  it("refuses without a reason, without the right, or when the case already ended — changing nothing", async () => {
    const { caseId } = await inParallelBranches();
    await expect(act(manager, (trx) => cancelCase(trx, manager, caseId, { reason: "   " }))).rejects.toBeInstanceOf(ValidationError);
    await expect(act(staff, (trx) => cancelCase(trx, staff, caseId, { reason: "لا أملك الصلاحية" }))).rejects.toBeInstanceOf(ForbiddenError);
    expect((await caseRow(caseId)).kase.status).toBe("running");
    await act(manager, (trx) => cancelCase(trx, manager, caseId, { reason: "مرة أولى" }));
    const again = act(manager, (trx) => cancelCase(trx, manager, caseId, { reason: "مرة ثانية" }));
    await expect(again).rejects.toMatchObject({ code: "case_not_running" });
    expect((await caseRow(caseId)).events.filter((e) => e.type === "cancelled")).toHaveLength(1);
  });

  it("the same idempotency key cancels once and answers the same twice", async () => {
    const { caseId } = await inParallelBranches();
    const first = await act(manager, (trx) => cancelCase(trx, manager, caseId, { reason: "نقرة مزدوجة", idempotencyKey: `cancel-${caseId}` }));
    const second = await act(manager, (trx) => cancelCase(trx, manager, caseId, { reason: "نقرة مزدوجة", idempotencyKey: `cancel-${caseId}` }));
    expect(second).toEqual(first);
  });
});

describe("flows that call each other", () => {
  it("A → B → A … stops at the nesting limit as an incident, in one transaction, without crashing", async () => {
    const call = (key: string, callee: string) =>
      definitionGraph.parse({
        key,
        name: { ar: `يستدعي ${callee}`, en: `Calls ${callee}` },
        nodes: [
          { id: "start", kind: "start", name: { ar: "بداية", en: "Start" } },
          { id: "call", kind: "subprocess", definitionKey: callee, name: { ar: "إجراء فرعي", en: "Sub-process" } },
          { id: "end", kind: "end", name: { ar: "نهاية", en: "End" } },
        ],
        edges: [
          { id: "f1", source: "start", target: "call" },
          { id: "f2", source: "call", target: "end" },
        ],
      });
    await publishFixture(testDb(), t.org.id, call("ping-flow", "pong-flow"));
    await publishFixture(testDb(), t.org.id, call("pong-flow", "ping-flow"));
    const started = await act(staff, (trx) => startCase(trx, staff, { definitionKey: "ping-flow", data: {} }));
    const chain = await withTenant(testDb(), { orgId: t.org.id }, (trx) =>
      trx.selectFrom("cases").select(["id", "status", "parent_case_id"]).where("org_id", "=", t.org.id).where("definition_id", "in", (eb) => eb.selectFrom("workflow_definitions").select("id").where("key", "in", ["ping-flow", "pong-flow"])).execute(),
    );
    // The case itself plus MAX sub-cases; the innermost is stuck in an incident saying why.
    expect(chain).toHaveLength(MAX_SUBPROCESS_NESTING + 1);
    const innermost = chain.find((c) => c.status === "incident");
    expect(innermost).toBeDefined();
    expect((await caseRow(innermost!.id)).incidents.map((i) => i.reason)).toEqual(["subprocess_depth"]);
    expect(chain.find((c) => c.id === started.caseId)?.status).toBe("running");
  });
});

describe("who hears of it", () => {
  it("a reassignment notifies the new assignee; cancelling notifies the starter and the step's holder once, not the one cancelling", async () => {
    const { caseId, checkTaskId } = await inParallelBranches();
    const reference = (await caseRow(caseId)).kase.reference;
    await act(manager, (trx) => reassignTask(trx, manager, checkTaskId, { toUserId: t.admin.id }));
    await act(manager, (trx) => cancelCase(trx, manager, caseId, { reason: "تكرار الطلب" }));
    const rows = await withTenant(testDb(), { orgId: t.org.id }, (trx) =>
      trx
        .selectFrom("notifications")
        .select(["user_id", "kind"])
        .where("org_id", "=", t.org.id)
        .where(sql<boolean>`params->>'reference' = ${reference}`)
        .execute(),
    );
    const seen = rows.map((r) => `${r.kind}:${r.user_id}`).sort();
    expect(seen).toEqual([`case.cancelled:${t.admin.id}`, `case.cancelled:${t.staff.id}`, `task.assigned:${t.admin.id}`].sort());
  });
});
