import { sql } from "kysely";
import type { Db } from "~/utils/db.server";

/** Failed attempts for this email or from this address inside the window. */
export async function recentFailures(db: Db, email: string, ip: string, windowMinutes: number) {
  const row = await db
    .selectFrom("login_attempts")
    .select([
      sql<number>`count(*) FILTER (WHERE email = ${email})::int`.as("byEmail"),
      sql<number>`count(*) FILTER (WHERE ip = ${ip})::int`.as("byIp"),
    ])
    .where("success", "=", false)
    .where("at", ">", sql<Date>`now() - make_interval(mins => ${windowMinutes})`)
    .where((eb) => eb.or([eb("email", "=", email), eb("ip", "=", ip)]))
    .executeTakeFirstOrThrow();
  return row;
}

export async function recordAttempt(db: Db, email: string, ip: string, success: boolean): Promise<void> {
  await db.insertInto("login_attempts").values({ email: email.slice(0, 254), ip, success }).execute();
  // A success clears the slate for this email, so a user who remembered is not kept out.
  if (success) await db.deleteFrom("login_attempts").where("email", "=", email).where("success", "=", false).execute();
}
