import type { CalendarKind, Digits } from "./db-types";

/** How an organisation wants dates and numbers shown (see organisations table). */
export interface DisplayPrefs {
  locale: "ar" | "en";
  digits: Digits;
  calendar: CalendarKind;
  timeZone: string;
}

/**
 * Between the parts of one line ("key — editing the draft", "name — date"): a dash. A middle
 * dot beside Arabic-Indic digits reads as a zero ("الإصدار ١ · طُبعت" looks like "الإصدار ١٠").
 */
export const PART_SEPARATOR = " — ";

export const DEFAULT_PREFS: DisplayPrefs = { locale: "ar", digits: "arab", calendar: "gregory", timeZone: "Asia/Riyadh" };

// BCP 47 with Unicode extensions: ar-SA-u-ca-islamic-umalqura-nu-arab, en-u-ca-gregory-nu-latn…
export function intlLocale(prefs: DisplayPrefs): string {
  const base = prefs.locale === "ar" ? "ar-SA" : "en-GB";
  return `${base}-u-ca-${prefs.calendar}-nu-${prefs.digits}`;
}

export function formatDateTime(value: Date | string, prefs: DisplayPrefs, style: "date" | "datetime" = "datetime"): string {
  const date = typeof value === "string" ? new Date(value) : value;
  const text = new Intl.DateTimeFormat(intlLocale(prefs), {
    timeZone: prefs.timeZone,
    dateStyle: "medium",
    timeStyle: style === "datetime" ? "short" : undefined,
  }).format(date);
  return prefs.locale === "en" && prefs.digits === "arab" ? keepArabicDigitsInOrder(text) : text;
}

/**
 * English text with Arabic-Indic digits: to the bidi algorithm those digits are "Arabic
 * numbers", and a comma or dash between two of them turns right to left — "23 Nov 2026, 11:45"
 * shows as "٢٣ Nov ١١:٤٥ ,٢٠٢٦", and a period "1 Jul 2025 – 31 Dec 2025" loses its order the
 * same way. A left-to-right mark after each run of digits keeps the reading order (Intl adds
 * the right-to-left marks Arabic needs itself, but nothing for this mix).
 */
export function keepArabicDigitsInOrder(text: string): string {
  return text.replace(/[\u0660-\u0669]+/g, "$&\u200E");
}

export function formatNumber(value: number, prefs: DisplayPrefs): string {
  return new Intl.NumberFormat(intlLocale(prefs)).format(value);
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
