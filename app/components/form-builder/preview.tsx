import { Alert, Box, Group, Paper, SegmentedControl, Stack, Text } from "@mantine/core";
import { Component, useMemo, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { FormRenderer, type FormData } from "~/components/form-renderer/form-renderer";
import type { FormVersionJson, Lang } from "~/forms/model";

/**
 * The form as staff will see it, with the real renderer, in Arabic or English and at phone
 * or desktop width. Answers typed here stay in the preview (to try the conditions); the
 * browser validator is compiled only for published versions, so none runs here.
 */
export function Preview({ form }: { form: FormVersionJson }) {
  const { t, i18n } = useTranslation("forms");
  const [lang, setLang] = useState<Lang>(i18n.language === "en" ? "en" : "ar");
  const [width, setWidth] = useState<"phone" | "desktop">("desktop");
  const [data, setData] = useState<FormData>({});
  const version = useMemo(() => ({ id: "preview", schema: form.schema, uiSchema: form.uiSchema, translations: form.translations }), [form]);
  // A new schema may not fit the answers typed so far; the renderer restarts cleanly.
  const generation = useMemo(() => JSON.stringify(form).length + ":" + Object.keys(form.schema.properties ?? {}).join(","), [form]);
  return (
    <Stack gap="sm" component="section" aria-labelledby="preview-title" data-testid="builder-preview">
      <Group justify="space-between" wrap="wrap">
        <Text fw={700} id="preview-title" component="h2" size="md">
          {t("builder.preview.title")}
        </Text>
        <Group gap="xs">
          <SegmentedControl
            size="xs"
            aria-label={t("builder.preview.language")}
            value={lang}
            onChange={(v) => setLang(v === "en" ? "en" : "ar")}
            data={[
              { value: "ar", label: t("builder.lang.ar") },
              { value: "en", label: t("builder.lang.en") },
            ]}
            data-testid="preview-lang"
          />
          <SegmentedControl
            size="xs"
            aria-label={t("builder.preview.width")}
            value={width}
            onChange={(v) => setWidth(v === "phone" ? "phone" : "desktop")}
            data={[
              { value: "phone", label: t("builder.preview.phone") },
              { value: "desktop", label: t("builder.preview.desktop") },
            ]}
            data-testid="preview-width"
          />
        </Group>
      </Group>
      <Paper withBorder radius="md" p="md" bg="gray.0">
        <Box
          dir={lang === "ar" ? "rtl" : "ltr"}
          lang={lang}
          mx="auto"
          style={{ maxWidth: width === "phone" ? 390 : "100%", background: "var(--mantine-color-white)", padding: "var(--mantine-spacing-md)", borderRadius: 8 }}
          data-width={width}
        >
          <PreviewBoundary key={`${generation}:${lang}`} fallback={<Alert color="red">{t("builder.preview.failed")}</Alert>}>
            <FormRenderer version={version} locale={lang} data={data} onChange={setData} validatorUrl={null} idPrefix="preview" />
          </PreviewBoundary>
        </Box>
      </Paper>
    </Stack>
  );
}

/** A schema being built can be odd (a raw field, an import); the builder must stay usable. */
class PreviewBoundary extends Component<{ children: ReactNode; fallback: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}
