import { describe, expect, it } from "vitest";
import type { BusinessCalendar } from "~/engine/calendar";
import { presetCalendar } from "~/engine/calendar-presets";
import { addMonths, dayOf, isoDay } from "~/engine/zoned-time";
import {
  agreementPhase,
  classifyChange,
  currentTerm,
  defaultLadder,
  earliestCancellationDate,
  ladderAssignees,
  quartersUntil,
  reviewReminderDate,
  workingDayOnOrAfter,
  workingDayOnOrBefore,
  type AgreementContent,
} from "./agreement";

// The agreement's rules from the guide's template (seeds/004 chapter 5), on a Sunday–Thursday
// week (Friday–Saturday weekend) with a holiday.

/** Riyadh's Sunday–Thursday week with a two-day holiday (Thu 14 and Sun 17 May 2026 are days off). */
function calendar(): BusinessCalendar {
  const cal = presetCalendar("sa", "Asia/Riyadh");
  cal.holidays = [
    { name: "عطلة رسمية", from: "2026-05-14", to: "2026-05-14" },
    { name: "عطلة رسمية", from: "2026-05-17", to: "2026-05-18" },
  ];
  return cal;
}

function content(): AgreementContent {
  const party = (entity: string, unit: string) => ({
    entity,
    monitor: { unit, name: "سالم العتيبي", title: "رئيس قسم المتابعة", email: "monitor@example.gov", userId: null },
    ladder: defaultLadder([480, 960, 1440, 2400]).map((l, i) => ({ ...l, name: `المسؤول ${i + 1}`, title: `المسمى ${i + 1}`, email: `level${i + 1}@example.gov` })),
    responsibilities: ["تزويد الطرف الآخر بالبيانات المطلوبة"],
  });
  return {
    nameAr: "اتفاق مستوى خدمة التحقق من بيانات الأسر المستفيدة",
    nameEn: "Beneficiary family data verification SLA",
    introduction: "مقدمة",
    objectives: ["تحديد الأدوار والمسؤوليات لكل طرف."],
    provider: party("وزارة العمل والتنمية الاجتماعية", "إدارة تقنية المعلومات"),
    recipient: party("دائرة الخدمات الاجتماعية", "قسم خدمة المتعاملين"),
    ourSide: "recipient",
    term: { startDate: "2025-03-01", months: 12, autoRenew: true },
    majorChangesNote: "",
    responseTimes: { emailMinutes: 2 * 7 * 60, letterMinutes: 5 * 7 * 60 },
  };
}

const edit = (fn: (c: AgreementContent) => void): AgreementContent => {
  const c = structuredClone(content());
  fn(c);
  return c;
};

