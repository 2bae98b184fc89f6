import { guardPayload, type PayloadRejection } from "~/forms/payload.server";
import type { Tx } from "~/utils/db.server";
import { isUuid } from "./forms.server";

// Autosaved answers: one draft per person, form version and context. A draft is the
// person's private working copy, checked only for hostile shapes (not against the schema:
// half-filled is the point). Saves are optimistic on lock_version, so a second tab or
// device that saved in between is detected and explained instead of silently overwritten.
// Autosaves are not audit-logged (they would drown the log); the submission is.

export const contextSchemaPattern = /^(standalone|[a-z]{1,20}:[A-Za-z0-9_-]{1,100})$/;
export const isFormContext = (value: string) => contextSchemaPattern.test(value);

export interface DraftOwner {
  orgId: string;
  userId: string;
}

export async function getFormDraft(trx: Tx, owner: DraftOwner, formVersionId: string, context: string) {
  if (!isUuid(formVersionId)) return undefined;
  return trx
    .selectFrom("form_drafts")
    .select(["id", "form_version_id", "context", "data", "lock_version", "updated_at"])
    .where("org_id", "=", owner.orgId)
    .where("user_id", "=", owner.userId)
    .where("form_version_id", "=", formVersionId)
    .where("context", "=", context)
    .executeTakeFirst();
}

/** The person's newest draft of any version of a form in a context (after a new version was published). */
export async function latestDraftForForm(trx: Tx, owner: DraftOwner, formId: string, context: string) {
  if (!isUuid(formId)) return undefined;
  return trx
    .selectFrom("form_drafts as d")
    .innerJoin("form_versions as v", (j) => j.onRef("v.org_id", "=", "d.org_id").onRef("v.id", "=", "d.form_version_id"))
    .select(["d.id", "d.form_version_id", "d.context", "d.data", "d.lock_version", "d.updated_at", "v.version"])
    .where("d.org_id", "=", owner.orgId)
    .where("d.user_id", "=", owner.userId)
    .where("v.form_id", "=", formId)
    .where("d.context", "=", context)
    .orderBy("d.updated_at", "desc")
    .limit(1)
    .executeTakeFirst();
}

export type DraftSaveResult =
  | { ok: true; lockVersion: number; savedAt: Date }
  | { ok: false; reason: "not_found" | "bad_context" }
  | { ok: false; reason: "payload"; rejection: PayloadRejection }
  | { ok: false; reason: "conflict"; current: { lockVersion: number; savedAt: Date } };

/**
 * Saves the draft last seen at `lockVersion` (0 = no draft yet). On a conflict nothing is
 * written and the caller learns the newer save's version and time, so the page can say
 * "a newer draft was saved elsewhere at …" and offer to load it or keep this one.
 */
export async function saveFormDraft(
  trx: Tx,
  owner: DraftOwner,
  input: { formVersionId: string; context: string; data: unknown; lockVersion: number },
): Promise<DraftSaveResult> {
  if (!isFormContext(input.context)) return { ok: false, reason: "bad_context" };
  const guarded = guardPayload(input.data);
  if (!guarded.ok) return { ok: false, reason: "payload", rejection: guarded.rejection };
  if (!isUuid(input.formVersionId)) return { ok: false, reason: "not_found" };
  const version = await trx
    .selectFrom("form_versions")
    .select("id")
    .where("org_id", "=", owner.orgId)
    .where("id", "=", input.formVersionId)
    .where("status", "=", "published")
    .executeTakeFirst();
  if (!version) return { ok: false, reason: "not_found" };
  const data = JSON.stringify(guarded.copy);
  const now = new Date();
  const saved =
    input.lockVersion === 0
      ? await trx
          .insertInto("form_drafts")
          .values({ org_id: owner.orgId, user_id: owner.userId, form_version_id: input.formVersionId, context: input.context, data })
          .onConflict((oc) => oc.columns(["org_id", "user_id", "form_version_id", "context"]).doNothing())
          .returning(["lock_version", "updated_at"])
          .executeTakeFirst()
      : await trx
          .updateTable("form_drafts")
          .set({ data, lock_version: input.lockVersion + 1, updated_at: now })
          .where("org_id", "=", owner.orgId)
          .where("user_id", "=", owner.userId)
          .where("form_version_id", "=", input.formVersionId)
          .where("context", "=", input.context)
          .where("lock_version", "=", input.lockVersion)
          .returning(["lock_version", "updated_at"])
          .executeTakeFirst();
  if (saved) return { ok: true, lockVersion: saved.lock_version, savedAt: saved.updated_at };
  const current = await getFormDraft(trx, owner, input.formVersionId, input.context);
  if (!current) return { ok: false, reason: "conflict", current: { lockVersion: 0, savedAt: now } };
  return { ok: false, reason: "conflict", current: { lockVersion: current.lock_version, savedAt: current.updated_at } };
}

export async function deleteFormDraft(trx: Tx, owner: DraftOwner, formVersionId: string, context: string): Promise<void> {
  if (!isUuid(formVersionId)) return;
  await trx
    .deleteFrom("form_drafts")
    .where("org_id", "=", owner.orgId)
    .where("user_id", "=", owner.userId)
    .where("form_version_id", "=", formVersionId)
    .where("context", "=", context)
    .execute();
}
