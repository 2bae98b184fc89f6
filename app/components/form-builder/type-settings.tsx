import { Checkbox, Group, NativeSelect, NumberInput, Stack, Textarea, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { ACCEPT_CHOICES, DEFAULT_CURRENCIES } from "~/forms/catalogue";
import { fieldType } from "~/forms/fields";
import type { FieldNode, FieldProps } from "~/forms/model";
import { inputDir } from "./dir";
import { OptionsEditor } from "./options-editor";

const ACCEPT_NAMES: Record<string, string> = {
  "application/pdf": "PDF",
  "image/png": "PNG",
  "image/jpeg": "JPEG",
  "image/gif": "GIF",
  "image/webp": "WebP",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (DOCX)",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (XLSX)",
};

interface Props {
  node: FieldNode;
  onChange: (patch: Partial<FieldProps>, coalesce?: string) => void;
}

/** The settings of the field's type (lengths, bounds, pattern, options, currency, files…). */
export function TypeSettings({ node, onChange }: Props) {
  const { t } = useTranslation("forms");
  const specs = fieldType(node.type).props;
  if (specs.length === 0) return null;
  const p = node.props;
  const numbers = specs.filter((s) => s.kind === "int" || s.kind === "number");
  return (
    <Stack gap="xs">
      {numbers.length ? (
        <Group gap="xs" grow align="flex-start">
          {numbers.map((s) => (
            <NumberInput
              key={s.name}
              size="xs"
              label={t(`builder.props.${s.name}`)}
              allowDecimal={s.kind === "number"}
              min={s.kind === "int" ? 0 : undefined}
              value={(p[s.name] as number | undefined) ?? ""}
              onChange={(v) => onChange({ [s.name]: v === "" || v === undefined ? undefined : Number(v) }, `prop:${s.name}`)}
              data-testid={`prop-${s.name}`}
            />
          ))}
        </Group>
      ) : null}
      {specs.map((s) => {
        switch (s.kind) {
          case "pattern":
            return (
              <TextInput
                key={s.name}
                size="xs"
                label={t("builder.props.pattern")}
                description={t("builder.props.patternHelp")}
                {...inputDir("ltr", true)}
                value={p.pattern ?? ""}
                onChange={(e) => onChange({ pattern: e.currentTarget.value || undefined }, "prop:pattern")}
              />
            );
          case "choice":
            return (
              <NativeSelect
                key={s.name}
                size="xs"
                label={t(`builder.props.${s.name}`)}
                value={String(p[s.name] ?? s.choices?.[0] ?? "")}
                data={(s.choices ?? []).map((c) => ({ value: c, label: t(`builder.props.choices.${c}`) }))}
                onChange={(e) => onChange({ [s.name]: e.currentTarget.value })}
              />
            );
          case "currency": {
            const list: string[] = [...DEFAULT_CURRENCIES];
            if (p.currency && !list.includes(p.currency)) list.push(p.currency);
            return (
              <NativeSelect key={s.name} size="xs" label={t("builder.props.currency")} value={p.currency ?? "SAR"} data={list} onChange={(e) => onChange({ currency: e.currentTarget.value })} />
            );
          }
          case "accept":
            return (
              <Checkbox.Group key={s.name} size="xs" label={t("builder.props.accept")} value={p.accept ?? []} onChange={(v) => onChange({ accept: v })}>
                <Group gap="xs" mt={4}>
                  {ACCEPT_CHOICES.map((type) => (
                    <Checkbox key={type} value={type} label={ACCEPT_NAMES[type] ?? type} />
                  ))}
                </Group>
              </Checkbox.Group>
            );
          case "expression":
            return (
              <Textarea
                key={s.name}
                size="xs"
                label={t("builder.props.compute")}
                description={t("builder.props.computeHelp")}
                {...inputDir("ltr", true)}
                autosize
                minRows={2}
                value={p.compute ?? ""}
                onChange={(e) => onChange({ compute: e.currentTarget.value }, "prop:compute")}
              />
            );
          case "options":
            return <OptionsEditor key={s.name} options={p.options ?? []} onChange={(options, coalesce) => onChange({ options }, coalesce)} />;
          default:
            return null;
        }
      })}
    </Stack>
  );
}
