import crypto from "node:crypto";
import { sql, type Compilable, type RawBuilder } from "kysely";
import type { DefinitionGraph, WorkflowNode } from "~/engine/definition";
import { runtime } from "~/engine/runtime";
import type { CaseData, CaseState, Completion, Effect, IncidentReason, RuntimeContext, StepResult } from "~/engine/runtime-types";
import type { BusinessCalendar } from "~/engine/calendar";
import { addDuration } from "~/engine/time";
import type { Tx } from "~/utils/db.server";
import type { CaseStatus, TaskPriority } from "~/utils/db-types";
import { enqueueTimerJobs, type TimerJobData } from "~/utils/job-queue.server";
import { ActionRefusal, actionExecutor } from "./action-executors.server";
import { loadBusinessCalendar } from "./business-calendar.server";
import { chainEvents, EMPTY_TAIL, eventInsert, type CaseEventInput, type ChainedEventRow, type ChainTail } from "./case-events.server";
import { latestPublishedFormVersionIds } from "./forms.server";
import { getPublishedVersion, getVersionById, type RuntimeVersion } from "./published-versions.server";
import { slaFlushStatements } from "./sla-clocks.server";

// One user action (or timer) = one CaseRun inside one transaction. It runs the pure runtime,
// keeps every case it touched in an identity map (a subprocess finishing completes its
// parent in the same run), carries out the runtime's effects and writes everything in a few
// batched statements at flush(): cases, tasks, timers, incidents, then the chained events.
// Ids are generated here, so effects can refer to rows before they are written.

export interface LoadedCase {
  id: string;
  orgId: string;
  reference: string;
  title: string | null;
  version: RuntimeVersion;
  data: CaseData;
  state: CaseState;
  parentCaseId: string | null;
  parentTokenId: string | null;
  startedBy: string | null;
  startedAt: Date;
  completedAt: Date | null;
  tail: ChainTail;
  /** Form key → pinned form version id (cases.form_versions). */
  formVersions: Record<string, string>;
  isNew: boolean;
  /** data or state changed since the row was read or written. */
  dirty: boolean;
  /** Only the event chain's tail moved (a claim, a comment): a narrower UPDATE. */
  tailMoved: boolean;
  events: CaseEventInput[];
}

export interface CreatedTask {
  id: string;
  caseId: string;
  nodeId: string;
  tokenId: string;
  kind: "task" | "gate";
  name_ar: string;
  name_en: string;
  dueAt: string | null;
}

/** A cases row locked by the caller (SELECT … FOR UPDATE), to adopt into a run. */
export interface LockedCaseRow {
  id: string;
  reference: string;
  title: string | null;
  version_id: string;
  data: CaseData;
  state: unknown;
  parent_case_id: string | null;
  parent_token_id: string | null;
  started_by: string | null;
  started_at: Date;
  completed_at: Date | null;
  event_seq: number;
  event_hash: string;
  form_versions: Record<string, string>;
}

type TaskInsert = {
  id: string;
  caseId: string;
  tokenId: string;
  nodeId: string;
  kind: "task" | "gate";
  name_ar: string;
  name_en: string;
  laneId: string | null;
  roleKey: string | null;
  unitCode: string | null;
  priority: TaskPriority;
  dueAt: Date | null;
};

/** The form keys a definition's steps ask (start form and task forms), to pin when a case starts. */
export function formKeysOf(graph: DefinitionGraph): string[] {
  const keys = new Set<string>();
  for (const node of graph.nodes) if ((node.kind === "task" || node.kind === "start") && node.form) keys.add(node.form);
  return [...keys];
}

export function findNode(def: DefinitionGraph, nodeId: string): WorkflowNode {
  const node = def.nodes.find((n) => n.id === nodeId);
  if (!node) throw new Error(`node ${nodeId} is not in definition ${def.key}`);
  return node;
}

export function statusOf(state: CaseState): CaseStatus {
  return state.status;
}

/** Sub-cases one step may start inside each other before the innermost becomes an incident. */
export const MAX_SUBPROCESS_NESTING = 20;

