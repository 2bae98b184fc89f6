import { Alert, Button, Group, Modal, Stack, Text, Textarea } from "@mantine/core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useFetcher } from "react-router";
import { useOrgFormat } from "~/components/org-format";
import { useRootData } from "~/root";
import type { useDesignerSave } from "./use-designer-save";

// Publishing from the designer: the change note, then the page's "publish" intent (the same
// as the definition page: refused while validation finds errors, and refused when someone
// saved the draft since — lockVersion). Unsaved changes are saved first, so what is
// published is what is on screen. The answer is read by the page too (same fetcher key),
// which shows it after the draft has become a version.

export type PublishAnswer = { intent: "publish"; ok: boolean; message: string; problems: unknown[] } | { intent: "network"; ok: false };

export const publishFetcherKey = (definitionId: string) => `designer-publish-${definitionId}`;

interface Props {
  opened: boolean;
  onClose: () => void;
  definitionId: string;
  save: ReturnType<typeof useDesignerSave>;
  errors: number;
  nextVersion: number;
}

export function PublishDialog({ opened, onClose, definitionId, save, errors, nextVersion }: Props) {
  const { t } = useTranslation("designer");
  const fmt = useOrgFormat();
  const csrf = useRootData()?.csrf ?? "";
  const fetcher = useFetcher<PublishAnswer>({ key: publishFetcherKey(definitionId) });
  const [note, setNote] = useState("");
  const [waiting, setWaiting] = useState(false);
  const [saveFailed, setSaveFailed] = useState(false);

  // "Publish" with unsaved changes: save now, publish once the save is through.
  useEffect(() => {
    if (!waiting || save.saving) return;
    if (save.dirty) {
      if (save.status === "pending") save.saveNow();
      else {
        // The save was refused (its alert under the toolbar says why): nothing is published.
        setWaiting(false);
        setSaveFailed(true);
      }
      return;
    }
    setWaiting(false);
    const body = new FormData();
    body.set("_csrf", csrf);
    body.set("intent", "publish");
    body.set("lockVersion", String(save.lockVersion));
    body.set("changeNote", note);
    void fetcher.submit(body, { method: "post" });
  }, [waiting, save, csrf, note, fetcher]);

  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const busy = waiting || fetcher.state !== "idle";
  return (
    <Modal opened={opened} onClose={onClose} title={t("publish.title", { version: fmt.number(nextVersion) })} centered size="lg">
      <Stack>
        <Text size="sm">{t("publish.body")}</Text>
        {errors ? (
          <Alert color="red" role="alert" data-testid="publish-blocked">
            {t("publish.blocked", { count: errors, n: fmt.number(errors) })}
          </Alert>
        ) : null}
        {saveFailed ? (
          <Alert color="red" role="alert" data-testid="publish-unsaved">
            {t("publish.unsaved")}
          </Alert>
        ) : null}
        {answer && !answer.ok ? (
          <Alert color="red" role="alert" data-testid="publish-refused">
            {answer.intent === "publish" ? answer.message : t("publish.network")}
          </Alert>
        ) : null}
        <Textarea label={t("publish.note")} description={t("publish.noteHelp")} value={note} maxLength={1000} autosize minRows={2} onChange={(e) => setNote(e.currentTarget.value)} data-testid="publish-note" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t("actions.cancel")}
          </Button>
          <Button color="teal" onClick={() => (setSaveFailed(false), setWaiting(true))} loading={busy} disabled={errors > 0} data-testid="publish-confirm">
            {t("publish.confirm", { version: fmt.number(nextVersion) })}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
