import { Anchor, Badge, Button, Group, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Form, Link } from "react-router";
import { CsrfInput } from "~/components/csrf-input";
import { useOrgFormat } from "~/components/org-format";

export interface VersionRow {
  id: string;
  version: number | null;
  status: "draft" | "published" | "archived";
  changeNote: string | null;
  updatedAt: string;
  publishedAt: string | null;
  publishedByName: string | null;
  createdByName: string | null;
  activeCases: number;
}

const STATUS_COLOR = { draft: "yellow", published: "teal", archived: "gray" } as const;

/** Version history with per-version actions: download, start a draft from it, archive or restore. */
export function VersionsTable({ versions, hasDraft, canUpdate, exportHref }: { versions: VersionRow[]; hasDraft: boolean; canUpdate: boolean; exportHref: (versionId: string, format: "json" | "bpmn") => string }) {
  const { t } = useTranslation("engine");
  const fmt = useOrgFormat();
  const label = (v: VersionRow) => (v.version ? t("definitions.versionN", { version: fmt.number(v.version) }) : t("definitions.versions.draftLabel"));
  const action = (v: VersionRow, intent: string, text: string, variant: "default" | "subtle" = "subtle") => (
    <Form method="post">
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="versionId" value={v.id} />
      <input type="hidden" name="version" value={v.version ?? ""} />
      <Button type="submit" size="compact-sm" variant={variant}>
        {text}
      </Button>
    </Form>
  );
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table striped verticalSpacing="sm" data-testid="versions-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("definitions.versions.version")}</Table.Th>
            <Table.Th>{t("definitions.versions.status")}</Table.Th>
            <Table.Th>{t("definitions.versions.published")}</Table.Th>
            <Table.Th>{t("definitions.versions.by")}</Table.Th>
            <Table.Th>{t("definitions.versions.changeNote")}</Table.Th>
            <Table.Th>{t("definitions.versions.cases")}</Table.Th>
            <Table.Th>{t("definitions.versions.actions")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {versions.map((v) => (
            <Table.Tr key={v.id}>
              <Table.Td fw={600}>{label(v)}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={STATUS_COLOR[v.status]} tt="none">
                  {t(`definitions.status.${v.status}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                {v.publishedAt ? (
                  fmt.dateTime(v.publishedAt)
                ) : (
                  <Text size="sm" c="dimmed">
                    {t("definitions.versions.savedAt", { at: fmt.dateTime(v.updatedAt) })}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{v.publishedByName ?? v.createdByName ?? "—"}</Table.Td>
              <Table.Td>
                <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
                  {v.changeNote ?? "—"}
                </Text>
              </Table.Td>
              <Table.Td>{v.status === "draft" ? "—" : fmt.number(v.activeCases)}</Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="wrap">
                  {(["json", "bpmn"] as const).map((format) => (
                    <Anchor
                      key={format}
                      component={Link}
                      to={exportHref(v.id, format)}
                      reloadDocument
                      size="sm"
                      aria-label={v.version ? t("definitions.versions.exportLabel", { version: fmt.number(v.version), format: format.toUpperCase() }) : t("definitions.versions.exportDraftLabel", { format: format.toUpperCase() })}
                    >
                      {t(format === "json" ? "definitions.versions.exportJson" : "definitions.versions.exportBpmn")}
                    </Anchor>
                  ))}
                  {versions.indexOf(v) < versions.length - 1 ? (
                    // The visual diff against the version before (app.$org.admin.workflows.$definitionId_.diff).
                    <Anchor component={Link} to={`diff?to=${v.id}`} size="sm" data-testid="version-compare">
                      {t("diagram:diff.compareAction")}
                    </Anchor>
                  ) : null}
                  {canUpdate && v.status !== "draft" && !hasDraft ? action(v, "newDraft", t("definitions.versions.newDraft")) : null}
                  {canUpdate && v.status === "published" ? action(v, "archiveVersion", t("definitions.versions.archive")) : null}
                  {canUpdate && v.status === "archived" ? action(v, "unarchiveVersion", t("definitions.versions.unarchive")) : null}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
