import { redirect, type RouterContextProvider } from "react-router";
import { findSession, touchSession } from "~/models/sessions.server";
import { appCookies } from "./cookies.server";
import { userContext, type SessionUser } from "./context.server";
import { appDb } from "./db.server";

const TOUCH_EVERY_MS = 60_000;

/** Resolves the session cookie to a user (or null). Every request re-reads the database,
 * so logout and disabling a user take effect on the very next request. */
export async function loadSessionUser(request: Request): Promise<SessionUser | null> {
  const token = await appCookies().session.parse(request.headers.get("cookie"));
  if (typeof token !== "string" || token.length < 32) return null;
  const row = await findSession(appDb(), token);
  if (!row) return null;
  if (Date.now() - new Date(row.last_seen_at).getTime() > TOUCH_EVERY_MS) await touchSession(appDb(), row.id_hash);
  return {
    id: row.user_id,
    email: row.email,
    name: row.name,
    locale: row.locale,
    isPlatformAdmin: row.is_platform_admin,
    sessionHash: row.id_hash,
    currentOrgId: row.current_org_id,
  };
}

export function optionalUser(context: Readonly<RouterContextProvider>): SessionUser | null {
  return context.get(userContext);
}

/** For pages that need a signed-in user: otherwise to the sign-in page, then back here. */
export function requireUser(context: Readonly<RouterContextProvider>, request: Request): SessionUser {
  const user = context.get(userContext);
  if (user) return user;
  const url = new URL(request.url);
  throw redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`);
}
