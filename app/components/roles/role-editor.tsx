import { Alert, Button, Group, List, NativeSelect, Paper, SimpleGrid, Stack, Table, Tabs, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Form, Link, useLocation, useNavigation } from "react-router";
import { CsrfInput } from "~/components/csrf-input";
import { useOrgFormat } from "~/components/org-format";
import { cellName, extraHints, MATRIX_ACTIONS, matrixToRules, rulesToMatrix, scopesFor, type CellHint, type Matrix, type MatrixAction, type MatrixSubject, type Rule, type Scope } from "~/utils/role-matrix";
import { actionLabel, ruleText, subjectLabel } from "./rule-text";
import { PART_SEPARATOR } from "~/utils/format";

export interface SaveResult {
  ok: boolean;
  saved?: number;
  fieldErrors: Record<string, string>;
  formError: string | null;
  issues: string[];
  conflict: { version: number; updated_at: string; name_ar: string; name_en: string; ruleCount: number } | null;
}

interface Props {
  role: { name_ar: string; name_en: string; version: number };
  rules: Rule[];
  matrix: Matrix;
  extras: Rule[];
  subjects: MatrixSubject[];
  /** Subject → plugin namespace holding its label. */
  namespaces: Record<string, string>;
  canUpdate: boolean;
  actionData: SaveResult | null;
}

type Mode = "matrix" | "json";
const pretty = (rules: Rule[]) => JSON.stringify(rules, null, 2);

/**
 * The matrix and the JSON view edit the same rules: switching tabs converts one into the
 * other (role-matrix.ts), and Save sends the visible one. The server validates either.
 */
export function RoleEditor({ role, rules, matrix: initialMatrix, extras: initialExtras, subjects, namespaces, canUpdate, actionData }: Props) {
  const { t } = useTranslation("roles");
  const fmt = useOrgFormat();
  const location = useLocation();
  const busy = useNavigation().state === "submitting";
  const [mode, setMode] = useState<Mode>("matrix");
  const [matrix, setMatrix] = useState(initialMatrix);
  const [extras, setExtras] = useState(initialExtras);
  const [json, setJson] = useState(() => pretty(rules));
  const [dirty, setDirty] = useState<Mode | null>(null);
  const [jsonError, setJsonError] = useState(false);
  const [baseVersion, setBaseVersion] = useState(role.version);
  const hints = useMemo(() => safeHints(extras, subjects), [extras, subjects]);
  const conflict = actionData?.conflict && baseVersion !== actionData.conflict.version ? actionData.conflict : null;
  const errors = actionData?.fieldErrors ?? {};

  function switchTo(next: Mode) {
    if (next === mode) return;
    if (next === "json" && dirty === "matrix") setJson(pretty([...matrixToRules(matrix, subjects), ...extras]));
    if (next === "matrix" && dirty === "json") {
      const parsed = readRules(json, subjects);
      if (!parsed) return setJsonError(true);
      setMatrix(parsed.matrix);
      setExtras(parsed.extras);
    }
    setJsonError(false);
    setDirty(null);
    setMode(next);
  }

  const setCell = (subject: string, action: MatrixAction, scope: Scope) => {
    setMatrix((m) => ({ ...m, [subject]: { ...m[subject]!, [action]: scope } }));
    setDirty("matrix");
  };

  return (
    <Form method="post" noValidate>
      <CsrfInput />
      <input type="hidden" name="version" value={baseVersion} />
      <input type="hidden" name="mode" value={mode} />
      <input type="hidden" name="extras" value={JSON.stringify(extras)} />
      <Stack>
        {actionData?.ok ? (
          <Alert color="teal" role="status">
            {t("saved", { version: fmt.number(actionData.saved ?? role.version) })}
          </Alert>
        ) : null}
        {conflict ? (
          <Alert color="orange" role="alert" title={t("conflict.title")}>
            <Stack gap="xs">
              <Text size="sm">{t("conflict.body", { version: fmt.number(conflict.version), date: fmt.dateTime(conflict.updated_at) })}</Text>
              <Text size="sm">{t("conflict.current", { ar: conflict.name_ar, en: conflict.name_en, n: fmt.number(conflict.ruleCount) })}</Text>
              <Group gap="xs">
                <Button component={Link} to={location.pathname} replace variant="default" size="xs">
                  {t("conflict.reload")}
                </Button>
                <Button variant="light" color="orange" size="xs" onClick={() => setBaseVersion(conflict.version)}>
                  {t("conflict.overwrite")}
                </Button>
              </Group>
            </Stack>
          </Alert>
        ) : actionData?.conflict ? (
          <Alert color="orange">{t("conflict.overwriteNext", { version: fmt.number(actionData.conflict.version) })}</Alert>
        ) : null}
        {actionData?.formError ? (
          <Alert color="red" role="alert" title={actionData.formError}>
            {actionData.issues.length ? (
              <List size="sm">
                {actionData.issues.map((issue) => (
                  <List.Item key={issue}>{issue}</List.Item>
                ))}
              </List>
            ) : null}
          </Alert>
        ) : null}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput name="name_ar" label={t("fields.name_ar")} required lang="ar" dir="rtl" defaultValue={role.name_ar} error={errors.name_ar} readOnly={!canUpdate} />
          <TextInput name="name_en" label={t("fields.name_en")} required lang="en" dir="ltr" defaultValue={role.name_en} error={errors.name_en} readOnly={!canUpdate} />
        </SimpleGrid>
        <Tabs value={mode} onChange={(v) => switchTo(v === "json" ? "json" : "matrix")} keepMounted>
          <Tabs.List>
            <Tabs.Tab value="matrix">{t("tabs.matrix")}</Tabs.Tab>
            <Tabs.Tab value="json">{t("tabs.json")}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="matrix" pt="md">
            <Stack>
              <Text size="sm" c="dimmed">
                {t("matrix.help")}
              </Text>
              <PermissionMatrix matrix={matrix} subjects={subjects} namespaces={namespaces} hints={hints} disabled={!canUpdate} onChange={setCell} />
              <ExtraRules extras={extras} namespaces={namespaces} />
            </Stack>
          </Tabs.Panel>
          <Tabs.Panel value="json" pt="md">
            <Stack>
              <Text size="sm" c="dimmed">
                {t("json.help")}
              </Text>
              {jsonError ? (
                <Alert color="red" role="alert">
                  {t("json.cannotSwitch")}
                </Alert>
              ) : null}
              <Textarea
                name="rules"
                label={t("json.label")}
                value={json}
                onChange={(e) => {
                  setJson(e.currentTarget.value);
                  setDirty("json");
                }}
                autosize
                minRows={12}
                maxRows={40}
                dir="ltr"
                spellCheck={false}
                styles={{ input: { fontFamily: "monospace", fontSize: 13 } }}
                readOnly={!canUpdate}
              />
            </Stack>
          </Tabs.Panel>
        </Tabs>
        {canUpdate ? (
          <Group>
            <Button type="submit" loading={busy}>
              {t("save")}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Form>
  );
}

function readRules(text: string, subjects: MatrixSubject[]) {
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value) || !value.every((r) => r && typeof r === "object" && !Array.isArray(r))) return null;
    return rulesToMatrix(value as Rule[], subjects);
  } catch {
    return null;
  }
}

