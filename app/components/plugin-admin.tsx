import { Alert, Code, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

// Shared by the plugin catalogue and a plugin's page.

export type Lang = "ar" | "en";

export function pick(text: { ar: string; en: string }, lang: Lang): string {
  return (lang === "en" ? text.en : text.ar) || text.ar || text.en;
}

/** Why the platform disabled a plugin at boot (a failed upgrade says so), with the technical detail. */
export function PluginErrorAlert(props: { error: { code: string; detail: string }; failedUpgradeFrom: string | null; version: string | null }) {
  const { t } = useTranslation("plugins");
  return (
    <Alert color="red" title={t(`errors.${props.error.code}`)} role="alert">
      <Stack gap={4}>
        {props.failedUpgradeFrom ? <Text size="sm">{t("upgradeFailed", { from: props.failedUpgradeFrom, to: props.version ?? "?" })}</Text> : null}
        <Text size="sm">{t("errorHelp")}</Text>
        <Text size="xs" fw={600}>
          {t("technicalDetail")}
        </Text>
        <Code block dir="ltr" style={{ whiteSpace: "pre-wrap" }}>
          {props.error.detail}
        </Code>
      </Stack>
    </Alert>
  );
}
