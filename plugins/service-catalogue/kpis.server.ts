import { sql } from "kysely";
import { recordAudit } from "~/models/audit.server";
import type { AuditActor } from "~/utils/audit-actor.server";
import type { Tx } from "~/utils/db.server";
import type { ServiceCatalogueTables } from "./db";
import { KPI_PRESETS, lastCompletePeriod, minutesBetween, type KpiCase, type KpiFrequency, type KpiPeriod, type KpiUnit } from "./kpi";
import { checkKpiExpression, evaluateKpi } from "./kpi-eval.server";
import type { KpiInput, KpiMethod } from "./schema";

// Per-service KPIs and their history of measurements. Computed KPIs read the service's
// cases (the cases of its linked workflow definition started in the period) and the
// customers' portal ratings; manual KPIs get a value typed by a member. Each measurement is
// a row (never overwritten), so the history shows every period and every correction.

const tables = (trx: Tx) => trx.withTables<ServiceCatalogueTables>();

export interface KpiRow {
  id: string;
  position: number;
  name: { ar: string; en: string };
  formula: { ar: string; en: string };
  expression: string | null;
  frequency: KpiFrequency;
  target: number;
  unit: KpiUnit;
  direction: "atLeast" | "atMost";
  last: MeasurementRow | null;
}

export interface MeasurementRow {
  id: string;
  periodStart: string;
  periodEnd: string;
  value: number | null;
  method: "computed" | "manual";
  caseCount: number | null;
  note: string;
  recordedByName: string | null;
  recordedAt: Date;
}

/** The stored expression for a method (null = manual). */
export function expressionFor(input: Pick<KpiInput, "method" | "field" | "expression">): string | null {
  const m: KpiMethod = input.method;
  if (m === "manual") return null;
  if (m === "custom") return input.expression.trim();
  if (m === "errorRate") return KPI_PRESETS.errorRate(input.field || "returned");
  return KPI_PRESETS[m]();
}

/** Which method (and field) an expression came from, for the edit form. */
export function methodOf(expression: string | null): {
  method: KpiMethod;
  field: string;
} {
  if (expression === null) return { method: "manual", field: "" };
  for (const m of ["satisfaction", "completionTime", "requests"] as const) if (expression === KPI_PRESETS[m]()) return { method: m, field: "" };
  const err = /data\.([A-Za-z_][A-Za-z0-9_]*) = true/.exec(expression);
  if (err && expression === KPI_PRESETS.errorRate(err[1])) return { method: "errorRate", field: err[1]! };
  return { method: "custom", field: "" };
}

function measurementOf(r: {
  id: string;
  period_start: string;
  period_end: string;
  value: string | null;
  method: "computed" | "manual";
  case_count: number | null;
  note: string;
  recorded_at: Date;
  recorded_by_name: string | null;
}): MeasurementRow {
  return {
    id: r.id,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    value: r.value === null ? null : Number(r.value),
    method: r.method,
    caseCount: r.case_count,
    note: r.note,
    recordedByName: r.recorded_by_name,
    recordedAt: r.recorded_at,
  };
}

function measurementQuery(trx: Tx, orgId: string) {
  return tables(trx)
    .selectFrom("service_catalogue_kpi_measurement as m")
    .leftJoin("users as u", "u.id", "m.recorded_by")
    .select(["m.id", "m.kpi_id", "m.value", "m.method", "m.case_count", "m.note", "m.recorded_at", "u.name as recorded_by_name"])
    .select([sql<string>`m.period_start::text`.as("period_start"), sql<string>`m.period_end::text`.as("period_end")])
    .where("m.org_id", "=", orgId);
}

export async function listKpis(trx: Tx, orgId: string, serviceId: string): Promise<KpiRow[]> {
  const rows = await tables(trx).selectFrom("service_catalogue_kpi").selectAll().where("org_id", "=", orgId).where("service_id", "=", serviceId).orderBy("position").orderBy("created_at").execute();
  if (!rows.length) return [];
  // The latest measurement of each KPI: newest period, then newest entry.
  const last = await measurementQuery(trx, orgId)
    .where(
      "m.kpi_id",
      "in",
      rows.map((r) => r.id),
    )
    .distinctOn("m.kpi_id")
    .orderBy("m.kpi_id")
    .orderBy("m.period_start", "desc")
    .orderBy("m.recorded_at", "desc")
    .execute();
  const byKpi = new Map(last.map((m) => [m.kpi_id, measurementOf(m)]));
  return rows.map((r) => ({
    id: r.id,
    position: r.position,
    name: { ar: r.name_ar, en: r.name_en },
    formula: { ar: r.formula_ar, en: r.formula_en },
    expression: r.expression,
    frequency: r.frequency,
    target: Number(r.target),
    unit: r.unit,
    direction: r.direction,
    last: byKpi.get(r.id) ?? null,
  }));
}

