import { Alert, Anchor, Badge, Button, Group, Menu, NativeSelect, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Form, Link, useParams, useSearchParams } from "react-router";
import type { Route } from "./+types/app.$org.inbox";
import { useOrgFormat } from "~/components/org-format";
import { Pager } from "~/components/pager";
import { RouteErrorPage } from "~/components/route-error";
import { DueDate, PriorityBadge } from "~/components/workflow/task-badges";
import { getInstance } from "~/middleware/i18next";
import { listInbox } from "~/models/tasks.server";
import { listStartableDefinitions } from "~/models/workflow-views.server";
import { appDb, withTenant } from "~/utils/db.server";
import { requireOrgMember } from "~/utils/org-context.server";
import { parsePaging } from "~/utils/paging";
import { assertCan } from "~/utils/permissions.server";
import { INBOX_FILTERS, INBOX_SORTS, type InboxFilter, type InboxSort } from "~/utils/inbox-params";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

const PAGE_SIZE = 25;

function pick<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Task");
  const url = new URL(args.request.url);
  const paging = parsePaging(url, PAGE_SIZE);
  const filter = pick<InboxFilter>(url.searchParams.get("tab"), INBOX_FILTERS, "all");
  const sort = pick<InboxSort>(url.searchParams.get("sort"), INBOX_SORTS, "due");
  const now = new Date();
  const found = await withTenant(appDb(), ctx.scope, async (trx) => ({
    inbox: await listInbox(trx, ctx, { page: paging.page, pageSize: paging.pageSize, sort, q: paging.q, filter }),
    startable: ctx.ability.can("create", "Case") ? await listStartableDefinitions(trx, ctx) : [],
  }));
  const t = getInstance(args.context).getFixedT(null, "engine");
  return {
    title: `${t("inbox.title")} — ${t("common:appName")}`,
    filter,
    sort,
    q: paging.q,
    page: paging.page,
    pageSize: paging.pageSize,
    total: found.inbox.total,
    counts: found.inbox.counts,
    items: found.inbox.rows.map((r) => ({
      id: r.id,
      name_ar: r.name_ar,
      name_en: r.name_en,
      kind: r.kind,
      caseId: r.caseId,
      caseReference: r.caseReference,
      caseTitle: r.caseTitle,
      definitionName_ar: r.definitionName_ar,
      definitionName_en: r.definitionName_en,
      priority: r.priority,
      dueAt: r.dueAt ? r.dueAt.toISOString() : null,
      overdue: r.dueAt !== null && r.dueAt < now,
      createdAt: r.createdAt.toISOString(),
      assigneeName: r.assigneeName,
      mine: r.assigneeUserId === ctx.user.id,
    })),
    startable: found.startable,
    // Set by the task page after a completion (a redirect): which case just moved on.
    done: /^\d{4}-\d{6,}$/.test(url.searchParams.get("done") ?? "") ? url.searchParams.get("done") : null,
  };
}

