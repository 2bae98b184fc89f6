import { Alert, Paper, Stack, Textarea, TextInput, Title } from "@mantine/core";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigation, useSubmit } from "react-router";
import type { FieldError } from "~/components/form-renderer/errors";
import { FormRenderer, parseAnswers, type FormData as Answers, type RenderableVersion } from "~/components/form-renderer/form-renderer";
import { useRootData } from "~/root";

interface Props {
  definitionKey: string;
  idempotencyKey: string;
  startForm: RenderableVersion;
  /** What was posted last time (a refused start) and the refusals, so nothing typed is lost. */
  failed?: {
    values: { title: string; notes: string };
    fieldErrors: Record<string, string>;
    formError?: string;
    formData?: string | null;
    formErrors?: FieldError[];
  };
}

/**
 * Starting a case of a flow whose start node names a form: the case title and notes, then
 * the start form. Its answers become the case's first data (posted as JSON in "data"); the
 * server validates them against the same form version and its refusals come back per field.
 */
export function StartCaseForm({ definitionKey, idempotencyKey, startForm, failed }: Props) {
  const { t, i18n } = useTranslation("engine");
  const locale = i18n.language === "en" ? "en" : "ar";
  const csrf = useRootData()?.csrf ?? "";
  const submit = useSubmit();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const [title, setTitle] = useState(failed?.values.title ?? "");
  const [notes, setNotes] = useState(failed?.values.notes ?? "");
  const [data, setData] = useState<Answers>(() => parseAnswers(failed?.formData) ?? {});
  const errors = useMemo(() => failed?.formErrors ?? [], [failed?.formErrors]);

  function send(answers: Answers) {
    const form = new FormData();
    form.set("_csrf", csrf);
    form.set("definition", definitionKey);
    form.set("idempotencyKey", `${idempotencyKey}.start`);
    form.set("title", title);
    form.set("notes", notes);
    form.set("data", JSON.stringify(answers));
    void submit(form, { method: "post" });
  }

  return (
    <Stack gap="md" data-testid="start-case-form">
      {/* The form's own summary lists field refusals; this alert is for everything else. */}
      {failed?.formError && errors.length === 0 ? (
        <Alert color="red" role="alert">
          {failed.formError}
        </Alert>
      ) : null}
      <TextInput
        name="title"
        label={t("case.start.caseTitle")}
        description={t("case.start.caseTitleHint")}
        required
        maxLength={200}
        value={title}
        onChange={(e) => setTitle(e.currentTarget.value)}
        error={failed?.fieldErrors.title}
      />
      <Textarea
        name="notes"
        label={t("case.start.notes")}
        description={t("case.start.notesHint")}
        autosize
        minRows={2}
        maxLength={5000}
        value={notes}
        onChange={(e) => setNotes(e.currentTarget.value)}
        error={failed?.fieldErrors.notes}
      />
      <Paper withBorder p="md" radius="md">
        <Stack gap="sm">
          <Title order={2} size="h4">
            {t("case.start.startFormTitle")}
          </Title>
          <FormRenderer
            version={startForm}
            locale={locale}
            data={data}
            onChange={setData}
            onSubmit={send}
            errors={errors}
            files={{}}
            submitting={busy}
            submitLabel={t("case.start.submit")}
            idPrefix="start"
          />
        </Stack>
      </Paper>
    </Stack>
  );
}
