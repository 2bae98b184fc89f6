import { sql, type Selectable } from "kysely";
import { recordAudit } from "~/models/audit.server";
import type { AuditActor } from "~/utils/audit-actor.server";
import { accessibleWhere } from "~/utils/casl-sql.server";
import type { Tx } from "~/utils/db.server";
import { likePattern } from "~/utils/paging";
import type { AppAbility } from "~/utils/permissions.server";
import { formatServiceCode } from "./code";
import type { ServiceCatalogueTables, ServiceTable } from "./db";
import type { ServiceInput } from "./schema";
import { splitLines, type ServiceSnapshot } from "./snapshot";

// The catalogue's services: the working copy admins edit (card + documentation card), the
// code drawn once at creation, and the frozen versions each publication adds. Every change
// is audit-logged with before/after in the caller's transaction.

export type ServiceRow = Selectable<ServiceTable>;
export type ServiceStatus = ServiceRow["status"];

/** Condition fields a role rule on "CatalogueService" may use, and their columns. */
export const SERVICE_FIELDS_SQL = {
  id: "s.id",
  createdBy: "s.created_by",
  unitId: "s.unit_id",
} as const;

const tables = (trx: Tx) => trx.withTables<ServiceCatalogueTables>();

/** CASL subject fields of a service row. */
export const serviceSubjectFields = (row: Pick<ServiceRow, "id" | "created_by" | "unit_id">) => ({ id: row.id, createdBy: row.created_by, unitId: row.unit_id });

/** Takes the organisation's next serial: concurrent callers queue on the counter row's lock. */
export async function nextSerial(trx: Tx, orgId: string): Promise<number> {
  const row = await sql<{ last: number }>`
    INSERT INTO service_catalogue_counter (org_id, last) VALUES (${orgId}, 1)
    ON CONFLICT (org_id) DO UPDATE SET last = service_catalogue_counter.last + 1
    RETURNING last`.execute(trx);
  return row.rows[0]!.last;
}

function columnsOf(input: ServiceInput) {
  return {
    name_ar: input.nameAr,
    name_en: input.nameEn,
    description_ar: input.descriptionAr,
    description_en: input.descriptionEn,
    category_ar: input.categoryAr,
    category_en: input.categoryEn,
    entity_ar: input.entityAr,
    entity_en: input.entityEn,
    unit_id: input.unitId,
    segment: input.segment,
    level: input.level,
    parent_id: input.parentId,
    linkage: input.linkage,
    link_type: input.linkType,
    linked_entity_ar: input.linkedEntityAr,
    linked_entity_en: input.linkedEntityEn,
    sla_reference: input.slaReference,
    channel: input.channel,
    channel_details_ar: input.channelDetailsAr,
    channel_details_en: input.channelDetailsEn,
    conditions_ar: input.conditionsAr,
    conditions_en: input.conditionsEn,
    documents_ar: input.documentsAr,
    documents_en: input.documentsEn,
    fees_ar: input.feesAr,
    fees_en: input.feesEn,
    contact_ar: input.contactAr,
    contact_en: input.contactEn,
    final_product_ar: input.finalProductAr,
    final_product_en: input.finalProductEn,
    estimated_minutes: input.estimatedMinutes,
    workflow_key: input.workflowKey,
  };
}

export type SaveServiceResult =
  | { ok: true; id: string; code: string }
  | {
      ok: false;
      reason: "unit_missing" | "parent_invalid" | "not_found" | "stale" | "in_review";
    };

/** Checks the unit and parent exist in the organisation (the foreign keys would only say "violates"). */
async function checkRefs(trx: Tx, orgId: string, input: ServiceInput, selfId?: string): Promise<"unit_missing" | "parent_invalid" | null> {
  const unit = await trx.selectFrom("org_units").select("id").where("org_id", "=", orgId).where("id", "=", input.unitId).executeTakeFirst();
  if (!unit) return "unit_missing";
  if (input.parentId) {
    const parent = await tables(trx).selectFrom("service_catalogue_service").select(["id", "level"]).where("org_id", "=", orgId).where("id", "=", input.parentId).executeTakeFirst();
    // A sub-service hangs under a main service (one level, as the guide's classification has it).
    if (!parent || parent.level !== "main" || parent.id === selfId) return "parent_invalid";
  }
  return null;
}

