import { recordAudit } from "./audit.server";
import { loadMembership } from "./memberships.server";
import { accessibleWhere } from "~/utils/casl-sql.server";
import type { AuditActor } from "~/utils/audit-actor.server";
import type { Tx } from "~/utils/db.server";
import { likePattern } from "~/utils/paging";
import { buildAbility, interpolateRules, type AppAbility, type RuleJson } from "~/utils/permissions.server";
import { validateRules, type RuleIssue } from "~/utils/role-rules.server";

export interface BuiltinRole {
  key: string;
  name_ar: string;
  name_en: string;
  rules: RuleJson[];
}

// Defaults copied into every new organisation; its admin may edit them afterwards.
// Placeholders like "${user.id}" are filled per member (permissions.server.ts).
export const BUILTIN_ROLES: BuiltinRole[] = [
  {
    key: "admin",
    name_ar: "مسؤول الجهة",
    name_en: "Organisation admin",
    rules: [{ action: "manage", subject: "all" }],
  },
  {
    key: "manager",
    name_ar: "مدير",
    name_en: "Manager",
    rules: [
      { action: "read", subject: ["OrgUnit", "Member", "Role", "AuditLog", "Plugin", "Organisation"] },
      { action: "manage", subject: "ApiToken", conditions: { userId: "${user.id}" } },
      { action: "manage", subject: ["Case", "Task", "Incident"] },
      { action: "read", subject: "Definition" },
      { action: ["read", "create"], subject: "Form" },
      // A manager shapes the forms they created; others' forms stay read-only for them.
      { action: "update", subject: "Form", conditions: { createdBy: "${user.id}" } },
    ],
  },
  {
    key: "staff",
    name_ar: "موظف",
    name_en: "Staff member",
    rules: [
      { action: "read", subject: ["OrgUnit", "Organisation"] },
      { action: "read", subject: "Member", conditions: { unitId: "${user.unitId}" } },
      { action: "manage", subject: "ApiToken", conditions: { userId: "${user.id}" } },
      { action: "read", subject: ["Definition", "Case"] },
      { action: "create", subject: "Case" },
      // Who may act on a given task (assignee, candidates) is decided by the task service.
      { action: ["read", "update"], subject: "Task" },
      { action: "read", subject: "Form" },
    ],
  },
];

export async function insertBuiltinRoles(trx: Tx, orgId: string, extraGrants: Record<string, RuleJson[]> = {}) {
  const rows = BUILTIN_ROLES.map((role) => ({
    org_id: orgId,
    key: role.key,
    name_ar: role.name_ar,
    name_en: role.name_en,
    rules: JSON.stringify([...role.rules, ...(extraGrants[role.key] ?? [])]),
    builtin: true,
  }));
  return trx.insertInto("roles").values(rows).returning(["id", "key"]).execute();
}

export async function assignRoles(trx: Tx, orgId: string, userId: string, roleIds: string[]): Promise<void> {
  await trx.deleteFrom("membership_roles").where("org_id", "=", orgId).where("user_id", "=", userId).execute();
  if (roleIds.length === 0) return;
  await trx
    .insertInto("membership_roles")
    .values(roleIds.map((role_id) => ({ org_id: orgId, user_id: userId, role_id })))
    .execute();
}

// ---------------------------------------------------------------------------
// Role administration (app/routes/app.$org.admin.roles*.tsx). Every change is one
// transaction: validated here, written with an optimistic version check, audit-logged.

export interface RoleListOptions {
  q: string;
  limit: number;
  offset: number;
  ability: AppAbility;
}