export async function listMeasurements(trx: Tx, orgId: string, kpiId: string, limit = 50): Promise<MeasurementRow[]> {
  const rows = await measurementQuery(trx, orgId).where("m.kpi_id", "=", kpiId).orderBy("m.period_start", "desc").orderBy("m.recorded_at", "desc").limit(limit).execute();
  return rows.map(measurementOf);
}

export function findKpi(trx: Tx, orgId: string, serviceId: string, kpiId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(kpiId)) return Promise.resolve(undefined);
  return tables(trx).selectFrom("service_catalogue_kpi").selectAll().where("org_id", "=", orgId).where("service_id", "=", serviceId).where("id", "=", kpiId).executeTakeFirst();
}

export type SaveKpiResult = { ok: true; id: string } | { ok: false; reason: "expression"; detail: string } | { ok: false; reason: "not_found" };

function kpiColumns(input: KpiInput, expression: string | null) {
  return {
    name_ar: input.nameAr,
    name_en: input.nameEn,
    formula_ar: input.formulaAr,
    formula_en: input.formulaEn,
    expression,
    frequency: input.frequency,
    target: input.target,
    unit: input.unit,
    direction: input.direction,
  };
}

export async function saveKpi(trx: Tx, actor: AuditActor, serviceId: string, input: KpiInput, kpiId?: string): Promise<SaveKpiResult> {
  const expression = expressionFor(input);
  if (expression) {
    const problem = checkKpiExpression(expression);
    if (problem) return { ok: false, reason: "expression", detail: problem };
  }
  const values = kpiColumns(input, expression);
  if (kpiId) {
    const before = await findKpi(trx, actor.orgId, serviceId, kpiId);
    if (!before) return { ok: false, reason: "not_found" };
    await tables(trx).updateTable("service_catalogue_kpi").set(values).where("org_id", "=", actor.orgId).where("id", "=", kpiId).execute();
    await recordAudit(trx, {
      ...actor,
      action: "service.kpi_update",
      subjectType: "CatalogueService",
      subjectId: serviceId,
      before: {
        kpiId,
        name: before.name_ar,
        expression: before.expression,
        target: before.target,
      },
      after: { kpiId, ...values },
    });
    return { ok: true, id: kpiId };
  }
  const pos = await tables(trx)
    .selectFrom("service_catalogue_kpi")
    .select(sql<number>`coalesce(max(position), 0)::int`.as("p"))
    .where("org_id", "=", actor.orgId)
    .where("service_id", "=", serviceId)
    .executeTakeFirstOrThrow();
  const row = await tables(trx)
    .insertInto("service_catalogue_kpi")
    .values({
      org_id: actor.orgId,
      service_id: serviceId,
      position: pos.p + 1,
      ...values,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    ...actor,
    action: "service.kpi_create",
    subjectType: "CatalogueService",
    subjectId: serviceId,
    before: null,
    after: { kpiId: row.id, ...values },
  });
  return { ok: true, id: row.id };
}

export async function deleteKpi(trx: Tx, actor: AuditActor, serviceId: string, kpiId: string): Promise<boolean> {
  const before = await findKpi(trx, actor.orgId, serviceId, kpiId);
  if (!before) return false;
  await tables(trx).deleteFrom("service_catalogue_kpi").where("org_id", "=", actor.orgId).where("id", "=", kpiId).execute();
  await recordAudit(trx, {
    ...actor,
    action: "service.kpi_delete",
    subjectType: "CatalogueService",
    subjectId: serviceId,
    before: { kpiId, name: before.name_ar, expression: before.expression },
    after: null,
  });
  return true;
}

/** A value typed by a member (manual KPIs, or a correction of a computed one). */
export async function recordManualMeasurement(
  trx: Tx,
  actor: AuditActor,
  kpi: { id: string; service_id: string },
  input: {
    periodStart: string;
    periodEnd: string;
    value: number;
    note: string;
  },
): Promise<string> {
  const row = await tables(trx)
    .insertInto("service_catalogue_kpi_measurement")
    .values({
      org_id: actor.orgId,
      kpi_id: kpi.id,
      period_start: input.periodStart,
      period_end: input.periodEnd,
      value: input.value,
      method: "manual",
      note: input.note,
      recorded_by: actor.actorUserId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    ...actor,
    action: "service.kpi_measure",
    subjectType: "CatalogueService",
    subjectId: kpi.service_id,
    before: null,
    after: { kpiId: kpi.id, ...input, method: "manual" },
  });
  return row.id;
}