/** Creates a service with its code: organisation initials – unit code – S – next serial. */
export async function createService(trx: Tx, actor: AuditActor, input: ServiceInput): Promise<SaveServiceResult> {
  const problem = await checkRefs(trx, actor.orgId, input);
  if (problem) return { ok: false, reason: problem };
  const org = await trx.selectFrom("organisations").select("initials").where("id", "=", actor.orgId).executeTakeFirstOrThrow();
  const unit = await trx.selectFrom("org_units").select("code").where("org_id", "=", actor.orgId).where("id", "=", input.unitId).executeTakeFirstOrThrow();
  const serial = await nextSerial(trx, actor.orgId);
  const code = formatServiceCode(org.initials, unit.code, serial);
  const row = await tables(trx)
    .insertInto("service_catalogue_service")
    .values({
      org_id: actor.orgId,
      code,
      serial,
      ...columnsOf(input),
      created_by: actor.actorUserId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    ...actor,
    action: "service.create",
    subjectType: "CatalogueService",
    subjectId: row.id,
    before: null,
    after: { code, ...input },
  });
  return { ok: true, id: row.id, code };
}

/** Saves the working copy. The code never changes; a published service shows its last version until the next review publishes again. */
export async function updateService(trx: Tx, actor: AuditActor, id: string, input: ServiceInput, expectedRowVersion: number): Promise<SaveServiceResult> {
  const before = await findService(trx, actor.orgId, id, { forUpdate: true });
  if (!before) return { ok: false, reason: "not_found" };
  if (before.status === "in_review") return { ok: false, reason: "in_review" };
  if (before.row_version !== expectedRowVersion) return { ok: false, reason: "stale" };
  const problem = await checkRefs(trx, actor.orgId, input, id);
  if (problem) return { ok: false, reason: problem };
  if (input.level === "sub") {
    const children = await tables(trx).selectFrom("service_catalogue_service").select("id").where("org_id", "=", actor.orgId).where("parent_id", "=", id).limit(1).execute();
    if (children.length) return { ok: false, reason: "parent_invalid" };
  }
  await tables(trx)
    .updateTable("service_catalogue_service")
    .set({
      ...columnsOf(input),
      status: "draft",
      row_version: before.row_version + 1,
      updated_at: new Date(),
    })
    .where("org_id", "=", actor.orgId)
    .where("id", "=", id)
    .execute();
  await recordAudit(trx, {
    ...actor,
    action: "service.update",
    subjectType: "CatalogueService",
    subjectId: id,
    before: inputOf(before),
    after: input,
  });
  return { ok: true, id, code: before.code };
}

/** The row as the edit form's input (for audit before/after and the edit page). */
export function inputOf(row: ServiceRow): ServiceInput {
  return {
    nameAr: row.name_ar,
    nameEn: row.name_en,
    descriptionAr: row.description_ar,
    descriptionEn: row.description_en,
    categoryAr: row.category_ar,
    categoryEn: row.category_en,
    entityAr: row.entity_ar,
    entityEn: row.entity_en,
    unitId: row.unit_id ?? "",
    segment: row.segment,
    level: row.level,
    parentId: row.parent_id,
    linkage: row.linkage,
    linkType: row.link_type,
    linkedEntityAr: row.linked_entity_ar,
    linkedEntityEn: row.linked_entity_en,
    slaReference: row.sla_reference,
    channel: row.channel,
    channelDetailsAr: row.channel_details_ar,
    channelDetailsEn: row.channel_details_en,
    conditionsAr: row.conditions_ar,
    conditionsEn: row.conditions_en,
    documentsAr: row.documents_ar,
    documentsEn: row.documents_en,
    feesAr: row.fees_ar,
    feesEn: row.fees_en,
    contactAr: row.contact_ar,
    contactEn: row.contact_en,
    finalProductAr: row.final_product_ar,
    finalProductEn: row.final_product_en,
    estimatedMinutes: row.estimated_minutes,
    workflowKey: row.workflow_key,
  };
}

