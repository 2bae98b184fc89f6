import { ActionIcon, Badge, Box, Group, Paper, Stack, Text, Tooltip, UnstyledButton, VisuallyHidden } from "@mantine/core";
import { useState, type DragEvent } from "react";
import { useTranslation } from "react-i18next";
import { fieldType } from "~/forms/fields";
import type { FieldNode, Lang } from "~/forms/model";
import { canContain } from "~/forms/model-ops";
import { useDrag, type DragPayload } from "./dnd";
import { DropZone } from "./drop-zone";
import { conditionText, fieldName } from "./labels";

export interface CanvasActions {
  select: (id: string) => void;
  drop: (payload: DragPayload, parentId: string | null, index: number) => void;
  shift: (id: string, delta: -1 | 1) => void;
  duplicate: (id: string) => void;
  remove: (id: string) => void;
}

interface Props {
  fields: FieldNode[];
  selectedId: string | null;
  problemCount: (id: string) => number;
  actions: CanvasActions;
}

/** The form as an ordered list of field cards; sections and tables hold their own lists. */
export function Canvas(props: Props) {
  const { t } = useTranslation("forms");
  return (
    <Box component="section" aria-labelledby="canvas-title">
      <VisuallyHidden id="canvas-title" component="h2">
        {t("builder.canvas.title")}
      </VisuallyHidden>
      <FieldList {...props} root={props.fields} parent={null} list={props.fields} />
    </Box>
  );
}

function FieldList(props: Props & { root: FieldNode[]; parent: FieldNode | null; list: FieldNode[] }) {
  const { list, parent, actions } = props;
  return (
    <Stack gap={4} role="list">
      {list.length === 0 ? <DropZone parent={parent} index={0} onDrop={actions.drop} empty /> : null}
      {list.map((node, i) => (
        <Box key={node.id} role="listitem">
          <DropZone parent={parent} index={i} onDrop={actions.drop} />
          <FieldCard {...props} node={node} index={i} count={list.length} />
        </Box>
      ))}
      {list.length ? <DropZone parent={parent} index={list.length} onDrop={actions.drop} /> : null}
    </Stack>
  );
}

