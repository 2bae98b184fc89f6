import { Badge, Button, Group, Modal, Paper, Stack, Table, Text, Title, VisuallyHidden } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Form } from "react-router";
import { CsrfInput } from "~/components/csrf-input";
import { useOrgFormat } from "~/components/org-format";
import { clearBackup } from "./use-autosave";

export interface VersionRow {
  id: string;
  version: number | null;
  status: "draft" | "published" | "archived";
  change_note: string | null;
  published_at: string | null;
  updated_at: string;
}

/** The form's versions, newest first; any version can become the starting point of a new draft. */
export function Versions({ formId, versions, canUpdate, hasDraft }: { formId: string; versions: VersionRow[]; canUpdate: boolean; hasDraft: boolean }) {
  const { t } = useTranslation("forms");
  const fmt = useOrgFormat();
  const [from, setFrom] = useState<VersionRow | null>(null);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="versions-title">
      <Stack gap="xs">
        <Title order={2} size="h5" id="versions-title">
          {t("builder.versions.title")}
        </Title>
        {versions.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("builder.versions.none")}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={520}>
            <Table verticalSpacing="xs" data-testid="versions-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("builder.versions.version")}</Table.Th>
                  <Table.Th>{t("builder.versions.date")}</Table.Th>
                  <Table.Th>{t("builder.versions.note")}</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>{t("builder.versions.actions")}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {versions.map((v) => (
                  <Table.Tr key={v.id}>
                    <Table.Td>
                      {v.version === null ? (
                        <Badge variant="light" color="yellow" tt="none">
                          {t("builder.versions.draft")}
                        </Badge>
                      ) : (
                        <Group gap={6}>
                          <Text size="sm">{t("builder.versions.number", { n: fmt.number(v.version) })}</Text>
                          {v.status === "archived" ? (
                            <Badge variant="light" color="gray" tt="none">
                              {t("builder.versions.archived")}
                            </Badge>
                          ) : null}
                        </Group>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{fmt.dateTime(v.published_at ?? v.updated_at)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{v.change_note ?? "—"}</Text>
                    </Table.Td>
                    <Table.Td>
                      {canUpdate && v.version !== null ? (
                        <Button size="compact-xs" variant="subtle" onClick={() => setFrom(v)} data-testid="draft-from">
                          {t("builder.versions.draftFrom")}
                        </Button>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      <Modal opened={!!from} onClose={() => setFrom(null)} title={t("builder.versions.draftFromTitle", { n: fmt.number(from?.version ?? 0) })} centered>
        {/* The local copy of unsaved work belongs to the draft being replaced. */}
        <Form
          method="post"
          onSubmit={() => {
            clearBackup(formId);
            setFrom(null);
          }}
        >
          <CsrfInput />
          <input type="hidden" name="intent" value="draftFrom" />
          <input type="hidden" name="versionId" value={from?.id ?? ""} />
          <Stack>
            <Text size="sm">{hasDraft ? t("builder.versions.draftFromReplaces") : t("builder.versions.draftFromNew")}</Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setFrom(null)}>
                {t("common:actions.cancel")}
              </Button>
              <Button type="submit" color={hasDraft ? "orange" : undefined}>
                {t("builder.versions.draftFromConfirm")}
              </Button>
            </Group>
          </Stack>
        </Form>
      </Modal>
    </Paper>
  );
}
