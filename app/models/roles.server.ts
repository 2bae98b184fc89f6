import type { Tx } from "~/utils/db.server";
import type { RuleJson } from "~/utils/permissions.server";

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
