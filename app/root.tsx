import "@mantine/core/styles.css";
import { ColorSchemeScript, DirectionProvider, MantineProvider, mantineHtmlProps } from "@mantine/core";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { data, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "react-router";
import type { Route } from "./+types/root";
import { RouteErrorPage } from "~/components/route-error";
import { useNonce } from "~/components/nonce";
import { theme } from "~/components/theme";
import { getLocale, i18nextMiddleware } from "~/middleware/i18next";
import { csrfMiddleware, responseHeadersMiddleware, sessionMiddleware } from "~/middleware/security.server";
import { appCookies } from "~/utils/cookies.server";
import { userContext } from "~/utils/context.server";
import { readCsrfToken } from "~/utils/csrf.server";

// i18n first: every later failure (CSRF, database down) still renders in the right language.
export const middleware: Route.MiddlewareFunction[] = [responseHeadersMiddleware, i18nextMiddleware, csrfMiddleware, sessionMiddleware];

export const links: Route.LinksFunction = () => [{ rel: "icon", href: "/favicon.svg", type: "image/svg+xml" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const locale = getLocale(context) === "en" ? "en" : "ar";
  const csrf = await readCsrfToken(request);
  const user = context.get(userContext);
  const headers = new Headers();
  if (csrf.isNew) headers.append("Set-Cookie", await appCookies().csrf.serialize(csrf.token));
  return data(
    {
      locale,
      csrf: csrf.token,
      user: user ? { id: user.id, name: user.name, email: user.email, isPlatformAdmin: user.isPlatformAdmin } : null,
    },
    { headers },
  );
}

export type RootData = Awaited<ReturnType<typeof loader>>["data"];

export function useRootData(): RootData | undefined {
  return useRouteLoaderData<typeof loader>("root");
}

export function Layout({ children }: { children: React.ReactNode }) {
  const root = useRootData();
  const { i18n } = useTranslation();
  const locale = root?.locale ?? (i18n.language === "en" ? "en" : "ar");
  const dir = locale === "ar" ? "rtl" : "ltr";
  const nonce = useNonce();
  return (
    <html lang={locale} dir={dir} {...mantineHtmlProps}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        <ColorSchemeScript nonce={nonce} defaultColorScheme="light" />
      </head>
      <body>
        {/* Keyed by direction: Mantine reads it once, so a language switch remounts the tree. */}
        <DirectionProvider key={dir} initialDirection={dir} detectDirection={false}>
          <MantineProvider theme={theme} defaultColorScheme="light">
            {children}
          </MantineProvider>
        </DirectionProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App({ loaderData }: Route.ComponentProps) {
  const { i18n } = useTranslation();
  useEffect(() => {
    if (i18n.language !== loaderData.locale) void i18n.changeLanguage(loaderData.locale);
  }, [loaderData.locale, i18n]);
  return <Outlet />;
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
