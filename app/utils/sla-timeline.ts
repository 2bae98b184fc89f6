import { formatNumber, type DisplayPrefs } from "./format";

// The case timeline's detail line for SLA events (sla_* in the case event log), in the
// member's language and digits. The payloads carry the names as they were when the event
// happened (policy, role, person), so nothing is looked up again.

interface Named {
  ar: string;
  en: string;
}

interface SlaPayload {
  policy?: Named;
  target?: "response" | "resolution";
  percent?: number;
  level?: number;
  of?: number;
  assignee?: { type: "role" | "user" };
  assigneeName?: Named | string | null;
  kind?: string;
  reason?: string | null;
  pausedWorkingMinutes?: number;
}

type Detail = { key: string; values: Record<string, string> } | null;

export function slaEventDetail(event: { type: string; payload: unknown }, prefs: DisplayPrefs, t: (key: string) => string): Detail {
  if (!event.type.startsWith("sla_")) return null;
  const p = (event.payload ?? {}) as SlaPayload;
  const local = (n: Named | string | null | undefined) => (typeof n === "string" ? n : n ? (prefs.locale === "en" ? n.en : n.ar) : "");
  const num = (n: number | undefined) => formatNumber(n ?? 0, prefs);
  const target = p.target ? t(`deadlines:target.${p.target}`) : "";
  switch (event.type) {
    case "sla_warning":
      return { key: "deadlines:timeline.warning", values: { percent: num(p.percent), target, policy: local(p.policy) } };
    case "sla_breached":
      return { key: "deadlines:timeline.breached", values: { target, policy: local(p.policy) } };
    case "sla_escalated":
      return {
        key: p.assignee?.type === "user" ? "deadlines:timeline.escalatedUser" : "deadlines:timeline.escalatedRole",
        values: { level: num(p.level), of: num(p.of), to: local(p.assigneeName) },
      };
    case "sla_paused":
      return { key: "deadlines:timeline.paused", values: { kind: t(`deadlines:task.kinds.${p.kind ?? "other"}`), reason: p.reason ?? "" } };
    case "sla_resumed":
      return { key: "deadlines:timeline.resumed", values: { hours: formatNumber(Math.round(((p.pausedWorkingMinutes ?? 0) / 60) * 10) / 10, prefs) } };
    default:
      return null;
  }
}
