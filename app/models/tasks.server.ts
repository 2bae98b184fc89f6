import { sql, type Expression, type ExpressionBuilder, type SqlBool } from "kysely";
import { EngineError } from "~/engine/runtime";
import type { CaseData } from "~/engine/runtime-types";
import { accessibleWhere } from "~/utils/casl-sql.server";
import type { Tx } from "~/utils/db.server";
import type { CaseStatus, TaskRow } from "~/utils/db-types";
import type { InboxFilter, InboxSort } from "~/utils/inbox-params";
import { likePattern } from "~/utils/paging";
import { candidateOfTask, isCandidate, isUuid, requireCan, taskSubject, userRef, type CaseActor } from "./case-access.server";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "./case-errors";
import { CaseRun, changedKeys, findNode, type CreatedTask, type LockedCaseRow } from "./case-runner.server";
import { once } from "./idempotency.server";
import { notify } from "./notifications.server";
import { attachFiles } from "./files.server";
import { checkCaseDataSize, validateStepData } from "./step-data.server";

// The task service: complete, claim, unclaim, reassign, delegate, and the inbox.
// Every action locks the task row and its case row in ONE statement (SELECT … FOR UPDATE OF
// both), so concurrent actions on a task queue up behind each other; the first wins and the
// others, on waking, see its result and get a ConflictError naming the winner.

/**
 * The task and its case, locked; undefined when the task does not exist. `isCandidate` says
 * whether the user may take the task by its lane (role or unit), computed in the same
 * statement: the candidate columns never change after a task is created.
 */
async function lockTask(trx: Tx, orgId: string, taskId: string, userId: string): Promise<{ task: TaskRow; kase: LockedCaseRow; isCandidate: boolean } | undefined> {
  if (!isUuid(taskId)) return undefined;
  const row = await trx
    .selectFrom("tasks as t")
    .innerJoin("cases as c", (j) => j.onRef("c.org_id", "=", "t.org_id").onRef("c.id", "=", "t.case_id"))
    .selectAll("t")
    .select([
      "c.reference as c_reference",
      "c.title as c_title",
      "c.version_id as c_version_id",
      "c.data as c_data",
      "c.state as c_state",
      "c.parent_case_id as c_parent_case_id",
      "c.parent_token_id as c_parent_token_id",
      "c.started_by as c_started_by",
      "c.started_at as c_started_at",
      "c.completed_at as c_completed_at",
      "c.event_seq as c_event_seq",
      "c.event_hash as c_event_hash",
      "c.form_versions as c_form_versions",
      candidateOfTask(userId).as("is_candidate"),
    ])
    .where("t.org_id", "=", orgId)
    .where("t.id", "=", taskId)
    .forUpdate(["t", "c"])
    .executeTakeFirst();
  if (!row) return undefined;
  const { c_reference, c_title, c_version_id, c_data, c_state, c_parent_case_id, c_parent_token_id, c_started_by, c_started_at, c_completed_at, c_event_seq, c_event_hash, c_form_versions, is_candidate, ...task } = row;
  return {
    task,
    isCandidate: is_candidate === true,
    kase: {
      id: task.case_id,
      reference: c_reference,
      title: c_title,
      version_id: c_version_id,
      data: c_data,
      state: c_state,
      parent_case_id: c_parent_case_id,
      parent_token_id: c_parent_token_id,
      started_by: c_started_by,
      started_at: c_started_at,
      completed_at: c_completed_at,
      event_seq: c_event_seq,
      event_hash: c_event_hash,
      form_versions: c_form_versions,
    },
  };
}

/** Locks the task and checks the gates every action shares; returns the locked rows. */
async function lockOpenTask(trx: Tx, actor: CaseActor, taskId: string, expectedRowVersion: number | undefined) {
  const locked = await lockTask(trx, actor.org.id, taskId, actor.user.id);
  if (!locked || !actor.ability.can("read", taskSubject(locked.task))) throw new NotFoundError("Task", taskId);
  const { task } = locked;
  requireCan(actor, "update", "Task", taskSubject(task));
  if (task.status === "completed") throw new ConflictError("task_already_completed", await userRef(trx, task.completed_by), task.completed_at?.toISOString() ?? null);
  if (task.status !== "open") throw new ConflictError("task_not_open");
  return { ...locked, checkVersion: () => checkRowVersion(task, expectedRowVersion) };
}

function checkRowVersion(task: TaskRow, expected: number | undefined): void {
  if (expected !== undefined && expected !== task.row_version) throw new ConflictError("task_changed");
}

