import { Alert, Anchor, Badge, Button, Group, NativeSelect, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Form, Link } from "react-router";
import type { Route } from "./+types/app.$org.deadlines.items";
import { useOrgFormat } from "~/components/org-format";
import { Pager } from "~/components/pager";
import { RouteErrorPage } from "~/components/route-error";
import { SlaStatusBadge } from "~/components/sla/sla-badge";
import { getInstance } from "~/middleware/i18next";
import { listSlaItems, type SlaItemsFilter } from "~/models/sla-dashboard.server";
import { SLA_LIST_FILTERS, type SlaListStatus } from "~/utils/sla-filters";
import { slaNow } from "~/utils/clock.server";
import { appDb, withTenant } from "~/utils/db.server";
import { requireOrgMember } from "~/utils/org-context.server";
import { parsePaging } from "~/utils/paging";
import { assertCan } from "~/utils/permissions.server";

// The list behind each number of the SLA dashboard: the same filter (status, process, step,
// unit, or a day's breaches) and the same read rules, so its total is the number clicked.

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

function readFilter(url: URL): SlaItemsFilter {
  const get = (k: string) => url.searchParams.get(k) ?? undefined;
  const status = get("status");
  const day = get("day");
  const node = get("nodeId");
  return {
    status: status && (SLA_LIST_FILTERS as readonly string[]).includes(status) ? (status as SlaListStatus) : undefined,
    definitionId: get("definitionId"),
    nodeId: node && node.length <= 200 ? node : undefined,
    unitId: get("unitId"),
    day: day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : undefined,
  };
}

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Task");
  const url = new URL(args.request.url);
  const paging = parsePaging(url, 25);
  const filter = readFilter(url);
  const t = getInstance(args.context).getFixedT(null, "deadlines");
  const list = await withTenant(appDb(), ctx.scope, (trx) => listSlaItems(trx, ctx, slaNow(), ctx.org.time_zone, filter, paging));
  return {
    title: `${t("items.title")} — ${t("common:appName")}`,
    rows: list.rows.map((r) => ({ ...r, dueAt: r.dueAt?.toISOString() ?? null })),
    total: list.total,
    filter,
    page: paging.page,
    pageSize: paging.pageSize,
  };
}

export default function SlaItemsPage({ loaderData, params }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("deadlines");
  const fmt = useOrgFormat();
  const { rows, filter, total } = loaderData;
  const base = `/app/${params.org}`;
  const en = i18n.language === "en";
  const local = (n: { ar: string; en: string } | null) => (n ? (en ? n.en : n.ar) : null);
  // Kept as hidden fields so that changing the status keeps the rest of the filter.
  const kept = Object.entries(filter).filter(([k, v]) => k !== "status" && v) as [string, string][];
  return (
    <Stack maw={1200}>
      <Anchor component={Link} to={`${base}/deadlines`} size="sm">
        {t("items.back")}
      </Anchor>
      <Title order={1}>{filter.day ? t("items.onDay", { day: fmt.date(`${filter.day}T12:00:00Z`) }) : t("items.title")}</Title>
      <Form method="get">
        {kept.map(([k, v]) => (
          <input key={k} type="hidden" name={k} value={v} />
        ))}
        <Group align="flex-end" gap="xs">
          <NativeSelect
            name="status"
            label={t("items.statusFilter")}
            defaultValue={filter.status ?? ""}
            key={filter.status ?? ""}
            data={[{ value: "", label: t("items.allStatuses") }, ...SLA_LIST_FILTERS.map((s) => ({ value: s, label: t(`status.${s}`) }))]}
            onChange={(e) => e.currentTarget.form?.requestSubmit()}
          />
          <Button type="submit" variant="default">
            {t("common:actions.filter")}
          </Button>
          {kept.length || filter.status ? (
            <Button component={Link} to={`${base}/deadlines/items`} variant="subtle">
              {t("items.clear")}
            </Button>
          ) : null}
        </Group>
      </Form>
      <Text size="sm" c="dimmed" data-testid="sla-items-total">
        {t("items.total", { n: fmt.number(total) })}
      </Text>
      {rows.length === 0 ? (
        <Alert color="gray">{t("items.empty")}</Alert>
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover verticalSpacing="sm" data-testid="sla-items">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("items.columns.reference")}</Table.Th>
                <Table.Th>{t("items.columns.step")}</Table.Th>
                <Table.Th>{t("items.columns.unit")}</Table.Th>
                <Table.Th>{t("items.columns.assignee")}</Table.Th>
                <Table.Th>{t("items.columns.status")}</Table.Th>
                <Table.Th>{t("items.columns.due")}</Table.Th>
                <Table.Th>{t("items.columns.level")}</Table.Th>
                <Table.Th>{t("items.columns.policy")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.clockId}>
                  <Table.Td>
                    <Anchor component={Link} to={`${base}/cases/${r.caseId}`}>
                      <span dir="ltr">{r.reference}</span>
                    </Anchor>
                    {r.caseTitle ? (
                      <Text size="xs" c="dimmed">
                        {r.caseTitle}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    {r.taskId && r.step ? (
                      <Anchor component={Link} to={`${base}/tasks/${r.taskId}`}>
                        {local(r.step)}
                      </Anchor>
                    ) : (
                      t("dashboard.wholeCase")
                    )}
                    <Text size="xs" c="dimmed">
                      {local(r.definition)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{local(r.unit) ?? t("dashboard.noUnit")}</Table.Td>
                  <Table.Td>{r.assigneeName ?? <Text span c="dimmed">{t("items.unassigned")}</Text>}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      <SlaStatusBadge status={r.status} paused={r.paused} />
                      {r.closed ? (
                        <Badge color="gray" variant="light" tt="none">
                          {t("items.closed")}
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  <Table.Td>{r.dueAt ? fmt.dateTime(r.dueAt) : "—"}</Table.Td>
                  <Table.Td>{r.levelReached ? t("items.level", { level: fmt.number(r.levelReached) }) : t("items.noLevel")}</Table.Td>
                  <Table.Td>{local(r.policy)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Pager total={total} page={loaderData.page} pageSize={loaderData.pageSize} />
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
