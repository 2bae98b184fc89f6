import i18next from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { CALENDAR_PRESETS } from "~/engine/calendar-presets";
import { addDuration } from "~/engine/time";
import resources from "~/locales";
import { changeCalendar, getCalendarSettings, loadBusinessCalendar } from "~/models/business-calendar.server";
import { CaseRun } from "~/models/case-runner.server";
import { fireDueTimers } from "~/models/case-timers.server";
import { startCase } from "~/models/cases.server";
import { displayPrefs } from "~/models/organisations.server";
import { getPublishedVersion } from "~/models/published-versions.server";
import type { AuditActor } from "~/utils/audit-actor.server";
import { performCalendarAction } from "~/utils/calendar-admin.server";
import { HOURS_EXAMPLES } from "~/utils/calendar-hours";
import type { SessionUser } from "~/utils/context.server";
import { withPlatform, withTenant } from "~/utils/db.server";
import type { OrgContext } from "~/utils/org-context.server";
import { definitionGraph } from "~/engine/definition";
import { publishFixture, timerFlow } from "../fixtures/workflows";
import { actorFor } from "./engine-helpers";
import { makeOrg, testDb, type TestOrg } from "./helpers";

// Business calendars on a real database: the engine's timers and task due dates in an
// organisation with the Friday–Saturday preset and a holiday, and the calendar page's
// changes (validated, audited with before/after, nothing written when refused).

const riyadh = (local: string) => new Date(`${local}+03:00`);
const l = (ar: string, en: string) => ({ ar, en });

/** start → intake (staff, due P2D) → end. */
const dueFlow = definitionGraph.parse({
  key: "complaint-reply",
  name: l("الرد على شكوى", "Reply to a complaint"),
  lanes: [{ id: "staff", name: l("الموظفون", "Staff"), assignee: { type: "role", roleKey: "staff" } }],
  nodes: [
    { id: "start", kind: "start", name: l("بداية", "Start") },
    { id: "intake", kind: "task", lane: "staff", due: "P2D", name: l("دراسة الشكوى", "Study the complaint") },
    { id: "end", kind: "end", name: l("نهاية", "End") },
  ],
  edges: [
    { id: "e1", source: "start", target: "intake" },
    { id: "e2", source: "intake", target: "end" },
  ],
});

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({ lng: "ar", resources, ns: ["common", "calendar"], defaultNS: "calendar", interpolation: { escapeValue: false } });
});
const t = (key: string, options?: Record<string, unknown>) => i18n.getFixedT("ar", "calendar")(key, options) as string;

async function adminContext(o: TestOrg): Promise<{ ctx: OrgContext; audit: AuditActor }> {
  const actor = await actorFor(o.org.id, o.admin.id);
  const org = await withPlatform(testDb(), (trx) => trx.selectFrom("organisations").selectAll().where("id", "=", o.org.id).executeTakeFirstOrThrow());
  const user: SessionUser = { id: o.admin.id, email: o.admin.email, name: "مدير النظام", locale: "ar", isPlatformAdmin: false, sessionHash: "", currentOrgId: o.org.id };
  const ctx: OrgContext = { ...actor, user, org, scope: { orgId: o.org.id, userId: o.admin.id }, roleKeys: ["admin"], rules: [], prefs: displayPrefs(org, "ar"), locale: "ar" };
  return { ctx, audit: { orgId: o.org.id, actorUserId: o.admin.id, actorLabel: o.admin.email, requestId: null, ip: null } };
}

function form(fields: Record<string, string | File>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
}

const weekFields = (week: { start: number; end: number }[][]) =>
  Object.fromEntries(week.map((d, wd) => [`day${wd}`, d.map((i) => `${String(Math.floor(i.start / 60)).padStart(2, "0")}:${String(i.start % 60).padStart(2, "0")}-${String(Math.floor(i.end / 60)).padStart(2, "0")}:${String(i.end % 60).padStart(2, "0")}`).join(", ")]));

const auditRows = (o: TestOrg, prefix = "calendar.") =>
  withPlatform(testDb(), (trx) =>
    trx.selectFrom("audit_log").select(["action", "subject_type", "before", "after", "actor_user_id"]).where("org_id", "=", o.org.id).where("action", "like", `${prefix}%`).orderBy("seq").execute(),
  );

const calendarRow = (o: TestOrg) => withPlatform(testDb(), (trx) => trx.selectFrom("business_calendars").selectAll().where("org_id", "=", o.org.id).executeTakeFirst());

