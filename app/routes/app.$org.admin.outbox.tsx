import { Alert, Anchor, Badge, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import type { Route } from "./+types/app.$org.admin.outbox";
import { OutboxStatus } from "~/components/outbox-status";
import { useOrgFormat } from "~/components/org-format";
import { Pager } from "~/components/pager";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { listOutbox } from "~/models/email-outbox.server";
import { appDb, withTenant } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { requireOrgMember } from "~/utils/org-context.server";
import { parsePaging } from "~/utils/paging";
import { assertCan } from "~/utils/permissions.server";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

const PAGE_SIZE = 25;

// The organisation's outgoing mail, for its admins (the same permission as its settings):
// with no SMTP server configured this is where the mails can be read.
export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "update", "Organisation");
  const paging = parsePaging(new URL(args.request.url), PAGE_SIZE);
  const list = await withTenant(appDb(), ctx.scope, (trx) => listOutbox(trx, ctx.org.id, { limit: paging.pageSize, offset: paging.offset }));
  const t = getInstance(args.context).getFixedT(null, "notifications");
  return {
    title: `${t("outbox.title")} — ${t("common:appName")}`,
    smtp: Boolean(env().SMTP_URL),
    total: list.total,
    page: paging.page,
    pageSize: paging.pageSize,
    mails: list.rows.map((m) => ({ id: m.id, to: m.to_address, locale: m.locale, subject: m.subject, status: m.status, attempts: m.attempts, createdAt: m.created_at.toISOString() })),
  };
}

export default function Outbox({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("notifications");
  const fmt = useOrgFormat();
  const base = `/app/${useParams().org}`;
  const { mails, smtp } = loaderData;
  return (
    <Stack>
      <Title order={1}>{t("outbox.title")}</Title>
      <Text c="dimmed">{t("outbox.intro")}</Text>
      {!smtp ? (
        <Alert color="yellow" data-testid="outbox-no-smtp">
          {t("outbox.noSmtp")}
        </Alert>
      ) : null}
      {mails.length === 0 ? (
        <Alert color="gray">{t("outbox.empty")}</Alert>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover verticalSpacing="sm" data-testid="outbox-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("outbox.subject")}</Table.Th>
                <Table.Th>{t("outbox.to")}</Table.Th>
                <Table.Th>{t("outbox.language")}</Table.Th>
                <Table.Th>{t("outbox.status")}</Table.Th>
                <Table.Th>{t("outbox.created")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {mails.map((m) => (
                <Table.Tr key={m.id} data-testid="outbox-row">
                  <Table.Td>
                    <Anchor component={Link} to={`${base}/admin/outbox/${m.id}`} fw={600} lang={m.locale} dir={m.locale === "ar" ? "rtl" : "ltr"}>
                      {m.subject}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" dir="ltr" span>
                      {m.to}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color="gray" tt="none">
                      {t(`outbox.localeValue.${m.locale}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <OutboxStatus status={m.status} smtp={smtp} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{fmt.dateTime(m.createdAt)}</Text>
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
