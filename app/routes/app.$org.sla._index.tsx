import { Alert, Anchor, Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Form, Link, useParams, useSearchParams } from "react-router";
import type { Route } from "./+types/app.$org.sla._index";
import { useOrgFormat } from "~/components/org-format";
import { Pager } from "~/components/pager";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { appDb, withTenant } from "~/utils/db.server";
import { parsePaging } from "~/utils/paging";
import { assertCan } from "~/utils/permissions.server";
import type { AgreementPhase } from "~plugins/sla/agreement";
import { listAgreements } from "~plugins/sla/agreements.server";
import { agreementName, lastDayOf, noon } from "~plugins/sla/ui/labels";
import { PhaseBadge } from "~plugins/sla/ui/phase-badge";
import { slaDay, slaMember } from "~plugins/sla/ui/routes.server";

// The organisation's service-level agreements with other government bodies (اتفاقات مستوى
// الخدمة): search by number, name or counterpart, filter by phase, paged.

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

const PHASES = ["draft", "active", "cancelling", "cancelled", "expired"] as const satisfies readonly AgreementPhase[];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await slaMember(args);
  assertCan(ctx.ability, "read", "Agreement");
  const url = new URL(args.request.url);
  const paging = parsePaging(url, 20);
  const phaseParam = url.searchParams.get("phase") ?? "";
  const phase = (PHASES as readonly string[]).includes(phaseParam) ? (phaseParam as AgreementPhase) : undefined;
  const list = await withTenant(appDb(), ctx.scope, async (trx) => {
    const { today } = await slaDay(trx, ctx.org.id);
    return listAgreements(trx, ctx.org.id, { q: paging.q || undefined, phase, page: paging.page, pageSize: paging.pageSize, today });
  });
  const t = getInstance(args.context).getFixedT(null, "sla");
  return {
    title: `${t("list.title")} — ${t("common:appName")}`,
    rows: list.rows,
    total: list.total,
    page: paging.page,
    pageSize: paging.pageSize,
    q: paging.q,
    phase: phase ?? "",
    canCreate: ctx.ability.can("create", "Agreement"),
  };
}

export default function AgreementList({ loaderData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("sla");
  const fmt = useOrgFormat();
  const base = `/app/${useParams().org}/sla`;
  const { rows, q, phase, canCreate } = loaderData;
  const [params] = useSearchParams();
  const deleted = params.get("done") === "deleted" ? params.get("number") : null;
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={1}>{t("list.title")}</Title>
          <Text c="dimmed">{t("list.intro")}</Text>
        </Stack>
        {canCreate ? (
          <Button component={Link} to={`${base}/new`}>
            {t("list.new")}
          </Button>
        ) : null}
      </Group>
      {deleted ? (
        <Alert color="teal" role="status" data-testid="done-message">
          {t("done.deleted", { number: deleted })}
        </Alert>
      ) : null}
      <Form method="get" role="search">
        <Group align="flex-end" gap="xs">
          <TextInput name="q" type="search" label={t("list.search")} placeholder={t("list.searchPlaceholder")} defaultValue={q} key={q} style={{ flex: "1 1 14rem", maxWidth: "24rem" }} />
          <NativeSelect
            name="phase"
            label={t("list.phase")}
            defaultValue={phase}
            key={phase}
            data={[{ value: "", label: t("list.all") }, ...PHASES.map((p) => ({ value: p, label: t(`phase.${p}`) }))]}
            onChange={(e) => e.currentTarget.form?.requestSubmit()}
          />
          <Button type="submit" variant="default">
            {t("list.filter")}
          </Button>
        </Group>
      </Form>
      {rows.length === 0 ? (
        <Alert color="gray" data-testid="agreements-empty">
          {q || phase ? t("list.noMatches") : t("list.empty")}
        </Alert>
      ) : (
        <Table.ScrollContainer minWidth={860}>
          <Table striped highlightOnHover verticalSpacing="sm" data-testid="agreements-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("list.columns.number")}</Table.Th>
                <Table.Th>{t("list.columns.name")}</Table.Th>
                <Table.Th>{t("list.columns.counterpart")}</Table.Th>
                <Table.Th>{t("list.columns.ourSide")}</Table.Th>
                <Table.Th>{t("list.columns.phase")}</Table.Th>
                <Table.Th>{t("list.columns.termEnd")}</Table.Th>
                <Table.Th>{t("list.columns.breaches")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={row.id} data-testid="agreement-row">
                  <Table.Td>
                    <bdi style={{ whiteSpace: "nowrap" }}>{row.number}</bdi>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`${base}/${row.id}`} fw={600}>
                      {agreementName(row, i18n.language)}
                    </Anchor>
                    {row.draftVersion && row.signedVersion ? (
                      <Text size="xs" c="dimmed">
                        {t("list.draftPending", { version: fmt.number(row.draftVersion) })}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{row.counterpart}</Table.Td>
                  <Table.Td>{t(`side.${row.ourSide}`)}</Table.Td>
                  <Table.Td>
                    <PhaseBadge phase={row.phase} testId="row-phase" />
                  </Table.Td>
                  <Table.Td>{row.termEnd ? fmt.date(noon(lastDayOf(row.termEnd))) : "—"}</Table.Td>
                  <Table.Td>{fmt.number(row.breaches)}</Table.Td>
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
