import { describe, expect, it } from "vitest";
import { formatDateTime, formatNumber, intlLocale, isValidTimeZone } from "./format";

const instant = new Date("2026-03-20T09:30:00Z"); // 1 Shawwal 1447 in Umm al-Qura

describe("format", () => {
  it("uses Arabic-Indic digits when the organisation asks for them", () => {
    expect(formatNumber(1234, { locale: "ar", digits: "arab", calendar: "gregory", timeZone: "Asia/Riyadh" })).toBe("١٬٢٣٤");
    expect(formatNumber(1234, { locale: "ar", digits: "latn", calendar: "gregory", timeZone: "Asia/Riyadh" })).toBe("1,234");
  });

  it("shows the Umm al-Qura Hijri date in the organisation's zone", () => {
    const text = formatDateTime(instant, { locale: "ar", digits: "latn", calendar: "islamic-umalqura", timeZone: "Asia/Riyadh" }, "date");
    expect(text).toContain("1447");
    expect(text).toContain("شوال");
  });

  it("converts to the organisation's time zone", () => {
    const riyadh = formatDateTime(instant, { locale: "en", digits: "latn", calendar: "gregory", timeZone: "Asia/Riyadh" });
    const dubai = formatDateTime(instant, { locale: "en", digits: "latn", calendar: "gregory", timeZone: "Asia/Dubai" });
    expect(riyadh).toContain("12:30");
    expect(dubai).toContain("13:30");
  });

  it("keeps English dates with Arabic-Indic digits in reading order (a left-to-right mark after each run of digits)", () => {
    const prefs = { locale: "en", digits: "arab", calendar: "gregory", timeZone: "Asia/Riyadh" } as const;
    const text = formatDateTime(instant, prefs);
    // Without the marks the bidi algorithm shows "٢٠ Mar ١٢:٣٠ ,٢٠٢٦".
    expect(text).toBe("٢٠\u200E Mar ٢٠٢٦\u200E, ١٢\u200E:٣٠\u200E");
    expect(formatDateTime(instant, prefs, "date")).toBe("٢٠\u200E Mar ٢٠٢٦\u200E");
    // Arabic (Intl marks it already) and Latin digits are left as Intl writes them.
    expect(formatDateTime(instant, { ...prefs, locale: "ar" })).not.toContain("\u200E");
    expect(formatDateTime(instant, { ...prefs, digits: "latn" })).toBe("20 Mar 2026, 12:30");
  });

  it("builds BCP 47 tags and validates zones", () => {
    expect(intlLocale({ locale: "ar", digits: "arab", calendar: "islamic-umalqura", timeZone: "UTC" })).toBe("ar-SA-u-ca-islamic-umalqura-nu-arab");
    expect(isValidTimeZone("Asia/Qatar")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
  });
});
