import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startCase } from "~/models/cases.server";
import { fireDueSla } from "~/models/sla-escalations.server";
import { currentSettings, savePluginSettings, setPluginEnabled } from "~/models/plugin-orgs.server";
import { setTestClock } from "~/utils/clock.server";
import { grantAppRole } from "~/utils/migrate.server";
import { withPlatform, withTenant, type Tx } from "~/utils/db.server";
import { setLogLevel } from "~/utils/log.server";
import { loadPlugins } from "~/utils/plugins.server";
import { PLUGIN_REGISTRY } from "~plugins/registry";
import { workedExampleService } from "~plugins/service-catalogue/demo-data";
import { seedCatalogue } from "~plugins/service-catalogue/seed.server";
import { createService, findService } from "~plugins/service-catalogue/services.server";
import { defaultLadder, type AgreementContent, type Signature } from "~plugins/sla/agreement";
import {
  createAgreement,
  deleteAgreement,
  discardDraft,
  findAgreement,
  getAgreement,
  listAgreements,
  requestCancellation,
  saveAgreement,
  signVersion,
  withdrawCancellation,
} from "~plugins/sla/agreements.server";
import { importDeadlineBreaches, listBreaches, recordBreach, updateBreach } from "~plugins/sla/breaches.server";
import { orgToday } from "~plugins/sla/calendar.server";
import type { SlaTables } from "~plugins/sla/db";
import { runDaily } from "~plugins/sla/jobs.server";
import { linkableServices, setLinks } from "~plugins/sla/links.server";
import { listQuarters, recordMeeting } from "~plugins/sla/meetings.server";
import { sendAgreementReminders } from "~plugins/sla/reminders.server";
import type { CancellationInput } from "~plugins/sla/schema";
import { DEMO_AGREEMENT_NAME, seedAgreements } from "~plugins/sla/seed.server";
import { SLA_DEFAULTS } from "~plugins/sla/settings";
import { seedForms } from "../../seeds/forms";
import { seedWorkflows } from "../../seeds/workflows";
import { publishFixture, threeStepFlow } from "../fixtures/workflows";
import { actorFor, barrier, dedicatedDb } from "./engine-helpers";
import { makeOrg, testDb, testOwnerDb, type TestOrg } from "./helpers";

// Agreements between agencies against a real PostgreSQL: numbering under concurrency, the
// versioning rules of the guide's template (draft in place, minor change without a version,
// clause change → next version signed by both sides), cancellation notice and reminders on a
// Friday–Saturday business calendar (the organisations keep the default Saudi calendar in
// Riyadh), linked steps under a deadline policy whose breaches reach the agreement's ledger,
// and tenant isolation.

setLogLevel("silent");
const db = () => testDb();
const entries = PLUGIN_REGISTRY.filter((p) => p.id === "service-catalogue" || p.id === "sla");
const actorOf = (t: TestOrg, user: { id: string; email: string } = t.admin) => ({ orgId: t.org.id, actorUserId: user.id, actorLabel: user.email, requestId: "t", ip: "127.0.0.1" });
const as = <T>(t: TestOrg, fn: (trx: Tx) => Promise<T>, userId = t.admin.id) => withTenant(db(), { orgId: t.org.id, userId }, fn);
const tables = (trx: Tx) => trx.withTables<SlaTables>();
/** Noon in Riyadh on a day: the organisation's "today" is that day. */
const noon = (day: string) => new Date(`${day}T12:00:00+03:00`);

async function setUp(t: TestOrg): Promise<void> {
  await as(t, async (trx) => {
    for (const id of ["service-catalogue", "sla"]) {
      const enabled = await setPluginEnabled(trx, actorOf(t), id, true);
      if (!enabled.ok) throw new Error(`${id}: ${enabled.reason}`);
      if (id === "service-catalogue") {
        const saved = await savePluginSettings(trx, actorOf(t), id, { values: { approver: "manager" }, expectedVersion: enabled.settingsVersion, locale: "ar" });
        if (!saved.ok) throw new Error(JSON.stringify(saved));
      }
    }
  });
}

function content(t: TestOrg, over: Partial<AgreementContent> = {}): AgreementContent {
  const ladder = (who: string) =>
    defaultLadder([8 * 60, 16 * 60, 24 * 60, 40 * 60]).map((l, i) => ({ ...l, name: `${who} ${i + 1}`, title: `المسمى ${i + 1}`, email: `level${i + 1}@example.gov` }));
  return {
    nameAr: "اتفاق مستوى خدمة التحقق من بيانات الأسر المستفيدة",
    nameEn: "Beneficiary family data verification",
    introduction: "تعتمد خدمة تحديث بيانات الأسر على تحقق الوزارة من البيانات.",
    objectives: ["تحديد الأدوار والمسؤوليات لكل طرف."],
    provider: {
      entity: "وزارة العمل والتنمية الاجتماعية",
      monitor: { unit: "إدارة تقنية المعلومات", name: "خالد الحربي", title: "مدير المتابعة", email: "monitor@ministry.example", userId: null },
      ladder: ladder("مسؤول الوزارة"),
      responsibilities: ["التحقق من بيانات الأسرة خلال المدة المتفق عليها"],
    },
    recipient: {
      entity: "دائرة الخدمات الاجتماعية",
      monitor: { unit: "قسم خدمة المتعاملين", name: "منيرة السبيعي", title: "رئيسة القسم", email: "monitor@dept.example", userId: t.manager.id },
      ladder: ladder("مسؤول الدائرة"),
      responsibilities: ["إرسال طلبات التحقق مكتملة"],
    },
    ourSide: "recipient",
    term: { startDate: "2025-03-13", months: 12, autoRenew: true },
    majorChangesNote: "",
    responseTimes: { emailMinutes: 2 * 7 * 60, letterMinutes: 5 * 7 * 60 },
    ...over,
  };
}

const signatures = (day = "2025-03-13"): Signature[] => [
  { side: "provider", entity: "وزارة العمل والتنمية الاجتماعية", title: "وكيل الوزارة", name: "عبدالله القحطاني", date: day },
  { side: "recipient", entity: "دائرة الخدمات الاجتماعية", title: "مدير الدائرة", name: "نورة الشمري", date: day },
];

async function created(t: TestOrg, over: Partial<AgreementContent> = {}) {
  return as(t, (trx) => createAgreement(trx, actorOf(t), content(t, over)));
}

async function rowVersion(t: TestOrg, id: string): Promise<number> {
  return (await as(t, (trx) => findAgreement(trx, t.org.id, id)))!.row_version;
}

