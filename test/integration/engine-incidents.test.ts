import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseActor } from "~/models/case-access.server";
import { appendCaseEvent, verifyCaseEvents } from "~/models/case-events.server";
import { getCase, startCase, verifyCase } from "~/models/cases.server";
import { listIncidents, retryIncident } from "~/models/incidents.server";
import { completeTask } from "~/models/tasks.server";
import { withTenant } from "~/utils/db.server";
import { childFlow, fullFlow, publishFixture, threeStepFlow } from "../fixtures/workflows";
import { actorFor, asMember } from "./engine-helpers";
import { makeOrg, testDb, testOwnerDb, type TestOrg } from "./helpers";

// A FEEL condition that fails at run time stops the token in a visible incident (reason,
// node, data snapshot, event) without losing it; fixing the data and retrying moves on.
// The case event log is a hash chain that catches edits and deletions made beneath the app.

const db = () => testDb();
const owner = testOwnerDb();
let t: TestOrg;
let staff: CaseActor;
let admin: CaseActor;

beforeAll(async () => {
  t = await makeOrg();
  await publishFixture(db(), t.org.id, childFlow());
  await publishFixture(db(), t.org.id, fullFlow());
  await publishFixture(db(), t.org.id, threeStepFlow());
  staff = await actorFor(t.org.id, t.staff.id);
  admin = await actorFor(t.org.id, t.admin.id);
});

afterAll(async () => {
  await owner.destroy();
});

const as = <T>(a: CaseActor, fn: (trx: import("~/utils/db.server").Tx) => Promise<T>) => asMember(db(), a.org.id, a.user.id, fn);

describe("incidents", () => {
  it("a FEEL error becomes an incident with its data; fixing the data and retrying continues", async () => {
    // No "amount": `amount > 1000` is null, not a boolean → condition_error.
    const started = await as(staff, (trx) => startCase(trx, staff, { definitionKey: "social-aid", data: { applicant: "خالد" } }));
    const result = await as(staff, (trx) => completeTask(trx, staff, started.tasks[0]!.id, { data: { intakeNote: "ناقص" } }));
    expect(result.caseStatus).toBe("incident");
    expect(result.tasks).toEqual([]);

    const detail = await as(staff, (trx) => getCase(trx, staff, started.caseId));
    expect(detail.status).toBe("incident");
    expect(detail.state.tokens).toEqual([expect.objectContaining({ nodeId: "big", status: "incident" })]);
    const open = await as(admin, (trx) => listIncidents(trx, admin, { page: 1, pageSize: 10, status: "open" }));
    const incident = open.rows.find((i) => i.caseId === started.caseId)!;
    expect(incident).toMatchObject({ nodeId: "big", reason: "condition_error", status: "open", dataSnapshot: { applicant: "خالد", intakeNote: "ناقص" } });
    expect(incident.detail).toContain("f3");
    expect(detail.events.map((e) => e.type)).toContain("incident_raised");

    // Staff may not retry; an admin fixes the amount and retries.
    await expect(as(staff, (trx) => retryIncident(trx, staff, incident.id, { data: { amount: 50 } }))).rejects.toMatchObject({ status: 403 });
    const retried = await as(admin, (trx) => retryIncident(trx, admin, incident.id, { data: { amount: 50 } }));
    expect(retried).toMatchObject({ caseStatus: "running", newIncidents: [] });
    expect(retried.tasks.map((x) => x.nodeId)).toEqual(["approve"]);
    const after = await as(staff, (trx) => getCase(trx, staff, started.caseId));
    expect(after.incidents).toEqual([expect.objectContaining({ id: incident.id, status: "resolved" })]);
    const retriedEvent = after.events.find((e) => e.type === "incident_retried")!;
    expect(retriedEvent.payload).toMatchObject({ incidentId: incident.id, before: { amount: null }, after: { amount: 50 } });
    expect(retriedEvent.actorUserId).toBe(t.admin.id);

    // Resolved is resolved: a second retry is a conflict naming who retried.
    await expect(as(admin, (trx) => retryIncident(trx, admin, incident.id))).rejects.toMatchObject({ code: "incident_already_resolved", by: { id: t.admin.id } });
  });

  it("a retry that still fails raises a new incident and keeps the token", async () => {
    const started = await as(staff, (trx) => startCase(trx, staff, { definitionKey: "social-aid", data: {} }));
    await as(staff, (trx) => completeTask(trx, staff, started.tasks[0]!.id, { data: {} }));
    const first = (await as(admin, (trx) => listIncidents(trx, admin, { page: 1, pageSize: 50, status: "open" }))).rows.find((i) => i.caseId === started.caseId)!;
    const retried = await as(admin, (trx) => retryIncident(trx, admin, first.id, { data: { amount: null } }));
    expect(retried.caseStatus).toBe("incident");
    expect(retried.newIncidents).toHaveLength(1);
    const detail = await as(admin, (trx) => getCase(trx, admin, started.caseId));
    expect(detail.state.tokens).toHaveLength(1);
    expect(detail.incidents.map((i) => i.status).sort()).toEqual(["open", "resolved"]);
  });
});

