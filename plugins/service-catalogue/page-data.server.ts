import { definitionGraph, type DefinitionGraph } from "~/engine/definition";
import { stepsTable, type StepsTable } from "~/engine/steps-table";
import { graphToSvg } from "~/designer/svg-export";
import type { Tx } from "~/utils/db.server";
import { listKpis, type KpiRow } from "./kpis.server";
import { buildSnapshot, findService, listServiceVersions, type ServiceRow } from "./services.server";
import { readSnapshot, type ServiceSnapshot } from "./snapshot";
import type { DocKpi } from "./ui/documents";

// What the service pages and documents need in one place: the working copy or a published
// version of the card, the linked workflow's published graph (its steps table and flowchart:
// one definition, two views) and the KPIs.

export interface LinkedWorkflow {
  definitionId: string;
  key: string;
  name: { ar: string; en: string };
  version: number;
  graph: DefinitionGraph;
}

/** The latest published version of the definition `key` (what new requests run), or null. */
export async function linkedWorkflow(trx: Tx, orgId: string, key: string | null): Promise<LinkedWorkflow | null> {
  if (!key) return null;
  const row = await trx
    .selectFrom("workflow_definitions as d")
    .innerJoin("workflow_versions as v", (j) => j.onRef("v.org_id", "=", "d.org_id").onRef("v.definition_id", "=", "d.id"))
    .select(["d.id", "d.key", "d.name_ar", "d.name_en", "v.version", "v.graph"])
    .where("d.org_id", "=", orgId)
    .where("d.key", "=", key)
    .where("v.status", "=", "published")
    .orderBy("v.version", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!row || row.version === null) return null;
  const parsed = definitionGraph.safeParse(row.graph);
  if (!parsed.success) return null;
  return {
    definitionId: row.id,
    key: row.key,
    name: { ar: row.name_ar, en: row.name_en },
    version: row.version,
    graph: parsed.data,
  };
}

/** The definition id behind a key, published or not (for the designer link of a draft). */
export async function definitionIdOf(trx: Tx, orgId: string, key: string | null): Promise<string | null> {
  if (!key) return null;
  const row = await trx.selectFrom("workflow_definitions").select("id").where("org_id", "=", orgId).where("key", "=", key).executeTakeFirst();
  return row?.id ?? null;
}

export function docKpis(kpis: KpiRow[]): DocKpi[] {
  return kpis.map((k) => ({
    name: k.name,
    formula: k.formula,
    frequency: k.frequency,
    target: k.target,
    unit: k.unit,
  }));
}

export interface ServiceDocuments {
  row: ServiceRow;
  /** The card shown: a published version, or the working copy. */
  snapshot: ServiceSnapshot;
  /** Version shown; null = the working copy. */
  version: number | null;
  workflow: LinkedWorkflow | null;
  steps: StepsTable | null;
  kpis: KpiRow[];
  flowchartSvg: (lang: "ar" | "en") => string | null;
}

/**
 * The service's documents: `version` "current" = the working copy, a number = that published
 * version, absent = the published version if there is one, else the working copy.
 */
export async function loadServiceDocuments(trx: Tx, orgId: string, serviceId: string, version?: number | "current"): Promise<ServiceDocuments | undefined> {
  const row = await findService(trx, orgId, serviceId);
  if (!row) return undefined;
  let snapshot: ServiceSnapshot;
  let shown: number | null = null;
  const wanted = version === undefined ? (row.published_version ?? "current") : version;
  if (wanted === "current") snapshot = await buildSnapshot(trx, orgId, row);
  else {
    const found = (await listServiceVersions(trx, orgId, serviceId)).find((v) => v.version === wanted);
    if (!found) return undefined;
    snapshot = readSnapshot(found.snapshot);
    shown = found.version;
  }
  const workflow = await linkedWorkflow(trx, orgId, snapshot.workflowKey);
  const kpis = await listKpis(trx, orgId, serviceId);
  return {
    row,
    snapshot,
    version: shown,
    workflow,
    steps: workflow ? stepsTable(workflow.graph) : null,
    kpis,
    flowchartSvg: (lang) => (workflow ? graphToSvg(workflow.graph, { locale: lang, fitWidth: true }) : null),
  };
}