export function findService(trx: Tx, orgId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<ServiceRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return Promise.resolve(undefined);
  let q = tables(trx).selectFrom("service_catalogue_service").selectAll().where("org_id", "=", orgId).where("id", "=", id);
  if (options.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export interface ServiceListRow {
  id: string;
  code: string;
  name: { ar: string; en: string };
  category: { ar: string; en: string } | null;
  segment: ServiceRow["segment"];
  channel: ServiceRow["channel"];
  status: ServiceStatus;
  publishedVersion: number | null;
  unit: { ar: string; en: string } | null;
  updatedAt: Date;
}

export interface ServiceListOptions {
  q: string;
  status?: ServiceStatus;
  segment?: ServiceRow["segment"];
  channel?: ServiceRow["channel"];
  offset: number;
  pageSize: number;
}

/** Services the member may read, by serial (the catalogue's order); total for the pager. */
export async function listServices(trx: Tx, orgId: string, ability: AppAbility, options: ServiceListOptions): Promise<{ rows: ServiceListRow[]; total: number }> {
  let base = tables(trx)
    .selectFrom("service_catalogue_service as s")
    .where("s.org_id", "=", orgId)
    .where(accessibleWhere(ability, "read", "CatalogueService", SERVICE_FIELDS_SQL));
  if (options.q) {
    const p = likePattern(options.q);
    base = base.where((eb) => eb.or([eb("s.name_ar", "ilike", p), eb("s.name_en", "ilike", p), eb("s.code", "ilike", p), eb("s.category_ar", "ilike", p)]));
  }
  if (options.status) base = base.where("s.status", "=", options.status);
  if (options.segment) base = base.where("s.segment", "=", options.segment);
  if (options.channel) base = base.where("s.channel", "=", options.channel);
  const count = await base.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
  const rows = await base
    .leftJoin("org_units as u", (j) => j.onRef("u.org_id", "=", "s.org_id").onRef("u.id", "=", "s.unit_id"))
    .select([
      "s.id",
      "s.code",
      "s.name_ar",
      "s.name_en",
      "s.category_ar",
      "s.category_en",
      "s.segment",
      "s.channel",
      "s.status",
      "s.published_version",
      "s.updated_at",
      "u.name_ar as unit_ar",
      "u.name_en as unit_en",
    ])
    .orderBy("s.serial")
    .limit(options.pageSize)
    .offset(options.offset)
    .execute();
  return {
    rows: rows.map((r) => ({
      id: r.id,
      code: r.code,
      name: { ar: r.name_ar, en: r.name_en },
      category: r.category_ar ? { ar: r.category_ar, en: r.category_en ?? "" } : null,
      segment: r.segment,
      channel: r.channel,
      status: r.status,
      publishedVersion: r.published_version,
      unit: r.unit_ar ? { ar: r.unit_ar, en: r.unit_en ?? "" } : null,
      updatedAt: r.updated_at,
    })),
    total: count.n,
  };
}

/** What a publication freezes: the card and documentation card of the working copy, in both languages. */
export async function buildSnapshot(trx: Tx, orgId: string, row: ServiceRow): Promise<ServiceSnapshot> {
  const unit = row.unit_id ? await trx.selectFrom("org_units").select(["code", "name_ar", "name_en"]).where("org_id", "=", orgId).where("id", "=", row.unit_id).executeTakeFirst() : undefined;
  const parent = row.parent_id ? await tables(trx).selectFrom("service_catalogue_service").select("code").where("org_id", "=", orgId).where("id", "=", row.parent_id).executeTakeFirst() : undefined;
  const both = (ar: string, en: string) => ({ ar, en });
  return {
    code: row.code,
    name: both(row.name_ar, row.name_en),
    description: both(row.description_ar, row.description_en),
    category: row.category_ar ? both(row.category_ar, row.category_en ?? "") : null,
    entity: both(row.entity_ar, row.entity_en),
    responsibleUnit: unit ? { ar: unit.name_ar, en: unit.name_en, code: unit.code } : null,
    segment: row.segment,
    level: row.level,
    parentCode: parent?.code ?? null,
    linkage: row.linkage,
    linkType: row.link_type,
    linkedEntity: both(row.linked_entity_ar, row.linked_entity_en),
    slaReference: row.sla_reference,
    channel: row.channel,
    channelDetails: both(row.channel_details_ar, row.channel_details_en),
    conditions: {
      ar: splitLines(row.conditions_ar),
      en: splitLines(row.conditions_en),
    },
    requiredDocuments: {
      ar: splitLines(row.documents_ar),
      en: splitLines(row.documents_en),
    },
    fees: both(row.fees_ar, row.fees_en),
    contact: both(row.contact_ar, row.contact_en),
    finalProduct: both(row.final_product_ar, row.final_product_en),
    estimatedMinutes: row.estimated_minutes,
    workflowKey: row.workflow_key,
  };
}

/**
 * Publishes the working copy as the next version (the review workflow's publish step, or
 * the seed). Audit-logged as the plugin when a case publishes it.
 */
export async function publishService(
  trx: Tx,
  input: {
    orgId: string;
    serviceId: string;
    caseId: string | null;
    publishedBy: string | null;
    actorLabel: string;
  },
): Promise<{ version: number; code: string }> {
  const row = await findService(trx, input.orgId, input.serviceId, {
    forUpdate: true,
  });
  if (!row) throw new Error(`service ${input.serviceId} does not exist (any more)`);
  const snapshot = await buildSnapshot(trx, input.orgId, row);
  const last = await tables(trx)
    .selectFrom("service_catalogue_service_version")
    .select(sql<number>`coalesce(max(version), 0)::int`.as("v"))
    .where("org_id", "=", input.orgId)
    .where("service_id", "=", row.id)
    .executeTakeFirstOrThrow();
  const version = last.v + 1;
  await tables(trx)
    .insertInto("service_catalogue_service_version")
    .values({
      org_id: input.orgId,
      service_id: row.id,
      version,
      snapshot: JSON.stringify(snapshot),
      published_by: input.publishedBy,
      case_id: input.caseId,
    })
    .execute();
  await tables(trx)
    .updateTable("service_catalogue_service")
    .set({
      status: "published",
      published_version: version,
      review_case_id: null,
      row_version: row.row_version + 1,
      updated_at: new Date(),
    })
    .where("org_id", "=", input.orgId)
    .where("id", "=", row.id)
    .execute();
  await recordAudit(trx, {
    orgId: input.orgId,
    actorUserId: input.publishedBy,
    actorLabel: input.actorLabel,
    action: "service.publish",
    subjectType: "CatalogueService",
    subjectId: row.id,
    before: { status: row.status, publishedVersion: row.published_version },
    after: {
      status: "published",
      publishedVersion: version,
      caseId: input.caseId,
    },
  });
  return { version, code: row.code };
}

/** Marks a service as under review by a case (the review workflow's first step). */
export async function markInReview(trx: Tx, orgId: string, serviceId: string, caseId: string, actorLabel: string): Promise<ServiceRow> {
  const row = await findService(trx, orgId, serviceId, { forUpdate: true });
  if (!row) throw new Error(`service ${serviceId} does not exist (any more)`);
  if (row.status === "in_review" && row.review_case_id && row.review_case_id !== caseId) {
    throw new Error(`service ${row.code} is already under review in another case`);
  }
  await tables(trx)
    .updateTable("service_catalogue_service")
    .set({
      status: "in_review",
      review_case_id: caseId,
      row_version: row.row_version + 1,
    })
    .where("org_id", "=", orgId)
    .where("id", "=", serviceId)
    .execute();
  await recordAudit(trx, {
    orgId,
    actorUserId: null,
    actorLabel,
    action: "service.review",
    subjectType: "CatalogueService",
    subjectId: serviceId,
    before: { status: row.status },
    after: { status: "in_review", caseId },
  });
  return row;
}

/**
 * The reviewer sent the card back: editable again, the published version (if any) stays on the
 * portal. `keepReviewCase` (a review case cancelled before a decision) leaves the case on the
 * draft, so the service page can say which review ended and how, until the next review.
 */
export async function sendBackService(
  trx: Tx,
  orgId: string,
  serviceId: string,
  caseId: string | null,
  outcome: string,
  actorLabel: string,
  options: { keepReviewCase?: boolean } = {},
): Promise<void> {
  const row = await findService(trx, orgId, serviceId, { forUpdate: true });
  if (!row) throw new Error(`service ${serviceId} does not exist (any more)`);
  await tables(trx)
    .updateTable("service_catalogue_service")
    .set({
      status: "draft",
      review_case_id: options.keepReviewCase ? row.review_case_id : null,
      row_version: row.row_version + 1,
    })
    .where("org_id", "=", orgId)
    .where("id", "=", serviceId)
    .execute();
  await recordAudit(trx, {
    orgId,
    actorUserId: null,
    actorLabel,
    action: "service.send_back",
    subjectType: "CatalogueService",
    subjectId: serviceId,
    before: { status: row.status },
    after: { status: "draft", caseId, outcome },
  });
}

/** Deletes a service that was never published and is not under review; false otherwise. */
export async function deleteService(trx: Tx, actor: AuditActor, id: string): Promise<boolean> {
  const row = await findService(trx, actor.orgId, id, { forUpdate: true });
  if (!row || row.published_version !== null || row.status === "in_review") return false;
  const child = await tables(trx).selectFrom("service_catalogue_service").select("id").where("org_id", "=", actor.orgId).where("parent_id", "=", id).executeTakeFirst();
  if (child) return false;
  await tables(trx).deleteFrom("service_catalogue_service").where("org_id", "=", actor.orgId).where("id", "=", id).execute();
  await recordAudit(trx, {
    ...actor,
    action: "service.delete",
    subjectType: "CatalogueService",
    subjectId: id,
    before: { code: row.code, ...inputOf(row) },
    after: null,
  });
  return true;
}

export interface ServiceVersionRow {
  version: number;
  publishedAt: Date;
  publishedByName: string | null;
  caseId: string | null;
  caseReference: string | null;
  snapshot: Record<string, unknown>;
}

export async function listServiceVersions(trx: Tx, orgId: string, serviceId: string): Promise<ServiceVersionRow[]> {
  const rows = await tables(trx)
    .selectFrom("service_catalogue_service_version as v")
    .leftJoin("users as u", "u.id", "v.published_by")
    .leftJoin("cases as c", (j) => j.onRef("c.org_id", "=", "v.org_id").onRef("c.id", "=", "v.case_id"))
    .select(["v.version", "v.published_at", "v.case_id", "v.snapshot", "u.name as published_by_name", "c.reference"])
    .where("v.org_id", "=", orgId)
    .where("v.service_id", "=", serviceId)
    .orderBy("v.version", "desc")
    .execute();
  return rows.map((r) => ({
    version: r.version,
    publishedAt: r.published_at,
    publishedByName: r.published_by_name,
    caseId: r.case_id,
    caseReference: r.reference,
    snapshot: r.snapshot,
  }));
}

/** Main services the service may hang under (not itself). */
export async function parentOptions(trx: Tx, orgId: string, exceptId?: string) {
  let q = tables(trx).selectFrom("service_catalogue_service").select(["id", "code", "name_ar", "name_en"]).where("org_id", "=", orgId).where("level", "=", "main");
  if (exceptId) q = q.where("id", "<>", exceptId);
  return q.orderBy("serial").limit(500).execute();
}

/**
 * The agreements plugin (plugins/sla) names the agreements a service's steps run under: the
 * card's "اتفاقية مستوى الخدمة" field of the working copy (the portal shows it from the next
 * publication). The row version moves on, so an edit form opened before refuses a stale save
 * instead of writing the old reference back. False when the service does not exist.
 */
export async function setSlaReference(trx: Tx, orgId: string, serviceId: string, text: string, actorLabel = "plugin:sla"): Promise<boolean> {
  const row = await findService(trx, orgId, serviceId, { forUpdate: true });
  if (!row) return false;
  const value = text.slice(0, 200);
  if (row.sla_reference === value) return true;
  await tables(trx)
    .updateTable("service_catalogue_service")
    .set({ sla_reference: value, row_version: row.row_version + 1, updated_at: new Date() })
    .where("org_id", "=", orgId)
    .where("id", "=", serviceId)
    .execute();
  await recordAudit(trx, {
    orgId,
    actorUserId: null,
    actorLabel,
    action: "service.sla_reference",
    subjectType: "CatalogueService",
    subjectId: serviceId,
    before: { slaReference: row.sla_reference },
    after: { slaReference: value },
  });
  return true;
}
