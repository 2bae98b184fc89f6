import { data } from "react-router";
import { appCookies } from "./cookies.server";
import { randomToken, safeEqual } from "./crypto.server";

export const CSRF_FIELD = "_csrf";
export const CSRF_HEADER = "x-csrf-token";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The request's CSRF token (from its cookie), or a fresh one the caller must set. */
export async function readCsrfToken(request: Request): Promise<{ token: string; isNew: boolean }> {
  const existing = await appCookies().csrf.parse(request.headers.get("cookie"));
  if (typeof existing === "string" && existing.length >= 32) return { token: existing, isNew: false };
  return { token: randomToken(), isNew: true };
}

/**
 * Double-submit check for every mutating request: the form field or header must
 * equal the HttpOnly cookie, and a cross-site Origin is refused outright.
 * Bearer-token API calls carry no cookie and are exempt (no ambient credential).
 */
export async function verifyCsrf(request: Request): Promise<"ok" | "exempt" | "failed"> {
  if (SAFE_METHODS.has(request.method)) return "ok";
  const cookieHeader = request.headers.get("cookie");
  if (request.headers.get("authorization")?.startsWith("Bearer ") && !cookieHeader) return "exempt";

  const origin = request.headers.get("origin");
  if (origin && origin !== "null" && new URL(origin).host !== new URL(request.url).host) return "failed";

  const cookieToken = await appCookies().csrf.parse(cookieHeader);
  if (typeof cookieToken !== "string" || cookieToken.length < 32) return "failed";
  const sent = request.headers.get(CSRF_HEADER) ?? (await formToken(request));
  return sent && safeEqual(sent, cookieToken) ? "ok" : "failed";
}

/** Multipart bodies larger than this are never read for a token: uploads send the header. */
export const MULTIPART_TOKEN_MAX_BYTES = 1024 * 1024;

async function formToken(request: Request): Promise<string | null> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.includes("application/x-www-form-urlencoded") && !type.includes("multipart/form-data")) return null;
  // Reading the form means buffering the whole body (a clone of it): file uploads must send
  // the X-CSRF-Token header instead, and a large or unsized multipart body without it fails.
  if (type.includes("multipart/form-data")) {
    const length = Number(request.headers.get("content-length") ?? "NaN");
    if (!Number.isFinite(length) || length > MULTIPART_TOKEN_MAX_BYTES) return null;
  }
  try {
    const value = (await request.clone().formData()).get(CSRF_FIELD);
    return typeof value === "string" ? value : null;
  } catch {
    return null;
  }
}

export function csrfFailure(message: string) {
  return data({ error: { code: "csrf_failed", message } }, { status: 403 });
}
