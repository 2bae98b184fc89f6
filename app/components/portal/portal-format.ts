import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useRouteLoaderData } from "react-router";
import type { Localised } from "~/engine/definition";
import { DEFAULT_PREFS, formatDateTime, formatNumber, type DisplayPrefs } from "~/utils/format";

export interface PortalShellData {
  org: { slug: string; name: Localised };
  prefs: DisplayPrefs;
}

/** The portal layout's data (organisation, display preferences) for its pages. */
export function usePortalShell(): PortalShellData | undefined {
  return useRouteLoaderData("routes/o.$org") as PortalShellData | undefined;
}

/** Dates and numbers in the organisation's calendar, digits and zone; texts in the reader's language. */
export function usePortalFormat() {
  const shell = usePortalShell();
  const { i18n } = useTranslation();
  const en = i18n.language === "en";
  const prefs = shell?.prefs;
  return useMemo(() => {
    const p: DisplayPrefs = prefs ? { ...prefs, locale: en ? "en" : "ar" } : { ...DEFAULT_PREFS, locale: en ? "en" : "ar" };
    return {
      en,
      local: (l: Localised | null | undefined) => (l ? (en ? l.en || l.ar : l.ar || l.en) : ""),
      list: (l: { ar: string[]; en: string[] }) => (en && l.en.length ? l.en : l.ar),
      dateTime: (value: Date | string) => formatDateTime(value, p, "datetime"),
      date: (value: Date | string) => formatDateTime(value, p, "date"),
      number: (value: number) => formatNumber(value, p),
    };
  }, [prefs, en]);
}
