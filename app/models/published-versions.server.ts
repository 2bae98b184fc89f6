import { definitionGraph, type DefinitionGraph } from "~/engine/definition";
import type { Tx } from "~/utils/db.server";

// Reads published workflow versions for the runtime. Publishing (E3's
// workflow-definitions.server.ts) freezes a version's graph, so a parsed graph is cached by
// version id for the life of the process: the hot path (complete a task) then needs no
// graph query at all.

export interface RuntimeVersion {
  id: string;
  definitionId: string;
  definitionKey: string;
  version: number;
  graph: DefinitionGraph;
}

const MAX_CACHED = 500;
const cache = new Map<string, RuntimeVersion>();

function remember(orgId: string, v: RuntimeVersion): RuntimeVersion {
  const key = `${orgId}:${v.id}`;
  cache.delete(key);
  cache.set(key, v);
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  return v;
}

export function parseStoredGraph(value: unknown): DefinitionGraph {
  const parsed = definitionGraph.safeParse(typeof value === "string" ? JSON.parse(value) : value);
  if (!parsed.success) throw new Error(`stored workflow graph does not match the definition format: ${parsed.error.message}`);
  return parsed.data;
}

function versionQuery(trx: Tx, orgId: string) {
  return trx
    .selectFrom("workflow_versions as v")
    .innerJoin("workflow_definitions as d", (j) => j.onRef("d.org_id", "=", "v.org_id").onRef("d.id", "=", "v.definition_id"))
    .where("v.org_id", "=", orgId)
    .select(["v.id", "v.definition_id as definitionId", "d.key as definitionKey", "v.version", "v.graph", "v.status", "d.archived_at as archivedAt"]);
}

/**
 * The version new cases of `definitionKey` start on: the given number, or the latest
 * published one. Archived versions and archived definitions start nothing (undefined).
 */
export async function getPublishedVersion(trx: Tx, orgId: string, definitionKey: string, version?: number): Promise<RuntimeVersion | undefined> {
  const row = await versionQuery(trx, orgId)
    .where("d.key", "=", definitionKey)
    .where("d.archived_at", "is", null)
    .where("v.status", "=", "published")
    .$if(version !== undefined, (qb) => qb.where("v.version", "=", version!))
    .orderBy("v.version", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!row || row.version === null) return undefined;
  const cached = cache.get(`${orgId}:${row.id}`);
  if (cached) return cached;
  return remember(orgId, { id: row.id, definitionId: row.definitionId, definitionKey: row.definitionKey, version: row.version, graph: parseStoredGraph(row.graph) });
}

/** The version a running case is pinned to (published or since archived). */
export async function getVersionById(trx: Tx, orgId: string, versionId: string): Promise<RuntimeVersion> {
  const cached = cache.get(`${orgId}:${versionId}`);
  if (cached) return cached;
  const row = await versionQuery(trx, orgId).where("v.id", "=", versionId).executeTakeFirstOrThrow();
  if (row.version === null) throw new Error(`workflow version ${versionId} is a draft; cases run on published versions only`);
  return remember(orgId, { id: row.id, definitionId: row.definitionId, definitionKey: row.definitionKey, version: row.version, graph: parseStoredGraph(row.graph) });
}
