import { Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { BuilderModel, Lang, Texts } from "~/forms/model";
import { TextsInput } from "./texts-input";

/** With no field selected, the panel edits the form's own heading. */
export function FormSettings({ model, onChange }: { model: BuilderModel; onChange: (patch: Partial<Pick<BuilderModel, "title" | "description">>, coalesce: string) => void }) {
  const { t } = useTranslation("forms");
  return (
    <Stack gap="sm" component="section" aria-labelledby="form-settings-title">
      <Title order={2} size="h5" id="form-settings-title">
        {t("builder.formSettings.title")}
      </Title>
      <Text size="xs" c="dimmed">
        {t("builder.formSettings.help")}
      </Text>
      <TextsInput label={t("builder.formSettings.heading")} value={model.title} onChange={(title: Texts, l: Lang) => onChange({ title }, `form:title:${l}`)} testId="form-title" />
      <TextsInput label={t("builder.formSettings.description")} multiline value={model.description} onChange={(description: Texts, l: Lang) => onChange({ description }, `form:description:${l}`)} />
    </Stack>
  );
}
