import { Alert, Button, Container, Paper, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Form, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/login";
import { CsrfInput } from "~/components/csrf-input";
import { LanguageSwitch } from "~/components/language-switch";
import { getInstance } from "~/middleware/i18next";
import { appCookies } from "~/utils/cookies.server";
import { requestContext, userContext } from "~/utils/context.server";
import { login } from "~/utils/login.server";
import { safeNext } from "~/utils/redirects";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader({ context, request }: Route.LoaderArgs) {
  if (context.get(userContext)) throw redirect(safeNext(new URL(request.url).searchParams.get("next")));
  const t = getInstance(context).getFixedT(null, "auth");
  return { title: `${t("title")} — ${t("common:appName")}` };
}

export async function action({ request, context }: Route.ActionArgs) {
  const form = await request.formData();
  const email = String(form.get("email") ?? "").trim();
  const password = String(form.get("password") ?? "");
  const t = getInstance(context).getFixedT(null, "auth");
  const fieldErrors: Record<string, string> = {};
  if (!email) fieldErrors.email = t("emailRequired");
  if (!password) fieldErrors.password = t("passwordRequired");
  if (Object.keys(fieldErrors).length) return data({ email, fieldErrors, formError: null }, { status: 400 });

  const cookies = appCookies();
  const info = context.get(requestContext);
  const previousToken = await cookies.session.parse(request.headers.get("cookie"));
  const result = await login({
    email,
    password,
    ip: info.ip,
    userAgent: request.headers.get("user-agent") ?? undefined,
    previousToken: typeof previousToken === "string" ? previousToken : undefined,
    requestId: info.requestId,
  });
  if (!result.ok) {
    const formError = result.reason === "rate_limited" ? t("rateLimited", { minutes: result.minutes }) : t("invalid");
    return data({ email, fieldErrors: {} as Record<string, string>, formError }, { status: result.reason === "rate_limited" ? 429 : 401 });
  }
  const next = safeNext(new URL(request.url).searchParams.get("next"), result.firstOrgSlug);
  const headers = new Headers();
  headers.append("Set-Cookie", await cookies.session.serialize(result.token));
  if (result.locale) headers.append("Set-Cookie", await cookies.locale.serialize(result.locale));
  throw redirect(next, { headers });
}

export default function Login({ actionData }: Route.ComponentProps) {
  const { t } = useTranslation("auth");
  const busy = useNavigation().state === "submitting";
  return (
    <Container size={440} py={60}>
      <Stack gap="lg">
        <Stack gap={4} align="center">
          <Title order={1} c="teal.8">
            {t("common:appName")}
          </Title>
          <Text c="dimmed" ta="center">
            {t("common:tagline")}
          </Text>
        </Stack>
        <Paper withBorder shadow="sm" p="xl" radius="md">
          <Form method="post" noValidate>
            <CsrfInput />
            <Stack>
              <Title order={2} size="h3">
                {t("title")}
              </Title>
              <Text size="sm" c="dimmed">
                {t("subtitle")}
              </Text>
              {actionData?.formError ? (
                <Alert color="red" role="alert">
                  {actionData.formError}
                </Alert>
              ) : null}
              <TextInput
                name="email"
                type="email"
                label={t("email")}
                autoComplete="username"
                dir="ltr"
                required
                defaultValue={actionData?.email ?? ""}
                error={actionData?.fieldErrors.email}
              />
              <PasswordInput
                name="password"
                label={t("password")}
                autoComplete="current-password"
                required
                error={actionData?.fieldErrors.password}
              />
              <Button type="submit" loading={busy} fullWidth>
                {t("submit")}
              </Button>
            </Stack>
          </Form>
        </Paper>
        <LanguageSwitch />
      </Stack>
    </Container>
  );
}
