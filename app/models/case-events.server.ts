import type { Db, Tx } from "~/utils/db.server";
import { chainHash, GENESIS_HASH } from "~/utils/hash-chain";

// The case's append-only, hash-chained event log; the timeline is rebuilt from it.
// Writers hold the case row lock (SELECT … FOR UPDATE on cases), which serialises appends
// per case; the chain's tail (last seq and hash) lives on that row (cases.event_seq /
// event_hash, migration 0005), so it is read under the same lock and moved in the same
// transaction. The app role may not UPDATE or DELETE case_events (APPEND_ONLY_TABLES).

export type CaseEventType =
  | "started"
  | "task_created"
  | "task_claimed"
  | "task_unclaimed"
  | "task_reassigned"
  | "task_delegated"
  | "task_completed"
  | "token_moved"
  | "timer_scheduled"
  | "timer_fired"
  | "subprocess_started"
  | "subprocess_completed"
  | "action_completed"
  | "incident_raised"
  | "incident_retried"
  | "completed"
  | "comment_added"
  /** Moved to another version of its definition (case-migration.server.ts). */
  | "migrated"
  /** Ended by a person, with a reason (case-cancel.server.ts). */
  | "cancelled"
  /** SLA clocks (sla-pause.server.ts, sla-escalations.server.ts): pauses, warnings, breaches, escalation levels. */
  | "sla_paused"
  | "sla_resumed"
  | "sla_warning"
  | "sla_breached"
  | "sla_escalated";

export interface CaseEventInput {
  type: CaseEventType;
  actorUserId: string | null;
  nodeId?: string | null;
  taskId?: string | null;
  /** What happened, with before/after where something changed. Plain JSON. */
  payload?: unknown;
}

export interface ChainTail {
  seq: number;
  hash: string;
}

export const EMPTY_TAIL: ChainTail = { seq: 0, hash: GENESIS_HASH };

/** The fields each event's hash commits to (with the previous hash). */
interface HashedEvent {
  org_id: string;
  case_id: string;
  seq: number;
  at: Date;
  actor_user_id: string | null;
  type: string;
  node_id: string | null;
  task_id: string | null;
  payload: unknown;
}

export function eventHash(prevHash: string, e: HashedEvent): string {
  return chainHash(prevHash, { ...e, at: e.at.toISOString(), payload: e.payload ?? null });
}

export interface ChainedEventRow extends HashedEvent {
  prev_hash: string;
  hash: string;
}

/** Pure: the rows for `inputs` appended after `tail`, and the new tail. */
export function chainEvents(orgId: string, caseId: string, tail: ChainTail, inputs: CaseEventInput[], at: Date): { rows: ChainedEventRow[]; tail: ChainTail } {
  let { seq, hash } = tail;
  const rows: ChainedEventRow[] = [];
  for (const input of inputs) {
    seq += 1;
    // Round-trip the payload through JSON so the hash is computed over what jsonb stores.
    const payload = input.payload === undefined ? null : (JSON.parse(JSON.stringify(input.payload)) as unknown);
    const fields: HashedEvent = {
      org_id: orgId,
      case_id: caseId,
      seq,
      at,
      actor_user_id: input.actorUserId,
      type: input.type,
      node_id: input.nodeId ?? null,
      task_id: input.taskId ?? null,
      payload,
    };
    const next = eventHash(hash, fields);
    rows.push({ ...fields, prev_hash: hash, hash: next });
    hash = next;
  }
  return { rows, tail: { seq, hash } };
}

/** Inserts chained rows (several cases at once is fine). The caller moves each case's tail. */
/** The INSERT for chained event rows (undefined when there are none), to run alone or batched. */
export function eventInsert(trx: Tx, rows: ChainedEventRow[]) {
  if (rows.length === 0) return undefined;
  return trx.insertInto("case_events").values(rows.map((r) => ({ ...r, payload: r.payload === null ? null : JSON.stringify(r.payload) })));
}

export async function insertEventRows(trx: Tx, rows: ChainedEventRow[]): Promise<void> {
  await eventInsert(trx, rows)?.execute();
}

