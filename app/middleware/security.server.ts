import { data, type MiddlewareFunction } from "react-router";
import { userContext } from "~/utils/context.server";
import { getInstance } from "./i18next";
import { csrfFailure, verifyCsrf } from "~/utils/csrf.server";
import { isDatabaseUnavailable } from "~/utils/db.server";
import { log } from "~/utils/log.server";
import { loadSessionUser } from "~/utils/session.server";

/**
 * The HTTP API (/api/…) authenticates by bearer token only (app/utils/api.server.ts): a cookie
 * is never a credential there, so neither the session nor the CSRF check applies, and API
 * errors stay in the API's own JSON shape.
 */
function isApiRequest(request: Request): boolean {
  const path = new URL(request.url).pathname;
  return path === "/api" || path.startsWith("/api/");
}

/** Refuses cross-site or token-less mutations before any action runs. */
export const csrfMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  if (!isApiRequest(request) && (await verifyCsrf(request)) === "failed") {
    log.warn("csrf rejected", { method: request.method, path: new URL(request.url).pathname });
    throw csrfFailure(getInstance(context).t("common:errors.csrf"));
  }
  return next();
};

/** Loads the signed-in user; a database outage becomes a 503 page, not a crash. */
export const sessionMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  if (isApiRequest(request)) return next();
  try {
    context.set(userContext, await loadSessionUser(request));
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      log.warn("database unavailable", { error: (error as Error).message });
      throw data({ code: "service_unavailable" }, { status: 503 });
    }
    throw error;
  }
  return next();
};

/** Pages with personal data must not be kept by browsers or proxies; a 503 says when to retry. */
export const responseHeadersMiddleware: MiddlewareFunction<Response> = async ({ context }, next) => {
  const response = await next();
  if (response.status === 503) response.headers.set("Retry-After", "5");
  if (context.get(userContext) && !response.headers.has("Cache-Control")) {
    response.headers.set("Cache-Control", "no-store");
  }
  return response;
};
