import { Alert, Anchor, Button, Checkbox, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Form, Link, redirect, useNavigation, useParams, useSearchParams } from "react-router";
import type { Route } from "./+types/app.$org.notifications.settings";
import { CsrfInput } from "~/components/csrf-input";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { getEmailChoices, saveEmailChoices } from "~/models/notification-preferences.server";
import { NOTIFICATION_KINDS } from "~/notifications/kinds";
import { kindName } from "~/notifications/render";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { requireOrgMember } from "~/utils/org-context.server";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

// The member's own email choices in this organisation (no assertCan: only their own row set).
export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  const choices = await withTenant(appDb(), ctx.scope, (trx) => getEmailChoices(trx, ctx.org.id, ctx.user.id));
  const t = getInstance(args.context).getFixedT(null, "notifications");
  return {
    title: `${t("settings.title")} — ${t("common:appName")}`,
    email: ctx.user.email,
    kinds: NOTIFICATION_KINDS.map((kind) => ({ kind, name: kindName(kind, ctx.locale), email: choices[kind] ?? true })),
  };
}

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  const form = await args.request.formData();
  // A checkbox sends its value only when ticked: every kind not sent is "no email".
  const ticked = new Set(form.getAll("email").map(String));
  const choices = Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, ticked.has(kind)]));
  await withTenant(appDb(), ctx.scope, (trx) => saveEmailChoices(trx, auditActor(ctx, args.context), choices));
  throw redirect(`/app/${ctx.org.slug}/notifications/settings?saved=1`);
}

export default function NotificationSettings({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("notifications");
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const base = `/app/${useParams().org}`;
  return (
    <Stack maw={720}>
      <Anchor component={Link} to={`${base}/notifications`} size="sm">
        {t("settings.back")}
      </Anchor>
      <Title order={1}>{t("settings.title")}</Title>
      {params.get("saved") ? (
        <Alert color="teal" role="status">
          {t("settings.saved")}
        </Alert>
      ) : null}
      <Text>{t("settings.intro", { email: `\u2068${loaderData.email}\u2069` })}</Text>
      <Paper withBorder p="md">
        <Form method="post">
          <CsrfInput />
          <Stack>
            <Checkbox.Group label={t("settings.email")} defaultValue={loaderData.kinds.filter((k) => k.email).map((k) => k.kind)}>
              <Stack gap="sm" mt="xs">
                {loaderData.kinds.map((k) => (
                  <Checkbox key={k.kind} name="email" value={k.kind} label={k.name} data-testid={`email-${k.kind}`} />
                ))}
              </Stack>
            </Checkbox.Group>
            <Group justify="flex-end">
              <Button type="submit" loading={busy}>
                {t("settings.save")}
              </Button>
            </Group>
          </Stack>
        </Form>
      </Paper>
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