async function claimedByOther(trx: Tx, task: TaskRow): Promise<ConflictError> {
  return new ConflictError("task_already_claimed", await userRef(trx, task.assignee_user_id), task.claimed_at?.toISOString() ?? null);
}

export interface TaskActionResult {
  taskId: string;
  caseId: string;
  reference: string;
  status: "open" | "completed";
  assigneeUserId: string | null;
  rowVersion: number;
}

export interface CompleteTaskInput {
  data?: unknown;
  /** Gates: "go" | "no-go" | "rework". */
  outcome?: string;
  expectedRowVersion?: number;
  idempotencyKey?: string;
}

export interface CompleteTaskResult extends TaskActionResult {
  caseStatus: CaseStatus;
  completedAt: string;
  /** Tasks that became active as a result (this case and any sub-cases). */
  tasks: CreatedTask[];
}

const GATE_OUTCOMES = ["go", "no-go", "rework"] as const;

export async function completeTask(trx: Tx, actor: CaseActor, taskId: string, input: CompleteTaskInput): Promise<CompleteTaskResult> {
  const orgId = actor.org.id;
  return once(trx, { orgId, userId: actor.user.id }, `task.complete:${taskId}`, input.idempotencyKey, async () => {
    const { task, kase: caseRow, isCandidate: candidate, checkVersion } = await lockOpenTask(trx, actor, taskId, input.expectedRowVersion);
    if (task.assignee_user_id !== actor.user.id) {
      const manage = actor.ability.can("manage", taskSubject(task));
      if (task.assignee_user_id !== null && !manage) throw await claimedByOther(trx, task);
      if (task.assignee_user_id === null && !manage && !candidate) {
        throw new ForbiddenError("update", "Task", "not_candidate");
      }
    }
    checkVersion();
    const run = new CaseRun(trx, orgId, actor.user.id);
    const kase = await run.adopt(caseRow);
    const node = findNode(kase.version.graph, task.node_id);
    const token = kase.state.tokens.find((t) => t.id === task.token_id);
    // The runtime only completes a token that waits at this node; anything else means the
    // task row and the case state disagree — refuse rather than move the wrong token.
    if (!token || token.nodeId !== task.node_id || token.status !== "active") throw new ConflictError("task_not_open");
    let outcome: (typeof GATE_OUTCOMES)[number] | undefined;
    if (task.kind === "gate") {
      outcome = GATE_OUTCOMES.find((o) => o === input.outcome);
      if (!outcome) throw new ValidationError([{ path: "outcome", code: "invalid_outcome", message: "a gate needs the outcome go, no-go or rework" }]);
    }
    const formKey = node.kind === "task" ? node.form : undefined;
    // Files of a step's form are shared on the task ("task:<id>"): a colleague who takes
    // the task over may keep the files an earlier answer referenced.
    const fileContext = `task:${task.id}`;
    const pinned = formKey ? kase.formVersions[formKey] : undefined;
    const checked = await validateStepData(formKey, input.data ?? {}, { trx, orgId, locale: actor.locale, files: { userId: actor.user.id, context: fileContext }, pinnedVersionId: pinned });
    if (!checked.ok) throw new ValidationError(checked.issues);
    // A form first published after the case started is pinned by its first answer.
    if (formKey && checked.formVersionId && !pinned) kase.formVersions = { ...kase.formVersions, [formKey]: checked.formVersionId };
    const submitted: CaseData = checked.data;
    if (checked.files?.length) await attachFiles(trx, orgId, checked.files, fileContext);
    const before = kase.data;
    const merged = { ...kase.data, ...submitted };
    const tooBig = checkCaseDataSize(merged);
    if (tooBig.length) throw new ValidationError(tooBig);
    kase.data = merged;
    kase.dirty = true;

    // Written by the flush below together with the case, the next tasks and the events.
    run.completeTaskRow(task.id, actor.user.id, outcome ?? null);
    const changed = changedKeys(before, merged);
    run.event(kase, {
      type: "task_completed",
      nodeId: task.node_id,
      taskId: task.id,
      payload: {
        tokenId: task.token_id,
        outcome: outcome ?? null,
        data: submitted,
        before: Object.fromEntries(changed.map((k) => [k, before[k] ?? null])),
        after: Object.fromEntries(changed.map((k) => [k, merged[k] ?? null])),
      },
    });
    try {
      await run.complete(kase, task.token_id, outcome ? { kind: "gate", outcome, data: submitted } : { kind: "task", data: submitted });
    } catch (error) {
      // The runtime refuses a completion that does not fit (a gate without that outcome's edge).
      if (error instanceof EngineError && error.code === "invalid_outcome") {
        throw new ValidationError([{ path: "outcome", code: "invalid_outcome", message: error.message }]);
      }
      if (error instanceof EngineError) throw new ConflictError("task_not_open");
      throw error;
    }
    await run.flush();
    return {
      taskId: task.id,
      caseId: kase.id,
      reference: kase.reference,
      status: "completed" as const,
      assigneeUserId: task.assignee_user_id,
      // The row is locked, so the flush's increment gives exactly this.
      rowVersion: task.row_version + 1,
      caseStatus: kase.state.status,
      completedAt: run.now.toISOString(),
      tasks: run.createdTasks,
    };
  });
}

