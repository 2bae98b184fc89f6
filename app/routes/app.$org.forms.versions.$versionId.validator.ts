import type { Route } from "./+types/app.$org.forms.versions.$versionId.validator";
import { clientValidatorModule } from "~/forms/client-validator.server";
import { localiseSchema } from "~/forms/localise";
import { getFormVersion } from "~/models/forms.server";
import { appDb, withTenant } from "~/utils/db.server";
import { notFound, requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";

// GET /app/:org/forms/versions/:versionId/validator?lang=ar — the precompiled browser
// validator of a published version in one language, as a JavaScript module (the CSP allows
// same-origin scripts but not eval; see app/forms/client-validator.server.ts).
export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Form");
  const lang = new URL(args.request.url).searchParams.get("lang") === "en" ? "en" : "ar";
  const version = await withTenant(appDb(), ctx.scope, (trx) => getFormVersion(trx, ctx.org.id, args.params.versionId));
  // Drafts change under the builder: only immutable versions are compiled and cached.
  if (!version || version.status === "draft") notFound();
  const { schema } = localiseSchema({ schema: version.schema, uiSchema: version.ui_schema, translations: version.translations as never }, lang);
  const source = clientValidatorModule(`${version.id}:${lang}`, schema);
  return new Response(source, {
    headers: {
      "Content-Type": "text/javascript; charset=utf-8",
      // Private (tenant data), and immutable: the version's content never changes.
      "Cache-Control": "private, max-age=86400, immutable",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