/** A page of the organisation's roles (filtered by what the member may read) with member counts. */
export async function listRoles(trx: Tx, orgId: string, options: RoleListOptions) {
  const base = trx
    .selectFrom("roles as r")
    .where("r.org_id", "=", orgId)
    .where(accessibleWhere(options.ability, "read", "Role", {}))
    .$if(options.q !== "", (qb) =>
      qb.where((eb) => {
        const pattern = likePattern(options.q);
        return eb.or([eb("r.key", "ilike", pattern), eb("r.name_ar", "ilike", pattern), eb("r.name_en", "ilike", pattern)]);
      }),
    );
  const [rows, total] = await Promise.all([
    base
      .select(["r.id", "r.key", "r.name_ar", "r.name_en", "r.builtin", "r.version", "r.updated_at"])
      .select((eb) =>
        eb
          .selectFrom("membership_roles as mr")
          .whereRef("mr.org_id", "=", "r.org_id")
          .whereRef("mr.role_id", "=", "r.id")
          .select((e) => e.fn.countAll<string>().as("n"))
          .as("members"),
      )
      .orderBy("r.builtin", "desc")
      .orderBy("r.key")
      .limit(options.limit)
      .offset(options.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map((r) => ({ ...r, members: Number(r.members ?? 0) })), total: Number(total.n) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function getRole(trx: Tx, orgId: string, id: string, options: { forUpdate?: boolean } = {}) {
  if (!UUID.test(id)) return undefined;
  return trx
    .selectFrom("roles")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .$if(Boolean(options.forUpdate), (qb) => qb.forUpdate())
    .executeTakeFirst();
}

type RoleRow = NonNullable<Awaited<ReturnType<typeof getRole>>>;

export type RoleResult =
  | { ok: true; role: RoleRow }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "invalid"; issues: RuleIssue[] }
  | { ok: false; reason: "duplicate_key" }
  | { ok: false; reason: "conflict"; current: RoleRow }
  | { ok: false; reason: "lockout" }
  | { ok: false; reason: "builtin_admin" }
  | { ok: false; reason: "assigned"; members: number };

const auditView = (role: Pick<RoleRow, "key" | "name_ar" | "name_en" | "rules" | "version">) => ({
  key: role.key,
  name_ar: role.name_ar,
  name_en: role.name_en,
  rules: role.rules,
  version: role.version,
});

function audit(trx: Tx, actor: AuditActor, action: string, roleId: string, before: unknown, after: unknown) {
  return recordAudit(trx, { ...actor, action, subjectType: "Role", subjectId: roleId, before, after });
}

export interface NewRoleInput {
  key: string;
  name_ar: string;
  name_en: string;
  rules: unknown;
}

export async function createRole(trx: Tx, actor: AuditActor, input: NewRoleInput): Promise<RoleResult> {
  const orgId = actor.orgId;
  const checked = validateRules(input.rules);
  if (!checked.ok) return { ok: false, reason: "invalid", issues: checked.issues };
  // ON CONFLICT instead of catching 23505: a failed statement would abort the transaction.
  const role = await trx
    .insertInto("roles")
    .values({ org_id: orgId, key: input.key, name_ar: input.name_ar, name_en: input.name_en, rules: JSON.stringify(checked.rules) })
    .onConflict((oc) => oc.columns(["org_id", "key"]).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!role) return { ok: false, reason: "duplicate_key" };
  await audit(trx, actor, "role.create", role.id, null, auditView(role));
  return { ok: true, role };
}

export interface RoleUpdate {
  version: number;
  name_ar: string;
  name_en: string;
  rules: unknown;
}

/**
 * Saves a role edited from version `update.version`. A stale version changes nothing and
 * returns the current row so the editor can say what changed. Refuses a change that would
 * take away the acting admin's own right to edit roles (they could not undo it).
 */
export async function updateRole(trx: Tx, actor: AuditActor, id: string, update: RoleUpdate): Promise<RoleResult> {
  const orgId = actor.orgId;
  const checked = validateRules(update.rules);
  if (!checked.ok) return { ok: false, reason: "invalid", issues: checked.issues };
  const before = await getRole(trx, orgId, id, { forUpdate: true });
  if (!before) return { ok: false, reason: "not_found" };
  if (before.version !== update.version) return { ok: false, reason: "conflict", current: before };
  if (await locksOut(trx, orgId, actor.actorUserId, id, checked.rules)) return { ok: false, reason: "lockout" };
  const role = await trx
    .updateTable("roles")
    .set({ name_ar: update.name_ar, name_en: update.name_en, rules: JSON.stringify(checked.rules), version: before.version + 1, updated_at: new Date() })
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .where("version", "=", update.version)
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(trx, actor, "role.update", id, auditView(before), auditView(role));
  return { ok: true, role };
}

/** True when the actor may update roles now but would not with `rules` on role `roleId`. */
async function locksOut(trx: Tx, orgId: string, userId: string, roleId: string, rules: RuleJson[]): Promise<boolean> {
  const found = await loadMembership(trx, orgId, userId);
  if (!found || !found.roles.some((r) => r.id === roleId)) return false;
  const vars = { user: { id: userId, unitId: found.membership.unit_id, email: "" }, org: { id: orgId } };
  const abilityWith = (replace: boolean) =>
    buildAbility(found.roles.flatMap((r) => interpolateRules(replace && r.id === roleId ? rules : Array.isArray(r.rules) ? (r.rules as unknown[]) : [], vars)));
  return abilityWith(false).can("update", "Role") && !abilityWith(true).can("update", "Role");
}

/** Deletes a role nobody holds; the built-in admin role is never deleted. */
export async function deleteRole(trx: Tx, actor: AuditActor, id: string, version: number): Promise<RoleResult> {
  const orgId = actor.orgId;
  const before = await getRole(trx, orgId, id, { forUpdate: true });
  if (!before) return { ok: false, reason: "not_found" };
  if (before.version !== version) return { ok: false, reason: "conflict", current: before };
  if (before.builtin && before.key === "admin") return { ok: false, reason: "builtin_admin" };
  const held = await trx
    .selectFrom("membership_roles")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("org_id", "=", orgId)
    .where("role_id", "=", id)
    .executeTakeFirstOrThrow();
  if (Number(held.n) > 0) return { ok: false, reason: "assigned", members: Number(held.n) };
  await trx.deleteFrom("roles").where("org_id", "=", orgId).where("id", "=", id).execute();
  await audit(trx, actor, "role.delete", id, auditView(before), null);
  return { ok: true, role: before };
}
