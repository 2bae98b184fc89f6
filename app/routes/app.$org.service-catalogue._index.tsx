import { Alert, Anchor, Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Form, Link, useParams } from "react-router";
import type { Route } from "./+types/app.$org.service-catalogue._index";
import { Pager } from "~/components/pager";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { requirePluginEnabled } from "~/models/plugin-orgs.server";
import { appDb, withTenant } from "~/utils/db.server";
import { requireOrgMember } from "~/utils/org-context.server";
import { parsePaging } from "~/utils/paging";
import { assertCan } from "~/utils/permissions.server";
import { SERVICE_CHANNELS, SERVICE_SEGMENTS } from "~plugins/service-catalogue/public-types";
import { releaseEndedReviews } from "~plugins/service-catalogue/review.server";
import { listServices, type ServiceStatus } from "~plugins/service-catalogue/services.server";
import { StatusBadge } from "~plugins/service-catalogue/ui/status-badge";

// The organisation's service catalogue (plugins/service-catalogue/README.md): search, filter
// by status, customer segment and channel, paged; only services the member may read.

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

const STATUSES = ["draft", "in_review", "published"] as const;
const oneOf = <T extends string>(list: readonly T[], v: string | null): T | undefined => ((list as readonly string[]).includes(v ?? "") ? (v as T) : undefined);

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  await requirePluginEnabled(ctx, "service-catalogue");
  assertCan(ctx.ability, "read", "CatalogueService");
  const url = new URL(args.request.url);
  const paging = parsePaging(url, 20);
  const filters = {
    status: oneOf<ServiceStatus>(STATUSES, url.searchParams.get("status")),
    segment: oneOf(SERVICE_SEGMENTS, url.searchParams.get("segment")),
    channel: oneOf(SERVICE_CHANNELS, url.searchParams.get("channel")),
  };
  const list = await withTenant(appDb(), ctx.scope, async (trx) => {
    // Cards whose review case was cancelled are drafts again before they are listed.
    await releaseEndedReviews(trx, ctx.org.id);
    return listServices(trx, ctx.org.id, ctx.ability, {
      q: paging.q,
      ...filters,
      offset: paging.offset,
      pageSize: paging.pageSize,
    });
  });
  const t = getInstance(args.context).getFixedT(null, "service-catalogue");
  return {
    title: `${t("list.title")} — ${t("common:appName")}`,
    rows: list.rows.map((r) => ({
      ...r,
      updatedAt: r.updatedAt.toISOString(),
    })),
    total: list.total,
    page: paging.page,
    pageSize: paging.pageSize,
    q: paging.q,
    filters,
    canCreate: ctx.ability.can("create", "CatalogueService"),
    canCharter: ctx.ability.can("read", "ServiceCharter"),
  };
}

export default function ServiceList({ loaderData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("service-catalogue");
  const base = `/app/${useParams().org}/service-catalogue`;
  const en = i18n.language === "en";
  const { rows, q, filters, canCreate, canCharter } = loaderData;
  const pick = (l: { ar: string; en: string } | null) => (l ? (en ? l.en || l.ar : l.ar) : "");
  const select = (name: "status" | "segment" | "channel", label: string, options: readonly string[], prefix: string) => (
    <NativeSelect
      name={name}
      label={t(label)}
      defaultValue={filters[name] ?? ""}
      key={filters[name] ?? ""}
      data={[{ value: "", label: t("list.all") }, ...options.map((o) => ({ value: o, label: t(`${prefix}.${o}`) }))]}
      onChange={(e) => e.currentTarget.form?.requestSubmit()}
    />
  );
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={1}>{t("list.title")}</Title>
          <Text c="dimmed">{t("list.intro")}</Text>
        </Stack>
        <Group>
          {canCharter ? (
            <Button component={Link} to={`${base}/charter`} variant="default">
              {t("list.charter")}
            </Button>
          ) : null}
          {canCreate ? (
            <Button component={Link} to={`${base}/new`}>
              {t("list.new")}
            </Button>
          ) : null}
        </Group>
      </Group>
      <Form method="get" role="search">
        <Group align="flex-end" gap="xs">
          <TextInput name="q" type="search" label={t("list.search")} placeholder={t("list.searchPlaceholder")} defaultValue={q} key={q} style={{ flex: "1 1 14rem", maxWidth: "24rem" }} />
          {select("status", "list.status", STATUSES, "status")}
          {select("segment", "list.segment", SERVICE_SEGMENTS, "segment")}
          {select("channel", "list.channel", SERVICE_CHANNELS, "channel")}
          <Button type="submit" variant="default">
            {t("list.filter")}
          </Button>
        </Group>
      </Form>
      {rows.length === 0 ? (
        <Alert color="gray">{q || filters.status || filters.segment || filters.channel ? t("list.noMatches") : t("list.empty")}</Alert>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover verticalSpacing="sm" data-testid="services-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("list.columns.code")}</Table.Th>
                <Table.Th>{t("list.columns.name")}</Table.Th>
                <Table.Th>{t("list.columns.unit")}</Table.Th>
                <Table.Th>{t("list.columns.segment")}</Table.Th>
                <Table.Th>{t("list.columns.channel")}</Table.Th>
                <Table.Th>{t("list.columns.status")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={row.id}>
                  <Table.Td>
                    <bdi>{row.code}</bdi>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`${base}/${row.id}`} fw={600}>
                      {pick(row.name)}
                    </Anchor>
                    {row.category ? (
                      <Text size="xs" c="dimmed">
                        {pick(row.category)}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{pick(row.unit) || "—"}</Table.Td>
                  <Table.Td>{t(`segment.${row.segment}`)}</Table.Td>
                  <Table.Td>{t(`channel.${row.channel}`)}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={row.status} publishedVersion={row.publishedVersion} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Pager total={loaderData.total} page={loaderData.page} pageSize={loaderData.pageSize} />
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
