import { Badge, Box, Group, List, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { DefinitionGraph, Edge, Localised, WorkflowNode } from "~/engine/definition";
import { diffGraphs, diffHighlights, isEmptyDiff, type Changed, type GraphDiff } from "~/designer/diff";
import { graphToSvg, type Highlight } from "~/designer/svg-export";

// Two versions side by side, drawn by graphToSvg with what was removed, added and changed
// marked, and the same changes listed in words (for those who cannot tell the colours apart
// and for screen readers).

// Dark shades: white text on them stays readable (WCAG AA).
const COLORS: Record<Exclude<Highlight, "active">, string> = { added: "green.9", removed: "red.9", changed: "orange.9" };

export interface DiffSide {
  title: string;
  graph: DefinitionGraph;
}

export function VersionDiff({ before, after }: { before: DiffSide; after: DiffSide }) {
  const { t, i18n } = useTranslation("diagram");
  const locale = i18n.language === "en" ? "en" : "ar";
  const diff = useMemo(() => diffGraphs(before.graph, after.graph), [before.graph, after.graph]);
  const svgs = useMemo(() => {
    const marks = diffHighlights(diff);
    const outcomeLabels = { go: t("outcome.go"), "no-go": t("outcome.no-go"), rework: t("outcome.rework") };
    return {
      before: graphToSvg(before.graph, { locale, highlight: marks.before, outcomeLabels, fitWidth: true }),
      after: graphToSvg(after.graph, { locale, highlight: marks.after, outcomeLabels, fitWidth: true }),
    };
  }, [diff, before.graph, after.graph, locale, t]);
  return (
    <Stack>
      <DiffSummary diff={diff} before={before.graph} after={after.graph} />
      <Group gap="xs" aria-hidden="true">
        {(Object.keys(COLORS) as (keyof typeof COLORS)[]).map((k) => (
          <Badge key={k} color={COLORS[k]} variant="dot" tt="none">
            {t(`diff.legend.${k}`)}
          </Badge>
        ))}
      </Group>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        {(["before", "after"] as const).map((side) => (
          <Paper key={side} withBorder p="xs" component="figure" m={0}>
            <Text component="figcaption" fw={600} mb="xs">
              {(side === "before" ? before : after).title}
            </Text>
            {/* graphToSvg escapes every text and attribute it writes. */}
            {/* Focusable, so the scrolled drawing can be moved with the keyboard. */}
            <Box
              data-testid={`diff-svg-${side}`}
              tabIndex={0}
              role="region"
              aria-label={(side === "before" ? before : after).title}
              style={{ overflow: "auto", maxHeight: 640 }}
              dangerouslySetInnerHTML={{ __html: svgs[side] }}
            />
          </Paper>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

function DiffSummary({ diff, before, after }: { diff: GraphDiff; before: DefinitionGraph; after: DefinitionGraph }) {
  const { t, i18n } = useTranslation("diagram");
  const en = i18n.language === "en";
  const label = (l: Localised | undefined) => (l ? (en ? l.en || l.ar : l.ar || l.en) : "");
  const nodeName = (g: DefinitionGraph, id: string) => {
    const n = g.nodes.find((x) => x.id === id) ?? before.nodes.find((x) => x.id === id) ?? after.nodes.find((x) => x.id === id);
    return n ? label(n.name) || t(`kind.${n.kind}`) : id;
  };
  const laneName = (g: DefinitionGraph, id: string | undefined) => {
    const l = id ? (g.lanes.find((x) => x.id === id) ?? before.lanes.find((x) => x.id === id)) : undefined;
    return l ? label(l.name) || l.id : "";
  };
  const fields = (c: Changed<unknown>) => c.fields.map((f) => t(`diff.field.${f}`, { defaultValue: f })).join(t("diff.comma"));
  const node = (g: DefinitionGraph, n: WorkflowNode) => ({ name: nodeName(g, n.id), kind: t(`kind.${n.kind}`), lane: laneName(g, n.lane) });
  const edge = (g: DefinitionGraph, e: Edge) => ({ from: nodeName(g, e.source), to: nodeName(g, e.target) });

  if (isEmptyDiff(diff)) return <Text data-testid="diff-none">{t("diff.none")}</Text>;
  const items: { key: string; tone: keyof typeof COLORS | "moved"; text: string }[] = [];
  for (const f of diff.definition) items.push({ key: `def-${f}`, tone: "changed", text: t("diff.definitionChanged", { fields: t(`diff.field.${f}`, { defaultValue: f }) }) });
  for (const l of diff.lanes.added) items.push({ key: `la-${l.id}`, tone: "added", text: t("diff.lane.added", { name: laneName(after, l.id) }) });
  for (const l of diff.lanes.removed) items.push({ key: `lr-${l.id}`, tone: "removed", text: t("diff.lane.removed", { name: laneName(before, l.id) }) });
  for (const c of diff.lanes.changed) items.push({ key: `lc-${c.id}`, tone: "changed", text: t("diff.lane.changed", { name: laneName(after, c.id), fields: fields(c) }) });
  for (const n of diff.nodes.added) items.push({ key: `na-${n.id}`, tone: "added", text: t(n.lane ? "diff.node.addedIn" : "diff.node.added", node(after, n)) });
  for (const n of diff.nodes.removed) items.push({ key: `nr-${n.id}`, tone: "removed", text: t("diff.node.removed", node(before, n)) });
  for (const c of diff.nodes.changed) items.push({ key: `nc-${c.id}`, tone: "changed", text: t("diff.node.changed", { ...node(after, c.after), fields: fields(c) }) });
  for (const e of diff.edges.added) items.push({ key: `ea-${e.id}`, tone: "added", text: t("diff.edge.added", edge(after, e)) });
  for (const e of diff.edges.removed) items.push({ key: `er-${e.id}`, tone: "removed", text: t("diff.edge.removed", edge(before, e)) });
  for (const c of diff.edges.changed) items.push({ key: `ec-${c.id}`, tone: "changed", text: t("diff.edge.changed", { ...edge(after, c.after), fields: fields(c) }) });
  const moved = diff.nodes.moved.length + diff.edges.moved.length;
  if (moved) items.push({ key: "moved", tone: "moved", text: t("diff.moved", { count: moved }) });
  return (
    <Stack gap={4}>
      <Title order={2} size="h4">
        {t("diff.changes", { count: items.length })}
      </Title>
      <List size="sm" spacing={2} data-testid="diff-list">
        {items.map((i) => (
          <List.Item
            key={i.key}
            data-tone={i.tone}
            icon={
              <Badge size="xs" circle color={i.tone === "moved" ? "gray.8" : COLORS[i.tone]} aria-hidden="true">
                {i.tone === "added" ? "+" : i.tone === "removed" ? "−" : "~"}
              </Badge>
            }
          >
            {i.text}
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}
