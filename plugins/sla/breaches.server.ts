import { sql } from "kysely";
import { recordAudit } from "~/models/audit.server";
import type { AuditActor } from "~/utils/audit-actor.server";
import type { Tx } from "~/utils/db.server";
import type { Side } from "./agreement";
import { orgTimeZone } from "./calendar.server";
import type { SlaTables } from "./db";
import { breachSchema, type BreachInput } from "./schema";

// The breach ledger on the agreement's form ("رصد وتسجيل أي اخلال بالاتفاق في النموذج المخصص
// لذلك"): rows the deadline engine found on the agreement's linked steps (deadline_breaches of
// the links' policies, imported once each — UNIQUE deadline_breach_id) and rows recorded by
// hand. Each gets its cause and fix, discussed at the quarterly meeting.

const tables = (trx: Tx) => trx.withTables<SlaTables>();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface BreachRow {
  id: string;
  occurredAt: Date;
  source: "deadline" | "manual";
  caseId: string | null;
  caseReference: string | null;
  side: Side;
  description: string;
  cause: string;
  fix: string;
  rowVersion: number;
  recordedByName: string | null;
}

/** The agreement's breaches, oldest first; `range` (org-local days, `to` exclusive) for a quarter's meeting. */
export async function listBreaches(trx: Tx, orgId: string, agreementId: string, range?: { from: string; to: string }): Promise<BreachRow[]> {
  if (!UUID.test(agreementId)) return [];
  let q = tables(trx)
    .selectFrom("sla_agreement_breach as b")
    .leftJoin("users as u", "u.id", "b.recorded_by")
    .leftJoin("cases as c", (j) => j.onRef("c.org_id", "=", "b.org_id").onRef("c.id", "=", "b.case_id"))
    .select(["b.id", "b.occurred_at", "b.deadline_breach_id", "b.case_id", "c.reference", "b.side", "b.description", "b.cause", "b.fix", "b.row_version", "u.name as recorded_by_name"])
    .where("b.org_id", "=", orgId)
    .where("b.agreement_id", "=", agreementId);
  if (range) {
    const tz = await orgTimeZone(trx, orgId);
    q = q
      .where("b.occurred_at", ">=", sql<Date>`(${range.from}::date)::timestamp AT TIME ZONE ${tz}`)
      .where("b.occurred_at", "<", sql<Date>`(${range.to}::date)::timestamp AT TIME ZONE ${tz}`);
  }
  const rows = await q.orderBy("b.occurred_at").orderBy("b.id").execute();
  return rows.map((r) => ({
    id: r.id,
    occurredAt: r.occurred_at,
    source: r.deadline_breach_id ? "deadline" : "manual",
    caseId: r.case_id,
    caseReference: r.reference,
    side: r.side,
    description: r.description,
    cause: r.cause,
    fix: r.fix,
    rowVersion: r.row_version,
    recordedByName: r.recorded_by_name,
  }));
}

const TARGET_AR = { response: "الاستجابة", resolution: "الرد" } as const;
const CHANNEL_AR = { email: "البريد الإلكتروني", letter: "المراسلات الرسمية" } as const;

/**
 * Copies the deadline engine's breaches on the links' policies into the agreement's ledger (all
 * agreements of the organisation, or one); idempotent. Returns how many rows were added.
 */
