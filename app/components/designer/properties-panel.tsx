import { Badge, Button, Group, ScrollArea, Stack, Text, Title } from "@mantine/core";
import { memo, type Dispatch } from "react";
import { useTranslation } from "react-i18next";
import type { DefinitionGraph } from "~/engine/definition";
import type { EditorAction, Selection } from "~/designer/store";
import { DefinitionFields } from "./definition-fields";
import { EdgeFields } from "./edge-fields";
import { KindIcon } from "./palette";
import { NodeFields, type Named, type PanelContext } from "./schema-fields";

// The panel at the reading end (left in Arabic): the selected node's properties (from its
// kind's schema), the selected connection's, a summary of a multiple selection, or the
// workflow and its lanes when nothing is selected.

interface Props {
  graph: DefinitionGraph;
  selection: Selection;
  dispatch: Dispatch<EditorAction>;
  ctx: PanelContext;
  units: readonly Named[];
  onDelete: () => void;
  focusLane?: string;
}

export const PropertiesPanel = memo(function PropertiesPanel({ graph, selection, dispatch, ctx, units, onDelete, focusLane }: Props) {
  const { t } = useTranslation("designer");
  const ro = ctx.readOnly;
  const count = selection.nodes.length + selection.edges.length;
  let title: string;
  let body;
  if (count === 0) {
    title = t("properties.workflow");
    body = <DefinitionFields graph={graph} dispatch={dispatch} readOnly={ro} roles={ctx.roles} units={units} lang={ctx.lang} focusLane={focusLane} />;
  } else if (count > 1) {
    title = t("properties.multiple");
    body = (
      <Stack gap="xs">
        <Text size="sm">{t("properties.selected", { nodes: selection.nodes.length, edges: selection.edges.length })}</Text>
        <Text size="xs" c="dimmed">
          {t("properties.multipleHelp")}
        </Text>
      </Stack>
    );
  } else if (selection.nodes.length === 1) {
    const node = graph.nodes.find((n) => n.id === selection.nodes[0]);
    if (!node) return null;
    title = t(node.kind === "task" && node.producesDocument ? "kinds.document" : node.kind === "action" ? "kinds.action" : `kinds.${node.kind}`);
    body = (
      <Stack gap="xs">
        <Group gap={6}>
          <KindIcon kind={node.kind} variant={node.kind === "task" && node.producesDocument ? "document" : undefined} />
          <Badge variant="light" color="gray" tt="none" dir="ltr" ff="monospace">
            {node.id}
          </Badge>
        </Group>
        <NodeFields node={node} ctx={ctx} onChange={(patch, coalesce, lang) => dispatch({ type: "updateNode", id: node.id, patch, coalesce, lang })} />
      </Stack>
    );
  } else {
    const edge = graph.edges.find((e) => e.id === selection.edges[0]);
    if (!edge) return null;
    title = t("properties.edge");
    body = (
      <EdgeFields
        edge={edge}
        from={graph.nodes.find((n) => n.id === edge.source)}
        to={graph.nodes.find((n) => n.id === edge.target)}
        readOnly={ro}
        lang={ctx.lang}
        onChange={(patch, coalesce, lang) => dispatch({ type: "updateEdge", id: edge.id, patch, coalesce, lang })}
      />
    );
  }
  return (
    <aside className="masar-designer__properties" aria-labelledby="properties-title" data-testid="properties-panel">
      <ScrollArea h="100%" type="auto" offsetScrollbars>
        <Stack gap="sm" p="sm">
          <Group justify="space-between" wrap="nowrap">
            <Title order={2} size="h5" id="properties-title">
              {title}
            </Title>
            {count > 0 && !ro ? (
              <Button size="compact-xs" variant="subtle" color="red" onClick={onDelete} data-testid="delete-selection">
                {t("actions.delete")}
              </Button>
            ) : null}
          </Group>
          {body}
        </Stack>
      </ScrollArea>
    </aside>
  );
});
