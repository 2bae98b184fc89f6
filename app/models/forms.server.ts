import { sql } from "kysely";
import { z } from "zod";
import { recordAudit } from "./audit.server";
import { orgStorageLimits } from "./files.server";
import { checkSchema, hasErrors, type Problem } from "~/forms/schema-safety.server";
import type { AuditActor } from "~/utils/audit-actor.server";
import { accessibleWhere } from "~/utils/casl-sql.server";
import type { Tx } from "~/utils/db.server";
import { likePattern } from "~/utils/paging";
import { asSubject, type AppAbility } from "~/utils/permissions.server";

// Form definitions: the same life cycle as workflow definitions. A definition has at most
// one draft version (no number) and any number of published ones (numbered 1, 2, …, frozen
// by a trigger in migrations/0004_forms.ts). Saving and publishing run the schema check
// (app/forms/schema-safety.server.ts); a schema with errors is never written. Every change
// is audit-logged in the same transaction.

export const formKeySchema = z.string().trim().regex(/^[a-z][a-z0-9-]{1,63}$/);
export const formNameSchema = z.string().trim().min(1).max(500);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: string) => UUID.test(v);

/** A new form starts as an empty object schema. */
export const EMPTY_FORM = { schema: { type: "object", properties: {} }, uiSchema: {}, translations: { ar: {}, en: {} } };

export interface FormContent {
  schema: unknown;
  uiSchema: unknown;
  translations: unknown;
}

export type FormResult<T> =
  | { ok: true; value: T; warnings: Problem[] }
  | { ok: false; reason: "not_found" | "duplicate_key" | "archived" | "nothing_to_publish" }
  | { ok: false; reason: "invalid"; problems: Problem[] }
  | { ok: false; reason: "conflict"; current: { lockVersion: number; updatedAt: Date } };

function definitions(trx: Tx, orgId: string) {
  return trx.selectFrom("form_definitions as f").where("f.org_id", "=", orgId);
}

export async function getForm(trx: Tx, orgId: string, id: string) {
  if (!isUuid(id)) return undefined;
  return definitions(trx, orgId).selectAll("f").where("f.id", "=", id).executeTakeFirst();
}

/**
 * The form, when the member may perform `action` on this very form (rules may be limited
 * to forms the member created); undefined otherwise — callers answer 404/403.
 */
export async function getFormIfAllowed(trx: Tx, ability: AppAbility, orgId: string, id: string, action: "read" | "update" | "delete") {
  const form = await getForm(trx, orgId, id);
  return form && ability.can(action, asSubject("Form", { createdBy: form.created_by })) ? form : undefined;
}

export async function getFormByKey(trx: Tx, orgId: string, key: string) {
  return definitions(trx, orgId).selectAll("f").where("f.key", "=", key).executeTakeFirst();
}

/**
 * For the engine's definition validator: true when a step may name this form — it exists
 * in the current tenant (the transaction's app.org_id), is not archived and has a published
 * version to render.
 */
export async function formExists(trx: Tx, key: string): Promise<boolean> {
  const row = await trx
    .selectFrom("form_definitions as f")
    .where("f.org_id", "=", sql<string>`masar_current_org()`)
    .where("f.key", "=", key)
    .where("f.archived_at", "is", null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("form_versions as v")
          .select("v.id")
          .whereRef("v.org_id", "=", "f.org_id")
          .whereRef("v.form_id", "=", "f.id")
          .where("v.status", "=", "published"),
      ),
    )
    .select("f.id")
    .executeTakeFirst();
  return row !== undefined;
}

export interface FormListOptions {
  q: string;
  limit: number;
  offset: number;
  ability: AppAbility;
  includeArchived?: boolean;
}

