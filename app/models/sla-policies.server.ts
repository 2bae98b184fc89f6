import { sql } from "kysely";
import { z } from "zod";
import type { Localised } from "~/engine/definition";
import { checkCondition, evaluateCondition } from "~/engine/feel";
import { ESCALATION_ACTIONS, validateTerms, type EscalationLevel, type SlaTerms } from "~/engine/sla";
import type { AuditActor } from "~/utils/audit-actor.server";
import type { Tx } from "~/utils/db.server";
import type { SlaScope } from "~/utils/db-types";
import { log } from "~/utils/log.server";
import { recordAudit } from "./audit.server";
import { parseStoredGraph } from "./published-versions.server";

// SLA policies (ADR 009): what a definition promises, per whole case, per step or for every
// step, optionally only for cases whose data meets a FEEL condition (`priority = "urgent"`).
// Managed per definition on the admin page; the functions here take plain input (zod-checked)
// so the `sla` plugin of a later issue can keep ladders per organisation through them too.
// The case runner reads an organisation's active policies through a per-process cache.

export const SLA_SCOPES = ["case", "every_step", "step"] as const satisfies readonly SlaScope[];

const level = z.object({
  afterMinutes: z.number(),
  assignee: z.discriminatedUnion("type", [z.object({ type: z.literal("role"), roleKey: z.string() }), z.object({ type: z.literal("user"), userId: z.string() })]),
  actions: z.array(z.enum(ESCALATION_ACTIONS)),
});

/** A policy as an admin (or a plugin) writes it. Minutes are working minutes of the organisation's calendar. */
export const slaPolicyInput = z.object({
  nameAr: z.string(),
  nameEn: z.string(),
  scope: z.enum(SLA_SCOPES),
  nodeId: z.string().nullable(),
  condition: z.string().nullable(),
  responseMinutes: z.number().nullable(),
  resolutionMinutes: z.number().nullable(),
  warnPercents: z.array(z.number()),
  levels: z.array(level),
  active: z.boolean(),
});
export type SlaPolicyInput = z.infer<typeof slaPolicyInput>;

export interface SlaPolicy extends SlaPolicyInput {
  id: string;
  definitionId: string;
  version: number;
  updatedAt: Date;
}

/** A refusal and the field it belongs to ("nameAr", "levels.2.afterMinutes"). */
export interface SlaFieldProblem {
  path: string;
  code: string;
}

export const SLA_NAME_MAX = 200;
export const SLA_CONDITION_MAX = 1000;

type PolicyRow = {
  id: string;
  definition_id: string;
  scope: SlaScope;
  node_id: string | null;
  condition: string | null;
  name_ar: string;
  name_en: string;
  response_minutes: number | null;
  resolution_minutes: number | null;
  warn_percents: number[];
  levels: unknown;
  active: boolean;
  version: number;
  updated_at: Date;
};

function toPolicy(row: PolicyRow): SlaPolicy {
  return {
    id: row.id,
    definitionId: row.definition_id,
    scope: row.scope,
    nodeId: row.node_id,
    condition: row.condition,
    nameAr: row.name_ar,
    nameEn: row.name_en,
    responseMinutes: row.response_minutes,
    resolutionMinutes: row.resolution_minutes,
    warnPercents: row.warn_percents,
    levels: z.array(level).catch([]).parse(row.levels) as EscalationLevel[],
    active: row.active,
    version: row.version,
    updatedAt: row.updated_at,
  };
}

export function termsOf(p: Pick<SlaPolicyInput, "responseMinutes" | "resolutionMinutes" | "warnPercents" | "levels">): SlaTerms {
  return { responseMinutes: p.responseMinutes, resolutionMinutes: p.resolutionMinutes, warnPercents: [...p.warnPercents].sort((a, b) => a - b), levels: p.levels };
}