function FieldCard(props: Props & { root: FieldNode[]; parent: FieldNode | null; node: FieldNode; index: number; count: number }) {
  const { t, i18n } = useTranslation("forms");
  const lang: Lang = i18n.language === "en" ? "en" : "ar";
  const drag = useDrag();
  const { node, actions, selectedId, index, count, root } = props;
  const def = fieldType(node.type);
  const selected = node.id === selectedId;
  const name = fieldName(node, lang);
  const problems = props.problemCount(node.id);
  const requiredCondition = typeof node.required === "object" ? node.required : null;
  // The card itself is a drop target too: its upper half inserts before it, the lower half after.
  const allowed = () => {
    const p = drag.current();
    return !!p && canContain(props.parent, p.type) && !(p.kind === "move" && p.id === node.id);
  };
  const [over, setOver] = useState<"before" | "after" | null>(null);
  const half = (e: DragEvent<HTMLDivElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    return e.clientY < box.top + Math.min(box.height / 2, 28) ? "before" : "after";
  };
  return (
    <Paper
      withBorder
      p="xs"
      radius="md"
      draggable
      onDragStart={(e) => {
        e.stopPropagation();
        drag.start(e, { kind: "move", id: node.id, type: node.type });
      }}
      onDragEnd={drag.end}
      onDragOver={(e) => {
        if (!allowed()) return;
        e.preventDefault();
        e.stopPropagation();
        setOver(half(e));
      }}
      onDragLeave={() => setOver(null)}
      onDrop={(e) => {
        if (!allowed()) return;
        e.preventDefault();
        e.stopPropagation();
        setOver(null);
        const payload = drag.read(e);
        drag.end();
        if (payload) actions.drop(payload, props.parent?.id ?? null, half(e) === "before" ? index : index + 1);
      }}
      data-testid="canvas-field"
      data-key={node.key}
      style={{
        borderColor: selected ? "var(--mantine-color-teal-6)" : problems ? "var(--mantine-color-red-5)" : undefined,
        boxShadow: over ? `0 ${over === "before" ? -3 : 3}px 0 var(--mantine-color-teal-6)` : undefined,
        borderWidth: selected ? 2 : 1,
        background: def.container ? "var(--mantine-color-gray-0)" : undefined,
        cursor: "grab",
      }}
    >
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <UnstyledButton
          onClick={() => actions.select(node.id)}
          onKeyDown={(e) => {
            if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
              e.preventDefault();
              actions.shift(node.id, e.key === "ArrowUp" ? -1 : 1);
            }
          }}
          aria-pressed={selected}
          aria-label={t("builder.canvas.selectField", { name, type: t(def.labelKey) })}
          aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown"
          style={{ flex: 1, minWidth: 0 }}
          data-testid="select-field"
        >
          <Group gap={6} wrap="wrap">
            <Text span size="sm" aria-hidden w={22} ta="center" c="dimmed">
              {def.icon}
            </Text>
            <Text span fw={600} size="sm">
              {name}
              {node.required === true ? (
                <Text span c="red.8" aria-label={t("builder.canvas.required")}>
                  {" *"}
                </Text>
              ) : null}
            </Text>
            <Text span size="xs" c="dimmed">
              {t(def.labelKey)}
            </Text>
            <Text span size="xs" c="dimmed" dir="ltr" ff="monospace">
              {node.key}
            </Text>
          </Group>
          <Group gap={4} mt={node.visibleWhen || requiredCondition || problems ? 4 : 0}>
            {node.visibleWhen ? (
              <Badge size="sm" variant="light" color="grape" tt="none" data-testid="condition-badge">
                {conditionText(node.visibleWhen, root, t, lang)}
              </Badge>
            ) : null}
            {requiredCondition ? (
              <Badge size="sm" variant="light" color="orange" tt="none">
                {t("builder.canvas.requiredWhen", { condition: conditionText(requiredCondition, root, t, lang) })}
              </Badge>
            ) : null}
            {problems ? (
              <Badge size="sm" variant="light" color="red" tt="none">
                {t("builder.canvas.problems", { count: problems })}
              </Badge>
            ) : null}
          </Group>
        </UnstyledButton>
        <Group gap={2} wrap="nowrap">
          <CardAction label={t("builder.canvas.moveUp", { name })} disabled={index === 0} onClick={() => actions.shift(node.id, -1)} glyph="↑" />
          <CardAction label={t("builder.canvas.moveDown", { name })} disabled={index === count - 1} onClick={() => actions.shift(node.id, 1)} glyph="↓" />
          <CardAction label={t("builder.canvas.duplicate", { name })} onClick={() => actions.duplicate(node.id)} glyph="⧉" />
          <CardAction label={t("builder.canvas.delete", { name })} onClick={() => actions.remove(node.id)} glyph="✕" color="red" />
        </Group>
      </Group>
      {def.container ? (
        <Box mt="xs" ps="md" style={{ borderInlineStart: "3px solid var(--mantine-color-teal-2)" }}>
          <Text size="xs" c="dimmed" mb={4}>
            {t(node.type === "table" ? "builder.canvas.columns" : "builder.canvas.sectionFields")}
          </Text>
          <FieldList {...props} parent={node} list={node.children ?? []} />
        </Box>
      ) : null}
    </Paper>
  );
}

function CardAction({ label, onClick, glyph, disabled, color }: { label: string; onClick: () => void; glyph: string; disabled?: boolean; color?: string }) {
  return (
    <Tooltip label={label} withinPortal openDelay={400}>
      <ActionIcon variant="subtle" color={color ?? "gray"} size="sm" aria-label={label} onClick={onClick} disabled={disabled}>
        <span aria-hidden>{glyph}</span>
      </ActionIcon>
    </Tooltip>
  );
}
