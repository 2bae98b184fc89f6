import { createCookie, type Cookie } from "react-router";
import { env } from "./env.server";

// With Secure cookies the __Host- prefix pins them to this host and path "/",
// so a sibling subdomain cannot plant a session or CSRF cookie.
function make(name: string, maxAge?: number): Cookie {
  const secure = env().secureCookies;
  return createCookie(secure ? `__Host-${name}` : name, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure,
    maxAge,
  });
}

let cookies: { session: Cookie; csrf: Cookie; locale: Cookie } | undefined;

export function appCookies() {
  cookies ??= {
    session: make("masar_session", env().SESSION_DAYS * 86_400),
    csrf: make("masar_csrf"),
    locale: make("masar_lng", 365 * 86_400),
  };
  return cookies;
}
