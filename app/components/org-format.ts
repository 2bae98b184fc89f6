import { useMemo } from "react";
import { useRouteLoaderData } from "react-router";
import { DEFAULT_PREFS, formatDateTime, formatNumber, type DisplayPrefs } from "~/utils/format";

/** Dates and numbers in the organisation's calendar, digits and time zone (from the shell loader). */
export function useOrgFormat() {
  const shell = useRouteLoaderData("routes/app.$org") as { prefs?: DisplayPrefs } | undefined;
  const prefs = shell?.prefs ?? DEFAULT_PREFS;
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
