import { sql } from "kysely";
import type { Tx } from "~/utils/db.server";
import { ConflictError, ValidationError } from "./case-errors";

// "Do it once" for user actions carrying an Idempotency-Key. The key row is inserted FIRST,
// in the action's own transaction: a concurrent duplicate's INSERT then waits on the
// primary key until the first transaction ends — committed: it reads the stored answer;
// rolled back (the action failed): its own insert goes through and it acts itself.

const PENDING = { pending: true };

export function checkIdempotencyKey(key: string): void {
  if (key.length < 8 || key.length > 200 || !/^[\x21-\x7e]+$/.test(key)) {
    throw new ValidationError([{ path: "idempotencyKey", code: "invalid_key", message: "idempotency key must be 8-200 printable ASCII characters" }]);
  }
}

/**
 * Runs `action` once per (organisation, user, key). `scope` names the action and its target
 * (e.g. "task.complete:<taskId>"): the same key reused for another action is a conflict.
 * The result must be plain JSON; a repeat returns it as stored.
 */
export async function once<T>(trx: Tx, who: { orgId: string; userId: string }, scope: string, key: string | undefined, action: () => Promise<T>): Promise<T> {
  if (key === undefined) return action();
  checkIdempotencyKey(key);
  const claimed = await trx
    .insertInto("idempotency_keys")
    .values({ org_id: who.orgId, user_id: who.userId, key, scope, response: JSON.stringify(PENDING) })
    .onConflict((oc) => oc.columns(["org_id", "user_id", "key"]).doNothing())
    .returning("key")
    .executeTakeFirst();
  if (claimed) {
    const result = await action();
    const stored = JSON.stringify(result ?? null);
    await trx
      .updateTable("idempotency_keys")
      .set({ response: stored })
      .where("org_id", "=", who.orgId)
      .where("user_id", "=", who.userId)
      .where("key", "=", key)
      .execute();
    // The first caller gets exactly what a repeat will get.
    return JSON.parse(stored) as T;
  }
  const row = await trx
    .selectFrom("idempotency_keys")
    .select(["scope", "response"])
    .where("org_id", "=", who.orgId)
    .where("user_id", "=", who.userId)
    .where("key", "=", key)
    .executeTakeFirstOrThrow();
  if (row.scope !== scope) throw new ConflictError("idempotency_key_reused");
  return row.response as T;
}

/** Keys older than `days` are only noise: removed by the maintenance job. */
export async function pruneIdempotencyKeys(trx: Tx, days = 7): Promise<number> {
  const result = await sql`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(days => ${days})`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}
