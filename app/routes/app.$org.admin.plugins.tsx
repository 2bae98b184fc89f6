import { Alert, Anchor, Badge, Button, Code, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Form, Link, useNavigation } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/app.$org.admin.plugins";
import { CsrfInput } from "~/components/csrf-input";
import { useOrgFormat } from "~/components/org-format";
import { PluginErrorAlert, pick, type Lang } from "~/components/plugin-admin";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { setPluginEnabled } from "~/models/plugin-orgs.server";
import { installTemplates } from "~/models/plugin-templates.server";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { requireOrgMember } from "~/utils/org-context.server";
import { pluginCatalogue } from "~/utils/plugin-admin.server";
import { assertCan } from "~/utils/permissions.server";
import { pluginRegistry } from "~/utils/plugins.server";

// The organisation's plugin catalogue: every installed plugin, what it does and adds, its
// dependencies and version; an admin enables or disables it for this organisation. Enabling
// copies the plugin's templates in as drafts; disabling hides it (navigation, pages, workflow
// steps, jobs) and keeps its data. A plugin the platform disabled at boot shows why.

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Plugin");
  const t = getInstance(args.context).getFixedT(null, "plugins");
  const plugins = await withTenant(appDb(), ctx.scope, (trx) => pluginCatalogue(trx, ctx.org.id));
  return { title: `${t("title")} — ${t("common:appName")}`, plugins, canChange: ctx.ability.can("update", "Plugin") };
}

const toggleSchema = z.object({ intent: z.enum(["enable", "disable"]), pluginId: z.string().min(1).max(40) });

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "update", "Plugin");
  const t = getInstance(args.context).getFixedT(null, "plugins");
  const parsed = toggleSchema.safeParse(Object.fromEntries(await args.request.formData()));
  if (!parsed.success) throw data({ code: "bad_request" }, { status: 400 });
  const { intent, pluginId } = parsed.data;
  const lang: Lang = ctx.locale;
  const nameOf = (id: string) => {
    const p = pluginRegistry().plugins.find((x) => x.id === id);
    return p?.names ? pick(p.names, lang) : id;
  };
  const actor = auditActor(ctx, args.context);
  const outcome = await withTenant(appDb(), ctx.scope, async (trx) => {
    const result = await setPluginEnabled(trx, actor, pluginId, intent === "enable");
    const installed = result.ok && intent === "enable" ? await installTemplates(trx, actor, pluginId) : [];
    return { result, installed };
  });
  const { result, installed } = outcome;
  if (!result.ok) {
    const names = "pluginIds" in result ? result.pluginIds.map(nameOf).join(t("listSeparator")) : "";
    return data({ ok: false as const, pluginId, message: t(`catalogue.refused.${result.reason}`, { names, name: nameOf(pluginId) }) }, { status: result.reason === "unknown_plugin" ? 404 : 409 });
  }
  const message =
    intent === "enable"
      ? installed.length
        ? t("catalogue.enabledWithTemplates", { name: nameOf(pluginId), templates: installed.map((i) => i.targetKey).join(t("listSeparator")) })
        : t("catalogue.enabled", { name: nameOf(pluginId) })
      : t("catalogue.disabled", { name: nameOf(pluginId) });
  return { ok: true as const, pluginId, message };
}

