import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { ServiceStatus } from "../services.server";

/** Draft, under review, published — or "unpublished changes" for a published service edited since. */
export function StatusBadge({ status, publishedVersion }: { status: ServiceStatus; publishedVersion: number | null }) {
  const { t } = useTranslation("service-catalogue");
  const color = status === "published" ? "teal" : status === "in_review" ? "blue" : publishedVersion ? "orange" : "gray";
  return (
    <Badge color={color} variant="light" data-testid="service-status">
      {status === "draft" && publishedVersion ? t("status.changed") : t(`status.${status}`)}
    </Badge>
  );
}
