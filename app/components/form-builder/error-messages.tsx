import { Accordion, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { fieldType } from "~/forms/fields";
import type { ErrorKeyword, FieldNode, Texts } from "~/forms/model";
import { TextsInput } from "./texts-input";

/** Custom messages for the field's validation rules, in both languages (x-masar-errors). */
export function ErrorMessages({ node, onChange }: { node: FieldNode; onChange: (kw: ErrorKeyword, texts: Texts | undefined) => void }) {
  const { t } = useTranslation("forms");
  const keywords = fieldType(node.type).errorKeywords;
  if (keywords.length === 0) return null;
  const set = Object.values(node.errors).filter((v) => v && (v.ar || v.en)).length;
  return (
    <Accordion variant="contained" chevronPosition="left">
      <Accordion.Item value="errors">
        <Accordion.Control>
          <Text size="sm" fw={600}>
            {t("builder.errors.title")} {set ? `(${set})` : ""}
          </Text>
        </Accordion.Control>
        <Accordion.Panel>
          <Stack gap="xs">
            <Text size="xs" c="dimmed">
              {t("builder.errors.help")}
            </Text>
            {keywords.map((kw) => (
              <TextsInput
                key={kw}
                label={t(`builder.errors.keywords.${kw}`)}
                value={node.errors[kw] ?? { ar: "", en: "" }}
                onChange={(v) => onChange(kw, v.ar || v.en ? v : undefined)}
              />
            ))}
          </Stack>
        </Accordion.Panel>
      </Accordion.Item>
    </Accordion>
  );
}
