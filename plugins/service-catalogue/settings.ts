import type { PluginSettings } from "../contract";

// The organisation's catalogue policy (Administration → Plugins → Service catalogue).
export const REVIEW_APPROVERS = ["manager", "admin"] as const;
export type ReviewApprover = (typeof REVIEW_APPROVERS)[number];

export interface CatalogueSettings {
  /** Built-in role whose members review a service card and publish it (the review workflow's gate). */
  approver: ReviewApprover;
}

export const catalogueSettings: PluginSettings = {
  schema: {
    type: "object",
    required: ["approver"],
    properties: {
      approver: {
        type: "string",
        title: "t:settings.approver.title",
        description: "t:settings.approver.help",
        oneOf: REVIEW_APPROVERS.map((value) => ({
          const: value,
          title: `t:settings.approver.${value}`,
        })),
        default: "manager",
      },
    },
  },
  uiSchema: { "ui:order": ["approver"], approver: { "ui:widget": "radio" } },
};

/** The stored values, typed; tolerant of older versions. */
export function readCatalogueSettings(values: Record<string, unknown>): CatalogueSettings {
  const approver = REVIEW_APPROVERS.includes(values.approver as ReviewApprover) ? (values.approver as ReviewApprover) : "manager";
  return { approver };
}
