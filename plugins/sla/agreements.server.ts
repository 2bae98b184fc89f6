import i18next from "i18next";
import { sql } from "kysely";
import type { BusinessCalendar } from "~/engine/calendar";
import { recordAudit } from "~/models/audit.server";
import { deletePolicy } from "~/models/sla-policies.server";
import type { AuditActor } from "~/utils/audit-actor.server";
import type { Tx } from "~/utils/db.server";
import { likePattern } from "~/utils/paging";
import {
  agreementPhase,
  classifyChange,
  currentTerm,
  defaultLadder,
  earliestCancellationDate,
  reviewReminderDate,
  type AgreementContent,
  type AgreementPhase,
  type FieldChange,
  type Side,
  type Signature,
  type Term,
} from "./agreement";
import { orgToday } from "./calendar.server";
import type { SlaTables } from "./db";
import slaAr from "./locales/ar.json";
import { listLinks, refreshSlaReferences, syncAgreementPolicies, type LinkView } from "./links.server";
import { agreementContentSchema, cancellationSchema, signaturesSchema, type CancellationInput } from "./schema";
import type { SlaSettings } from "./settings";
import { changeLabel } from "./ui/labels";

// Agreements (اتفاقات مستوى الخدمة) and their versions, as the guide's template has them:
//   - a new agreement gets the next number of the organisation ("SLA-<serial>") and version 1
//     as a draft, edited in place until both sides sign it;
//   - once a version is signed, a change of a clause prepares the next version (a draft, with
//     a change note) and the signed one stays in force until the draft is signed; a minor
//     change (a unit's name, a job title, an email address) is made to the signed version in
//     place and recorded in the version history without a new version;
//   - cancellation by formal letter with at least one month's notice on the business calendar,
//     which may be withdrawn until the day it takes effect;
//   - an agreement never signed may be deleted; a signed one ends only by cancellation.
// Every write locks the agreement row, checks the page's row_version (a stale page gets
// "conflict") and is audit-logged in the caller's transaction.

export type { LinkView };

const tables = (trx: Tx) => trx.withTables<SlaTables>();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AgreementSummary {
  id: string;
  number: string;
  nameAr: string;
  nameEn: string;
  counterpart: string;
  ourSide: Side;
  phase: AgreementPhase;
  termEnd: string | null;
  signedVersion: number | null;
  draftVersion: number | null;
  breaches: number;
}

export interface HistoryRow {
  number: string;
  version: number;
  kind: "version" | "signed" | "minor" | "cancellation";
  at: Date;
  editorName: string;
  owner: string;
  changes: string;
}

export interface AgreementView {
  id: string;
  number: string;
  rowVersion: number;
  ourSide: Side;
  counterpart: string;
  phase: AgreementPhase;
  today: string;
  signed: { version: number; content: AgreementContent; signatures: Signature[]; signedAt: Date } | null;
  draft: { version: number; content: AgreementContent; changes: string } | null;
  term: Term | null;
  reviewReminder: string | null;
  cancellation: { side: Side; letterDate: string; letterRef: string; effectiveDate: string; reason: string } | null;
  history: HistoryRow[];
  links: LinkView[];
}

export type SaveResult = { ok: true; kind: "draft" | "minor" | "major" | "none"; version: number } | { ok: false; reason: "not_found" | "conflict" | "cancelled" | "change_note_required" };

// ---- Reading -------------------------------------------------------------------------------------

const AGREEMENT_COLUMNS = [
  "id",
  "number",
  "serial",
  "name_ar",
  "name_en",
  "our_side",
  "counterpart",
  "signed_version",
  "draft_version",
  "cancel_side",
  "cancel_letter_ref",
  "cancel_reason",
  "row_version",
] as const;

export interface AgreementRow {
  id: string;
  number: string;
  serial: number;
  name_ar: string;
  name_en: string;
  our_side: Side;
  counterpart: string;
  signed_version: number | null;
  draft_version: number | null;
  cancel_side: Side | null;
  cancel_letter_date: string | null;
  cancel_letter_ref: string | null;
  cancel_effective: string | null;
  cancel_reason: string | null;
  row_version: number;
}

