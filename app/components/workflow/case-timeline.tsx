import { Text, Timeline } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useOrgFormat } from "~/components/org-format";
import { PART_SEPARATOR } from "~/utils/format";

export interface TimelineItem {
  seq: number;
  at: string;
  type: string;
  actorName: string | null;
  /** The step the event happened at, already in both languages (from the definition). */
  nodeName: { ar: string; en: string } | null;
  /** A short detail (outcome, assignee, incident reason…) chosen by the server, or null. */
  detail: { key: string; values: Record<string, string> } | null;
}

/** The case's history, rebuilt from its hash-chained event log (oldest first). */
export function CaseTimeline({ events }: { events: TimelineItem[] }) {
  const { t, i18n } = useTranslation("engine");
  const fmt = useOrgFormat();
  const en = i18n.language === "en";
  if (events.length === 0) return <Text c="dimmed">{t("case.timeline.empty")}</Text>;
  return (
    <Timeline active={events.length - 1} bulletSize={14} lineWidth={2} data-testid="case-timeline">
      {events.map((event) => (
        <Timeline.Item
          key={event.seq}
          title={
            <Text fw={600} size="sm" component="span">
              {t(`case.events.${event.type}`, { defaultValue: event.type })}
              {/* "Moved on to X" reads as one phrase; other events name their step after a dash. */}
              {event.nodeName ? `${event.type === "token_moved" ? " " : " — "}${en ? event.nodeName.en : event.nodeName.ar}` : ""}
            </Text>
          }
        >
          {event.detail ? (
            <Text size="sm">{t(event.detail.key, { ...event.detail.values, defaultValue: "" })}</Text>
          ) : null}
          <Text size="xs" c="dimmed">
            <bdi>{event.actorName ?? t("case.timeline.system")}</bdi>
            {PART_SEPARATOR}
            <bdi>{fmt.dateTime(event.at)}</bdi>
          </Text>
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
