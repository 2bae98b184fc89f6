import { sql } from "kysely";
import { recordAudit } from "./audit.server";
import { assignRoles } from "./roles.server";
import { deleteUserSessions } from "./sessions.server";
import { hashPassword, normaliseEmail } from "./users.server";
import type { AuditActor } from "~/utils/audit-actor.server";
import { accessibleWhere } from "~/utils/casl-sql.server";
import type { Tx } from "~/utils/db.server";
import { likePattern } from "~/utils/paging";
import type { AppAbility } from "~/utils/permissions.server";

// Condition fields a role rule on "Member" may use, and the columns they map to.
export const MEMBER_FIELDS = { userId: "m.user_id", unitId: "m.unit_id" } as const;

export interface MemberRole {
  id: string;
  key: string;
  name_ar: string;
  name_en: string;
}

export interface MemberListRow {
  userId: string;
  name: string;
  email: string;
  title: string | null;
  unitId: string | null;
  unitName_ar: string | null;
  unitName_en: string | null;
  disabled: boolean;
  roles: MemberRole[];
}

/**
 * One page of the organisation's members the actor may read: the CASL rules become part
 * of the WHERE clause, so paging and counts never include rows the actor cannot see.
 */
export async function listMembers(
  trx: Tx,
  input: { orgId: string; ability: AppAbility; q: string; limit: number; offset: number },
): Promise<{ rows: MemberListRow[]; total: number }> {
  const pattern = likePattern(input.q);
  const base = trx
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .where("m.org_id", "=", input.orgId)
    .where(accessibleWhere(input.ability, "read", "Member", MEMBER_FIELDS))
    .$if(input.q !== "", (qb) => qb.where((eb) => eb.or([eb("u.name", "ilike", pattern), eb("u.email", "ilike", pattern)])));
  const count = await base.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
  const rows = await base
    .leftJoin("org_units as ou", (j) => j.onRef("ou.org_id", "=", "m.org_id").onRef("ou.id", "=", "m.unit_id"))
    .select(["m.user_id", "u.name", "u.email", "m.title", "m.unit_id", "m.disabled_at", "ou.name_ar", "ou.name_en"])
    .orderBy("u.name")
    .orderBy("m.user_id")
    .limit(input.limit)
    .offset(input.offset)
    .execute();
  const roles = await rolesOf(trx, input.orgId, rows.map((r) => r.user_id));
  return {
    total: count.n,
    rows: rows.map((r) => ({
      userId: r.user_id,
      name: r.name,
      email: r.email,
      title: r.title,
      unitId: r.unit_id,
      unitName_ar: r.name_ar,
      unitName_en: r.name_en,
      disabled: r.disabled_at !== null,
      roles: roles.get(r.user_id) ?? [],
    })),
  };
}

async function rolesOf(trx: Tx, orgId: string, userIds: string[]): Promise<Map<string, MemberRole[]>> {
  const out = new Map<string, MemberRole[]>();
  if (userIds.length === 0) return out;
  const rows = await trx
    .selectFrom("membership_roles as mr")
    .innerJoin("roles as r", (j) => j.onRef("r.org_id", "=", "mr.org_id").onRef("r.id", "=", "mr.role_id"))
    .select(["mr.user_id", "r.id", "r.key", "r.name_ar", "r.name_en"])
    .where("mr.org_id", "=", orgId)
    .where("mr.user_id", "in", userIds)
    .orderBy("r.key")
    .execute();
  for (const { user_id, ...role } of rows) out.set(user_id, [...(out.get(user_id) ?? []), role]);
  return out;
}

/** One member of this organisation (any state), or undefined. */
export async function getMember(trx: Tx, orgId: string, userId: string) {
  const row = await trx
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select(["m.user_id", "u.name", "u.email", "m.title", "m.unit_id", "m.disabled_at", "m.created_at"])
    .where("m.org_id", "=", orgId)
    .where("m.user_id", "=", userId)
    .executeTakeFirst();
  if (!row) return undefined;
  const roles = (await rolesOf(trx, orgId, [userId])).get(userId) ?? [];
  return {
    userId: row.user_id,
    name: row.name,
    email: row.email,
    title: row.title,
    unitId: row.unit_id,
    disabled: row.disabled_at !== null,
    createdAt: row.created_at,
    roles,
  };
}