describe("deadlines in an organisation with the Friday–Saturday preset and a holiday", () => {
  let o: TestOrg;

  beforeAll(async () => {
    o = await makeOrg(testDb(), { calendar: "default" });
    const { audit } = await adminContext(o);
    // Sunday 8 March 2026 is a holiday: the first working day after the weekend is Monday.
    const added = await withTenant(testDb(), { orgId: o.org.id, userId: o.admin.id }, (trx) =>
      changeCalendar(trx, audit, { kind: "holidays.add", holidays: [{ name: "عطلة رسمية", from: "2026-03-08", to: "2026-03-08" }], source: "manual" }),
    );
    expect(added).toMatchObject({ ok: true, changed: true, added: 1 });
    await publishFixture(testDb(), o.org.id, timerFlow("weekend-wait", "PT3H"));
    await publishFixture(testDb(), o.org.id, dueFlow);
  });

  it("without a saved week the organisation works to the Saudi preset in its own zone", async () => {
    const cal = await withTenant(testDb(), { orgId: o.org.id }, (trx) => loadBusinessCalendar(trx, o.org.id));
    expect(cal).toMatchObject({ timeZone: "Asia/Riyadh", week: CALENDAR_PRESETS.sa.week, holidays: [{ from: "2026-03-08" }] });
  });

  it("a PT3H timer started on Thursday afternoon fires on Monday morning, not during the weekend or the holiday", async () => {
    const thursday = riyadh("2026-03-05T13:00:00");
    const caseId = await withTenant(testDb(), { orgId: o.org.id, userId: o.staff.id }, async (trx) => {
      const run = new CaseRun(trx, o.org.id, o.staff.id, thursday);
      const version = await getPublishedVersion(trx, o.org.id, "weekend-wait");
      const kase = await run.startCase({ version: version!, data: {} });
      await run.flush();
      return kase.id;
    });
    const timer = await withTenant(testDb(), { orgId: o.org.id }, (trx) => trx.selectFrom("case_timers").select(["due_at", "fired_at"]).where("case_id", "=", caseId).executeTakeFirstOrThrow());
    // 1.5 h on Thursday (until 14:30), Friday–Saturday weekend, Sunday holiday, 1.5 h on Monday.
    expect(timer.due_at.toISOString()).toBe(riyadh("2026-03-09T09:00:00").toISOString());

    // A clock moved to just before: nothing; to the due time: it fires and the next task opens.
    expect(await fireDueTimers(testDb(), riyadh("2026-03-09T08:59:59"), { orgId: o.org.id })).toBe(0);
    expect(await fireDueTimers(testDb(), riyadh("2026-03-09T09:00:00"), { orgId: o.org.id })).toBe(1);
    const after = await withTenant(testDb(), { orgId: o.org.id }, (trx) => trx.selectFrom("tasks").select("node_id").where("case_id", "=", caseId).execute());
    expect(after).toEqual([{ node_id: "after" }]);
  });

  it("a task due in two working days from Thursday is due at Tuesday's close (the holiday Sunday skipped)", async () => {
    const due = await withTenant(testDb(), { orgId: o.org.id, userId: o.staff.id }, async (trx) => {
      const run = new CaseRun(trx, o.org.id, o.staff.id, riyadh("2026-03-05T10:00:00"));
      await run.startCase({ version: (await getPublishedVersion(trx, o.org.id, "complaint-reply"))!, data: {} });
      await run.flush();
      return trx.selectFrom("tasks").select("due_at").where("id", "=", run.createdTasks[0]!.id).executeTakeFirstOrThrow();
    });
    expect(due.due_at!.toISOString()).toBe(riyadh("2026-03-10T14:30:00").toISOString());
  });

  it("the service (startCase, real clock) stores the business-time due date", async () => {
    const staff = await actorFor(o.org.id, o.staff.id);
    const started = await withTenant(testDb(), { orgId: o.org.id, userId: o.staff.id }, (trx) => startCase(trx, staff, { definitionKey: "complaint-reply", data: {} }));
    const task = await withTenant(testDb(), { orgId: o.org.id }, (trx) => trx.selectFrom("tasks").select(["due_at", "created_at"]).where("id", "=", started.tasks[0]!.id).executeTakeFirstOrThrow());
    const cal = await withTenant(testDb(), { orgId: o.org.id }, (trx) => loadBusinessCalendar(trx, o.org.id));
    expect(task.due_at!.toISOString()).toBe(addDuration(task.created_at, "P2D", cal).toISOString());
    // Close of business in Riyadh (14:30 = 11:30 UTC), never two elapsed days.
    expect(task.due_at!.toISOString().slice(11, 16)).toBe("11:30");
    expect(task.due_at!.getTime() - task.created_at.getTime()).not.toBe(2 * 24 * 3600 * 1000);
  });

  it("an organisation counting elapsed time keeps now + duration", async () => {
    const elapsed = await makeOrg();
    await publishFixture(testDb(), elapsed.org.id, dueFlow);
    const due = await withTenant(testDb(), { orgId: elapsed.org.id, userId: elapsed.staff.id }, async (trx) => {
      const run = new CaseRun(trx, elapsed.org.id, elapsed.staff.id, riyadh("2026-03-05T10:00:00"));
      await run.startCase({ version: (await getPublishedVersion(trx, elapsed.org.id, "complaint-reply"))!, data: {} });
      await run.flush();
      return trx.selectFrom("tasks").select("due_at").where("id", "=", run.createdTasks[0]!.id).executeTakeFirstOrThrow();
    });
    expect(due.due_at!.toISOString()).toBe(riyadh("2026-03-07T10:00:00").toISOString());
  });
});

