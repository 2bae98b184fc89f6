import { Anchor, Badge, Button, Group, List, Paper, Stack, Table, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Route } from "./+types/o.$org.services.$code";
import { PortalError } from "~/components/portal/portal-error";
import { usePortalFormat } from "~/components/portal/portal-format";
import { serviceHref, useMinutes } from "~/components/portal/service-card";
import { portalRead, requirePortalOrg, requirePublishedService } from "~/utils/portal.server";
import type { LocalisedList } from "~plugins/service-catalogue/public-types";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

// The service card as published (guide §3.3), and the way to request it when fully digital.
export async function loader(args: Route.LoaderArgs) {
  const org = await requirePortalOrg(args);
  const service = await portalRead(org, (trx) => requirePublishedService(trx, org, args.params.code));
  const name = org.locale === "en" ? service.name.en || service.name.ar : service.name.ar;
  // The linked workflow's key is internal: the page needs only whether it can be requested.
  const { workflowKey, ...card } = service;
  return { title: `${name} — ${org.locale === "en" ? org.name.en : org.name.ar}`, orgSlug: org.slug, service: { ...card, digital: card.digital && workflowKey !== null } };
}

export default function PortalService({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("portal");
  const fmt = usePortalFormat();
  const minutes = useMinutes();
  const { service, orgSlug } = loaderData;
  const text = (value: string) => (value ? <Text style={{ whiteSpace: "pre-line" }}>{value}</Text> : <Text c="dimmed">{t("service.none")}</Text>);
  const items = (list: LocalisedList) => {
    const lines = fmt.list(list);
    return lines.length ? (
      <List spacing={4}>
        {lines.map((line, i) => (
          <List.Item key={i}>{line}</List.Item>
        ))}
      </List>
    ) : (
      <Text c="dimmed">{t("service.none")}</Text>
    );
  };
  const rows: [string, ReactNode][] = [
    [t("service.code"), <bdi key="code">{service.code}</bdi>],
    [t("service.entity"), text(fmt.local(service.entity))],
    [t("service.unit"), text(fmt.local(service.responsibleUnit))],
    [t("service.segment"), t(`segment.${service.segment}`)],
    [
      t("service.level"),
      service.level === "sub" && service.parentCode ? (
        <Text key="level">
          {t("service.levelSub")} —{" "}
          <Anchor component={Link} to={serviceHref(orgSlug, service.parentCode)}>
            {t("service.parent")}
          </Anchor>
        </Text>
      ) : (
        t(service.level === "sub" ? "service.levelSub" : "service.levelMain")
      ),
    ],
    [t("service.channel"), t(`channel.${service.channel}`)],
    [t("service.channelDetails"), text(fmt.local(service.channelDetails))],
    [t("service.conditions"), items(service.conditions)],
    [t("service.documents"), items(service.requiredDocuments)],
    [t("service.fees"), text(fmt.local(service.fees))],
    [t("service.time"), minutes(service.estimatedMinutes)],
    [t("service.finalProduct"), text(fmt.local(service.finalProduct))],
    [t("service.contact"), text(fmt.local(service.contact))],
  ];
  return (
    <Stack gap="lg">
      <Anchor component={Link} to={`/o/${orgSlug}`} size="sm">
        {t("service.back")}
      </Anchor>
      <Stack gap="xs">
        <Title order={1}>{fmt.local(service.name)}</Title>
        <Group gap={6}>
          <Badge variant="light" color="gray" tt="none">
            {t(`segment.${service.segment}`)}
          </Badge>
          <Badge variant="light" color={service.digital ? "teal" : "gray"} tt="none">
            {t(`channel.${service.channel}`)}
          </Badge>
        </Group>
        <Text style={{ whiteSpace: "pre-line" }}>{fmt.local(service.description)}</Text>
      </Stack>
      {service.digital ? (
        <Button component={Link} to={`${serviceHref(orgSlug, service.code)}/request`} size="md" w="fit-content" data-testid="portal-apply">
          {t("service.apply")}
        </Button>
      ) : (
        <Text c="dimmed">{t("service.notOnline")}</Text>
      )}
      <Paper withBorder radius="md" p={0}>
        <Table variant="vertical" layout="fixed" withRowBorders verticalSpacing="sm" horizontalSpacing="md">
          <Table.Caption>{t("card.details")}</Table.Caption>
          <Table.Tbody>
            {rows.map(([label, value]) => (
              <Table.Tr key={label}>
                <Table.Th w="30%" scope="row">
                  {label}
                </Table.Th>
                <Table.Td>{value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <Text size="xs" c="dimmed">
        {t("service.updated", { version: fmt.number(service.version), date: fmt.date(service.publishedAt) })}
      </Text>
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <PortalError error={error} />;
}
