import { Button, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { FIELD_TYPES, PALETTE_TYPES } from "~/forms/fields";
import type { FieldTypeId } from "~/forms/model";
import { useDrag } from "./dnd";

const GROUPS = ["text", "number", "date", "choice", "file", "layout", "special"] as const;

/**
 * Every field type as a button: drag it onto the canvas, or press it (mouse or keyboard)
 * to add the field at the end of the form — or inside the selected section/table.
 */
export function Palette({ onAdd, target }: { onAdd: (type: FieldTypeId) => void; target: string | null }) {
  const { t } = useTranslation("forms");
  const drag = useDrag();
  return (
    <Stack gap="sm" component="section" aria-labelledby="palette-title">
      <Title order={2} size="h5" id="palette-title">
        {t("builder.palette.title")}
      </Title>
      <Text size="xs" c="dimmed" id="palette-help">
        {target ? t("builder.palette.helpInto", { name: target }) : t("builder.palette.help")}
      </Text>
      {GROUPS.map((group) => {
        const types = FIELD_TYPES.filter((d) => d.group === group && PALETTE_TYPES.includes(d.id));
        return (
          <Stack key={group} gap={4} role="group" aria-label={t(`builder.palette.groups.${group}`)}>
            <Text size="xs" fw={700} c="dimmed">
              {t(`builder.palette.groups.${group}`)}
            </Text>
            <SimpleGrid cols={1} spacing={4}>
              {types.map((d) => (
                <Button
                  key={d.id}
                  variant="default"
                  size="xs"
                  justify="flex-start"
                  draggable
                  onDragStart={(e) => drag.start(e, { kind: "new", type: d.id })}
                  onDragEnd={drag.end}
                  onClick={() => onAdd(d.id)}
                  aria-describedby="palette-help"
                  data-testid={`palette-${d.id}`}
                  leftSection={
                    <Text span size="xs" w={20} ta="center" aria-hidden>
                      {d.icon}
                    </Text>
                  }
                >
                  {t(d.labelKey)}
                </Button>
              ))}
            </SimpleGrid>
          </Stack>
        );
      })}
    </Stack>
  );
}
