import { sql, type ExpressionBuilder, type SqlBool, type Expression } from "kysely";
import { accessibleWhere } from "~/utils/casl-sql.server";
import type { Tx } from "~/utils/db.server";
import type { DB } from "~/utils/db-types";
import type { AppAbility } from "~/utils/permissions.server";
import type { SlaListStatus, SlaStatusName } from "~/utils/sla-filters";

// The SLA dashboard's numbers and the lists behind them. Everything is SQL over the stored
// clock columns (sla_clocks_open_idx: an organisation's open clocks), filtered by the member's
// CASL rules in the same query: task clocks by the Task rules (assignee, candidate unit),
// case-level clocks by the Case rules (who started it). Status at `now` (SLA time):
//   breached  a target passed unmet (or a breach was recorded: it stays breached)
//   at risk   the first warning of a target still open passed (or a warning was recorded)
//   on time   otherwise
// Paused clocks keep their status and are also counted as paused.


export interface SlaViewer {
  org: { id: string };
  ability: AppAbility;
}

function statusSql(now: Date) {
  return sql<SlaStatusName>`CASE
    WHEN k.breached_at IS NOT NULL OR (k.responded_at IS NULL AND k.response_due_at <= ${now}) OR k.resolution_due_at <= ${now} THEN 'breached'
    WHEN k.warned_at IS NOT NULL OR (k.responded_at IS NULL AND k.response_risk_at <= ${now}) OR k.resolution_risk_at <= ${now} THEN 'at_risk'
    ELSE 'on_time' END`;
}

type Eb = ExpressionBuilder<DB, never>;

/** Task clocks the member may read (open tasks only), or case clocks of cases they may read. */
function readable(viewer: SlaViewer) {
  const task = accessibleWhere(viewer.ability, "read", "Task", { assigneeUserId: "t.assignee_user_id", candidateUnitId: "t.candidate_unit_id" });
  const kase = accessibleWhere(viewer.ability, "read", "Case", { startedBy: "c.started_by" });
  return (eb: Eb): Expression<SqlBool> =>
    eb.or([
      eb.and([sql<SqlBool>`k.task_id IS NOT NULL`, sql<SqlBool>`t.status = 'open'`, task(eb)]),
      eb.and([sql<SqlBool>`k.task_id IS NULL`, kase(eb)]),
    ]);
}

/** Open clocks of the organisation the member may read, with the task, case, unit and definition joined. */
function openClocks(trx: Tx, viewer: SlaViewer) {
  return trx
    .selectFrom("deadline_clocks as k")
    .innerJoin("cases as c", (j) => j.onRef("c.org_id", "=", "k.org_id").onRef("c.id", "=", "k.case_id"))
    .leftJoin("tasks as t", (j) => j.onRef("t.org_id", "=", "k.org_id").onRef("t.id", "=", "k.task_id"))
    .leftJoin("memberships as m", (j) => j.onRef("m.org_id", "=", "t.org_id").onRef("m.user_id", "=", "t.assignee_user_id"))
    .where("k.org_id", "=", viewer.org.id)
    .where("k.stopped_at", "is", null)
    .where((eb) => readable(viewer)(eb as unknown as Eb));
}

/** The unit an item belongs to now: its assignee's unit, else the unit of its lane. */
const UNIT = sql<string | null>`COALESCE(m.unit_id, t.candidate_unit_id)`;

const counts = (now: Date) =>
  [
    sql<string>`count(*) FILTER (WHERE ${statusSql(now)} = 'on_time')`.as("on_time"),
    sql<string>`count(*) FILTER (WHERE ${statusSql(now)} = 'at_risk')`.as("at_risk"),
    sql<string>`count(*) FILTER (WHERE ${statusSql(now)} = 'breached')`.as("breached"),
    sql<string>`count(*) FILTER (WHERE k.paused_at IS NOT NULL)`.as("paused"),
  ] as const;

export interface StatusCounts {
  on_time: number;
  at_risk: number;
  breached: number;
  paused: number;
}

const numbers = (r: { on_time: string; at_risk: string; breached: string; paused: string }): StatusCounts => ({
  on_time: Number(r.on_time),
  at_risk: Number(r.at_risk),
  breached: Number(r.breached),
  paused: Number(r.paused),
});

export interface SlaDashboard {
  totals: StatusCounts;
  bySteps: (StatusCounts & { definitionId: string; definition: { ar: string; en: string }; nodeId: string | null; step: { ar: string; en: string } | null })[];
  byUnits: (StatusCounts & { unitId: string | null; unit: { ar: string; en: string } | null })[];
  /** Breaches per local day, oldest first, `days` days ending today. */
  trend: { day: string; breaches: number }[];
}