/**
 * Appends one event on its own: locks the case row, chains after its tail, moves the tail.
 * The case and task services batch their events through the same chainEvents instead.
 */
export async function appendCaseEvent(trx: Tx, input: CaseEventInput & { orgId: string; caseId: string; at?: Date }): Promise<ChainTail> {
  const row = await trx
    .selectFrom("cases")
    .select(["event_seq", "event_hash"])
    .where("org_id", "=", input.orgId)
    .where("id", "=", input.caseId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const { rows, tail } = chainEvents(input.orgId, input.caseId, { seq: row.event_seq, hash: row.event_hash }, [input], input.at ?? new Date());
  await insertEventRows(trx, rows);
  await trx.updateTable("cases").set({ event_seq: tail.seq, event_hash: tail.hash }).where("org_id", "=", input.orgId).where("id", "=", input.caseId).execute();
  return tail;
}

export interface CaseChainBreak {
  seq: number;
  reason: "hash_mismatch" | "prev_hash_mismatch" | "sequence_gap" | "tail_mismatch";
}

export interface CaseChainCheck {
  entries: number;
  broken: CaseChainBreak | null;
}

/**
 * Recomputes the case's chain in seq order. An edited event shows as a hash mismatch at
 * itself, a deleted one as a sequence gap, and deleted newest events as a tail mismatch
 * against the case row. Pass a connection that sees the case (tenant scope or the owner).
 */
export async function verifyCaseEvents(db: Db | Tx, orgId: string, caseId: string): Promise<CaseChainCheck> {
  const kase = await db.selectFrom("cases").select(["event_seq", "event_hash"]).where("org_id", "=", orgId).where("id", "=", caseId).executeTakeFirst();
  let prev = GENESIS_HASH;
  let expected = 1;
  let entries = 0;
  for (;;) {
    const rows = await db
      .selectFrom("case_events")
      .selectAll()
      .where("org_id", "=", orgId)
      .where("case_id", "=", caseId)
      .where("seq", ">=", expected)
      .orderBy("seq")
      .limit(1000)
      .execute();
    for (const row of rows) {
      if (row.seq !== expected) return { entries, broken: { seq: row.seq, reason: "sequence_gap" } };
      if (row.prev_hash !== prev) return { entries, broken: { seq: row.seq, reason: "prev_hash_mismatch" } };
      const computed = eventHash(prev, {
        org_id: row.org_id,
        case_id: row.case_id,
        seq: row.seq,
        at: row.at,
        actor_user_id: row.actor_user_id,
        type: row.type,
        node_id: row.node_id,
        task_id: row.task_id,
        payload: row.payload,
      });
      if (computed !== row.hash) return { entries, broken: { seq: row.seq, reason: "hash_mismatch" } };
      prev = row.hash;
      expected += 1;
      entries += 1;
    }
    if (rows.length < 1000) break;
  }
  if (kase && (kase.event_seq !== entries || kase.event_hash !== prev)) {
    return { entries, broken: { seq: entries + 1, reason: "tail_mismatch" } };
  }
  return { entries, broken: null };
}

export interface CaseEventView {
  seq: number;
  at: Date;
  type: string;
  nodeId: string | null;
  taskId: string | null;
  actorUserId: string | null;
  actorName: string | null;
  payload: unknown;
}

/** A page of the case's events in order (no permission check: see listCaseEvents in cases.server.ts). */
export async function selectCaseEvents(trx: Tx, orgId: string, caseId: string, options: { afterSeq?: number; limit?: number } = {}): Promise<CaseEventView[]> {
  return trx
    .selectFrom("case_events as e")
    .leftJoin("users as u", "u.id", "e.actor_user_id")
    .where("e.org_id", "=", orgId)
    .where("e.case_id", "=", caseId)
    .where("e.seq", ">", options.afterSeq ?? 0)
    .select(["e.seq", "e.at", "e.type", "e.node_id as nodeId", "e.task_id as taskId", "e.actor_user_id as actorUserId", "u.name as actorName", "e.payload"])
    .orderBy("e.seq")
    .limit(Math.min(Math.max(options.limit ?? 500, 1), 1000))
    .execute();
}
