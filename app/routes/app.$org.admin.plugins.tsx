import { Alert, Badge, Code, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Route } from "./+types/app.$org.admin.plugins";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";
import { pluginRegistry } from "~/utils/plugins.server";

// What the boot loaded: every installed plugin, active or disabled with the reason. Read
// from this process's registry, which every app process builds the same way at boot.

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Plugin");
  const t = getInstance(args.context).getFixedT(null, "plugins");
  return {
    title: `${t("title")} — ${t("common:appName")}`,
    plugins: pluginRegistry().plugins.map((p) => ({
      id: p.id,
      status: p.status,
      version: p.version,
      names: p.names,
      dependsOn: p.dependsOn,
      subjects: p.subjects.map((s) => s.name),
      error: p.error,
    })),
  };
}

export default function Plugins({ loaderData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("plugins");
  const { plugins } = loaderData;
  const disabled = plugins.filter((p) => p.status === "disabled").length;
  return (
    <Stack>
      <Title order={1}>{t("title")}</Title>
      <Text c="dimmed">{t("intro")}</Text>
      {disabled ? (
        <Alert color="orange" role="status">
          {t("disabledSummary", { count: disabled })}
        </Alert>
      ) : null}
      {plugins.length === 0 ? <Alert color="gray">{t("none")}</Alert> : null}
      {plugins.map((p) => {
        const primary = p.names ? (i18n.language === "en" ? p.names.en : p.names.ar) : p.id;
        const secondary = p.names ? (i18n.language === "en" ? p.names.ar : p.names.en) : null;
        return (
          <Paper key={p.id} withBorder p="md" radius="md" data-testid="plugin" data-plugin-id={p.id}>
            <Stack gap="xs">
              <Group justify="space-between" align="flex-start">
                <Stack gap={2}>
                  <Title order={2} size="h4">
                    {primary}
                  </Title>
                  {secondary ? (
                    <Text size="sm" c="dimmed" lang={i18n.language === "en" ? "ar" : "en"}>
                      {secondary}
                    </Text>
                  ) : null}
                </Stack>
                <Badge color={p.status === "active" ? "teal" : "red"} variant="light" size="lg">
                  {t(`status.${p.status}`)}
                </Badge>
              </Group>
              <Group gap="lg">
                <Text size="sm">
                  {t("id")}: <Code dir="ltr">{p.id}</Code>
                </Text>
                <Text size="sm">
                  {t("version")}: <Code dir="ltr">{p.version ?? t("unknownVersion")}</Code>
                </Text>
                {p.dependsOn.length ? (
                  <Text size="sm">
                    {t("dependsOn")}: <Code dir="ltr">{p.dependsOn.join(", ")}</Code>
                  </Text>
                ) : null}
                {p.subjects.length ? (
                  <Text size="sm">
                    {t("subjects")}: <Code dir="ltr">{p.subjects.join(", ")}</Code>
                  </Text>
                ) : null}
              </Group>
              {p.error ? (
                <Alert color="red" title={t(`errors.${p.error.code}`)} role="alert">
                  <Stack gap={4}>
                    <Text size="sm">{t("errorHelp")}</Text>
                    <Text size="xs" fw={600}>
                      {t("technicalDetail")}
                    </Text>
                    <Code block dir="ltr" style={{ whiteSpace: "pre-wrap" }}>
                      {p.error.detail}
                    </Code>
                  </Stack>
                </Alert>
              ) : null}
            </Stack>
          </Paper>
        );
      })}
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
