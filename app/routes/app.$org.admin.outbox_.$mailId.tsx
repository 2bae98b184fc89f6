import { Anchor, Code, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Link, useParams } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/app.$org.admin.outbox_.$mailId";
import { OutboxStatus } from "~/components/outbox-status";
import { useOrgFormat } from "~/components/org-format";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { getOutboxMail } from "~/models/email-outbox.server";
import { appDb, withTenant } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

// What the mail frame may do: nothing but show inline styles and inline images.
const FRAME_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'";

/** The stored HTML with a strict CSP of its own, for a sandboxed srcdoc frame (no scripts, no requests). */
function framedHtml(html: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${FRAME_CSP}">`;
  return /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (head) => `${head}${meta}`) : `${meta}${html}`;
}

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "update", "Organisation");
  const id = z.uuid().safeParse(args.params.mailId);
  const mail = id.success ? await withTenant(appDb(), ctx.scope, (trx) => getOutboxMail(trx, ctx.org.id, id.data)) : undefined;
  if (!mail) throw data({ code: "not_found" }, { status: 404 });
  const t = getInstance(args.context).getFixedT(null, "notifications");
  return {
    title: `${mail.subject} — ${t("outbox.title")}`,
    smtp: Boolean(env().SMTP_URL),
    mail: {
      to: mail.to_address,
      locale: mail.locale,
      subject: mail.subject,
      text: mail.body_text,
      html: framedHtml(mail.body_html),
      status: mail.status,
      attempts: mail.attempts,
      lastError: mail.last_error,
      createdAt: mail.created_at.toISOString(),
      sentAt: mail.sent_at?.toISOString() ?? null,
      nextAttemptAt: mail.status === "queued" ? mail.next_attempt_at.toISOString() : null,
    },
  };
}

export default function OutboxMail({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("notifications");
  const fmt = useOrgFormat();
  const base = `/app/${useParams().org}`;
  const { mail, smtp } = loaderData;
  const dir = mail.locale === "ar" ? "rtl" : "ltr";
  const field = (label: string, value: React.ReactNode) => (
    <Stack gap={2}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <div>{value}</div>
    </Stack>
  );
  return (
    <Stack maw={900}>
      <Anchor component={Link} to={`${base}/admin/outbox`} size="sm">
        {t("outbox.back")}
      </Anchor>
      <Title order={1} lang={mail.locale} dir={dir} data-testid="mail-subject">
        {mail.subject}
      </Title>
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          {field(t("outbox.to"), <Text dir="ltr" span>{mail.to}</Text>)}
          {field(t("outbox.language"), t(`outbox.localeValue.${mail.locale}`))}
          {field(t("outbox.status"), <OutboxStatus status={mail.status} smtp={smtp} />)}
          {field(t("outbox.created"), fmt.dateTime(mail.createdAt))}
          {field(t("outbox.attempts"), fmt.number(mail.attempts))}
          {mail.sentAt ? field(t("outbox.sentAt"), fmt.dateTime(mail.sentAt)) : mail.nextAttemptAt && smtp ? field(t("outbox.nextAttempt"), fmt.dateTime(mail.nextAttemptAt)) : null}
        </SimpleGrid>
        {mail.lastError ? (
          <Group mt="sm" gap="xs">
            <Text size="sm" c="red">
              {t("outbox.lastError")}:
            </Text>
            <Code dir="ltr">{mail.lastError}</Code>
          </Group>
        ) : null}
      </Paper>
      <Title order={2} size="h4">
        {t("outbox.text")}
      </Title>
      <Paper withBorder p="md">
        <Text component="pre" lang={mail.locale} dir={dir} style={{ whiteSpace: "pre-wrap", fontFamily: "inherit", margin: 0 }} data-testid="mail-text">
          {mail.text}
        </Text>
      </Paper>
      <Title order={2} size="h4">
        {t("outbox.html")}
      </Title>
      {/* sandbox="" : no scripts, no forms, no navigation, a unique origin; plus the frame's own CSP. */}
      <iframe title={t("outbox.htmlFrame")} sandbox="" srcDoc={mail.html} referrerPolicy="no-referrer" style={{ width: "100%", height: 420, border: "1px solid var(--mantine-color-gray-3)", borderRadius: 4, background: "#f4f6f8" }} data-testid="mail-html" />
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
