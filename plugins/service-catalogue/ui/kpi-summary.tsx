import { Alert, Badge, Button, Group, Stack, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useOrgFormat } from "~/components/org-format";
import { meetsTarget, type KpiFrequency, type KpiUnit } from "../kpi";

export interface KpiSummaryRow {
  id: string;
  name: { ar: string; en: string };
  formula: { ar: string; en: string };
  expression: string | null;
  frequency: KpiFrequency;
  target: number;
  unit: KpiUnit;
  direction: "atLeast" | "atMost";
  last: {
    value: number | null;
    periodStart: string;
    periodEnd: string;
    method: "computed" | "manual";
  } | null;
}

/** A value with its unit in the organisation's digits ("٩٥٪", "١٠ دقائق"). */
export function useKpiValue() {
  const { t, i18n } = useTranslation("service-catalogue");
  const fmt = useOrgFormat();
  return (value: number, unit: KpiUnit) => (unit === "percent" ? `${fmt.number(value)}${i18n.language === "en" ? "%" : "٪"}` : `${fmt.number(value)} ${t(`unit.${unit}`)}`);
}

/** The service's KPIs with their last measurement against the target. */
export function KpiSummary({ kpis, manageTo, canManage }: { kpis: KpiSummaryRow[]; manageTo: string; canManage: boolean }) {
  const { t, i18n } = useTranslation("service-catalogue");
  const value = useKpiValue();
  const pick = (l: { ar: string; en: string }) => (i18n.language === "en" ? l.en || l.ar : l.ar);
  return (
    <Stack>
      <Group justify="flex-end">
        <Button component={Link} to={manageTo} variant="light" size="xs">
          {canManage ? t("detail.kpisManage") : t("kpis.history")}
        </Button>
      </Group>
      {kpis.length === 0 ? (
        <Alert color="gray">{t("kpis.empty")}</Alert>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped verticalSpacing="sm" data-testid="kpi-summary">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("doc.kpiName")}</Table.Th>
                <Table.Th>{t("doc.frequency")}</Table.Th>
                <Table.Th>{t("doc.target")}</Table.Th>
                <Table.Th>{t("kpis.method")}</Table.Th>
                <Table.Th>{t("kpis.last")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {kpis.map((k) => (
                <Table.Tr key={k.id}>
                  <Table.Td>
                    <Text fw={600} size="sm">
                      {pick(k.name)}
                    </Text>
                    {pick(k.formula) ? (
                      <Text size="xs" c="dimmed">
                        {pick(k.formula)}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{t(`frequency.${k.frequency}`)}</Table.Td>
                  <Table.Td>
                    {value(k.target, k.unit)}
                    <Text size="xs" c="dimmed">
                      {t(`direction.${k.direction}`)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{k.expression ? t("kpis.computed") : t("kpis.manual")}</Table.Td>
                  <Table.Td data-testid="kpi-last">
                    {!k.last ? (
                      <Text size="sm" c="dimmed">
                        {t("kpis.noMeasurement")}
                      </Text>
                    ) : k.last.value === null ? (
                      <Text size="sm" c="dimmed">
                        {t("kpis.noData")}
                      </Text>
                    ) : (
                      <Group gap={6}>
                        <span>{value(k.last.value, k.unit)}</span>
                        <Badge size="sm" variant="light" color={meetsTarget(k.last.value, k.target, k.direction) ? "teal" : "red"}>
                          {meetsTarget(k.last.value, k.target, k.direction) ? t("kpis.met") : t("kpis.notMet")}
                        </Badge>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