interface AssignInput {
  expectedRowVersion?: number;
  idempotencyKey?: string;
}

/** Writes a new assignee and the matching event; the case's chain tail moves with it. */
async function assign(
  trx: Tx,
  actor: CaseActor,
  locked: { task: TaskRow; kase: LockedCaseRow },
  assignee: string | null,
  type: "task_claimed" | "task_unclaimed" | "task_reassigned" | "task_delegated",
): Promise<TaskActionResult> {
  const { task } = locked;
  const run = new CaseRun(trx, actor.org.id, actor.user.id);
  const kase = await run.adopt(locked.kase);
  const updated = await trx
    .updateTable("tasks")
    .set((eb) => ({ assignee_user_id: assignee, claimed_at: assignee ? run.now : null, row_version: eb("row_version", "+", 1) }))
    .where("org_id", "=", actor.org.id)
    .where("id", "=", task.id)
    .returning(["row_version"])
    .executeTakeFirstOrThrow();
  run.event(kase, { type, nodeId: task.node_id, taskId: task.id, payload: { before: { assigneeUserId: task.assignee_user_id }, after: { assigneeUserId: assignee } } });
  await run.flush();
  // Given to someone else (reassigned, delegated): they hear of it, once per assignment.
  if (assignee && assignee !== actor.user.id) {
    await notify(trx, {
      orgId: actor.org.id,
      userIds: [assignee],
      kind: "task.assigned",
      params: { task_ar: task.name_ar, task_en: task.name_en, reference: kase.reference },
      link: `tasks/${task.id}`,
      dedupeKey: `task.assigned:${task.id}:${updated.row_version}`,
    });
  }
  return { taskId: task.id, caseId: kase.id, reference: kase.reference, status: "open", assigneeUserId: assignee, rowVersion: updated.row_version };
}

function unchanged(task: TaskRow, reference: string): TaskActionResult {
  return { taskId: task.id, caseId: task.case_id, reference, status: "open", assigneeUserId: task.assignee_user_id, rowVersion: task.row_version };
}

/** Takes an unclaimed task for oneself. Claiming one's own task again changes nothing. */
export async function claimTask(trx: Tx, actor: CaseActor, taskId: string, input: AssignInput = {}): Promise<TaskActionResult> {
  const orgId = actor.org.id;
  return once(trx, { orgId, userId: actor.user.id }, `task.claim:${taskId}`, input.idempotencyKey, async () => {
    const locked = await lockOpenTask(trx, actor, taskId, input.expectedRowVersion);
    const { task } = locked;
    if (task.assignee_user_id === actor.user.id) return unchanged(task, locked.kase.reference);
    if (task.assignee_user_id !== null) throw await claimedByOther(trx, task);
    locked.checkVersion();
    const manage = actor.ability.can("manage", taskSubject(task));
    if (!manage && !(await isCandidate(trx, orgId, actor.user.id, task))) throw new ForbiddenError("update", "Task", "not_candidate");
    return assign(trx, actor, locked, actor.user.id, "task_claimed");
  });
}

/** Gives a claimed task back to its candidates (the assignee, or someone who manages tasks). */
export async function unclaimTask(trx: Tx, actor: CaseActor, taskId: string, input: AssignInput = {}): Promise<TaskActionResult> {
  const orgId = actor.org.id;
  return once(trx, { orgId, userId: actor.user.id }, `task.unclaim:${taskId}`, input.idempotencyKey, async () => {
    const locked = await lockOpenTask(trx, actor, taskId, input.expectedRowVersion);
    const { task } = locked;
    if (task.assignee_user_id === null) return unchanged(task, locked.kase.reference);
    if (task.assignee_user_id !== actor.user.id && !actor.ability.can("manage", taskSubject(task))) throw await claimedByOther(trx, task);
    locked.checkVersion();
    return assign(trx, actor, locked, null, "task_unclaimed");
  });
}