async function sign(t: TestOrg, id: string, version: number) {
  return as(t, async (trx) => signVersion(trx, actorOf(t), id, { version, signatures: signatures(), expectedRowVersion: (await findAgreement(trx, t.org.id, id))!.row_version }));
}

/** A cancellation request from a page showing the agreement as it is now. */
async function requestCancellationNow(t: TestOrg, id: string, input: CancellationInput) {
  return as(t, async (trx) =>
    requestCancellation(trx, actorOf(t), id, { ...input, expectedRowVersion: (await findAgreement(trx, t.org.id, id))!.row_version }, (await orgToday(trx, t.org.id)).calendar),
  );
}

async function view(t: TestOrg, id: string, today = "2025-06-01") {
  return as(t, async (trx) => getAgreement(trx, t.org.id, id, today, (await orgToday(trx, t.org.id)).calendar, SLA_DEFAULTS));
}

/** A catalogue service whose published workflow has the task steps s1–s3. */
async function linkableService(t: TestOrg, key: string) {
  await publishFixture(db(), t.org.id, threeStepFlow(key));
  const service = await as(t, (trx) => createService(trx, actorOf(t), { ...workedExampleService({ ar: "دائرة", en: "Dept" }, t.units.a), nameAr: "تحديث بيانات أسرة مستفيدة", workflowKey: key }));
  if (!service.ok) throw new Error(service.reason);
  return service;
}

async function auditActions(t: TestOrg, id: string): Promise<string[]> {
  return (await as(t, (trx) => trx.selectFrom("audit_log").select("action").where("subject_id", "=", id).orderBy("seq").execute())).map((r) => r.action);
}

