import { Alert, Badge, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Link, redirect, useOutlet, useParams } from "react-router";
import type { Route } from "./+types/app.$org.admin.workflows";
import { useOrgFormat } from "~/components/org-format";
import { Pager } from "~/components/pager";
import { RouteErrorPage } from "~/components/route-error";
import { SearchForm } from "~/components/search-form";
import { CreateDefinitionForm, ImportDefinitionForm, type CreateState, type ImportState } from "~/components/workflow-admin/definition-forms";
import { getInstance } from "~/middleware/i18next";
import { listDefinitions } from "~/models/workflow-definitions.server";
import { appDb, withTenant } from "~/utils/db.server";
import { requireOrgMember } from "~/utils/org-context.server";
import { parsePaging } from "~/utils/paging";
import { assertCan } from "~/utils/permissions.server";
import { createFromForm, importFromForm, MAX_IMPORT_BYTES } from "~/utils/workflow-admin.server";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

// Also the layout of a definition's page (app.$org.admin.workflows.$definitionId): with a
// definition open, only that page is shown and the list is not queried.
export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Definition");
  const t = getInstance(args.context).getFixedT(null, "engine");
  const title = `${t("definitions.title")} — ${t("common:appName")}`;
  if ((args.params as { definitionId?: string }).definitionId) return { title, list: null, page: 1, pageSize: 25, q: "", canCreate: false, maxBytes: MAX_IMPORT_BYTES };
  const paging = parsePaging(new URL(args.request.url), 25);
  const list = await withTenant(appDb(), ctx.scope, (trx) =>
    listDefinitions(trx, { orgId: ctx.org.id, ability: ctx.ability, q: paging.q, limit: paging.pageSize, offset: paging.offset }),
  );
  return {
    title,
    list: {
      total: list.total,
      rows: list.rows.map((r) => ({
        ...r,
        archivedAt: r.archivedAt?.toISOString() ?? null,
        latestPublishedAt: r.latestPublishedAt ? new Date(r.latestPublishedAt).toISOString() : null,
        draftUpdatedAt: r.draftUpdatedAt ? new Date(r.draftUpdatedAt).toISOString() : null,
      })),
    },
    page: paging.page,
    pageSize: paging.pageSize,
    q: paging.q,
    canCreate: ctx.ability.can("create", "Definition"),
    maxBytes: MAX_IMPORT_BYTES,
  };
}

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "create", "Definition");
  const t = getInstance(args.context).getFixedT(null, "engine");
  const intent = new URL(args.request.url).searchParams.get("intent");
  if (intent === "import") {
    const result = await importFromForm(ctx, args.context, args.request, t);
    return data({ intent: "import" as const, import: result as ImportState, create: undefined }, { status: result.ok ? 200 : 400 });
  }
  const result = await createFromForm(ctx, args.context, await args.request.formData(), t);
  if (result.ok) throw redirect(`/app/${ctx.org.slug}/admin/workflows/${result.definitionId}?created=1`);
  return data({ intent: "create" as const, create: result as CreateState, import: undefined }, { status: 400 });
}

export default function Workflows({ loaderData, actionData }: Route.ComponentProps) {
  const outlet = useOutlet();
  if (outlet) return outlet;
  return <WorkflowList loaderData={loaderData} actionData={actionData} />;
}

function WorkflowList({ loaderData, actionData }: Pick<Route.ComponentProps, "loaderData" | "actionData">) {
  const { t, i18n } = useTranslation("engine");
  const fmt = useOrgFormat();
  const params = useParams();
  const { list, q, page, pageSize, canCreate, maxBytes } = loaderData;
  const en = i18n.language === "en";
  if (!list) return null;
  return (
    <Stack>
      <Title order={1}>{t("definitions.title")}</Title>
      <Text c="dimmed">{t("definitions.intro")}</Text>
      <SearchForm q={q} label={t("definitions.search")} placeholder={t("definitions.searchPlaceholder")} />
      {list.rows.length === 0 ? (
        <Alert color="gray">{q ? t("definitions.noMatches", { q }) : t("definitions.empty")}</Alert>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("definitions.columns.name")}</Table.Th>
                <Table.Th>{t("definitions.columns.key")}</Table.Th>
                <Table.Th>{t("definitions.columns.version")}</Table.Th>
                <Table.Th>{t("definitions.columns.draft")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.rows.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Group gap="xs">
                      <Text component={Link} to={r.id} fw={600} c="teal.8" data-testid="workflow-link">
                        {en ? r.name_en : r.name_ar}
                      </Text>
                      {r.archivedAt ? (
                        <Badge variant="light" color="gray" tt="none">
                          {t("definitions.archivedBadge")}
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text span size="sm" dir="ltr" ff="monospace">
                      {r.key}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {r.latestVersion ? (
                      <Stack gap={0}>
                        <Text size="sm">{t("definitions.versionN", { version: fmt.number(r.latestVersion) })}</Text>
                        {r.latestPublishedAt ? (
                          <Text size="xs" c="dimmed">
                            {fmt.dateTime(r.latestPublishedAt)}
                          </Text>
                        ) : null}
                      </Stack>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t("definitions.notPublished")}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {r.draftUpdatedAt ? (
                      <Stack gap={0}>
                        <Badge variant="light" color="yellow" tt="none">
                          {t("definitions.hasDraft")}
                        </Badge>
                        <Text size="xs" c="dimmed">
                          {fmt.dateTime(r.draftUpdatedAt)}
                        </Text>
                      </Stack>
                    ) : (
                      <Text c="dimmed">{t("definitions.noDraft")}</Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Pager total={list.total} page={page} pageSize={pageSize} />
      {canCreate ? (
        <>
          <CreateDefinitionForm state={actionData?.intent === "create" ? actionData.create : undefined} />
          <ImportDefinitionForm state={actionData?.intent === "import" ? actionData.import : undefined} maxBytes={maxBytes} base={`/app/${params.org}/admin/workflows`} />
        </>
      ) : null}
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