export class CaseRun {
  readonly cases = new Map<string, LoadedCase>();
  /** How deep below a case this run started each sub-case (cases not started here: 0). */
  private readonly nesting = new Map<string, number>();
  readonly createdTasks: CreatedTask[] = [];
  /** Ids of the incidents raised during this run. */
  readonly raisedIncidents: string[] = [];
  private tasks: TaskInsert[] = [];
  private timers: { id: string; caseId: string; tokenId: string; nodeId: string; dueAt: Date }[] = [];
  private incidents: { id: string; caseId: string; tokenId: string; nodeId: string; reason: string; detail: string; snapshot: CaseData }[] = [];
  private jobs: (TimerJobData & { dueAt: Date })[] = [];
  private completedTasks: { id: string; completedBy: string; outcome: string | null }[] = [];
  readonly now: Date;

  constructor(
    readonly trx: Tx,
    readonly orgId: string,
    readonly actorUserId: string | null,
    now?: Date,
  ) {
    this.now = now ?? new Date();
  }

  /** The organisation's business calendar, read at most once per run (undefined: not read yet). */
  private calendar: BusinessCalendar | null | undefined;

  /** Timers and task due dates are business time in this calendar (null: elapsed time). */
  async businessCalendar(): Promise<BusinessCalendar | null> {
    if (this.calendar === undefined) this.calendar = await loadBusinessCalendar(this.trx, this.orgId);
    return this.calendar;
  }

  /** The calendar is read only for a definition that has deadlines at all. */
  private async ctx(graph: DefinitionGraph): Promise<RuntimeContext> {
    const deadlines = graph.nodes.some((n) => n.kind === "timer" || (n.kind === "task" && n.due));
    return { now: this.now, newId: () => crypto.randomUUID(), calendar: deadlines ? await this.businessCalendar() : null };
  }

  private nestingOf(kase: LoadedCase): number {
    return this.nesting.get(kase.id) ?? 0;
  }

  event(kase: LoadedCase, input: Omit<CaseEventInput, "actorUserId"> & { actorUserId?: string | null }): void {
    kase.events.push({ actorUserId: this.actorUserId, ...input });
  }

  /** Takes a row the caller already locked into the run (no further query when its version is cached). */
  async adopt(row: LockedCaseRow): Promise<LoadedCase> {
    const known = this.cases.get(row.id);
    if (known) return known;
    const kase: LoadedCase = {
      id: row.id,
      orgId: this.orgId,
      reference: row.reference,
      title: row.title,
      version: await getVersionById(this.trx, this.orgId, row.version_id),
      data: row.data ?? {},
      state: row.state as CaseState,
      parentCaseId: row.parent_case_id,
      parentTokenId: row.parent_token_id,
      startedBy: row.started_by,
      startedAt: row.started_at,
      completedAt: row.completed_at,
      tail: { seq: row.event_seq, hash: row.event_hash },
      formVersions: row.form_versions ?? {},
      isNew: false,
      dirty: false,
      tailMoved: false,
      events: [],
    };
    this.cases.set(kase.id, kase);
    return kase;
  }

  /** Locks a case row (FOR UPDATE) and adopts it; undefined when it does not exist. */
  async lockCase(caseId: string): Promise<LoadedCase | undefined> {
    const known = this.cases.get(caseId);
    if (known) return known;
    const row = await this.trx
      .selectFrom("cases")
      .select(["id", "reference", "title", "version_id", "data", "state", "parent_case_id", "parent_token_id", "started_by", "started_at", "completed_at", "event_seq", "event_hash", "form_versions"])
      .where("org_id", "=", this.orgId)
      .where("id", "=", caseId)
      .forUpdate()
      .executeTakeFirst();
    return row ? this.adopt(row) : undefined;
  }

  /** "<year>-<6 digits>", gapless per organisation and year (the counter row is locked until commit). */
  private async allocateReference(): Promise<string> {
    const row = await sql<{ year: number; last: string }>`
      INSERT INTO case_counters (org_id, year, last)
      VALUES (${this.orgId}, extract(year FROM now() AT TIME ZONE (SELECT time_zone FROM organisations WHERE id = ${this.orgId}))::int, 1)
      ON CONFLICT (org_id, year) DO UPDATE SET last = case_counters.last + 1
      RETURNING year, last`.execute(this.trx);
    const { year, last } = row.rows[0]!;
    return `${year}-${String(last).padStart(6, "0")}`;
  }

