import { Button, Container, Paper, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Form } from "react-router";
import type { Route } from "./+types/welcome";
import { CsrfInput } from "~/components/csrf-input";
import { LanguageSwitch } from "~/components/language-switch";
import { requireUser } from "~/utils/session.server";

// A signed-in user who belongs to no organisation lands here.
export function loader({ request, context }: Route.LoaderArgs) {
  const user = requireUser(context, request);
  return { name: user.name };
}

export default function Welcome({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("common");
  return (
    <Container size={520} py={60}>
      <Paper withBorder p="xl">
        <Stack>
          <Title order={1}>{loaderData.name}</Title>
          <Text>{t("home.noOrgs")}</Text>
          <Form method="post" action="/logout">
            <CsrfInput />
            <Button type="submit" variant="light">
              {t("nav.signOut")}
            </Button>
          </Form>
          <LanguageSwitch />
        </Stack>
      </Paper>
    </Container>
  );
}
