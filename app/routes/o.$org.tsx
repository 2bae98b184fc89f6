import { Anchor, Box, Container, Group, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Link, NavLink, Outlet, useLocation } from "react-router";
import type { Route } from "./+types/o.$org";
import { LanguageSwitch } from "~/components/language-switch";
import { PortalError } from "~/components/portal/portal-error";
import { isLocale } from "~/locales";
import { appCookies } from "~/utils/cookies.server";
import { requirePortalOrg } from "~/utils/portal.server";

// The public portal's own layout (ADR 010): the organisation's name, its sections and the
// language switch. No staff navigation, nobody signed in; 404 for an unknown organisation
// or one without the service catalogue.
export async function loader(args: Route.LoaderArgs) {
  const org = await requirePortalOrg(args);
  // A link with ?lng=en (or ar) keeps its language for the following pages, as the switch does.
  const lng = new URL(args.request.url).searchParams.get("lng");
  const headers = new Headers();
  if (isLocale(lng)) headers.append("Set-Cookie", await appCookies().locale.serialize(lng));
  return data({ org: { slug: org.slug, name: org.name }, prefs: org.prefs }, { headers });
}

export default function PortalLayout({ loaderData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("portal");
  const { org } = loaderData;
  const name = i18n.language === "en" ? org.name.en : org.name.ar;
  const base = `/o/${org.slug}`;
  const path = useLocation().pathname.replace(/\/$/, "");
  // NavLink marks the current section with aria-current; the underline shows it too.
  const link = (to: string, label: string, active: boolean) => (
    <Anchor component={NavLink} to={to} end fw={600} c="teal.9" underline={active ? "always" : "hover"}>
      {label}
    </Anchor>
  );
  return (
    <Box mih="100vh" bg="gray.0" style={{ display: "flex", flexDirection: "column" }}>
      <Box component="header" bg="white" style={{ borderBottom: "1px solid var(--mantine-color-gray-3)" }}>
        <Container size="lg" py="sm">
          <Group justify="space-between" wrap="wrap" gap="sm">
            <Stack gap={0}>
              <Text component={Link} to={base} fw={800} size="xl" c="teal.9" data-testid="portal-org-name">
                {name}
              </Text>
              <Text size="sm" c="dimmed">
                {t("portalName")}
              </Text>
            </Stack>
            <Group gap="lg" component="nav" aria-label={t("nav.label")}>
              {link(base, t("nav.services"), path === base || path.startsWith(`${base}/services/`))}
              {link(`${base}/charter`, t("nav.charter"), path === `${base}/charter`)}
              {link(`${base}/track`, t("nav.track"), path === `${base}/track`)}
              <LanguageSwitch />
            </Group>
          </Group>
        </Container>
      </Box>
      <Container size="lg" py="lg" component="main" w="100%" style={{ flex: 1 }}>
        <Outlet />
      </Container>
      <Box component="footer" py="md" bg="white" style={{ borderTop: "1px solid var(--mantine-color-gray-3)" }}>
        <Container size="lg">
          <Text size="sm" c="dimmed">
            {name} — {t("poweredBy")}
          </Text>
        </Container>
      </Box>
    </Box>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <PortalError error={error} linkHome={false} />;
}