/** The agreement row (dates as YYYY-MM-DD text); undefined when not in this organisation. */
export async function findAgreement(trx: Tx, orgId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<AgreementRow | undefined> {
  if (!UUID.test(id)) return undefined;
  let q = tables(trx)
    .selectFrom("sla_agreement")
    .select([...AGREEMENT_COLUMNS, sql<string | null>`cancel_letter_date::text`.as("cancel_letter_date"), sql<string | null>`cancel_effective::text`.as("cancel_effective")])
    .where("org_id", "=", orgId)
    .where("id", "=", id);
  if (options.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The agreement locked for a write, as the page last saw it: "not_found" or "conflict" (a stale page) otherwise. */
async function lockedAgreement(trx: Tx, orgId: string, id: string, expectedRowVersion: number): Promise<{ ok: true; row: AgreementRow } | { ok: false; reason: "not_found" | "conflict" }> {
  const row = await findAgreement(trx, orgId, id, { forUpdate: true });
  if (!row) return { ok: false, reason: "not_found" };
  if (row.row_version !== expectedRowVersion) return { ok: false, reason: "conflict" };
  return { ok: true, row };
}

export interface VersionRow {
  version: number;
  content: AgreementContent;
  status: "draft" | "signed" | "superseded";
  signatures: Signature[];
  signedAt: Date | null;
  changes: string;
}

/** Stored content is checked on every write; read back leniently (a later schema may be stricter). */
function contentOf(raw: unknown): AgreementContent {
  const parsed = agreementContentSchema.safeParse(raw);
  return parsed.success ? parsed.data : (raw as AgreementContent);
}

export async function findVersion(trx: Tx, orgId: string, agreementId: string, version: number): Promise<VersionRow | undefined> {
  const row = await tables(trx)
    .selectFrom("sla_agreement_version")
    .select(["version", "content", "status", "signatures", "signed_at", "changes"])
    .where("org_id", "=", orgId)
    .where("agreement_id", "=", agreementId)
    .where("version", "=", version)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    version: row.version,
    content: contentOf(row.content),
    status: row.status,
    signatures: Array.isArray(row.signatures) ? (row.signatures as Signature[]) : [],
    signedAt: row.signed_at,
    changes: row.changes,
  };
}

/** The phase from the stored row and the signed version's term. */
export function phaseOf(row: Pick<AgreementRow, "signed_version" | "cancel_effective">, signedTerm: AgreementContent["term"] | null, today: string): AgreementPhase {
  if (row.signed_version === null || !signedTerm) return "draft";
  return agreementPhase({ signed: true, term: signedTerm, cancellationEffective: row.cancel_effective }, today);
}

export async function listAgreements(
  trx: Tx,
  orgId: string,
  opts: { q?: string; phase?: AgreementPhase; page: number; pageSize: number; today: string },
): Promise<{ rows: AgreementSummary[]; total: number }> {
  // An organisation has tens of agreements, not thousands: the phase depends on the signed
  // version's term and today, so it is computed here and the page cut after filtering.
  let q = tables(trx)
    .selectFrom("sla_agreement as a")
    .leftJoin("sla_agreement_version as v", (j) => j.onRef("v.org_id", "=", "a.org_id").onRef("v.agreement_id", "=", "a.id").onRef("v.version", "=", "a.signed_version"))
    .select([
      "a.id",
      "a.number",
      "a.name_ar",
      "a.name_en",
      "a.counterpart",
      "a.our_side",
      "a.signed_version",
      "a.draft_version",
      sql<string | null>`a.cancel_effective::text`.as("cancel_effective"),
      sql<unknown>`v.content->'term'`.as("term"),
      sql<number>`(SELECT count(*)::int FROM sla_agreement_breach b WHERE b.org_id = a.org_id AND b.agreement_id = a.id)`.as("breaches"),
    ])
    .where("a.org_id", "=", orgId);
  const text = opts.q?.trim();
  if (text) {
    const p = likePattern(text);
    q = q.where((eb) => eb.or([eb("a.number", "ilike", p), eb("a.name_ar", "ilike", p), eb("a.name_en", "ilike", p), eb("a.counterpart", "ilike", p)]));
  }
  const rows = await q.orderBy("a.serial", "desc").limit(5000).execute();
  const all: AgreementSummary[] = rows.map((r) => {
    const term = r.signed_version !== null && r.term && typeof r.term === "object" ? (r.term as AgreementContent["term"]) : null;
    const phase = phaseOf(r, term, opts.today);
    return {
      id: r.id,
      number: r.number,
      nameAr: r.name_ar,
      nameEn: r.name_en,
      counterpart: r.counterpart,
      ourSide: r.our_side,
      phase,
      termEnd: term ? currentTerm(term, opts.today).end : null,
      signedVersion: r.signed_version,
      draftVersion: r.draft_version,
      breaches: r.breaches,
    };
  });
  const filtered = opts.phase ? all.filter((r) => r.phase === opts.phase) : all;
  const page = Math.max(1, Math.floor(opts.page));
  const size = Math.max(1, Math.floor(opts.pageSize));
  return { rows: filtered.slice((page - 1) * size, page * size), total: filtered.length };
}

export async function listHistory(trx: Tx, orgId: string, agreementId: string, number: string): Promise<HistoryRow[]> {
  const rows = await tables(trx)
    .selectFrom("sla_agreement_history")
    .select(["version", "kind", "at", "editor_name", "owner", "changes"])
    .where("org_id", "=", orgId)
    .where("agreement_id", "=", agreementId)
    .orderBy("at")
    .orderBy("version")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ number, version: r.version, kind: r.kind, at: r.at, editorName: r.editor_name, owner: r.owner, changes: r.changes }));
}

