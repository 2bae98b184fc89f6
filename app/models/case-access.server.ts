import { sql, type Expression, type RawBuilder } from "kysely";
import type { Tx } from "~/utils/db.server";
import type { TaskRow } from "~/utils/db-types";
import { asSubject, type AppAbility } from "~/utils/permissions.server";
import { ForbiddenError, type ActorRef } from "./case-errors";

// Who may do what to cases and tasks. CASL decides whether a role may act on a subject at
// all; on top of that only the assignee — or, while a task is unclaimed, its candidates
// (holders of the lane's role, members of the lane's unit) — may act on it, unless the
// member may "manage" the task (managers, admins).

/** The acting member: an OrgContext (requireOrgMember) fits as it is. */
export interface CaseActor {
  org: { id: string };
  user: { id: string };
  unitId: string | null;
  ability: AppAbility;
  /** The member's language, for messages of step-form validation (OrgContext has it). */
  locale?: "ar" | "en";
}

/** Task rows as CASL subjects: the condition fields of the "Task" subject. */
export function taskSubject(task: Pick<TaskRow, "assignee_user_id" | "candidate_unit_id">) {
  return asSubject("Task", { assigneeUserId: task.assignee_user_id, candidateUnitId: task.candidate_unit_id });
}

export function caseSubject(kase: { started_by: string | null }) {
  return asSubject("Case", { startedBy: kase.started_by });
}

export function requireCan(actor: CaseActor, action: string, subjectType: string, subject?: ReturnType<typeof asSubject>): void {
  if (!actor.ability.can(action, subject ?? subjectType)) throw new ForbiddenError(action, subjectType);
}

/** The role ids the member holds in the organisation (for candidate checks). */
export async function memberRoleIds(trx: Tx, orgId: string, userId: string): Promise<string[]> {
  const rows = await trx.selectFrom("membership_roles").select("role_id").where("org_id", "=", orgId).where("user_id", "=", userId).execute();
  return rows.map((r) => r.role_id);
}

/**
 * Whether an active member is a candidate for the task: holds its candidate role or belongs
 * to its candidate unit. Read from the database (not the session), so a role removed a
 * moment ago no longer counts.
 */
export async function isCandidate(trx: Tx, orgId: string, userId: string, task: Pick<TaskRow, "candidate_role_id" | "candidate_unit_id">): Promise<boolean> {
  if (!task.candidate_role_id && !task.candidate_unit_id) return false;
  const row = await sql<{ ok: boolean }>`SELECT ${candidateSql(sql`${orgId}::uuid`, userId, sql`${task.candidate_role_id}::uuid`, sql`${task.candidate_unit_id}::uuid`)} AS ok`.execute(trx);
  return row.rows[0]?.ok === true;
}

/** The same test inside a query over `tasks AS t` (the task lock reads it with the row). */
export function candidateOfTask(userId: string): RawBuilder<boolean> {
  return candidateSql(sql.ref("t.org_id"), userId, sql.ref("t.candidate_role_id"), sql.ref("t.candidate_unit_id"));
}

/** An active member holding the candidate role, or in the candidate unit (none given → false). */
function candidateSql(orgId: Expression<unknown>, userId: string, roleId: Expression<unknown>, unitId: Expression<unknown>): RawBuilder<boolean> {
  return sql<boolean>`EXISTS (
      SELECT 1 FROM memberships m
      WHERE m.org_id = ${orgId} AND m.user_id = ${userId} AND m.disabled_at IS NULL
        AND (m.unit_id = ${unitId}
             OR EXISTS (SELECT 1 FROM membership_roles mr
                        WHERE mr.org_id = m.org_id AND mr.user_id = m.user_id AND mr.role_id = ${roleId})))`;
}

export async function userRef(trx: Tx, userId: string | null): Promise<ActorRef | null> {
  if (!userId) return null;
  const row = await trx.selectFrom("users").select(["id", "name"]).where("id", "=", userId).executeTakeFirst();
  return row ? { id: row.id, name: row.name } : { id: userId, name: "" };
}

export interface TaskActions {
  claim: boolean;
  unclaim: boolean;
  complete: boolean;
  reassign: boolean;
  delegate: boolean;
}

/** What the member may do with a task now (for buttons; the services check again). */
export function taskActions(
  actor: CaseActor,
  task: Pick<TaskRow, "status" | "assignee_user_id" | "candidate_role_id" | "candidate_unit_id">,
  roleIds: readonly string[],
): TaskActions {
  const none = { claim: false, unclaim: false, complete: false, reassign: false, delegate: false };
  const subject = taskSubject(task);
  if (task.status !== "open" || !actor.ability.can("update", subject)) return none;
  const manage = actor.ability.can("manage", subject);
  const mine = task.assignee_user_id === actor.user.id;
  const unassigned = task.assignee_user_id === null;
  const candidate =
    (task.candidate_role_id !== null && roleIds.includes(task.candidate_role_id)) ||
    (task.candidate_unit_id !== null && task.candidate_unit_id === actor.unitId);
  return {
    claim: unassigned && (candidate || manage),
    unclaim: !unassigned && (mine || manage),
    complete: mine || (unassigned && candidate) || manage,
    reassign: mine || manage,
    delegate: mine,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids from URLs are checked before they reach SQL: a malformed uuid would abort the transaction. */
export const isUuid = (value: string): boolean => UUID.test(value);