  /** Starts a case on a published version and runs it until every token waits. */
  async startCase(input: {
    version: RuntimeVersion;
    data: CaseData;
    title?: string | null;
    parent?: { caseId: string; tokenId: string };
    /** Versions already used (the start form that validated the data). */
    formVersions?: Record<string, string>;
    /** Sub-cases above this one started in this run (its sub-processes start inside this call). */
    nesting?: number;
  }): Promise<LoadedCase> {
    const result = runtime.start(input.version.graph, input.data, await this.ctx(input.version.graph));
    const formVersions = { ...(await latestPublishedFormVersionIds(this.trx, this.orgId, formKeysOf(input.version.graph))), ...input.formVersions };
    const kase: LoadedCase = {
      id: crypto.randomUUID(),
      orgId: this.orgId,
      reference: await this.allocateReference(),
      title: input.title ?? null,
      version: input.version,
      data: input.data,
      state: result.state,
      parentCaseId: input.parent?.caseId ?? null,
      parentTokenId: input.parent?.tokenId ?? null,
      startedBy: this.actorUserId,
      startedAt: this.now,
      completedAt: null,
      tail: EMPTY_TAIL,
      formVersions,
      isNew: true,
      dirty: true,
      tailMoved: false,
      events: [],
    };
    this.cases.set(kase.id, kase);
    if (input.nesting) this.nesting.set(kase.id, input.nesting);
    this.event(kase, {
      type: "started",
      payload: {
        reference: kase.reference,
        definitionKey: input.version.definitionKey,
        version: input.version.version,
        title: kase.title,
        data: input.data,
        parentCaseId: kase.parentCaseId,
      },
    });
    await this.apply(kase, result);
    return kase;
  }

  /** A waiting token finished (task, gate, timer, subprocess, action): move on. */
  async complete(kase: LoadedCase, tokenId: string, completion: Completion): Promise<void> {
    await this.apply(kase, runtime.complete(kase.version.graph, kase.state, tokenId, completion, kase.data, await this.ctx(kase.version.graph)));
  }

  /** Re-evaluates an incident token with the case's current data. */
  async retry(kase: LoadedCase, tokenId: string): Promise<void> {
    await this.apply(kase, runtime.retry(kase.version.graph, kase.state, tokenId, kase.data, await this.ctx(kase.version.graph)));
  }

  async apply(kase: LoadedCase, result: StepResult): Promise<void> {
    kase.state = result.state;
    kase.dirty = true;
    for (const effect of result.effects) await this.effect(kase, effect);
  }

  private async effect(kase: LoadedCase, effect: Effect): Promise<void> {
    switch (effect.type) {
      case "token.moved":
        this.event(kase, { type: "token_moved", nodeId: effect.to, payload: { tokenId: effect.tokenId, from: effect.from, to: effect.to, edgeId: effect.edgeId } });
        return;
      case "task.create":
        await this.createTask(kase, effect.tokenId, effect.nodeId);
        return;
      case "timer.schedule": {
        const id = crypto.randomUUID();
        const dueAt = new Date(effect.dueAt);
        this.timers.push({ id, caseId: kase.id, tokenId: effect.tokenId, nodeId: effect.nodeId, dueAt });
        this.jobs.push({ orgId: this.orgId, timerId: id, dueAt });
        this.event(kase, { type: "timer_scheduled", nodeId: effect.nodeId, payload: { timerId: id, tokenId: effect.tokenId, dueAt: dueAt.toISOString() } });
        return;
      }
      case "subprocess.start": {
        // Sub-cases start in the same run as their parent: a flow that calls itself, directly
        // or through others (A → B → A), would otherwise start cases without end in one request.
        if (this.nestingOf(kase) >= MAX_SUBPROCESS_NESTING) {
          await this.fail(kase, effect.tokenId, "subprocess_depth", `more than ${MAX_SUBPROCESS_NESTING} nested sub-cases started in one step`);
          return;
        }
        const version = await getPublishedVersion(this.trx, this.orgId, effect.definitionKey, effect.version);
        if (!version) {
          const which = effect.version ? `${effect.definitionKey} v${effect.version}` : effect.definitionKey;
          await this.fail(kase, effect.tokenId, "subprocess_missing", `no published version of ${which}`);
          return;
        }
        // The child sees a copy of the parent's data; what it adds comes back on completion.
        const child = await this.startCase({ version, data: { ...kase.data }, title: kase.title, parent: { caseId: kase.id, tokenId: effect.tokenId }, nesting: this.nestingOf(kase) + 1 });
        this.event(kase, {
          type: "subprocess_started",
          nodeId: effect.nodeId,
          payload: { tokenId: effect.tokenId, childCaseId: child.id, childReference: child.reference, definitionKey: version.definitionKey, version: version.version },
        });
        return;
      }
      case "action.run":
        await this.runAction(kase, effect);
        return;
      case "incident.raise":
        this.recordIncident(kase, effect.tokenId, effect.nodeId, effect.reason, effect.detail);
        return;
      case "case.completed":
        await this.caseCompleted(kase);
        return;
    }
  }

