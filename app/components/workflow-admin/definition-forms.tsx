import { Alert, Anchor, Button, Group, Input, List, Paper, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Form, Link, useNavigation } from "react-router";
import { CsrfInput } from "~/components/csrf-input";
import { IssueList } from "./issue-list";
import { useOrgFormat } from "~/components/org-format";

export interface CreateState {
  values?: Record<string, string>;
  fieldErrors?: Record<string, string>;
}

/** A new definition: names and key; it starts as a blank draft. */
export function CreateDefinitionForm({ state }: { state?: CreateState }) {
  const { t } = useTranslation("engine");
  const nav = useNavigation();
  const busy = nav.state === "submitting" && nav.formAction?.includes("intent=create");
  const errors = state?.fieldErrors ?? {};
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="new-workflow-title">
      <Form method="post" action="?intent=create" noValidate>
        <CsrfInput />
        <Stack>
          <Title order={2} size="h4" id="new-workflow-title">
            {t("definitions.create.title")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("definitions.create.intro")}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput name="name_ar" label={t("definitions.create.name_ar")} required lang="ar" dir="rtl" defaultValue={state?.values?.name_ar} error={errors.name_ar} />
            <TextInput name="name_en" label={t("definitions.create.name_en")} required lang="en" dir="ltr" defaultValue={state?.values?.name_en} error={errors.name_en} />
            <TextInput
              name="key"
              label={t("definitions.create.key")}
              description={t("definitions.create.keyHelp")}
              required
              dir="ltr"
              autoComplete="off"
              spellCheck={false}
              defaultValue={state?.values?.key}
              error={errors.key}
            />
          </SimpleGrid>
          <Group>
            <Button type="submit" loading={busy}>
              {t("definitions.create.submit")}
            </Button>
          </Group>
        </Stack>
      </Form>
    </Paper>
  );
}

export type ImportState =
  | { ok: true; definitionId: string; name: { ar: string; en: string }; warnings: string[] }
  | { ok: false; error: string; issues: { path: string; message: string }[]; key: string };

/** Upload of a Masar JSON or BPMN file; errors and import warnings are listed in place. */
export function ImportDefinitionForm({ state, maxBytes, base }: { state?: ImportState; maxBytes: number; base: string }) {
  const { t, i18n } = useTranslation("engine");
  const fmt = useOrgFormat();
  const nav = useNavigation();
  const busy = nav.state === "submitting" && nav.formAction?.includes("intent=import");
  const [tooBig, setTooBig] = useState(false);
  const failed = state && !state.ok ? state : undefined;
  const done = state?.ok ? state : undefined;
  const maxLabel = `${fmt.number(maxBytes / 1024 / 1024)} MB`;
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="import-workflow-title">
      <Form method="post" action="?intent=import" encType="multipart/form-data" noValidate>
        <CsrfInput />
        <Stack>
          <Title order={2} size="h4" id="import-workflow-title">
            {t("definitions.import.title")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("definitions.import.intro")}
          </Text>
          {failed ? (
            <Alert color="red" role="alert" title={t("definitions.import.failed")}>
              <Text size="sm">{failed.error}</Text>
              <IssueList issues={failed.issues} />
            </Alert>
          ) : null}
          {done ? (
            <Alert color={done.warnings.length ? "yellow" : "teal"} role="status" title={t("definitions.import.done", { name: i18n.language === "en" ? done.name.en : done.name.ar })}>
              {done.warnings.length ? (
                <>
                  <Text size="sm">{t("definitions.import.warningsTitle", { n: fmt.number(done.warnings.length) })}</Text>
                  <List size="sm" mt="xs">
                    {done.warnings.map((w, i) => (
                      <List.Item key={i}>{w}</List.Item>
                    ))}
                  </List>
                </>
              ) : null}
              <Anchor component={Link} to={`${base}/${done.definitionId}?imported=1`} fw={600} mt="xs" display="inline-block">
                {t("definitions.import.open")}
              </Anchor>
            </Alert>
          ) : null}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Input.Wrapper
              label={t("definitions.import.file")}
              required
              id="import-file"
              error={tooBig ? t("definitions.import.errors.too_large", { max: maxLabel }) : undefined}
            >
              <input
                id="import-file"
                type="file"
                name="file"
                required
                accept=".json,.bpmn,.xml,application/json,text/xml,application/xml"
                style={{ display: "block", marginTop: 6 }}
                onChange={(e) => setTooBig((e.currentTarget.files?.[0]?.size ?? 0) > maxBytes)}
              />
            </Input.Wrapper>
            <TextInput name="key" label={t("definitions.import.key")} description={t("definitions.import.keyHelp")} dir="ltr" autoComplete="off" defaultValue={failed?.key} />
          </SimpleGrid>
          <Group>
            <Button type="submit" variant="default" loading={busy} disabled={tooBig}>
              {t("definitions.import.submit")}
            </Button>
          </Group>
        </Stack>
      </Form>
    </Paper>
  );
}
