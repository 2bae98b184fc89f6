import { describe, expect, it } from "vitest";
import ar from "./locales/ar.json";
import en from "./locales/en.json";
import { hasLintErrors, lintServiceName, type NameLintCode } from "./name-linter";

const codes = (name: string, language: "ar" | "en" = "ar") => lintServiceName(name, language).map((i) => i.code);

// The guide's examples, quoted from 004 §2.4 ("صياغة مسمى الخدمة": طلب المتعامل + منتج الخدمة النهائي)
// and §2.3 / §3.3–3.4.
const GUIDE_GOOD = [
  "إصدار البطاقة الصحية", // مثال ١
  "إلغاء سمة دخول", // مثال ٢
  "حجز الاسم التجاري", // مثال ٣
  "تجديد رخصة تجارية", // مثال ٤
  "تقديم شكوى عمالية", // مثال ٥
  "إصدار رخصة تجارية", // §2.4: the service is named "إصدار رخصة تجارية"
  "تجديد البطاقة الصحية", // §2.3 sub-service
  "إصدار بطاقة صحية بدل فاقد أو تالف", // §2.3 sub-service
  "إصدار شهادة لمن يهمه الأمر", // §3.4 worked example
];

describe("service name linter — the guide's examples", () => {
  it.each(GUIDE_GOOD)("accepts «%s» without any issue", (name) => {
    expect(lintServiceName(name, "ar")).toEqual([]);
  });

  it("«خدمة المتعاملين» is the guide's unclear name", () => {
    // "مثال على اسم غير واضح: خدمة المتعاملين"
    expect(codes("خدمة المتعاملين")).toEqual(["unclear"]);
  });

  it("«طباعة شهادة الترخيص» is the guide's name that is not a service", () => {
    // "مثال على اسم لا يعتبر خدمة: طباعة شهادة الترخيص"
    expect(codes("طباعة شهادة الترخيص")).toEqual(["internalStep"]);
  });

  it("«ترخيص المنشآت التجارية» is what the ministry does, not what the customer asks for", () => {
    // §2.4: the ministry does "ترخيص المنشآت التجارية" while the service is "إصدار رخصة تجارية".
    const issues = lintServiceName("ترخيص المنشآت التجارية", "ar");
    expect(issues).toEqual([{ code: "orgViewpoint", severity: "error", params: { word: "ترخيص" } }]);
  });
});

describe("service name linter — each rule", () => {
  it("refuses punctuation and lists the marks found", () => {
    const issues = lintServiceName("إصدار شهادة (لمن يهمه الأمر)، عاجل", "ar");
    expect(issues[0]).toEqual({
      code: "punctuation",
      severity: "error",
      params: { chars: "( ) ،" },
    });
    expect(codes("إصدار بطاقة - بدل فاقد")).toContain("punctuation");
    expect(codes("تجديد رخصة تجارية؟")).toEqual(["punctuation"]);
  });

  it("refuses symbols", () => {
    expect(lintServiceName("إصدار رخصة & سجل تجاري", "ar")).toEqual([{ code: "symbols", severity: "error", params: { chars: "&" } }]);
    expect(codes("سداد رسوم ١٠٠٪")).toEqual(["symbols"]);
  });

  it("refuses abbreviations: lone letters, Latin acronyms and إلخ", () => {
    expect(lintServiceName("إصدار شهادة د خ م", "ar")[0]).toEqual({
      code: "abbreviation",
      severity: "error",
      params: { words: "د خ م" },
    });
    expect(codes("إصدار شهادة PDF")).toEqual(["abbreviation"]);
    expect(codes("تجديد الرخص إلخ")).toEqual(["abbreviation"]);
    // The conjunction و written apart is a word, not an abbreviation.
    expect(codes("تجديد رخصة و سجل")).toEqual([]);
  });

  it("keeps the name in one language", () => {
    expect(lintServiceName("إصدار certificate", "ar")).toEqual([
      {
        code: "mixedLanguage",
        severity: "error",
        params: { words: "certificate" },
      },
    ]);
    expect(codes("Issue a شهادة", "en")).toEqual(["mixedLanguage"]);
  });

  it("wants the final product after the request verb", () => {
    expect(codes("إصدار")).toEqual(["missingProduct"]);
  });

  it("warns (does not refuse) when the first word is not a request verb it knows", () => {
    const issues = lintServiceName("اعتماد شهادة الخبرة", "ar");
    expect(issues).toEqual([
      {
        code: "notRequestVerb",
        severity: "warning",
        params: { word: "اعتماد" },
      },
    ]);
    expect(hasLintErrors(issues)).toBe(false);
  });

  it("matches verbs whatever the hamza, diacritics or tatweel", () => {
    expect(codes("اصدار البطاقة الصحية")).toEqual([]);
    expect(codes("إِصْدَار البطاقة الصحية")).toEqual([]);
    expect(codes("طـباعة شهادة")).toEqual(["internalStep"]);
  });

  it("advises shorter names", () => {
    expect(codes("إصدار شهادة لمن يهمه الأمر للعاملين في القطاع الخاص والحكومي")).toEqual(["tooLong"]);
  });

  it("refuses an empty name", () => {
    expect(lintServiceName("   ", "ar")).toEqual([{ code: "empty", severity: "error", params: {} }]);
  });

  it("applies the same rule to the English name", () => {
    expect(codes("Issue a health card", "en")).toEqual([]);
    expect(codes("Issue a to-whom-it-may-concern certificate", "en")).toEqual(["punctuation"]);
    expect(codes("Customer services", "en")).toEqual(["unclear"]);
    expect(codes("Printing the licence certificate", "en")).toEqual(["internalStep"]);
    expect(codes("Licensing commercial establishments", "en")).toEqual(["orgViewpoint"]);
    expect(codes("Issue ID card", "en")).toEqual(["abbreviation"]);
  });
});

describe("service name linter — explanations", () => {
  const all: NameLintCode[] = ["empty", "punctuation", "symbols", "abbreviation", "mixedLanguage", "unclear", "internalStep", "orgViewpoint", "notRequestVerb", "missingProduct", "tooLong"];
  it.each(all)("explains «%s» in Arabic and English", (code) => {
    const arText = (ar as { linter: Record<string, string> }).linter[code];
    const enText = (en as { linter: Record<string, string> }).linter[code];
    expect(arText, `ar linter.${code}`).toBeTruthy();
    expect(enText, `en linter.${code}`).toBeTruthy();
  });
});
