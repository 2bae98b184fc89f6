import { data, type MiddlewareFunction } from "react-router";
import { userContext } from "~/utils/context.server";
import { appCookies } from "~/utils/cookies.server";
import { csrfFailure, verifyCsrf } from "~/utils/csrf.server";
import { isDatabaseUnavailable } from "~/utils/db.server";
import { log } from "~/utils/log.server";
import { loadSessionUser } from "~/utils/session.server";
import resources, { DEFAULT_LOCALE, isLocale } from "~/locales";

async function localeOf(request: Request): Promise<"ar" | "en"> {
  const value: unknown = await appCookies().locale.parse(request.headers.get("cookie")).catch(() => null);
  return isLocale(value) ? value : DEFAULT_LOCALE;
}

/** Refuses cross-site or token-less mutations before any action runs. */
export const csrfMiddleware: MiddlewareFunction<Response> = async ({ request }, next) => {
  if ((await verifyCsrf(request)) === "failed") {
    log.warn("csrf rejected", { method: request.method, path: new URL(request.url).pathname });
    throw csrfFailure(resources[await localeOf(request)].common.errors.csrf);
  }
  return next();
};

/** Loads the signed-in user; a database outage becomes a 503 page, not a crash. */
export const sessionMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  try {
    context.set(userContext, await loadSessionUser(request));
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      log.warn("database unavailable", { error: (error as Error).message });
      throw data({ code: "service_unavailable" }, { status: 503, headers: { "Retry-After": "5" } });
    }
    throw error;
  }
  return next();
};

/** Pages with personal data must not be kept by browsers or proxies. */
export const noStoreMiddleware: MiddlewareFunction<Response> = async ({ context }, next) => {
  const response = await next();
  if (context.get(userContext) && !response.headers.has("Cache-Control")) {
    response.headers.set("Cache-Control", "no-store");
  }
  return response;
};
