import { Badge, Group, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useOrgFormat } from "~/components/org-format";
import type { Localised } from "~/engine/definition";
import type { StepsTable } from "~/engine/steps-table";

/** The steps table of the service documentation card (DOMAIN.md §1), with its totals. */
export function StepsTableView({ table }: { table: StepsTable }) {
  const { t, i18n } = useTranslation("engine");
  const fmt = useOrgFormat();
  const en = i18n.language === "en";
  const l = (v: Localised | undefined) => (v ? (en ? v.en || v.ar : v.ar || v.en) : "");
  if (table.rows.length === 0) return <Text c="dimmed">{t("definitions.steps.empty")}</Text>;
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table withTableBorder withColumnBorders verticalSpacing="xs" data-testid="steps-table">
        <Table.Caption>{t("definitions.steps.caption")}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("definitions.steps.number")}</Table.Th>
            <Table.Th>{t("definitions.steps.step")}</Table.Th>
            <Table.Th>{t("definitions.steps.description")}</Table.Th>
            <Table.Th>{t("definitions.steps.responsibility")}</Table.Th>
            <Table.Th>{t("definitions.steps.inputs")}</Table.Th>
            <Table.Th>{t("definitions.steps.outputs")}</Table.Th>
            <Table.Th>{t("definitions.steps.tools")}</Table.Th>
            <Table.Th>{t("definitions.steps.time")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {table.rows.map((r) => (
            <Table.Tr key={r.nodeId}>
              <Table.Td>{fmt.number(r.number)}</Table.Td>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {l(r.name)}
                </Text>
                <Group gap={4} mt={2}>
                  {r.kind === "gate" ? (
                    <Badge size="xs" variant="light" color="grape" tt="none">
                      {t("definitions.steps.gate")}
                    </Badge>
                  ) : null}
                  {r.producesDocument ? (
                    <Badge size="xs" variant="light" color="blue" tt="none" style={{ whiteSpace: "normal", height: "auto" }}>
                      {t("definitions.steps.document")}
                    </Badge>
                  ) : null}
                </Group>
              </Table.Td>
              <Table.Td>{l(r.description)}</Table.Td>
              <Table.Td>{l(r.responsibility)}</Table.Td>
              <Table.Td>{l(r.inputs)}</Table.Td>
              <Table.Td>{l(r.outputs)}</Table.Td>
              <Table.Td>{l(r.tools)}</Table.Td>
              <Table.Td>{r.estimatedMinutes !== undefined ? t("definitions.steps.minutes", { n: fmt.number(r.estimatedMinutes) }) : "—"}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th colSpan={4}>{t("definitions.steps.totalSteps", { n: fmt.number(table.rows.length) })}</Table.Th>
            <Table.Th colSpan={4}>
              {t("definitions.steps.totalTime", { minutes: fmt.number(table.totalMinutes) })}
              {table.unestimated ? (
                <Text size="xs" c="dimmed" fw={400}>
                  {t("definitions.steps.unestimated", { n: fmt.number(table.unestimated) })}
                </Text>
              ) : null}
            </Table.Th>
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </Table.ScrollContainer>
  );
}