/** Hints are cosmetic: a malformed extra (the server will refuse it) just shows none. */
function safeHints(extras: Rule[], subjects: MatrixSubject[]) {
  try {
    return extraHints(extras, subjects);
  } catch {
    return {};
  }
}

interface MatrixProps {
  matrix: Matrix;
  subjects: MatrixSubject[];
  namespaces: Record<string, string>;
  hints: Record<string, Partial<Record<MatrixAction, CellHint>>>;
  disabled: boolean;
  onChange: (subject: string, action: MatrixAction, scope: Scope) => void;
}

function PermissionMatrix({ matrix, subjects, namespaces, hints, disabled, onChange }: MatrixProps) {
  const { t } = useTranslation("roles");
  const label = (name: string) => subjectLabel(t, name, namespaces);
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table withTableBorder verticalSpacing="xs" data-testid="permission-matrix">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("matrix.subject")}</Table.Th>
            {MATRIX_ACTIONS.map((a) => (
              <Table.Th key={a} scope="col">
                {actionLabel(t, a)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {subjects.map((s) => (
            <Table.Tr key={s.name}>
              <Table.Th scope="row" fw={600}>
                {label(s.name)}
              </Table.Th>
              {MATRIX_ACTIONS.map((a) => {
                const hint = hints[s.name]?.[a];
                return (
                  <Table.Td key={a}>
                    <NativeSelect
                      name={cellName(s.name, a)}
                      aria-label={t("matrix.cellLabel", { subject: label(s.name), action: actionLabel(t, a) })}
                      value={matrix[s.name]?.[a] ?? "none"}
                      onChange={(e) => onChange(s.name, a, e.currentTarget.value as Scope)}
                      data={scopesFor(s).map((scope) => ({ value: scope, label: t(`scopes.${scope}`) }))}
                      disabled={disabled}
                      size="xs"
                    />
                    {hint ? (
                      <Text size="xs" c={hint.grant === "all" ? "teal.8" : "dimmed"} fw={hint.grant === "all" ? 600 : undefined} mt={2}>
                        {[hint.grant ? t(`matrix.hint.${hint.grant}`) : null, hint.limited ? t("matrix.hint.limited") : null].filter(Boolean).join(PART_SEPARATOR)}
                      </Text>
                    ) : null}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function ExtraRules({ extras, namespaces }: { extras: Rule[]; namespaces: Record<string, string> }) {
  const { t } = useTranslation("roles");
  if (!extras.length) return null;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="extra-rules-title">
      <Stack gap="xs">
        <Title order={2} size="h5" id="extra-rules-title">
          {t("extras.title")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("extras.help")}
        </Text>
        <List size="sm" data-testid="extra-rules">
          {extras.map((rule, i) => (
            <List.Item key={i}>{safeRuleText(t, rule, namespaces)}</List.Item>
          ))}
        </List>
      </Stack>
    </Paper>
  );
}

function safeRuleText(t: Parameters<typeof ruleText>[0], rule: Rule, namespaces: Record<string, string>): string {
  try {
    return ruleText(t, rule, namespaces);
  } catch {
    return JSON.stringify(rule);
  }
}