async function activeMember(trx: Tx, orgId: string, userId: string): Promise<boolean> {
  if (!isUuid(userId)) return false;
  const row = await trx
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select("m.user_id")
    .where("m.org_id", "=", orgId)
    .where("m.user_id", "=", userId)
    .where("m.disabled_at", "is", null)
    .where("u.disabled_at", "is", null)
    .executeTakeFirst();
  return Boolean(row);
}

/**
 * Hands a task to another member. The assignee or someone who manages tasks may do it; the
 * new assignee must be a candidate of the task unless the actor manages tasks.
 */
export async function reassignTask(trx: Tx, actor: CaseActor, taskId: string, input: AssignInput & { toUserId: string }): Promise<TaskActionResult> {
  const orgId = actor.org.id;
  return once(trx, { orgId, userId: actor.user.id }, `task.reassign:${taskId}:${input.toUserId}`, input.idempotencyKey, async () => {
    const locked = await lockOpenTask(trx, actor, taskId, input.expectedRowVersion);
    const { task } = locked;
    const manage = actor.ability.can("manage", taskSubject(task));
    if (task.assignee_user_id !== actor.user.id && !manage) {
      if (task.assignee_user_id !== null) throw await claimedByOther(trx, task);
      throw new ForbiddenError("update", "Task", "not_assignee");
    }
    locked.checkVersion();
    if (!(await activeMember(trx, orgId, input.toUserId))) throw new NotFoundError("User", input.toUserId);
    if (!manage && !(await isCandidate(trx, orgId, input.toUserId, task))) throw new ForbiddenError("update", "Task", "target_not_candidate");
    if (task.assignee_user_id === input.toUserId) return unchanged(task, locked.kase.reference);
    return assign(trx, actor, locked, input.toUserId, "task_reassigned");
  });
}

/** The assignee asks a colleague (any active member) to do the task for them. */
export async function delegateTask(trx: Tx, actor: CaseActor, taskId: string, input: AssignInput & { toUserId: string }): Promise<TaskActionResult> {
  const orgId = actor.org.id;
  return once(trx, { orgId, userId: actor.user.id }, `task.delegate:${taskId}:${input.toUserId}`, input.idempotencyKey, async () => {
    const locked = await lockOpenTask(trx, actor, taskId, input.expectedRowVersion);
    const { task } = locked;
    if (task.assignee_user_id !== actor.user.id) {
      if (task.assignee_user_id !== null) throw await claimedByOther(trx, task);
      throw new ForbiddenError("update", "Task", "not_assignee");
    }
    locked.checkVersion();
    if (!(await activeMember(trx, orgId, input.toUserId))) throw new NotFoundError("User", input.toUserId);
    if (input.toUserId === actor.user.id) return unchanged(task, locked.kase.reference);
    return assign(trx, actor, locked, input.toUserId, "task_delegated");
  });
}

// ---------------------------------------------------------------------------
// Inbox

export interface InboxMember {
  org: { id: string };
  user: { id: string };
  unitId: string | null;
}

/**
 * "My tasks and my groups' tasks" as SQL over tasks aliased `alias`: assigned to me, or
 * unclaimed and (for one of my roles or for my unit). Roles are read from the database.
 */
export function inboxFilter(ctx: InboxMember, alias = "t") {
  const col = (c: string) => sql.ref(`${alias}.${c}`);
  return <DB, TB extends keyof DB>(_eb: ExpressionBuilder<DB, TB>): Expression<SqlBool> =>
    sql<SqlBool>`(${col("assignee_user_id")} = ${ctx.user.id}::uuid OR (${col("assignee_user_id")} IS NULL AND (
      ${col("candidate_role_id")} IN (SELECT mr.role_id FROM membership_roles mr WHERE mr.org_id = ${ctx.org.id}::uuid AND mr.user_id = ${ctx.user.id}::uuid)
      OR ${col("candidate_unit_id")} = ${ctx.unitId}::uuid)))`;
}

export interface InboxOptions {
  page: number;
  pageSize: number;
  sort: InboxSort;
  q: string;
  filter: InboxFilter;
}

export interface InboxRow {
  id: string;
  nodeId: string;
  name_ar: string;
  name_en: string;
  kind: "task" | "gate";
  status: "open";
  priority: "low" | "normal" | "high" | "urgent";
  dueAt: Date | null;
  createdAt: Date;
  claimedAt: Date | null;
  rowVersion: number;
  assigneeUserId: string | null;
  assigneeName: string | null;
  caseId: string;
  caseReference: string;
  caseTitle: string | null;
  definitionKey: string;
  definitionName_ar: string;
  definitionName_en: string;
}

