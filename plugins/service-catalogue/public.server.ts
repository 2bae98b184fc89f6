import { sql } from "kysely";
import { isPluginEnabledFor } from "~/models/plugin-orgs.server";
import type { Tx } from "~/utils/db.server";
import { likePattern } from "~/utils/paging";
import { readCharterContent } from "./charter";
import type { ServiceCatalogueTables } from "./db";
import type { PublicCharter, PublicService, PublicServiceDetail, ServiceSegment } from "./public-types";
import { readSnapshot, type ServiceSnapshot } from "./snapshot";

// What the public portal (/o/<org>, no sign-in) reads: the LATEST PUBLISHED version of each
// service card and of the service charter — never the working copies admins are editing,
// never people (authors, approvers, cases). Only for organisations that enabled the plugin.
// The caller passes a transaction scoped to orgId (withTenant(appDb(), { orgId }, …)) so RLS
// applies as for any tenant read.

export const PLUGIN_ID = "service-catalogue";

const tables = (trx: Tx) => trx.withTables<ServiceCatalogueTables>();

function publishedBase(trx: Tx, orgId: string) {
  return tables(trx)
    .selectFrom("service_catalogue_service as s")
    .innerJoin("service_catalogue_service_version as v", (j) => j.onRef("v.org_id", "=", "s.org_id").onRef("v.service_id", "=", "s.id").onRef("v.version", "=", "s.published_version"))
    .where("s.org_id", "=", orgId)
    .where("s.published_version", "is not", null);
}

function toPublicService(s: ServiceSnapshot): PublicService {
  return {
    code: s.code,
    name: s.name,
    description: s.description,
    category: s.category,
    segment: s.segment,
    channel: s.channel,
    fees: s.fees,
    estimatedMinutes: s.estimatedMinutes,
  };
}

/** Published services of the organisation, by category then Arabic name; searches code, names and descriptions. */
export async function listPublishedServices(
  trx: Tx,
  orgId: string,
  opts: {
    q?: string;
    segment?: ServiceSegment;
    category?: string;
    page: number;
    pageSize: number;
  },
): Promise<{ rows: PublicService[]; total: number }> {
  if (!(await isPluginEnabledFor(trx, orgId, PLUGIN_ID))) return { rows: [], total: 0 };
  let base = publishedBase(trx, orgId);
  const q = opts.q?.trim();
  if (q) {
    const pattern = likePattern(q);
    base = base.where((eb) =>
      eb.or([
        eb(sql<string>`v.snapshot->>'code'`, "ilike", pattern),
        eb(sql<string>`v.snapshot->'name'->>'ar'`, "ilike", pattern),
        eb(sql<string>`v.snapshot->'name'->>'en'`, "ilike", pattern),
        eb(sql<string>`v.snapshot->'description'->>'ar'`, "ilike", pattern),
        eb(sql<string>`v.snapshot->'description'->>'en'`, "ilike", pattern),
        eb(sql<string>`v.snapshot->'finalProduct'->>'ar'`, "ilike", pattern),
      ]),
    );
  }
  if (opts.segment) base = base.where(sql<string>`v.snapshot->>'segment'`, "=", opts.segment);
  const category = opts.category?.trim();
  if (category) {
    base = base.where((eb) => eb.or([eb(sql<string>`v.snapshot->'category'->>'ar'`, "=", category), eb(sql<string>`v.snapshot->'category'->>'en'`, "=", category)]));
  }
  const count = await base.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
  const pageSize = Math.max(1, Math.min(100, Math.floor(opts.pageSize)));
  const page = Math.max(1, Math.floor(opts.page));
  const rows = await base
    .select("v.snapshot")
    .orderBy(sql`v.snapshot->'category'->>'ar' NULLS LAST`)
    .orderBy(sql`v.snapshot->'name'->>'ar'`)
    .orderBy("s.serial")
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return {
    rows: rows.map((r) => toPublicService(readSnapshot(r.snapshot))),
    total: count.n,
  };
}

/** The published card of one service by its code; undefined when unknown, never published or the plugin is off. */
export async function getPublishedService(trx: Tx, orgId: string, code: string): Promise<PublicServiceDetail | undefined> {
  if (!(await isPluginEnabledFor(trx, orgId, PLUGIN_ID))) return undefined;
  const row = await publishedBase(trx, orgId).where("s.code", "=", code).select(["v.snapshot", "v.version", "v.published_at"]).executeTakeFirst();
  if (!row) return undefined;
  const s = readSnapshot(row.snapshot);
  const workflowPublished = s.workflowKey ? await hasPublishedWorkflow(trx, orgId, s.workflowKey) : false;
  return {
    ...toPublicService(s),
    entity: s.entity,
    responsibleUnit: s.responsibleUnit ? { ar: s.responsibleUnit.ar, en: s.responsibleUnit.en } : null,
    conditions: s.conditions,
    requiredDocuments: s.requiredDocuments,
    channelDetails: s.channelDetails,
    contact: s.contact,
    finalProduct: s.finalProduct,
    level: s.level,
    parentCode: s.parentCode,
    workflowKey: s.workflowKey,
    digital: s.channel === "digital" && workflowPublished,
    version: row.version,
    publishedAt: row.published_at.toISOString(),
  };
}

/** The latest published version of the organisation's service charter. */
export async function getPublishedCharter(trx: Tx, orgId: string): Promise<PublicCharter | undefined> {
  if (!(await isPluginEnabledFor(trx, orgId, PLUGIN_ID))) return undefined;
  const row = await tables(trx)
    .selectFrom("service_catalogue_charter_version")
    .select(["version", "content", "published_at"])
    .where("org_id", "=", orgId)
    .orderBy("version", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    version: row.version,
    publishedAt: row.published_at.toISOString(),
    ...readCharterContent(row.content),
  };
}

/** True when the workflow definition `key` has a published version (a request can start it). */
export async function hasPublishedWorkflow(trx: Tx, orgId: string, key: string): Promise<boolean> {
  const row = await trx
    .selectFrom("workflow_definitions as d")
    .innerJoin("workflow_versions as wv", (j) => j.onRef("wv.org_id", "=", "d.org_id").onRef("wv.definition_id", "=", "d.id"))
    .select("wv.id")
    .where("d.org_id", "=", orgId)
    .where("d.key", "=", key)
    .where("d.archived_at", "is", null)
    .where("wv.status", "=", "published")
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