describe("classifyChange: minor changes (unit name, job title, email) need no new version", () => {
  it("no change", () => {
    expect(classifyChange(content(), content())).toEqual({ kind: "none", changes: [] });
  });

  it("the guide's minor examples: a unit's name, a job title, an email address", () => {
    const unit = classifyChange(content(), edit((c) => (c.provider.monitor.unit = "إدارة التحول الرقمي")));
    expect(unit).toEqual({ kind: "minor", changes: [{ path: "provider.monitor.unit", kind: "minor", before: "إدارة تقنية المعلومات", after: "إدارة التحول الرقمي" }] });
    expect(classifyChange(content(), edit((c) => (c.recipient.monitor.title = "مدير المتابعة"))).kind).toBe("minor");
    expect(classifyChange(content(), edit((c) => (c.provider.monitor.email = "new@example.gov"))).kind).toBe("minor");
    expect(classifyChange(content(), edit((c) => (c.recipient.ladder[2]!.title = "وكيل الوزارة المساعد"))).changes).toEqual([
      { path: "recipient.ladder.2.title", kind: "minor", before: "المسمى 3", after: "وكيل الوزارة المساعد" },
    ]);
    expect(classifyChange(content(), edit((c) => (c.provider.ladder[0]!.email = "a@b.gov"))).kind).toBe("minor");
    // Several minor changes at once stay minor.
    const several = classifyChange(
      content(),
      edit((c) => {
        c.provider.monitor.email = "x@y.gov";
        c.recipient.ladder[3]!.title = "الوكيل";
      }),
    );
    expect(several.kind).toBe("minor");
    expect(several.changes.map((c) => c.path)).toEqual(["provider.monitor.email", "recipient.ladder.3.title"]);
  });

  it("anything else is a clause change: a new version", () => {
    const major = (fn: (c: AgreementContent) => void) => classifyChange(content(), edit(fn)).kind;
    expect(major((c) => (c.responseTimes.emailMinutes = 7 * 60))).toBe("major");
    expect(major((c) => (c.provider.ladder[1]!.maxResponseMinutes = 600))).toBe("major");
    // A person is not a title: naming another person on the ladder or as monitor is a change of clause.
    expect(major((c) => (c.provider.ladder[1]!.name = "شخص آخر"))).toBe("major");
    expect(major((c) => (c.recipient.monitor.name = "شخص آخر"))).toBe("major");
    expect(major((c) => (c.provider.entity = "جهة أخرى"))).toBe("major");
    expect(major((c) => (c.term.months = 24))).toBe("major");
    expect(major((c) => (c.term.autoRenew = false))).toBe("major");
    expect(major((c) => (c.nameAr = "اسم آخر"))).toBe("major");
    expect(major((c) => c.objectives.push("هدف جديد"))).toBe("major");
    expect(major((c) => c.provider.ladder.pop())).toBe("major");
    expect(major((c) => (c.provider.responsibilities[0] = "مسؤولية أخرى"))).toBe("major");
    expect(major((c) => (c.ourSide = "provider"))).toBe("major");
    // A member picked for a rung changes who is escalated to: major.
    expect(major((c) => (c.provider.ladder[0]!.userId = "00000000-0000-4000-8000-000000000001"))).toBe("major");
  });

  it("a minor change together with a major one is major, each field classified", () => {
    const r = classifyChange(
      content(),
      edit((c) => {
        c.provider.monitor.email = "x@y.gov";
        c.responseTimes.letterMinutes = 3 * 7 * 60;
      }),
    );
    expect(r.kind).toBe("major");
    expect(r.changes.map((c) => [c.path, c.kind])).toEqual([
      ["provider.monitor.email", "minor"],
      ["responseTimes.letterMinutes", "major"],
    ]);
  });
});

describe("currentTerm: one year, renewing itself", () => {
  const term = { startDate: "2025-03-01", months: 12, autoRenew: true };

  it("is the first term until its end, then each following year", () => {
    expect(currentTerm(term, "2025-03-01")).toEqual({ start: "2025-03-01", end: "2026-03-01", renewals: 0 });
    expect(currentTerm(term, "2026-02-28")).toEqual({ start: "2025-03-01", end: "2026-03-01", renewals: 0 });
    expect(currentTerm(term, "2026-03-01")).toEqual({ start: "2026-03-01", end: "2027-03-01", renewals: 1 });
    expect(currentTerm(term, "2028-07-15")).toEqual({ start: "2028-03-01", end: "2029-03-01", renewals: 3 });
  });

  it("before the start: the first term; without renewal: the first term also after it ended", () => {
    expect(currentTerm(term, "2024-12-31")).toEqual({ start: "2025-03-01", end: "2026-03-01", renewals: 0 });
    expect(currentTerm({ ...term, autoRenew: false }, "2027-05-01")).toEqual({ start: "2025-03-01", end: "2026-03-01", renewals: 0 });
  });

  it("month ends are clamped, not drifted", () => {
    const t = { startDate: "2024-01-31", months: 1, autoRenew: true };
    expect(currentTerm(t, "2024-02-29")).toEqual({ start: "2024-02-29", end: "2024-03-31", renewals: 1 });
    expect(currentTerm(t, "2024-04-30")).toEqual({ start: "2024-04-30", end: "2024-05-31", renewals: 3 });
  });
});