export async function slaDashboard(trx: Tx, viewer: SlaViewer, now: Date, timeZone: string, days = 30): Promise<SlaDashboard> {
  const [totals, steps, units, trend] = await Promise.all([
    openClocks(trx, viewer).select(counts(now)).executeTakeFirstOrThrow(),
    openClocks(trx, viewer)
      .innerJoin("workflow_definitions as d", (j) => j.onRef("d.org_id", "=", "k.org_id").onRef("d.id", "=", "k.definition_id"))
      .select(["k.definition_id as definitionId", "k.node_id as nodeId", "d.name_ar as def_ar", "d.name_en as def_en", sql<string | null>`max(t.name_ar)`.as("step_ar"), sql<string | null>`max(t.name_en)`.as("step_en"), ...counts(now)])
      .groupBy(["k.definition_id", "k.node_id", "d.name_ar", "d.name_en"])
      .orderBy("d.name_ar")
      .orderBy("k.node_id")
      .limit(200)
      .execute(),
    openClocks(trx, viewer)
      .leftJoin("org_units as u", (j) => j.onRef("u.org_id", "=", "k.org_id").on("u.id", "=", UNIT))
      .select([sql<string | null>`u.id`.as("unitId"), "u.name_ar", "u.name_en", ...counts(now)])
      .groupBy(["u.id", "u.name_ar", "u.name_en"])
      .orderBy("u.name_ar")
      .limit(200)
      .execute(),
    breachTrend(trx, viewer, now, timeZone, days),
  ]);
  return {
    totals: numbers(totals),
    bySteps: steps.map((r) => ({
      ...numbers(r),
      definitionId: r.definitionId,
      definition: { ar: r.def_ar, en: r.def_en },
      nodeId: r.nodeId,
      step: r.step_ar !== null && r.step_en !== null ? { ar: r.step_ar, en: r.step_en } : null,
    })),
    byUnits: units.map((r) => ({ ...numbers(r), unitId: r.unitId, unit: r.name_ar !== null && r.name_en !== null ? { ar: r.name_ar, en: r.name_en } : null })),
    trend,
  };
}

/** "YYYY-MM-DD" of an instant in a zone. */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/** Breaches recorded in the ledger per local day (by the instant the target was due). */
async function breachTrend(trx: Tx, viewer: SlaViewer, now: Date, timeZone: string, days: number) {
  const since = new Date(now.getTime() - (days + 1) * 86_400_000);
  const rows = await breachesQuery(trx, viewer)
    .where("b.due_at", ">", since)
    .where("b.due_at", "<=", now)
    .select([sql<string>`to_char(b.due_at AT TIME ZONE ${timeZone}, 'YYYY-MM-DD')`.as("day"), sql<string>`count(*)`.as("n")])
    .groupBy(sql`1`)
    .execute();
  const byDay = new Map(rows.map((r) => [r.day, Number(r.n)]));
  const out: { day: string; breaches: number }[] = [];
  for (let k = days - 1; k >= 0; k -= 1) {
    const day = localDate(new Date(now.getTime() - k * 86_400_000), timeZone);
    out.push({ day, breaches: byDay.get(day) ?? 0 });
  }
  return out;
}

/** Ledger entries the member may read (any task status: a breach stays in the ledger after the task is done). */
function breachesQuery(trx: Tx, viewer: SlaViewer) {
  const task = accessibleWhere(viewer.ability, "read", "Task", { assigneeUserId: "t.assignee_user_id", candidateUnitId: "t.candidate_unit_id" });
  const kase = accessibleWhere(viewer.ability, "read", "Case", { startedBy: "c.started_by" });
  return trx
    .selectFrom("deadline_breaches as b")
    .innerJoin("cases as c", (j) => j.onRef("c.org_id", "=", "b.org_id").onRef("c.id", "=", "b.case_id"))
    .leftJoin("tasks as t", (j) => j.onRef("t.org_id", "=", "b.org_id").onRef("t.id", "=", "b.task_id"))
    .where("b.org_id", "=", viewer.org.id)
    .where((eb) => eb.or([eb.and([sql<SqlBool>`b.task_id IS NOT NULL`, task(eb)]), eb.and([sql<SqlBool>`b.task_id IS NULL`, kase(eb)])]));
}

// ---- The lists behind the numbers ----------------------------------------------------------------

export interface SlaItemsFilter {
  status?: SlaListStatus;
  definitionId?: string;
  /** A step's node id; "case" for case-level clocks. */
  nodeId?: string;
  /** A unit id; "none" for items without a unit. */
  unitId?: string;
  /** YYYY-MM-DD: items with a breach due that local day (open or closed since). */
  day?: string;
}

