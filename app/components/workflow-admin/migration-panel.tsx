import { Alert, Badge, Button, Group, List, NativeSelect, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Form, useNavigation } from "react-router";
import { CsrfInput } from "~/components/csrf-input";
import { useOrgFormat } from "~/components/org-format";
import type { DefinitionGraph, Localised } from "~/engine/definition";
import type { AnyProblem } from "./problem-list";
import { useProblemText } from "./problem-list";
import type { VersionRow } from "./versions-table";

interface Move {
  tokenId: string;
  from: string;
  to: string;
}
interface CasePreview {
  caseId: string;
  reference: string;
  problems: AnyProblem[];
  moves: Move[];
}
export type MigrationState =
  | { intent: "preview"; ok: boolean; message: string; total: number; cases: CasePreview[]; mapping: Record<string, string> }
  | { intent: "migrate"; ok: boolean; message: string; result: { migrated: { reference: string }[]; skipped: { reference: string; problems: AnyProblem[] }[] } | null; mapping: Record<string, string> };

interface Props {
  versions: VersionRow[];
  selection: { from: string; to: string; data: { fromGraph: DefinitionGraph; toGraph: DefinitionGraph; sources: { nodeId: string; tokens: number }[]; targets: string[] } | null };
  state?: MigrationState;
}

/** Old nodes first, then the new version's: problems name nodes of either version. */
function namingGraph(a: DefinitionGraph, b: DefinitionGraph) {
  const ids = new Set(a.nodes.map((n) => n.id));
  return { nodes: [...a.nodes, ...b.nodes.filter((n) => !ids.has(n.id))], edges: [...a.edges, ...b.edges], lanes: [...a.lanes, ...b.lanes] };
}

