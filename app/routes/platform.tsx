import { AppShell, Button, Group, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Form, Link, Outlet } from "react-router";
import type { Route } from "./+types/platform";
import { CsrfInput } from "~/components/csrf-input";
import { LanguageSwitch } from "~/components/language-switch";
import { RouteErrorPage } from "~/components/route-error";
import { requirePlatformAdmin } from "~/utils/platform.server";

// The platform area's frame: a plain header (no organisation, no tenant navigation).
// Child loaders check again: React Router runs them in parallel with this one.
export function loader(args: Route.LoaderArgs) {
  const { user } = requirePlatformAdmin(args);
  return { user: { name: user.name, email: user.email } };
}

export default function PlatformLayout({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("platform");
  return (
    <AppShell header={{ height: 60 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Text component={Link} to="/platform" fw={800} c="teal.8" size="xl">
              {t("common:appName")}
            </Text>
            <Text fw={600}>{t("title")}</Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Text size="sm" c="dimmed" visibleFrom="sm">
              {loaderData.user.name}
            </Text>
            <Button component={Link} to="/" variant="subtle" size="compact-sm" visibleFrom="xs">
              {t("myOrganisations")}
            </Button>
            <LanguageSwitch />
            <Form method="post" action="/logout">
              <CsrfInput />
              <Button type="submit" variant="subtle" color="gray" size="compact-sm">
                {t("common:nav.signOut")}
              </Button>
            </Form>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
