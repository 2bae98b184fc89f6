import { z } from "zod";
import type { Route } from "./+types/app.$org.forms.$formKey.submit";
import { readJsonBody } from "~/forms/payload.server";
import { submitForm } from "~/models/form-submissions.server";
import { getFormByKey, getFormVersion } from "~/models/forms.server";
import { getInstance } from "~/middleware/i18next";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";

// The filling page's submit (JSON, X-CSRF-Token header; a JSON body is never read by the
// CSRF check, so the byte cap below holds):
//   POST {formVersionId, context, idempotencyKey, data}
//     → 200 {submissionId, redirectTo}            stored (or the earlier result for a retried key)
//     → 400 {code: "validation_failed", errors}   field errors in the user's language
//     → 4xx {code, message}                       form gone, archived, hostile payload…
// Nothing is stored unless the server's validation passes.

const submitBody = z.object({
  formVersionId: z.string().uuid(),
  context: z.string().min(1).max(200),
  idempotencyKey: z.string().min(8).max(200),
  data: z.unknown(),
});

const json = (body: unknown, status = 200) => Response.json(body, { status, headers: { "Cache-Control": "no-store" } });

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Form");
  const t = getInstance(args.context).getFixedT(ctx.locale, "forms");
  if (args.request.method !== "POST") return json({ code: "method_not_allowed" }, 405);
  const body = await readJsonBody(args.request);
  if (!body.ok) return json({ code: body.rejection.code, message: t(`server.payload.${body.rejection.code}`) }, body.rejection.status);
  const parsed = submitBody.safeParse(body.value);
  if (!parsed.success) return json({ code: "bad_request", message: t("fill.errors.badRequest") }, 400);
  const input = parsed.data;
  const result = await withTenant(appDb(), ctx.scope, async (trx) => {
    const [form, version] = await Promise.all([getFormByKey(trx, ctx.org.id, args.params.formKey), getFormVersion(trx, ctx.org.id, input.formVersionId)]);
    if (!form || !version || version.form_id !== form.id) return { ok: false as const, reason: "not_found" as const };
    return submitForm(trx, auditActor(ctx, args.context), { ...input, locale: ctx.locale });
  });
  if (result.ok) {
    const id = result.submission.id;
    return json({ submissionId: id, replayed: result.replayed, redirectTo: `/app/${ctx.org.slug}/forms/submissions/${id}/done` });
  }
  switch (result.reason) {
    case "invalid":
      return json(
        { code: result.result.code, errors: result.result.errors.map((e) => ({ path: e.path, message: e.message })) },
        result.result.status,
      );
    case "archived":
    case "not_published":
      return json({ code: result.reason, message: t("fill.errors.notAvailable") }, 409);
    case "bad_context":
    case "bad_key":
      return json({ code: result.reason, message: t("fill.errors.badRequest") }, 400);
    default:
      return json({ code: "not_found", message: t("fill.errors.notAvailable") }, 404);
  }
}
