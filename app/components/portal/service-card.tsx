import { Anchor, Badge, Card, Group, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { PublicService } from "~plugins/service-catalogue/public-types";
import { usePortalFormat } from "./portal-format";

export function serviceHref(orgSlug: string, code: string): string {
  return `/o/${orgSlug}/services/${encodeURIComponent(code)}`;
}

/** "10 minutes" in the reader's language and the organisation's digits. */
export function useMinutes() {
  const { t } = useTranslation("portal");
  const fmt = usePortalFormat();
  return (minutes: number | null) => (minutes === null ? t("card.notStated") : t("minutes", { count: minutes, n: fmt.number(minutes) }));
}

/** One service of the catalogue: name, code, description, segment, channel, fees, time. */
export function ServiceCard({ service, orgSlug }: { service: PublicService; orgSlug: string }) {
  const { t } = useTranslation("portal");
  const fmt = usePortalFormat();
  const minutes = useMinutes();
  return (
    <Card withBorder radius="md" padding="md" component="article" data-testid="portal-service-card">
      <Stack gap="xs" h="100%">
        <Title order={3} size="h4">
          <Anchor component={Link} to={serviceHref(orgSlug, service.code)} c="teal.9">
            {fmt.local(service.name)}
          </Anchor>
        </Title>
        <Text size="xs" c="dimmed" dir="auto">
          {t("service.code")}: <bdi>{service.code}</bdi>
        </Text>
        <Text size="sm" lineClamp={3}>
          {fmt.local(service.description)}
        </Text>
        <Group gap={6} mt="auto">
          <Badge variant="light" color="gray" tt="none">
            {t(`segment.${service.segment}`)}
          </Badge>
          <Badge variant="light" color={service.channel === "digital" ? "teal" : "gray"} tt="none">
            {t(`channel.${service.channel}`)}
          </Badge>
        </Group>
        <Group gap="lg">
          <Text size="sm">
            <Text span fw={600}>
              {t("card.fees")}:
            </Text>{" "}
            {fmt.local(service.fees) || t("card.notStated")}
          </Text>
          <Text size="sm">
            <Text span fw={600}>
              {t("card.time")}:
            </Text>{" "}
            {minutes(service.estimatedMinutes)}
          </Text>
        </Group>
      </Stack>
    </Card>
  );
}
