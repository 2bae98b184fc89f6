import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useRouteLoaderData } from "react-router";
import { DEFAULT_PREFS, formatDateTime, formatNumber, type DisplayPrefs } from "~/utils/format";

/** Dates and numbers in the organisation's calendar, digits and time zone (from the shell loader). */
export function useOrgFormat() {
  const shell = useRouteLoaderData("routes/app.$org") as { prefs?: DisplayPrefs } | undefined;
  const { i18n } = useTranslation();
  const en = i18n.language === "en";
  // Outside an organisation (platform pages) follow the interface language.
  const prefs = shell?.prefs ?? { ...DEFAULT_PREFS, locale: en ? "en" : "ar", digits: en ? "latn" : "arab" };
  return useMemo(
    () => ({
      prefs,
      dateTime: (value: Date | string) => formatDateTime(value, prefs, "datetime"),
      date: (value: Date | string) => formatDateTime(value, prefs, "date"),
      number: (value: number) => formatNumber(value, prefs),
    }),
    [prefs],
  );
}
