import type { RouterContextProvider } from "react-router";
import type { PlatformActor } from "~/models/platform.server";
import { requestContext, type SessionUser } from "./context.server";
import { notFound } from "./org-context.server";
import { requireUser } from "./session.server";

/**
 * Every /platform loader and action starts here. Anyone who is not a platform admin gets
 * the same 404 as for a page that does not exist: the platform area is not advertised.
 */
export function requirePlatformAdmin(args: { request: Request; context: Readonly<RouterContextProvider> }): { user: SessionUser; actor: PlatformActor } {
  const user = requireUser(args.context, args.request);
  if (!user.isPlatformAdmin) notFound();
  const info = args.context.get(requestContext);
  return { user, actor: { userId: user.id, email: user.email, requestId: info.requestId, ip: info.ip } };
}
