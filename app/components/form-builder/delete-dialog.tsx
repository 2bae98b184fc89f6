import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

/** Deleting a field asks first, and names the fields whose conditions test it. */
export function DeleteDialog({ name, dependents, separator, onConfirm, onClose }: { name: string | null; dependents: string[]; separator: string; onConfirm: () => void; onClose: () => void }) {
  const { t } = useTranslation("forms");
  return (
    <Modal opened={name !== null} onClose={onClose} title={t("builder.delete.title", { name })} centered>
      <Stack>
        <Text size="sm">{t("builder.delete.body")}</Text>
        {dependents.length ? (
          <Text size="sm" c="orange.9">
            {t("builder.delete.dependents", { names: dependents.join(separator) })}
          </Text>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t("common:actions.cancel")}
          </Button>
          <Button color="red" onClick={onConfirm} data-testid="delete-confirm">
            {t("builder.delete.confirm")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
