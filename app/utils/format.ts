import type { CalendarKind, Digits } from "./db-types";

/** How an organisation wants dates and numbers shown (see organisations table). */
export interface DisplayPrefs {
  locale: "ar" | "en";
  digits: Digits;
  calendar: CalendarKind;
  timeZone: string;
}

export const DEFAULT_PREFS: DisplayPrefs = { locale: "ar", digits: "arab", calendar: "gregory", timeZone: "Asia/Riyadh" };

// BCP 47 with Unicode extensions: ar-SA-u-ca-islamic-umalqura-nu-arab, en-u-ca-gregory-nu-latn…
export function intlLocale(prefs: DisplayPrefs): string {
  const base = prefs.locale === "ar" ? "ar-SA" : "en-GB";
  return `${base}-u-ca-${prefs.calendar}-nu-${prefs.digits}`;
}

export function formatDateTime(value: Date | string, prefs: DisplayPrefs, style: "date" | "datetime" = "datetime"): string {
  const date = typeof value === "string" ? new Date(value) : value;
  return new Intl.DateTimeFormat(intlLocale(prefs), {
    timeZone: prefs.timeZone,
    dateStyle: "medium",
    timeStyle: style === "datetime" ? "short" : undefined,
  }).format(date);
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