export function listRoleOptions(trx: Tx, orgId: string) {
  return trx.selectFrom("roles").select(["id", "key", "name_ar", "name_en"]).where("org_id", "=", orgId).orderBy("key").execute();
}

export type RefError = "unit_not_found" | "role_not_found";

/** The unit and roles must belong to this organisation (RLS also hides others' rows). */
async function checkRefs(trx: Tx, orgId: string, unitId: string | null, roleIds: string[]): Promise<RefError | null> {
  if (unitId) {
    const unit = await trx.selectFrom("org_units").select("id").where("org_id", "=", orgId).where("id", "=", unitId).executeTakeFirst();
    if (!unit) return "unit_not_found";
  }
  if (roleIds.length) {
    const found = await trx.selectFrom("roles").select("id").where("org_id", "=", orgId).where("id", "in", roleIds).execute();
    if (found.length !== new Set(roleIds).size) return "role_not_found";
  }
  return null;
}

// What the audit log keeps about a membership: never anything from the users row
// beyond the email (no password hash, no other organisations).
function auditState(m: { unitId: string | null; title: string | null; roles: { id: string; key: string }[]; disabled: boolean }) {
  return { unitId: m.unitId, title: m.title, roles: m.roles.map((r) => ({ id: r.id, key: r.key })), disabled: m.disabled };
}

export interface NewMemberInput {
  email: string;
  name: string;
  password: string;
  unitId: string | null;
  title: string | null;
  roleIds: string[];
}

export type AddMemberResult =
  | { ok: true; userId: string; createdAccount: boolean }
  | { ok: false; reason: "already_member" | "already_member_disabled" | "roles_not_allowed" | RefError };

/**
 * Granting roles is reserved to those who may edit roles (update Role): someone who may
 * only update members must not be able to hand out a role stronger than their own.
 */
export interface RoleGrantRight {
  mayAssignRoles: boolean;
}

/**
 * Adds a person to the organisation. A person who already has an account (through
 * another organisation) keeps it untouched: their name and password are not changed and
 * nothing about their other memberships is read or returned — only whether an account
 * existed, so the admin knows the initial password was not applied.
 */
export async function addMember(trx: Tx, actor: AuditActor, input: NewMemberInput, right: RoleGrantRight): Promise<AddMemberResult> {
  const orgId = actor.orgId;
  if (input.roleIds.length > 0 && !right.mayAssignRoles) return { ok: false, reason: "roles_not_allowed" };
  const refError = await checkRefs(trx, orgId, input.unitId, input.roleIds);
  if (refError) return { ok: false, reason: refError };
  const email = normaliseEmail(input.email);
  let createdAccount = false;
  let user = await trx.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst();
  if (!user) {
    // ON CONFLICT: a concurrent request may create the same account; then we join it.
    user = await trx
      .insertInto("users")
      .values({ email, name: input.name.trim(), password_hash: await hashPassword(input.password), locale: null })
      .onConflict((oc) => oc.column("email").doNothing())
      .returning("id")
      .executeTakeFirst();
    createdAccount = Boolean(user);
    user ??= await trx.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow();
  }
  const existing = await trx
    .selectFrom("memberships")
    .select("disabled_at")
    .where("org_id", "=", orgId)
    .where("user_id", "=", user.id)
    .executeTakeFirst();
  if (existing) return { ok: false, reason: existing.disabled_at ? "already_member_disabled" : "already_member" };
  const inserted = await trx
    .insertInto("memberships")
    .values({ org_id: orgId, user_id: user.id, unit_id: input.unitId, title: input.title })
    .onConflict((oc) => oc.columns(["org_id", "user_id"]).doNothing())
    .returning("user_id")
    .executeTakeFirst();
  if (!inserted) return { ok: false, reason: "already_member" };
  await assignRoles(trx, orgId, user.id, [...new Set(input.roleIds)]);
  const roles = input.roleIds.length
    ? await trx.selectFrom("roles").select(["id", "key"]).where("org_id", "=", orgId).where("id", "in", input.roleIds).orderBy("key").execute()
    : [];
  await recordAudit(trx, {
    ...actor,
    action: "member.add",
    subjectType: "Member",
    subjectId: user.id,
    before: null,
    after: { email, createdAccount, ...auditState({ unitId: input.unitId, title: input.title, roles, disabled: false }) },
  });
  return { ok: true, userId: user.id, createdAccount };
}