/** The steps people act on (tasks and gates) of the definition's latest published version, else its draft. */
export async function definitionSteps(trx: Tx, orgId: string, definitionId: string): Promise<{ id: string; name: Localised }[]> {
  const row = await trx
    .selectFrom("workflow_versions")
    .select(["graph"])
    .where("org_id", "=", orgId)
    .where("definition_id", "=", definitionId)
    .where("status", "in", ["published", "draft"])
    .orderBy((eb) => eb.case().when("status", "=", "published").then(0).else(1).end())
    .orderBy("version", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!row) return [];
  const graph = parseStoredGraph(row.graph);
  return graph.nodes.filter((n) => n.kind === "task" || n.kind === "gate").map((n) => ({ id: n.id, name: n.name }));
}

/** Everything wrong with a policy (names, scope, condition, terms, the people the ladder names). */
export async function checkPolicy(trx: Tx, orgId: string, definitionId: string, input: SlaPolicyInput): Promise<SlaFieldProblem[]> {
  const out: SlaFieldProblem[] = [];
  for (const field of ["nameAr", "nameEn"] as const) {
    const v = input[field].trim();
    if (!v) out.push({ path: field, code: "name_required" });
    else if (v.length > SLA_NAME_MAX) out.push({ path: field, code: "name_too_long" });
  }
  if (input.scope === "step") {
    if (!input.nodeId) out.push({ path: "nodeId", code: "node_required" });
    else if (!(await definitionSteps(trx, orgId, definitionId)).some((s) => s.id === input.nodeId)) out.push({ path: "nodeId", code: "node_unknown" });
  }
  if (input.condition !== null && input.condition.trim() !== "") {
    if (input.condition.length > SLA_CONDITION_MAX || !checkCondition(input.condition).ok) out.push({ path: "condition", code: "condition_invalid" });
  }
  for (const p of validateTerms(termsOf(input))) out.push({ path: p.path.join("."), code: p.code });
  const roleKeys = [...new Set(input.levels.flatMap((l) => (l.assignee.type === "role" && l.assignee.roleKey ? [l.assignee.roleKey] : [])))];
  const userIds = [...new Set(input.levels.flatMap((l) => (l.assignee.type === "user" && /^[0-9a-f-]{36}$/i.test(l.assignee.userId) ? [l.assignee.userId] : [])))];
  const roles = roleKeys.length ? await trx.selectFrom("roles").select("key").where("org_id", "=", orgId).where("key", "in", roleKeys).execute() : [];
  const users = userIds.length
    ? await trx.selectFrom("memberships").select("user_id").where("org_id", "=", orgId).where("user_id", "in", userIds).where("disabled_at", "is", null).execute()
    : [];
  input.levels.forEach((l, i) => {
    if (out.some((p) => p.path === `levels.${i}.assignee`)) return;
    if (l.assignee.type === "role" && !roles.some((r) => r.key === (l.assignee as { roleKey: string }).roleKey)) out.push({ path: `levels.${i}.assignee`, code: "role_unknown" });
    if (l.assignee.type === "user" && !users.some((u) => u.user_id === (l.assignee as { userId: string }).userId)) out.push({ path: `levels.${i}.assignee`, code: "user_unknown" });
  });
  return out;
}

function values(input: SlaPolicyInput) {
  const condition = input.condition?.trim() ? input.condition.trim() : null;
  return {
    scope: input.scope,
    node_id: input.scope === "step" ? input.nodeId : null,
    condition,
    name_ar: input.nameAr.trim(),
    name_en: input.nameEn.trim(),
    response_minutes: input.responseMinutes,
    resolution_minutes: input.resolutionMinutes,
    warn_percents: JSON.stringify([...input.warnPercents].sort((a, b) => a - b)),
    levels: JSON.stringify(input.levels),
    active: input.active,
  };
}

const COLUMNS = ["id", "definition_id", "scope", "node_id", "condition", "name_ar", "name_en", "response_minutes", "resolution_minutes", "warn_percents", "levels", "active", "version", "updated_at"] as const;