export default function Inbox({ loaderData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("engine");
  const [params] = useSearchParams();
  const base = `/app/${useParams().org}`;
  const { items, filter, sort, q, counts, startable } = loaderData;
  const en = i18n.language === "en";
  const fmt = useOrgFormat();
  const tabLink = (tab: InboxFilter) => {
    const next = new URLSearchParams(params);
    next.set("tab", tab);
    next.delete("page");
    next.delete("done");
    return `?${next.toString()}`;
  };
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={1}>{t("inbox.title")}</Title>
        {startable.length > 0 ? (
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button data-testid="start-case">{t("inbox.startCase")}</Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>{t("inbox.chooseDefinition")}</Menu.Label>
              {startable.map((d) => (
                <Menu.Item key={d.key} component={Link} to={`${base}/cases/new?definition=${encodeURIComponent(d.key)}`}>
                  {en ? d.name_en : d.name_ar}
                  {/* The key tells apart services with the same name (a copy, an import). */}
                  <Text span size="xs" c="dimmed" dir="ltr" ff="monospace" ms="xs">
                    {d.key}
                  </Text>
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        ) : null}
      </Group>

      {loaderData.done ? (
        <Alert color="teal" role="status" data-testid="inbox-done">
          {t("inbox.done", { reference: `\u2068${loaderData.done}\u2069` })}{" "}
          <Anchor component={Link} to={`${base}/cases/${loaderData.done}`}>
            {t("inbox.openCase")}
          </Anchor>
        </Alert>
      ) : null}

      {/* Filters of this list, not site navigation: a labelled group, not a second <nav> landmark. */}
      <Group gap="xs" role="group" aria-label={t("inbox.tabsLabel")}>
        {INBOX_FILTERS.map((tab) => (
          <Button
            key={tab}
            component={Link}
            to={tabLink(tab)}
            variant={tab === filter ? "filled" : "default"}
            color={tab === "overdue" ? "red" : undefined}
            aria-current={tab === filter ? "page" : undefined}
            rightSection={
              <Badge size="sm" variant={tab === filter ? "white" : "light"} color={tab === "overdue" ? "red" : "teal"} circle={false}>
                {fmt.number(counts[tab] ?? 0)}
              </Badge>
            }
            data-testid={`inbox-tab-${tab}`}
          >
            {t(`inbox.tabs.${tab}`)}
          </Button>
        ))}
      </Group>

      <Form method="get" role="search">
        <input type="hidden" name="tab" value={filter} />
        <Group align="flex-end" gap="xs">
          <TextInput
            name="q"
            type="search"
            label={t("inbox.search")}
            placeholder={t("inbox.searchPlaceholder")}
            defaultValue={q}
            key={q}
            style={{ flex: "1 1 16rem", maxWidth: "28rem" }}
          />
          <NativeSelect
            name="sort"
            label={t("inbox.sortBy")}
            defaultValue={sort}
            key={sort}
            data={INBOX_SORTS.map((s) => ({ value: s, label: t(`inbox.sort.${s}`) }))}
            onChange={(e) => e.currentTarget.form?.requestSubmit()}
          />
          <Button type="submit" variant="default">
            {t("common:actions.search")}
          </Button>
        </Group>
      </Form>

      {items.length === 0 ? (
        <Alert color="gray" title={q ? t("inbox.noMatchesTitle") : t(`inbox.empty.${filter}.title`)} data-testid="inbox-empty">
          {q ? t("inbox.noMatches", { q }) : t(`inbox.empty.${filter}.body`)}
        </Alert>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover verticalSpacing="sm" data-testid="inbox-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("inbox.columns.task")}</Table.Th>
                <Table.Th>{t("inbox.columns.case")}</Table.Th>
                <Table.Th>{t("inbox.columns.due")}</Table.Th>
                <Table.Th>{t("inbox.columns.priority")}</Table.Th>
                <Table.Th>{t("inbox.columns.assignee")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => (
                <Table.Tr key={item.id} data-testid="inbox-row">
                  <Table.Td>
                    <Anchor component={Link} to={`${base}/tasks/${item.id}`} fw={600}>
                      {en ? item.name_en : item.name_ar}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {en ? item.definitionName_en : item.definitionName_ar}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" span dir="ltr" ff="monospace">
                      {item.caseReference}
                    </Text>
                    {item.caseTitle ? (
                      <Text size="sm" lineClamp={1}>
                        {item.caseTitle}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <DueDate dueAt={item.dueAt} overdue={item.overdue} />
                  </Table.Td>
                  <Table.Td>
                    <PriorityBadge priority={item.priority} />
                  </Table.Td>
                  <Table.Td>
                    {item.mine ? (
                      <Badge variant="light" color="teal" tt="none">
                        {t("inbox.assignedToMe")}
                      </Badge>
                    ) : item.assigneeName ? (
                      <Text size="sm">{item.assigneeName}</Text>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t("inbox.unassigned")}
                      </Text>
                    )}
                  </Table.Td>
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
