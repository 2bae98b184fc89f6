import { Button, Group, Kbd, Popover, Stack, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

// The keyboard shortcuts and mouse gestures of the canvas (use-shortcuts.ts and React Flow).

const ROWS: [string, string[][]][] = [
  ["undo", [["Ctrl", "Z"]]],
  ["redo", [["Ctrl", "Shift", "Z"], ["Ctrl", "Y"]]],
  ["copy", [["Ctrl", "C"]]],
  ["cut", [["Ctrl", "X"]]],
  ["paste", [["Ctrl", "V"]]],
  ["selectAll", [["Ctrl", "A"]]],
  ["delete", [["Delete"], ["Backspace"]]],
  ["nudge", [["←", "↑", "→", "↓"]]],
  ["nudgeFar", [["Shift", "←"]]],
  ["fit", [["Shift", "1"]]],
  ["deselect", [["Esc"]]],
];

export function ShortcutsHelp() {
  const { t } = useTranslation("designer");
  return (
    <Popover width={420} position="bottom-end" withArrow shadow="md" trapFocus>
      <Popover.Target>
        <Button size="compact-sm" variant="default" data-testid="shortcuts-help">
          {t("help.button")}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs">
          <Text fw={600} size="sm">
            {t("help.title")}
          </Text>
          <Table verticalSpacing={4} fz="xs">
            <Table.Tbody>
              {ROWS.map(([key, combos]) => (
                <Table.Tr key={key}>
                  <Table.Td>{t(`help.keys.${key}`)}</Table.Td>
                  <Table.Td dir="ltr">
                    <Group gap={6}>
                      {combos.map((combo, i) => (
                        <Group key={i} gap={2} wrap="nowrap">
                          {combo.map((k) => (
                            <Kbd key={k} size="xs">
                              {k}
                            </Kbd>
                          ))}
                        </Group>
                      ))}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="xs" c="dimmed">
            {t("help.mouse")}
          </Text>
          <Text size="xs" c="dimmed">
            {t("help.mac")}
          </Text>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
