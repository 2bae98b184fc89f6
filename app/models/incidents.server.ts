import type { CaseData } from "~/engine/runtime-types";
import type { Tx } from "~/utils/db.server";
import type { CaseStatus } from "~/utils/db-types";
import { isUuid, requireCan, userRef, type CaseActor } from "./case-access.server";
import { ConflictError, NotFoundError, ValidationError } from "./case-errors";
import { CaseRun, changedKeys, type CreatedTask } from "./case-runner.server";
import { once } from "./idempotency.server";
import { checkCaseDataSize, validateStepData } from "./step-data.server";

// Incidents: a token the runtime could not move (a FEEL condition that failed, no matching
// edge, a missing subprocess definition, a failed action). The case shows it; someone who
// may update incidents fixes the data and retries, in one transaction.

export interface RetryIncidentInput {
  /** Corrections merged (shallowly) into the case data before the retry. */
  data?: unknown;
  idempotencyKey?: string;
}

export interface RetryIncidentResult {
  incidentId: string;
  caseId: string;
  reference: string;
  caseStatus: CaseStatus;
  /** Incidents raised again by this retry (the fix was not enough), by id. */
  newIncidents: string[];
  tasks: CreatedTask[];
}

export async function retryIncident(trx: Tx, actor: CaseActor, incidentId: string, input: RetryIncidentInput = {}): Promise<RetryIncidentResult> {
  requireCan(actor, "update", "Incident");
  const orgId = actor.org.id;
  return once(trx, { orgId, userId: actor.user.id }, `incident.retry:${incidentId}`, input.idempotencyKey, async () => {
    if (!isUuid(incidentId)) throw new NotFoundError("Incident", incidentId);
    const row = await trx
      .selectFrom("incidents as i")
      .innerJoin("cases as c", (j) => j.onRef("c.org_id", "=", "i.org_id").onRef("c.id", "=", "i.case_id"))
      .select([
        "i.id", "i.token_id", "i.node_id", "i.status as i_status", "i.resolved_at", "i.resolved_by",
        "c.id as case_id", "c.reference", "c.title", "c.version_id", "c.data", "c.state", "c.parent_case_id", "c.parent_token_id",
        "c.started_by", "c.started_at", "c.completed_at", "c.event_seq", "c.event_hash", "c.form_versions",
      ])
      .where("i.org_id", "=", orgId)
      .where("i.id", "=", incidentId)
      .forUpdate(["i", "c"])
      .executeTakeFirst();
    if (!row) throw new NotFoundError("Incident", incidentId);
    if (row.i_status !== "open") throw new ConflictError("incident_already_resolved", await userRef(trx, row.resolved_by), row.resolved_at?.toISOString() ?? null);

    let fix: CaseData = {};
    if (input.data !== undefined) {
      const checked = await validateStepData(undefined, input.data, { trx, orgId });
      if (!checked.ok) throw new ValidationError(checked.issues);
      fix = checked.data;
    }
    const run = new CaseRun(trx, orgId, actor.user.id);
    const kase = await run.adopt({ ...row, id: row.case_id });
    const before = kase.data;
    const merged = { ...kase.data, ...fix };
    const tooBig = checkCaseDataSize(merged);
    if (tooBig.length) throw new ValidationError(tooBig);
    kase.data = merged;
    kase.dirty = true;
    // Resolved first: a retry that fails again raises a new open incident for the token.
    await trx
      .updateTable("incidents")
      .set({ status: "resolved", resolved_at: run.now, resolved_by: actor.user.id })
      .where("org_id", "=", orgId)
      .where("id", "=", row.id)
      .execute();
    const changed = changedKeys(before, merged);
    run.event(kase, {
      type: "incident_retried",
      nodeId: row.node_id,
      payload: {
        incidentId: row.id,
        tokenId: row.token_id,
        before: Object.fromEntries(changed.map((k) => [k, before[k] ?? null])),
        after: Object.fromEntries(changed.map((k) => [k, merged[k] ?? null])),
      },
    });
    await run.retry(kase, row.token_id);
    await run.flush();
    return {
      incidentId: row.id,
      caseId: kase.id,
      reference: kase.reference,
      caseStatus: kase.state.status,
      newIncidents: run.raisedIncidents,
      tasks: run.createdTasks,
    };
  });
}

export interface IncidentListOptions {
  page: number;
  pageSize: number;
  status?: "open" | "resolved";
}

/** Incidents of the organisation (read Incident), newest first, with their case. */
export async function listIncidents(trx: Tx, actor: CaseActor, options: IncidentListOptions) {
  requireCan(actor, "read", "Incident");
  const base = trx
    .selectFrom("incidents as i")
    .innerJoin("cases as c", (j) => j.onRef("c.org_id", "=", "i.org_id").onRef("c.id", "=", "i.case_id"))
    .where("i.org_id", "=", actor.org.id)
    .$if(Boolean(options.status), (qb) => qb.where("i.status", "=", options.status!));
  const [rows, total] = await Promise.all([
    base
      .leftJoin("users as u", "u.id", "i.resolved_by")
      .select([
        "i.id", "i.token_id as tokenId", "i.node_id as nodeId", "i.reason", "i.detail", "i.data_snapshot as dataSnapshot", "i.status",
        "i.created_at as createdAt", "i.resolved_at as resolvedAt", "u.name as resolvedByName",
        "c.id as caseId", "c.reference as caseReference", "c.title as caseTitle",
      ])
      .orderBy("i.created_at", "desc")
      .orderBy("i.id")
      .limit(options.pageSize)
      .offset((Math.max(1, options.page) - 1) * options.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}