export type UpdateMemberResult = { ok: true; changed: boolean } | { ok: false; reason: "not_found" | "own_roles" | "roles_not_allowed" | RefError };

/** Unit, title and roles. Members cannot change their own roles (no self-lockout, no self-promotion). */
export async function updateMember(
  trx: Tx,
  actor: AuditActor,
  userId: string,
  input: { unitId: string | null; title: string | null; roleIds: string[] },
  right: RoleGrantRight,
): Promise<UpdateMemberResult> {
  const orgId = actor.orgId;
  const before = await getMember(trx, orgId, userId);
  if (!before) return { ok: false, reason: "not_found" };
  const roleIds = [...new Set(input.roleIds)].sort();
  const sameRoles = roleIds.join(",") === before.roles.map((r) => r.id).sort().join(",");
  if (userId === actor.actorUserId && !sameRoles) return { ok: false, reason: "own_roles" };
  if (!sameRoles && !right.mayAssignRoles) return { ok: false, reason: "roles_not_allowed" };
  const refError = await checkRefs(trx, orgId, input.unitId, roleIds);
  if (refError) return { ok: false, reason: refError };
  if (sameRoles && before.unitId === input.unitId && before.title === input.title) return { ok: true, changed: false };
  await trx
    .updateTable("memberships")
    .set({ unit_id: input.unitId, title: input.title })
    .where("org_id", "=", orgId)
    .where("user_id", "=", userId)
    .execute();
  if (!sameRoles) await assignRoles(trx, orgId, userId, roleIds);
  const after = await getMember(trx, orgId, userId);
  await recordAudit(trx, {
    ...actor,
    action: "member.update",
    subjectType: "Member",
    subjectId: userId,
    before: auditState(before),
    after: after ? auditState(after) : null,
  });
  return { ok: true, changed: true };
}

export type SetDisabledResult = { ok: true; sessionsEnded: number } | { ok: false; reason: "not_found" | "self" };

/**
 * Disabling a membership also deletes every session of that user (in all organisations),
 * so their very next request is signed out instead of running on until the session
 * expires. They sign in again to reach any other organisation they still belong to.
 */
export async function setMemberDisabled(trx: Tx, actor: AuditActor, userId: string, disabled: boolean): Promise<SetDisabledResult> {
  if (disabled && userId === actor.actorUserId) return { ok: false, reason: "self" };
  const before = await getMember(trx, actor.orgId, userId);
  if (!before) return { ok: false, reason: "not_found" };
  if (before.disabled === disabled) return { ok: true, sessionsEnded: 0 };
  await trx
    .updateTable("memberships")
    .set({ disabled_at: disabled ? sql<Date>`now()` : null })
    .where("org_id", "=", actor.orgId)
    .where("user_id", "=", userId)
    .execute();
  const sessionsEnded = disabled ? await deleteUserSessions(trx, userId) : 0;
  await recordAudit(trx, {
    ...actor,
    action: disabled ? "member.disable" : "member.enable",
    subjectType: "Member",
    subjectId: userId,
    before: { disabled: before.disabled },
    after: { disabled, sessionsEnded },
  });
  return { ok: true, sessionsEnded };
}
