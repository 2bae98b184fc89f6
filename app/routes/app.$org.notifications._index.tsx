import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Form, Link, useFetcher, useNavigation, useParams, useSearchParams } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/app.$org.notifications._index";
import { CsrfInput } from "~/components/csrf-input";
import { useOrgFormat } from "~/components/org-format";
import { Pager } from "~/components/pager";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { listNotifications, markAllRead, markRead, unreadCount } from "~/models/notifications.server";
import { renderNotification } from "~/notifications/render";
import { useRootData } from "~/root";
import { appDb, withTenant } from "~/utils/db.server";
import { requireOrgMember } from "~/utils/org-context.server";
import { parsePaging } from "~/utils/paging";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

const PAGE_SIZE = 20;
const FILTERS = ["all", "unread"] as const;
type Filter = (typeof FILTERS)[number];

// A member's own notifications: like the profile, no assertCan — every query is keyed by the
// signed-in member, so nobody reads or marks anyone else's.
export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  const url = new URL(args.request.url);
  const paging = parsePaging(url, PAGE_SIZE);
  const filter: Filter = url.searchParams.get("show") === "unread" ? "unread" : "all";
  const found = await withTenant(appDb(), ctx.scope, async (trx) => ({
    list: await listNotifications(trx, ctx.org.id, ctx.user.id, { unreadOnly: filter === "unread", limit: paging.pageSize, offset: paging.offset }),
    unread: await unreadCount(trx, ctx.org.id, ctx.user.id),
  }));
  const t = getInstance(args.context).getFixedT(null, "notifications");
  return {
    title: `${t("list.title")} — ${t("common:appName")}`,
    filter,
    page: paging.page,
    pageSize: paging.pageSize,
    total: found.list.total,
    unread: found.unread,
    // Rendered now, in the language the member reads the page in (stored: kind and params only).
    items: found.list.rows.map((row) => ({
      id: row.id,
      ...renderNotification(row.kind, row.params, ctx.prefs),
      link: row.link,
      createdAt: row.created_at.toISOString(),
      read: row.read_at !== null,
    })),
  };
}

const actionSchema = z.discriminatedUnion("intent", [z.object({ intent: z.literal("read"), id: z.uuid() }), z.object({ intent: z.literal("readAll") })]);

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  const parsed = actionSchema.safeParse(Object.fromEntries(await args.request.formData()));
  if (!parsed.success) throw data({ code: "bad_request" }, { status: 400 });
  const input = parsed.data;
  if (input.intent === "read") {
    await withTenant(appDb(), ctx.scope, (trx) => markRead(trx, ctx.org.id, ctx.user.id, input.id));
    return { done: "read" as const };
  }
  const count = await withTenant(appDb(), ctx.scope, (trx) => markAllRead(trx, ctx.org.id, ctx.user.id));
  return { done: "readAll" as const, count };
}

export default function Notifications({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("notifications");
  const [params] = useSearchParams();
  const base = `/app/${useParams().org}`;
  const fmt = useOrgFormat();
  const busy = useNavigation().state === "submitting";
  const { items, filter, unread } = loaderData;
  const filterLink = (value: Filter) => {
    const next = new URLSearchParams(params);
    next.set("show", value);
    next.delete("page");
    return `?${next.toString()}`;
  };
  return (
    <Stack maw={860}>
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={1}>{t("list.title")}</Title>
          <Text c="dimmed" size="sm" data-testid="unread-summary">
            {t("list.unreadCount", { count: unread, formatted: fmt.number(unread) })}
          </Text>
        </Stack>
        <Group gap="xs">
          <Button component={Link} to={`${base}/notifications/settings`} variant="default">
            {t("list.settings")}
          </Button>
          {unread > 0 ? (
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="readAll" />
              <Button type="submit" loading={busy} data-testid="mark-all-read">
                {t("list.markAllRead")}
              </Button>
            </Form>
          ) : null}
        </Group>
      </Group>

      {actionData?.done === "readAll" ? (
        <Alert color="teal" role="status">
          {t("list.markedAll")}
        </Alert>
      ) : null}

      <Group gap="xs" role="group" aria-label={t("list.filter")}>
        {FILTERS.map((value) => (
          <Button key={value} component={Link} to={filterLink(value)} variant={value === filter ? "filled" : "default"} aria-current={value === filter ? "page" : undefined} data-testid={`filter-${value}`}>
            {t(`list.${value}`)}
          </Button>
        ))}
      </Group>

      {items.length === 0 ? (
        <Alert color="gray" data-testid="notifications-empty">
          {filter === "unread" ? t("list.emptyUnread") : t("list.emptyAll")}
        </Alert>
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }} data-testid="notification-list">
          {items.map((item) => (
            <NotificationItem key={item.id} item={item} base={base} />
          ))}
        </Stack>
      )}
      <Pager total={loaderData.total} page={loaderData.page} pageSize={loaderData.pageSize} />
    </Stack>
  );
}

type Item = Route.ComponentProps["loaderData"]["items"][number];

function NotificationItem({ item, base }: { item: Item; base: string }) {
  const { t } = useTranslation("notifications");
  const fmt = useOrgFormat();
  const fetcher = useFetcher();
  // The token <CsrfInput/> renders; fetcher.submit sends plain form fields.
  const csrf = useRootData()?.csrf ?? "";
  // Optimistic: once marked (button or opening the link) the row shows as read at once.
  const read = item.read || fetcher.formData?.get("id") === item.id;
  const markRead = () => {
    if (!read) void fetcher.submit({ intent: "read", id: item.id, _csrf: csrf }, { method: "post", action: `${base}/notifications` });
  };
  return (
    <Paper component="li" withBorder p="sm" bg={read ? undefined : "teal.0"} data-testid="notification-item" data-read={read ? "true" : "false"}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Group gap="xs">
            {!read ? (
              <Badge color="teal" size="sm" tt="none">
                {t("list.new")}
              </Badge>
            ) : null}
            {item.link ? (
              <Anchor component={Link} to={`${base}/${item.link}`} fw={read ? 500 : 700} onClick={markRead}>
                {item.title}
              </Anchor>
            ) : (
              <Text fw={read ? 500 : 700}>{item.title}</Text>
            )}
          </Group>
          <Text size="sm">{item.body}</Text>
          <Text size="xs" c="dimmed">
            <time dateTime={item.createdAt}>{fmt.dateTime(item.createdAt)}</time>
          </Text>
        </Stack>
        {!read ? (
          <fetcher.Form method="post" action={`${base}/notifications`}>
            <CsrfInput />
            <input type="hidden" name="intent" value="read" />
            <input type="hidden" name="id" value={item.id} />
            <Button type="submit" size="compact-sm" variant="light" aria-label={`${t("list.markRead")}: ${item.title}`} data-testid="mark-read">
              {t("list.markRead")}
            </Button>
          </fetcher.Form>
        ) : null}
      </Group>
    </Paper>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
