import { sql } from "kysely";
import { recordAudit } from "./audit.server";
import type { AuditActor } from "~/utils/audit-actor.server";
import { accessibleWhere } from "~/utils/casl-sql.server";
import type { Tx } from "~/utils/db.server";
import type { AppAbility } from "~/utils/permissions.server";

// Condition fields a role rule on "OrgUnit" may use, and the columns they map to.
export const UNIT_FIELDS = { id: "u.id", parentId: "u.parent_id", code: "u.code" } as const;

/** Same pattern as the org_units.code CHECK constraint (letters, digits, Arabic letters, "-"). */
export const UNIT_CODE_PATTERN = /^[A-Za-z0-9\u0600-\u06FF-]{1,20}$/;

export interface UnitInput {
  code: string;
  name_ar: string;
  name_en: string;
  parentId: string | null;
}

export interface UnitRow {
  id: string;
  code: string;
  name_ar: string;
  name_en: string;
  parentId: string | null;
  memberCount: number;
}

export interface TreeUnit extends UnitRow {
  depth: number;
}

/** Units the actor may read, with their member counts (disabled members included). */
export async function listUnits(trx: Tx, orgId: string, ability: AppAbility): Promise<UnitRow[]> {
  const rows = await trx
    .selectFrom("org_units as u")
    .select(["u.id", "u.code", "u.name_ar", "u.name_en", "u.parent_id"])
    .select((eb) =>
      eb
        .selectFrom("memberships as m")
        .select(sql<number>`count(*)::int`.as("n"))
        .whereRef("m.org_id", "=", "u.org_id")
        .whereRef("m.unit_id", "=", "u.id")
        .as("member_count"),
    )
    .where("u.org_id", "=", orgId)
    .where(accessibleWhere(ability, "read", "OrgUnit", UNIT_FIELDS))
    .execute();
  return rows.map((r) => ({ id: r.id, code: r.code, name_ar: r.name_ar, name_en: r.name_en, parentId: r.parent_id, memberCount: r.member_count ?? 0 }));
}

/** All units of the organisation, for choosing a member's unit or a parent. */
export async function listAllUnits(trx: Tx, orgId: string): Promise<UnitRow[]> {
  const rows = await trx.selectFrom("org_units").select(["id", "code", "name_ar", "name_en", "parent_id"]).where("org_id", "=", orgId).execute();
  return rows.map((r) => ({ id: r.id, code: r.code, name_ar: r.name_ar, name_en: r.name_en, parentId: r.parent_id, memberCount: 0 }));
}

/**
 * Depth-first order with depth, children sorted by code. A unit whose parent is not in the
 * list (not readable) is shown as a root, so nothing visible disappears.
 */
