import type { Route } from "./+types/app.$org.files";
import { getInstance } from "~/middleware/i18next";
import { fileStorage } from "~/forms/storage.server";
import { handleUpload } from "~/forms/upload.server";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb } from "~/utils/db.server";
import { requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";

// POST /app/:org/files — one file, multipart, streamed to storage (app/forms/upload.server.ts).
// Send the CSRF token in the X-CSRF-Token header: the CSRF check then never reads the body,
// and refuses a large multipart body without it (app/utils/csrf.server.ts).
//   201 {id, filename, size, contentType}
//   4xx {code, message}   413 too large / over quota, 415 not allowed type, 400 malformed
// Uploading is part of filling a form, so it needs "read Form".

const json = (body: unknown, status: number) => Response.json(body, { status, headers: { "Cache-Control": "no-store" } });

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Form");
  if (args.request.method !== "POST") return json({ code: "method_not_allowed" }, 405);
  const t = getInstance(args.context).getFixedT(ctx.locale, "forms");
  const result = await handleUpload(args.request, { actor: auditActor(ctx, args.context), db: appDb(), storage: fileStorage() });
  if (!result.ok) return json({ code: result.code, message: t(`server.files.${result.code}`, result.params ?? {}) }, result.status);
  const { id, filename, size, contentType } = result.file;
  return json({ id, filename, size, contentType }, 201);
}