  private async createTask(kase: LoadedCase, tokenId: string, nodeId: string): Promise<void> {
    const node = findNode(kase.version.graph, nodeId);
    if (node.kind !== "task" && node.kind !== "gate") throw new Error(`task.create for ${node.kind} node ${nodeId}`);
    const lane = node.lane ? kase.version.graph.lanes.find((l) => l.id === node.lane) : undefined;
    // A gate is decided by its approver role; a task by its lane's role or unit.
    const roleKey = node.kind === "gate" ? node.approverRole : lane?.assignee.type === "role" ? lane.assignee.roleKey : null;
    const unitCode = node.kind === "task" && lane?.assignee.type === "unit" ? lane.assignee.unitCode : null;
    const due = node.kind === "task" && node.due ? addDuration(this.now, node.due, await this.businessCalendar()) : null;
    const task: TaskInsert = {
      id: crypto.randomUUID(),
      caseId: kase.id,
      tokenId,
      nodeId,
      kind: node.kind,
      name_ar: node.name.ar,
      name_en: node.name.en,
      laneId: node.lane ?? null,
      roleKey,
      unitCode,
      priority: node.kind === "task" ? (node.priority ?? "normal") : "normal",
      dueAt: due,
    };
    this.tasks.push(task);
    const created: CreatedTask = { id: task.id, caseId: kase.id, nodeId, tokenId, kind: task.kind, name_ar: task.name_ar, name_en: task.name_en, dueAt: due?.toISOString() ?? null };
    this.createdTasks.push(created);
    this.event(kase, {
      type: "task_created",
      nodeId,
      taskId: task.id,
      payload: { tokenId, name: node.name, laneId: task.laneId, candidateRole: roleKey, candidateUnit: unitCode, dueAt: created.dueAt, priority: task.priority },
    });
  }

  /** A failure the service found (missing subprocess, failed action): the runtime marks the token. */
  private async fail(kase: LoadedCase, tokenId: string, reason: IncidentReason, detail: string): Promise<void> {
    await this.apply(kase, runtime.raiseIncident(kase.state, tokenId, reason, detail));
  }

  /** Records an incident the runtime raised (its token is already stuck); nothing else moves until a retry. */
  private recordIncident(kase: LoadedCase, tokenId: string, nodeId: string, reason: IncidentReason, detail: string): void {
    const id = crypto.randomUUID();
    const text = detail.slice(0, 4000);
    this.raisedIncidents.push(id);
    this.incidents.push({ id, caseId: kase.id, tokenId, nodeId, reason, detail: text, snapshot: kase.data });
    this.event(kase, { type: "incident_raised", nodeId, payload: { incidentId: id, tokenId, reason, detail: text } });
  }

