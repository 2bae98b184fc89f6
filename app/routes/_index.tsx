import { redirect } from "react-router";
import type { Route } from "./+types/_index";
import { listUserOrgs } from "~/models/organisations.server";
import { appDb, withUser } from "~/utils/db.server";
import { requireUser } from "~/utils/session.server";

/** Home: the current organisation's inbox, else the first one, else the platform or a welcome page. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requireUser(context, request);
  const db = appDb();
  const orgs = await withUser(db, user.id, (trx) => listUserOrgs(trx, user.id));
  const current = user.currentOrgId ? orgs.find((o) => o.id === user.currentOrgId) : undefined;
  const target = current ?? orgs[0];
  if (target) throw redirect(`/app/${target.slug}/inbox`);
  throw redirect(user.isPlatformAdmin ? "/platform" : "/welcome");
}
