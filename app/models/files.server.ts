import { sql } from "kysely";
import { recordAudit } from "./audit.server";
import type { AuditActor } from "~/utils/audit-actor.server";
import type { Tx } from "~/utils/db.server";
import { asSubject, type AppAbility } from "~/utils/permissions.server";

// Uploaded files' rows and each organisation's storage account. The bytes are in storage
// (app/forms/storage.server.ts); a row exists only for a file that was stored completely,
// passed the checks and fitted in the quota.

/** Defaults while an organisation has no org_storage row (same as the column defaults). */
export const DEFAULT_QUOTA_BYTES = 1024 * 1024 * 1024;
export const DEFAULT_MAX_FILE_BYTES = 25 * 1024 * 1024;

export interface StorageLimits {
  quotaBytes: number;
  maxFileBytes: number;
  usedBytes: number;
}

export async function orgStorageLimits(trx: Tx, orgId: string): Promise<StorageLimits> {
  const row = await trx.selectFrom("org_storage").selectAll().where("org_id", "=", orgId).executeTakeFirst();
  return {
    quotaBytes: row ? Number(row.quota_bytes) : DEFAULT_QUOTA_BYTES,
    maxFileBytes: row ? Number(row.max_file_bytes) : DEFAULT_MAX_FILE_BYTES,
    usedBytes: row ? Number(row.used_bytes) : 0,
  };
}

/** Sets the organisation's limits (an admin setting; also used by tests). */
export async function setOrgStorageLimits(trx: Tx, actor: AuditActor, limits: { quotaBytes?: number; maxFileBytes?: number }) {
  const before = await orgStorageLimits(trx, actor.orgId);
  const quota = limits.quotaBytes ?? before.quotaBytes;
  const maxFile = limits.maxFileBytes ?? before.maxFileBytes;
  await trx
    .insertInto("org_storage")
    .values({ org_id: actor.orgId, quota_bytes: quota, max_file_bytes: maxFile })
    .onConflict((oc) => oc.column("org_id").doUpdateSet({ quota_bytes: quota, max_file_bytes: maxFile, updated_at: new Date() }))
    .execute();
  await recordAudit(trx, {
    ...actor,
    action: "storage.limits",
    subjectType: "Organisation",
    subjectId: actor.orgId,
    before: { quotaBytes: before.quotaBytes, maxFileBytes: before.maxFileBytes },
    after: { quotaBytes: quota, maxFileBytes: maxFile },
  });
}

export interface NewFile {
  storageKey: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}

/**
 * Charges the quota and records the file in one step: the conditional UPDATE is atomic, so
 * two concurrent uploads can never both squeeze into the last free bytes.
 */
export async function recordUpload(trx: Tx, actor: AuditActor, file: NewFile): Promise<{ ok: true; id: string } | { ok: false; reason: "quota" }> {
  await trx.insertInto("org_storage").values({ org_id: actor.orgId }).onConflict((oc) => oc.column("org_id").doNothing()).execute();
  const charged = await trx
    .updateTable("org_storage")
    .set({ used_bytes: sql`used_bytes + ${file.size}`, updated_at: new Date() })
    .where("org_id", "=", actor.orgId)
    .where(sql<boolean>`used_bytes + ${file.size} <= quota_bytes`)
    .returning("used_bytes")
    .executeTakeFirst();
  if (!charged) return { ok: false, reason: "quota" };
  const row = await trx
    .insertInto("files")
    .values({
      org_id: actor.orgId,
      storage_key: file.storageKey,
      filename: file.filename,
      content_type: file.contentType,
      size_bytes: file.size,
      sha256: file.sha256,
      uploaded_by: actor.actorUserId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    ...actor,
    action: "file.upload",
    subjectType: "File",
    subjectId: row.id,
    before: null,
    after: { filename: file.filename, contentType: file.contentType, size: file.size, sha256: file.sha256 },
  });
  return { ok: true, id: row.id };
}

export const STANDALONE = "standalone";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function getFile(trx: Tx, orgId: string, id: string) {
  if (!UUID.test(id)) return undefined;
  return trx.selectFrom("files").selectAll().where("org_id", "=", orgId).where("id", "=", id).executeTakeFirst();
}

export type FileRecord = NonNullable<Awaited<ReturnType<typeof getFile>>>;

/**
 * The files among `ids` a submitter may reference: in this organisation, and uploaded by
 * them or already attached to the same shared context ("task:<id>": a colleague's earlier
 * answer on the same task). "standalone" is nobody's shared context.
 */
export async function usableFiles(trx: Tx, orgId: string, userId: string, context: string, ids: string[]) {
  const valid = ids.filter((id) => UUID.test(id));
  if (valid.length === 0) return new Map<string, { contentType: string; size: number }>();
  const rows = await trx
    .selectFrom("files")
    .select(["id", "content_type", "size_bytes"])
    .where("org_id", "=", orgId)
    .where("id", "in", valid)
    .where((eb) => (context === STANDALONE ? eb("uploaded_by", "=", userId) : eb.or([eb("uploaded_by", "=", userId), eb("attached_to", "=", context)])))
    .execute();
  return new Map(rows.map((r) => [r.id, { contentType: r.content_type, size: Number(r.size_bytes) }]));
}

/**
 * Records what the files now belong to: the shared context, or for a standalone form the
 * submission itself ("submission:<id>"). The first attachment wins.
 */
export async function attachFiles(trx: Tx, orgId: string, ids: string[], attachedTo: string): Promise<void> {
  const valid = ids.filter((id) => UUID.test(id));
  if (valid.length === 0) return;
  await trx.updateTable("files").set({ attached_to: attachedTo }).where("org_id", "=", orgId).where("id", "in", valid).where("attached_to", "is", null).execute();
}

/**
 * Who may download a file: its uploader; for a file attached to a standalone submission,
 * whoever may see that submission (its submitter, or anyone who may update the form); for
 * anything else, those who manage forms (organisation admins). Files attached to a task's
 * context ("task:<id>") follow the same fallback until the engine grants case readers.
 */
export async function mayDownloadFile(trx: Tx, ability: AppAbility, userId: string, file: FileRecord): Promise<boolean> {
  if (file.uploaded_by === userId) return true;
  const submissionId = /^submission:([0-9a-f-]{36})$/.exec(file.attached_to ?? "")?.[1];
  if (submissionId) {
    const row = await trx
      .selectFrom("form_submissions as s")
      .innerJoin("form_versions as v", (j) => j.onRef("v.org_id", "=", "s.org_id").onRef("v.id", "=", "s.form_version_id"))
      .innerJoin("form_definitions as f", (j) => j.onRef("f.org_id", "=", "v.org_id").onRef("f.id", "=", "v.form_id"))
      .select(["s.submitted_by", "f.created_by"])
      .where("s.org_id", "=", file.org_id)
      .where("s.id", "=", submissionId)
      .executeTakeFirst();
    if (row && (row.submitted_by === userId || ability.can("update", asSubject("Form", { createdBy: row.created_by })))) return true;
  }
  return ability.can("manage", "Form");
}
