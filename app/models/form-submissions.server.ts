import { recordAudit } from "./audit.server";
import { attachFiles, STANDALONE, usableFiles } from "./files.server";
import { deleteFormDraft, isFormContext } from "./form-drafts.server";
import { isUuid } from "./forms.server";
import type { FormsLocale } from "~/forms/messages.server";
import { validateSubmission, type ValidationResult } from "~/forms/validate.server";
import type { AuditActor } from "~/utils/audit-actor.server";
import type { Tx } from "~/utils/db.server";

// A submission is validated by the server against the exact version it names, stored with
// that version's id, and the person's draft for it is removed — all in one transaction.
// The idempotency key (unique per organisation and person) makes a retried submit (double
// click, network error after the server committed) return the first result, never a copy.

export const idempotencyKeyPattern = /^[A-Za-z0-9_-]{8,200}$/;

export interface SubmitInput {
  formVersionId: string;
  context: string;
  data: unknown;
  idempotencyKey: string;
  locale: FormsLocale;
}

export interface StoredSubmission {
  id: string;
  formVersionId: string;
  context: string;
  data: unknown;
  submittedAt: Date;
}

export type SubmitResult =
  | { ok: true; submission: StoredSubmission; replayed: boolean }
  | { ok: false; reason: "not_found" | "not_published" | "archived" | "bad_context" | "bad_key" }
  | { ok: false; reason: "invalid"; result: Extract<ValidationResult, { ok: false }> };

async function bySubmitterKey(trx: Tx, orgId: string, userId: string, key: string): Promise<StoredSubmission | undefined> {
  const row = await trx
    .selectFrom("form_submissions")
    .select(["id", "form_version_id", "context", "data", "submitted_at"])
    .where("org_id", "=", orgId)
    .where("submitted_by", "=", userId)
    .where("idempotency_key", "=", key)
    .executeTakeFirst();
  return row && { id: row.id, formVersionId: row.form_version_id, context: row.context, data: row.data, submittedAt: row.submitted_at };
}

export async function submitForm(trx: Tx, actor: AuditActor, input: SubmitInput): Promise<SubmitResult> {
  if (!isFormContext(input.context)) return { ok: false, reason: "bad_context" };
  if (!idempotencyKeyPattern.test(input.idempotencyKey)) return { ok: false, reason: "bad_key" };
  const earlier = await bySubmitterKey(trx, actor.orgId, actor.actorUserId, input.idempotencyKey);
  if (earlier) return { ok: true, submission: earlier, replayed: true };

  if (!isUuid(input.formVersionId)) return { ok: false, reason: "not_found" };
  const version = await trx
    .selectFrom("form_versions as v")
    .innerJoin("form_definitions as f", (j) => j.onRef("f.org_id", "=", "v.org_id").onRef("f.id", "=", "v.form_id"))
    .select(["v.id", "v.lock_version", "v.schema", "v.translations", "v.status", "f.archived_at", "f.id as form_id"])
    .where("v.org_id", "=", actor.orgId)
    .where("v.id", "=", input.formVersionId)
    .executeTakeFirst();
  if (!version) return { ok: false, reason: "not_found" };
  if (version.status !== "published") return { ok: false, reason: "not_published" };
  if (version.archived_at) return { ok: false, reason: "archived" };

  let referenced: string[] = [];
  const result = await validateSubmission(version, input.data, input.locale, {
    files: async (ids) => {
      referenced = ids;
      return usableFiles(trx, actor.orgId, actor.actorUserId, input.context, ids);
    },
  });
  if (!result.ok) return { ok: false, reason: "invalid", result };

  const inserted = await trx
    .insertInto("form_submissions")
    .values({
      org_id: actor.orgId,
      form_version_id: version.id,
      context: input.context,
      data: JSON.stringify(result.value),
      submitted_by: actor.actorUserId,
      idempotency_key: input.idempotencyKey,
    })
    .onConflict((oc) => oc.columns(["org_id", "submitted_by", "idempotency_key"]).doNothing())
    .returning(["id", "submitted_at"])
    .executeTakeFirst();
  if (!inserted) {
    // A concurrent request with the same key committed first: answer with its result.
    const winner = await bySubmitterKey(trx, actor.orgId, actor.actorUserId, input.idempotencyKey);
    if (winner) return { ok: true, submission: winner, replayed: true };
    throw new Error("submission idempotency conflict without a stored submission");
  }
  await attachFiles(trx, actor.orgId, referenced, input.context === STANDALONE ? `submission:${inserted.id}` : input.context);
  await deleteFormDraft(trx, { orgId: actor.orgId, userId: actor.actorUserId }, version.id, input.context);
  // The answers themselves stay in form_submissions; the audit records who, what, where.
  await recordAudit(trx, {
    ...actor,
    action: "form.submit",
    subjectType: "FormSubmission",
    subjectId: inserted.id,
    before: null,
    after: { formId: version.form_id, formVersionId: version.id, context: input.context, files: referenced.length },
  });
  return {
    ok: true,
    replayed: false,
    submission: { id: inserted.id, formVersionId: version.id, context: input.context, data: result.value, submittedAt: inserted.submitted_at },
  };
}

export async function getSubmission(trx: Tx, orgId: string, id: string) {
  if (!isUuid(id)) return undefined;
  return trx.selectFrom("form_submissions").selectAll().where("org_id", "=", orgId).where("id", "=", id).executeTakeFirst();
}