describe("the case event chain", () => {
  async function completedCase() {
    const started = await as(staff, (trx) => startCase(trx, staff, { definitionKey: "three-steps", data: { n: 1 } }));
    let taskId = started.tasks[0]!.id;
    for (let i = 0; i < 2; i += 1) taskId = (await as(staff, (trx) => completeTask(trx, staff, taskId, { data: { step: i } }))).tasks[0]!.id;
    return started.caseId;
  }
  const verify = (caseId: string) => withTenant(db(), { orgId: t.org.id }, (trx) => verifyCaseEvents(trx, t.org.id, caseId));

  it("verifies, and appendCaseEvent continues the same chain", async () => {
    const caseId = await completedCase();
    const before = await verify(caseId);
    expect(before.broken).toBeNull();
    expect(before.entries).toBeGreaterThan(5);
    await withTenant(db(), { orgId: t.org.id }, (trx) => appendCaseEvent(trx, { orgId: t.org.id, caseId, type: "comment_added", actorUserId: t.staff.id, payload: { body: "ملاحظة" } }));
    expect(await verify(caseId)).toEqual({ entries: before.entries + 1, broken: null });
    expect(await as(staff, (trx) => verifyCase(trx, staff, caseId))).toEqual({ entries: before.entries + 1, broken: null });
  });

  it("an edit made with the owner connection is caught at the edited event", async () => {
    const caseId = await completedCase();
    const saved = (await sql<{ payload: unknown }>`SELECT payload FROM case_events WHERE case_id = ${caseId} AND seq = 3`.execute(owner)).rows[0]!.payload;
    await sql`UPDATE case_events SET payload = ${JSON.stringify({ forged: true })}::jsonb WHERE case_id = ${caseId} AND seq = 3`.execute(owner);
    expect((await verify(caseId)).broken).toEqual({ seq: 3, reason: "hash_mismatch" });
    await sql`UPDATE case_events SET payload = ${JSON.stringify(saved)}::jsonb WHERE case_id = ${caseId} AND seq = 3`.execute(owner);
    expect((await verify(caseId)).broken).toBeNull();
  });

  it("deleting an event in the middle or at the end is caught", async () => {
    const caseId = await completedCase();
    const { entries } = await verify(caseId);
    await sql`DELETE FROM case_events WHERE case_id = ${caseId} AND seq = 2`.execute(owner);
    expect((await verify(caseId)).broken).toEqual({ seq: 3, reason: "sequence_gap" });

    const other = await completedCase();
    const last = (await verify(other)).entries;
    await sql`DELETE FROM case_events WHERE case_id = ${other} AND seq = ${last}`.execute(owner);
    expect(await verify(other)).toEqual({ entries: last - 1, broken: { seq: last, reason: "tail_mismatch" } });
    expect(entries).toBeGreaterThan(0);
  });

  it("the application role may not change or delete events", async () => {
    const caseId = await completedCase();
    await expect(withTenant(db(), { orgId: t.org.id }, (trx) => trx.updateTable("case_events").set({ type: "x" }).where("case_id", "=", caseId).execute())).rejects.toThrow(/permission denied/);
    await expect(withTenant(db(), { orgId: t.org.id }, (trx) => trx.deleteFrom("case_events").where("case_id", "=", caseId).execute())).rejects.toThrow(/permission denied/);
  });
});
