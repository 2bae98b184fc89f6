import { Alert, Button, Group, List, Modal, Stack, Text, Textarea } from "@mantine/core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useFetcher } from "react-router";
import { useRootData } from "~/root";
import type { FormVersionJson } from "~/forms/model";
import type { ServerProblem } from "./use-autosave";

export type PublishAnswer =
  | { intent: "publish"; ok: true; version: number }
  | { intent: "publish"; ok: false; reason: "invalid"; problems: ServerProblem[] }
  | { intent: "publish"; ok: false; reason: "conflict" | "archived" | "nothing_to_publish" | "not_found"; message: string };

interface Props {
  opened: boolean;
  onClose: () => void;
  content: () => FormVersionJson;
  lockVersion: number;
  /** Problems the builder itself sees (shown first; the server decides). */
  localProblems: number;
  onProblems: (problems: ServerProblem[]) => void;
  /** An autosave is on its way: publishing waits for its new lock version. */
  busy: boolean;
}

/** Publishing saves what is on screen with the change note, then freezes it as the next version. */
export function PublishDialog({ opened, onClose, content, lockVersion, localProblems, onProblems, busy }: Props) {
  const { t } = useTranslation("forms");
  const csrf = useRootData()?.csrf ?? "";
  const fetcher = useFetcher<PublishAnswer>({ key: "form-publish" });
  const [note, setNote] = useState("");
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (answer && !answer.ok && answer.reason === "invalid") onProblems(answer.problems);
  }, [answer, onProblems]);
  const errors = answer && !answer.ok && answer.reason === "invalid" ? answer.problems.filter((p) => p.severity === "error") : [];
  const publish = () => {
    const body = new FormData();
    body.set("_csrf", csrf);
    body.set("intent", "publish");
    body.set("lockVersion", String(lockVersion));
    body.set("changeNote", note);
    body.set("content", JSON.stringify(content()));
    void fetcher.submit(body, { method: "post" });
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t("builder.publish.title")} centered size="lg">
      <Stack>
        <Text size="sm">{t("builder.publish.body")}</Text>
        {localProblems ? (
          <Alert color="yellow" p="xs">
            {t("builder.publish.localProblems", { count: localProblems })}
          </Alert>
        ) : null}
        {answer && !answer.ok ? (
          <Alert color="red" role="alert" title={t("builder.publish.refused")}>
            {answer.reason === "invalid" ? (
              <List size="sm">
                {errors.slice(0, 12).map((p, i) => (
                  <List.Item key={i}>{p.text}</List.Item>
                ))}
              </List>
            ) : (
              <Text size="sm">{answer.message}</Text>
            )}
          </Alert>
        ) : null}
        <Textarea label={t("builder.publish.note")} description={t("builder.publish.noteHelp")} value={note} maxLength={1000} autosize minRows={2} onChange={(e) => setNote(e.currentTarget.value)} data-testid="publish-note" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t("common:actions.cancel")}
          </Button>
          <Button onClick={publish} loading={fetcher.state !== "idle" || busy} data-testid="publish-confirm">
            {t("builder.publish.confirm")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
