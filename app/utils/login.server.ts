import { recordAudit } from "~/models/audit.server";
import { recentFailures, recordAttempt } from "~/models/login-attempts.server";
import { createSession, deleteSession } from "~/models/sessions.server";
import { dummyPasswordHash, findUserByEmail, normaliseEmail, verifyPassword } from "~/models/users.server";
import { listUserOrgs } from "~/models/organisations.server";
import { appDb, withTenant, withUser } from "./db.server";
import { env } from "./env.server";
import { sha256 } from "./crypto.server";

export type LoginResult =
  | { ok: true; userId: string; token: string; locale: "ar" | "en" | null; firstOrgSlug: string | null }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; minutes: number };

/**
 * Verifies email + password with argon2, limited per email and per address.
 * Always creates a new session (the id rotates at sign-in) and drops the one the
 * browser came with, so a planted session id is never promoted.
 */
export async function login(input: { email: string; password: string; ip: string; userAgent?: string; previousToken?: string; requestId?: string }): Promise<LoginResult> {
  const db = appDb();
  const config = env();
  const email = normaliseEmail(input.email);
  const failures = await recentFailures(db, email, input.ip, config.LOGIN_WINDOW_MINUTES);
  if (failures.byEmail >= config.LOGIN_MAX_ATTEMPTS || failures.byIp >= config.LOGIN_MAX_ATTEMPTS * 4) {
    return { ok: false, reason: "rate_limited", minutes: config.LOGIN_WINDOW_MINUTES };
  }
  const user = await findUserByEmail(db, email);
  const valid = user ? await verifyPassword(user.password_hash, input.password) : await verifyPassword(await dummyPasswordHash(), input.password) && false;
  if (!user || !valid || user.disabled_at) {
    await recordAttempt(db, email, input.ip, false);
    return { ok: false, reason: "invalid" };
  }
  await recordAttempt(db, email, input.ip, true);
  if (input.previousToken) await deleteSession(db, sha256(input.previousToken));
  const orgs = await withUser(db, user.id, (trx) => listUserOrgs(trx, user.id));
  const first = orgs[0];
  const session = await createSession(db, { userId: user.id, currentOrgId: first?.id ?? null, days: config.SESSION_DAYS, ip: input.ip, userAgent: input.userAgent });
  if (first) {
    await withTenant(db, { orgId: first.id, userId: user.id }, (trx) =>
      recordAudit(trx, { orgId: first.id, actorUserId: user.id, actorLabel: user.email, action: "session.login", subjectType: "Session", requestId: input.requestId, ip: input.ip }),
    );
  }
  return { ok: true, userId: user.id, token: session.token, locale: user.locale, firstOrgSlug: first?.slug ?? null };
}
