import { describe, expect, it } from "vitest";
import { GENESIS_HASH } from "~/utils/hash-chain";
import { buildAbility } from "~/utils/permissions.server";
import { taskActions, type CaseActor } from "./case-access.server";
import { chainEvents, eventHash, EMPTY_TAIL } from "./case-events.server";
import { MAX_DATA_DEPTH, MAX_STEP_DATA_BYTES, validateStepData } from "./step-data.server";

const ORG = "00000000-0000-4000-8000-000000000001";
const CASE = "00000000-0000-4000-8000-000000000002";
const at = new Date("2026-03-01T08:00:00.000Z");

describe("chainEvents", () => {
  it("links each event to the previous hash and moves the tail", () => {
    const { rows, tail } = chainEvents(ORG, CASE, EMPTY_TAIL, [
      { type: "started", actorUserId: null, payload: { b: 1, a: [1, 2] } },
      { type: "task_created", actorUserId: null, nodeId: "s1", taskId: CASE },
    ], at);
    expect(rows.map((r) => r.seq)).toEqual([1, 2]);
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
    expect(tail).toEqual({ seq: 2, hash: rows[1]!.hash });
    const { prev_hash, hash, ...fields } = rows[0]!;
    expect(eventHash(prev_hash, fields)).toBe(hash);
  });

  it("hashes what jsonb stores: key order and undefined members do not matter, values do", () => {
    const one = chainEvents(ORG, CASE, EMPTY_TAIL, [{ type: "comment_added", actorUserId: null, payload: { a: 1, b: { c: 2, d: undefined } } }], at).rows[0]!;
    const two = chainEvents(ORG, CASE, EMPTY_TAIL, [{ type: "comment_added", actorUserId: null, payload: { b: { c: 2 }, a: 1 } }], at).rows[0]!;
    const three = chainEvents(ORG, CASE, EMPTY_TAIL, [{ type: "comment_added", actorUserId: null, payload: { b: { c: 3 }, a: 1 } }], at).rows[0]!;
    expect(one.hash).toBe(two.hash);
    expect(three.hash).not.toBe(one.hash);
  });

  it("continues from a stored tail", () => {
    const first = chainEvents(ORG, CASE, EMPTY_TAIL, [{ type: "started", actorUserId: null }], at);
    const next = chainEvents(ORG, CASE, first.tail, [{ type: "completed", actorUserId: null }], at);
    expect(next.rows[0]).toMatchObject({ seq: 2, prev_hash: first.tail.hash });
  });
});

describe("validateStepData (the hook the forms issue fills in)", () => {
  it("accepts JSON objects and returns what jsonb will hold", async () => {
    expect(await validateStepData(undefined, { a: 1, when: new Date(at), skip: undefined })).toEqual({ ok: true, data: { a: 1, when: at.toISOString() } });
  });

  it("refuses non-objects, oversized and too deep data, and prototype keys", async () => {
    for (const bad of [null, [1], "text", 3]) expect(await validateStepData(undefined, bad)).toMatchObject({ ok: false, issues: [{ code: "not_object" }] });
    expect(await validateStepData(undefined, { big: "x".repeat(MAX_STEP_DATA_BYTES) })).toMatchObject({ ok: false, issues: [{ code: "too_large" }] });
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < MAX_DATA_DEPTH + 1; i += 1) deep = { d: deep };
    expect(await validateStepData(undefined, deep)).toMatchObject({ ok: false, issues: [{ code: "too_deep" }] });
    expect(await validateStepData(undefined, JSON.parse('{"__proto__": {"admin": true}}'))).toMatchObject({ ok: false, issues: [{ code: "invalid_key" }] });
  });
});

describe("taskActions", () => {
  const ROLE = "00000000-0000-4000-8000-0000000000aa";
  const UNIT = "00000000-0000-4000-8000-0000000000bb";
  const me = "00000000-0000-4000-8000-0000000000cc";
  const other = "00000000-0000-4000-8000-0000000000dd";
  const staff: CaseActor = { org: { id: ORG }, user: { id: me }, unitId: UNIT, ability: buildAbility([{ action: ["read", "update"], subject: "Task" }]) };
  const manager: CaseActor = { ...staff, user: { id: other }, unitId: null, ability: buildAbility([{ action: "manage", subject: "Task" }]) };
  const task = (assignee: string | null, role: string | null = ROLE, unit: string | null = null, status: "open" | "completed" = "open") => ({
    status,
    assignee_user_id: assignee,
    candidate_role_id: role,
    candidate_unit_id: unit,
  });

  it("a candidate may claim and complete an unclaimed task, not reassign it", () => {
    expect(taskActions(staff, task(null), [ROLE])).toEqual({ claim: true, unclaim: false, complete: true, reassign: false, delegate: false });
    expect(taskActions(staff, task(null, null, UNIT), [])).toMatchObject({ claim: true, complete: true });
  });

  it("someone else's task or a non-candidate's gets nothing; the assignee gets everything but claim", () => {
    expect(taskActions(staff, task(other), [ROLE])).toEqual({ claim: false, unclaim: false, complete: false, reassign: false, delegate: false });
    expect(taskActions(staff, task(null), [])).toMatchObject({ claim: false, complete: false });
    expect(taskActions(staff, task(me), [ROLE])).toEqual({ claim: false, unclaim: true, complete: true, reassign: true, delegate: true });
  });

  it("manage Task overrides candidacy; a completed task offers nothing", () => {
    expect(taskActions(manager, task(me), [])).toEqual({ claim: false, unclaim: true, complete: true, reassign: true, delegate: false });
    expect(taskActions(manager, task(null, null, null, "completed"), [])).toEqual({ claim: false, unclaim: false, complete: false, reassign: false, delegate: false });
  });
});
