// The service name rule of the guide (004 §2.4, DOMAIN.md §1): a service is named from the
// customer's viewpoint as the customer's REQUEST VERB followed by the FINAL SERVICE PRODUCT
// ("إصدار" + "البطاقة الصحية"); the name has no punctuation, no abbreviations or symbols, uses
// one language and clear, simple words. Pure and synchronous: the edit page runs it as the
// admin types (debounced) and the server runs it again on save. Each issue is a code with
// parameters; the texts are in locales/{ar,en}.json under "linter.<code>".

export type NameLintCode = "empty" | "punctuation" | "symbols" | "abbreviation" | "mixedLanguage" | "unclear" | "internalStep" | "orgViewpoint" | "notRequestVerb" | "missingProduct" | "tooLong";

export interface NameLintIssue {
  code: NameLintCode;
  /** Errors block saving; warnings are advice (e.g. a request verb the linter does not know). */
  severity: "error" | "warning";
  params: Record<string, string>;
}

export const NAME_MAX_WORDS = 8;

// Arabic verbal nouns of what customers ask for (the guide's examples first).
const AR_REQUEST_VERBS = [
  "إصدار",
  "إلغاء",
  "حجز",
  "تجديد",
  "تقديم",
  "طلب",
  "تسجيل",
  "تعديل",
  "تحديث",
  "استخراج",
  "نقل",
  "إضافة",
  "حذف",
  "شطب",
  "تصديق",
  "توثيق",
  "دفع",
  "سداد",
  "استبدال",
  "استرداد",
  "تمديد",
  "فتح",
  "إغلاق",
  "إيقاف",
  "تفعيل",
  "تحويل",
  "تغيير",
  "تصحيح",
  "اعتراض",
  "تظلم",
  "استعلام",
  "الاستعلام",
  "إبلاغ",
  "الإبلاغ",
  "صرف",
  "حجز",
  "تنازل",
  "رفع",
  "الحصول",
  "استئناف",
  "إعفاء",
  "تأجيل",
  "إعادة",
];
// Steps inside the procedure: not something a customer asks for ("طباعة شهادة الترخيص").
const AR_INTERNAL_STEPS = ["طباعة", "استلام", "دراسة", "مراجعة", "تدقيق", "فحص", "أرشفة", "إدخال", "متابعة", "فرز", "إحالة", "توقيع", "إعداد", "تجهيز"];
// The organisation's own act ("ترخيص المنشآت التجارية" → "إصدار رخصة تجارية").
const AR_ORG_VIEWPOINT = ["ترخيص", "منح", "إدارة", "تنظيم", "معالجة", "رقابة", "تقييم", "تفتيش", "إشراف", "ضبط"];
// Words that name no request at all ("خدمة المتعاملين").
const AR_UNCLEAR = ["خدمة", "خدمات", "معاملة", "معاملات", "إجراء", "إجراءات", "نظام", "شؤون", "قسم", "بوابة"];
const AR_ABBREVIATIONS = ["إلخ", "الخ"];

const EN_REQUEST_VERBS = [
  "issue",
  "cancel",
  "reserve",
  "renew",
  "submit",
  "request",
  "register",
  "amend",
  "update",
  "obtain",
  "transfer",
  "add",
  "remove",
  "pay",
  "replace",
  "extend",
  "open",
  "close",
  "apply",
  "book",
  "report",
  "attest",
  "change",
  "correct",
  "file",
  "lodge",
  "object",
  "appeal",
  "enquire",
  "inquire",
  "claim",
  "activate",
  "suspend",
  "waive",
  "postpone",
  "refund",
  "certify",
  "get",
];
const EN_INTERNAL_STEPS = ["print", "printing", "receive", "receiving", "review", "reviewing", "study", "check", "checking", "audit", "archive", "enter", "sign", "prepare"];
const EN_ORG_VIEWPOINT = ["licensing", "granting", "managing", "management", "regulation", "regulating", "processing", "inspection", "supervision", "evaluation", "handling"];
const EN_UNCLEAR = ["service", "services", "customer", "customers", "transaction", "transactions", "procedure", "procedures", "affairs", "portal", "system"];
const EN_ABBREVIATIONS = ["etc", "eg", "ie", "dept", "approx"];

