import { Button, Group, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useOrgFormat } from "~/components/org-format";
import type { SaveStatus } from "./use-autosave";

interface Props {
  canUndo: boolean;
  canRedo: boolean;
  undo: () => void;
  redo: () => void;
  status: SaveStatus;
  savedAt: string | null;
  save: () => void;
  publish: () => void;
  readOnly: boolean;
}

const STATUS_COLOR: Record<SaveStatus, string> = {
  clean: "dimmed",
  pending: "dimmed",
  saving: "dimmed",
  saved: "teal.8",
  invalid: "red.8",
  conflict: "orange.9",
  failed: "red.8",
  archived: "red.8",
};

export function Toolbar(p: Props) {
  const { t } = useTranslation("forms");
  const fmt = useOrgFormat();
  return (
    <Group justify="space-between" wrap="wrap" gap="xs">
      <Group gap="xs">
        <Button size="xs" variant="default" onClick={p.undo} disabled={!p.canUndo || p.readOnly} aria-keyshortcuts="Control+Z" data-testid="builder-undo">
          {t("builder.toolbar.undo")}
        </Button>
        <Button size="xs" variant="default" onClick={p.redo} disabled={!p.canRedo || p.readOnly} aria-keyshortcuts="Control+Shift+Z" data-testid="builder-redo">
          {t("builder.toolbar.redo")}
        </Button>
      </Group>
      <Group gap="sm">
        <Text size="sm" c={STATUS_COLOR[p.status]} role="status" aria-live="polite" data-testid="save-status" data-status={p.status}>
          {p.status === "saved" && p.savedAt ? t("builder.status.savedAt", { time: fmt.dateTime(p.savedAt) }) : t(`builder.status.${p.status}`)}
        </Text>
        {!p.readOnly ? (
          <>
            <Button size="xs" variant="light" onClick={p.save} loading={p.status === "saving"} data-testid="builder-save">
              {t("builder.toolbar.save")}
            </Button>
            <Button size="xs" onClick={p.publish} data-testid="builder-publish">
              {t("builder.toolbar.publish")}
            </Button>
          </>
        ) : null}
      </Group>
    </Group>
  );
}
