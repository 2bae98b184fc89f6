import { ActionIcon, Button, Group, Paper, SegmentedControl, Select, Stack, Text, Title } from "@mantine/core";
import type { Dispatch } from "react";
import { useTranslation } from "react-i18next";
import type { DefinitionGraph, Lane, LaneAssignee } from "~/engine/definition";
import type { EditorAction } from "~/designer/store";
import { LocalisedInput } from "./field-editors";
import type { Named } from "./schema-fields";

// With nothing selected the panel shows the workflow itself: its names, the reading direction
// of the diagram, and the lanes (add, rename in both languages, who works in it, reorder,
// delete). Deleting a lane with steps in it asks first; the steps stay, without a lane.

interface Props {
  graph: DefinitionGraph;
  dispatch: Dispatch<EditorAction>;
  readOnly: boolean;
  roles: readonly Named[];
  units: readonly Named[];
  lang: "ar" | "en";
  /** A lane named by a problem the person clicked. */
  focusLane?: string;
}

const named = (n: Named, lang: "ar" | "en") => (lang === "en" ? n.name_en || n.name_ar : n.name_ar || n.name_en) || n.key;

export function DefinitionFields({ graph, dispatch, readOnly, roles, units, lang, focusLane }: Props) {
  const { t, i18n } = useTranslation("designer");
  const addLane = () => {
    const role = roles.find((r) => r.key === "staff") ?? roles[0];
    const assignee: LaneAssignee = role ? { type: "role", roleKey: role.key } : { type: "unit", unitCode: units[0]?.key ?? "01" };
    const name = { ar: i18n.getFixedT("ar", "designer")("defaults.lane"), en: i18n.getFixedT("en", "designer")("defaults.lane") };
    dispatch({ type: "addLane", name, assignee });
  };
  return (
    <Stack gap="sm" data-testid="definition-fields">
      <LocalisedInput label={t("fields.workflowName")} value={graph.name} readOnly={readOnly} onChange={(v, l) => dispatch({ type: "updateGraph", patch: { name: v ?? { ar: "", en: "" } }, coalesce: `graph:name:${l}`, lang: l })} testId="field-workflow-name" />
      <LocalisedInput label={t("fields.description")} value={graph.description} multiline optional readOnly={readOnly} onChange={(v, l) => dispatch({ type: "updateGraph", patch: { description: v }, coalesce: `graph:description:${l}`, lang: l })} />
      <Stack gap={4}>
        <Text size="sm" fw={500} id="direction-label">
          {t("fields.direction")}
        </Text>
        <SegmentedControl
          size="xs"
          aria-labelledby="direction-label"
          disabled={readOnly}
          value={graph.direction}
          onChange={(v) => dispatch({ type: "updateGraph", patch: { direction: v as "rtl" | "ltr" } })}
          data={[
            { value: "rtl", label: t("fields.directions.rtl") },
            { value: "ltr", label: t("fields.directions.ltr") },
          ]}
        />
        <Text size="xs" c="dimmed">
          {t("fields.directionHelp")}
        </Text>
      </Stack>

      <Group justify="space-between" mt="sm">
        <Title order={3} size="h6">
          {t("lanes.title")}
        </Title>
        {!readOnly ? (
          <Button size="compact-xs" variant="light" onClick={addLane} data-testid="lane-add">
            {t("lanes.add")}
          </Button>
        ) : null}
      </Group>
      {graph.lanes.length === 0 ? (
        <Text size="xs" c="dimmed">
          {t("lanes.none")}
        </Text>
      ) : null}
      {graph.lanes.map((lane, i) => (
        <LaneCard key={lane.id} lane={lane} index={i} count={graph.lanes.length} steps={graph.nodes.filter((n) => n.lane === lane.id).length} {...{ dispatch, readOnly, roles, units, lang }} focused={focusLane === lane.id} />
      ))}
    </Stack>
  );
}

function LaneCard({ lane, index, count, steps, dispatch, readOnly, roles, units, lang, focused }: { lane: Lane; index: number; count: number; steps: number; focused: boolean } & Omit<Props, "graph" | "focusLane">) {
  const { t } = useTranslation("designer");
  const a = lane.assignee;
  const options = a.type === "role" ? roles : units;
  const current = a.type === "role" ? a.roleKey : a.unitCode;
  const data = options.map((o) => ({ value: o.key, label: named(o, lang) }));
  if (!options.some((o) => o.key === current)) data.push({ value: current, label: t("lanes.missing", { key: current }) });
  const remove = () => {
    if (steps && !window.confirm(t("lanes.deleteConfirm", { count: steps }))) return;
    dispatch({ type: "deleteLane", id: lane.id });
  };
  return (
    <Paper withBorder p="xs" radius="sm" className={focused ? "masar-lane-card is-focused" : "masar-lane-card"} data-testid={`lane-${lane.id}`}>
      <Stack gap={6}>
        <LocalisedInput label={t("lanes.name", { n: index + 1 })} value={lane.name} readOnly={readOnly} onChange={(v, l) => dispatch({ type: "updateLane", id: lane.id, patch: { name: v ?? { ar: "", en: "" } }, coalesce: `lane:${lane.id}:${l}`, lang: l })} testId={`lane-name-${index + 1}`} />
        <Group gap={4} grow wrap="nowrap" align="flex-end">
          <Select
            size="xs"
            label={t("lanes.assigneeType")}
            data={[
              { value: "role", label: t("lanes.role") },
              { value: "unit", label: t("lanes.unit") },
            ]}
            value={a.type}
            allowDeselect={false}
            readOnly={readOnly}
            onChange={(v) => {
              if (v === a.type) return;
              const assignee: LaneAssignee = v === "unit" ? { type: "unit", unitCode: units[0]?.key ?? "01" } : { type: "role", roleKey: roles[0]?.key ?? "staff" };
              dispatch({ type: "updateLane", id: lane.id, patch: { assignee } });
            }}
          />
          <Select
            size="xs"
            label={a.type === "role" ? t("lanes.role") : t("lanes.unit")}
            data={data}
            value={current}
            allowDeselect={false}
            searchable
            readOnly={readOnly}
            onChange={(v) => v && dispatch({ type: "updateLane", id: lane.id, patch: { assignee: a.type === "role" ? { type: "role", roleKey: v } : { type: "unit", unitCode: v } } })}
          />
        </Group>
        {!readOnly ? (
          <Group gap={4} justify="space-between">
            <Group gap={4}>
              <ActionIcon variant="default" size="sm" disabled={index === 0} onClick={() => dispatch({ type: "moveLane", id: lane.id, offset: -1 })} aria-label={t("lanes.up", { n: index + 1 })}>
                ↑
              </ActionIcon>
              <ActionIcon variant="default" size="sm" disabled={index === count - 1} onClick={() => dispatch({ type: "moveLane", id: lane.id, offset: 1 })} aria-label={t("lanes.down", { n: index + 1 })}>
                ↓
              </ActionIcon>
            </Group>
            <Button size="compact-xs" variant="subtle" color="red" onClick={remove}>
              {t("lanes.delete")}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Paper>
  );
}
