import { redirect } from "react-router";
import type { Route } from "./+types/app.$org._index";

export function loader({ params }: Route.LoaderArgs) {
  return redirect(`/app/${params.org}/inbox`);
}
