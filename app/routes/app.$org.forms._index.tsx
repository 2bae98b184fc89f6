import { Alert, Anchor, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Route } from "./+types/app.$org.forms._index";
import { useOrgFormat } from "~/components/org-format";
import { Pager } from "~/components/pager";
import { RouteErrorPage } from "~/components/route-error";
import { SearchForm } from "~/components/search-form";
import { getInstance } from "~/middleware/i18next";
import { listFillableForms } from "~/models/form-fill.server";
import { appDb, withTenant } from "~/utils/db.server";
import { requireOrgMember } from "~/utils/org-context.server";
import { parsePaging } from "~/utils/paging";
import { assertCan } from "~/utils/permissions.server";

// The forms staff can fill: published, not archived, and readable under their roles.
// (An index route, so that the form pages below /forms are not nested inside this list.)
export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Form");
  const paging = parsePaging(new URL(args.request.url), 25);
  const list = await withTenant(appDb(), ctx.scope, (trx) =>
    listFillableForms(trx, ctx.org.id, { q: paging.q, limit: paging.pageSize, offset: paging.offset, ability: ctx.ability }),
  );
  const t = getInstance(args.context).getFixedT(null, "forms");
  return {
    title: `${t("fill.list.title")} — ${t("common:appName")}`,
    rows: list.rows.map((r) => ({ ...r, published_at: r.published_at ? new Date(r.published_at).toISOString() : null })),
    total: list.total,
    page: paging.page,
    pageSize: paging.pageSize,
    q: paging.q,
  };
}

export default function FormsList({ loaderData, params }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("forms");
  const fmt = useOrgFormat();
  const { rows, total, page, pageSize, q } = loaderData;
  const en = i18n.language === "en";
  return (
    <Stack>
      <Title order={1}>{t("fill.list.title")}</Title>
      <Text c="dimmed" size="sm">
        {t("fill.list.intro")}
      </Text>
      <SearchForm q={q} label={t("fill.list.search")} placeholder={t("fill.list.searchPlaceholder")} />
      {rows.length === 0 ? (
        <Alert color="gray">{q ? t("fill.list.noMatches", { q }) : t("fill.list.empty")}</Alert>
      ) : (
        <Table.ScrollContainer minWidth={360}>
          <Table striped highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("fill.list.columns.name")}</Table.Th>
                <Table.Th>{t("fill.list.columns.version")}</Table.Th>
                <Table.Th>{t("fill.list.columns.published")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/app/${params.org}/forms/${r.key}/fill`} fw={600} data-testid="fill-form-link" aria-label={t("fill.list.fillNamed", { name: en ? r.name_en : r.name_ar })}>
                      {en ? r.name_en : r.name_ar}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{r.version === null ? "" : fmt.number(r.version)}</Table.Td>
                  <Table.Td>{r.published_at ? fmt.date(r.published_at) : ""}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Pager total={total} page={page} pageSize={pageSize} />
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
