import { Alert, Anchor, Badge, Breadcrumbs, Button, Code, Group, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Form, Link, useNavigation } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/app.$org.admin.plugins_.$pluginId";
import { CsrfInput } from "~/components/csrf-input";
import { useOrgFormat } from "~/components/org-format";
import { PluginErrorAlert, pick, type Lang } from "~/components/plugin-admin";
import { PluginSettingsForm, settingsValueText } from "~/components/plugin-settings";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { uninstallPlugin } from "~/models/plugin-data.server";
import { savePluginSettings, setPluginEnabled } from "~/models/plugin-orgs.server";
import { acceptTemplateUpgrade, installTemplates } from "~/models/plugin-templates.server";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { formatNumber } from "~/utils/format";
import { notFound, requireOrgMember } from "~/utils/org-context.server";
import { pluginDetail } from "~/utils/plugin-admin.server";
import { assertCan } from "~/utils/permissions.server";

// One plugin in this organisation: what it adds, its settings (a form rendered from the
// plugin's settings schema, every saved change a numbered version with its author), its
// templates (copied in as drafts; newer template versions offered, never forced), its data
// (export as JSON; uninstall once disabled and exported).

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Plugin");
  const detail = await withTenant(appDb(), ctx.scope, (trx) => pluginDetail(trx, ctx.org.id, args.params.pluginId));
  if (!detail) notFound();
  const t = getInstance(args.context).getFixedT(null, "plugins");
  return {
    title: `${pick(detail.names, ctx.locale)} — ${t("title")} — ${t("common:appName")}`,
    plugin: detail,
    canChange: ctx.ability.can("update", "Plugin"),
    canUninstall: ctx.ability.can("delete", "Plugin"),
  };
}

const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.enum(["enable", "disable", "install", "uninstall"]) }),
  z.object({ intent: z.literal("settings"), values: z.string().max(100_000), expectedVersion: z.coerce.number().int().min(0) }),
  z.object({ intent: z.literal("upgrade"), kind: z.enum(["workflow", "form"]), key: z.string().min(1).max(64) }),
]);

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  const t = getInstance(args.context).getFixedT(null, "plugins");
  const parsed = intentSchema.safeParse(Object.fromEntries(await args.request.formData()));
  if (!parsed.success) throw data({ code: "bad_request" }, { status: 400 });
  const input = parsed.data;
  const pluginId = args.params.pluginId;
  assertCan(ctx.ability, input.intent === "uninstall" ? "delete" : "update", "Plugin");
  const actor = auditActor(ctx, args.context);
  const tx = <T,>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(appDb(), ctx.scope, fn);
  const fail = (message: string, status: number, extra: Record<string, unknown> = {}) => data({ ok: false as const, intent: input.intent, message, errors: [], values: null, ...extra }, { status });
  const done = (message: string) => ({ ok: true as const, intent: input.intent, message, errors: [], values: null });

  switch (input.intent) {
    case "enable":
    case "disable": {
      const result = await tx(async (trx) => {
        const r = await setPluginEnabled(trx, actor, pluginId, input.intent === "enable");
        if (r.ok && input.intent === "enable") await installTemplates(trx, actor, pluginId);
        return r;
      });
      if (!result.ok) return fail(t(`catalogue.refused.${result.reason}`, { names: "pluginIds" in result ? result.pluginIds.join(t("listSeparator")) : "", name: pluginId }), 409);
      return done(t(input.intent === "enable" ? "detail.enabled" : "detail.disabled"));
    }
    case "settings": {
      let values: unknown;
      try {
        values = JSON.parse(input.values);
      } catch {
        throw data({ code: "bad_request" }, { status: 400 });
      }
      const result = await tx((trx) => savePluginSettings(trx, actor, pluginId, { values, expectedVersion: input.expectedVersion, locale: ctx.locale }));
      if (result.ok) return done(result.changed ? t("detail.settings.saved", { version: formatNumber(result.version, ctx.prefs) }) : t("detail.settings.unchanged"));
      if (result.reason === "invalid") return fail(t("detail.settings.invalid"), 400, { errors: result.errors.map((e) => ({ path: e.path, message: e.message })), values });
      if (result.reason === "stale") return fail(t("detail.settings.stale", { version: formatNumber(result.currentVersion, ctx.prefs) }), 409, { values });
      return fail(t(`detail.settings.${result.reason}`), 409);
    }
    case "install": {
      const installed = await tx((trx) => installTemplates(trx, actor, pluginId));
      return done(installed.length ? t("detail.templates.installed", { keys: installed.map((i) => i.targetKey).join(t("listSeparator")) }) : t("detail.templates.nothingToInstall"));
    }
    case "upgrade": {
      const result = await tx((trx) => acceptTemplateUpgrade(trx, actor, pluginId, input.kind, input.key));
      if (!result.ok) return fail(t(`detail.templates.refused.${result.reason}`), result.reason === "not_found" ? 404 : 409);
      return done(t("detail.templates.upgraded", { key: result.targetKey, version: formatNumber(result.version, ctx.prefs) }));
    }
    case "uninstall": {
      const result = await tx((trx) => uninstallPlugin(trx, actor, pluginId));
      if (!result.ok) {
        const count = "counts" in result ? result.counts.total : 0;
        return fail(t(`detail.data.refused.${result.reason}`, { count, n: formatNumber(count, ctx.prefs) }), 409);
      }
      return done(t("detail.data.uninstalled", { count: result.removed.total, n: formatNumber(result.removed.total, ctx.prefs) }));
    }
  }
}

