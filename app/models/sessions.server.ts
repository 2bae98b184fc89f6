import { sql } from "kysely";
import type { Db, Tx } from "~/utils/db.server";
import { randomToken, sha256 } from "~/utils/crypto.server";

export interface NewSession {
  token: string;
  hash: string;
  expiresAt: Date;
}

export async function createSession(
  db: Db | Tx,
  input: { userId: string; currentOrgId: string | null; days: number; ip?: string; userAgent?: string },
): Promise<NewSession> {
  const token = randomToken();
  const hash = sha256(token);
  const expiresAt = new Date(Date.now() + input.days * 86_400_000);
  await db
    .insertInto("sessions")
    .values({
      id_hash: hash,
      user_id: input.userId,
      current_org_id: input.currentOrgId,
      expires_at: expiresAt,
      ip: input.ip ?? null,
      user_agent: input.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { token, hash, expiresAt };
}

/** The live session for a cookie token, with its user; disabled users have none. */
export async function findSession(db: Db | Tx, token: string) {
  return db
    .selectFrom("sessions as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .select([
      "s.id_hash",
      "s.current_org_id",
      "s.last_seen_at",
      "u.id as user_id",
      "u.email",
      "u.name",
      "u.locale",
      "u.is_platform_admin",
    ])
    .where("s.id_hash", "=", sha256(token))
    .where("s.expires_at", ">", sql<Date>`now()`)
    .where("u.disabled_at", "is", null)
    .executeTakeFirst();
}

export async function touchSession(db: Db | Tx, hash: string): Promise<void> {
  await db.updateTable("sessions").set({ last_seen_at: sql`now()` }).where("id_hash", "=", hash).execute();
}

export async function setSessionOrg(db: Db | Tx, hash: string, orgId: string): Promise<void> {
  await db.updateTable("sessions").set({ current_org_id: orgId }).where("id_hash", "=", hash).execute();
}

export async function deleteSession(db: Db | Tx, hash: string): Promise<void> {
  await db.deleteFrom("sessions").where("id_hash", "=", hash).execute();
}

/** Ends every session of a user at once (disable, password change). */
export async function deleteUserSessions(db: Db | Tx, userId: string): Promise<number> {
  const result = await db.deleteFrom("sessions").where("user_id", "=", userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
