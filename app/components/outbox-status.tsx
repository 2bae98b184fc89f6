import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";

const COLOURS = { queued: "yellow", sent: "teal", failed: "red" } as const;

/** A mail's state; a queued mail with no mail server configured says it will not be sent. */
export function OutboxStatus({ status, smtp }: { status: "queued" | "sent" | "failed"; smtp: boolean }) {
  const { t } = useTranslation("notifications");
  const key = status === "queued" && !smtp ? "queuedNoSmtp" : status;
  return (
    <Badge color={status === "queued" && !smtp ? "gray" : COLOURS[status]} variant="light" tt="none" data-testid="outbox-status">
      {t(`outbox.statusValue.${key}`)}
    </Badge>
  );
}
