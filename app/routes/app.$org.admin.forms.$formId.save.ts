import { z } from "zod";
import type { Route } from "./+types/app.$org.admin.forms.$formId.save";
import { describeProblems } from "~/forms/messages.server";
import { readJsonBody } from "~/forms/payload.server";
import { getFormIfAllowed, saveDraft } from "~/models/forms.server";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";

// The form builder's save (and autosave) endpoint, JSON in and out (X-CSRF-Token header):
//   POST { lockVersion, content: { schema, uiSchema, translations } }
//   → 200 { ok: true, lockVersion, savedAt, warnings }
//   | 400 { ok: false, reason: "invalid", problems } (the schema check refused it; nothing saved)
//   | 409 { ok: false, reason: "conflict", current: { lockVersion, updatedAt } }
// Problems carry their message in the member's language and the JSON pointer they concern.

const body = z.object({
  lockVersion: z.number().int().min(0).max(2_000_000_000),
  content: z.object({ schema: z.unknown(), uiSchema: z.unknown(), translations: z.unknown() }),
});

const json = (value: unknown, status = 200) => Response.json(value, { status, headers: { "Cache-Control": "no-store" } });

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "update", "Form");
  const read = await readJsonBody(args.request);
  if (!read.ok) return json({ ok: false, reason: "failed", code: read.rejection.code }, read.rejection.status);
  const parsed = body.safeParse(read.value);
  if (!parsed.success) return json({ ok: false, reason: "failed", code: "bad_request" }, 400);
  const { lockVersion, content } = parsed.data;
  const result = await withTenant(appDb(), ctx.scope, async (trx) =>
    // Rules may limit updates to the forms the member created: check this very form.
    (await getFormIfAllowed(trx, ctx.ability, ctx.org.id, args.params.formId, "update"))
      ? saveDraft(trx, auditActor(ctx, args.context), args.params.formId, { ...content, lockVersion })
      : ({ ok: false, reason: "not_found" } as const),
  );
  const problems = (list: Parameters<typeof describeProblems>[0]) =>
    describeProblems(list, ctx.locale).map((p) => ({ code: p.code, path: p.path, severity: p.severity, text: p.message }));
  if (result.ok) return json({ ok: true, lockVersion: result.value.lockVersion, savedAt: new Date().toISOString(), warnings: problems(result.warnings) });
  switch (result.reason) {
    case "invalid":
      return json({ ok: false, reason: "invalid", problems: problems(result.problems) }, 400);
    case "conflict":
      return json({ ok: false, reason: "conflict", current: { lockVersion: result.current.lockVersion, updatedAt: result.current.updatedAt.toISOString() } }, 409);
    case "not_found":
      return json({ ok: false, reason: "not_found" }, 404);
    default:
      return json({ ok: false, reason: result.reason }, 400);
  }
}
