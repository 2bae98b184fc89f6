import { sql } from "kysely";
import type { Db, Tx } from "~/utils/db.server";
import { canonicalJson, chainHash, GENESIS_HASH } from "~/utils/hash-chain";

export interface AuditInput {
  orgId: string | null;
  actorUserId: string | null;
  actorLabel?: string | null;
  action: string;
  subjectType: string;
  subjectId?: string | null;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
  ip?: string | null;
}

export { canonicalJson, GENESIS_HASH };

export interface HashedFields {
  org_id: string | null;
  seq: string;
  at: Date;
  actor_user_id: string | null;
  actor_label: string | null;
  action: string;
  subject_type: string;
  subject_id: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
  ip: string | null;
}

export function entryHash(prevHash: string, row: HashedFields): string {
  return chainHash(prevHash, { ...row, seq: String(row.seq), at: row.at.toISOString() });
}

/**
 * Appends one entry to its organisation's chain. Must run inside the transaction of the
 * change it records (a tenant or platform scope): the advisory lock serialises writers
 * of the same chain until commit, so two concurrent entries never share a predecessor.
 */
export async function recordAudit(trx: Tx, input: AuditInput): Promise<void> {
  const chainKey = input.orgId ?? "platform";
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${"audit:" + chainKey}, 0))`.execute(trx);
  const last = await trx
    .selectFrom("audit_log")
    .select(["seq", "hash"])
    .where((eb) => (input.orgId ? eb("org_id", "=", input.orgId) : eb("org_id", "is", null)))
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
  const row: HashedFields = {
    org_id: input.orgId,
    seq: String(last ? BigInt(last.seq) + 1n : 1n),
    at: new Date(),
    actor_user_id: input.actorUserId,
    actor_label: input.actorLabel ?? null,
    action: input.action,
    subject_type: input.subjectType,
    subject_id: input.subjectId ?? null,
    before: input.before ?? null,
    after: input.after ?? null,
    request_id: input.requestId ?? null,
    ip: input.ip ?? null,
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  await trx
    .insertInto("audit_log")
    .values({
      ...row,
      before: row.before === null ? null : JSON.stringify(row.before),
      after: row.after === null ? null : JSON.stringify(row.after),
      prev_hash: prevHash,
      hash: entryHash(prevHash, row),
    })
    .execute();
}

export interface ChainBreak {
  orgId: string | null;
  seq: string;
  id: string;
  reason: "hash_mismatch" | "prev_hash_mismatch" | "sequence_gap";
}

export interface ChainCheck {
  /** Entries verified before the break (all of them when intact). */
  entries: number;
  broken: ChainBreak | null;
}

/** Walks one chain in order and returns the first broken link, or null when intact. */
export async function verifyAuditChain(db: Db | Tx, orgId: string | null): Promise<ChainBreak | null> {
  return (await checkAuditChain(db, orgId)).broken;
}

/**
 * Walks one chain in seq order, recomputing every hash. A deleted entry shows as a
 * sequence gap at its successor; an edited one as a hash mismatch at itself. Deleting
 * the newest entries is not visible from inside the chain (no external anchor yet).
 */
export async function checkAuditChain(db: Db | Tx, orgId: string | null): Promise<ChainCheck> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1n;
  let afterSeq = "0";
  let entries = 0;
  for (;;) {
    const rows = await db
      .selectFrom("audit_log")
      .selectAll()
      .where((eb) => (orgId ? eb("org_id", "=", orgId) : eb("org_id", "is", null)))
      .where("seq", ">", afterSeq)
      .orderBy("seq")
      .limit(1000)
      .execute();
    if (rows.length === 0) return { entries, broken: null };
    for (const row of rows) {
      const at = { orgId, seq: String(row.seq), id: String(row.id) };
      if (BigInt(row.seq) !== expectedSeq) return { entries, broken: { ...at, reason: "sequence_gap" } };
      if (row.prev_hash !== prevHash) return { entries, broken: { ...at, reason: "prev_hash_mismatch" } };
      const computed = entryHash(prevHash, {
        org_id: row.org_id,
        seq: String(row.seq),
        at: row.at,
        actor_user_id: row.actor_user_id,
        actor_label: row.actor_label,
        action: row.action,
        subject_type: row.subject_type,
        subject_id: row.subject_id,
        before: row.before,
        after: row.after,
        request_id: row.request_id,
        ip: row.ip,
      });
      if (computed !== row.hash) return { entries, broken: { ...at, reason: "hash_mismatch" } };
      prevHash = row.hash;
      expectedSeq += 1n;
      afterSeq = String(row.seq);
      entries += 1;
    }
  }
}

export interface ChainReport extends ChainCheck {
  orgId: string | null;
  /** Organisation slug; null for the platform chain. */
  slug: string | null;
}

/**
 * Checks the platform chain and every organisation's chain in one read-only,
 * repeatable-read snapshot, so entries committed meanwhile cannot look like a break.
 * Needs a connection that sees every tenant (the owner; the platform flag covers an
 * owner that is not a superuser, since RLS is forced on audit_log).
 */
export async function verifyAllChains(db: Db): Promise<ChainReport[]> {
  return db
    .transaction()
    .setIsolationLevel("repeatable read")
    .setAccessMode("read only")
    .execute(async (trx) => {
      await sql`SELECT set_config('app.platform', 'on', true)`.execute(trx);
      const orgs = await trx.selectFrom("organisations").select(["id", "slug"]).orderBy("slug").execute();
      const chains: { orgId: string | null; slug: string | null }[] = [{ orgId: null, slug: null }, ...orgs.map((o) => ({ orgId: o.id, slug: o.slug }))];
      const reports: ChainReport[] = [];
      for (const chain of chains) reports.push({ ...chain, ...(await checkAuditChain(trx, chain.orgId)) });
      return reports;
    });
}
