import { recordAudit } from "~/models/audit.server";
import type { AuditActor } from "~/utils/audit-actor.server";
import type { Tx } from "~/utils/db.server";
import { emptyCharter, readCharterContent, type CharterContent } from "./charter";
import type { ServiceCatalogueTables } from "./db";

// The service charter: one working draft per organisation and its published versions (the
// portal shows the latest). Publishing copies the draft into a new numbered version; versions
// are never updated (a database trigger refuses it).

const tables = (trx: Tx) => trx.withTables<ServiceCatalogueTables>();

export interface CharterDraft {
  content: CharterContent;
  rowVersion: number;
  updatedAt: Date | null;
  /** True when the draft differs from the latest published version (or nothing is published). */
  unpublishedChanges: boolean;
}

export interface CharterVersionRow {
  version: number;
  publishedAt: Date;
  publishedByName: string | null;
  content: CharterContent;
}

export async function getCharterDraft(trx: Tx, orgId: string): Promise<CharterDraft> {
  const row = await tables(trx).selectFrom("service_catalogue_charter").selectAll().where("org_id", "=", orgId).executeTakeFirst();
  const latest = await latestCharterVersion(trx, orgId);
  if (!row) {
    const org = await trx.selectFrom("organisations").select(["name_ar", "name_en"]).where("id", "=", orgId).executeTakeFirstOrThrow();
    return {
      content: latest?.content ?? emptyCharter({ ar: org.name_ar, en: org.name_en }),
      rowVersion: 0,
      updatedAt: null,
      unpublishedChanges: false,
    };
  }
  const content = readCharterContent(row.content);
  return {
    content,
    rowVersion: row.row_version,
    updatedAt: row.updated_at,
    unpublishedChanges: !latest || JSON.stringify(latest.content) !== JSON.stringify(content),
  };
}

export type SaveCharterResult = { ok: true; rowVersion: number } | { ok: false; reason: "stale" };

/** Saves the draft; `expectedRowVersion` 0 means "no draft yet". */
export async function saveCharterDraft(trx: Tx, actor: AuditActor, content: CharterContent, expectedRowVersion: number): Promise<SaveCharterResult> {
  const before = await tables(trx).selectFrom("service_catalogue_charter").selectAll().where("org_id", "=", actor.orgId).forUpdate().executeTakeFirst();
  if ((before?.row_version ?? 0) !== expectedRowVersion) return { ok: false, reason: "stale" };
  const json = JSON.stringify(content);
  if (before) {
    await tables(trx)
      .updateTable("service_catalogue_charter")
      .set({
        content: json,
        row_version: before.row_version + 1,
        updated_by: actor.actorUserId,
        updated_at: new Date(),
      })
      .where("org_id", "=", actor.orgId)
      .execute();
  } else {
    await tables(trx)
      .insertInto("service_catalogue_charter")
      .values({
        org_id: actor.orgId,
        content: json,
        updated_by: actor.actorUserId,
      })
      .execute();
  }
  await recordAudit(trx, {
    ...actor,
    action: "charter.save",
    subjectType: "ServiceCharter",
    subjectId: null,
    before: before ? readCharterContent(before.content) : null,
    after: content,
  });
  return { ok: true, rowVersion: expectedRowVersion + 1 };
}

export type PublishCharterResult = { ok: true; version: number } | { ok: false; reason: "no_draft" | "unchanged" };

/** Publishes the draft as the next version. */
export async function publishCharter(trx: Tx, actor: AuditActor): Promise<PublishCharterResult> {
  const draft = await tables(trx).selectFrom("service_catalogue_charter").selectAll().where("org_id", "=", actor.orgId).forUpdate().executeTakeFirst();
  if (!draft) return { ok: false, reason: "no_draft" };
  const content = readCharterContent(draft.content);
  const latest = await latestCharterVersion(trx, actor.orgId);
  if (latest && JSON.stringify(latest.content) === JSON.stringify(content)) return { ok: false, reason: "unchanged" };
  const version = (latest?.version ?? 0) + 1;
  await tables(trx)
    .insertInto("service_catalogue_charter_version")
    .values({
      org_id: actor.orgId,
      version,
      content: JSON.stringify(content),
      published_by: actor.actorUserId,
    })
    .execute();
  await recordAudit(trx, {
    ...actor,
    action: "charter.publish",
    subjectType: "ServiceCharter",
    subjectId: null,
    before: latest ? { version: latest.version } : null,
    after: { version },
  });
  return { ok: true, version };
}

export async function latestCharterVersion(trx: Tx, orgId: string): Promise<CharterVersionRow | undefined> {
  return (await listCharterVersions(trx, orgId, 1))[0];
}

export async function listCharterVersions(trx: Tx, orgId: string, limit = 50): Promise<CharterVersionRow[]> {
  const rows = await tables(trx)
    .selectFrom("service_catalogue_charter_version as v")
    .leftJoin("users as u", "u.id", "v.published_by")
    .select(["v.version", "v.published_at", "v.content", "u.name as published_by_name"])
    .where("v.org_id", "=", orgId)
    .orderBy("v.version", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    version: r.version,
    publishedAt: r.published_at,
    publishedByName: r.published_by_name,
    content: readCharterContent(r.content),
  }));
}

export async function getCharterVersion(trx: Tx, orgId: string, version: number): Promise<CharterVersionRow | undefined> {
  return (await listCharterVersions(trx, orgId, 1000)).find((v) => v.version === version);
}