export default function PluginPage({ loaderData, actionData, params }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("plugins");
  const lang: Lang = i18n.language === "en" ? "en" : "ar";
  const fmt = useOrgFormat();
  const busy = useNavigation().state === "submitting";
  const { plugin: p, canChange, canUninstall } = loaderData;
  const intentButton = (intent: string, label: string, props: Record<string, unknown> = {}) => (
    <Form method="post">
      <CsrfInput />
      <Button type="submit" name="intent" value={intent} loading={busy} {...props}>
        {label}
      </Button>
    </Form>
  );
  const base = `/app/${params.org}`;
  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to={`${base}/admin/plugins`}>
          {t("title")}
        </Anchor>
        <Text>{pick(p.names, lang)}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={1}>{pick(p.names, lang)}</Title>
          {p.description ? <Text>{pick(p.description, lang)}</Text> : null}
        </Stack>
        {p.status === "active" ? (
          <Badge color={p.enabled ? "teal" : "gray"} variant="light" size="lg" data-testid="plugin-org-status">
            {t(p.enabled ? "catalogue.on" : "catalogue.off")}
          </Badge>
        ) : (
          <Badge color="red" variant="light" size="lg">
            {t("status.disabled")}
          </Badge>
        )}
      </Group>
      {actionData && actionData.intent !== "settings" ? (
        <Alert color={actionData.ok ? "teal" : "orange"} role={actionData.ok ? "status" : "alert"} data-testid="plugin-result">
          {actionData.message}
        </Alert>
      ) : null}
      {p.error ? <PluginErrorAlert error={p.error} failedUpgradeFrom={p.failedUpgradeFrom} version={p.version} /> : null}
      <Group gap="lg">
        <Text size="sm">
          {t("version")}: <Code dir="ltr">{p.version ?? t("unknownVersion")}</Code>
        </Text>
        <Text size="sm">
          {t("dependsOn")}: {p.dependsOn.length ? p.dependsOn.map((d) => pick(d.names, lang)).join(t("listSeparator")) : t("catalogue.noDependencies")}
        </Text>
        {p.requiredBy.length ? (
          <Text size="sm">
            {t("detail.requiredBy")}: {p.requiredBy.map((d) => pick(d.names, lang)).join(t("listSeparator"))}
          </Text>
        ) : null}
      </Group>
      {canChange && p.status === "active" ? (
        <Group>{intentButton(p.enabled ? "disable" : "enable", t(p.enabled ? "catalogue.disable" : "catalogue.enable"), { color: p.enabled ? "red" : "teal", variant: p.enabled ? "default" : "filled" })}</Group>
      ) : null}
      {p.enabled ? null : <Text c="dimmed">{t("detail.offHelp")}</Text>}

      {p.settings ? (
        <Paper withBorder p="md" radius="md">
          <Stack>
            <Title order={2} size="h3">
              {t("detail.settings.title")}
            </Title>
            <Text size="sm" c="dimmed">
              {p.settings.version ? t("detail.settings.current", { version: fmt.number(p.settings.version) }) : t("detail.settings.defaults")}
            </Text>
            {actionData && actionData.intent === "settings" ? (
              <Alert color={actionData.ok ? "teal" : "orange"} role={actionData.ok ? "status" : "alert"} data-testid="settings-result">
                {actionData.message}
              </Alert>
            ) : null}
            {p.enabled && canChange ? (
              <PluginSettingsForm
                key={p.settings.version}
                form={p.settings.form}
                version={p.settings.version}
                values={(actionData?.intent === "settings" && !actionData.ok ? actionData.values : null) ?? p.settings.values}
                errors={actionData?.intent === "settings" ? actionData.errors : []}
              />
            ) : (
              <Text>{t("detail.settings.enableFirst")}</Text>
            )}
            {p.settings.history.length ? (
              <>
                <Title order={3} size="h4">
                  {t("detail.settings.history")}
                </Title>
                <Table.ScrollContainer minWidth={560}>
                  <Table striped data-testid="settings-history">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t("detail.settings.version")}</Table.Th>
                        <Table.Th>{t("detail.settings.values")}</Table.Th>
                        <Table.Th>{t("detail.settings.by")}</Table.Th>
                        <Table.Th>{t("detail.settings.at")}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {p.settings.history.map((h) => (
                        <Table.Tr key={h.version}>
                          <Table.Td>{fmt.number(h.version)}</Table.Td>
                          <Table.Td>
                            {orderedEntries(h.values, Object.keys(p.settings!.labels)).map(([key, value]) => (
                              <Text size="sm" key={key}>
                                {p.settings!.labels[key] ? pick(p.settings!.labels[key]!.title, lang) : key}: {settingsValueText(value, p.settings!.labels[key], lang, t, fmt.number)}
                              </Text>
                            ))}
                          </Table.Td>
                          <Table.Td>{h.createdByName ?? t("detail.settings.system")}</Table.Td>
                          <Table.Td>{fmt.dateTime(h.createdAt)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </>
            ) : null}
          </Stack>
        </Paper>
      ) : null}

      {p.templates.length ? (
        <Paper withBorder p="md" radius="md">
          <Stack>
            <Title order={2} size="h3">
              {t("detail.templates.title")}
            </Title>
            <Text size="sm" c="dimmed">
              {t("detail.templates.help")}
            </Text>
            <Table.ScrollContainer minWidth={560}>
              <Table data-testid="plugin-templates">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("detail.templates.name")}</Table.Th>
                    <Table.Th>{t("detail.templates.kind")}</Table.Th>
                    <Table.Th>{t("detail.templates.inOrg")}</Table.Th>
                    <Table.Th>{t("detail.templates.version")}</Table.Th>
                    <Table.Th>{t("detail.templates.action")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {p.templates.map((tp) => (
                    <Table.Tr key={`${tp.kind}:${tp.key}`}>
                      <Table.Td>{pick(tp.names, lang)}</Table.Td>
                      <Table.Td>{t(`detail.templates.kinds.${tp.kind}`)}</Table.Td>
                      <Table.Td>
                        {tp.installed ? (
                          <Anchor component={Link} to={`${base}/admin/${tp.kind === "workflow" ? "workflows" : "forms"}/${tp.installed.targetId}`} dir="ltr">
                            {tp.installed.targetKey}
                          </Anchor>
                        ) : (
                          t("detail.templates.notInstalled")
                        )}
                      </Table.Td>
                      <Table.Td>
                        {tp.installed ? t("detail.templates.versions", { installed: fmt.number(tp.installed.version), latest: fmt.number(tp.version) }) : fmt.number(tp.version)}
                      </Table.Td>
                      <Table.Td>
                        {canChange && p.enabled && tp.upgradeAvailable ? (
                          <Form method="post">
                            <CsrfInput />
                            <input type="hidden" name="kind" value={tp.kind} />
                            <input type="hidden" name="key" value={tp.key} />
                            <Button type="submit" name="intent" value="upgrade" size="xs" loading={busy}>
                              {t("detail.templates.takeNew", { version: fmt.number(tp.version) })}
                            </Button>
                          </Form>
                        ) : tp.installed ? (
                          <Text size="sm" c="dimmed">
                            {t("detail.templates.upToDate")}
                          </Text>
                        ) : null}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {canChange && p.enabled && p.templates.some((tp) => !tp.installed) ? intentButton("install", t("detail.templates.install")) : null}
          </Stack>
        </Paper>
      ) : null}

      {p.nodeKinds.length || p.kpis.length || p.pages.length || p.jobs.length ? (
        <Paper withBorder p="md" radius="md">
          <Stack>
            <Title order={2} size="h3">
              {t("detail.adds")}
            </Title>
            {p.nodeKinds.length ? (
              <Stack gap={4}>
                <Title order={3} size="h5">
                  {t("detail.nodeKinds")}
                </Title>
                {p.nodeKinds.map((k) => (
                  <Text size="sm" key={k.actionType}>
                    <strong>{pick(k.names, lang)}</strong> <Code dir="ltr">{k.actionType}</Code>
                    {k.description ? ` — ${pick(k.description, lang)}` : ""}
                  </Text>
                ))}
              </Stack>
            ) : null}
            {p.kpis.length ? (
              <Stack gap={4}>
                <Title order={3} size="h5">
                  {t("detail.kpis.title")}
                </Title>
                <Table.ScrollContainer minWidth={560}>
                  <Table data-testid="plugin-kpis">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t("detail.kpis.name")}</Table.Th>
                        <Table.Th>{t("detail.kpis.formula")}</Table.Th>
                        <Table.Th>{t("detail.kpis.frequency")}</Table.Th>
                        <Table.Th>{t("detail.kpis.target")}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {p.kpis.map((k) => (
                        <Table.Tr key={k.key}>
                          <Table.Td>
                            {pick(k.names, lang)}
                            {k.description ? (
                              <Text size="xs" c="dimmed">
                                {pick(k.description, lang)}
                              </Text>
                            ) : null}
                          </Table.Td>
                          <Table.Td>
                            <Code dir="ltr">{k.formula}</Code>
                          </Table.Td>
                          <Table.Td>{t(`detail.kpis.frequencies.${k.frequency}`)}</Table.Td>
                          <Table.Td>{t(`detail.kpis.targets.${k.direction}`, { value: fmt.number(k.target), unit: t(`detail.kpis.units.${k.unit}`, { count: k.target }) }).replace(/\s+/g, " ").trim()}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
                <Text size="xs" c="dimmed">
                  {t("detail.kpis.note")}
                </Text>
              </Stack>
            ) : null}
            {p.pages.length ? (
              <Text size="sm">
                {t("detail.pages")}:{" "}
                {p.pages.map((path, i) => (
                  <span key={path}>
                    {i ? t("listSeparator") : ""}
                    {p.enabled ? (
                      <Anchor component={Link} to={`${base}/${path}`} dir="ltr">
                        {path}
                      </Anchor>
                    ) : (
                      <Code dir="ltr">{path}</Code>
                    )}
                  </span>
                ))}
              </Text>
            ) : null}
            {p.jobs.length ? (
              <Text size="sm">
                {t("detail.jobs", { count: p.jobs.length, n: fmt.number(p.jobs.length) })}:{" "}
                {p.jobs.map((j) => (
                  <Code key={j.key} dir="ltr" mx={4}>
                    {`${j.key} (${j.cron})`}
                  </Code>
                ))}
              </Text>
            ) : null}
          </Stack>
        </Paper>
      ) : null}

      {p.installed ? (
        <Paper withBorder p="md" radius="md">
          <Stack>
            <Title order={2} size="h3">
              {t("detail.data.title")}
            </Title>
            <Text size="sm" data-testid="plugin-data-count">
              {t("detail.data.count", { count: p.data.total, n: fmt.number(p.data.total) })}
            </Text>
            {p.exportedAt ? <Text size="sm">{t("detail.data.exportedAt", { date: fmt.dateTime(p.exportedAt) })}</Text> : null}
            <Group>
              {canChange ? (
                <Form method="post" action="export" reloadDocument>
                  <CsrfInput />
                  <Button type="submit" variant="default">
                    {t("detail.data.export")}
                  </Button>
                </Form>
              ) : null}
              {canUninstall && !p.enabled ? intentButton("uninstall", t("detail.data.uninstall"), { color: "red", variant: "outline" }) : null}
            </Group>
            <Text size="xs" c="dimmed">
              {t("detail.data.help")}
            </Text>
          </Stack>
        </Paper>
      ) : null}
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}

/** Values in the order of the settings form (jsonb does not keep key order). */
function orderedEntries(values: Record<string, unknown>, order: string[]): [string, unknown][] {
  const known = order.filter((k) => k in values).map((k): [string, unknown] => [k, values[k]]);
  return [...known, ...Object.entries(values).filter(([k]) => !order.includes(k))];
}