export interface SlaItem {
  clockId: string;
  caseId: string;
  reference: string;
  caseTitle: string | null;
  taskId: string | null;
  step: { ar: string; en: string } | null;
  definition: { ar: string; en: string };
  unit: { ar: string; en: string } | null;
  assigneeName: string | null;
  status: SlaStatusName;
  paused: boolean;
  closed: boolean;
  dueAt: Date | null;
  levelReached: number;
  policy: { ar: string; en: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function listSlaItems(
  trx: Tx,
  viewer: SlaViewer,
  now: Date,
  timeZone: string,
  filter: SlaItemsFilter,
  paging: { page: number; pageSize: number },
): Promise<{ rows: SlaItem[]; total: number }> {
  const task = accessibleWhere(viewer.ability, "read", "Task", { assigneeUserId: "t.assignee_user_id", candidateUnitId: "t.candidate_unit_id" });
  const kase = accessibleWhere(viewer.ability, "read", "Case", { startedBy: "c.started_by" });
  const status = statusSql(now);
  const base = trx
    .selectFrom("deadline_clocks as k")
    .innerJoin("cases as c", (j) => j.onRef("c.org_id", "=", "k.org_id").onRef("c.id", "=", "k.case_id"))
    .innerJoin("workflow_definitions as d", (j) => j.onRef("d.org_id", "=", "k.org_id").onRef("d.id", "=", "k.definition_id"))
    .leftJoin("tasks as t", (j) => j.onRef("t.org_id", "=", "k.org_id").onRef("t.id", "=", "k.task_id"))
    .leftJoin("memberships as m", (j) => j.onRef("m.org_id", "=", "t.org_id").onRef("m.user_id", "=", "t.assignee_user_id"))
    .leftJoin("org_units as u", (j) => j.onRef("u.org_id", "=", "k.org_id").on("u.id", "=", UNIT))
    .leftJoin("users as au", "au.id", "t.assignee_user_id")
    .where("k.org_id", "=", viewer.org.id)
    // The day's breaches include clocks stopped since; every other view is about open items.
    .$if(!filter.day, (qb) => qb.where("k.stopped_at", "is", null).where((eb) => eb.or([sql<SqlBool>`k.task_id IS NULL`, sql<SqlBool>`t.status = 'open'`])))
    .$if(Boolean(filter.day), (qb) =>
      qb.where(
        sql<SqlBool>`EXISTS (SELECT 1 FROM deadline_breaches b WHERE b.org_id = k.org_id AND b.clock_id = k.id AND to_char(b.due_at AT TIME ZONE ${timeZone}, 'YYYY-MM-DD') = ${filter.day!} AND b.due_at <= ${now})`,
      ),
    )
    .where((eb) => eb.or([eb.and([sql<SqlBool>`k.task_id IS NOT NULL`, task(eb)]), eb.and([sql<SqlBool>`k.task_id IS NULL`, kase(eb)])]))
    .$if(filter.status === "paused", (qb) => qb.where("k.paused_at", "is not", null))
    .$if(filter.status !== undefined && filter.status !== "paused", (qb) => qb.where(sql<SqlBool>`${status} = ${filter.status!}`))
    .$if(filter.definitionId !== undefined && UUID.test(filter.definitionId), (qb) => qb.where("k.definition_id", "=", filter.definitionId!))
    .$if(filter.nodeId === "case", (qb) => qb.where("k.node_id", "is", null))
    .$if(filter.nodeId !== undefined && filter.nodeId !== "case", (qb) => qb.where("k.node_id", "=", filter.nodeId!))
    .$if(filter.unitId === "none", (qb) => qb.where(sql<SqlBool>`${UNIT} IS NULL`))
    .$if(filter.unitId !== undefined && UUID.test(filter.unitId), (qb) => qb.where(sql<SqlBool>`${UNIT} = ${filter.unitId!}::uuid`));
  const [rows, total] = await Promise.all([
    base
      .select([
        "k.id as clockId",
        "c.id as caseId",
        "c.reference",
        "c.title as caseTitle",
        "k.task_id as taskId",
        "t.name_ar as step_ar",
        "t.name_en as step_en",
        "d.name_ar as def_ar",
        "d.name_en as def_en",
        "u.name_ar as unit_ar",
        "u.name_en as unit_en",
        "au.name as assigneeName",
        status.as("status"),
        "k.paused_at",
        "k.stopped_at",
        sql<Date | null>`CASE WHEN k.responded_at IS NULL AND k.response_due_at IS NOT NULL AND (k.resolution_due_at IS NULL OR k.response_due_at < k.resolution_due_at) THEN k.response_due_at ELSE k.resolution_due_at END`.as("dueAt"),
        "k.level_reached",
        "k.terms",
      ])
      .orderBy(sql`k.next_due_at ASC NULLS LAST`)
      .orderBy("k.started_at")
      .orderBy("k.id")
      .limit(paging.pageSize)
      .offset((Math.max(1, paging.page) - 1) * paging.pageSize)
      .execute(),
    base.select(sql<string>`count(*)`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(total.n),
    rows: rows.map((r) => {
      const terms = r.terms as { name?: { ar: string; en: string } };
      return {
        clockId: r.clockId,
        caseId: r.caseId,
        reference: r.reference,
        caseTitle: r.caseTitle,
        taskId: r.taskId,
        step: r.step_ar !== null && r.step_en !== null ? { ar: r.step_ar, en: r.step_en } : null,
        definition: { ar: r.def_ar, en: r.def_en },
        unit: r.unit_ar !== null && r.unit_en !== null ? { ar: r.unit_ar, en: r.unit_en } : null,
        assigneeName: r.assigneeName,
        status: r.status,
        paused: r.paused_at !== null,
        closed: r.stopped_at !== null,
        dueAt: r.dueAt,
        levelReached: r.level_reached,
        policy: terms.name ?? { ar: "", en: "" },
      };
    }),
  };
}
