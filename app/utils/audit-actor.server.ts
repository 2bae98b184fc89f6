import type { RouterContextProvider } from "react-router";
import type { AuditInput } from "~/models/audit.server";
import { requestContext } from "./context.server";
import type { OrgContext } from "./org-context.server";

/** Who is acting, where: the part of every audit entry that comes from the request. */
export type AuditActor = Required<Pick<AuditInput, "orgId" | "actorUserId" | "actorLabel" | "requestId" | "ip">> & {
  orgId: string;
  actorUserId: string;
};

export function auditActor(ctx: Pick<OrgContext, "org" | "user">, context: Readonly<RouterContextProvider>): AuditActor {
  const info = context.get(requestContext);
  return {
    orgId: ctx.org.id,
    actorUserId: ctx.user.id,
    actorLabel: ctx.user.email,
    requestId: info.requestId,
    ip: info.ip,
  };
}
