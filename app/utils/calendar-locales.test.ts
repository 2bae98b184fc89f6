import { describe, expect, it } from "vitest";
import { CALENDAR_PROBLEM_CODES } from "~/engine/calendar";
import { PRESET_KEYS } from "~/engine/calendar-presets";
import { ICS_ERROR_CODES, SKIP_REASONS } from "~/engine/ical";
import arAudit from "~/locales/ar/audit.json";
import ar from "~/locales/ar/calendar.json";
import enAudit from "~/locales/en/audit.json";
import en from "~/locales/en/calendar.json";

// Every message the calendar page and its action can show exists in both languages.

function keys(tree: unknown, prefix = ""): string[] {
  if (!tree || typeof tree !== "object") return [prefix];
  return Object.entries(tree).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

const lookup = (tree: unknown, path: string) => path.split(".").reduce<unknown>((node, k) => (node && typeof node === "object" ? (node as Record<string, unknown>)[k] : undefined), tree);

const AUDIT_ACTIONS = ["calendar.week.update", "calendar.override.add", "calendar.override.remove", "calendar.holiday.add", "calendar.holiday.remove", "calendar.holidays.import"];

describe("calendar messages", () => {
  it("Arabic and English have the same keys", () => {
    expect(keys(ar).sort()).toEqual(keys(en).sort());
  });

  const required = [
    ...CALENDAR_PROBLEM_CODES.map((c) => `problems.${c}`),
    ...ICS_ERROR_CODES.map((c) => `ics.errors.${c}`),
    "ics.errors.no_file",
    "ics.errors.entries",
    ...SKIP_REASONS.map((r) => `ics.skip.${r}`),
    ...PRESET_KEYS.map((k) => `presets.${k}`),
    ...[0, 1, 2, 3, 4, 5, 6].map((d) => `weekdays.${d}`),
    ...["zero", "one", "two", "few", "many", "other"].flatMap((f) => [`holidays.days_${f}`, `ics.import_${f}`, `ics.imported_${f}`]),
  ];
  for (const [lang, tree, audit] of [["ar", ar, arAudit], ["en", en, enAudit]] as const) {
    it(`${lang}: every problem, import error, preset, weekday and plural form has a message`, () => {
      expect(required.filter((path) => typeof lookup(tree, path) !== "string" || !(lookup(tree, path) as string).trim())).toEqual([]);
    });
    it(`${lang}: the audit log names every calendar change`, () => {
      expect(AUDIT_ACTIONS.filter((a) => !(audit.actionLabels as Record<string, string>)[a])).toEqual([]);
      expect((audit.subjectLabels as Record<string, string>).BusinessCalendar).toBeTruthy();
    });
  }
});