export async function importDeadlineBreaches(trx: Tx, orgId: string, agreementId?: string): Promise<number> {
  if (agreementId !== undefined && !UUID.test(agreementId)) return 0;
  let q = tables(trx)
    .selectFrom("deadline_breaches as d")
    .innerJoin("sla_agreement_link as l", (j) => j.onRef("l.org_id", "=", "d.org_id").onRef("l.policy_id", "=", "d.policy_id"))
    .leftJoin("cases as c", (j) => j.onRef("c.org_id", "=", "d.org_id").onRef("c.id", "=", "d.case_id"))
    .leftJoin("sla_agreement_breach as b", (j) => j.onRef("b.org_id", "=", "d.org_id").onRef("b.deadline_breach_id", "=", "d.id"))
    .select(["d.id", "d.due_at", "d.case_id", "d.target", "c.reference", "l.agreement_id", "l.responsible_side", "l.channel"])
    .where("d.org_id", "=", orgId)
    .where("b.id", "is", null);
  if (agreementId) q = q.where("l.agreement_id", "=", agreementId);
  const found = await q.orderBy("d.due_at").limit(5000).execute();
  if (found.length === 0) return 0;
  const inserted = await tables(trx)
    .insertInto("sla_agreement_breach")
    .values(
      found.map((d) => ({
        org_id: orgId,
        agreement_id: d.agreement_id,
        occurred_at: d.due_at,
        deadline_breach_id: d.id,
        case_id: d.case_id,
        side: d.responsible_side,
        description: `تجاوز مهلة ${TARGET_AR[d.target]} المتفق عليها (${CHANNEL_AR[d.channel]}) في المعاملة ${d.reference ?? "—"}`,
        recorded_by: null,
      })),
    )
    .onConflict((oc) => oc.columns(["org_id", "deadline_breach_id"]).doNothing())
    .returning("id")
    .execute();
  return inserted.length;
}

export async function recordBreach(trx: Tx, actor: AuditActor, agreementId: string, input: BreachInput): Promise<{ ok: true; id: string } | { ok: false; reason: "not_found" }> {
  const checked = breachSchema.parse(input);
  if (!UUID.test(agreementId)) return { ok: false, reason: "not_found" };
  const agreement = await tables(trx).selectFrom("sla_agreement").select("id").where("org_id", "=", actor.orgId).where("id", "=", agreementId).executeTakeFirst();
  if (!agreement) return { ok: false, reason: "not_found" };
  const row = await tables(trx)
    .insertInto("sla_agreement_breach")
    .values({
      org_id: actor.orgId,
      agreement_id: agreementId,
      occurred_at: new Date(checked.occurredAt),
      side: checked.side,
      description: checked.description,
      cause: checked.cause,
      fix: checked.fix,
      recorded_by: actor.actorUserId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(trx, { ...actor, action: "agreement.breach.record", subjectType: "AgreementBreach", subjectId: row.id, before: null, after: { agreementId, ...checked } });
  return { ok: true, id: row.id };
}

const causeFix = breachSchema.pick({ cause: true, fix: true });

/** The cause and fix of a breach, with the page's row version (a stale page gets "conflict"). */
export async function updateBreach(
  trx: Tx,
  actor: AuditActor,
  breachId: string,
  input: { cause: string; fix: string; expectedRowVersion: number },
): Promise<{ ok: true } | { ok: false; reason: "not_found" | "conflict" }> {
  const checked = causeFix.parse({ cause: input.cause, fix: input.fix });
  if (!UUID.test(breachId)) return { ok: false, reason: "not_found" };
  const row = await tables(trx)
    .selectFrom("sla_agreement_breach")
    .select(["id", "agreement_id", "cause", "fix", "row_version"])
    .where("org_id", "=", actor.orgId)
    .where("id", "=", breachId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return { ok: false, reason: "not_found" };
  if (row.row_version !== input.expectedRowVersion) return { ok: false, reason: "conflict" };
  await tables(trx)
    .updateTable("sla_agreement_breach")
    .set({ cause: checked.cause, fix: checked.fix, row_version: row.row_version + 1, updated_at: new Date() })
    .where("org_id", "=", actor.orgId)
    .where("id", "=", breachId)
    .execute();
  await recordAudit(trx, {
    ...actor,
    action: "agreement.breach.update",
    subjectType: "AgreementBreach",
    subjectId: breachId,
    before: { cause: row.cause, fix: row.fix },
    after: { agreementId: row.agreement_id, ...checked },
  });
  return { ok: true };
}