export async function listPolicies(trx: Tx, orgId: string, definitionId: string): Promise<SlaPolicy[]> {
  const rows = await trx.selectFrom("deadline_policies").select(COLUMNS).where("org_id", "=", orgId).where("definition_id", "=", definitionId).orderBy("created_at").orderBy("id").execute();
  return rows.map(toPolicy);
}

export async function getPolicy(trx: Tx, orgId: string, id: string): Promise<SlaPolicy | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const row = await trx.selectFrom("deadline_policies").select(COLUMNS).where("org_id", "=", orgId).where("id", "=", id).executeTakeFirst();
  return row ? toPolicy(row) : undefined;
}

export type PolicyWriteResult = { ok: true; id: string } | { ok: false; reason: "invalid"; problems: SlaFieldProblem[] } | { ok: false; reason: "not_found" | "conflict" };

function audited(p: SlaPolicy | SlaPolicyInput) {
  const { nameAr, nameEn, scope, nodeId, condition, responseMinutes, resolutionMinutes, warnPercents, levels, active } = p;
  return { nameAr, nameEn, scope, nodeId, condition, responseMinutes, resolutionMinutes, warnPercents, levels, active };
}

export async function createPolicy(trx: Tx, actor: AuditActor, definitionId: string, input: SlaPolicyInput): Promise<PolicyWriteResult> {
  const def = await trx.selectFrom("workflow_definitions").select("id").where("org_id", "=", actor.orgId).where("id", "=", definitionId).executeTakeFirst();
  if (!def) return { ok: false, reason: "not_found" };
  const problems = await checkPolicy(trx, actor.orgId, definitionId, input);
  if (problems.length) return { ok: false, reason: "invalid", problems };
  const row = await trx
    .insertInto("deadline_policies")
    .values({ org_id: actor.orgId, definition_id: definitionId, ...values(input), created_by: actor.actorUserId, updated_by: actor.actorUserId })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(trx, { ...actor, action: "sla.policy.create", subjectType: "SlaPolicy", subjectId: row.id, before: null, after: { definitionId, ...audited(input) } });
  forgetSlaPolicies(actor.orgId);
  return { ok: true, id: row.id };
}

/** Saves a change; `expectedVersion` refuses a save based on what someone else has since changed. */
export async function updatePolicy(trx: Tx, actor: AuditActor, id: string, input: SlaPolicyInput, expectedVersion: number): Promise<PolicyWriteResult> {
  const before = await getPolicy(trx, actor.orgId, id);
  if (!before) return { ok: false, reason: "not_found" };
  const problems = await checkPolicy(trx, actor.orgId, before.definitionId, input);
  if (problems.length) return { ok: false, reason: "invalid", problems };
  const updated = await trx
    .updateTable("deadline_policies")
    .set((eb) => ({ ...values(input), version: eb("version", "+", 1), updated_by: actor.actorUserId, updated_at: new Date() }))
    .where("org_id", "=", actor.orgId)
    .where("id", "=", id)
    .where("version", "=", expectedVersion)
    .returning("id")
    .executeTakeFirst();
  if (!updated) return { ok: false, reason: "conflict" };
  await recordAudit(trx, { ...actor, action: "sla.policy.update", subjectType: "SlaPolicy", subjectId: id, before: audited(before), after: audited(input) });
  forgetSlaPolicies(actor.orgId);
  return { ok: true, id };
}

/** Running clocks keep the terms they started with; new tasks no longer get this policy. */
export async function deletePolicy(trx: Tx, actor: AuditActor, id: string): Promise<boolean> {
  const before = await getPolicy(trx, actor.orgId, id);
  if (!before) return false;
  await trx.deleteFrom("deadline_policies").where("org_id", "=", actor.orgId).where("id", "=", id).execute();
  await recordAudit(trx, { ...actor, action: "sla.policy.delete", subjectType: "SlaPolicy", subjectId: id, before: audited(before), after: null });
  forgetSlaPolicies(actor.orgId);
  return true;
}

// ---- For the case runner: active policies, cached, and which one a task or case gets -------------

