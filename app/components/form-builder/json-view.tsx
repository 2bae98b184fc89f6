import { Alert, Stack, Tabs, Text, Textarea } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { formToModel, FormImportError } from "~/forms/fields";
import { inputDir } from "./dir";
import type { BuilderModel, FormVersionJson } from "~/forms/model";

// The stored JSON of the form, for people who prefer it. The builder model stays the
// source of truth: the texts here are made from it when the view opens, and parsed back
// into it when the person leaves the view (or switches between the three parts). Text that
// does not parse stays as typed, with the error, until it is fixed.

export const JSON_PARTS = ["schema", "uiSchema", "translations"] as const;
export type JsonPart = (typeof JSON_PARTS)[number];
export type JsonTexts = Record<JsonPart, string>;
export type JsonErrors = Partial<Record<JsonPart, string>>;

export function toJsonTexts(form: FormVersionJson): JsonTexts {
  return { schema: JSON.stringify(form.schema, null, 2), uiSchema: JSON.stringify(form.uiSchema, null, 2), translations: JSON.stringify(form.translations, null, 2) };
}

type Parsed = { ok: true; value: unknown } | { ok: false; detail: string };
function parsePart(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, detail: e instanceof Error ? e.message : String(e) };
  }
}

/** Checks one part's syntax (error message keys are translated by the caller). */
export function partError(text: string): { key: string; detail?: string } | null {
  const p = parsePart(text);
  if (!p.ok) return { key: "builder.json.syntax", detail: p.detail };
  if (!p.value || typeof p.value !== "object" || Array.isArray(p.value)) return { key: "builder.json.notObject" };
  return null;
}

export function parseJsonTexts(texts: JsonTexts): { ok: true; model: BuilderModel } | { ok: false; errors: Partial<Record<JsonPart, { key: string; detail?: string }>> } {
  const errors: Partial<Record<JsonPart, { key: string; detail?: string }>> = {};
  for (const part of JSON_PARTS) {
    const e = partError(texts[part]);
    if (e) errors[part] = e;
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  try {
    return { ok: true, model: formToModel({ schema: JSON.parse(texts.schema), uiSchema: JSON.parse(texts.uiSchema), translations: JSON.parse(texts.translations) }) };
  } catch (e) {
    if (e instanceof FormImportError) return { ok: false, errors: { schema: { key: "builder.json.notForm" } } };
    throw e;
  }
}

interface Props {
  texts: JsonTexts;
  errors: JsonErrors;
  part: JsonPart;
  onPart: (part: JsonPart) => void;
  onChange: (part: JsonPart, text: string) => void;
  readOnly: boolean;
}

export function JsonView({ texts, errors, part, onPart, onChange, readOnly }: Props) {
  const { t } = useTranslation("forms");
  return (
    <Stack gap="xs" data-testid="builder-json">
      <Text size="sm" c="dimmed">
        {t("builder.json.help")}
      </Text>
      {Object.keys(errors).length ? (
        <Alert color="red" role="alert" title={t("builder.json.errorsTitle")}>
          {JSON_PARTS.filter((p) => errors[p]).map((p) => (
            <Text key={p} size="sm">
              {t(`builder.json.parts.${p}`)}: {errors[p]}
            </Text>
          ))}
        </Alert>
      ) : null}
      <Tabs value={part} onChange={(v) => v && onPart(v as JsonPart)} keepMounted={false}>
        <Tabs.List>
          {JSON_PARTS.map((p) => (
            <Tabs.Tab key={p} value={p} color={errors[p] ? "red" : undefined} data-testid={`json-tab-${p}`}>
              {t(`builder.json.parts.${p}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {JSON_PARTS.map((p) => (
          <Tabs.Panel key={p} value={p} pt="xs">
            <Textarea
              aria-label={t(`builder.json.parts.${p}`)}
              {...inputDir("ltr", true)}
              spellCheck={false}
              autosize
              minRows={16}
              maxRows={40}
              readOnly={readOnly}
              value={texts[p]}
              error={errors[p]}
              onChange={(e) => onChange(p, e.currentTarget.value)}
              data-testid={`json-${p}`}
            />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
