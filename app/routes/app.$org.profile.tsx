import { Alert, Anchor, Badge, Button, Group, List, Paper, Radio, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useNavigation, useSearchParams } from "react-router";
import type { Route } from "./+types/app.$org.profile";
import { CsrfInput } from "~/components/csrf-input";
import { RouteErrorPage } from "~/components/route-error";
import { isLocale } from "~/locales";
import { getInstance } from "~/middleware/i18next";
import { listUserOrgs } from "~/models/organisations.server";
import { setUserLocale } from "~/models/users.server";
import { appCookies } from "~/utils/cookies.server";
import { appDb, withUser } from "~/utils/db.server";
import { requireOrgMember } from "~/utils/org-context.server";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

// A member's own profile: no assertCan, the page only shows and changes the signed-in user.
export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  const orgs = await withUser(appDb(), ctx.user.id, (trx) => listUserOrgs(trx, ctx.user.id));
  const t = getInstance(args.context).getFixedT(null, "common");
  return {
    title: `${t("profile.title")} — ${t("appName")}`,
    user: { name: ctx.user.name, email: ctx.user.email, locale: ctx.user.locale ?? ctx.locale },
    currentSlug: ctx.org.slug,
    orgs: orgs.map((o) => ({ slug: o.slug, name_ar: o.name_ar, name_en: o.name_en })),
  };
}

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  const form = await args.request.formData();
  const locale = form.get("locale");
  if (!isLocale(locale)) {
    const t = getInstance(args.context).getFixedT(null, "common");
    return data({ fieldErrors: { locale: t("required") } }, { status: 400 });
  }
  await setUserLocale(appDb(), ctx.user.id, locale);
  // The cookie mirrors the choice so the next page is already rendered in that language.
  throw redirect(`/app/${ctx.org.slug}/profile?saved=language`, {
    headers: { "Set-Cookie": await appCookies().locale.serialize(locale) },
  });
}

export default function Profile({ loaderData, actionData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("common");
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const { user, orgs, currentSlug } = loaderData;
  const en = i18n.language === "en";
  return (
    <Stack maw={720}>
      <Title order={1}>{t("profile.title")}</Title>
      {params.get("saved") === "language" ? (
        <Alert color="teal" role="status">
          {t("profile.languageSaved")}
        </Alert>
      ) : null}
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Stack gap={2}>
            <Text size="sm" c="dimmed">
              {t("profile.name")}
            </Text>
            <Text fw={600}>{user.name}</Text>
          </Stack>
          <Stack gap={2}>
            <Text size="sm" c="dimmed">
              {t("profile.email")}
            </Text>
            <Text fw={600}>
              <bdi dir="ltr">{user.email}</bdi>
            </Text>
          </Stack>
        </SimpleGrid>
        <Text size="xs" c="dimmed" mt="sm">
          {t("profile.identityHint")}
        </Text>
      </Paper>
      <Paper withBorder p="md">
        <Form method="post">
          <CsrfInput />
          <Stack>
            <Radio.Group name="locale" label={t("profile.language")} description={t("profile.languageHint")} defaultValue={user.locale} error={actionData?.fieldErrors.locale}>
              <Group mt="xs">
                <Radio value="ar" label="العربية" lang="ar" />
                <Radio value="en" label="English" lang="en" />
              </Group>
            </Radio.Group>
            <Group justify="flex-end">
              <Button type="submit" loading={busy}>
                {t("actions.save")}
              </Button>
            </Group>
          </Stack>
        </Form>
      </Paper>
      <Paper withBorder p="md">
        <Stack gap="xs">
          <Title order={2} size="h4">
            {t("profile.memberships")}
          </Title>
          <List spacing="xs">
            {orgs.map((o) => (
              <List.Item key={o.slug}>
                <Group gap="xs">
                  <Anchor component={Link} to={`/app/${o.slug}/inbox`}>
                    {en ? o.name_en : o.name_ar}
                  </Anchor>
                  {o.slug === currentSlug ? (
                    <Badge size="sm" variant="light" tt="none">
                      {t("profile.current")}
                    </Badge>
                  ) : null}
                </Group>
              </List.Item>
            ))}
          </List>
        </Stack>
      </Paper>
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
