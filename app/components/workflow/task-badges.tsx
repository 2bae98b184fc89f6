import { Badge, Group, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useOrgFormat } from "~/components/org-format";

export type Priority = "low" | "normal" | "high" | "urgent";

// Only colours whose shade 8 the theme keeps at 4.5:1 on their light background (theme.ts).
const PRIORITY_STYLE: Record<Priority, { color: string; variant: "light" | "outline" | "filled" }> = {
  low: { color: "gray", variant: "outline" },
  normal: { color: "gray", variant: "light" },
  high: { color: "orange", variant: "light" },
  urgent: { color: "red", variant: "filled" },
};

export function PriorityBadge({ priority }: { priority: Priority }) {
  const { t } = useTranslation("engine");
  return (
    <Badge color={PRIORITY_STYLE[priority].color} variant={PRIORITY_STYLE[priority].variant} tt="none">
      {t(`task.priority.${priority}`)}
    </Badge>
  );
}

/**
 * The due date in the organisation's calendar and zone. Whether it is overdue is decided
 * by the server when the page is loaded, so the first paint and hydration agree.
 */
export function DueDate({ dueAt, overdue }: { dueAt: string | null; overdue: boolean }) {
  const { t } = useTranslation("engine");
  const fmt = useOrgFormat();
  if (!dueAt) return <Text c="dimmed" size="sm">{t("task.noDue")}</Text>;
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm" span>
        {fmt.dateTime(dueAt)}
      </Text>
      {overdue ? (
        <Badge color="red" variant="light" tt="none">
          {t("task.overdue")}
        </Badge>
      ) : null}
    </Group>
  );
}

const CASE_STATUS_COLOR: Record<string, string> = { running: "teal", completed: "gray", incident: "red", cancelled: "gray" };

export function CaseStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation("engine");
  return (
    <Badge color={CASE_STATUS_COLOR[status] ?? "gray"} variant="light" tt="none">
      {t(`case.status.${status}`, { defaultValue: status })}
    </Badge>
  );
}