export async function getAgreement(
  trx: Tx,
  orgId: string,
  id: string,
  today: string,
  calendar: BusinessCalendar | null,
  settings: SlaSettings,
): Promise<AgreementView | undefined> {
  const row = await findAgreement(trx, orgId, id);
  if (!row) return undefined;
  const signed = row.signed_version !== null ? await findVersion(trx, orgId, id, row.signed_version) : undefined;
  const draft = row.draft_version !== null ? await findVersion(trx, orgId, id, row.draft_version) : undefined;
  const term = signed ? currentTerm(signed.content.term, today) : null;
  return {
    id: row.id,
    number: row.number,
    rowVersion: row.row_version,
    ourSide: row.our_side,
    counterpart: row.counterpart,
    phase: phaseOf(row, signed?.content.term ?? null, today),
    today,
    signed: signed ? { version: signed.version, content: signed.content, signatures: signed.signatures, signedAt: signed.signedAt ?? new Date(0) } : null,
    draft: draft ? { version: draft.version, content: draft.content, changes: draft.changes } : null,
    term,
    reviewReminder: term ? reviewReminderDate(term.end, settings.reviewLeadDays, calendar) : null,
    cancellation:
      row.cancel_side && row.cancel_letter_date && row.cancel_effective
        ? { side: row.cancel_side, letterDate: row.cancel_letter_date, letterRef: row.cancel_letter_ref ?? "", effectiveDate: row.cancel_effective, reason: row.cancel_reason ?? "" }
        : null,
    history: await listHistory(trx, orgId, id, row.number),
    links: await listLinks(trx, orgId, id),
  };
}

// ---- A new agreement's content: the template's defaults ----------------------------------------

/** The template's objectives (1.2 أهداف الاتفاق), word for word. */
export const TEMPLATE_OBJECTIVES = [
  "الحصول على اتفاق متبادل بين الأطراف المشتركة في الخدمة.",
  "تحديد الأدوار والمسؤوليات لكل طرف.",
  "تحديد الخطوات اللازم اتمامها ووضع إطار زمني واضح لها ومعايير يمكن قياسها.",
  "خلق آلية لمراقبة الخدمات المتضمنة في بنود الاتفاق ووقت إنجازها وبالتالي رصد أي اخلال بالاتفاق والعمل على حلها بصورة دورية.",
  "خلق قنوات اتصال بين الأطراف المعنية بهدف التطوير الدائم للخدمة وإزالة أي معوقات.",
  "خلق قنوات تصعيد للجوء اليها إذا لزم الأمر.",
];

/**
 * A blank agreement as the template starts it: this organisation as the recipient (the side
 * that issues the agreement in the template), the objectives from the guide, four-rung ladders
 * on both sides with the settings' response times, one year renewing itself from today, and the
 * settings' reply times for email and letters.
 */
export function newAgreementContent(orgName: string, settings: SlaSettings, today: string): AgreementContent {
  const ladder = () => defaultLadder(settings.ladderHours.map((h) => h * 60));
  const party = (entity: string) => ({ entity, monitor: { unit: "", name: "", title: "", email: "", userId: null }, ladder: ladder(), responsibilities: [] });
  return {
    nameAr: "",
    nameEn: "",
    introduction: "",
    objectives: [...TEMPLATE_OBJECTIVES],
    provider: party(""),
    recipient: party(orgName),
    ourSide: "recipient",
    term: { startDate: today, months: 12, autoRenew: true },
    majorChangesNote: "",
    responseTimes: { emailMinutes: settings.emailHours * 60, letterMinutes: settings.letterHours * 60 },
  };
}