describe("agreements", () => {
  const owner = testOwnerDb();
  beforeAll(async () => {
    const loaded = await loadPlugins(owner, entries);
    expect(loaded.plugins.find((p) => p.id === "sla")).toMatchObject({ status: "active" });
    await grantAppRole(owner);
  });
  afterAll(() => owner.destroy());
  afterEach(() => setTestClock(null));

  it("numbers agreements SLA-1, SLA-2… per organisation, never twice under concurrency", async () => {
    const t = await makeOrg(db(), { calendar: "default" });
    await setUp(t);
    expect(await created(t)).toMatchObject({ ok: true, number: "SLA-1" });
    const pool = dedicatedDb(10);
    const ready = barrier(10);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        withTenant(pool, { orgId: t.org.id, userId: t.admin.id }, async (trx) => {
          await ready();
          return createAgreement(trx, actorOf(t), content(t));
        }),
      ),
    );
    await pool.destroy();
    expect(new Set(results.map((r) => r.number)).size).toBe(10);
    expect(results.map((r) => r.number).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)))).toEqual(Array.from({ length: 10 }, (_, i) => `SLA-${i + 2}`));
    // Another organisation counts from 1.
    const other = await makeOrg(db(), { calendar: "default" });
    await setUp(other);
    expect(await created(other)).toMatchObject({ number: "SLA-1" });
    const list = await as(t, (trx) => listAgreements(trx, t.org.id, { page: 1, pageSize: 5, today: "2025-06-01" }));
    expect(list.total).toBe(11);
    expect(list.rows).toHaveLength(5);
    expect(list.rows[0]).toMatchObject({ number: "SLA-11", phase: "draft", counterpart: "وزارة العمل والتنمية الاجتماعية", ourSide: "recipient", signedVersion: null, draftVersion: 1, termEnd: null });
    expect((await as(t, (trx) => listAgreements(trx, t.org.id, { q: "SLA-1", phase: "active", page: 1, pageSize: 5, today: "2025-06-01" }))).total).toBe(0);
  });

  it("edits the draft in place, signs it with both signatures, records a minor change without a new version and prepares the next version for a clause change", async () => {
    const t = await makeOrg(db(), { calendar: "default" });
    await setUp(t);
    const a = await created(t);
    const v0 = await rowVersion(t, a.id);

    // Before the first signature: the draft is edited in place; a stale page is refused.
    const edited = await as(t, (trx) => saveAgreement(trx, actorOf(t), a.id, content(t, { introduction: "مقدمة معدلة" }), { expectedRowVersion: v0, changeNote: "" }));
    expect(edited).toEqual({ ok: true, kind: "draft", version: 1 });
    expect(await as(t, (trx) => saveAgreement(trx, actorOf(t), a.id, content(t), { expectedRowVersion: v0, changeNote: "" }))).toEqual({ ok: false, reason: "conflict" });
    let v = await view(t, a.id);
    expect(v).toMatchObject({ phase: "draft", signed: null, draft: { version: 1, content: { introduction: "مقدمة معدلة" } }, term: null, reviewReminder: null });
    expect(await as(t, (trx) => tables(trx).selectFrom("sla_agreement_version").select("version").where("agreement_id", "=", a.id).execute())).toHaveLength(1);
    // The only version cannot be discarded.
    expect(await as(t, (trx) => discardDraft(trx, actorOf(t), a.id, v!.rowVersion))).toEqual({ ok: false, reason: "only_version" });

    // Signing needs both sides.
    await expect(
      as(t, (trx) => signVersion(trx, actorOf(t), a.id, { version: 1, signatures: signatures().slice(0, 1), expectedRowVersion: v!.rowVersion })),
    ).rejects.toThrow(/bothSignatures/);
    await expect(
      as(t, (trx) => signVersion(trx, actorOf(t), a.id, { version: 1, signatures: [signatures()[0]!, signatures()[0]!], expectedRowVersion: v!.rowVersion })),
    ).rejects.toThrow(/bothSignatures/);
    expect(await as(t, (trx) => signVersion(trx, actorOf(t), a.id, { version: 1, signatures: signatures(), expectedRowVersion: v!.rowVersion - 1 }))).toEqual({ ok: false, reason: "conflict" });
    expect(await sign(t, a.id, 1)).toEqual({ ok: true });
    v = await view(t, a.id);
    expect(v).toMatchObject({ phase: "active", signed: { version: 1, signatures: signatures() }, draft: null, term: { start: "2025-03-13", end: "2026-03-13", renewals: 0 } });
    expect(await as(t, (trx) => signVersion(trx, actorOf(t), a.id, { version: 1, signatures: signatures(), expectedRowVersion: v!.rowVersion }))).toEqual({ ok: false, reason: "no_draft" });

    // A minor change (the provider monitor's email): same version, signed content updated, a "minor" history row.
    const signed1 = v!.signed!.content;
    const minor = structuredClone(signed1);
    minor.provider.monitor.email = "follow-up@ministry.example";
    minor.recipient.ladder[1]!.title = "مدير إدارة الخدمات";
    expect(await as(t, (trx) => saveAgreement(trx, actorOf(t), a.id, minor, { expectedRowVersion: v!.rowVersion, changeNote: "" }))).toEqual({ ok: true, kind: "minor", version: 1 });
    v = await view(t, a.id);
    expect(v!.signed).toMatchObject({ version: 1, content: { provider: { monitor: { email: "follow-up@ministry.example" } } } });
    expect(v!.draft).toBeNull();
    expect(v!.history.at(-1)).toMatchObject({ number: a.number, version: 1, kind: "minor", editorName: expect.stringContaining("admin"), owner: "منيرة السبيعي" });
    expect(v!.history.at(-1)!.changes).toContain("البريد الإلكتروني لمراقب مقدم الخدمة: follow-up@ministry.example");
    expect(v!.history.at(-1)!.changes).toContain("المسمى الوظيفي في المستوى الثاني للتصعيد لدى متلقي الخدمة");
    // Saving the same content again changes nothing.
    expect(await as(t, (trx) => saveAgreement(trx, actorOf(t), a.id, minor, { expectedRowVersion: v!.rowVersion, changeNote: "" }))).toEqual({ ok: true, kind: "none", version: 1 });

    // A clause change (the reply time for letters): a change note is required, then draft version 2.
    const major = structuredClone(minor);
    major.responseTimes.letterMinutes = 3 * 7 * 60;
    expect(await as(t, (trx) => saveAgreement(trx, actorOf(t), a.id, major, { expectedRowVersion: v!.rowVersion, changeNote: "  " }))).toEqual({ ok: false, reason: "change_note_required" });
    expect(await as(t, (trx) => saveAgreement(trx, actorOf(t), a.id, major, { expectedRowVersion: v!.rowVersion, changeNote: "تقليص زمن الرد على المراسلات الرسمية" }))).toEqual({
      ok: true,
      kind: "major",
      version: 2,
    });
    v = await view(t, a.id);
    // Version 1 stays in force until version 2 is signed.
    expect(v).toMatchObject({ phase: "active", signed: { version: 1 }, draft: { version: 2, changes: "تقليص زمن الرد على المراسلات الرسمية" } });
    expect(v!.signed!.content.responseTimes.letterMinutes).toBe(5 * 7 * 60);
    expect(v!.draft!.content.responseTimes.letterMinutes).toBe(3 * 7 * 60);
    // Further edits of the pending version update the same draft.
    const major2 = structuredClone(major);
    major2.responseTimes.emailMinutes = 7 * 60;
    expect(await as(t, (trx) => saveAgreement(trx, actorOf(t), a.id, major2, { expectedRowVersion: v!.rowVersion, changeNote: "" }))).toEqual({ ok: true, kind: "major", version: 2 });
    // A minor change while version 2 is pending reaches both the signed version and the draft.
    v = await view(t, a.id);
    const minorAgain = structuredClone(v!.signed!.content);
    minorAgain.recipient.monitor.unit = "إدارة خدمة المتعاملين";
    expect(await as(t, (trx) => saveAgreement(trx, actorOf(t), a.id, minorAgain, { expectedRowVersion: v!.rowVersion, changeNote: "" }))).toEqual({ ok: true, kind: "minor", version: 1 });
    v = await view(t, a.id);
    expect(v!.signed!.content.recipient.monitor.unit).toBe("إدارة خدمة المتعاملين");
    expect(v!.draft!.content).toMatchObject({ recipient: { monitor: { unit: "إدارة خدمة المتعاملين" } }, responseTimes: { emailMinutes: 7 * 60, letterMinutes: 3 * 7 * 60 } });

    expect(await sign(t, a.id, 2)).toEqual({ ok: true });
    v = await view(t, a.id);
    expect(v).toMatchObject({ signed: { version: 2 }, draft: null, phase: "active" });
    expect(v!.signed!.content.responseTimes.letterMinutes).toBe(3 * 7 * 60);
    const statuses = await as(t, (trx) => tables(trx).selectFrom("sla_agreement_version").select(["version", "status"]).where("agreement_id", "=", a.id).orderBy("version").execute());
    expect(statuses).toEqual([
      { version: 1, status: "superseded" },
      { version: 2, status: "signed" },
    ]);
    expect(v!.history.map((h) => [h.version, h.kind])).toEqual([
      [1, "version"],
      [1, "signed"],
      [1, "minor"],
      [2, "version"],
      [1, "minor"],
      [2, "signed"],
    ]);
    expect(v!.history[3]!.changes).toBe("تقليص زمن الرد على المراسلات الرسمية");

    // A draft of version 3, then discarded: version 2 stays, the history does not list version 3.
    const major3 = structuredClone(v!.signed!.content);
    major3.term.months = 24;
    expect(await as(t, (trx) => saveAgreement(trx, actorOf(t), a.id, major3, { expectedRowVersion: v!.rowVersion, changeNote: "تمديد المدة" }))).toMatchObject({ kind: "major", version: 3 });
    expect(await as(t, async (trx) => discardDraft(trx, actorOf(t), a.id, (await findAgreement(trx, t.org.id, a.id))!.row_version))).toEqual({ ok: true });
    v = await view(t, a.id);
    expect(v).toMatchObject({ signed: { version: 2 }, draft: null });
    expect(v!.history.some((h) => h.version === 3)).toBe(false);
    // Every write is in the audit log.
    const actions = await as(t, (trx) => trx.selectFrom("audit_log").select("action").where("subject_id", "=", a.id).orderBy("seq").execute());
    expect(actions.map((r) => r.action)).toEqual([
      "agreement.create",
      "agreement.draft.update",
      "agreement.sign",
      "agreement.minor_change",
      "agreement.version.create",
      "agreement.draft.update",
      "agreement.minor_change",
      "agreement.sign",
      "agreement.version.create",
      "agreement.draft.discard",
    ]);
  });

  it("refuses a cancellation with less than a month's notice on the business calendar and accepts it at the earliest day", async () => {
    const t = await makeOrg(db(), { calendar: "default" });
    await setUp(t);
    const a = await created(t);
    const input = { side: "provider" as const, letterDate: "2026-04-09", letterRef: "و ع ت/1447/55", effectiveDate: "2026-05-09", reason: "انتقال الخدمة إلى منصة موحدة" };
    const cancel = (effectiveDate: string) => requestCancellationNow(t, a.id, { ...input, effectiveDate });
    expect(await cancel("2026-05-10")).toEqual({ ok: false, reason: "not_signed" });
    await sign(t, a.id, 1);
    setTestClock(noon("2026-04-09"));
    // A cancel form opened before the signature (stale row version) is refused and records nothing.
    const stale = (await rowVersion(t, a.id)) - 1;
    expect(await as(t, async (trx) => requestCancellation(trx, actorOf(t), a.id, { ...input, effectiveDate: "2026-05-10", expectedRowVersion: stale }, (await orgToday(trx, t.org.id)).calendar))).toEqual({
      ok: false,
      reason: "conflict",
    });
    expect((await view(t, a.id, "2026-04-09"))!.cancellation).toBeNull();
    // Letter Thursday 9 April 2026: a month later is Saturday 9 May; the earliest is Sunday 10 May.
    expect(await cancel("2026-05-09")).toEqual({ ok: false, reason: "notice_too_short", earliest: "2026-05-10" });
    expect(await cancel("2026-05-10")).toEqual({ ok: true });
    expect(await cancel("2026-06-10")).toEqual({ ok: false, reason: "already" });
    const v = await view(t, a.id, "2026-04-09");
    expect(v).toMatchObject({ phase: "cancelling", cancellation: { side: "provider", letterDate: "2026-04-09", letterRef: "و ع ت/1447/55", effectiveDate: "2026-05-10" } });
    expect(v!.history.at(-1)).toMatchObject({ kind: "cancellation", version: 1 });
    expect((await view(t, a.id, "2026-05-10"))!.phase).toBe("cancelled");
    // No more edits once cancellation is requested.
    expect(await as(t, (trx) => saveAgreement(trx, actorOf(t), a.id, content(t, { nameAr: "اسم آخر" }), { expectedRowVersion: v!.rowVersion, changeNote: "تغيير" }))).toEqual({
      ok: false,
      reason: "cancelled",
    });

    // A week before it takes effect, the monitor and the admins are reminded (once).
    const remind = (day: string) => as(t, (trx) => sendAgreementReminders(trx, t.org.id, noon(day)));
    expect((await remind("2026-05-02")).cancellation).toBe(0);
    expect((await remind("2026-05-03")).cancellation).toBe(1);
    expect((await remind("2026-05-04")).cancellation).toBe(0);
    const notes = await as(t, (trx) => trx.selectFrom("notifications").select(["user_id", "kind", "link", "params"]).where("kind", "=", "agreement.cancellation_due").execute());
    expect(notes.map((n) => n.user_id).sort()).toEqual([t.admin.id, t.manager.id].sort());
    expect(notes[0]).toMatchObject({ link: `sla/${a.id}`, params: { number: a.number, effective_on: "2026-05-10" } });
  });

  it("withdraws a pending cancellation before its effective day (the linked step keeps its policy), not on or after it, and not from a stale page", async () => {
    const t = await makeOrg(db(), { calendar: "default" });
    await setUp(t);
    const service = await linkableService(t, "withdraw-flow");
    const a = await created(t);
    expect(await as(t, (trx) => setLinks(trx, actorOf(t), a.id, [{ serviceId: service.id, nodeId: "s2", channel: "email", responsibleSide: "provider" }]))).toEqual({ ok: true });
    // Not signed: nothing to withdraw.
    expect(await as(t, async (trx) => withdrawCancellation(trx, actorOf(t), a.id, (await findAgreement(trx, t.org.id, a.id))!.row_version))).toEqual({ ok: false, reason: "no_cancellation" });
    await sign(t, a.id, 1);
    const policyId = (await view(t, a.id))!.links[0]!.policyId;
    expect(policyId).not.toBeNull();

    setTestClock(noon("2026-04-09"));
    const cancel = (letterRef: string, letterDate = "2026-04-09", effectiveDate = "2026-05-10") =>
      requestCancellationNow(t, a.id, { side: "provider", letterDate, letterRef, effectiveDate, reason: "انتقال الخدمة إلى منصة موحدة" });
    expect(await cancel("و ع ت/1447/55")).toEqual({ ok: true });
    const pending = (await view(t, a.id, "2026-04-09"))!;
    expect(pending.phase).toBe("cancelling");

    // A page opened before the request (stale row version) is refused.
    expect(await as(t, (trx) => withdrawCancellation(trx, actorOf(t), a.id, pending.rowVersion - 1))).toEqual({ ok: false, reason: "conflict" });
    expect((await view(t, a.id, "2026-04-09"))!.cancellation).not.toBeNull();

    // The day before it takes effect: withdrawn.
    setTestClock(noon("2026-05-09"));
    expect(await as(t, (trx) => withdrawCancellation(trx, actorOf(t), a.id, pending.rowVersion))).toEqual({ ok: true });
    let v = (await view(t, a.id, "2026-05-09"))!;
    expect(v).toMatchObject({ phase: "active", cancellation: null, signed: { version: 1 } });
    expect(v.rowVersion).toBe(pending.rowVersion + 1);
    const row = (await as(t, (trx) => findAgreement(trx, t.org.id, a.id)))!;
    expect([row.cancel_side, row.cancel_letter_date, row.cancel_letter_ref, row.cancel_effective, row.cancel_reason]).toEqual([null, null, null, null, null]);
    expect(v.history.slice(-2).map((h) => [h.version, h.kind])).toEqual([
      [1, "cancellation"],
      [1, "cancellation"],
    ]);
    expect(v.history.at(-2)!.changes).toContain("طلب إلغاء");
    expect(v.history.at(-1)!.changes).toContain("سحب طلب الإلغاء");
    expect(v.history.at(-1)!.changes).toContain("و ع ت/1447/55");
    // The linked step keeps its deadline policy, on the agreement's terms; the card keeps the number.
    expect(v.links[0]!.policyId).toBe(policyId);
    const policy = await as(t, (trx) => trx.selectFrom("deadline_policies").select(["id", "resolution_minutes", "active"]).where("id", "=", policyId!).executeTakeFirst());
    expect(policy).toEqual({ id: policyId, resolution_minutes: 2 * 7 * 60, active: true });
    expect((await as(t, (trx) => findService(trx, t.org.id, service.id)))!.sla_reference).toBe(a.number);
    // The day it would have taken effect, the daily job leaves it in force.
    await as(t, (trx) => runDaily(trx, t.org.id, noon("2026-05-10")));
    v = (await view(t, a.id, "2026-05-10"))!;
    expect(v.phase).toBe("active");
    expect(v.links[0]!.policyId).toBe(policyId);
    // Nothing left to withdraw; the agreement can be edited again.
    expect(await as(t, (trx) => withdrawCancellation(trx, actorOf(t), a.id, v.rowVersion))).toEqual({ ok: false, reason: "no_cancellation" });
    const edited = structuredClone(v.signed!.content);
    edited.provider.monitor.email = "after-withdrawal@ministry.example";
    expect(await as(t, (trx) => saveAgreement(trx, actorOf(t), a.id, edited, { expectedRowVersion: v.rowVersion, changeNote: "" }))).toMatchObject({ ok: true, kind: "minor" });

    // A new request may follow; once its day has come it can no longer be withdrawn.
    setTestClock(noon("2026-05-11"));
    expect(await cancel("و ع ت/1447/80", "2026-05-11", "2026-06-14")).toEqual({ ok: true });
    const again = (await view(t, a.id, "2026-05-11"))!;
    expect(again.cancellation).toMatchObject({ letterRef: "و ع ت/1447/80", effectiveDate: "2026-06-14" });
    setTestClock(noon("2026-06-14"));
    expect(await as(t, (trx) => withdrawCancellation(trx, actorOf(t), a.id, again.rowVersion))).toEqual({ ok: false, reason: "effective" });
    setTestClock(noon("2026-07-01"));
    expect(await as(t, (trx) => withdrawCancellation(trx, actorOf(t), a.id, again.rowVersion))).toEqual({ ok: false, reason: "effective" });
    expect((await view(t, a.id, "2026-07-01"))!).toMatchObject({ phase: "cancelled", cancellation: { effectiveDate: "2026-06-14" } });

    const actions = await auditActions(t, a.id);
    expect(actions.filter((x) => x.startsWith("agreement.cancel"))).toEqual(["agreement.cancel", "agreement.cancel.withdraw", "agreement.cancel"]);
    const audited = await as(t, (trx) => trx.selectFrom("audit_log").select(["before", "after"]).where("subject_id", "=", a.id).where("action", "=", "agreement.cancel.withdraw").executeTakeFirstOrThrow());
    expect(audited).toEqual({ before: expect.objectContaining({ side: "provider", letterRef: "و ع ت/1447/55", effectiveDate: "2026-05-10" }), after: null });
  });

  it("deletes an agreement never signed with what was recorded on it; one with a signed version is refused (cancellation ends it)", async () => {
    const t = await makeOrg(db(), { calendar: "default" });
    const other = await makeOrg(db(), { calendar: "default" });
    await setUp(t);
    await setUp(other);
    const service = await linkableService(t, "delete-flow");
    const a = await created(t);
    expect(await as(t, (trx) => setLinks(trx, actorOf(t), a.id, [{ serviceId: service.id, nodeId: "s1", channel: "letter", responsibleSide: "provider" }]))).toEqual({ ok: true });
    expect((await as(t, (trx) => findService(trx, t.org.id, service.id)))!.sla_reference).toBe(a.number);
    const breach = await as(t, (trx) => recordBreach(trx, actorOf(t), a.id, { occurredAt: "2025-06-01T10:00:00+03:00", side: "provider", description: "تأخر الرد على الخطاب", cause: "", fix: "" }));
    expect(breach.ok).toBe(true);
    const rv = await rowVersion(t, a.id);

    // Another organisation cannot reach it; a stale page is refused.
    expect(await as(other, (trx) => deleteAgreement(trx, actorOf(other), a.id, rv), other.admin.id)).toEqual({ ok: false, reason: "not_found" });
    expect(await as(t, (trx) => deleteAgreement(trx, actorOf(t), a.id, rv + 1))).toEqual({ ok: false, reason: "conflict" });
    expect(await as(t, (trx) => deleteAgreement(trx, actorOf(t), a.id, rv))).toEqual({ ok: true, number: a.number });

    expect(await as(t, (trx) => findAgreement(trx, t.org.id, a.id))).toBeUndefined();
    expect(await view(t, a.id)).toBeUndefined();
    for (const table of ["sla_agreement_version", "sla_agreement_history", "sla_agreement_link", "sla_agreement_breach", "sla_agreement_meeting"] as const) {
      expect(await as(t, (trx) => tables(trx).selectFrom(table).select("id").where("agreement_id", "=", a.id).execute()), table).toEqual([]);
    }
    // The service's card no longer names it; the audit log keeps the draft.
    expect((await as(t, (trx) => findService(trx, t.org.id, service.id)))!.sla_reference).toBe("");
    const audited = await as(t, (trx) => trx.selectFrom("audit_log").select(["action", "before", "after", "actor_user_id"]).where("subject_id", "=", a.id).where("action", "=", "agreement.delete").executeTakeFirstOrThrow());
    expect(audited).toMatchObject({ action: "agreement.delete", actor_user_id: t.admin.id, after: null, before: { number: a.number, versions: [{ version: 1, status: "draft" }], links: [{ serviceId: service.id, nodeId: "s1" }] } });
    expect((audited.before as { breaches: unknown[] }).breaches).toHaveLength(1);
    expect(await as(t, (trx) => deleteAgreement(trx, actorOf(t), a.id, rv))).toEqual({ ok: false, reason: "not_found" });
    // Its number is not drawn again.
    expect((await created(t)).number).not.toBe(a.number);

    // Signed once: refused — with a new version pending, and after a cancellation too.
    const b = await created(t);
    await sign(t, b.id, 1);
    const signedView = (await view(t, b.id))!;
    const next = structuredClone(signedView.signed!.content);
    next.term.months = 24;
    await as(t, (trx) => saveAgreement(trx, actorOf(t), b.id, next, { expectedRowVersion: signedView.rowVersion, changeNote: "تمديد المدة" }));
    expect(await as(t, async (trx) => deleteAgreement(trx, actorOf(t), b.id, (await findAgreement(trx, t.org.id, b.id))!.row_version))).toEqual({ ok: false, reason: "signed" });
    setTestClock(noon("2026-04-09"));
    await requestCancellationNow(t, b.id, { side: "recipient", letterDate: "2026-04-09", letterRef: "د خ ج/9", effectiveDate: "2026-05-10", reason: "انتهاء الحاجة" });
    expect(await as(t, async (trx) => deleteAgreement(trx, actorOf(t), b.id, (await findAgreement(trx, t.org.id, b.id))!.row_version))).toEqual({ ok: false, reason: "signed" });
    expect(await as(t, (trx) => findAgreement(trx, t.org.id, b.id))).toBeDefined();
    expect(await auditActions(t, b.id)).not.toContain("agreement.delete");
  });

  it("reminds of the review on its day (not the day before), once per term, again after the automatic renewal; and of the quarterly meeting", async () => {
    const t = await makeOrg(db(), { calendar: "default" });
    await setUp(t);
    const a = await created(t);
    await sign(t, a.id, 1);
    const remind = (day: string) => as(t, (trx) => sendAgreementReminders(trx, t.org.id, noon(day)));
    const reviews = () => as(t, (trx) => trx.selectFrom("notifications").select(["user_id", "dedupe_key", "params"]).where("kind", "=", "agreement.review_due").orderBy("created_at").execute());

    // Term 13 March 2025 – 12 March 2026: one month before the end is Friday 13 February; 14 lead
    // days earlier is Friday 30 January, a day off: the reminder is due on Thursday 29 January.
    expect((await view(t, a.id, "2026-01-28"))!.reviewReminder).toBe("2026-01-29");
    expect((await remind("2026-01-28")).review).toBe(0);
    expect(await reviews()).toEqual([]);
    expect((await remind("2026-01-29")).review).toBe(1);
    expect((await remind("2026-01-30")).review).toBe(0);
    expect((await remind("2026-03-12")).review).toBe(0);
    const first = await reviews();
    expect(first.map((n) => n.user_id).sort()).toEqual([t.admin.id, t.manager.id].sort());
    expect(first[0]).toMatchObject({ dedupe_key: `sla-agreement:review:${a.id}:2026-03-13`, params: { number: a.number, end_on: "2026-03-12" } });

    // Renewed on 13 March 2026 for a year: the next reminder is due on Thursday 28 January 2027 (the 30th is a Saturday).
    expect((await view(t, a.id, "2026-03-13"))!.term).toEqual({ start: "2026-03-13", end: "2027-03-13", renewals: 1 });
    expect((await remind("2026-03-13")).review).toBe(0);
    expect((await remind("2027-01-27")).review).toBe(0);
    expect((await remind("2027-01-28")).review).toBe(1);
    expect((await reviews()).map((n) => n.dedupe_key).filter((k) => k.endsWith("2027-03-13"))).toHaveLength(2);

    // Quarter 5 (13 March – 12 June 2026) plans its meeting on Thursday 11 June; the reminder comes 7 days before.
    const quarters = await as(t, async (trx) => listQuarters(trx, t.org.id, a.id, "2026-06-01", (await orgToday(trx, t.org.id)).calendar));
    expect(quarters.at(-1)).toMatchObject({ quarter: { index: 5, start: "2026-03-13", end: "2026-06-13", meetingDate: "2026-06-11" }, meeting: null, breaches: 0 });
    expect((await remind("2026-06-03")).meeting).toBe(0);
    expect((await remind("2026-06-04")).meeting).toBe(1);
    expect((await remind("2026-06-05")).meeting).toBe(0);
    // A quarter whose meeting is recorded is not reminded of.
    setTestClock(noon("2026-07-01"));
    expect(
      await as(t, (trx) => recordMeeting(trx, actorOf(t), a.id, { quarterStart: "2026-06-13", heldOn: "2026-07-01", attendees: "ممثلو الطرفين", minutes: "لم تسجل حالات إخلال." })),
    ).toEqual({ ok: true });
    expect(await as(t, (trx) => recordMeeting(trx, actorOf(t), a.id, { quarterStart: "2026-06-14", heldOn: "2026-07-01", attendees: "أ", minutes: "ب" }))).toEqual({
      ok: false,
      reason: "not_a_quarter",
    });
    expect(await as(t, (trx) => recordMeeting(trx, actorOf(t), a.id, { quarterStart: "2026-09-13", heldOn: "2026-07-01", attendees: "أ", minutes: "ب" }))).toEqual({
      ok: false,
      reason: "not_a_quarter",
    });
    expect((await remind("2026-09-03")).meeting).toBe(0);
    const meetingNotes = await as(t, (trx) => trx.selectFrom("notifications").select(["dedupe_key"]).where("kind", "=", "agreement.meeting_due").execute());
    // Quarter 4 (meeting Thursday 12 March 2026) was reminded of by the run on that day above; quarter 5 once; quarter 6 not.
    expect(new Set(meetingNotes.map((n) => n.dedupe_key))).toEqual(new Set([`sla-agreement:meeting:${a.id}:2025-12-13`, `sla-agreement:meeting:${a.id}:2026-03-13`]));
  });

  it("puts a linked step under a deadline policy with the agreement's response time and ladder; a late task's breach reaches the ledger; cancellation removes the policy", async () => {
    const t = await makeOrg(db(), { calendar: "default" });
    await setUp(t);
    const { definitionId } = await publishFixture(db(), t.org.id, threeStepFlow("family-verify"));
    const service = await as(t, (trx) => createService(trx, actorOf(t), { ...workedExampleService({ ar: "دائرة", en: "Dept" }, t.units.a), nameAr: "تحديث بيانات أسرة مستفيدة", workflowKey: "family-verify" }));
    if (!service.ok) throw new Error(service.reason);
    const linkable = await as(t, (trx) => linkableServices(trx, t.org.id));
    expect(linkable).toEqual([{ serviceId: service.id, code: service.code, name: { ar: "تحديث بيانات أسرة مستفيدة", en: expect.any(String) }, steps: expect.any(Array) }]);
    expect(linkable[0]!.steps.map((s) => s.nodeId)).toEqual(["s1", "s2", "s3"]);

    // Provider's level 2 is a member here (the manager); the others fall back to our monitor (the manager too) — use the staff member for level 1.
    const base = content(t);
    base.provider.ladder[0]!.userId = t.staff.id;
    const a = await as(t, (trx) => createAgreement(trx, actorOf(t), base));
    const link = { serviceId: service.id, nodeId: "s1", channel: "letter" as const, responsibleSide: "provider" as const };
    expect(await as(t, (trx) => setLinks(trx, actorOf(t), a.id, [{ ...link, nodeId: "nope" }]))).toEqual({ ok: false, reason: "invalid_step", detail: "nope" });
    expect(await as(t, (trx) => setLinks(trx, actorOf(t), a.id, [link]))).toEqual({ ok: true });
    // Not in force yet: no policy, but the card already names the agreement.
    expect((await view(t, a.id))!.links).toEqual([
      expect.objectContaining({ serviceId: service.id, serviceCode: service.code, nodeId: "s1", stepName: { ar: "استلام الطلب", en: "Receive the request" }, channel: "letter", responsibleSide: "provider", policyId: null }),
    ]);
    expect((await as(t, (trx) => findService(trx, t.org.id, service.id)))!.sla_reference).toBe(a.number);
    // Another agreement cannot take the same step.
    const b = await created(t);
    expect(await as(t, (trx) => setLinks(trx, actorOf(t), b.id, [link]))).toEqual({ ok: false, reason: "taken", detail: a.number });

    await sign(t, a.id, 1);
    const policyId = (await view(t, a.id))!.links[0]!.policyId;
    expect(policyId).not.toBeNull();
    const policy = await as(t, (trx) => trx.selectFrom("deadline_policies").selectAll().where("id", "=", policyId!).executeTakeFirstOrThrow());
    expect(policy).toMatchObject({
      definition_id: definitionId,
      scope: "step",
      node_id: "s1",
      name_ar: `${a.number} — اتفاق مستوى خدمة التحقق من بيانات الأسر المستفيدة`,
      response_minutes: null,
      resolution_minutes: 5 * 7 * 60,
      warn_percents: [75],
      active: true,
    });
    expect(policy.levels).toEqual([
      { afterMinutes: 8 * 60, assignee: { type: "user", userId: t.staff.id }, actions: ["notify"] },
      { afterMinutes: 16 * 60, assignee: { type: "user", userId: t.manager.id }, actions: ["notify"] },
      { afterMinutes: 24 * 60, assignee: { type: "user", userId: t.manager.id }, actions: ["notify"] },
      { afterMinutes: 40 * 60, assignee: { type: "user", userId: t.manager.id }, actions: ["notify"] },
    ]);

    // A new signed version with another reply time for letters: the same policy takes the new terms.
    let v = await view(t, a.id);
    const next = structuredClone(v!.signed!.content);
    next.responseTimes.letterMinutes = 3 * 7 * 60;
    await as(t, (trx) => saveAgreement(trx, actorOf(t), a.id, next, { expectedRowVersion: v!.rowVersion, changeNote: "تقليص زمن الرد" }));
    expect((await as(t, (trx) => trx.selectFrom("deadline_policies").select("resolution_minutes").where("id", "=", policyId!).executeTakeFirstOrThrow())).resolution_minutes).toBe(5 * 7 * 60);
    await sign(t, a.id, 2);
    expect((await as(t, (trx) => trx.selectFrom("deadline_policies").select("resolution_minutes").where("id", "=", policyId!).executeTakeFirstOrThrow())).resolution_minutes).toBe(3 * 7 * 60);

    // A request's first step runs late: the deadline engine's breach reaches the agreement's ledger with its case.
    setTestClock(noon("2026-03-01"));
    const staff = await actorFor(t.org.id, t.staff.id);
    const started = await as(t, (trx) => startCase(trx, staff, { definitionKey: "family-verify", data: {} }), t.staff.id);
    const clock = await as(t, (trx) => trx.selectFrom("deadline_clocks").select(["id", "policy_id"]).where("task_id", "=", started.tasks[0]!.id).executeTakeFirstOrThrow());
    expect(clock.policy_id).toBe(policyId);
    await fireDueSla(db(), noon("2026-03-20"), { orgId: t.org.id });
    expect(await as(t, (trx) => importDeadlineBreaches(trx, t.org.id, a.id))).toBe(1);
    expect(await as(t, (trx) => importDeadlineBreaches(trx, t.org.id))).toBe(0);
    const reference = (await as(t, (trx) => trx.selectFrom("cases").select("reference").where("id", "=", started.caseId).executeTakeFirstOrThrow())).reference;
    let ledger = await as(t, (trx) => listBreaches(trx, t.org.id, a.id));
    expect(ledger).toEqual([
      expect.objectContaining({ source: "deadline", caseId: started.caseId, caseReference: reference, side: "provider", cause: "", fix: "", rowVersion: 1, recordedByName: null }),
    ]);
    expect(ledger[0]!.description).toContain(reference);

    // A breach recorded by hand, and causes and fixes with the page's row version.
    const manual = await as(t, (trx) =>
      recordBreach(trx, actorOf(t, t.staff), a.id, { occurredAt: "2026-03-22T10:00:00+03:00", side: "provider", description: "لم يصل الرد على الخطاب رقم 12", cause: "", fix: "" }),
    );
    if (!manual.ok) throw new Error(manual.reason);
    expect(await as(t, (trx) => updateBreach(trx, actorOf(t), manual.id, { cause: "غياب الموظف المختص", fix: "تعيين بديل", expectedRowVersion: 1 }))).toEqual({ ok: true });
    expect(await as(t, (trx) => updateBreach(trx, actorOf(t), manual.id, { cause: "سبب آخر", fix: "حل آخر", expectedRowVersion: 1 }))).toEqual({ ok: false, reason: "conflict" });
    expect(await as(t, (trx) => updateBreach(trx, actorOf(t), ledger[0]!.id, { cause: "ضغط العمل لدى الوزارة", fix: "إضافة موظف للتحقق", expectedRowVersion: 1 }))).toEqual({ ok: true });
    ledger = await as(t, (trx) => listBreaches(trx, t.org.id, a.id));
    expect(ledger.map((b) => [b.source, b.cause, b.fix, b.rowVersion])).toEqual([
      ["deadline", "ضغط العمل لدى الوزارة", "إضافة موظف للتحقق", 2],
      ["manual", "غياب الموظف المختص", "تعيين بديل", 2],
    ]);
    expect(ledger[1]!.recordedByName).toContain("staff");
    // A quarter's breaches (quarter 5: 13 March – 12 June 2026; the engine's breach fell due before).
    expect((await as(t, (trx) => listBreaches(trx, t.org.id, a.id, { from: "2026-03-13", to: "2026-06-13" }))).map((b) => b.source)).toEqual(["manual"]);
    const quarters = await as(t, async (trx) => listQuarters(trx, t.org.id, a.id, "2026-04-01", (await orgToday(trx, t.org.id)).calendar));
    expect(quarters.map((q) => q.breaches)).toEqual([0, 0, 0, 1, 1]);

    // Cancelled: once the day comes, the daily job removes the policy and the card's reference.
    setTestClock(noon("2026-04-09"));
    const cancelled = await requestCancellationNow(t, a.id, { side: "recipient", letterDate: "2026-04-09", letterRef: "د خ ج/77", effectiveDate: "2026-05-10", reason: "انتهاء الحاجة" });
    expect(cancelled).toEqual({ ok: true });
    await as(t, (trx) => runDaily(trx, t.org.id, noon("2026-05-09")));
    expect((await view(t, a.id, "2026-05-09"))!.links[0]!.policyId).toBe(policyId);
    await as(t, (trx) => runDaily(trx, t.org.id, noon("2026-05-10")));
    v = await view(t, a.id, "2026-05-10");
    expect(v!.phase).toBe("cancelled");
    expect(v!.links[0]!.policyId).toBeNull();
    expect(await as(t, (trx) => trx.selectFrom("deadline_policies").select("id").where("id", "=", policyId!).execute())).toEqual([]);
    expect((await as(t, (trx) => findService(trx, t.org.id, service.id)))!.sla_reference).toBe("");
  });

  it("another organisation sees nothing of an agreement", async () => {
    const t = await makeOrg(db(), { calendar: "default" });
    const other = await makeOrg(db(), { calendar: "default" });
    await setUp(t);
    await setUp(other);
    const a = await created(t);
    await sign(t, a.id, 1);
    // Even naming the first organisation's id, the tenant's transaction finds nothing.
    expect(await as(other, async (trx) => getAgreement(trx, t.org.id, a.id, "2025-06-01", null, SLA_DEFAULTS), other.admin.id)).toBeUndefined();
    expect(await as(other, (trx) => getAgreement(trx, other.org.id, a.id, "2025-06-01", null, SLA_DEFAULTS), other.admin.id)).toBeUndefined();
    expect((await as(other, (trx) => listAgreements(trx, other.org.id, { page: 1, pageSize: 10, today: "2025-06-01" }), other.admin.id)).total).toBe(0);
    expect(await as(other, (trx) => tables(trx).selectFrom("sla_agreement_version").select("id").where("agreement_id", "=", a.id).execute(), other.admin.id)).toEqual([]);
    expect(await as(other, (trx) => recordBreach(trx, actorOf(other), a.id, { occurredAt: "2025-06-01T10:00:00+03:00", side: "provider", description: "x", cause: "", fix: "" }), other.admin.id)).toEqual({
      ok: false,
      reason: "not_found",
    });
    expect(await as(other, (trx) => saveAgreement(trx, actorOf(other), a.id, content(other), { expectedRowVersion: 1, changeNote: "x" }), other.admin.id)).toEqual({ ok: false, reason: "not_found" });
    // Writing a row for the other organisation is refused by the database.
    await expect(
      as(other, (trx) => tables(trx).insertInto("sla_agreement_breach").values({ org_id: t.org.id, agreement_id: a.id, occurred_at: new Date(), side: "provider", description: "x", recorded_by: null }).execute(), other.admin.id),
    ).rejects.toThrow(/row-level security/);
  });

  it("the demo: a signed agreement in version 2 with its history, ladders, breaches, a meeting, a pending review and the verification step linked", async () => {
    const t = await makeOrg(db(), { calendar: "default" });
    await withPlatform(db(), (trx) =>
      trx
        .insertInto("org_units")
        .values([
          { org_id: t.org.id, code: "16", name_ar: "إدارة خدمة المتعاملين", name_en: "Customer Service Department" },
          { org_id: t.org.id, code: "20", name_ar: "الشؤون الإدارية والمالية", name_en: "Administrative and Financial Affairs" },
        ])
        .execute(),
    );
    await setUp(t);
    const seedInput = { orgId: t.org.id, slug: "social-services", adminUserId: t.admin.id };
    await as(t, async (trx) => {
      await seedForms(trx, seedInput);
      await seedWorkflows(trx, seedInput);
      for (const [id, seed] of [
        ["service-catalogue", seedCatalogue],
        ["sla", seedAgreements],
      ] as const) {
        const settings = await currentSettings(trx, t.org.id, id);
        await seed({ trx, orgId: t.org.id, adminUserId: t.admin.id, orgSlug: "social-services", settings: settings.values, settingsVersion: settings.version, now: new Date() });
      }
    });
    const { today } = await as(t, (trx) => orgToday(trx, t.org.id, new Date()));
    const list = await as(t, (trx) => listAgreements(trx, t.org.id, { page: 1, pageSize: 10, today }));
    expect(list.rows).toEqual([
      expect.objectContaining({ number: "SLA-1", nameAr: DEMO_AGREEMENT_NAME, counterpart: "وزارة العمل والتنمية الاجتماعية", ourSide: "recipient", phase: "active", signedVersion: 2, draftVersion: null, breaches: 2 }),
    ]);
    const v = (await view(t, list.rows[0]!.id, today))!;
    expect(v.signed!.content.responseTimes).toEqual({ emailMinutes: 2 * 7 * 60, letterMinutes: 5 * 7 * 60 });
    expect(v.signed!.content.provider.ladder).toHaveLength(4);
    expect(v.signed!.content.recipient.ladder.every((l) => l.name && l.title)).toBe(true);
    expect(v.history.map((h) => [h.version, h.kind])).toEqual([
      [1, "version"],
      [1, "signed"],
      [1, "minor"],
      [2, "version"],
      [2, "signed"],
    ]);
    // The history runs over the year, in order.
    expect(v.history.map((h) => h.at.getTime())).toEqual([...v.history.map((h) => h.at.getTime())].sort((a, b) => a - b));
    // The review of the current term is coming up: its reminder is later than today, before the term ends.
    expect(v.reviewReminder! > today).toBe(true);
    expect(v.reviewReminder! < v.term!.end).toBe(true);
    const breaches = await as(t, (trx) => listBreaches(trx, t.org.id, v.id));
    expect(breaches.map((b) => [b.source, Boolean(b.cause), Boolean(b.fix)])).toEqual([
      ["manual", true, true],
      ["manual", true, true],
    ]);
    const quarters = await as(t, async (trx) => listQuarters(trx, t.org.id, v.id, today, (await orgToday(trx, t.org.id, new Date())).calendar));
    expect(quarters.map((q) => [q.meeting !== null, q.breaches])).toEqual([
      [false, 0],
      [false, 0],
      [true, 2],
      [false, 0],
    ]);
    expect(v.links).toEqual([expect.objectContaining({ nodeId: "verify", channel: "email", responsibleSide: "provider", stepName: { ar: "التحقق من البيانات", en: "Check the details" } })]);
    expect(v.links[0]!.policyId).not.toBeNull();
    const service = await as(t, (trx) => findService(trx, t.org.id, v.links[0]!.serviceId));
    expect(service!.sla_reference).toBe("SLA-1");
  });
});
