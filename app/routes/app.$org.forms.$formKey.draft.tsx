import { z } from "zod";
import type { Route } from "./+types/app.$org.forms.$formKey.draft";
import { readJsonBody } from "~/forms/payload.server";
import { getFormDraft, saveFormDraft } from "~/models/form-drafts.server";
import { dropOtherVersionDrafts } from "~/models/form-fill.server";
import { getFormByKey, getFormVersion } from "~/models/forms.server";
import { appDb, withTenant, type Tx } from "~/utils/db.server";
import { requireOrgMember, type OrgContext } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";

// The autosave endpoint of the filling page (JSON, X-CSRF-Token header):
//   POST {formVersionId, context, data, lockVersion} → 200 {lockVersion, savedAt}
//        | 409 {code: "conflict", lockVersion, savedAt} (a newer save from elsewhere)
//   GET ?formVersionId=&context= → the person's draft, to load the newer one after a conflict.

const saveBody = z.object({
  formVersionId: z.string().uuid(),
  context: z.string().min(1).max(200),
  lockVersion: z.number().int().min(0).max(2_000_000_000),
  // Passed on untouched: the model's payload guard refuses hostile shapes (__proto__ keys,
  // deep nesting…) with a 4xx, where a zod record would quietly drop them.
  data: z.unknown(),
});

const json = (body: unknown, status = 200) => Response.json(body, { status, headers: { "Cache-Control": "no-store" } });

/** The version must be one of this form's published versions. */
async function versionOfForm(trx: Tx, ctx: OrgContext, formKey: string, versionId: string) {
  const [form, version] = await Promise.all([getFormByKey(trx, ctx.org.id, formKey), getFormVersion(trx, ctx.org.id, versionId)]);
  return form && version && version.form_id === form.id && version.status !== "draft" ? version : undefined;
}

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Form");
  const url = new URL(args.request.url);
  const versionId = url.searchParams.get("formVersionId") ?? "";
  const context = url.searchParams.get("context") ?? "standalone";
  const draft = await withTenant(appDb(), ctx.scope, async (trx) => {
    if (!(await versionOfForm(trx, ctx, args.params.formKey, versionId))) return undefined;
    return getFormDraft(trx, { orgId: ctx.org.id, userId: ctx.user.id }, versionId, context);
  });
  if (!draft) return json({ code: "not_found" }, 404);
  return json({ data: draft.data, lockVersion: draft.lock_version, savedAt: draft.updated_at.toISOString() });
}

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Form");
  if (args.request.method !== "POST") return json({ code: "method_not_allowed" }, 405);
  const body = await readJsonBody(args.request);
  if (!body.ok) return json({ code: body.rejection.code }, body.rejection.status);
  const parsed = saveBody.safeParse(body.value);
  if (!parsed.success) return json({ code: "bad_request" }, 400);
  const input = parsed.data;
  const owner = { orgId: ctx.org.id, userId: ctx.user.id };
  const result = await withTenant(appDb(), ctx.scope, async (trx) => {
    const version = await versionOfForm(trx, ctx, args.params.formKey, input.formVersionId);
    if (!version) return { ok: false as const, reason: "not_found" as const };
    const saved = await saveFormDraft(trx, owner, input);
    // A first save on this version holds whatever was carried over from an earlier one.
    if (saved.ok && input.lockVersion === 0) await dropOtherVersionDrafts(trx, owner, version.form_id, version.id, input.context);
    return saved;
  });
  if (result.ok) return json({ lockVersion: result.lockVersion, savedAt: result.savedAt.toISOString() });
  switch (result.reason) {
    case "conflict":
      return json({ code: "conflict", lockVersion: result.current.lockVersion, savedAt: result.current.savedAt.toISOString() }, 409);
    case "payload":
      return json({ code: result.rejection.code, path: result.rejection.path }, result.rejection.status);
    case "bad_context":
      return json({ code: "bad_context" }, 400);
    default:
      return json({ code: "not_found" }, 404);
  }
}
