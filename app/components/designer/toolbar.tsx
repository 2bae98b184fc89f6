import { ActionIcon, Button, Group, Menu, SegmentedControl, Tooltip } from "@mantine/core";
import { useReactFlow } from "@xyflow/react";
import { memo, useState, type Dispatch } from "react";
import { useTranslation } from "react-i18next";
import { useOrgFormat } from "~/components/org-format";
import { redoLabel, undoLabel, type EditorAction, type EditorState } from "~/designer/store";
import { ExportMenu } from "./export-menu";
import { PublishDialog } from "./publish-dialog";
import { SaveIndicator } from "./save-indicator";
import { ShortcutsHelp } from "./shortcuts-help";
import type { useDesignerSave } from "./use-designer-save";

export type DesignerView = "diagram" | "table";

interface Props {
  state: EditorState;
  dispatch: Dispatch<EditorAction>;
  editable: boolean;
  view: DesignerView;
  onView: (v: DesignerView) => void;
  testing: boolean;
  onTesting: (on: boolean) => void;
  onFit: () => void;
  onDelete: () => void;
  save: ReturnType<typeof useDesignerSave>;
  errors: number;
  nextVersion: number;
  definitionId: string;
  fileName: string;
  onDialog: (open: boolean) => void;
}

export const DesignerToolbar = memo(function DesignerToolbar({ state, dispatch, editable, view, onView, testing, onTesting, onFit, onDelete, save, errors, nextVersion, definitionId, fileName, onDialog }: Props) {
  const { t } = useTranslation("designer");
  const fmt = useOrgFormat();
  const flow = useReactFlow();
  const [layingOut, setLayingOut] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const history = (label: string | undefined) => (label ? t(`history.${label}`, { defaultValue: label }) : "");
  const undo = undoLabel(state);
  const redo = redoLabel(state);
  const count = state.selection.nodes.length + state.selection.edges.length;

  const layout = async (direction: "LR" | "RL" | "TB") => {
    setLayingOut(true);
    try {
      // elkjs is large: loaded only when someone asks for a layout.
      const { autoLayout } = await import("~/designer/layout");
      dispatch({ type: "replaceGraph", graph: await autoLayout(state.graph, { direction }), label: "layout" });
      window.setTimeout(() => void flow.fitView({ padding: 0.15, duration: 300, maxZoom: 1.2 }), 50);
    } finally {
      setLayingOut(false);
    }
  };

  return (
    <div className="masar-designer__toolbar" role="toolbar" aria-label={t("toolbar.label")}>
      <Group gap="xs" wrap="wrap">
        <SegmentedControl
          size="xs"
          value={view}
          onChange={(v) => onView(v as DesignerView)}
          data={[
            { value: "diagram", label: t("toolbar.diagram") },
            { value: "table", label: t("toolbar.table") },
          ]}
          aria-label={t("toolbar.view")}
          data-testid="designer-view"
        />
        {editable ? (
          <Group gap={4}>
            <Tooltip label={undo ? t("toolbar.undoWhat", { what: history(undo) }) : t("toolbar.undo")}>
              <ActionIcon variant="default" onClick={() => dispatch({ type: "undo" })} disabled={!undo} aria-label={t("toolbar.undo")} data-testid="undo">
                ↶
              </ActionIcon>
            </Tooltip>
            <Tooltip label={redo ? t("toolbar.redoWhat", { what: history(redo) }) : t("toolbar.redo")}>
              <ActionIcon variant="default" onClick={() => dispatch({ type: "redo" })} disabled={!redo} aria-label={t("toolbar.redo")} data-testid="redo">
                ↷
              </ActionIcon>
            </Tooltip>
          </Group>
        ) : null}
        {editable && view === "diagram" ? (
          <Group gap={4}>
            <Button size="compact-sm" variant="default" disabled={!state.selection.nodes.length} onClick={() => dispatch({ type: "copy" })}>
              {t("toolbar.copy")}
            </Button>
            <Button size="compact-sm" variant="default" disabled={!state.clipboard} onClick={() => dispatch({ type: "paste" })}>
              {t("toolbar.paste")}
            </Button>
            <Button size="compact-sm" variant="default" color="red" disabled={!count} onClick={onDelete}>
              {t("actions.delete")}
            </Button>
            <Menu position="bottom-start" withinPortal>
              <Menu.Target>
                <Button size="compact-sm" variant="default" loading={layingOut} data-testid="auto-layout">
                  {t("toolbar.layout")}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{t("toolbar.layoutHelp")}</Menu.Label>
                <Menu.Item onClick={() => void layout("RL")}>{t("toolbar.layoutRL")}</Menu.Item>
                <Menu.Item onClick={() => void layout("LR")}>{t("toolbar.layoutLR")}</Menu.Item>
                <Menu.Item onClick={() => void layout("TB")}>{t("toolbar.layoutTB")}</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        ) : null}
        {view === "diagram" ? (
          <Button size="compact-sm" variant="default" onClick={onFit}>
            {t("toolbar.fit")}
          </Button>
        ) : null}
        <Button size="compact-sm" variant={testing ? "filled" : "default"} color="grape" onClick={() => onTesting(!testing)} aria-pressed={testing} data-testid="test-run-toggle">
          {testing ? t("toolbar.testRunStop") : t("toolbar.testRun")}
        </Button>
        <ExportMenu graph={state.graph} fileName={fileName} />
        <ShortcutsHelp />
      </Group>
      <Group gap="xs" wrap="nowrap">
        {editable ? <SaveIndicator save={save} /> : null}
        {editable ? (
          <Button size="compact-sm" color="teal" onClick={() => (setPublishing(true), onDialog(true))} data-testid="publish-open">
            {t("publish.button", { version: fmt.number(nextVersion) })}
          </Button>
        ) : null}
      </Group>
      {editable ? (
        <PublishDialog
          opened={publishing}
          onClose={() => (setPublishing(false), onDialog(false))}
          definitionId={definitionId}
          save={save}
          errors={errors}
          nextVersion={nextVersion}
        />
      ) : null}
    </div>
  );
});