  private async runAction(kase: LoadedCase, effect: Extract<Effect, { type: "action.run" }>): Promise<void> {
    const executor = actionExecutor(effect.actionType);
    if (!executor) {
      await this.fail(kase, effect.tokenId, "action_failed", `no executor is registered for action type ${effect.actionType}`);
      return;
    }
    // The executor may read or write the database: let it see everything so far, and undo
    // only its own writes if it fails.
    await this.flush();
    await sql`SAVEPOINT masar_action`.execute(this.trx);
    let output: unknown;
    try {
      output = await executor({
        trx: this.trx,
        orgId: this.orgId,
        caseId: kase.id,
        nodeId: effect.nodeId,
        tokenId: effect.tokenId,
        actionType: effect.actionType,
        config: effect.config,
        data: structuredClone(kase.data),
        now: this.now,
      });
      if (output !== undefined && (output === null || typeof output !== "object" || Array.isArray(output))) throw new Error("the action returned something other than an object");
      await sql`RELEASE SAVEPOINT masar_action`.execute(this.trx);
    } catch (error) {
      await sql`ROLLBACK TO SAVEPOINT masar_action`.execute(this.trx);
      await sql`RELEASE SAVEPOINT masar_action`.execute(this.trx);
      await this.fail(kase, effect.tokenId, error instanceof ActionRefusal ? error.reason : "action_failed", error instanceof Error ? error.message : String(error));
      return;
    }
    const added = (JSON.parse(JSON.stringify(output ?? {})) as CaseData);
    kase.data = { ...kase.data, ...added };
    this.event(kase, { type: "action_completed", nodeId: effect.nodeId, payload: { tokenId: effect.tokenId, actionType: effect.actionType, output: added } });
    await this.complete(kase, effect.tokenId, { kind: "action", data: added });
  }

  private async caseCompleted(kase: LoadedCase): Promise<void> {
    kase.completedAt = this.now;
    this.event(kase, { type: "completed", payload: { data: kase.data } });
    if (!kase.parentCaseId || !kase.parentTokenId) return;
    const parent = await this.lockCase(kase.parentCaseId);
    if (!parent) throw new Error(`parent case ${kase.parentCaseId} of ${kase.id} not found`);
    const before = parent.data;
    parent.data = { ...parent.data, ...kase.data };
    this.event(parent, {
      type: "subprocess_completed",
      nodeId: parent.state.tokens.find((t) => t.id === kase.parentTokenId)?.nodeId ?? null,
      payload: { tokenId: kase.parentTokenId, childCaseId: kase.id, childReference: kase.reference, changed: changedKeys(before, parent.data) },
    });
    await this.complete(parent, kase.parentTokenId, { kind: "subprocess", data: kase.data });
  }

  /**
   * Marks a task the caller locked as completed; written by the next flush, in the same
   * statement as the rest (its row_version becomes the locked value + 1).
   */
  completeTaskRow(id: string, completedBy: string, outcome: string | null): void {
    this.completedTasks.push({ id, completedBy, outcome });
  }

