import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { useCallback, useDeferredValue, useEffect, useMemo, useReducer, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { StepsTableView } from "~/components/workflow-admin/steps-table-view";
import type { DefinitionGraph, Edge, Lane, WorkflowNode } from "~/engine/definition";
import { nodeSize, type Point } from "~/engine/geometry";
import type { Problem } from "~/engine/problems";
import { stepsTable } from "~/engine/steps-table";
import { pickLabel, problemMarks, withPositions } from "~/designer/flow";
import { CORE_PALETTE, newNode, type PaletteActionKind, type PaletteEntry } from "~/designer/kind-schemas";
import { checkLocally, refsFrom, type RefLists } from "~/designer/refs";
import { initialState, reduce } from "~/designer/store";
import { Canvas, type Highlight } from "./canvas";
import { Palette, type PaletteItem } from "./palette";
import { ProblemsPanel } from "./problems-panel";
import { PropertiesPanel } from "./properties-panel";
import type { Named } from "./schema-fields";
import { StepsTableEditor } from "./steps-table-editor";
import { TestRunPanel } from "./test-run-panel";
import { SaveAlert } from "./save-indicator";
import { DesignerToolbar, type DesignerView } from "./toolbar";
import { clearBackup, readBackup, useDesignerSave } from "./use-designer-save";
import { useShortcuts } from "./use-shortcuts";

// The visual designer: palette (reading start), canvas, properties (reading end), live
// problems underneath, a toolbar on top. All edits go through the editor store (undo/redo);
// the draft saves itself (use-designer-save.ts); validation runs in the browser with the
// engine's own validator and the organisation's reference lists from the loader.

export interface DesignerLists {
  forms: (Named & { id: string; published: boolean })[];
  roles: Named[];
  units: Named[];
  definitions: Named[];
  actionKinds: PaletteActionKind[];
  refs: RefLists;
}

export interface DesignerProps {
  definitionId: string;
  orgSlug: string;
  graph: DefinitionGraph;
  /** The draft's lock version; null when showing a version read-only (no draft). */
  lockVersion: number | null;
  readOnly: boolean;
  lists: DesignerLists;
  nextVersion: number;
  canCreateForm: boolean;
}

export function Designer(props: DesignerProps) {
  return (
    <ReactFlowProvider>
      <DesignerInner {...props} />
    </ReactFlowProvider>
  );
}

const GROUP: Record<string, PaletteItem["group"]> = { start: "events", end: "events", timer: "events", task: "steps", document: "steps", subprocess: "steps", gate: "steps", decision: "flow", split: "flow", join: "flow" };
const VALIDATE_DELAY_MS = 250;

function DesignerInner({ definitionId, orgSlug, graph: loaded, lockVersion, readOnly, lists, nextVersion, canCreateForm }: DesignerProps) {
  const { t, i18n } = useTranslation("designer");
  const lang: "ar" | "en" = i18n.language === "en" ? "en" : "ar";
  const flow = useReactFlow();
  const [state, dispatch] = useReducer(reduce, loaded, (g) => initialState(withPositions(g)));
  const graph = state.graph;
  const graphRef = useRef(graph);
  graphRef.current = graph;
  // The canvas follows every change at once (a drag changes the graph each frame); the problems
  // list follows the deferred state, so React renders it when there is time. The properties
  // panel holds controlled text boxes: rendered from a lagging state, a box would be reset to
  // the old text as one types (losing keystrokes, moving the caret) and would still show the
  // shape selected before. So it follows the live state, except while shapes are dragged.
  const lazy = useDeferredValue(state);
  const [dragging, setDragging] = useState(false);
  const panel = dragging ? lazy : state;
  const editable = !readOnly && lockVersion !== null;

  // Live validation (debounced: a drag changes the graph on every frame).
  const refs = useMemo(() => refsFrom(lists.refs), [lists.refs]);
  const [problems, setProblems] = useState<Problem[]>(() => checkLocally(graph, lists.refs, refs));
  useEffect(() => {
    const timer = window.setTimeout(() => setProblems(checkLocally(graph, lists.refs, refs)), VALIDATE_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [graph, lists.refs, refs]);
  const marks = useMemo(() => problemMarks(problems), [problems]);
  const errors = problems.filter((p) => p.severity === "error").length;

  const save = useDesignerSave({ enabled: editable, definitionId, graph, revision: state.revision, initialLock: lockVersion ?? 0 });

  const [view, setView] = useState<DesignerView>("diagram");
  const [testing, setTesting] = useState(false);
  const [highlight, setHighlight] = useState<Highlight | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [focusLane, setFocusLane] = useState<string | undefined>(undefined);
  const [dialogOpen, setDialogOpen] = useState(false);

  // Work this browser kept but the server never got (closed tab, lost network, conflict).
  const [backup, setBackup] = useState<ReturnType<typeof readBackup>>(null);
  useEffect(() => {
    if (!editable) return;
    const b = readBackup(definitionId);
    if (b && JSON.stringify(b.graph) !== JSON.stringify(loaded)) setBackup(b);
    else if (b) clearBackup(definitionId);
    // Only when the designer opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const fit = useCallback(() => void flow.fitView({ padding: 0.15, duration: 300, maxZoom: 1.2 }), [flow]);
  const askDelete = useCallback(() => setConfirmDelete(true), []);
  const onTesting = useCallback((on: boolean) => {
    setTesting(on);
    if (!on) setHighlight(null);
  }, []);

  useShortcuts({
    dispatch,
    readOnly: !editable,
    onDelete: askDelete,
    onFit: fit,
    paused: confirmDelete || dialogOpen || view !== "diagram",
    hasSelection: state.selection.nodes.length + state.selection.edges.length > 0,
  });

  // The palette: core kinds, then the plugin kinds this organisation enabled.
  const defaults = useMemo(() => {
    const ar = i18n.getFixedT("ar", "designer");
    const en = i18n.getFixedT("en", "designer");
    return { name: (id: string) => ({ ar: ar(`defaults.${id}`), en: en(`defaults.${id}`) }), roles: lists.roles.map((r) => r.key), definitions: lists.definitions.map((d) => d.key), actionKinds: lists.actionKinds };
  }, [i18n, lists]);
  const entries = useMemo<PaletteEntry[]>(() => [...CORE_PALETTE, ...lists.actionKinds.map((k) => ({ id: `action:${k.actionType}`, kind: "action" as const, actionType: k.actionType }))], [lists.actionKinds]);
  const paletteItems = useMemo<PaletteItem[]>(
    () =>
      entries.map((e) => {
        const kind = e.kind === "action" ? lists.actionKinds.find((k) => k.actionType === e.actionType) : undefined;
        const disabledReason = newNode(e, defaults) ? undefined : t(`palette.unavailable.${e.kind}`);
        return {
          id: e.id,
          kind: e.kind,
          variant: "variant" in e ? e.variant : undefined,
          label: kind ? pickLabel(kind.name, lang) : t(`palette.entries.${e.id}`),
          help: kind ? pickLabel(kind.description, lang) || pickLabel(kind.pluginName, lang) : t(`palette.hints.${e.id}`),
          disabledReason,
          group: kind ? "plugins" : GROUP[e.id]!,
        };
      }),
    [entries, lists.actionKinds, defaults, t, lang],
  );

  const add = useCallback(
    (entryId: string, at?: Point) => {
      const entry = entries.find((e) => e.id === entryId);
      const node = entry ? newNode(entry, defaults) : undefined;
      if (!node || !editable) return;
      let point = at;
      if (!point) {
        // Clicked or keyboard: the middle of the visible canvas, stepping aside from shapes already there.
        const box = document.querySelector(".masar-canvas")?.getBoundingClientRect();
        point = box ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 }) : { x: 0, y: 0 };
        const size = nodeSize(node);
        const overlaps = (p: Point) =>
          graphRef.current.nodes.some((n) => {
            const s = nodeSize(n);
            return n.position && Math.abs(n.position.x + s.width / 2 - p.x) < (s.width + size.width) / 2 + 10 && Math.abs(n.position.y + s.height / 2 - p.y) < (s.height + size.height) / 2 + 10;
          });
        // Along the flow (the reading direction), so it stays in the same lane.
        const step = (graphRef.current.direction === "rtl" ? -1 : 1) * (size.width + 40);
        for (let i = 0; i < 30 && overlaps(point); i++) point = { x: point.x + step, y: point.y };
        // Stepped out of sight: bring it into view.
        if (box) {
          const a = flow.screenToFlowPosition({ x: box.left, y: box.top });
          const b = flow.screenToFlowPosition({ x: box.right, y: box.bottom });
          const p = point;
          if (p.x < a.x + size.width || p.x > b.x - size.width) window.setTimeout(() => void flow.setCenter(p.x, p.y, { zoom: flow.getZoom(), duration: 200 }), 0);
        }
      }
      dispatch({ type: "addNode", node, at: point });
    },
    [entries, defaults, editable, flow],
  );

  const caption = useCallback(
    (n: WorkflowNode) => {
      if (n.kind !== "action") return undefined;
      const kind = lists.actionKinds.find((k) => k.actionType === n.actionType);
      return kind ? pickLabel(kind.pluginName, lang) : n.actionType;
    },
    [lists.actionKinds, lang],
  );
  const edgeLabel = useCallback(
    (e: Edge, from: WorkflowNode | undefined) => {
      const name = pickLabel(e.name, lang);
      if (name) return name;
      if (from?.kind === "decision") return e.isDefault ? t("edge.defaultLabel") : e.condition ? (e.condition.length > 40 ? `${e.condition.slice(0, 38)}…` : e.condition) : undefined;
      if (from?.kind === "gate" && e.outcome) return t(`edge.outcomes.${e.outcome}`);
      return undefined;
    },
    [lang, t],
  );

  const selectProblem = useCallback(
    (p: Problem) => {
      setView("diagram");
      const centreOn = (b: { x: number; y: number }) => void flow.setCenter(b.x, b.y, { zoom: Math.max(flow.getZoom(), 1), duration: 300 });
      const graph = graphRef.current;
      if (p.nodeId) {
        const n = graph.nodes.find((x) => x.id === p.nodeId);
        dispatch({ type: "select", nodes: [p.nodeId], edges: [] });
        if (n?.position) centreOn({ x: n.position.x + nodeSize(n).width / 2, y: n.position.y + nodeSize(n).height / 2 });
      } else if (p.edgeId) {
        const e = graph.edges.find((x) => x.id === p.edgeId);
        dispatch({ type: "select", nodes: [], edges: [p.edgeId] });
        const a = graph.nodes.find((n) => n.id === e?.source)?.position;
        const b = graph.nodes.find((n) => n.id === e?.target)?.position;
        if (a && b) centreOn({ x: (a.x + b.x) / 2 + 40, y: (a.y + b.y) / 2 + 30 });
      } else if (p.laneId) {
        dispatch({ type: "select", nodes: [], edges: [] });
        setFocusLane(p.laneId);
      }
    },
    [flow],
  );

  const ctx = useMemo(
    () => ({
      lang,
      readOnly: !editable,
      lanes: graph.lanes as readonly Lane[],
      roles: lists.roles,
      forms: lists.forms,
      definitions: lists.definitions,
      actionKinds: lists.actionKinds,
      formsHref: `/app/${orgSlug}/admin/forms`,
      canCreateForm,
    }),
    [lang, editable, graph.lanes, lists, orgSlug, canCreateForm],
  );

  const count = state.selection.nodes.length + state.selection.edges.length;
  const fileName = `${graph.key}`;

  return (
    <div className="masar-designer" data-testid="designer" data-readonly={!editable || undefined}>
      <DesignerToolbar
        state={lazy}
        dispatch={dispatch}
        editable={editable}
        view={view}
        onView={setView}
        testing={testing}
        onTesting={onTesting}
        onFit={fit}
        onDelete={askDelete}
        save={save}
        errors={errors}
        nextVersion={nextVersion}
        definitionId={definitionId}
        fileName={fileName}
        onDialog={setDialogOpen}
      />
      {editable ? <SaveAlert save={save} definitionId={definitionId} /> : null}
      {backup ? (
        <Alert color="yellow" role="status" p="xs" data-testid="backup-offer">
          <Group justify="space-between" gap="xs">
            <Text size="sm">{t("backup.found", { at: new Date(backup.at).toLocaleTimeString(lang === "ar" ? "ar-SA" : "en-GB", { hour: "2-digit", minute: "2-digit" }) })}</Text>
            <Group gap="xs">
              <Button size="compact-sm" onClick={() => (dispatch({ type: "replaceGraph", graph: backup.graph, label: "restore" }), setBackup(null))}>
                {t("backup.restore")}
              </Button>
              <Button size="compact-sm" variant="default" onClick={() => (clearBackup(definitionId), setBackup(null))}>
                {t("backup.discard")}
              </Button>
            </Group>
          </Group>
        </Alert>
      ) : null}
      <div className="masar-designer__body">
        {editable && view === "diagram" ? <Palette items={paletteItems} onAdd={add} /> : null}
        <div className="masar-designer__main">
          {view === "diagram" ? (
            <Canvas state={state} dispatch={dispatch} readOnly={!editable} problems={marks} highlight={highlight} caption={caption} edgeLabel={edgeLabel} onAdd={add} onDragging={setDragging} />
          ) : (
            <div className="masar-designer__table" data-testid="designer-steps">
              {editable ? <StepsTableEditor graph={graph} onChange={(g, label) => dispatch({ type: "replaceGraph", graph: g, label })} /> : <StepsTableView table={stepsTable(graph)} />}
            </div>
          )}
          <ProblemsPanel problems={problems} graph={lazy.graph} onSelect={selectProblem} />
        </div>
        {testing ? (
          <aside className="masar-designer__properties" aria-label={t("toolbar.testRun")} data-testid="test-run">
            <div className="masar-designer__scroll">
              <TestRunPanel graph={graph} onHighlight={setHighlight} />
            </div>
          </aside>
        ) : (
          <PropertiesPanel graph={panel.graph} selection={panel.selection} dispatch={dispatch} ctx={ctx} units={lists.units} onDelete={askDelete} focusLane={focusLane} />
        )}
      </div>
      <Modal opened={confirmDelete} onClose={() => setConfirmDelete(false)} title={t("delete.title")} centered>
        <Stack>
          <Text size="sm">{t("delete.body", { nodes: state.selection.nodes.length, edges: state.selection.edges.length })}</Text>
          <Text size="xs" c="dimmed">
            {t("delete.undoHint")}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmDelete(false)}>
              {t("actions.cancel")}
            </Button>
            <Button
              color="red"
              data-autofocus
              disabled={count === 0}
              onClick={() => {
                dispatch({ type: "deleteSelection" });
                setConfirmDelete(false);
              }}
              data-testid="delete-confirm"
            >
              {t("actions.delete")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </div>
  );
}
