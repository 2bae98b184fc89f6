import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable } from "@react-router/node";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { createInstance, type i18n } from "i18next";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { isRouteErrorResponse, ServerRouter, type EntryContext, type RouterContextProvider } from "react-router";
import resources, { DEFAULT_LOCALE } from "~/locales";
import { getInstance } from "~/middleware/i18next";
import { NonceContext } from "~/components/nonce";
import { requestContext } from "~/utils/context.server";
import { isDatabaseUnavailable } from "~/utils/db.server";
import { log } from "~/utils/log.server";

export const streamTimeout = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  routerContext: EntryContext,
  loadContext: RouterContextProvider,
) {
  const { nonce } = loadContext.get(requestContext);
  const i18n = i18nFor(loadContext);
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const userAgent = request.headers.get("user-agent");
    const readyOption = (userAgent && isbot(userAgent)) || routerContext.isSpaMode ? "onAllReady" : "onShellReady";
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <I18nextProvider i18n={i18n}>
          <ServerRouter context={routerContext} url={request.url} nonce={nonce} />
        </I18nextProvider>
      </NonceContext.Provider>,
      {
        nonce,
        [readyOption]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) log.error("render error", { error: String(error) });
        },
      },
    );
    setTimeout(abort, streamTimeout + 1000);
  });
}

// A URL that matches no route skips route middleware, so the i18n instance may be missing:
// such pages (404) render in the default language.
let fallbackI18n: i18n | undefined;
function i18nFor(context: RouterContextProvider): i18n {
  try {
    return getInstance(context);
  } catch {
    if (!fallbackI18n) {
      fallbackI18n = createInstance();
      void fallbackI18n.use(initReactI18next).init({ resources, lng: DEFAULT_LOCALE, fallbackLng: DEFAULT_LOCALE, defaultNS: "common", initAsync: false, interpolation: { escapeValue: false } });
    }
    return fallbackI18n;
  }
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) return;
  if (isDatabaseUnavailable(error)) {
    log.warn("database unavailable", { path: new URL(request.url).pathname });
    return;
  }
  log.error("unhandled error", { path: new URL(request.url).pathname, error: error instanceof Error ? error.stack : String(error) });
}
