import { Alert, Anchor, Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Form, Link, useParams } from "react-router";
import type { Route } from "./+types/app.$org.cases._index";
import { useOrgFormat } from "~/components/org-format";
import { Pager } from "~/components/pager";
import { RouteErrorPage } from "~/components/route-error";
import { CaseStatusBadge } from "~/components/workflow/task-badges";
import { getInstance } from "~/middleware/i18next";
import { listCases } from "~/models/cases.server";
import { appDb, withTenant } from "~/utils/db.server";
import { requireOrgMember } from "~/utils/org-context.server";
import { parsePaging } from "~/utils/paging";
import { assertCan } from "~/utils/permissions.server";
import { CASE_STATUSES, type CaseStatusFilter } from "~/utils/inbox-params";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Case");
  const url = new URL(args.request.url);
  const paging = parsePaging(url, 25);
  const rawStatus = url.searchParams.get("status") ?? "";
  const status = (CASE_STATUSES as readonly string[]).includes(rawStatus) ? (rawStatus as CaseStatusFilter) : null;
  const list = await withTenant(appDb(), ctx.scope, (trx) => listCases(trx, ctx, { page: paging.page, pageSize: paging.pageSize, q: paging.q, status: status ?? undefined }));
  const t = getInstance(args.context).getFixedT(null, "engine");
  return {
    title: `${t("case.listTitle")} — ${t("common:appName")}`,
    rows: list.rows.map((r) => ({ ...r, startedAt: r.startedAt.toISOString(), completedAt: r.completedAt?.toISOString() ?? null })),
    total: list.total,
    q: paging.q,
    status,
    page: paging.page,
    pageSize: paging.pageSize,
    canStart: ctx.ability.can("create", "Case"),
  };
}

export default function Cases({ loaderData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("engine");
  const fmt = useOrgFormat();
  const base = `/app/${useParams().org}`;
  const en = i18n.language === "en";
  const { rows, q, status, canStart } = loaderData;
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={1}>{t("case.listTitle")}</Title>
        {canStart ? (
          <Button component={Link} to={`${base}/cases/new`}>
            {t("inbox.startCase")}
          </Button>
        ) : null}
      </Group>
      <Form method="get" role="search">
        <Group align="flex-end" gap="xs">
          <TextInput name="q" type="search" label={t("case.list.search")} placeholder={t("case.list.searchPlaceholder")} defaultValue={q} key={q} style={{ flex: "1 1 16rem", maxWidth: "28rem" }} />
          <NativeSelect
            name="status"
            label={t("case.list.statusFilter")}
            defaultValue={status ?? ""}
            key={status ?? ""}
            data={[{ value: "", label: t("case.list.allStatuses") }, ...CASE_STATUSES.map((s) => ({ value: s, label: t(`case.status.${s}`) }))]}
            onChange={(e) => e.currentTarget.form?.requestSubmit()}
          />
          <Button type="submit" variant="default">
            {t("common:actions.search")}
          </Button>
        </Group>
      </Form>
      {rows.length === 0 ? (
        <Alert color="gray">{q || status ? t("case.list.noMatches", { q: q || t(`case.status.${status}`) }) : t("case.list.empty")}</Alert>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover verticalSpacing="sm" data-testid="cases-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("case.list.columns.reference")}</Table.Th>
                <Table.Th>{t("case.list.columns.title")}</Table.Th>
                <Table.Th>{t("case.list.columns.service")}</Table.Th>
                <Table.Th>{t("case.list.columns.status")}</Table.Th>
                <Table.Th>{t("case.list.columns.started")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={row.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`${base}/cases/${row.id}`} fw={600}>
                      <span dir="ltr">{row.reference}</span>
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{row.title ?? <Text c="dimmed">—</Text>}</Table.Td>
                  <Table.Td>{en ? row.definitionName_en : row.definitionName_ar}</Table.Td>
                  <Table.Td>
                    <CaseStatusBadge status={row.status} />
                  </Table.Td>
                  <Table.Td>{fmt.dateTime(row.startedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {loaderData.total > 0 ? <Pager total={loaderData.total} page={loaderData.page} pageSize={loaderData.pageSize} /> : null}
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
