import { redirect } from "react-router";
import type { Route } from "./+types/locale";
import { isLocale } from "~/locales";
import { setUserLocale } from "~/models/users.server";
import { appCookies } from "~/utils/cookies.server";
import { userContext } from "~/utils/context.server";
import { appDb } from "~/utils/db.server";
import { safeNext } from "~/utils/redirects";

export async function action({ request, context }: Route.ActionArgs) {
  const form = await request.formData();
  const locale = form.get("locale");
  if (!isLocale(locale)) throw new Response("Unsupported language", { status: 400 });
  const user = context.get(userContext);
  if (user) await setUserLocale(appDb(), user.id, locale);
  throw redirect(safeNext(String(form.get("back") ?? "/")), {
    headers: { "Set-Cookie": await appCookies().locale.serialize(locale) },
  });
}

export function loader() {
  return redirect("/");
}