export default function Plugins({ loaderData, actionData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("plugins");
  const lang: Lang = i18n.language === "en" ? "en" : "ar";
  const other: Lang = lang === "en" ? "ar" : "en";
  const busy = useNavigation().state === "submitting";
  const fmt = useOrgFormat();
  const { plugins, canChange } = loaderData;
  const broken = plugins.filter((p) => p.status === "disabled").length;
  return (
    <Stack>
      <Title order={1}>{t("title")}</Title>
      <Text c="dimmed">{t("catalogue.intro")}</Text>
      {actionData ? (
        <Alert color={actionData.ok ? "teal" : "orange"} role={actionData.ok ? "status" : "alert"} data-testid="plugin-result">
          {actionData.message}
        </Alert>
      ) : null}
      {broken ? (
        <Alert color="orange" role="status">
          {t("disabledSummary", { count: broken })}
        </Alert>
      ) : null}
      {plugins.length === 0 ? <Alert color="gray">{t("none")}</Alert> : null}
      {plugins.map((p) => (
        <Paper key={p.id} withBorder p="md" radius="md" data-testid="plugin" data-plugin-id={p.id} data-enabled={p.enabled ? "yes" : "no"}>
          <Stack gap="xs">
            <Group justify="space-between" align="flex-start" wrap="nowrap">
              <Stack gap={2}>
                <Title order={2} size="h4">
                  {pick(p.names, lang)}
                </Title>
                <Text size="sm" c="dimmed" lang={other}>
                  {pick(p.names, other)}
                </Text>
              </Stack>
              <Group gap="xs">
                {p.status === "disabled" ? (
                  <Badge color="red" variant="light" size="lg">
                    {t("status.disabled")}
                  </Badge>
                ) : (
                  <Badge color={p.enabled ? "teal" : "gray"} variant="light" size="lg" data-testid="plugin-org-status">
                    {t(p.enabled ? "catalogue.on" : "catalogue.off")}
                  </Badge>
                )}
              </Group>
            </Group>
            {p.description ? <Text>{pick(p.description, lang)}</Text> : null}
            <Group gap="lg">
              <Text size="sm">
                {t("version")}: <Code dir="ltr">{p.version ?? t("unknownVersion")}</Code>
              </Text>
              <Text size="sm">
                {t("dependsOn")}:{" "}
                {p.dependsOn.length
                  ? p.dependsOn.map((d) => `${pick(d.names, lang)} (${t(d.enabled ? "catalogue.on" : "catalogue.off")})`).join(t("listSeparator"))
                  : t("catalogue.noDependencies")}
              </Text>
            </Group>
            {p.status === "active" ? <Text size="sm" c="dimmed">{addsText(t, p.adds, fmt.number)}</Text> : null}
            {p.upgradesOffered ? (
              <Alert color="blue" variant="light" p="xs">
                {t("catalogue.templatesOffered", { count: p.upgradesOffered, n: fmt.number(p.upgradesOffered) })}
              </Alert>
            ) : null}
            {p.error ? <PluginErrorAlert error={p.error} failedUpgradeFrom={p.failedUpgradeFrom} version={p.version} /> : null}
            <Group gap="sm">
              {canChange && p.status === "active" ? (
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="pluginId" value={p.id} />
                  <Button
                    type="submit"
                    name="intent"
                    value={p.enabled ? "disable" : "enable"}
                    variant={p.enabled ? "default" : "filled"}
                    color={p.enabled ? "red" : "teal"}
                    loading={busy}
                    aria-label={t(p.enabled ? "catalogue.disableLabel" : "catalogue.enableLabel", { name: pick(p.names, lang) })}
                  >
                    {t(p.enabled ? "catalogue.disable" : "catalogue.enable")}
                  </Button>
                </Form>
              ) : null}
              <Anchor component={Link} to={p.id} aria-label={t("catalogue.detailsLabel", { name: pick(p.names, lang) })}>
                {t("catalogue.details")}
              </Anchor>
            </Group>
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}

type T = (key: string, options?: Record<string, unknown>) => string;

/** "Adds: 3 settings, 1 workflow template, …" — only what the plugin has. */
function addsText(t: T, adds: Record<string, number>, number: (n: number) => string): string {
  const parts = Object.entries(adds)
    .filter(([, n]) => n > 0)
    .map(([kind, count]) => t(`catalogue.adds.${kind}`, { count, n: number(count) }));
  return parts.length ? t("catalogue.addsList", { list: parts.join(t("listSeparator")) }) : t("catalogue.addsNothing");
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