/** A page of the forms the member may read, with their latest published number and draft state. */
export async function listForms(trx: Tx, orgId: string, options: FormListOptions) {
  const base = definitions(trx, orgId)
    .where(accessibleWhere(options.ability, "read", "Form", { createdBy: "f.created_by" }))
    .$if(!options.includeArchived, (qb) => qb.where("f.archived_at", "is", null))
    .$if(options.q !== "", (qb) =>
      qb.where((eb) => {
        const pattern = likePattern(options.q);
        return eb.or([eb("f.key", "ilike", pattern), eb("f.name_ar", "ilike", pattern), eb("f.name_en", "ilike", pattern)]);
      }),
    );
  const [rows, total] = await Promise.all([
    base
      .select(["f.id", "f.key", "f.name_ar", "f.name_en", "f.created_by", "f.created_at", "f.archived_at"])
      .select((eb) =>
        eb
          .selectFrom("form_versions as v")
          .whereRef("v.org_id", "=", "f.org_id")
          .whereRef("v.form_id", "=", "f.id")
          .select((e) => e.fn.max("v.version").as("n"))
          .as("latest_version"),
      )
      .select((eb) =>
        eb
          .exists(
            eb.selectFrom("form_versions as d").select("d.id").whereRef("d.org_id", "=", "f.org_id").whereRef("d.form_id", "=", "f.id").where("d.status", "=", "draft"),
          )
          .as("has_draft"),
      )
      .orderBy("f.created_at", "desc")
      .orderBy("f.id")
      .limit(options.limit)
      .offset(options.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map((r) => ({ ...r, latest_version: r.latest_version === null ? null : Number(r.latest_version) })), total: Number(total.n) };
}

export async function listFormVersions(trx: Tx, orgId: string, formId: string) {
  if (!isUuid(formId)) return [];
  return trx
    .selectFrom("form_versions")
    .select(["id", "version", "status", "change_note", "lock_version", "created_by", "created_at", "updated_at", "published_by", "published_at"])
    .where("org_id", "=", orgId)
    .where("form_id", "=", formId)
    .orderBy(sql`version IS NULL`, "desc")
    .orderBy("version", "desc")
    .execute();
}

export async function getFormVersion(trx: Tx, orgId: string, versionId: string) {
  if (!isUuid(versionId)) return undefined;
  return trx.selectFrom("form_versions").selectAll().where("org_id", "=", orgId).where("id", "=", versionId).executeTakeFirst();
}

export type FormVersion = NonNullable<Awaited<ReturnType<typeof getFormVersion>>>;

export async function getDraftVersion(trx: Tx, orgId: string, formId: string, options: { forUpdate?: boolean } = {}) {
  if (!isUuid(formId)) return undefined;
  return trx
    .selectFrom("form_versions")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("form_id", "=", formId)
    .where("status", "=", "draft")
    .$if(Boolean(options.forUpdate), (qb) => qb.forUpdate())
    .executeTakeFirst();
}

/** The latest published version of a form (by id or key) that is not archived. */
/**
 * A step's form version: the one the case pinned (a published version never changes, and
 * stays usable by the cases that pinned it even after the form is archived or republished),
 * else the latest published one.
 */
export async function getStepFormVersion(trx: Tx, orgId: string, key: string, pinnedVersionId: string | undefined) {
  if (!pinnedVersionId) return getLatestPublishedVersion(trx, orgId, { key });
  return trx
    .selectFrom("form_versions as v")
    .innerJoin("form_definitions as f", (j) => j.onRef("f.org_id", "=", "v.org_id").onRef("f.id", "=", "v.form_id"))
    .selectAll("v")
    .select(["f.key", "f.name_ar", "f.name_en"])
    .where("v.org_id", "=", orgId)
    .where("v.id", "=", pinnedVersionId)
    .where("f.key", "=", key)
    .where("v.status", "in", ["published", "archived"])
    .executeTakeFirst();
}

/** Form key → id of its latest published version, for the keys that have one (one query). */
export async function latestPublishedFormVersionIds(trx: Tx, orgId: string, keys: string[]): Promise<Record<string, string>> {
  if (keys.length === 0) return {};
  const rows = await trx
    .selectFrom("form_versions as v")
    .innerJoin("form_definitions as f", (j) => j.onRef("f.org_id", "=", "v.org_id").onRef("f.id", "=", "v.form_id"))
    .select(["f.key", "v.id"])
    .distinctOn("f.key")
    .where("v.org_id", "=", orgId)
    .where("v.status", "=", "published")
    .where("f.archived_at", "is", null)
    .where("f.key", "in", keys)
    .orderBy("f.key")
    .orderBy("v.version", "desc")
    .execute();
  return Object.fromEntries(rows.map((r) => [r.key, r.id]));
}

export async function getLatestPublishedVersion(trx: Tx, orgId: string, form: { id: string } | { key: string }) {
  return trx
    .selectFrom("form_versions as v")
    .innerJoin("form_definitions as f", (j) => j.onRef("f.org_id", "=", "v.org_id").onRef("f.id", "=", "v.form_id"))
    .selectAll("v")
    .select(["f.key", "f.name_ar", "f.name_en"])
    .where("v.org_id", "=", orgId)
    .where("v.status", "=", "published")
    .where("f.archived_at", "is", null)
    .$if("id" in form, (qb) => qb.where("f.id", "=", (form as { id: string }).id))
    .$if("key" in form, (qb) => qb.where("f.key", "=", (form as { key: string }).key))
    .orderBy("v.version", "desc")
    .limit(1)
    .executeTakeFirst();
}

async function check(trx: Tx, orgId: string, content: FormContent, mode: "draft" | "publish") {
  const limits = await orgStorageLimits(trx, orgId);
  return checkSchema(content, { mode, maxFileMb: limits.maxFileBytes / (1024 * 1024) });
}

const contentColumns = (content: FormContent) => ({
  schema: JSON.stringify(content.schema),
  ui_schema: JSON.stringify(content.uiSchema ?? {}),
  translations: JSON.stringify(content.translations ?? { ar: {}, en: {} }),
});

export interface NewForm {
  key: string;
  name_ar: string;
  name_en: string;
  content?: FormContent;
}

/** Creates the definition and its first draft. */
export async function createForm(trx: Tx, actor: AuditActor, input: NewForm): Promise<FormResult<{ id: string; draftId: string }>> {
  const content = input.content ?? EMPTY_FORM;
  const problems = await check(trx, actor.orgId, content, "draft");
  if (hasErrors(problems)) return { ok: false, reason: "invalid", problems };
  // ON CONFLICT instead of catching 23505: a failed statement would abort the transaction.
  const form = await trx
    .insertInto("form_definitions")
    .values({ org_id: actor.orgId, key: input.key, name_ar: input.name_ar, name_en: input.name_en, created_by: actor.actorUserId })
    .onConflict((oc) => oc.columns(["org_id", "key"]).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!form) return { ok: false, reason: "duplicate_key" };
  const draft = await trx
    .insertInto("form_versions")
    .values({ org_id: actor.orgId, form_id: form.id, status: "draft", created_by: actor.actorUserId, ...contentColumns(content) })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    ...actor,
    action: "form.create",
    subjectType: "Form",
    subjectId: form.id,
    before: null,
    after: { key: form.key, name_ar: form.name_ar, name_en: form.name_en },
  });
  return { ok: true, value: { id: form.id, draftId: draft.id }, warnings: problems };
}

