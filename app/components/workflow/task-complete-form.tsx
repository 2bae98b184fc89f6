import { Alert, Button, Checkbox, Group, NumberInput, Paper, Radio, Select, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Form, useNavigation } from "react-router";
import { CsrfInput } from "~/components/csrf-input";
import type { DecisionField } from "~/utils/decision-fields";

export interface CompleteValues {
  notes: string;
  answers: Record<string, string>;
  checklist: string[];
}

export interface ChecklistItem {
  id: string;
  label: { ar: string; en: string };
  required: boolean;
}

interface Props {
  kind: "task" | "gate";
  idempotencyKey: string;
  fields: DecisionField[];
  checklist: ChecklistItem[];
  outcomes: ("go" | "no-go" | "rework")[];
  /** What the person typed last time (a failed or conflicting submit) or the case's current answers. */
  values: CompleteValues;
  fieldErrors?: Record<string, string>;
}

const OUTCOME_COLOR = { go: "teal", "no-go": "red", rework: "orange" } as const;

/**
 * Completing a step. Until the forms issue gives steps real forms, a step asks only what its
 * next decision needs (see app/utils/decision-fields.ts) plus free notes; a stage gate shows
 * its checklist and the outcomes its outgoing edges offer.
 */
export function TaskCompleteForm({ kind, idempotencyKey, fields, checklist, outcomes, values, fieldErrors = {} }: Props) {
  const { t, i18n } = useTranslation("engine");
  const navigation = useNavigation();
  const en = i18n.language === "en";
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === "complete";
  const label = (l: { ar: string; en: string }) => (en ? l.en : l.ar);
  return (
    <Paper withBorder p="md" radius="md">
      <Form method="post" noValidate>
        <CsrfInput />
        <input type="hidden" name="intent" value="complete" />
        <input type="hidden" name="idempotencyKey" value={`${idempotencyKey}.complete`} />
        <Stack gap="md">
          <Title order={2} size="h4">
            {kind === "gate" ? t("task.complete.gateTitle") : t("task.complete.title")}
          </Title>
          {fieldErrors._form ? (
            <Alert color="red" role="alert">
              {fieldErrors._form}
            </Alert>
          ) : null}

          {fields.length > 0 ? (
            <Stack gap="sm">
              <Text size="sm" c="dimmed">
                {t("task.complete.answersHint")}
              </Text>
              {fields.map((field) => (
                <AnswerField key={field.key} field={field} value={values.answers[field.key] ?? ""} error={fieldErrors[`answer.${field.key}`]} />
              ))}
            </Stack>
          ) : null}

          {kind === "gate" && checklist.length > 0 ? (
            <Checkbox.Group
              label={t("task.complete.checklist")}
              description={t("task.complete.checklistHint")}
              defaultValue={values.checklist}
              error={fieldErrors.checklist}
            >
              <Stack gap={6} mt="xs">
                {checklist.map((item) => (
                  <Checkbox
                    key={item.id}
                    name="checklist"
                    value={item.id}
                    label={item.required ? `${label(item.label)} *` : `${label(item.label)} (${t("task.complete.optional")})`}
                  />
                ))}
              </Stack>
            </Checkbox.Group>
          ) : null}

          <Textarea name="notes" label={t("task.complete.notes")} description={t("task.complete.notesHint")} autosize minRows={3} maxLength={5000} defaultValue={values.notes} error={fieldErrors.notes} />

          {kind === "gate" ? (
            <Stack gap={4}>
              <Group gap="sm">
                {outcomes.map((outcome) => (
                  <Button key={outcome} type="submit" name="outcome" value={outcome} color={OUTCOME_COLOR[outcome]} loading={busy && navigation.formData?.get("outcome") === outcome} disabled={busy}>
                    {t(`task.outcome.${outcome}`)}
                  </Button>
                ))}
              </Group>
              {fieldErrors.outcome ? (
                <Text c="red" size="sm" role="alert">
                  {fieldErrors.outcome}
                </Text>
              ) : null}
            </Stack>
          ) : (
            <Button type="submit" w="fit-content" loading={busy} data-testid="complete-task">
              {t("task.complete.submit")}
            </Button>
          )}
        </Stack>
      </Form>
    </Paper>
  );
}

function AnswerField({ field, value, error }: { field: DecisionField; value: string; error?: string }) {
  const { t, i18n } = useTranslation("engine");
  const en = i18n.language === "en";
  const label = field.label ? (en ? field.label.en : field.label.ar) : field.key;
  // A field named by its key says where it is used: the decision's question.
  const description = field.label ? undefined : t("task.complete.usedBy", { decision: en ? field.decision.en : field.decision.ar });
  const name = `answer.${field.key}`;
  if (field.type === "boolean") {
    return (
      <Radio.Group name={name} label={label} description={description} defaultValue={value} error={error} withAsterisk>
        <Group gap="lg" mt={4}>
          <Radio value="true" label={t("task.complete.yes")} />
          <Radio value="false" label={t("task.complete.no")} />
        </Group>
      </Radio.Group>
    );
  }
  if (field.type === "number") return <NumberInput name={name} label={label} description={description} defaultValue={value} error={error} w="fit-content" withAsterisk />;
  if (field.options.length > 0) {
    return <Select name={name} label={label} description={description} defaultValue={value || null} data={field.options} clearable error={error} w="fit-content" withAsterisk comboboxProps={{ withinPortal: true }} />;
  }
  return <TextInput name={name} label={label} description={description} defaultValue={value} maxLength={500} error={error} w="fit-content" withAsterisk />;
}
