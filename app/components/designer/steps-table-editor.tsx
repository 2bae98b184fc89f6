import { Badge, Button, Checkbox, Group, Modal, NativeSelect, SegmentedControl, Stack, Table, Text, TextInput, VisuallyHidden } from "@mantine/core";
import { useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { useOrgFormat } from "~/components/org-format";
import { addStep, deleteStep, updateStep, type StepPatch } from "~/designer/steps-table-edit";
import type { DefinitionGraph, Localised } from "~/engine/definition";
import { stepsTable, type StepRow } from "~/engine/steps-table";

// The service documentation card's steps table, editable: each edit is a graph change handed
// to the designer's store (onChange, with a label for undo), so the table and the flowchart
// stay one definition. Texts are edited in one language at a time (Arabic first); a cell
// commits when it loses focus or on Enter, so one edit is one undo step.

type Lang = "ar" | "en";
type OnChange = (graph: DefinitionGraph, label: string) => void;

function CellInput({ value, label, onCommit, type = "text", dir }: { value: string; label: string; onCommit: (v: string) => void; type?: "text" | "number"; dir?: "rtl" | "ltr" }) {
  const [draft, setDraft] = useState(value);
  const [seen, setSeen] = useState(value);
  // A change from outside (undo, the canvas) replaces what is shown.
  if (seen !== value) {
    setSeen(value);
    setDraft(value);
  }
  const commit = () => {
    if (draft !== value) onCommit(draft);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter") commit();
    if (e.key === "Escape") setDraft(value);
  };
  return (
    <TextInput
      size="xs"
      type={type}
      min={type === "number" ? 0 : undefined}
      aria-label={label}
      value={draft}
      dir={dir}
      onChange={(e) => setDraft(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={onKey}
      styles={{ input: { minWidth: type === "number" ? 64 : 110 } }}
    />
  );
}

export function StepsTableEditor({ graph, onChange }: { graph: DefinitionGraph; onChange: OnChange }) {
  const { t, i18n } = useTranslation("diagram");
  const fmt = useOrgFormat();
  const [lang, setLang] = useState<Lang>(i18n.language === "en" ? "en" : "ar");
  const [confirm, setConfirm] = useState<StepRow | null>(null);
  const table = stepsTable(graph);
  const ui = i18n.language === "en" ? "en" : "ar";
  const show = (l: Localised | undefined) => (l ? l[lang] : "");
  const laneName = (id: string) => {
    const lane = graph.lanes.find((l) => l.id === id);
    return lane ? lane.name[ui] || lane.name.ar || lane.id : id;
  };
  const stepName = (r: StepRow) => r.name[ui] || r.name.ar || r.nodeId;
  const edit = (r: StepRow, patch: StepPatch, what: string) => onChange(updateStep(graph, r.nodeId, patch), t("steps.undo.edit", { step: stepName(r), what }));
  const text = (r: StepRow, key: "name" | "description" | "inputs" | "outputs" | "tools", header: string) => {
    const current = key === "name" ? r.name : r[key];
    return (
      <CellInput
        value={show(current)}
        dir={lang === "ar" ? "rtl" : "ltr"}
        label={t("steps.cellLabel", { n: fmt.number(r.number), column: header })}
        onCommit={(v) => edit(r, { [key]: { ...(current ?? { ar: "", en: "" }), [lang]: v } }, header)}
      />
    );
  };
  const h = (key: string) => t(`engine:definitions.steps.${key}`);
  const laneOptions = [{ value: "", label: t("steps.noLane") }, ...graph.lanes.map((l) => ({ value: l.id, label: laneName(l.id) }))];

  return (
    <Stack gap="sm" data-testid="steps-table-editor">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t("steps.intro")}
        </Text>
        <SegmentedControl
          size="xs"
          value={lang}
          onChange={(v) => setLang(v as Lang)}
          aria-label={t("steps.language")}
          data={[
            { value: "ar", label: t("steps.arabic") },
            { value: "en", label: t("steps.english") },
          ]}
        />
      </Group>
      <Table.ScrollContainer minWidth={1100}>
        <Table withTableBorder withColumnBorders verticalSpacing={4}>
          <Table.Caption>{h("caption")}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              {["number", "step", "description", "responsibility", "inputs", "outputs", "tools", "time"].map((k) => (
                <Table.Th key={k}>{h(k)}</Table.Th>
              ))}
              <Table.Th>{t("steps.document")}</Table.Th>
              <Table.Th>
                <VisuallyHidden>{t("steps.actions")}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {table.rows.map((r) => (
              <Table.Tr key={r.nodeId} data-node-id={r.nodeId}>
                <Table.Td>
                  {fmt.number(r.number)}
                  {r.kind === "gate" ? (
                    <Badge size="xs" variant="light" color="grape" tt="none" ms={4}>
                      {h("gate")}
                    </Badge>
                  ) : null}
                </Table.Td>
                <Table.Td>{text(r, "name", h("step"))}</Table.Td>
                <Table.Td>{text(r, "description", h("description"))}</Table.Td>
                <Table.Td>
                  <NativeSelect
                    size="xs"
                    aria-label={t("steps.cellLabel", { n: fmt.number(r.number), column: h("responsibility") })}
                    data={laneOptions}
                    value={graph.nodes.find((n) => n.id === r.nodeId)?.lane ?? ""}
                    onChange={(e) => edit(r, { lane: e.currentTarget.value || null }, h("responsibility"))}
                  />
                </Table.Td>
                {r.kind === "task" ? (
                  <>
                    <Table.Td>{text(r, "inputs", h("inputs"))}</Table.Td>
                    <Table.Td>{text(r, "outputs", h("outputs"))}</Table.Td>
                    <Table.Td>{text(r, "tools", h("tools"))}</Table.Td>
                    <Table.Td>
                      <CellInput
                        type="number"
                        dir="ltr"
                        value={r.estimatedMinutes === undefined ? "" : String(r.estimatedMinutes)}
                        label={t("steps.minutesLabel", { n: fmt.number(r.number) })}
                        onCommit={(v) => {
                          const n = Number(v);
                          if (v.trim() === "") edit(r, { estimatedMinutes: null }, h("time"));
                          else if (Number.isFinite(n) && n >= 0) edit(r, { estimatedMinutes: n }, h("time"));
                        }}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Checkbox
                        aria-label={t("steps.documentLabel", { n: fmt.number(r.number) })}
                        checked={r.producesDocument}
                        onChange={(e) => edit(r, { producesDocument: e.currentTarget.checked }, t("steps.document"))}
                      />
                    </Table.Td>
                  </>
                ) : (
                  <Table.Td colSpan={5}>
                    <Text size="xs" c="dimmed">
                      {t("steps.gateColumns")}
                    </Text>
                  </Table.Td>
                )}
                <Table.Td>
                  <Button size="compact-xs" variant="subtle" color="red" onClick={() => setConfirm(r)} aria-label={t("steps.deleteLabel", { step: stepName(r) })}>
                    {t("steps.delete")}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
          <Table.Tfoot>
            <Table.Tr>
              <Table.Th colSpan={4} data-testid="steps-total-count">
                {t("engine:definitions.steps.totalSteps", { n: fmt.number(table.rows.length) })}
              </Table.Th>
              <Table.Th colSpan={6} data-testid="steps-total-time">
                {t("engine:definitions.steps.totalTime", { minutes: fmt.number(table.totalMinutes) })}
                {table.unestimated ? (
                  <Text size="xs" c="dimmed" fw={400}>
                    {t("engine:definitions.steps.unestimated", { n: fmt.number(table.unestimated) })}
                  </Text>
                ) : null}
              </Table.Th>
            </Table.Tr>
          </Table.Tfoot>
        </Table>
      </Table.ScrollContainer>
      <AddStepForm lanes={laneOptions.slice(1)} onAdd={(input) => onChange(addStep(graph, input).graph, t("steps.undo.add", { step: input.name[ui] || input.name.ar }))} />
      <Modal opened={confirm !== null} onClose={() => setConfirm(null)} title={t("steps.confirmTitle")} centered>
        {confirm ? (
          <Stack>
            <Text>{t("steps.confirmText", { step: stepName(confirm) })}</Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirm(null)}>
                {t("steps.cancel")}
              </Button>
              <Button
                color="red"
                onClick={() => {
                  onChange(deleteStep(graph, confirm.nodeId), t("steps.undo.delete", { step: stepName(confirm) }));
                  setConfirm(null);
                }}
              >
                {t("steps.delete")}
              </Button>
            </Group>
          </Stack>
        ) : null}
      </Modal>
    </Stack>
  );
}

function AddStepForm({ lanes, onAdd }: { lanes: { value: string; label: string }[]; onAdd: (input: StepPatch & { name: Localised }) => void }) {
  const { t } = useTranslation("diagram");
  const [ar, setAr] = useState("");
  const [en, setEn] = useState("");
  const [lane, setLane] = useState(lanes[0]?.value ?? "");
  const [minutes, setMinutes] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = () => {
    if (ar.trim() === "") return setError(t("steps.add.nameRequired"));
    const n = Number(minutes);
    onAdd({ name: { ar: ar.trim(), en: en.trim() }, lane: lane || null, ...(minutes.trim() !== "" && Number.isFinite(n) && n >= 0 ? { estimatedMinutes: n } : {}) });
    setAr("");
    setEn("");
    setMinutes("");
    setError(null);
  };
  return (
    <Group align="flex-end" gap="xs" wrap="wrap" data-testid="steps-add">
      <TextInput size="xs" label={t("steps.add.nameAr")} value={ar} onChange={(e) => setAr(e.currentTarget.value)} error={error} dir="rtl" required />
      <TextInput size="xs" label={t("steps.add.nameEn")} value={en} onChange={(e) => setEn(e.currentTarget.value)} dir="ltr" />
      <NativeSelect size="xs" label={t("steps.add.lane")} data={[{ value: "", label: t("steps.noLane") }, ...lanes]} value={lane} onChange={(e) => setLane(e.currentTarget.value)} />
      <TextInput size="xs" type="number" min={0} label={t("steps.add.minutes")} value={minutes} onChange={(e) => setMinutes(e.currentTarget.value)} dir="ltr" w={110} />
      <Button size="xs" onClick={submit}>
        {t("steps.add.submit")}
      </Button>
    </Group>
  );
}