export function MigrationPanel({ versions, selection, state }: Props) {
  const { t, i18n } = useTranslation("engine");
  const fmt = useOrgFormat();
  const nav = useNavigation();
  const busy = (intent: string) => nav.state === "submitting" && nav.formData?.get("intent") === intent;
  const en = i18n.language === "en";
  const l = (v: Localised | undefined, id: string) => (v ? (en ? v.en || v.ar : v.ar || v.en) : "") || id;
  const versionLabel = (id: string) => {
    const v = versions.find((x) => x.id === id);
    return v?.version ? fmt.number(v.version) : "";
  };
  const sources = versions.filter((v) => v.status !== "draft" && v.activeCases > 0);
  const targets = versions.filter((v) => v.status === "published");
  const data = selection.data;
  const naming = data ? namingGraph(data.fromGraph, data.toGraph) : null;
  const problemText = useProblemText(naming);
  const nodeName = (id: string) => l(naming?.nodes.find((n) => n.id === id)?.name, id);
  const mapping = state?.mapping;

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="migrate-title">
      <Stack>
        <Title order={2} size="h4" id="migrate-title">
          {t("definitions.migrate.title")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("definitions.migrate.intro")}
        </Text>
        <Form method="get" preventScrollReset>
          <Group align="flex-end">
            <NativeSelect
              name="from"
              label={t("definitions.migrate.from")}
              defaultValue={selection.from}
              data={sources.map((v) => ({ value: v.id, label: `${t("definitions.versionN", { version: fmt.number(v.version ?? 0) })} (${fmt.number(v.activeCases)})` }))}
            />
            <NativeSelect
              name="to"
              label={t("definitions.migrate.to")}
              defaultValue={selection.to}
              data={targets.map((v) => ({ value: v.id, label: t("definitions.versionN", { version: fmt.number(v.version ?? 0) }) }))}
            />
            <Button type="submit" variant="default">
              {t("definitions.migrate.choose")}
            </Button>
          </Group>
        </Form>

        {data ? (
          data.sources.length === 0 ? (
            <Alert color="gray">{t("definitions.migrate.noCases")}</Alert>
          ) : (
            <Form method="post" preventScrollReset>
              <CsrfInput />
              <input type="hidden" name="from" value={selection.from} />
              <input type="hidden" name="to" value={selection.to} />
              <Stack>
                <Title order={3} size="h5">
                  {t("definitions.migrate.mappingTitle")}
                </Title>
                <Table withTableBorder verticalSpacing="xs" data-testid="migration-mapping">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t("definitions.migrate.oldNode", { version: versionLabel(selection.from) })}</Table.Th>
                      <Table.Th>{t("definitions.migrate.tokens")}</Table.Th>
                      <Table.Th>{t("definitions.migrate.newNode", { version: versionLabel(selection.to) })}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.sources.map((s) => (
                      <Table.Tr key={s.nodeId}>
                        <Table.Td>{l(data.fromGraph.nodes.find((n) => n.id === s.nodeId)?.name, s.nodeId)}</Table.Td>
                        <Table.Td>{fmt.number(s.tokens)}</Table.Td>
                        <Table.Td>
                          <NativeSelect
                            name={`map:${s.nodeId}`}
                            aria-label={t("definitions.migrate.newNode", { version: versionLabel(selection.to) })}
                            defaultValue={mapping?.[s.nodeId] ?? (data.targets.includes(s.nodeId) ? s.nodeId : "")}
                            data={[
                              { value: "", label: t("definitions.migrate.missing") },
                              ...data.targets.map((id) => ({ value: id, label: l(data.toGraph.nodes.find((n) => n.id === id)?.name, id) })),
                            ]}
                          />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
                <Group>
                  <Button type="submit" name="intent" value="preview" variant="default" loading={busy("preview")}>
                    {t("definitions.migrate.preview")}
                  </Button>
                  <Button
                    type="submit"
                    name="intent"
                    value="migrate"
                    color="orange"
                    loading={busy("migrate")}
                    onClick={(e) => {
                      if (!window.confirm(t("definitions.migrate.runConfirm"))) e.preventDefault();
                    }}
                  >
                    {t("definitions.migrate.run")}
                  </Button>
                </Group>
              </Stack>
            </Form>
          )
        ) : null}

        {state && !state.ok ? (
          <Alert color="red" role="alert">
            {state.message}
          </Alert>
        ) : null}

        {state?.intent === "preview" && state.ok ? (
          <Stack gap="xs" data-testid="migration-preview">
            <Title order={3} size="h5">
              {t("definitions.migrate.previewTitle", { total: fmt.number(state.total) })}
            </Title>
            {state.cases.length < state.total ? (
              <Text size="sm" c="dimmed">
                {t("definitions.migrate.previewLimited", { shown: fmt.number(state.cases.length), total: fmt.number(state.total) })}
              </Text>
            ) : null}
            <Table verticalSpacing="xs" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("definitions.migrate.case")}</Table.Th>
                  <Table.Th>{t("definitions.versions.status")}</Table.Th>
                  <Table.Th>{t("definitions.migrate.changes")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {state.cases.map((c) => (
                  <Table.Tr key={c.caseId}>
                    <Table.Td dir="ltr">{c.reference}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={c.problems.length ? "red" : "teal"} tt="none">
                        {c.problems.length ? t("definitions.migrate.willSkip") : t("definitions.migrate.willMove")}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <List size="sm" spacing={2}>
                        {c.problems.length
                          ? c.problems.map((p, i) => <List.Item key={i}>{problemText(p)}</List.Item>)
                          : c.moves.map((m) => (
                              <List.Item key={m.tokenId}>
                                {m.from === m.to ? t("definitions.migrate.stays", { node: nodeName(m.from) }) : t("definitions.migrate.moves", { from: nodeName(m.from), to: nodeName(m.to) })}
                              </List.Item>
                            ))}
                      </List>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        ) : null}

        {state?.intent === "migrate" && state.ok && state.result ? (
          <Alert color={state.result.skipped.length ? "yellow" : "teal"} role="status" title={t("definitions.migrate.resultTitle")} data-testid="migration-result">
            <Text size="sm">{t("definitions.migrate.migrated", { n: fmt.number(state.result.migrated.length), version: versionLabel(selection.to) })}</Text>
            {state.result.skipped.length ? (
              <>
                <Text size="sm" mt="xs">
                  {t("definitions.migrate.skipped", { n: fmt.number(state.result.skipped.length) })}
                </Text>
                <List size="sm">
                  {state.result.skipped.map((s) => (
                    <List.Item key={s.reference}>
                      <span dir="ltr">{s.reference}</span>: {s.problems.map(problemText).join(" ")}
                    </List.Item>
                  ))}
                </List>
              </>
            ) : null}
          </Alert>
        ) : null}
      </Stack>
    </Paper>
  );
}