export async function renameForm(trx: Tx, actor: AuditActor, formId: string, names: { name_ar: string; name_en: string }): Promise<FormResult<{ id: string }>> {
  const before = await getForm(trx, actor.orgId, formId);
  if (!before) return { ok: false, reason: "not_found" };
  await trx.updateTable("form_definitions").set(names).where("org_id", "=", actor.orgId).where("id", "=", formId).execute();
  await recordAudit(trx, { ...actor, action: "form.rename", subjectType: "Form", subjectId: formId, before: { name_ar: before.name_ar, name_en: before.name_en }, after: names });
  return { ok: true, value: { id: formId }, warnings: [] };
}

/**
 * Saves the builder's work into the form's draft, edited from `lockVersion`. lockVersion 0
 * means "there was no draft" (it starts a new one after a publish); a stale lockVersion
 * changes nothing and says what the current draft is.
 */
export async function saveDraft(
  trx: Tx,
  actor: AuditActor,
  formId: string,
  input: FormContent & { lockVersion: number; changeNote?: string | null },
): Promise<FormResult<{ id: string; lockVersion: number }>> {
  const form = await getForm(trx, actor.orgId, formId);
  if (!form) return { ok: false, reason: "not_found" };
  if (form.archived_at) return { ok: false, reason: "archived" };
  const problems = await check(trx, actor.orgId, input, "draft");
  if (hasErrors(problems)) return { ok: false, reason: "invalid", problems };
  const draft = await getDraftVersion(trx, actor.orgId, formId, { forUpdate: true });
  const changeNote = input.changeNote?.trim().slice(0, 1000) || null;
  if (!draft) {
    if (input.lockVersion !== 0) return { ok: false, reason: "conflict", current: { lockVersion: 0, updatedAt: new Date(0) } };
    const created = await trx
      .insertInto("form_versions")
      .values({ org_id: actor.orgId, form_id: formId, status: "draft", created_by: actor.actorUserId, change_note: changeNote, ...contentColumns(input) })
      .onConflict((oc) => oc.columns(["org_id", "form_id"]).where("status", "=", "draft").doNothing())
      .returning(["id", "lock_version", "updated_at"])
      .executeTakeFirst();
    if (!created) {
      const current = await getDraftVersion(trx, actor.orgId, formId);
      return { ok: false, reason: "conflict", current: { lockVersion: current?.lock_version ?? 0, updatedAt: current?.updated_at ?? new Date(0) } };
    }
    await recordAudit(trx, { ...actor, action: "form.draft_save", subjectType: "Form", subjectId: formId, before: null, after: { versionId: created.id, lockVersion: 1 } });
    return { ok: true, value: { id: created.id, lockVersion: created.lock_version }, warnings: problems };
  }
  if (draft.lock_version !== input.lockVersion) {
    return { ok: false, reason: "conflict", current: { lockVersion: draft.lock_version, updatedAt: draft.updated_at } };
  }
  const saved = await trx
    .updateTable("form_versions")
    .set({ ...contentColumns(input), change_note: changeNote, lock_version: draft.lock_version + 1, updated_at: new Date() })
    .where("org_id", "=", actor.orgId)
    .where("id", "=", draft.id)
    .where("lock_version", "=", input.lockVersion)
    .returning(["id", "lock_version"])
    .executeTakeFirstOrThrow();
  // The audit keeps the size of the change, not the whole schema twice.
  await recordAudit(trx, {
    ...actor,
    action: "form.draft_save",
    subjectType: "Form",
    subjectId: formId,
    before: { versionId: draft.id, lockVersion: draft.lock_version },
    after: { versionId: draft.id, lockVersion: saved.lock_version, bytes: JSON.stringify(input.schema).length },
  });
  return { ok: true, value: { id: saved.id, lockVersion: saved.lock_version }, warnings: problems };
}

