import { Badge, Box, Code, Group, Stack, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useOrgFormat } from "./org-format";
import { diffAudit, type DiffKind } from "~/utils/audit-diff";

export interface AuditDetailsEntry {
  id: string;
  seq: string;
  before: unknown;
  after: unknown;
  request_id: string | null;
  ip: string | null;
}

const KIND_COLOR: Record<DiffKind, string> = { added: "teal", removed: "red", changed: "orange", same: "gray" };

/** JSON is code: always left-to-right, even inside the Arabic page. */
function JsonBlock({ value }: { value: string | undefined }) {
  if (value === undefined) return <Text c="dimmed">—</Text>;
  return (
    <Code block dir="ltr" style={{ textAlign: "left", whiteSpace: "pre-wrap", wordBreak: "break-word", maxHeight: 240, overflow: "auto" }}>
      {value}
    </Code>
  );
}

/** The before/after of one audit entry, field by field, with its technical references. */
export function AuditDetails({ entry }: { entry: AuditDetailsEntry }) {
  const { t } = useTranslation("audit");
  const fmt = useOrgFormat();
  const rows = entry.before == null && entry.after == null ? [] : diffAudit(entry.before, entry.after);
  return (
    <Stack gap="sm" py="xs">
      <Group gap="lg" wrap="wrap">
        <Text size="xs" c="dimmed">
          {t("details.seq")}: <bdi>{fmt.number(Number(entry.seq))}</bdi>
        </Text>
        <Text size="xs" c="dimmed">
          {t("details.entryId")}: <bdi dir="ltr">{entry.id}</bdi>
        </Text>
        {entry.request_id ? (
          <Text size="xs" c="dimmed">
            {t("details.requestId")}: <bdi dir="ltr">{entry.request_id}</bdi>
          </Text>
        ) : null}
        {entry.ip ? (
          <Text size="xs" c="dimmed">
            {t("details.ip")}: <bdi dir="ltr">{entry.ip}</bdi>
          </Text>
        ) : null}
      </Group>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("details.noData")}
        </Text>
      ) : (
        <Box style={{ overflowX: "auto" }}>
          <Table withTableBorder withColumnBorders verticalSpacing={4} layout="fixed" miw={560}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={180}>{t("details.field")}</Table.Th>
                <Table.Th>{t("details.before")}</Table.Th>
                <Table.Th>{t("details.after")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={row.key || "(value)"}>
                  <Table.Td>
                    <Stack gap={2} align="flex-start">
                      <Text size="sm" ff="monospace" dir="ltr">
                        {row.key || t("details.wholeValue")}
                      </Text>
                      <Badge size="xs" variant="light" color={KIND_COLOR[row.kind]} tt="none">
                        {t(`details.kind.${row.kind}`)}
                      </Badge>
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <JsonBlock value={row.before} />
                  </Table.Td>
                  <Table.Td>
                    <JsonBlock value={row.after} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Box>
      )}
    </Stack>
  );
}