const PUNCTUATION = /[.,،؛;:!?؟"'«»“”‘’()[\]{}\-–—…/\\_]/gu;
const SYMBOLS = /[&@#$%^*+=<>|~`٪©®™°§¶•·]|\p{Extended_Pictographic}/gu;
const ARABIC_LETTER = /[\u0621-\u064A\u0671-\u06D3]/u;
const LATIN_LETTER = /[A-Za-z]/;

/** Arabic comparison form: no diacritics or tatweel, hamza-carrying alefs as bare alef, final ة/ه and ى/ي unified. */
export function normaliseArabic(word: string): string {
  return word
    .replace(/[\u064B-\u0652\u0670\u0640]/g, "")
    .replace(/[أإآٱ]/g, "ا")
    .replace(/ى/g, "ي")
    .replace(/ة/g, "ه");
}

const arSet = (words: string[]) => new Set(words.map(normaliseArabic));
const AR = {
  verbs: arSet(AR_REQUEST_VERBS),
  internal: arSet(AR_INTERNAL_STEPS),
  org: arSet(AR_ORG_VIEWPOINT),
  unclear: arSet(AR_UNCLEAR),
  abbr: arSet(AR_ABBREVIATIONS),
};
const EN = {
  verbs: new Set(EN_REQUEST_VERBS),
  internal: new Set(EN_INTERNAL_STEPS),
  org: new Set(EN_ORG_VIEWPOINT),
  unclear: new Set(EN_UNCLEAR),
  abbr: new Set(EN_ABBREVIATIONS),
};

const unique = (items: string[]) => [...new Set(items)];

/** Lints a service name in its language ("ar" for the Arabic name, "en" for the English one). */
export function lintServiceName(name: string, language: "ar" | "en"): NameLintIssue[] {
  const issues: NameLintIssue[] = [];
  const add = (code: NameLintCode, severity: "error" | "warning", params: Record<string, string> = {}) => issues.push({ code, severity, params });
  const text = name.trim();
  if (!text) {
    add("empty", "error");
    return issues;
  }

  const punctuation = unique(text.match(PUNCTUATION) ?? []);
  if (punctuation.length) add("punctuation", "error", { chars: punctuation.join(" ") });
  const symbols = unique(text.match(SYMBOLS) ?? []);
  if (symbols.length) add("symbols", "error", { chars: symbols.join(" ") });

  // Words as the reader sees them: punctuation and symbols count as separators.
  const words = text.replace(PUNCTUATION, " ").replace(SYMBOLS, " ").split(/\s+/).filter(Boolean);
  const lex = language === "ar" ? AR : EN;
  const key = (w: string) => (language === "ar" ? normaliseArabic(w) : w.toLowerCase());

  const abbreviations = words.filter((w) => {
    if (/^[A-Z]{2,}$/.test(w)) return true; // PDF, ID, GCC
    if (lex.abbr.has(key(w))) return true;
    // A lone Arabic letter ("د خ م"), except the conjunction و written apart.
    return language === "ar" && ARABIC_LETTER.test(w) && [...w].length === 1 && w !== "و";
  });
  if (abbreviations.length) add("abbreviation", "error", { words: unique(abbreviations).join(" ") });

  const foreign = words.filter((w) => !/^[A-Z]{2,}$/.test(w) && (language === "ar" ? LATIN_LETTER.test(w) : ARABIC_LETTER.test(w)));
  if (foreign.length) add("mixedLanguage", "error", { words: unique(foreign).join(" ") });

  const first = words[0];
  if (!first) return issues;
  const head = key(first);
  if (lex.unclear.has(head)) add("unclear", "error", { word: first });
  else if (lex.internal.has(head)) add("internalStep", "error", { word: first });
  else if (lex.org.has(head)) add("orgViewpoint", "error", { word: first });
  else if (!lex.verbs.has(head)) add("notRequestVerb", "warning", { word: first });

  // The request verb alone says nothing about what the customer receives.
  if (words.length < 2) add("missingProduct", "error", { word: first });
  if (words.length > NAME_MAX_WORDS)
    add("tooLong", "warning", {
      count: String(words.length),
      max: String(NAME_MAX_WORDS),
    });
  return issues;
}

export function hasLintErrors(issues: NameLintIssue[]): boolean {
  return issues.some((i) => i.severity === "error");
}