/**
 * Publishes the draft seen at `lockVersion` as the next numbered version. The full check
 * (publish mode: Arabic texts complete) must pass; nothing changes otherwise.
 */
export async function publishForm(trx: Tx, actor: AuditActor, formId: string, lockVersion: number): Promise<FormResult<{ id: string; version: number }>> {
  const form = await getForm(trx, actor.orgId, formId);
  if (!form) return { ok: false, reason: "not_found" };
  if (form.archived_at) return { ok: false, reason: "archived" };
  // Serialise publishers of the same form: the numbering below reads then writes.
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`form-publish:${formId}`}, 0))`.execute(trx);
  const draft = await getDraftVersion(trx, actor.orgId, formId, { forUpdate: true });
  if (!draft) return { ok: false, reason: "nothing_to_publish" };
  if (draft.lock_version !== lockVersion) return { ok: false, reason: "conflict", current: { lockVersion: draft.lock_version, updatedAt: draft.updated_at } };
  const problems = await check(trx, actor.orgId, { schema: draft.schema, uiSchema: draft.ui_schema, translations: draft.translations }, "publish");
  if (hasErrors(problems)) return { ok: false, reason: "invalid", problems };
  const last = await trx
    .selectFrom("form_versions")
    .select((eb) => eb.fn.max("version").as("n"))
    .where("org_id", "=", actor.orgId)
    .where("form_id", "=", formId)
    .executeTakeFirstOrThrow();
  const number = Number(last.n ?? 0) + 1;
  await trx
    .updateTable("form_versions")
    .set({ status: "published", version: number, published_by: actor.actorUserId, published_at: new Date(), updated_at: new Date() })
    .where("org_id", "=", actor.orgId)
    .where("id", "=", draft.id)
    .execute();
  await recordAudit(trx, { ...actor, action: "form.publish", subjectType: "Form", subjectId: formId, before: { versionId: draft.id, status: "draft" }, after: { versionId: draft.id, version: number } });
  return { ok: true, value: { id: draft.id, version: number }, warnings: problems };
}

/** Archived forms leave lists and cannot be filled or published; their data stays. */
export async function archiveForm(trx: Tx, actor: AuditActor, formId: string): Promise<FormResult<{ id: string }>> {
  const form = await getForm(trx, actor.orgId, formId);
  if (!form) return { ok: false, reason: "not_found" };
  if (form.archived_at) return { ok: true, value: { id: formId }, warnings: [] };
  await trx.updateTable("form_definitions").set({ archived_at: new Date() }).where("org_id", "=", actor.orgId).where("id", "=", formId).execute();
  await recordAudit(trx, { ...actor, action: "form.archive", subjectType: "Form", subjectId: formId, before: { archived: false }, after: { archived: true } });
  return { ok: true, value: { id: formId }, warnings: [] };
}

export async function restoreForm(trx: Tx, actor: AuditActor, formId: string): Promise<FormResult<{ id: string }>> {
  const form = await getForm(trx, actor.orgId, formId);
  if (!form) return { ok: false, reason: "not_found" };
  if (!form.archived_at) return { ok: true, value: { id: formId }, warnings: [] };
  await trx.updateTable("form_definitions").set({ archived_at: null }).where("org_id", "=", actor.orgId).where("id", "=", formId).execute();
  await recordAudit(trx, { ...actor, action: "form.restore", subjectType: "Form", subjectId: formId, before: { archived: true }, after: { archived: false } });
  return { ok: true, value: { id: formId }, warnings: [] };
}