describe("the calendar page's changes", () => {
  it("saving a preset is audited with before and after; the engine then uses it", async () => {
    const o = await makeOrg(testDb(), { calendar: "default" });
    const { ctx, audit } = await adminContext(o);
    const result = await performCalendarAction(ctx, audit, form({ intent: "week", mode: "business", preset: "ae-federal", ...weekFields(CALENDAR_PRESETS["ae-federal"].week) }), t);
    expect(result).toEqual({ ok: true, intent: "week", message: t("week.saved") });
    const rows = await auditRows(o);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: "calendar.week.update",
      subject_type: "BusinessCalendar",
      actor_user_id: o.admin.id,
      before: { mode: "business", preset: "sa", week: CALENDAR_PRESETS.sa.week },
      after: { mode: "business", preset: "ae-federal", week: CALENDAR_PRESETS["ae-federal"].week },
    });
    const cal = await withTenant(testDb(), { orgId: o.org.id }, (trx) => loadBusinessCalendar(trx, o.org.id));
    expect(cal?.week).toEqual(CALENDAR_PRESETS["ae-federal"].week);
    // Saving the same again changes nothing and logs nothing.
    const again = await performCalendarAction(ctx, audit, form({ intent: "week", mode: "business", preset: "ae-federal", ...weekFields(CALENDAR_PRESETS["ae-federal"].week) }), t);
    expect(again).toMatchObject({ ok: true, message: t("unchanged") });
    expect(await auditRows(o)).toHaveLength(1);
  });

  it("refuses a week without working time or with unreadable hours: field errors, input kept, nothing written", async () => {
    const o = await makeOrg(testDb(), { calendar: "default" });
    const { ctx, audit } = await adminContext(o);
    const empty = Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((wd) => [`day${wd}`, ""]));
    const closed = await performCalendarAction(ctx, audit, form({ intent: "week", mode: "business", preset: "", ...empty }), t);
    expect(closed).toMatchObject({ ok: false, status: 400, fieldErrors: { week: t("problems.no_working_time") } });
    const typo = { ...weekFields(CALENDAR_PRESETS.sa.week), day3: "٠٧:٣٠ حتى ١٤:٣٠", day1: "08:00-12:00, 11:00-15:00" };
    const unreadable = await performCalendarAction(ctx, audit, form({ intent: "week", mode: "business", preset: "", ...typo }), t);
    expect(unreadable).toMatchObject({ ok: false, status: 400, fieldErrors: { day3: t("errors.hours", HOURS_EXAMPLES) }, values: { day3: "٠٧:٣٠ حتى ١٤:٣٠" } });
    const overlap = await performCalendarAction(ctx, audit, form({ intent: "week", mode: "business", preset: "", ...typo, day3: "٠٧:٣٠-١٤:٣٠" }), t);
    expect(overlap).toMatchObject({ ok: false, fieldErrors: { day1: t("problems.interval_overlap") } });
    expect(await calendarRow(o)).toBeUndefined();
    expect(await auditRows(o)).toEqual([]);
  });

  it("holidays: add (audited), refuse the same dates twice, remove (audited with what was removed)", async () => {
    const o = await makeOrg(testDb(), { calendar: "default" });
    const { ctx, audit } = await adminContext(o);
    const add = await performCalendarAction(ctx, audit, form({ intent: "holiday-add", name: "عطلة عيد الفطر", from: "٢٠٢٦-٠٣-١٩", to: "2026-03-24" }), t);
    expect(add).toMatchObject({ ok: true, message: t("holidays.added") });
    const twice = await performCalendarAction(ctx, audit, form({ intent: "holiday-add", name: "عيد الفطر", from: "2026-03-19", to: "2026-03-24" }), t);
    expect(twice).toMatchObject({ ok: false, fieldErrors: { from: t("holidays.duplicate") }, values: { name: "عيد الفطر" } });
    const undated = await performCalendarAction(ctx, audit, form({ intent: "holiday-add", name: "بلا تاريخ", from: "", to: "" }), t);
    expect(undated).toMatchObject({ ok: false, fieldErrors: { from: t("errors.dateRequired") }, values: { name: "بلا تاريخ" } });
    expect((undated as { fieldErrors: Record<string, string> }).fieldErrors.to).toBeUndefined();
    const reversed = await performCalendarAction(ctx, audit, form({ intent: "holiday-add", name: "خطأ", from: "2026-04-02", to: "2026-04-01" }), t);
    expect(reversed).toMatchObject({ ok: false, fieldErrors: { to: t("problems.range_reversed") } });
    const settings = await withTenant(testDb(), { orgId: o.org.id }, (trx) => getCalendarSettings(trx, o.org.id));
    expect(settings.holidays).toEqual([{ id: expect.any(String), name: "عطلة عيد الفطر", from: "2026-03-19", to: "2026-03-24" }]);
    const removed = await performCalendarAction(ctx, audit, form({ intent: "holiday-remove", id: settings.holidays[0]!.id }), t);
    expect(removed).toMatchObject({ ok: true, message: t("holidays.removed") });
    const gone = await performCalendarAction(ctx, audit, form({ intent: "holiday-remove", id: settings.holidays[0]!.id }), t);
    expect(gone).toMatchObject({ ok: false, status: 404 });
    const rows = await auditRows(o);
    expect(rows.map((r) => r.action)).toEqual(["calendar.holiday.add", "calendar.holiday.remove"]);
    expect(rows[0]).toMatchObject({ before: null, after: { name: "عطلة عيد الفطر", from: "2026-03-19", to: "2026-03-24" } });
    expect(rows[1]).toMatchObject({ before: { name: "عطلة عيد الفطر" }, after: null });
  });

  it("Ramadan hours: added with per-weekday hours; an overlapping period is refused next to its dates", async () => {
    const o = await makeOrg(testDb(), { calendar: "default" });
    const { ctx, audit } = await adminContext(o);
    const ramadan = { intent: "override-add", name: "رمضان ١٤٤٧", from: "2026-02-18", to: "2026-03-19", ...weekFields(CALENDAR_PRESETS.sa.ramadan) };
    expect(await performCalendarAction(ctx, audit, form(ramadan), t)).toMatchObject({ ok: true });
    const overlap = await performCalendarAction(ctx, audit, form({ ...ramadan, name: "نصف يوم", from: "2026-03-19", to: "" }), t);
    expect(overlap).toMatchObject({ ok: false, fieldErrors: { from: t("problems.override_overlap") } });
    const cal = await withTenant(testDb(), { orgId: o.org.id }, (trx) => loadBusinessCalendar(trx, o.org.id));
    // In Ramadan the office opens at 10:00: one working hour from 08:00 ends at 11:00.
    expect(addDuration(riyadh("2026-03-01T08:00:00"), "PT1H", cal).toISOString()).toBe(riyadh("2026-03-01T11:00:00").toISOString());
    expect((await auditRows(o)).map((r) => r.action)).toEqual(["calendar.override.add"]);
  });

  it("iCalendar import: a preview marks what is new, the import adds only that, hostile files are refused", async () => {
    const o = await makeOrg(testDb(), { calendar: "default" });
    const { ctx, audit } = await adminContext(o);
    await performCalendarAction(ctx, audit, form({ intent: "holiday-add", name: "اليوم الوطني", from: "2026-09-23", to: "" }), t);
    const ics = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "BEGIN:VEVENT",
      "DTSTART;VALUE=DATE:20260527",
      "DTEND;VALUE=DATE:20260531",
      "SUMMARY:عطلة عيد الأضحى",
      "END:VEVENT",
      "BEGIN:VEVENT",
      "DTSTART;VALUE=DATE:20260923",
      "SUMMARY:اليوم الوطني",
      "END:VEVENT",
      "BEGIN:VEVENT",
      "DTSTART;VALUE=DATE:20260222",
      "RRULE:FREQ=YEARLY",
      "SUMMARY:يوم التأسيس",
      "END:VEVENT",
      "END:VCALENDAR",
    ].join("\r\n");
    const file = new File([ics], "holidays-1447.ics", { type: "text/calendar" });
    const preview = await performCalendarAction(ctx, audit, form({ intent: "ics-preview", file }), t);
    expect(preview).toMatchObject({
      ok: true,
      preview: {
        fileName: "holidays-1447.ics",
        rows: [
          { name: "عطلة عيد الأضحى", from: "2026-05-27", to: "2026-05-30", duplicate: false },
          { name: "اليوم الوطني", from: "2026-09-23", to: "2026-09-23", duplicate: true },
        ],
        skipped: [{ name: "يوم التأسيس", reason: t("ics.skip.repeating") }],
      },
    });
    // The preview wrote nothing.
    expect((await auditRows(o)).map((r) => r.action)).toEqual(["calendar.holiday.add"]);
    const entries = JSON.stringify([{ name: "عطلة عيد الأضحى", from: "2026-05-27", to: "2026-05-30" }]);
    expect(await performCalendarAction(ctx, audit, form({ intent: "ics-import", entries }), t)).toMatchObject({ ok: true, message: t("ics.imported", { count: 1 }) });
    expect(await performCalendarAction(ctx, audit, form({ intent: "ics-import", entries }), t)).toMatchObject({ ok: true, message: t("ics.nothing") });
    const rows = await auditRows(o);
    expect(rows.map((r) => r.action)).toEqual(["calendar.holiday.add", "calendar.holidays.import"]);
    expect(rows[1]!.after).toEqual([{ id: expect.any(String), name: "عطلة عيد الأضحى", from: "2026-05-27", to: "2026-05-30" }]);

    const notCalendar = await performCalendarAction(ctx, audit, form({ intent: "ics-preview", file: new File(["name,date\nEid,2026-03-20"], "eid.csv") }), t);
    expect(notCalendar).toMatchObject({ ok: false, fieldErrors: { file: t("ics.errors.not_calendar") } });
    const huge = await performCalendarAction(ctx, audit, form({ intent: "ics-preview", file: new File(["x".repeat(600 * 1024)], "big.ics") }), t);
    expect(huge).toMatchObject({ ok: false, status: 413 });
    const forged = await performCalendarAction(ctx, audit, form({ intent: "ics-import", entries: JSON.stringify([{ name: "x", from: "2026-13-01", to: "2026-13-02" }]) }), t);
    expect(forged).toMatchObject({ ok: false, message: t("ics.errors.entries") });
  });

  it("two admins adding holidays at once: both are kept, each audited", async () => {
    const o = await makeOrg(testDb(), { calendar: "default" });
    const { ctx, audit } = await adminContext(o);
    const results = await Promise.all(
      ["2026-01-01", "2026-01-02", "2026-01-03"].map((d) => performCalendarAction(ctx, audit, form({ intent: "holiday-add", name: `عطلة ${d}`, from: d, to: "" }), t)),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const settings = await withTenant(testDb(), { orgId: o.org.id }, (trx) => getCalendarSettings(trx, o.org.id));
    expect(settings.holidays.map((h) => h.from).sort()).toEqual(["2026-01-01", "2026-01-02", "2026-01-03"]);
    expect(await auditRows(o)).toHaveLength(3);
  });

  it("another organisation cannot read the calendar (row-level security)", async () => {
    const a = await makeOrg(testDb(), { calendar: "default" });
    const b = await makeOrg(testDb(), { calendar: "default" });
    const { ctx, audit } = await adminContext(a);
    await performCalendarAction(ctx, audit, form({ intent: "holiday-add", name: "عطلة", from: "2026-02-22", to: "" }), t);
    const seenByB = await withTenant(testDb(), { orgId: b.org.id }, (trx) => trx.selectFrom("business_calendars").select("org_id").execute());
    expect(seenByB).toEqual([]);
    const settingsForB = await withTenant(testDb(), { orgId: b.org.id }, (trx) => getCalendarSettings(trx, b.org.id));
    expect(settingsForB).toMatchObject({ saved: false, holidays: [] });
  });
});
