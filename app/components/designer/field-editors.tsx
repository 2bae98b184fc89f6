import { ActionIcon, Button, Checkbox, Group, Input, NumberInput, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { Localised } from "~/engine/definition";
import { joinDuration, splitDuration } from "~/designer/duration";

// Small controlled editors the properties panel is built from. Each reports a value; the
// panel turns it into a store action (typing in one field is one undo step: see coalesce).

const MAX_LABEL = 500;

/** A name in both languages; Arabic first. Optional labels become undefined when both are empty. */
export function LocalisedInput({
  label,
  value,
  onChange,
  multiline = false,
  optional = false,
  readOnly,
  description,
  testId,
}: {
  label: string;
  value: Localised | undefined;
  onChange: (v: Localised | undefined, lang: "ar" | "en") => void;
  multiline?: boolean;
  optional?: boolean;
  readOnly: boolean;
  description?: string;
  testId?: string;
}) {
  const { t } = useTranslation("designer");
  const v = value ?? { ar: "", en: "" };
  const set = (lang: "ar" | "en", text: string) => {
    const next = { ...v, [lang]: text };
    onChange(optional && !next.ar.trim() && !next.en.trim() ? undefined : next, lang);
  };
  const Field = multiline ? Textarea : TextInput;
  const extra = multiline ? { autosize: true, minRows: 2, maxRows: 6 } : {};
  return (
    <Input.Wrapper label={label} description={description}>
      <Stack gap={4} mt={4}>
        <Field
          {...extra}
          aria-label={`${label} — ${t("fields.arabic")}`}
          placeholder={t("fields.arabic")}
          lang="ar"
          dir="rtl"
          value={v.ar}
          maxLength={MAX_LABEL}
          readOnly={readOnly}
          onChange={(e) => set("ar", e.currentTarget.value)}
          data-testid={testId ? `${testId}-ar` : undefined}
          size="xs"
        />
        <Field
          {...extra}
          aria-label={`${label} — ${t("fields.english")}`}
          placeholder={t("fields.english")}
          lang="en"
          dir="ltr"
          value={v.en}
          maxLength={MAX_LABEL}
          readOnly={readOnly}
          onChange={(e) => set("en", e.currentTarget.value)}
          data-testid={testId ? `${testId}-en` : undefined}
          size="xs"
        />
      </Stack>
    </Input.Wrapper>
  );
}

/**
 * An ISO 8601 duration as days / hours / minutes. A required duration (a timer) never becomes
 * empty: clearing every box keeps one minute. Durations in years or months are kept and shown
 * as text (the engine accepts them; this editor does not split them).
 */
export function DurationInput({ label, description, value, onChange, required, readOnly }: { label: string; description?: string; value: string | undefined; onChange: (v: string | undefined) => void; required: boolean; readOnly: boolean }) {
  const { t } = useTranslation("designer");
  const parts = splitDuration(value);
  const id = useId();
  if (!parts) {
    return <TextInput label={label} description={description} value={value ?? ""} dir="ltr" readOnly={readOnly} size="xs" onChange={(e) => onChange(e.currentTarget.value || (required ? "PT1M" : undefined))} />;
  }
  const set = (key: "d" | "h" | "m", n: string | number) => {
    const next = { ...parts, [key]: Math.max(0, Math.min(key === "d" ? 3650 : 100_000, Math.floor(Number(n) || 0))) };
    onChange(joinDuration(next) ?? (required ? "PT1M" : undefined));
  };
  return (
    <Input.Wrapper label={label} description={description} id={id}>
      <Group gap={4} mt={4} wrap="nowrap" role="group" aria-labelledby={`${id}-label`}>
        {(["d", "h", "m"] as const).map((k) => (
          <NumberInput key={k} size="xs" min={0} allowDecimal={false} value={parts[k] || ""} placeholder="0" readOnly={readOnly} aria-label={`${label} — ${t(`fields.units.${k}`)}`} rightSection={<Text size="xs" c="dimmed">{t(`fields.units.${k}Short`)}</Text>} rightSectionWidth={36} onChange={(n) => set(k, n)} />
        ))}
      </Group>
    </Input.Wrapper>
  );
}

export interface ListItem {
  id: string;
  label: Localised;
  required?: boolean;
}

/** A gate's checklist or its required documents: labelled items in both languages. */
export function ItemsEditor({ label, items, onChange, withRequired, readOnly, idPrefix }: { label: string; items: ListItem[]; onChange: (items: ListItem[]) => void; withRequired: boolean; readOnly: boolean; idPrefix: string }) {
  const { t } = useTranslation("designer");
  const fresh = () => {
    const taken = new Set(items.map((i) => i.id));
    let n = items.length + 1;
    while (taken.has(`${idPrefix}_${n}`)) n++;
    return `${idPrefix}_${n}`;
  };
  const update = (i: number, patch: Partial<ListItem>) => onChange(items.map((item, j) => (j === i ? { ...item, ...patch } : item)));
  return (
    <Input.Wrapper label={label}>
      <Stack gap={6} mt={4}>
        {items.length === 0 ? (
          <Text size="xs" c="dimmed">
            {t("fields.noItems")}
          </Text>
        ) : null}
        {items.map((item, i) => (
          <Group key={item.id} gap={4} align="flex-start" wrap="nowrap">
            <Stack gap={2} style={{ flex: 1 }}>
              <TextInput size="xs" lang="ar" dir="rtl" value={item.label.ar} maxLength={MAX_LABEL} readOnly={readOnly} aria-label={t("fields.itemAr", { n: i + 1 })} placeholder={t("fields.arabic")} onChange={(e) => update(i, { label: { ...item.label, ar: e.currentTarget.value } })} />
              <TextInput size="xs" lang="en" dir="ltr" value={item.label.en} maxLength={MAX_LABEL} readOnly={readOnly} aria-label={t("fields.itemEn", { n: i + 1 })} placeholder={t("fields.english")} onChange={(e) => update(i, { label: { ...item.label, en: e.currentTarget.value } })} />
              {withRequired ? <Checkbox size="xs" label={t("fields.itemRequired")} checked={item.required ?? true} disabled={readOnly} onChange={(e) => update(i, { required: e.currentTarget.checked })} /> : null}
            </Stack>
            {!readOnly ? (
              <ActionIcon variant="subtle" color="red" size="sm" aria-label={t("fields.removeItem", { n: i + 1 })} onClick={() => onChange(items.filter((_, j) => j !== i))}>
                ×
              </ActionIcon>
            ) : null}
          </Group>
        ))}
        {!readOnly ? (
          <Button size="compact-xs" variant="light" onClick={() => onChange([...items, { id: fresh(), label: { ar: "", en: "" }, ...(withRequired ? { required: true } : {}) }])}>
            {t("fields.addItem")}
          </Button>
        ) : null}
      </Stack>
    </Input.Wrapper>
  );
}