/** The period's cases of a workflow definition, as KPI formulas see them (with the portal rating). */
export async function casesForKpi(trx: Tx, orgId: string, definitionKey: string, period: KpiPeriod): Promise<KpiCase[]> {
  // Whole days: from the first day's midnight to the day after the last (UTC).
  const from = new Date(`${period.start}T00:00:00Z`);
  const to = new Date(`${period.end}T00:00:00Z`);
  to.setUTCDate(to.getUTCDate() + 1);
  const rows = await trx
    .selectFrom("cases as c")
    .innerJoin("workflow_definitions as d", (j) => j.onRef("d.org_id", "=", "c.org_id").onRef("d.id", "=", "c.definition_id"))
    .leftJoin("portal_ratings as r", (j) => j.onRef("r.org_id", "=", "c.org_id").onRef("r.case_id", "=", "c.id"))
    .select(["c.status", "c.data", "c.started_at", "c.completed_at", "r.rating"])
    .where("c.org_id", "=", orgId)
    .where("d.key", "=", definitionKey)
    .where("c.started_at", ">=", from)
    .where("c.started_at", "<", to)
    // Sub-cases belong to their parent's count, not the service's.
    .where("c.parent_case_id", "is", null)
    .limit(100_000)
    .execute();
  return rows.map((r) => ({
    status: r.status,
    data: (r.data ?? {}) as Record<string, unknown>,
    startedAt: r.started_at.toISOString(),
    completedAt: r.completed_at ? r.completed_at.toISOString() : null,
    durationMinutes: r.status === "completed" ? minutesBetween(r.started_at, r.completed_at) : null,
    rating: r.rating ?? null,
  }));
}

export type ComputeResult =
  | { ok: true; value: number | null; caseCount: number; measurementId: string }
  | {
      ok: false;
      reason: "manual" | "no_workflow" | "formula";
      detail?: string;
    };

/** Computes a KPI for a period from the service's cases and records the measurement. */
export async function computeKpi(
  trx: Tx,
  input: {
    orgId: string;
    kpiId: string;
    period: KpiPeriod;
    recordedBy: string | null;
    actorLabel: string;
    requestId?: string | null;
    ip?: string | null;
  },
): Promise<ComputeResult> {
  const kpi = await tables(trx)
    .selectFrom("service_catalogue_kpi as k")
    .innerJoin("service_catalogue_service as s", (j) => j.onRef("s.org_id", "=", "k.org_id").onRef("s.id", "=", "k.service_id"))
    .select(["k.id", "k.service_id", "k.expression", "s.workflow_key"])
    .where("k.org_id", "=", input.orgId)
    .where("k.id", "=", input.kpiId)
    .executeTakeFirst();
  if (!kpi || kpi.expression === null) return { ok: false, reason: "manual" };
  if (!kpi.workflow_key) return { ok: false, reason: "no_workflow" };
  const cases = await casesForKpi(trx, input.orgId, kpi.workflow_key, input.period);
  const result = evaluateKpi(kpi.expression, cases);
  if (!result.ok) return { ok: false, reason: "formula", detail: result.error };
  const row = await tables(trx)
    .insertInto("service_catalogue_kpi_measurement")
    .values({
      org_id: input.orgId,
      kpi_id: kpi.id,
      period_start: input.period.start,
      period_end: input.period.end,
      value: result.value,
      method: "computed",
      case_count: cases.length,
      recorded_by: input.recordedBy,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    orgId: input.orgId,
    actorUserId: input.recordedBy,
    actorLabel: input.actorLabel,
    requestId: input.requestId ?? null,
    ip: input.ip ?? null,
    action: "service.kpi_compute",
    subjectType: "CatalogueService",
    subjectId: kpi.service_id,
    after: {
      kpiId: kpi.id,
      period: input.period,
      value: result.value,
      caseCount: cases.length,
    },
  });
  return {
    ok: true,
    value: result.value,
    caseCount: cases.length,
    measurementId: row.id,
  };
}

/** The scheduled run: computes each computed KPI's last complete period once (skips periods already measured). */
export async function computeDueKpis(trx: Tx, orgId: string, now: Date): Promise<number> {
  const kpis = await tables(trx)
    .selectFrom("service_catalogue_kpi as k")
    .innerJoin("service_catalogue_service as s", (j) => j.onRef("s.org_id", "=", "k.org_id").onRef("s.id", "=", "k.service_id"))
    .select(["k.id", "k.frequency"])
    .where("k.org_id", "=", orgId)
    .where("k.expression", "is not", null)
    .where("s.workflow_key", "is not", null)
    .execute();
  let done = 0;
  for (const kpi of kpis) {
    const period = lastCompletePeriod(now, kpi.frequency);
    const exists = await tables(trx)
      .selectFrom("service_catalogue_kpi_measurement")
      .select("id")
      .where("org_id", "=", orgId)
      .where("kpi_id", "=", kpi.id)
      .where("method", "=", "computed")
      .where("period_start", "=", period.start)
      .where("period_end", "=", period.end)
      .executeTakeFirst();
    if (exists) continue;
    const r = await computeKpi(trx, {
      orgId,
      kpiId: kpi.id,
      period,
      recordedBy: null,
      actorLabel: "plugin:service-catalogue",
    });
    if (r.ok) done++;
  }
  return done;
}
