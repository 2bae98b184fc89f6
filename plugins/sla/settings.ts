import type { PluginSettings } from "../contract";

// The organisation's agreement policy (Administration → Plugins → Service-level agreements).
// The ladder's default response times fill the four rungs of each side in a new agreement
// ("four levels by default, from the plugin settings"); the reminder lead adds days to the
// template's "at least one month before the end".

export interface SlaSettings {
  /** Default maximum response time of ladder levels 1–4, in working hours. */
  ladderHours: number[];
  /** Default reply times for a new agreement, in working hours. */
  emailHours: number;
  letterHours: number;
  /** Extra days before "one month before the end" when the review reminder is due. */
  reviewLeadDays: number;
  /** Days before a quarterly meeting's planned day when its reminder is due. */
  meetingReminderDays: number;
}

export const SLA_DEFAULTS: SlaSettings = { ladderHours: [8, 16, 24, 40], emailHours: 16, letterHours: 40, reviewLeadDays: 14, meetingReminderDays: 7 };

const hours = (title: string, def: number) => ({ type: "integer", minimum: 1, maximum: 2000, default: def, title });

export const slaSettings: PluginSettings = {
  schema: {
    type: "object",
    required: ["ladderHours", "emailHours", "letterHours", "reviewLeadDays", "meetingReminderDays"],
    properties: {
      ladderHours: {
        type: "array",
        title: "t:settings.ladderHours.title",
        description: "t:settings.ladderHours.help",
        minItems: 1,
        maxItems: 8,
        items: { type: "integer", minimum: 1, maximum: 2000, title: "t:settings.ladderHours.item" },
        default: SLA_DEFAULTS.ladderHours,
      },
      emailHours: hours("t:settings.emailHours", SLA_DEFAULTS.emailHours),
      letterHours: hours("t:settings.letterHours", SLA_DEFAULTS.letterHours),
      reviewLeadDays: { type: "integer", minimum: 0, maximum: 180, default: SLA_DEFAULTS.reviewLeadDays, title: "t:settings.reviewLeadDays.title", description: "t:settings.reviewLeadDays.help" },
      meetingReminderDays: { type: "integer", minimum: 0, maximum: 60, default: SLA_DEFAULTS.meetingReminderDays, title: "t:settings.meetingReminderDays" },
    },
  },
  uiSchema: { "ui:order": ["ladderHours", "emailHours", "letterHours", "reviewLeadDays", "meetingReminderDays"] },
};

/** The stored values, typed; tolerant of older versions. */
export function readSlaSettings(values: Record<string, unknown>): SlaSettings {
  const int = (v: unknown, d: number, min: number) => (Number.isInteger(v) && (v as number) >= min ? (v as number) : d);
  const ladder = Array.isArray(values.ladderHours) && values.ladderHours.length > 0 && values.ladderHours.every((h) => Number.isInteger(h) && h >= 1) ? (values.ladderHours as number[]) : SLA_DEFAULTS.ladderHours;
  return {
    ladderHours: ladder,
    emailHours: int(values.emailHours, SLA_DEFAULTS.emailHours, 1),
    letterHours: int(values.letterHours, SLA_DEFAULTS.letterHours, 1),
    reviewLeadDays: int(values.reviewLeadDays, SLA_DEFAULTS.reviewLeadDays, 0),
    meetingReminderDays: int(values.meetingReminderDays, SLA_DEFAULTS.meetingReminderDays, 0),
  };
}
