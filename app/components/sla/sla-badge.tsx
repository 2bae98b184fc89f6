import { Badge, Group } from "@mantine/core";
import { useTranslation } from "react-i18next";

export type SlaStatusName = "on_time" | "at_risk" | "breached";

// Colours whose shade 8 keeps 4.5:1 on its light background (theme.ts), as the task badges.
const COLOR: Record<SlaStatusName, string> = { on_time: "teal", at_risk: "orange", breached: "red" };

export function SlaStatusBadge({ status, paused = false }: { status: SlaStatusName; paused?: boolean }) {
  const { t } = useTranslation("deadlines");
  return (
    <Group gap={4} wrap="nowrap" component="span">
      <Badge color={COLOR[status]} variant={status === "breached" ? "filled" : "light"} tt="none" data-testid="sla-status">
        {t(`status.${status}`)}
      </Badge>
      {paused ? (
        <Badge color="gray" variant="outline" tt="none">
          {t("status.paused")}
        </Badge>
      ) : null}
    </Group>
  );
}
