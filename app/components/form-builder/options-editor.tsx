import { ActionIcon, Button, Group, Stack, Text, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Option } from "~/forms/model";
import { inputDir } from "./dir";

interface Props {
  options: Option[];
  onChange: (next: Option[], coalesce?: string) => void;
}

/** The choices of a list: a stored value and its label in both languages, in order. */
export function OptionsEditor({ options, onChange }: Props) {
  const { t } = useTranslation("forms");
  const set = (i: number, patch: Partial<Option>, what: string) => onChange(options.map((o, j) => (j === i ? { ...o, ...patch } : o)), `option:${i}:${what}`);
  const move = (i: number, d: -1 | 1) => {
    const next = [...options];
    const [item] = next.splice(i, 1);
    next.splice(i + d, 0, item!);
    onChange(next);
  };
  const add = () => {
    const taken = new Set(options.map((o) => o.value));
    let n = options.length + 1;
    while (taken.has(`option${n}`)) n += 1;
    onChange([...options, { value: `option${n}`, label: { ar: "", en: "" } }]);
  };
  return (
    <Stack gap={6} role="group" aria-labelledby="options-title">
      <Text size="sm" fw={600} id="options-title">
        {t("builder.options.title")}
      </Text>
      {options.map((o, i) => {
        const n = i + 1;
        return (
          <Group key={i} gap={4} wrap="nowrap" align="flex-end" data-testid="option-row">
            <TextInput size="xs" w="28%" label={t("builder.options.value", { n })} {...inputDir("ltr", true)} value={o.value} onChange={(e) => set(i, { value: e.currentTarget.value.trim() }, "value")} />
            <TextInput size="xs" style={{ flex: 1 }} lang="ar" {...inputDir("rtl")} label={t("builder.options.labelAr", { n })} value={o.label.ar} onChange={(e) => set(i, { label: { ...o.label, ar: e.currentTarget.value } }, "ar")} />
            <TextInput size="xs" style={{ flex: 1 }} lang="en" {...inputDir("ltr")} label={t("builder.options.labelEn", { n })} value={o.label.en} onChange={(e) => set(i, { label: { ...o.label, en: e.currentTarget.value } }, "en")} />
            <ActionIcon variant="subtle" color="gray" size="sm" mb={4} aria-label={t("builder.options.up", { n })} disabled={i === 0} onClick={() => move(i, -1)}>
              <span aria-hidden>↑</span>
            </ActionIcon>
            <ActionIcon variant="subtle" color="gray" size="sm" mb={4} aria-label={t("builder.options.down", { n })} disabled={i === options.length - 1} onClick={() => move(i, 1)}>
              <span aria-hidden>↓</span>
            </ActionIcon>
            <ActionIcon variant="subtle" color="red" size="sm" mb={4} aria-label={t("builder.options.remove", { n })} onClick={() => onChange(options.filter((_, j) => j !== i))}>
              <span aria-hidden>✕</span>
            </ActionIcon>
          </Group>
        );
      })}
      <Group>
        <Button size="xs" variant="light" onClick={add} data-testid="option-add">
          {t("builder.options.add")}
        </Button>
      </Group>
    </Stack>
  );
}
