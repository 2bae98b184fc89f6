import { Alert, Button, Group, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { IssueList } from "~/components/workflow-admin/issue-list";
import { useOrgFormat } from "~/components/org-format";
import { intlLocale } from "~/utils/format";
import { clearBackup, type useDesignerSave } from "./use-designer-save";

// "Saving… / Saved at 10:42 / Not saved": the draft's autosave state in the toolbar, and under
// it, when a save was refused, what happened and what the person can do. The graph on screen
// is never replaced by a refused save.

type Save = ReturnType<typeof useDesignerSave>;

export function SaveIndicator({ save }: { save: Save }) {
  const { t } = useTranslation("designer");
  const fmt = useOrgFormat();
  const time = (d: Date) => new Intl.DateTimeFormat(intlLocale(fmt.prefs), { timeZone: fmt.prefs.timeZone, hour: "2-digit", minute: "2-digit" }).format(d);
  const s = save.status;
  const text =
    s === "saving"
      ? t("save.saving")
      : s === "saved" && save.savedAt
        ? t("save.savedAt", { at: time(save.savedAt) })
        : s === "clean"
          ? t("save.clean")
          : s === "pending"
            ? t("save.pending")
            : t("save.notSaved");
  const colour = s === "saved" || s === "clean" ? "teal.8" : s === "saving" || s === "pending" ? "dimmed" : "red.8";
  return (
    <Text size="sm" c={colour} role="status" aria-live="polite" data-testid="save-status" data-status={s}>
      {text}
    </Text>
  );
}

export function SaveAlert({ save, definitionId }: { save: Save; definitionId: string }) {
  const { t } = useTranslation("designer");
  const f = save.failure;
  if (!f || !["invalid", "conflict", "noDraft", "failed"].includes(save.status)) return null;
  // Loading the newer draft drops this browser's copy; without a draft it is kept, to be
  // offered again once a new draft is started.
  const reload = (discard: boolean) => {
    if (discard) clearBackup(definitionId);
    window.location.reload();
  };
  return (
    <Alert color={f.kind === "failed" ? "yellow" : "red"} role="alert" p="xs" title={t(`save.problem.${f.kind}`)} data-testid="save-alert">
      {f.message ? <Text size="sm">{f.message}</Text> : null}
      {f.issues?.length ? <IssueList issues={f.issues} /> : null}
      <Text size="xs" c="dimmed" mt={4}>
        {t("save.kept")}
      </Text>
      <Group gap="xs" mt="xs">
        {f.kind === "conflict" ? (
          <>
            <Button size="compact-sm" color="red" onClick={save.overwrite} data-testid="save-overwrite">
              {t("save.overwrite")}
            </Button>
            <Button size="compact-sm" variant="default" onClick={() => window.confirm(t("save.reloadConfirm")) && reload(true)}>
              {t("save.reload")}
            </Button>
          </>
        ) : null}
        {f.kind === "noDraft" ? (
          <Button size="compact-sm" variant="default" onClick={() => reload(false)}>
            {t("save.reloadPage")}
          </Button>
        ) : null}
        {f.kind === "failed" ? (
          <Button size="compact-sm" variant="default" onClick={save.saveNow}>
            {t("save.retry")}
          </Button>
        ) : null}
      </Group>
    </Alert>
  );
}
