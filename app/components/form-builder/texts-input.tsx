import { SimpleGrid, Textarea, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Lang, Texts } from "~/forms/model";
import { inputDir } from "./dir";

interface Props {
  label: string;
  value: Texts;
  onChange: (next: Texts, lang: Lang) => void;
  multiline?: boolean;
  error?: string | null;
  testId?: string;
}

/** One text in Arabic and English side by side, each typed in its own direction. */
export function TextsInput({ label, value, onChange, multiline, error, testId }: Props) {
  const { t } = useTranslation("forms");
  const field = (lang: Lang) => {
    const common = {
      label: `${label} — ${t(`builder.lang.${lang}`)}`,
      lang,
      ...inputDir(lang === "ar" ? "rtl" : "ltr"),
      value: value[lang],
      size: "xs",
      error: lang === "ar" ? error : undefined,
      "data-testid": testId ? `${testId}-${lang}` : undefined,
    } as const;
    const change = (text: string) => onChange({ ...value, [lang]: text }, lang);
    return multiline ? (
      <Textarea key={lang} {...common} autosize minRows={1} onChange={(e) => change(e.currentTarget.value)} />
    ) : (
      <TextInput key={lang} {...common} onChange={(e) => change(e.currentTarget.value)} />
    );
  };
  return <SimpleGrid cols={2} spacing="xs">{[field("ar"), field("en")]}</SimpleGrid>;
}