export function unitTree<T extends { id: string; code: string; parentId: string | null }>(units: T[]): (T & { depth: number })[] {
  const ids = new Set(units.map((u) => u.id));
  const children = new Map<string | null, T[]>();
  for (const u of units) {
    const parent = u.parentId && ids.has(u.parentId) ? u.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), u]);
  }
  const byCode = (a: T, b: T) => a.code.localeCompare(b.code, "en", { numeric: true });
  const out: (T & { depth: number })[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    for (const u of [...(children.get(parent) ?? [])].sort(byCode)) {
      if (seen.has(u.id)) continue;
      seen.add(u.id);
      out.push({ ...u, depth });
      walk(u.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** True when making `parentId` the parent of `unitId` would close a loop. */
export function wouldCycle(units: { id: string; parentId: string | null }[], unitId: string, parentId: string | null): boolean {
  const parentOf = new Map(units.map((u) => [u.id, u.parentId]));
  let cursor = parentId;
  for (let steps = 0; cursor && steps <= units.length; steps++) {
    if (cursor === unitId) return true;
    cursor = parentOf.get(cursor) ?? null;
  }
  return false;
}

export type UnitError = "duplicate_code" | "parent_not_found" | "cycle" | "not_found" | "has_members" | "has_children";
export type UnitResult = { ok: true; id: string } | { ok: false; reason: UnitError; count?: number };

// Unit writes of one organisation are serialised: the duplicate-code and cycle checks
// read before they write, and two concurrent edits must not both pass them.
async function lockUnits(trx: Tx, orgId: string) {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${"org_units:" + orgId}, 0))`.execute(trx);
}

// Codes are compared without case: "a1" and "A1" would print the same in service codes.
async function codeTaken(trx: Tx, orgId: string, code: string, exceptId?: string) {
  const row = await trx
    .selectFrom("org_units")
    .select("id")
    .where("org_id", "=", orgId)
    .where(sql<boolean>`lower(code) = lower(${code})`)
    .$if(Boolean(exceptId), (qb) => qb.where("id", "<>", exceptId!))
    .executeTakeFirst();
  return Boolean(row);
}

function auditState(u: { code: string; name_ar: string; name_en: string; parent_id?: string | null; parentId?: string | null }) {
  return { code: u.code, name_ar: u.name_ar, name_en: u.name_en, parentId: u.parentId ?? u.parent_id ?? null };
}

export async function createUnit(trx: Tx, actor: AuditActor, input: UnitInput): Promise<UnitResult> {
  const orgId = actor.orgId;
  await lockUnits(trx, orgId);
  if (await codeTaken(trx, orgId, input.code)) return { ok: false, reason: "duplicate_code" };
  if (input.parentId && !(await findUnit(trx, orgId, input.parentId))) return { ok: false, reason: "parent_not_found" };
  const row = await trx
    .insertInto("org_units")
    .values({ org_id: orgId, code: input.code, name_ar: input.name_ar, name_en: input.name_en, parent_id: input.parentId })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(trx, { ...actor, action: "unit.create", subjectType: "OrgUnit", subjectId: row.id, before: null, after: auditState(input) });
  return { ok: true, id: row.id };
}

export function findUnit(trx: Tx, orgId: string, id: string) {
  return trx.selectFrom("org_units").selectAll().where("org_id", "=", orgId).where("id", "=", id).executeTakeFirst();
}

export async function updateUnit(trx: Tx, actor: AuditActor, id: string, input: UnitInput): Promise<UnitResult> {
  const orgId = actor.orgId;
  await lockUnits(trx, orgId);
  const before = await findUnit(trx, orgId, id);
  if (!before) return { ok: false, reason: "not_found" };
  if (await codeTaken(trx, orgId, input.code, id)) return { ok: false, reason: "duplicate_code" };
  if (input.parentId) {
    const all = await listAllUnits(trx, orgId);
    if (!all.some((u) => u.id === input.parentId)) return { ok: false, reason: "parent_not_found" };
    if (wouldCycle(all, id, input.parentId)) return { ok: false, reason: "cycle" };
  }
  const after = auditState(input);
  if (JSON.stringify(after) === JSON.stringify(auditState(before))) return { ok: true, id };
  await trx
    .updateTable("org_units")
    .set({ code: input.code, name_ar: input.name_ar, name_en: input.name_en, parent_id: input.parentId })
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .execute();
  await recordAudit(trx, { ...actor, action: "unit.update", subjectType: "OrgUnit", subjectId: id, before: auditState(before), after });
  return { ok: true, id };
}

/** Refused while anyone (active or disabled) belongs to the unit or it has sub-units. */
export async function deleteUnit(trx: Tx, actor: AuditActor, id: string): Promise<UnitResult> {
  const orgId = actor.orgId;
  await lockUnits(trx, orgId);
  const before = await findUnit(trx, orgId, id);
  if (!before) return { ok: false, reason: "not_found" };
  const members = await trx
    .selectFrom("memberships")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("org_id", "=", orgId)
    .where("unit_id", "=", id)
    .executeTakeFirstOrThrow();
  if (members.n > 0) return { ok: false, reason: "has_members", count: members.n };
  const children = await trx
    .selectFrom("org_units")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("org_id", "=", orgId)
    .where("parent_id", "=", id)
    .executeTakeFirstOrThrow();
  if (children.n > 0) return { ok: false, reason: "has_children", count: children.n };
  await trx.deleteFrom("org_units").where("org_id", "=", orgId).where("id", "=", id).execute();
  await recordAudit(trx, { ...actor, action: "unit.delete", subjectType: "OrgUnit", subjectId: id, before: auditState(before), after: null });
  return { ok: true, id };
}
