import type { PluginSettings } from "../contract";

// The organisation's notice policy (Administration → Plugins → Notice board → Settings).
// Labels are keys of this plugin's namespace (locales/{ar,en}.json, "settings.*").
export const NOTICE_APPROVERS = ["none", "manager", "admin"] as const;
export type NoticeApprover = (typeof NOTICE_APPROVERS)[number];

export interface NoticeSettings {
  /** How many days a notice stays on the board. */
  displayDays: number;
  /** Who must approve a notice published through the "publish a notice" workflow. */
  approver: NoticeApprover;
  /** Added under every notice the workflow publishes (e.g. the issuing department). */
  signature: string;
}

export const noticeSettings: PluginSettings = {
  schema: {
    type: "object",
    required: ["displayDays", "approver"],
    properties: {
      displayDays: {
        type: "integer",
        title: "t:settings.displayDays.title",
        description: "t:settings.displayDays.help",
        minimum: 1,
        maximum: 365,
        default: 14,
      },
      approver: {
        type: "string",
        title: "t:settings.approver.title",
        description: "t:settings.approver.help",
        oneOf: NOTICE_APPROVERS.map((value) => ({ const: value, title: `t:settings.approver.${value}` })),
        default: "manager",
      },
      signature: {
        type: "string",
        title: "t:settings.signature.title",
        description: "t:settings.signature.help",
        maxLength: 100,
        default: "",
      },
    },
  },
  uiSchema: { "ui:order": ["displayDays", "approver", "signature"], approver: { "ui:widget": "radio" } },
};

/** The stored values, typed (the platform validated them against the schema). */
export function readNoticeSettings(values: Record<string, unknown>): NoticeSettings {
  const days = Number(values.displayDays);
  const approver = NOTICE_APPROVERS.includes(values.approver as NoticeApprover) ? (values.approver as NoticeApprover) : "manager";
  return { displayDays: Number.isInteger(days) && days >= 1 ? days : 14, approver, signature: typeof values.signature === "string" ? values.signature : "" };
}
