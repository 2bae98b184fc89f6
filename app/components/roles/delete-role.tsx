import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useTranslation } from "react-i18next";
import { Form } from "react-router";
import { CsrfInput } from "~/components/csrf-input";

/** Asks before deleting; the server still refuses roles that members hold. */
export function DeleteRole({ name, version }: { name: string; version: number }) {
  const { t } = useTranslation("roles");
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button variant="light" color="red" onClick={open}>
        {t("delete.button")}
      </Button>
      <Modal opened={opened} onClose={close} title={t("delete.title")} centered>
        <Form method="post" onSubmit={close}>
          <CsrfInput />
          <input type="hidden" name="intent" value="delete" />
          <input type="hidden" name="version" value={version} />
          <Stack>
            <Text>{t("delete.body", { name })}</Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t("common:actions.cancel")}
              </Button>
              <Button type="submit" color="red">
                {t("delete.confirm")}
              </Button>
            </Group>
          </Stack>
        </Form>
      </Modal>
    </>
  );
}