// ---- History texts -------------------------------------------------------------------------------

// The version-history table is a record in the template's language, Arabic, whoever reads it.
// Its words come from the plugin's Arabic texts, so the record names a changed field exactly as
// the edit page's preview did (ui/labels.ts changeLabel).
const historyInstance = i18next.createInstance();
void historyInstance.init({ resources: { ar: { sla: slaAr } }, lng: "ar", ns: ["sla"], defaultNS: "sla", initAsync: false, interpolation: { escapeValue: false } });
const historyT = historyInstance.getFixedT("ar", "sla");
const sideAr = (side: Side) => historyT(`side.${side}`);

/** The history's "changes" text of a minor change: each field with its new value. */
export function describeMinorChanges(changes: readonly FieldChange[]): string {
  return clip(changes.map((c) => `${changeLabel(c, historyT)}: ${String(c.after ?? "")}`).join("؛ "), 4000);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

async function editorName(trx: Tx, actor: AuditActor): Promise<string> {
  const user = actor.actorUserId ? await trx.selectFrom("users").select("name").where("id", "=", actor.actorUserId).executeTakeFirst() : undefined;
  return clip(user?.name || actor.actorLabel || "—", 200);
}

/** The owner column of the history: who answers for the agreement on our side. */
function ownerOf(content: AgreementContent): string {
  const ours = content[content.ourSide];
  return clip(ours.monitor.name || ours.monitor.unit || ours.entity, 200);
}

async function addHistory(trx: Tx, actor: AuditActor, agreementId: string, version: number, kind: HistoryRow["kind"], content: AgreementContent, changes: string): Promise<void> {
  await tables(trx)
    .insertInto("sla_agreement_history")
    .values({
      org_id: actor.orgId,
      agreement_id: agreementId,
      version,
      kind,
      editor_id: actor.actorUserId,
      editor_name: await editorName(trx, actor),
      owner: ownerOf(content),
      changes: clip(changes, 4000),
    })
    .execute();
}

const recordColumns = (content: AgreementContent) => ({
  name_ar: content.nameAr,
  name_en: content.nameEn,
  our_side: content.ourSide,
  counterpart: content[content.ourSide === "provider" ? "recipient" : "provider"].entity,
});

// ---- Writing -------------------------------------------------------------------------------------

/** Takes the organisation's next agreement serial: concurrent callers queue on the counter row's lock. */
async function nextSerial(trx: Tx, orgId: string): Promise<number> {
  const row = await sql<{ last: number }>`
    INSERT INTO sla_counter (org_id, last) VALUES (${orgId}, 1)
    ON CONFLICT (org_id) DO UPDATE SET last = sla_counter.last + 1
    RETURNING last`.execute(trx);
  return row.rows[0]!.last;
}

export function formatAgreementNumber(serial: number): string {
  return `SLA-${serial}`;
}

export async function createAgreement(trx: Tx, actor: AuditActor, content: AgreementContent): Promise<{ ok: true; id: string; number: string }> {
  const checked = agreementContentSchema.parse(content);
  const serial = await nextSerial(trx, actor.orgId);
  const number = formatAgreementNumber(serial);
  const row = await tables(trx)
    .insertInto("sla_agreement")
    .values({ org_id: actor.orgId, number, serial, ...recordColumns(checked), draft_version: 1, signed_version: null, created_by: actor.actorUserId })
    .returning("id")
    .executeTakeFirstOrThrow();
  await tables(trx)
    .insertInto("sla_agreement_version")
    .values({ org_id: actor.orgId, agreement_id: row.id, version: 1, content: JSON.stringify(checked), status: "draft", changes: "الإصدار الأول", created_by: actor.actorUserId })
    .execute();
  await addHistory(trx, actor, row.id, 1, "version", checked, "الإصدار الأول");
  await recordAudit(trx, { ...actor, action: "agreement.create", subjectType: "Agreement", subjectId: row.id, before: null, after: { number, version: 1, content: checked } });
  return { ok: true, id: row.id, number };
}

async function bump(trx: Tx, orgId: string, id: string, rowVersion: number, set: Record<string, unknown> = {}): Promise<void> {
  await tables(trx)
    .updateTable("sla_agreement")
    .set({ ...set, row_version: rowVersion + 1, updated_at: new Date() })
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .execute();
}

async function writeContent(trx: Tx, orgId: string, agreementId: string, version: number, content: AgreementContent, changes?: string): Promise<void> {
  await tables(trx)
    .updateTable("sla_agreement_version")
    .set({ content: JSON.stringify(content), updated_at: new Date(), ...(changes !== undefined ? { changes: clip(changes, 4000) } : {}) })
    .where("org_id", "=", orgId)
    .where("agreement_id", "=", agreementId)
    .where("version", "=", version)
    .execute();
}

/** Sets a leaf by dotted path when the path exists (a draft whose ladder has other rungs keeps its own). */
function setLeaf(target: unknown, path: string, before: unknown, after: unknown): void {
  const keys = path.split(".");
  let node: unknown = target;
  for (const key of keys.slice(0, -1)) {
    if (!node || typeof node !== "object") return;
    node = (node as Record<string, unknown>)[key];
  }
  const leaf = keys[keys.length - 1]!;
  if (!node || typeof node !== "object" || !(leaf in node)) return;
  // Only a field the draft has not changed itself follows the signed version.
  if ((node as Record<string, unknown>)[leaf] === before) (node as Record<string, unknown>)[leaf] = after;
}

/**
 * Saves an edit. Before the first signature the draft is edited in place. After it, the edit is
 * compared with the version in force: no change does nothing; a minor change (unit name, job
 * title, email of a monitor or a ladder rung) is made to the signed version in place and
 * recorded in the history (and carried into a pending draft); anything else prepares the next
 * version as a draft (a change note is required when the draft is started), leaving the signed
 * version in force until signVersion.
 */
export async function saveAgreement(
  trx: Tx,
  actor: AuditActor,
  id: string,
  content: AgreementContent,
  opts: { expectedRowVersion: number; changeNote: string },
): Promise<SaveResult> {
  const checked = agreementContentSchema.parse(content);
  const locked = await lockedAgreement(trx, actor.orgId, id, opts.expectedRowVersion);
  if (!locked.ok) return locked;
  const row = locked.row;
  if (row.cancel_effective) return { ok: false, reason: "cancelled" };
  const note = opts.changeNote.trim();

  if (row.signed_version === null) {
    const version = row.draft_version!;
    const before = await findVersion(trx, actor.orgId, id, version);
    await writeContent(trx, actor.orgId, id, version, checked);
    await bump(trx, actor.orgId, id, row.row_version, recordColumns(checked));
    await recordAudit(trx, { ...actor, action: "agreement.draft.update", subjectType: "Agreement", subjectId: id, before: { version, content: before?.content }, after: { version, content: checked } });
    return { ok: true, kind: "draft", version };
  }

  const signed = (await findVersion(trx, actor.orgId, id, row.signed_version))!;
  const { kind, changes } = classifyChange(signed.content, checked);
  if (kind === "none") return { ok: true, kind: "none", version: row.signed_version };

  if (kind === "minor") {
    await writeContent(trx, actor.orgId, id, row.signed_version, checked);
    if (row.draft_version !== null) {
      const draft = await findVersion(trx, actor.orgId, id, row.draft_version);
      if (draft) {
        const next = structuredClone(draft.content);
        for (const c of changes) setLeaf(next, c.path, c.before, c.after);
        await writeContent(trx, actor.orgId, id, row.draft_version, next);
      }
    }
    const text = describeMinorChanges(changes);
    await addHistory(trx, actor, id, row.signed_version, "minor", checked, text);
    await bump(trx, actor.orgId, id, row.row_version);
    await recordAudit(trx, {
      ...actor,
      action: "agreement.minor_change",
      subjectType: "Agreement",
      subjectId: id,
      before: { version: row.signed_version, changes: changes.map((c) => ({ path: c.path, value: c.before })) },
      after: { version: row.signed_version, changes: changes.map((c) => ({ path: c.path, value: c.after })) },
    });
    // Names and emails of the ladder reach the deadline policies' assignees only through user
    // ids, which a minor change cannot touch: nothing to sync.
    return { ok: true, kind: "minor", version: row.signed_version };
  }

  // A major change: the next version, prepared as a draft.
  if (row.draft_version !== null) {
    const draft = await findVersion(trx, actor.orgId, id, row.draft_version);
    await writeContent(trx, actor.orgId, id, row.draft_version, checked, note || undefined);
    await bump(trx, actor.orgId, id, row.row_version);
    await recordAudit(trx, {
      ...actor,
      action: "agreement.draft.update",
      subjectType: "Agreement",
      subjectId: id,
      before: { version: row.draft_version, content: draft?.content },
      after: { version: row.draft_version, content: checked, changeNote: note || undefined },
    });
    return { ok: true, kind: "major", version: row.draft_version };
  }
  if (!note) return { ok: false, reason: "change_note_required" };
  const last = await tables(trx)
    .selectFrom("sla_agreement_version")
    .select(sql<number>`coalesce(max(version), 0)::int`.as("v"))
    .where("org_id", "=", actor.orgId)
    .where("agreement_id", "=", id)
    .executeTakeFirstOrThrow();
  const version = last.v + 1;
  await tables(trx)
    .insertInto("sla_agreement_version")
    .values({ org_id: actor.orgId, agreement_id: id, version, content: JSON.stringify(checked), status: "draft", changes: clip(note, 4000), created_by: actor.actorUserId })
    .execute();
  await addHistory(trx, actor, id, version, "version", checked, note);
  await bump(trx, actor.orgId, id, row.row_version, { draft_version: version });
  await recordAudit(trx, {
    ...actor,
    action: "agreement.version.create",
    subjectType: "Agreement",
    subjectId: id,
    before: { signedVersion: row.signed_version },
    after: { version, changeNote: note, changes: changes.map((c) => c.path), content: checked },
  });
  return { ok: true, kind: "major", version };
}

/**
 * Both sides sign the draft: it comes into force, the version it replaces is superseded, and the
 * deadline policies of the agreement's linked steps take the new terms.
 */
export async function signVersion(
  trx: Tx,
  actor: AuditActor,
  id: string,
  input: { version: number; signatures: Signature[]; expectedRowVersion: number },
): Promise<{ ok: true } | { ok: false; reason: "not_found" | "conflict" | "no_draft" | "cancelled" }> {
  const signatures = signaturesSchema.parse(input.signatures);
  const locked = await lockedAgreement(trx, actor.orgId, id, input.expectedRowVersion);
  if (!locked.ok) return locked;
  const row = locked.row;
  if (row.draft_version === null) return { ok: false, reason: "no_draft" };
  if (row.draft_version !== input.version) return { ok: false, reason: "conflict" };
  if (row.cancel_effective) return { ok: false, reason: "cancelled" };
  const draft = (await findVersion(trx, actor.orgId, id, row.draft_version))!;
  const content = agreementContentSchema.parse(draft.content);
  const now = new Date();
  if (row.signed_version !== null) {
    await tables(trx)
      .updateTable("sla_agreement_version")
      .set({ status: "superseded", updated_at: now })
      .where("org_id", "=", actor.orgId)
      .where("agreement_id", "=", id)
      .where("version", "=", row.signed_version)
      .execute();
  }
  await tables(trx)
    .updateTable("sla_agreement_version")
    .set({ status: "signed", signatures: JSON.stringify(signatures), signed_at: now, updated_at: now })
    .where("org_id", "=", actor.orgId)
    .where("agreement_id", "=", id)
    .where("version", "=", row.draft_version)
    .execute();
  await bump(trx, actor.orgId, id, row.row_version, { ...recordColumns(content), signed_version: row.draft_version, draft_version: null });
  const names = signatures.map((s) => `${s.name} (${s.title}، ${s.entity})`).join(" و");
  await addHistory(trx, actor, id, row.draft_version, "signed", content, `توقيع الإصدار ${row.draft_version} من الطرفين: ${names}`);
  await recordAudit(trx, {
    ...actor,
    action: "agreement.sign",
    subjectType: "Agreement",
    subjectId: id,
    before: { signedVersion: row.signed_version, draftVersion: row.draft_version },
    after: { signedVersion: row.draft_version, draftVersion: null, signatures },
  });
  const { today } = await orgToday(trx, actor.orgId);
  await syncAgreementPolicies(trx, actor, id, today);
  return { ok: true };
}

/** Drops the version in preparation; the signed version stays. The only version (never signed) cannot be dropped. */
export async function discardDraft(
  trx: Tx,
  actor: AuditActor,
  id: string,
  expectedRowVersion: number,
): Promise<{ ok: true } | { ok: false; reason: "not_found" | "conflict" | "no_draft" | "only_version" }> {
  const locked = await lockedAgreement(trx, actor.orgId, id, expectedRowVersion);
  if (!locked.ok) return locked;
  const row = locked.row;
  if (row.draft_version === null) return { ok: false, reason: "no_draft" };
  if (row.signed_version === null) return { ok: false, reason: "only_version" };
  const draft = await findVersion(trx, actor.orgId, id, row.draft_version);
  await tables(trx).deleteFrom("sla_agreement_version").where("org_id", "=", actor.orgId).where("agreement_id", "=", id).where("version", "=", row.draft_version).execute();
  // A version that was never signed leaves the version-history table (the audit log keeps it),
  // so the next draft takes the same number without the table listing it twice.
  await tables(trx)
    .deleteFrom("sla_agreement_history")
    .where("org_id", "=", actor.orgId)
    .where("agreement_id", "=", id)
    .where("version", "=", row.draft_version)
    .where("kind", "=", "version")
    .execute();
  await bump(trx, actor.orgId, id, row.row_version, { draft_version: null });
  await recordAudit(trx, { ...actor, action: "agreement.draft.discard", subjectType: "Agreement", subjectId: id, before: { version: row.draft_version, content: draft?.content, changes: draft?.changes }, after: null });
  return { ok: true };
}

/**
 * Records a formal request to cancel (by either side): the letter, its date and the day the
 * cancellation takes effect, which must be at least one month after the letter, moved to the
 * next working day of the calendar. The deadline policies stay until that day (the daily job
 * removes them; at once when the day has already come).
 */
export async function requestCancellation(
  trx: Tx,
  actor: AuditActor,
  id: string,
  input: CancellationInput & { expectedRowVersion: number },
  calendar: BusinessCalendar | null,
): Promise<{ ok: true } | { ok: false; reason: "not_found" | "conflict" | "not_signed" | "already" } | { ok: false; reason: "notice_too_short"; earliest: string }> {
  const checked = cancellationSchema.parse(input);
  const locked = await lockedAgreement(trx, actor.orgId, id, input.expectedRowVersion);
  if (!locked.ok) return locked;
  const row = locked.row;
  if (row.signed_version === null) return { ok: false, reason: "not_signed" };
  if (row.cancel_effective) return { ok: false, reason: "already" };
  const earliest = earliestCancellationDate(checked.letterDate, calendar);
  if (checked.effectiveDate < earliest) return { ok: false, reason: "notice_too_short", earliest };
  await bump(trx, actor.orgId, id, row.row_version, {
    cancel_side: checked.side,
    cancel_letter_date: checked.letterDate,
    cancel_letter_ref: checked.letterRef,
    cancel_effective: checked.effectiveDate,
    cancel_reason: checked.reason,
  });
  const signed = (await findVersion(trx, actor.orgId, id, row.signed_version))!;
  await addHistory(
    trx,
    actor,
    id,
    row.signed_version,
    "cancellation",
    signed.content,
    `طلب إلغاء من ${sideAr(checked.side)} بالخطاب ${checked.letterRef} بتاريخ ${checked.letterDate}، يسري من ${checked.effectiveDate}. السبب: ${checked.reason}`,
  );
  await recordAudit(trx, { ...actor, action: "agreement.cancel", subjectType: "Agreement", subjectId: id, before: null, after: { ...checked, earliest } });
  const { today } = await orgToday(trx, actor.orgId);
  await syncAgreementPolicies(trx, actor, id, today);
  return { ok: true };
}

/** The services an agreement's links name (their card's "SLA reference" follows the agreement). */
async function linkedServiceIds(trx: Tx, orgId: string, agreementId: string): Promise<string[]> {
  const rows = await tables(trx).selectFrom("sla_agreement_link").select("service_id").where("org_id", "=", orgId).where("agreement_id", "=", agreementId).execute();
  return [...new Set(rows.map((r) => r.service_id))];
}

/**
 * Withdraws a pending request to cancel, before the day it takes effect (the organisation's
 * today): the agreement stays in force as if the letter had not been sent, the history records
 * the withdrawal (kind "cancellation") and the linked steps keep their deadline policies. On or
 * after the effective day the cancellation has happened and cannot be withdrawn.
 */
export async function withdrawCancellation(
  trx: Tx,
  actor: AuditActor,
  id: string,
  expectedRowVersion: number,
): Promise<{ ok: true } | { ok: false; reason: "not_found" | "conflict" | "no_cancellation" | "effective" }> {
  const locked = await lockedAgreement(trx, actor.orgId, id, expectedRowVersion);
  if (!locked.ok) return locked;
  const row = locked.row;
  if (!row.cancel_effective || !row.cancel_side || !row.cancel_letter_date || row.signed_version === null) return { ok: false, reason: "no_cancellation" };
  const { today } = await orgToday(trx, actor.orgId);
  if (today >= row.cancel_effective) return { ok: false, reason: "effective" };
  const withdrawn = { side: row.cancel_side, letterDate: row.cancel_letter_date, letterRef: row.cancel_letter_ref ?? "", effectiveDate: row.cancel_effective, reason: row.cancel_reason ?? "" };
  await bump(trx, actor.orgId, id, row.row_version, { cancel_side: null, cancel_letter_date: null, cancel_letter_ref: null, cancel_effective: null, cancel_reason: null });
  const signed = (await findVersion(trx, actor.orgId, id, row.signed_version))!;
  await addHistory(
    trx,
    actor,
    id,
    row.signed_version,
    "cancellation",
    signed.content,
    `سحب طلب الإلغاء المقدم من ${sideAr(withdrawn.side)} بالخطاب ${withdrawn.letterRef} بتاريخ ${withdrawn.letterDate}، وكان سيسري من ${withdrawn.effectiveDate}؛ يبقى الاتفاق ساريًا.`,
  );
  await recordAudit(trx, { ...actor, action: "agreement.cancel.withdraw", subjectType: "Agreement", subjectId: id, before: withdrawn, after: null });
  // The policies were kept while the cancellation was pending; this puts back any the job may
  // have removed for another reason, and the cards keep naming the agreement.
  await syncAgreementPolicies(trx, actor, id, today);
  await refreshSlaReferences(trx, actor.orgId, await linkedServiceIds(trx, actor.orgId, id), today);
  return { ok: true };
}

/**
 * Deletes an agreement that was never signed (only its draft of version 1 exists), with its
 * links and whatever was recorded on it; the audit log keeps the draft. Once any version has
 * been signed the agreement binds both sides and ends only by cancellation ("signed").
 */
export async function deleteAgreement(
  trx: Tx,
  actor: AuditActor,
  id: string,
  expectedRowVersion: number,
): Promise<{ ok: true; number: string } | { ok: false; reason: "not_found" | "conflict" | "signed" }> {
  const locked = await lockedAgreement(trx, actor.orgId, id, expectedRowVersion);
  if (!locked.ok) return locked;
  const row = locked.row;
  if (row.signed_version !== null) return { ok: false, reason: "signed" };
  const versions = await tables(trx).selectFrom("sla_agreement_version").select(["version", "status", "content"]).where("org_id", "=", actor.orgId).where("agreement_id", "=", id).execute();
  if (versions.some((v) => v.status !== "draft")) return { ok: false, reason: "signed" };
  const links = await tables(trx)
    .selectFrom("sla_agreement_link")
    .select(["service_id", "node_id", "channel", "responsible_side", "policy_id"])
    .where("org_id", "=", actor.orgId)
    .where("agreement_id", "=", id)
    .execute();
  const breaches = await tables(trx).selectFrom("sla_agreement_breach").select(["occurred_at", "side", "description", "cause", "fix"]).where("org_id", "=", actor.orgId).where("agreement_id", "=", id).execute();
  // A draft has no deadline policies; should one be left over, it goes with the link.
  for (const link of links) if (link.policy_id) await deletePolicy(trx, actor, link.policy_id);
  // Versions, history, links, breaches and meetings go with the record (ON DELETE CASCADE).
  await tables(trx).deleteFrom("sla_agreement").where("org_id", "=", actor.orgId).where("id", "=", id).execute();
  const { today } = await orgToday(trx, actor.orgId);
  await refreshSlaReferences(trx, actor.orgId, [...new Set(links.map((l) => l.service_id))], today);
  await recordAudit(trx, {
    ...actor,
    action: "agreement.delete",
    subjectType: "Agreement",
    subjectId: id,
    before: {
      number: row.number,
      versions: versions.map((v) => ({ version: v.version, status: v.status, content: v.content })),
      links: links.map((l) => ({ serviceId: l.service_id, nodeId: l.node_id, channel: l.channel, responsibleSide: l.responsible_side })),
      breaches,
    },
    after: null,
  });
  return { ok: true, number: row.number };
}
