import { Alert, Button, Group, Modal, Stack, Text, Textarea } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Form, useNavigation } from "react-router";
import { CsrfInput } from "~/components/csrf-input";

interface Props {
  idempotencyKey: string;
  /** After a refused cancel: the reason as typed and the message (the dialog reopens with both). */
  failed?: { reason: string; error: string } | null;
}

/** "Cancel case…": a confirmation dialog that asks for the reason and says what cancelling does. */
export function CaseCancel({ idempotencyKey, failed }: Props) {
  const { t } = useTranslation("engine");
  const navigation = useNavigation();
  const [open, setOpen] = useState(Boolean(failed));
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === "cancel";
  return (
    <>
      <Button variant="outline" color="red" onClick={() => setOpen(true)} data-testid="case-cancel-open">
        {t("case.cancel.open")}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t("case.cancel.title")} centered>
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="cancel" />
          <input type="hidden" name="idempotencyKey" value={`${idempotencyKey}.cancel`} />
          <Stack gap="sm">
            <Text size="sm">{t("case.cancel.explain")}</Text>
            {failed ? (
              <Alert color="red" role="alert">
                {failed.error}
              </Alert>
            ) : null}
            <Textarea
              name="reason"
              label={t("case.cancel.reason")}
              description={t("case.cancel.reasonHint")}
              required
              autosize
              minRows={3}
              maxLength={1000}
              defaultValue={failed?.reason ?? ""}
              data-autofocus
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                {t("case.cancel.keep")}
              </Button>
              <Button type="submit" color="red" loading={busy} data-testid="case-cancel-confirm">
                {t("case.cancel.confirm")}
              </Button>
            </Group>
          </Stack>
        </Form>
      </Modal>
    </>
  );
}
