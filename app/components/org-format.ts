import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useRouteLoaderData } from "react-router";
import { DEFAULT_PREFS, formatDateTime, formatNumber, type DisplayPrefs } from "~/utils/format";

/** Dates and numbers in the organisation's calendar, digits and time zone (from the shell's or the portal's loader). */
export function useOrgFormat() {
  const shell = useRouteLoaderData("routes/app.$org") as { prefs?: DisplayPrefs } | undefined;
  // Shared components (the pager) on the public portal follow the same organisation's digits.
  const portal = useRouteLoaderData("routes/o.$org") as { prefs?: DisplayPrefs } | undefined;
  const { i18n } = useTranslation();
  const en = i18n.language === "en";
  const shellPrefs = shell?.prefs ?? portal?.prefs;
  return useMemo(() => {
    // Outside an organisation (platform pages) follow the interface language.
    const prefs: DisplayPrefs = shellPrefs ?? { ...DEFAULT_PREFS, locale: en ? "en" : "ar", digits: en ? "latn" : "arab" };
    return {
      prefs,
      dateTime: (value: Date | string) => formatDateTime(value, prefs, "datetime"),
      date: (value: Date | string) => formatDateTime(value, prefs, "date"),
      number: (value: number) => formatNumber(value, prefs),
    };
  }, [shellPrefs, en]);
}
