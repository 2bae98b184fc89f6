import { Alert, Button, Group, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useOrgFormat } from "~/components/org-format";
import { intlLocale } from "~/utils/format";
import type { SaveStatus } from "./use-draft-autosave";

/** "HH:MM" in the organisation's zone and digits. */
export function useClockTime() {
  const { prefs } = useOrgFormat();
  return (iso: string) => {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return "";
    return new Intl.DateTimeFormat(intlLocale(prefs), { timeZone: prefs.timeZone, hour: "2-digit", minute: "2-digit" }).format(date);
  };
}

/** One quiet line under the title; screen readers hear it politely. */
export function SaveStatusLine({ status }: { status: SaveStatus }) {
  const { t } = useTranslation("forms");
  const time = useClockTime();
  const text =
    status.kind === "saving"
      ? t("fill.autosave.saving")
      : status.kind === "saved"
        ? t("fill.autosave.savedAt", { time: time(status.savedAt) })
        : status.kind === "offline"
          ? t("fill.autosave.offline")
          : status.kind === "error"
            ? t("fill.autosave.error")
            : status.kind === "conflict"
              ? t("fill.autosave.paused")
              : t("fill.autosave.idle");
  return (
    <Text size="sm" c={status.kind === "offline" || status.kind === "error" ? "orange.8" : "dimmed"} role="status" aria-live="polite" data-testid="save-status">
      {text}
    </Text>
  );
}

/** A newer draft was saved from another tab or device: load it, or keep what is here. */
export function ConflictBanner({ savedAt, onLoad, onKeep }: { savedAt: string; onLoad: () => void; onKeep: () => void }) {
  const { t } = useTranslation("forms");
  const time = useClockTime();
  return (
    <Alert color="yellow" variant="light" title={t("fill.conflict.title")} data-testid="draft-conflict">
      <Text size="sm" mb="sm">
        {savedAt ? t("fill.conflict.body", { time: time(savedAt) }) : t("fill.conflict.bodyNoTime")}
      </Text>
      <Group gap="sm">
        <Button size="xs" variant="filled" onClick={onLoad}>
          {t("fill.conflict.load")}
        </Button>
        <Button size="xs" variant="default" onClick={onKeep}>
          {t("fill.conflict.keep")}
        </Button>
      </Group>
    </Alert>
  );
}
