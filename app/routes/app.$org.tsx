import { AppShell, Burger, Group, Menu, NavLink, ScrollArea, Stack, Text, Title, UnstyledButton, Button } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { packRules } from "@casl/ability/extra";
import { useTranslation } from "react-i18next";
import { Form, Link, NavLink as RouterNavLink, Outlet, useLocation, useMatches } from "react-router";
import type { Route } from "./+types/app.$org";
import { CsrfInput } from "~/components/csrf-input";
import { LanguageSwitch } from "~/components/language-switch";
import { NotificationBell } from "~/components/notification-bell";
import { RouteErrorPage } from "~/components/route-error";
import { listUserOrgs } from "~/models/organisations.server";
import { unreadCount } from "~/models/notifications.server";
import { enabledPluginIds } from "~/models/plugin-orgs.server";
import { appDb, withTenant, withUser } from "~/utils/db.server";
import { requireOrgMember } from "~/utils/org-context.server";
import { navEntries } from "~/utils/navigation.server";

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  const orgs = await withUser(appDb(), ctx.user.id, (trx) => listUserOrgs(trx, ctx.user.id));
  // The bell's unread count rides in the same transaction: one indexed COUNT.
  const { plugins, unread } = await withTenant(appDb(), ctx.scope, async (trx) => ({ plugins: await enabledPluginIds(trx, ctx.org.id), unread: await unreadCount(trx, ctx.org.id, ctx.user.id) }));
  return {
    org: { slug: ctx.org.slug, name_ar: ctx.org.name_ar, name_en: ctx.org.name_en },
    prefs: ctx.prefs,
    user: { name: ctx.user.name, email: ctx.user.email, isPlatformAdmin: ctx.user.isPlatformAdmin },
    orgs: orgs.map((o) => ({ slug: o.slug, name_ar: o.name_ar, name_en: o.name_en })),
    nav: navEntries(ctx, plugins),
    rules: packRules(ctx.rules),
    unread,
  };
}

export default function OrgShell({ loaderData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("common");
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  // Pages that need the whole width (the workflow designer: handle.fullWidth) fold the menu away behind the burger.
  const fullWidth = useMatches().some((m) => (m.handle as { fullWidth?: boolean } | undefined)?.fullWidth);
  const { org, orgs, nav, user } = loaderData;
  const orgName = (o: { name_ar: string; name_en: string }) => (i18n.language === "en" ? o.name_en : o.name_ar);
  const base = `/app/${org.slug}`;
  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 260, breakpoint: "sm", collapsed: { mobile: !opened, desktop: fullWidth && !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom={fullWidth ? undefined : "sm"} size="sm" aria-label={t("nav.openNavigation")} />
            <Text component={Link} to={`${base}/inbox`} fw={800} c="teal.8" size="xl">
              {t("appName")}
            </Text>
            {orgs.length > 1 ? (
              <Menu position="bottom-start" withinPortal>
                <Menu.Target>
                  <UnstyledButton aria-label={t("nav.switchOrg")} data-testid="org-switcher">
                    <Text fw={600}>{orgName(org)} ▾</Text>
                  </UnstyledButton>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Label>{t("nav.switchOrg")}</Menu.Label>
                  {orgs.map((o) => (
                    <Menu.Item key={o.slug} component={Link} to={`/app/${o.slug}/inbox`} disabled={o.slug === org.slug}>
                      {orgName(o)}
                    </Menu.Item>
                  ))}
                </Menu.Dropdown>
              </Menu>
            ) : (
              <Text fw={600}>{orgName(org)}</Text>
            )}
          </Group>
          <Group gap="xs" wrap="nowrap">
            <NotificationBell base={base} unread={loaderData.unread} />
            <Group gap="xs" wrap="nowrap" visibleFrom="xs">
              <LanguageSwitch />
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <UnstyledButton data-testid="user-menu">
                    <Text size="sm">{user.name} ▾</Text>
                  </UnstyledButton>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Item component={Link} to={`${base}/profile`}>
                    {t("nav.profile")}
                  </Menu.Item>
                  <Menu.Item component={Link} to={`${base}/tokens`}>
                    {t("nav.tokens")}
                  </Menu.Item>
                  {user.isPlatformAdmin ? (
                    <Menu.Item component={Link} to="/platform">
                      {t("nav.platform")}
                    </Menu.Item>
                  ) : null}
                </Menu.Dropdown>
              </Menu>
            </Group>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label={t("nav.mainNavigation")}>
        <AppShell.Section grow component={ScrollArea}>
          <Stack gap={2}>
            {nav.map((entry) =>
              entry.kind === "heading" ? (
                <Title key={entry.key} order={2} size="xs" c="dimmed" tt="uppercase" mt="md" mb={4} px="sm">
                  {t(entry.label, { ns: entry.ns })}
                </Title>
              ) : (
                <NavLink
                  key={entry.key}
                  component={RouterNavLink}
                  to={`${base}/${entry.path}`}
                  label={t(entry.label, { ns: entry.ns })}
                  active={location.pathname.startsWith(`${base}/${entry.path}`)}
                  onClick={close}
                />
              ),
            )}
          </Stack>
        </AppShell.Section>
        <AppShell.Section>
          {/* On phones the header hides the language switch and user menu: offer them here. */}
          <Stack gap={4} hiddenFrom="xs" mb="xs">
            <LanguageSwitch />
            <NavLink component={Link} to={`${base}/profile`} label={t("nav.profile")} onClick={close} />
          </Stack>
          <Form method="post" action="/logout">
            <CsrfInput />
            <Button type="submit" variant="subtle" color="gray" fullWidth justify="flex-start">
              {t("nav.signOut")}
            </Button>
          </Form>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
