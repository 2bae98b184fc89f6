import { Alert, Anchor, Paper, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Route } from "./+types/app.$org.deadlines._index";
import { useOrgFormat } from "~/components/org-format";
import { RouteErrorPage } from "~/components/route-error";
import { BreachTrend } from "~/components/sla/breach-trend";
import { getInstance } from "~/middleware/i18next";
import { slaDashboard, type StatusCounts } from "~/models/sla-dashboard.server";
import { slaNow } from "~/utils/clock.server";
import { appDb, withTenant } from "~/utils/db.server";
import { requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";

// The SLA dashboard: open items by status, by step and by unit, and breaches per day over 30
// days. Every number links to the list behind it (/deadlines/items with the same filter), and both
// are computed with the member's read rules, so the list holds exactly what the number counts.

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

const TREND_DAYS = 30;

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Task");
  const t = getInstance(args.context).getFixedT(null, "deadlines");
  const board = await withTenant(appDb(), ctx.scope, (trx) => slaDashboard(trx, ctx, slaNow(), ctx.org.time_zone, TREND_DAYS));
  return { title: `${t("dashboard.title")} — ${t("common:appName")}`, board };
}

const STATUSES = ["on_time", "at_risk", "breached"] as const;

function itemsLink(base: string, params: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  return `${base}/deadlines/items?${q.toString()}`;
}

export default function SlaDashboardPage({ loaderData, params }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("deadlines");
  const fmt = useOrgFormat();
  const { board } = loaderData;
  const base = `/app/${params.org}`;
  const en = i18n.language === "en";
  const local = (n: { ar: string; en: string } | null, fallback: string) => (n ? (en ? n.en : n.ar) : fallback);
  const empty = board.totals.on_time + board.totals.at_risk + board.totals.breached === 0;

  const numberCell = (counts: StatusCounts, status: (typeof STATUSES)[number], filter: Record<string, string | null>, what: string) => (
    <Table.Td key={status}>
      {counts[status] ? (
        <Anchor component={Link} to={itemsLink(base, { ...filter, status })} aria-label={t("dashboard.openList", { what: `${what} — ${t(`status.${status}`)}` })}>
          {fmt.number(counts[status])}
        </Anchor>
      ) : (
        <Text span c="dimmed">
          {fmt.number(0)}
        </Text>
      )}
    </Table.Td>
  );

  return (
    <Stack maw={1200}>
      <Title order={1}>{t("dashboard.title")}</Title>
      <Text c="dimmed" size="sm">
        {t("dashboard.intro")}
      </Text>

      <section aria-labelledby="sla-totals">
        <Title order={2} size="h4" id="sla-totals" mb="xs">
          {t("dashboard.totals")}
        </Title>
        <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md">
          {([...STATUSES, "paused"] as const).map((status) => (
            <Paper key={status} withBorder p="md" radius="md" data-testid={`sla-total-${status}`}>
              <Text size="sm" c="dimmed" fw={600}>
                {t(`status.${status}`)}
              </Text>
              <Anchor component={Link} to={itemsLink(base, { status })} fz={28} fw={700} aria-label={t("dashboard.openList", { what: t(`status.${status}`) })}>
                {fmt.number(board.totals[status])}
              </Anchor>
            </Paper>
          ))}
        </SimpleGrid>
      </section>

      {empty ? <Alert color="gray">{t("dashboard.empty")}</Alert> : null}

      {board.bySteps.length ? (
        <section aria-labelledby="sla-steps">
          <Title order={2} size="h4" id="sla-steps" mb="xs">
            {t("dashboard.byStep")}
          </Title>
          <Table.ScrollContainer minWidth={640}>
            <Table striped verticalSpacing="xs" data-testid="sla-by-step">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("dashboard.definition")}</Table.Th>
                  <Table.Th>{t("dashboard.step")}</Table.Th>
                  {STATUSES.map((s) => (
                    <Table.Th key={s}>{t(`status.${s}`)}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {board.bySteps.map((row) => {
                  const step = local(row.step, t("dashboard.wholeCase"));
                  const filter = { definitionId: row.definitionId, nodeId: row.nodeId ?? "case" };
                  return (
                    <Table.Tr key={`${row.definitionId}:${row.nodeId ?? ""}`}>
                      <Table.Td>{local(row.definition, "")}</Table.Td>
                      <Table.Td>{step}</Table.Td>
                      {STATUSES.map((s) => numberCell(row, s, filter, step))}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </section>
      ) : null}

      {board.byUnits.length ? (
        <section aria-labelledby="sla-units">
          <Title order={2} size="h4" id="sla-units" mb="xs">
            {t("dashboard.byUnit")}
          </Title>
          <Table.ScrollContainer minWidth={480}>
            <Table striped verticalSpacing="xs" data-testid="sla-by-unit">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("dashboard.unit")}</Table.Th>
                  {STATUSES.map((s) => (
                    <Table.Th key={s}>{t(`status.${s}`)}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {board.byUnits.map((row) => {
                  const unit = local(row.unit, t("dashboard.noUnit"));
                  return (
                    <Table.Tr key={row.unitId ?? "none"}>
                      <Table.Td>{unit}</Table.Td>
                      {STATUSES.map((s) => numberCell(row, s, { unitId: row.unitId ?? "none" }, unit))}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </section>
      ) : null}

      <BreachTrend trend={board.trend} days={TREND_DAYS} link={(day) => itemsLink(base, { day })} />
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
