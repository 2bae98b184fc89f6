import { describe, expect, it } from "vitest";
import { classifyChange, defaultLadder, type AgreementContent } from "../agreement";
import ar from "../locales/ar.json";
import en from "../locales/en.json";
import { changeLabel, hoursOf, lastDayOf, minutesOf, normaliseContent, ordinal } from "./labels";

// The edit page's preview names each changed field in the user's language, and compares what
// the server will store (trimmed, empty list items dropped) with the version in force.

/** A tiny t(): dotted lookup in a locale file with {{var}} interpolation; a missing key throws. */
function translator(locale: Record<string, unknown>) {
  return (key: string, options: Record<string, unknown> = {}) => {
    const value = key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), locale);
    if (typeof value !== "string") throw new Error(`missing translation: ${key}`);
    return value.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(options[name] ?? ""));
  };
}

const tAr = translator(ar);
const tEn = translator(en);

function content(): AgreementContent {
  const party = (entity: string) => ({
    entity,
    monitor: { unit: "إدارة الخدمات المشتركة", name: "سعاد الكبيسي", title: "مديرة", email: "monitor@example.gov", userId: null },
    ladder: defaultLadder([480, 960, 1440, 2400]).map((l, i) => ({ ...l, name: `المستوى ${i + 1}` })),
    responsibilities: ["تزويد البيانات في الوقت المحدد"],
  });
  return {
    nameAr: "اتفاق مستوى خدمة التحقق من بيانات الأسر",
    nameEn: "",
    introduction: "مقدمة",
    objectives: ["تحديد الأدوار والمسؤوليات لكل طرف."],
    provider: party("وزارة العمل والتنمية الاجتماعية"),
    recipient: party("دائرة الخدمات الاجتماعية"),
    ourSide: "recipient",
    term: { startDate: "2026-01-01", months: 12, autoRenew: true },
    majorChangesNote: "",
    responseTimes: { emailMinutes: 960, letterMinutes: 2400 },
  };
}

describe("changeLabel", () => {
  it("names a monitor's email change as the guide's minor example, in Arabic and English", () => {
    const before = content();
    const after = structuredClone(before);
    after.provider.monitor.email = "new@example.gov";
    const { kind, changes } = classifyChange(before, after);
    expect(kind).toBe("minor");
    expect(changes.map((c) => changeLabel(c, tAr))).toEqual(["البريد الإلكتروني لمراقب مقدم الخدمة"]);
    expect(changes.map((c) => changeLabel(c, tEn))).toEqual(["Email of the Service provider monitor"]);
  });

  it("names a ladder level's field with the template's ordinal", () => {
    expect(changeLabel({ path: "recipient.ladder.2.title" }, tAr)).toBe("المسمى الوظيفي في المستوى الثالث للتصعيد لدى متلقي الخدمة");
    expect(changeLabel({ path: "recipient.ladder.2.maxResponseMinutes" }, tEn)).toBe("Response time, Third escalation level of the Service recipient");
    expect(changeLabel({ path: "provider.ladder" }, tAr)).toBe("عدد مستويات التصعيد لدى مقدم الخدمة");
  });

  it("names every other clause", () => {
    for (const [path, label] of [
      ["responseTimes.letterMinutes", "زمن الرد على المراسلات الرسمية"],
      ["term.months", "مدة الاتفاق"],
      ["objectives", "أهداف الاتفاق"],
      ["objectives.3", "أهداف الاتفاق"],
      ["provider.entity", "جهة مقدم الخدمة"],
      ["recipient.responsibilities.0", "دور ومسؤوليات متلقي الخدمة"],
      ["recipient.monitor.name", "اسم مراقب متلقي الخدمة"],
      ["ourSide", "صفة جهتنا في الاتفاق"],
      ["nameAr", "اسم الاتفاق (عربي)"],
    ] as const)
      expect(changeLabel({ path }, tAr), path).toBe(label);
  });

  it("labels every path classifyChange can produce without a missing translation", () => {
    const before = content();
    const after = structuredClone(before);
    after.nameEn = "x";
    after.introduction = "y";
    after.objectives = [...after.objectives, "z"];
    after.ourSide = "provider";
    after.term = { startDate: "2026-02-01", months: 24, autoRenew: false };
    after.majorChangesNote = "n";
    after.responseTimes = { emailMinutes: 60, letterMinutes: 120 };
    after.provider.entity = "e";
    after.provider.monitor = { unit: "u", name: "n", title: "t", email: "e@x.y", userId: "00000000-0000-4000-8000-000000000001" };
    after.recipient.ladder[0] = { name: "n", title: "t", email: "e@x.y", maxResponseMinutes: 1, userId: "00000000-0000-4000-8000-000000000001" };
    after.recipient.responsibilities = ["r", "s"];
    const { changes } = classifyChange(before, after);
    expect(changes.length).toBeGreaterThan(15);
    for (const c of changes) {
      expect(() => changeLabel(c, tAr), c.path).not.toThrow();
      expect(() => changeLabel(c, tEn), c.path).not.toThrow();
    }
  });
});

describe("normaliseContent", () => {
  it("trims like the server and drops empty list items, so an untouched form is no change", () => {
    const signed = content();
    const typed = structuredClone(signed);
    typed.nameAr = `  ${typed.nameAr} `;
    typed.objectives = [...typed.objectives, "   "];
    typed.provider.responsibilities = ["", ...typed.provider.responsibilities];
    typed.provider.monitor.email = " monitor@example.gov";
    expect(classifyChange(signed, typed).kind).toBe("major");
    expect(classifyChange(signed, normaliseContent(typed)).kind).toBe("none");
  });

  it("keeps a real minor change minor", () => {
    const signed = content();
    const typed = structuredClone(signed);
    typed.recipient.ladder[1]!.email = "second@example.gov ";
    expect(classifyChange(signed, normaliseContent(typed)).kind).toBe("minor");
  });
});

describe("small helpers", () => {
  it("converts working hours and minutes", () => {
    expect(minutesOf(16)).toBe(960);
    expect(hoursOf(960)).toBe(16);
    expect(minutesOf(1.5)).toBe(90);
    expect(hoursOf(100)).toBe(1.67);
  });

  it("gives the last day of a term from its exclusive end", () => {
    expect(lastDayOf("2027-01-01")).toBe("2026-12-31");
    expect(lastDayOf("2028-03-01")).toBe("2028-02-29");
  });

  it("names levels one to eight as the template does, and numbers the rest", () => {
    expect(ordinal(1, tAr)).toBe("المستوى الأول للتصعيد");
    expect(ordinal(4, tAr)).toBe("المستوى الرابع للتصعيد");
    expect(ordinal(9, tEn)).toBe("Escalation level 9");
  });
});
