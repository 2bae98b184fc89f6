import { redirect } from "react-router";
import type { Route } from "./+types/logout";
import { recordAudit } from "~/models/audit.server";
import { deleteSession } from "~/models/sessions.server";
import { appCookies } from "~/utils/cookies.server";
import { requestContext, userContext } from "~/utils/context.server";
import { appDb, withTenant } from "~/utils/db.server";

export async function action({ context }: Route.ActionArgs) {
  const user = context.get(userContext);
  if (user) {
    await deleteSession(appDb(), user.sessionHash);
    if (user.currentOrgId) {
      const info = context.get(requestContext);
      await withTenant(appDb(), { orgId: user.currentOrgId, userId: user.id }, (trx) =>
        recordAudit(trx, { orgId: user.currentOrgId, actorUserId: user.id, actorLabel: user.email, action: "session.logout", subjectType: "Session", requestId: info.requestId, ip: info.ip }),
      );
    }
  }
  throw redirect("/login", { headers: { "Set-Cookie": await appCookies().session.serialize("", { maxAge: 0 }) } });
}

export function loader() {
  return redirect("/");
}