  /**
   * Writes everything pending as ONE statement (a chain of data-modifying CTEs): a step costs
   * one round trip however many rows it touches. The sub-statements share a snapshot and never
   * touch the same row twice; foreign keys are checked at the end of the statement, so a new
   * case and its tasks and events travel together. Safe to call more than once.
   */
  async flush(): Promise<void> {
    // SLA clocks start, respond and stop with the step (sla-clocks.server.ts); read before the events are chained.
    const sla = await slaFlushStatements(this.trx, {
      orgId: this.orgId,
      now: this.now,
      calendar: () => this.businessCalendar(),
      cases: [...this.cases.values()],
      created: this.tasks,
      completed: this.completedTasks.map((t) => t.id),
    });
    const statements: Compilable[] = [];
    const eventRows: ChainedEventRow[] = [];
    for (const kase of this.cases.values()) {
      if (kase.events.length === 0) continue;
      const chained = chainEvents(this.orgId, kase.id, kase.tail, kase.events, this.now);
      eventRows.push(...chained.rows);
      kase.tail = chained.tail;
      kase.events = [];
      kase.tailMoved = true;
    }
    const fresh = [...this.cases.values()].filter((c) => c.isNew && c.dirty);
    if (fresh.length) {
      statements.push(
        this.trx.insertInto("cases")
        .values(
          fresh.map((c) => ({
            org_id: this.orgId,
            id: c.id,
            reference: c.reference,
            definition_id: c.version.definitionId,
            version_id: c.version.id,
            status: statusOf(c.state),
            title: c.title,
            data: JSON.stringify(c.data),
            state: JSON.stringify(c.state),
            parent_case_id: c.parentCaseId,
            parent_token_id: c.parentTokenId,
            started_by: c.startedBy,
            started_at: c.startedAt,
            completed_at: c.completedAt,
            event_seq: c.tail.seq,
            event_hash: c.tail.hash,
            form_versions: JSON.stringify(c.formVersions),
          })),
        ),
      );
      for (const c of fresh) {
        c.isNew = false;
        c.dirty = false;
        c.tailMoved = false;
      }
    }
    for (const c of this.cases.values()) {
      if (c.isNew) continue;
      if (!c.dirty) {
        if (c.tailMoved) {
          statements.push(
            this.trx.updateTable("cases").set({ event_seq: c.tail.seq, event_hash: c.tail.hash }).where("org_id", "=", this.orgId).where("id", "=", c.id),
          );
          c.tailMoved = false;
        }
        continue;
      }
      statements.push(
        this.trx.updateTable("cases").set((eb) => ({
          data: JSON.stringify(c.data),
          state: JSON.stringify(c.state),
          status: statusOf(c.state),
          completed_at: c.completedAt,
          event_seq: c.tail.seq,
          event_hash: c.tail.hash,
          form_versions: JSON.stringify(c.formVersions),
          row_version: eb("row_version", "+", 1),
        }))
        .where("org_id", "=", this.orgId)
        .where("id", "=", c.id),
      );
      c.dirty = false;
      c.tailMoved = false;
    }
    const done = this.completedTasks;
    this.completedTasks = [];
    for (const t of done) {
      statements.push(
        this.trx
          .updateTable("tasks")
          .set((eb) => ({ status: "completed", completed_at: this.now, completed_by: t.completedBy, outcome: t.outcome, row_version: eb("row_version", "+", 1) }))
          .where("org_id", "=", this.orgId)
          .where("id", "=", t.id),
      );
    }
    const taskInsert = this.taskInsert();
    if (taskInsert) statements.push(taskInsert);
    if (this.timers.length) {
      const timers = this.timers;
      this.timers = [];
      statements.push(
        this.trx.insertInto("case_timers").values(timers.map((t) => ({ org_id: this.orgId, id: t.id, case_id: t.caseId, token_id: t.tokenId, node_id: t.nodeId, due_at: t.dueAt }))),
      );
    }
    if (this.incidents.length) {
      const incidents = this.incidents;
      this.incidents = [];
      statements.push(
        this.trx.insertInto("incidents")
        .values(
          incidents.map((i) => ({
            org_id: this.orgId,
            id: i.id,
            case_id: i.caseId,
            token_id: i.tokenId,
            node_id: i.nodeId,
            reason: i.reason,
            detail: i.detail,
            data_snapshot: JSON.stringify(i.snapshot),
          })),
        ),
      );
    }
    const events = eventInsert(this.trx, eventRows);
    if (events) statements.push(events);
    statements.push(...sla);
    await executeAsOne(this.trx, statements);
    const jobs = this.jobs;
    this.jobs = [];
    await enqueueTimerJobs(this.trx, jobs);
  }

  private taskInsert() {
    if (this.tasks.length === 0) return undefined;
    const tasks = this.tasks;
    this.tasks = [];
    const orgId = this.orgId;
    return this.trx
      .insertInto("tasks")
      .values((eb) =>
        tasks.map((t) => ({
          org_id: orgId,
          id: t.id,
          case_id: t.caseId,
          token_id: t.tokenId,
          node_id: t.nodeId,
          kind: t.kind,
          name_ar: t.name_ar,
          name_en: t.name_en,
          lane_id: t.laneId,
          // Resolved here, in the INSERT, from the lane's stable keys: no extra round trip.
          candidate_role_id: t.roleKey
            ? eb.selectFrom("roles").select("id").where("org_id", "=", orgId).where("key", "=", t.roleKey)
            : null,
          candidate_unit_id: t.unitCode
            ? eb.selectFrom("org_units").select("id").where("org_id", "=", orgId).where("code", "=", t.unitCode)
            : null,
          status: "open" as const,
          priority: t.priority,
          due_at: t.dueAt,
          created_at: this.now,
        })),
      );
  }
}

/** Runs the statements as one: alone when there is one, else as data-modifying CTEs. */
async function executeAsOne(trx: Tx, statements: Compilable[]): Promise<void> {
  if (statements.length === 0) return;
  if (statements.length === 1) {
    await sql`${statements[0]}`.execute(trx);
    return;
  }
  const parts: RawBuilder<unknown>[] = statements.map((st, i) => sql`${sql.raw(`s${i}`)} AS (${st})`);
  await sql`WITH ${sql.join(parts)} SELECT 1`.execute(trx);
}

/** Keys whose values differ between two data objects (for event payloads). */
export function changedKeys(before: CaseData, after: CaseData): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}
