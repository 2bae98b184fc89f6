import { Alert, Anchor, Button, Group, Paper, Stack, Text, Textarea, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Form, useNavigation } from "react-router";
import { CsrfInput } from "~/components/csrf-input";
import { IssueList } from "./issue-list";
import { useOrgFormat } from "~/components/org-format";
import type { DefinitionGraph } from "~/engine/definition";
import { ProblemList, type AnyProblem } from "./problem-list";

export type SaveState = { ok: true; message: string; problems: number } | { ok: false; message: string; text: string; issues: { path: string; message: string }[]; reload: boolean };
export type PublishState = { ok: boolean; message: string; problems: AnyProblem[] };

interface Props {
  draft: { lockVersion: number; graph: DefinitionGraph };
  problems: AnyProblem[];
  steps: number;
  nextVersion: number;
  canUpdate: boolean;
  save?: SaveState;
  publish?: PublishState;
}

/**
 * The draft until the visual designer arrives: a summary, its problems (as publishing would
 * see them), a JSON editor that keeps the typed text when a save is refused, and publishing.
 */
export function DraftPanel({ draft, problems, steps, nextVersion, canUpdate, save, publish }: Props) {
  const { t } = useTranslation("engine");
  const fmt = useOrgFormat();
  const nav = useNavigation();
  const busy = (intent: string) => nav.state === "submitting" && nav.formData?.get("intent") === intent;
  const errors = problems.filter((p) => p.severity === "error").length;
  const g = draft.graph;
  const failedSave = save && !save.ok ? save : undefined;
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t("definitions.draft.summary", { steps: fmt.number(steps), lanes: fmt.number(g.lanes.length), nodes: fmt.number(g.nodes.length), edges: fmt.number(g.edges.length) })}
      </Text>
      <ProblemList problems={problems} graph={g} />

      {canUpdate ? (
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="json-editor-title">
          <Form method="post" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="save" />
            <input type="hidden" name="lockVersion" value={draft.lockVersion} />
            <Stack>
              <Title order={3} size="h5" id="json-editor-title">
                {t("definitions.editor.title")}
              </Title>
              <Text size="sm" c="dimmed">
                {t("definitions.editor.help")}
              </Text>
              <Textarea
                // A successful save re-mounts the editor with the stored (normalised) text.
                key={draft.lockVersion}
                name="graph"
                label={t("definitions.editor.label")}
                defaultValue={failedSave?.text ?? JSON.stringify(g, null, 2)}
                autosize
                minRows={14}
                maxRows={36}
                dir="ltr"
                spellCheck={false}
                autoComplete="off"
                styles={{ input: { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", fontSize: 13, textAlign: "left" } }}
                data-testid="json-editor"
              />
              {save?.ok ? (
                <Alert color={save.problems ? "yellow" : "teal"} role="status">
                  {save.message}
                </Alert>
              ) : null}
              {failedSave ? (
                <Alert color="red" role="alert">
                  <Text size="sm">{failedSave.message}</Text>
                  <IssueList issues={failedSave.issues} />
                  {failedSave.reload ? (
                    <Anchor href="" mt="xs" display="inline-block" fw={600}>
                      {t("definitions.editor.reload")}
                    </Anchor>
                  ) : null}
                </Alert>
              ) : null}
              <Group>
                <Button type="submit" loading={busy("save")}>
                  {t("definitions.editor.save")}
                </Button>
              </Group>
            </Stack>
          </Form>
        </Paper>
      ) : null}

      {canUpdate ? (
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="publish-title">
          <Form method="post" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="publish" />
            <input type="hidden" name="lockVersion" value={draft.lockVersion} />
            <Stack>
              <Title order={3} size="h5" id="publish-title">
                {t("definitions.publish.title")}
              </Title>
              <Text size="sm" c="dimmed">
                {t("definitions.publish.intro", { version: fmt.number(nextVersion) })}
              </Text>
              {publish && !publish.ok ? (
                <Alert color="red" role="alert">
                  {publish.message}
                </Alert>
              ) : null}
              <Textarea name="changeNote" label={t("definitions.publish.note")} description={t("definitions.publish.noteHelp")} autosize minRows={2} maxLength={1000} />
              {errors ? (
                <Text size="sm" c="red.8" id="publish-blocked">
                  {t("definitions.publish.blocked")}
                </Text>
              ) : null}
              <Group justify="space-between">
                <Button type="submit" color="teal" disabled={errors > 0} aria-describedby={errors ? "publish-blocked" : undefined} loading={busy("publish")}>
                  {t("definitions.publish.submit", { version: fmt.number(nextVersion) })}
                </Button>
              </Group>
            </Stack>
          </Form>
          <Form
            method="post"
            onSubmit={(e) => {
              if (!window.confirm(t("definitions.draft.discardConfirm"))) e.preventDefault();
            }}
          >
            <CsrfInput />
            <input type="hidden" name="intent" value="discard" />
            <Button type="submit" variant="subtle" color="red" mt="md" size="compact-sm">
              {t("definitions.draft.discard")}
            </Button>
          </Form>
        </Paper>
      ) : null}
    </Stack>
  );
}
