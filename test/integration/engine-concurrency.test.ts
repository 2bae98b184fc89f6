import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseActor } from "~/models/case-access.server";
import { ConflictError } from "~/models/case-errors";
import { startCase } from "~/models/cases.server";
import { claimTask, completeTask } from "~/models/tasks.server";
import { withTenant, type Db } from "~/utils/db.server";
import { publishFixture, threeStepFlow } from "../fixtures/workflows";
import { actorFor, addMembers, asMember, barrier, dedicatedDb, settle } from "./engine-helpers";
import { makeOrg, testDb, type TestOrg } from "./helpers";

// Twenty truly concurrent clients — each with its own connection from a dedicated pool,
// each inside its own open transaction, released together by a barrier — act on the same
// task. Exactly one wins; every other one gets a ConflictError naming the winner.

const CLIENTS = 20;
let pool: Db;
let t: TestOrg;
let clients: CaseActor[];

beforeAll(async () => {
  pool = dedicatedDb(CLIENTS);
  t = await makeOrg();
  await publishFixture(testDb(), t.org.id, threeStepFlow());
  const members = await addMembers(t, CLIENTS, "staff", t.units.b);
  clients = await Promise.all(members.map((m) => actorFor(t.org.id, m.id)));
});

afterAll(async () => {
  await pool.destroy();
});

async function newCase(): Promise<{ caseId: string; taskId: string }> {
  const starter = clients[0]!;
  const started = await asMember(testDb(), t.org.id, starter.user.id, (trx) => startCase(trx, starter, { definitionKey: "three-steps", data: {} }));
  return { caseId: started.caseId, taskId: started.tasks[0]!.id };
}

/** Every client opens its transaction, waits until all twenty have one, then acts. */
function race<T>(act: (client: CaseActor, trx: import("~/utils/db.server").Tx) => Promise<T>) {
  const ready = barrier(CLIENTS);
  return settle(
    clients.map((client) =>
      asMember(pool, t.org.id, client.user.id, async (trx) => {
        await trx.selectFrom("organisations").select("id").where("id", "=", t.org.id).execute();
        await ready();
        return act(client, trx);
      }),
    ),
  );
}

async function rows(caseId: string) {
  return withTenant(testDb(), { orgId: t.org.id }, async (trx) => ({
    tasks: await trx.selectFrom("tasks").selectAll().where("case_id", "=", caseId).orderBy("created_at").execute(),
    events: await trx.selectFrom("case_events").select(["type", "actor_user_id", "task_id"]).where("case_id", "=", caseId).orderBy("seq").execute(),
  }));
}

describe("twenty concurrent clients on one task", () => {
  it("complete: exactly one succeeds; nineteen are told who completed it and when", async () => {
    const { caseId, taskId } = await newCase();
    const { ok, errors } = await race((client, trx) => completeTask(trx, client, taskId, { data: { by: client.user.id } }));
    expect(ok).toHaveLength(1);
    expect(errors).toHaveLength(CLIENTS - 1);
    const { tasks, events } = await rows(caseId);
    const first = tasks.find((x) => x.id === taskId)!;
    const winner = first.completed_by!;
    const winnerName = (await withTenant(testDb(), { orgId: t.org.id }, (trx) => trx.selectFrom("users").select("name").where("id", "=", winner).executeTakeFirstOrThrow())).name;
    for (const error of errors) {
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).toJSON()).toEqual({ code: "task_already_completed", by: { id: winner, name: winnerName }, at: first.completed_at!.toISOString() });
    }
    // One completion, one next step, one event of each.
    expect(tasks.map((x) => [x.node_id, x.status])).toEqual([
      ["s1", "completed"],
      ["s2", "open"],
    ]);
    expect(events.filter((e) => e.type === "task_completed")).toEqual([{ type: "task_completed", actor_user_id: winner, task_id: taskId }]);
    expect(events.filter((e) => e.type === "task_created")).toHaveLength(2);
  });

  it("claim: exactly one succeeds; nineteen are told who claimed it first", async () => {
    const { caseId, taskId } = await newCase();
    const { ok, errors } = await race((client, trx) => claimTask(trx, client, taskId));
    expect(ok).toHaveLength(1);
    expect(errors).toHaveLength(CLIENTS - 1);
    const { tasks, events } = await rows(caseId);
    const task = tasks.find((x) => x.id === taskId)!;
    expect(task.assignee_user_id).toBe(ok[0]!.assigneeUserId);
    for (const error of errors) {
      expect((error as ConflictError).toJSON()).toMatchObject({ code: "task_already_claimed", by: { id: task.assignee_user_id }, at: task.claimed_at!.toISOString() });
    }
    expect(events.filter((e) => e.type === "task_claimed")).toHaveLength(1);
  });
});

describe("idempotency keys", () => {
  it("the same key twice completes once and answers the same", async () => {
    const { caseId, taskId } = await newCase();
    const client = clients[1]!;
    const call = () => asMember(testDb(), t.org.id, client.user.id, (trx) => completeTask(trx, client, taskId, { data: { x: 1 }, idempotencyKey: `complete-${taskId}` }));
    const first = await call();
    const second = await call();
    expect(second).toEqual(first);
    const { tasks, events } = await rows(caseId);
    expect(tasks.filter((x) => x.node_id === "s2")).toHaveLength(1);
    expect(events.filter((e) => e.type === "task_completed")).toHaveLength(1);
  });

  it("the same key sent twenty times at once still has one effect", async () => {
    const { caseId, taskId } = await newCase();
    const client = clients[2]!;
    const ready = barrier(CLIENTS);
    const { ok, errors } = await settle(
      Array.from({ length: CLIENTS }, () =>
        asMember(pool, t.org.id, client.user.id, async (trx) => {
          await ready();
          return completeTask(trx, client, taskId, { data: { y: 2 }, idempotencyKey: `double-submit-${taskId}` });
        }),
      ),
    );
    expect(errors).toEqual([]);
    expect(ok).toHaveLength(CLIENTS);
    for (const result of ok) expect(result).toEqual(ok[0]);
    const { tasks, events } = await rows(caseId);
    expect(tasks.filter((x) => x.node_id === "s2")).toHaveLength(1);
    expect(events.filter((e) => e.type === "task_completed")).toHaveLength(1);
  });

  it("starting a case twice with one key starts one case", async () => {
    const client = clients[3]!;
    const key = `start-${crypto.randomUUID()}`;
    const start = () => asMember(testDb(), t.org.id, client.user.id, (trx) => startCase(trx, client, { definitionKey: "three-steps", data: {}, idempotencyKey: key }));
    const [a, b] = [await start(), await start()];
    expect(b).toEqual(a);
    const count = await withTenant(testDb(), { orgId: t.org.id }, (trx) => trx.selectFrom("cases").select("id").where("started_by", "=", client.user.id).execute());
    expect(count).toHaveLength(1);
  });

  it("a key reused for a different action is a conflict", async () => {
    const { taskId } = await newCase();
    const client = clients[4]!;
    const key = `reuse-${crypto.randomUUID()}`;
    await asMember(testDb(), t.org.id, client.user.id, (trx) => claimTask(trx, client, taskId, { idempotencyKey: key }));
    await expect(asMember(testDb(), t.org.id, client.user.id, (trx) => completeTask(trx, client, taskId, { data: {}, idempotencyKey: key }))).rejects.toMatchObject({
      code: "idempotency_key_reused",
    });
  });
});