export interface ActivePolicy {
  id: string;
  definitionId: string;
  scope: SlaScope;
  nodeId: string | null;
  condition: string | null;
  name: Localised;
  terms: SlaTerms;
}

/**
 * Policies change rarely and are read on every step that creates a task: kept per process for
 * SLA_POLICY_CACHE_MS (forgotten at once in the process that saves a change), so another app
 * process applies a change to new tasks within that time, as with business calendars.
 */
export const SLA_POLICY_CACHE_MS = 30_000;
const cache = new Map<string, { at: number; policies: ActivePolicy[] }>();

export function forgetSlaPolicies(orgId: string): void {
  cache.delete(orgId);
  inUse.set(orgId, { at: Date.now(), value: true });
}

/**
 * Whether the organisation has SLA policies or running clocks at all: when not, the case runner
 * writes nothing for SLAs (the common case costs no statement). Once true it stays true for the
 * life of the process; false is checked again after SLA_POLICY_CACHE_MS. Another process may
 * therefore miss a response or a stop for that long after an organisation's first policy:
 * the sweep's processClock then stops the clock as of when its task ended.
 */
const inUse = new Map<string, { at: number; value: boolean }>();

export async function orgUsesSla(trx: Tx, orgId: string, now: number = Date.now()): Promise<boolean> {
  const hit = inUse.get(orgId);
  if (hit && (hit.value || now - hit.at < SLA_POLICY_CACHE_MS)) return hit.value;
  const row = await sql<{ used: boolean }>`SELECT EXISTS (SELECT 1 FROM deadline_policies WHERE org_id = ${orgId}) OR EXISTS (SELECT 1 FROM deadline_clocks WHERE org_id = ${orgId} AND stopped_at IS NULL) AS used`.execute(trx);
  const value = row.rows[0]?.used === true;
  if (inUse.size > 10_000) inUse.clear();
  inUse.set(orgId, { at: now, value });
  return value;
}

export async function activePolicies(trx: Tx, orgId: string, now: number = Date.now()): Promise<ActivePolicy[]> {
  const hit = cache.get(orgId);
  if (hit && now - hit.at < SLA_POLICY_CACHE_MS) return hit.policies;
  const rows = await trx.selectFrom("deadline_policies").select(COLUMNS).where("org_id", "=", orgId).where("active", "=", true).orderBy("created_at").orderBy("id").execute();
  const policies = rows.map(toPolicy).map((p) => ({ id: p.id, definitionId: p.definitionId, scope: p.scope, nodeId: p.nodeId, condition: p.condition, name: { ar: p.nameAr, en: p.nameEn }, terms: termsOf(p) }));
  if (cache.size > 1000) cache.clear();
  cache.set(orgId, { at: now, policies });
  return policies;
}

/**
 * The one policy a task of `nodeId` (or the case, nodeId null) gets: the most specific that
 * applies — a step's own policy before a policy for every step, and within each a policy with a
 * condition that holds before one without; the oldest first among equals. A condition that
 * cannot be evaluated on the data does not apply (and is logged).
 */
export function pickPolicy(policies: readonly ActivePolicy[], definitionId: string, nodeId: string | null, data: Record<string, unknown>): ActivePolicy | undefined {
  const rank = (p: ActivePolicy): number => {
    const base = nodeId === null ? (p.scope === "case" ? 0 : -1) : p.scope === "step" && p.nodeId === nodeId ? 0 : p.scope === "every_step" ? 2 : -1;
    return base < 0 ? -1 : base + (p.condition ? 0 : 1);
  };
  const candidates = policies.filter((p) => p.definitionId === definitionId && rank(p) >= 0).sort((a, b) => rank(a) - rank(b));
  for (const p of candidates) {
    if (!p.condition) return p;
    const result = evaluateCondition(p.condition, data);
    if (result.ok && result.value) return p;
    if (!result.ok) log.debug("SLA policy condition does not apply", { policyId: p.id, error: result.error });
  }
  return undefined;
}