describe("the business calendar: review reminder and cancellation notice", () => {
  it("moves to working days over the weekend and holidays", () => {
    const cal = calendar();
    expect(workingDayOnOrBefore("2026-05-16", cal)).toBe("2026-05-13"); // Sat → Fri off → Thu holiday → Wed
    expect(workingDayOnOrAfter("2026-05-16", cal)).toBe("2026-05-19"); // Sat → Sun, Mon holiday → Tue
    expect(workingDayOnOrBefore("2026-05-16", null)).toBe("2026-05-16");
  });

  it("the review reminder is at least one month before the end, on a working day", () => {
    const cal = calendar();
    // End 16 June 2026 (Tue): one month before is Sat 16 May; Friday is off and Thursday a holiday.
    expect(reviewReminderDate("2026-06-16", 0, cal)).toBe("2026-05-13");
    // Lead days come on top of the month.
    expect(reviewReminderDate("2026-06-16", 14, cal)).toBe("2026-04-30"); // 2 May is a Saturday → Thu 30 April
    expect(reviewReminderDate("2026-06-16", 0, null)).toBe("2026-05-16");
    // Whatever the end and the lead, the reminder leaves at least a month.
    for (let d = dayOf("2026-01-01")!; d < dayOf("2027-01-01")!; d += 1) {
      for (const lead of [0, 3, 14]) {
        const reminder = reviewReminderDate(isoDay(d), lead, cal);
        expect(reminder <= isoDay(addMonths(d, -1) - lead)).toBe(true);
      }
    }
  });

  it("a cancellation takes effect no earlier than a month after the letter, past a weekend or holiday", () => {
    const cal = calendar();
    // Letter Thu 16 April 2026: a month later is Sat 16 May; Sunday and Monday are holidays.
    expect(earliestCancellationDate("2026-04-16", cal)).toBe("2026-05-19");
    // A month later on a Friday (3 July 2026) moves to Sunday.
    expect(earliestCancellationDate("2026-06-03", cal)).toBe("2026-07-05");
    // A working day stays.
    expect(earliestCancellationDate("2026-06-02", cal)).toBe("2026-07-02");
    expect(earliestCancellationDate("2026-04-16", null)).toBe("2026-05-16");
  });
});

describe("quartersUntil", () => {
  it("lists the quarters from the start up to the one containing today, meeting on the last working day", () => {
    const cal = presetCalendar("sa", "Asia/Riyadh");
    const q = quartersUntil("2025-03-01", "2025-09-15", cal);
    expect(q).toEqual([
      { index: 1, start: "2025-03-01", end: "2025-06-01", meetingDate: "2025-05-29" }, // 31 May is a Saturday
      { index: 2, start: "2025-06-01", end: "2025-09-01", meetingDate: "2025-08-31" }, // a Sunday
      { index: 3, start: "2025-09-01", end: "2025-12-01", meetingDate: "2025-11-30" },
    ]);
    expect(quartersUntil("2025-03-01", "2025-02-28", cal)).toEqual([]);
    expect(quartersUntil("2025-03-01", "2025-03-01", cal)).toHaveLength(1);
    expect(quartersUntil("2025-03-01", "2026-03-01", cal).at(-1)).toMatchObject({ index: 5, start: "2026-03-01" });
  });
});

describe("agreementPhase", () => {
  const term = { startDate: "2025-03-01", months: 12, autoRenew: true };
  it("draft, active, cancelling, cancelled on the effective day, expired without renewal", () => {
    expect(agreementPhase({ signed: false, term, cancellationEffective: null }, "2025-05-01")).toBe("draft");
    expect(agreementPhase({ signed: true, term, cancellationEffective: null }, "2029-05-01")).toBe("active");
    expect(agreementPhase({ signed: true, term, cancellationEffective: "2025-06-10" }, "2025-06-09")).toBe("cancelling");
    expect(agreementPhase({ signed: true, term, cancellationEffective: "2025-06-10" }, "2025-06-10")).toBe("cancelled");
    expect(agreementPhase({ signed: true, term: { ...term, autoRenew: false }, cancellationEffective: null }, "2026-02-28")).toBe("active");
    expect(agreementPhase({ signed: true, term: { ...term, autoRenew: false }, cancellationEffective: null }, "2026-03-01")).toBe("expired");
  });
});

describe("ladderAssignees", () => {
  it("a member on the rung, else the fallback member, else the admins", () => {
    const ladder = defaultLadder([60, 120, 180]);
    ladder[0]!.userId = "u-1";
    expect(ladderAssignees(ladder, "u-monitor")).toEqual([
      { type: "user", userId: "u-1" },
      { type: "user", userId: "u-monitor" },
      { type: "user", userId: "u-monitor" },
    ]);
    expect(ladderAssignees(ladder, null)[1]).toEqual({ type: "role", roleKey: "admin" });
    expect(defaultLadder([480, 960]).map((l) => l.maxResponseMinutes)).toEqual([480, 960]);
  });
});