export type InboxCounts = Record<InboxFilter, number>;

const PRIORITY_RANK = sql<number>`CASE t.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END`;

/**
 * The inbox: open tasks of inboxFilter that the member's rules let them read, one page of
 * one tab, with the count of every tab (counts ignore the search). Tabs: mine = assigned to
 * me; groups = unclaimed for my roles/unit; all = both; overdue = all past due.
 */
export async function listInbox(trx: Tx, ctx: InboxMember & { ability: CaseActor["ability"] }, options: InboxOptions): Promise<{ rows: InboxRow[]; total: number; counts: InboxCounts }> {
  const orgId = ctx.org.id;
  const me = ctx.user.id;
  const base = trx
    .selectFrom("tasks as t")
    .innerJoin("cases as c", (j) => j.onRef("c.org_id", "=", "t.org_id").onRef("c.id", "=", "t.case_id"))
    .innerJoin("workflow_definitions as d", (j) => j.onRef("d.org_id", "=", "c.org_id").onRef("d.id", "=", "c.definition_id"))
    .where("t.org_id", "=", orgId)
    .where("t.status", "=", "open")
    .where(inboxFilter(ctx))
    .where(accessibleWhere(ctx.ability, "read", "Task", { assigneeUserId: "t.assignee_user_id", candidateUnitId: "t.candidate_unit_id" }));
  const tab = base
    .$if(options.filter === "mine", (qb) => qb.where("t.assignee_user_id", "=", me))
    .$if(options.filter === "groups", (qb) => qb.where("t.assignee_user_id", "is", null))
    .$if(options.filter === "overdue", (qb) => qb.where("t.due_at", "<", sql<Date>`now()`))
    .$if(options.q !== "", (qb) =>
      qb.where((eb) => {
        const p = likePattern(options.q);
        return eb.or([eb("c.reference", "ilike", p), eb("c.title", "ilike", p), eb("t.name_ar", "ilike", p), eb("t.name_en", "ilike", p)]);
      }),
    );
  const page = Math.max(1, options.page);
  const [rows, total, counts] = await Promise.all([
    tab
      .leftJoin("users as au", "au.id", "t.assignee_user_id")
      .select([
        "t.id",
        "t.node_id as nodeId",
        "t.name_ar",
        "t.name_en",
        "t.kind",
        "t.priority",
        "t.due_at as dueAt",
        "t.created_at as createdAt",
        "t.claimed_at as claimedAt",
        "t.row_version as rowVersion",
        "t.assignee_user_id as assigneeUserId",
        "au.name as assigneeName",
        "c.id as caseId",
        "c.reference as caseReference",
        "c.title as caseTitle",
        "d.key as definitionKey",
        "d.name_ar as definitionName_ar",
        "d.name_en as definitionName_en",
      ])
      .$call((qb) =>
        options.sort === "priority"
          ? qb.orderBy(PRIORITY_RANK).orderBy(sql`t.due_at ASC NULLS LAST`)
          : options.sort === "created"
            ? qb.orderBy("t.created_at", "desc")
            : qb.orderBy(sql`t.due_at ASC NULLS LAST`).orderBy(PRIORITY_RANK),
      )
      .orderBy("t.created_at")
      .orderBy("t.id")
      .limit(options.pageSize)
      .offset((page - 1) * options.pageSize)
      .execute(),
    tab.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
    base
      .select([
        sql<string>`count(*) FILTER (WHERE t.assignee_user_id = ${me}::uuid)`.as("mine"),
        sql<string>`count(*) FILTER (WHERE t.assignee_user_id IS NULL)`.as("groups"),
        sql<string>`count(*)`.as("all"),
        sql<string>`count(*) FILTER (WHERE t.due_at < now())`.as("overdue"),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  return {
    rows: rows.map((r) => ({ ...r, status: "open" as const })),
    total: Number(total.n),
    counts: { mine: Number(counts.mine), groups: Number(counts.groups), all: Number(counts.all), overdue: Number(counts.overdue) },
  };
}

/** One task as the task page needs it, or NotFoundError (also when not readable). */
export async function getTask(trx: Tx, actor: CaseActor, taskId: string) {
  if (!isUuid(taskId)) throw new NotFoundError("Task", taskId);
  const task = await trx.selectFrom("tasks").selectAll().where("org_id", "=", actor.org.id).where("id", "=", taskId).executeTakeFirst();
  if (!task || !actor.ability.can("read", taskSubject(task))) throw new NotFoundError("Task", taskId);
  return task;
}
