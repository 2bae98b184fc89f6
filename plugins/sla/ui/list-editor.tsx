import { ActionIcon, Button, Group, Stack, Text, Textarea } from "@mantine/core";
import { useTranslation } from "react-i18next";

// A list of short texts edited item by item (objectives, each side's responsibilities): one
// field per item, a remove button beside it, an add button below. Empty items are dropped when
// the agreement is posted.

export interface ListEditorProps {
  /** Used for element ids and test ids. */
  id: string;
  items: string[];
  onChange: (items: string[]) => void;
  /** The label of item i (0-based), e.g. "الهدف ٣". */
  itemLabel: (i: number) => string;
  addLabel: string;
  /** Errors by item index, and one for the whole list. */
  itemError: (i: number) => string | undefined;
  listError?: string;
  max: number;
}

export function ListEditor({ id, items, onChange, itemLabel, addLabel, itemError, listError, max }: ListEditorProps) {
  const { t } = useTranslation("sla");
  const set = (i: number, value: string) => onChange(items.map((item, j) => (j === i ? value : item)));
  return (
    <Stack gap="xs" data-testid={`list-${id}`}>
      {items.map((item, i) => (
        <Group key={i} align="flex-start" gap="xs" wrap="nowrap">
          <Textarea
            id={`${id}-${i}`}
            label={itemLabel(i)}
            value={item}
            onChange={(e) => set(i, e.currentTarget.value)}
            error={itemError(i)}
            autosize
            minRows={1}
            maxLength={1000}
            style={{ flex: 1 }}
          />
          <ActionIcon variant="subtle" color="red" mt={26} aria-label={t("form.removeItem", { item: itemLabel(i) })} onClick={() => onChange(items.filter((_, j) => j !== i))}>
            ×
          </ActionIcon>
        </Group>
      ))}
      {listError ? (
        <Text size="sm" c="red" role="alert">
          {listError}
        </Text>
      ) : null}
      <Button variant="light" size="xs" w="fit-content" disabled={items.length >= max} onClick={() => onChange([...items, ""])}>
        {addLabel}
      </Button>
    </Stack>
  );
}
