import { Alert } from "@mantine/core";
import type { WeekHours } from "~/engine/calendar";
import { dayOf, instantOf } from "~/engine/zoned-time";
import type { CalendarActionResult, CalendarIntent } from "~/utils/calendar-actions";

// What the calendar page's sections share: the loader's calendar, the action's answer for
// the section that sent it, and dates shown as instants in the organisation's zone.

export interface CalendarView {
  mode: "business" | "elapsed";
  preset: string | null;
  timeZone: string;
  week: WeekHours;
  overrides: { id: string; name: string; from: string; to: string; hours: WeekHours }[];
  holidays: { id: string; name: string; from: string; to: string }[];
  saved: boolean;
}

export type ActionData = CalendarActionResult | undefined;

/** The action's answer if it came from one of these intents. */
export function answerFor(data: ActionData, ...intents: CalendarIntent[]): CalendarActionResult | undefined {
  return data && data.intent !== "" && intents.includes(data.intent) ? data : undefined;
}

export const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6] as const;

/** Local noon of a date in the zone: formatting it shows that date in any calendar (Gregorian or Hijri). */
export function dateInstant(date: string, timeZone: string): Date {
  const day = dayOf(date);
  return new Date(day === null ? Number.NaN : instantOf(day, 12 * 60, timeZone));
}

export function days(from: string, to: string): number {
  const a = dayOf(from);
  const b = dayOf(to);
  return a === null || b === null ? 0 : b - a + 1;
}

/** The section's outcome: green for a change made, red with the refusal otherwise. */
export function Outcome({ answer }: { answer: CalendarActionResult | undefined }) {
  if (!answer) return null;
  return answer.ok ? (
    <Alert color="teal" role="status">
      {answer.message}
    </Alert>
  ) : (
    <Alert color="red" role="alert">
      {answer.message}
    </Alert>
  );
}

/** Field error and kept input of a failed submission of this section. */
export function failed(answer: CalendarActionResult | undefined): { errors: Record<string, string>; values: Record<string, string> | null } {
  return answer && !answer.ok ? { errors: answer.fieldErrors, values: answer.values } : { errors: {}, values: null };
}
