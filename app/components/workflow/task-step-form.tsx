import { Alert, Checkbox, Paper, Stack, Textarea, Title } from "@mantine/core";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigation, useSubmit } from "react-router";
import type { FieldError } from "~/components/form-renderer/errors";
import { FormRenderer, parseAnswers, type FormData as Answers, type RenderableVersion } from "~/components/form-renderer/form-renderer";
import type { FileInfo } from "~/components/form-renderer/context";
import { useRootData } from "~/root";
import type { ChecklistItem, CompleteValues } from "./task-complete-form";

interface Props {
  kind: "task" | "gate";
  idempotencyKey: string;
  stepForm: { formVersion: RenderableVersion; initialData: Answers; files: Record<string, FileInfo> };
  checklist: ChecklistItem[];
  /** Notes and checklist typed last time (a failed submit), or empty. */
  values: CompleteValues;
  /** The answers posted last time (JSON) and the form's refusals of them, after a failed submit. */
  submitted?: { data: string | null; errors: FieldError[] };
  fieldErrors?: Record<string, string>;
}

/**
 * Completing a step whose node names a form: the form version the case pinned, rendered
 * with the case's current answers, plus the notes. The form's answers are posted as the
 * task data (JSON in "data"); the server validates them against the same version and its
 * refusals come back per field. No decision-answer fields here: they are the form's own.
 */
export function TaskStepForm({ kind, idempotencyKey, stepForm, checklist, values, submitted, fieldErrors = {} }: Props) {
  const { t, i18n } = useTranslation("engine");
  const locale = i18n.language === "en" ? "en" : "ar";
  const csrf = useRootData()?.csrf ?? "";
  const submit = useSubmit();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === "complete";
  // Everything typed stays in this state across a refused submit (the page is not remounted);
  // after a remount the posted answers come back from the action.
  const [data, setData] = useState<Answers>(() => parseAnswers(submitted?.data) ?? stepForm.initialData);
  const [notes, setNotes] = useState(values.notes);
  const [ticked, setTicked] = useState<string[]>(values.checklist);
  const errors = useMemo(() => submitted?.errors ?? [], [submitted?.errors]);

  function send(answers: Answers) {
    const form = new FormData();
    form.set("_csrf", csrf);
    form.set("intent", "complete");
    form.set("idempotencyKey", `${idempotencyKey}.complete`);
    form.set("notes", notes);
    for (const id of ticked) form.append("checklist", id);
    form.set("data", JSON.stringify(answers));
    void submit(form, { method: "post" });
  }

  const label = (l: { ar: string; en: string }) => (locale === "en" ? l.en : l.ar);
  return (
    <Paper withBorder p="md" radius="md" data-testid="task-step-form">
      <Stack gap="md">
        <Title order={2} size="h4">
          {kind === "gate" ? t("task.complete.gateTitle") : t("task.complete.title")}
        </Title>
        {/* Field refusals are listed by the form's own summary; this alert is for everything else. */}
        {fieldErrors._form && errors.length === 0 ? (
          <Alert color="red" role="alert">
            {fieldErrors._form}
          </Alert>
        ) : null}
        {kind === "gate" && checklist.length > 0 ? (
          <Checkbox.Group label={t("task.complete.checklist")} description={t("task.complete.checklistHint")} value={ticked} onChange={setTicked} error={fieldErrors.checklist}>
            <Stack gap={6} mt="xs">
              {checklist.map((item) => (
                <Checkbox key={item.id} value={item.id} label={item.required ? `${label(item.label)} *` : `${label(item.label)} (${t("task.complete.optional")})`} />
              ))}
            </Stack>
          </Checkbox.Group>
        ) : null}
        <Textarea
          label={t("task.complete.notes")}
          description={t("task.complete.notesHint")}
          autosize
          minRows={3}
          maxLength={5000}
          value={notes}
          onChange={(e) => setNotes(e.currentTarget.value)}
          error={fieldErrors.notes}
        />
        <FormRenderer
          version={stepForm.formVersion}
          locale={locale}
          data={data}
          onChange={setData}
          onSubmit={send}
          errors={errors}
          files={stepForm.files}
          submitting={busy}
          submitLabel={t("task.complete.submit")}
          idPrefix="step"
        />
      </Stack>
    </Paper>
  );
}
