import {
  Background,
  BackgroundVariant,
  ConnectionMode,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type IsValidConnection,
  type NodeChange,
  type OnNodeDrag,
} from "@xyflow/react";
import { useCallback, useMemo, useRef, useState, type Dispatch, type DragEvent } from "react";
import { useTranslation } from "react-i18next";
import type { WorkflowNode } from "~/engine/definition";
import { nodeSize, type DiagramLayout, type Point } from "~/engine/geometry";
import { createFlowMapper, pickLabel, type FlowView, type Severity, type ShapeNode as ShapeNodeType, type LinkEdge as LinkEdgeType } from "~/designer/flow";
import { canConnect, GRID, laneFor, laneLayout, type EditorAction, type EditorState } from "~/designer/store";
import { LanesLayer } from "./lanes-layer";
import { LinkEdge, LinkMarkers } from "./link-edge";
import { PALETTE_MIME } from "./palette";
import { ShapeNode } from "./shape-node";

// The drawing surface. React Flow is fully controlled by the editor store: position changes of
// a drag become coalesced "moveNodes" actions, the drop reassigns the lane (computed from the
// bands without the dragged nodes, frozen for the whole drag so they do not chase the pointer),
// selection changes become "selectDelta". Deleting is the designer's (with confirmation), so
// React Flow's own delete key is off.

const nodeTypes = { shape: ShapeNode };
const edgeTypes = { link: LinkEdge };
const MINIMAP_COLOURS: Record<WorkflowNode["kind"], string> = {
  start: "#2f9e44",
  end: "#c92a2a",
  task: "#1c7ed6",
  decision: "#f08c00",
  parallel: "#f08c00",
  gate: "#9c36b5",
  timer: "#0c8599",
  subprocess: "#1864ab",
  action: "#5f3dc4",
};

export interface Highlight {
  visited: Set<string>;
  current: Set<string>;
  edges: Set<string>;
}

interface Props {
  state: EditorState;
  dispatch: Dispatch<EditorAction>;
  readOnly: boolean;
  problems: ReadonlyMap<string, Severity>;
  highlight: Highlight | null;
  caption: FlowView["caption"];
  edgeLabel: FlowView["edgeLabel"];
  /** A palette entry dropped (or added) at a canvas point. */
  onAdd: (entryId: string, at: Point) => void;
  /** Shapes are being dragged (the graph changes every frame until the drop). */
  onDragging?: (dragging: boolean) => void;
}

export function Canvas({ state, dispatch, readOnly, problems, highlight, caption, edgeLabel, onAdd, onDragging }: Props) {
  const { t, i18n } = useTranslation("designer");
  const lang = i18n.language === "en" ? "en" : "ar";
  const rtlUi = lang === "ar";
  const flow = useReactFlow<ShapeNodeType, LinkEdgeType>();
  const [mapper] = useState(createFlowMapper);
  const graph = state.graph;
  const graphRef = useRef(graph);
  graphRef.current = graph;

  const selectedNodes = useMemo(() => new Set(state.selection.nodes), [state.selection.nodes]);
  const selectedEdges = useMemo(() => new Set(state.selection.edges), [state.selection.edges]);
  const { nodes, edges } = useMemo(
    () => mapper(graph, { lang, selectedNodes, selectedEdges, problems, highlight, readOnly, caption, edgeLabel }),
    [mapper, graph, lang, selectedNodes, selectedEdges, problems, highlight, readOnly, caption, edgeLabel],
  );

  // While a drag (or a palette drag) is on, the bands stay as they were without the moved nodes.
  const drag = useRef<{ key: string; layout: DiagramLayout } | null>(null);
  const dragCount = useRef(0);
  const [frozen, setFrozen] = useState<DiagramLayout | null>(null);
  const [target, setTarget] = useState<string | undefined>(undefined);
  const liveLayout = useMemo(() => (frozen ? null : laneLayout(graph)), [graph, frozen]);
  const layout = frozen ?? liveLayout!;

  const onNodesChange = useCallback(
    (changes: NodeChange<ShapeNodeType>[]) => {
      const positions: Record<string, Point> = {};
      let moved = false;
      let selection: Record<string, boolean> | undefined;
      for (const c of changes) {
        if (c.type === "position" && c.position) {
          positions[c.id] = { x: c.position.x, y: c.position.y };
          moved = true;
        } else if (c.type === "select") {
          (selection ??= {})[c.id] = c.selected;
        }
      }
      if (selection) dispatch({ type: "selectDelta", nodes: selection });
      if (!moved || readOnly) return;
      // Not during a drag: React Flow's arrow keys on a focused node, one step per press.
      if (drag.current) dispatch({ type: "moveNodes", positions, coalesce: drag.current.key });
      else dispatch({ type: "moveNodes", positions, coalesce: "nudge", assignLanes: true });
    },
    [dispatch, readOnly],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<LinkEdgeType>[]) => {
      let selection: Record<string, boolean> | undefined;
      for (const c of changes) if (c.type === "select") (selection ??= {})[c.id] = c.selected;
      if (selection) dispatch({ type: "selectDelta", edges: selection });
    },
    [dispatch],
  );

  const startDrag = useCallback((ids: string[]) => {
    const key = `drag:${++dragCount.current}`;
    const frozenLayout = laneLayout(graphRef.current, new Set(ids));
    drag.current = { key, layout: frozenLayout };
    setFrozen(frozenLayout);
    onDragging?.(true);
  }, [onDragging]);

  const trackDrag = useCallback((node: ShapeNodeType) => {
    if (!drag.current) return;
    const size = nodeSize(node.data.node);
    const lane = laneFor(drag.current.layout, { x: node.position.x + size.width / 2, y: node.position.y + size.height / 2 });
    setTarget((old) => (old === lane ? old : lane));
  }, []);

  const endDrag = useCallback(
    (moved: ShapeNodeType[]) => {
      const key = drag.current?.key;
      drag.current = null;
      setFrozen(null);
      setTarget(undefined);
      onDragging?.(false);
      if (!key || !moved.length) return;
      const positions = Object.fromEntries(moved.map((n) => [n.id, { x: n.position.x, y: n.position.y }]));
      dispatch({ type: "moveNodes", positions, coalesce: key, assignLanes: true });
    },
    [dispatch, onDragging],
  );

  const onNodeDragStart: OnNodeDrag<ShapeNodeType> = useCallback((_e, _n, moving) => startDrag(moving.map((n) => n.id)), [startDrag]);
  const onNodeDrag: OnNodeDrag<ShapeNodeType> = useCallback((_e, node) => trackDrag(node), [trackDrag]);
  const onNodeDragStop: OnNodeDrag<ShapeNodeType> = useCallback((_e, _n, moving) => endDrag(moving), [endDrag]);

  const onConnect = useCallback((c: Connection) => dispatch({ type: "connect", source: c.source, target: c.target }), [dispatch]);
  const isValidConnection: IsValidConnection<LinkEdgeType> = useCallback((c) => canConnect(graphRef.current, c.source, c.target), []);

  // Palette drag and drop (HTML5): the lane under the pointer lights up, the drop adds there.
  const paletteLayout = useRef<DiagramLayout | null>(null);
  const onDragOver = useCallback(
    (e: DragEvent) => {
      if (readOnly || !e.dataTransfer.types.includes(PALETTE_MIME)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = "copy";
      paletteLayout.current ??= laneLayout(graphRef.current);
      const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const lane = laneFor(paletteLayout.current, at);
      setTarget((old) => (old === lane ? old : lane));
    },
    [flow, readOnly],
  );
  const onDragLeave = useCallback(() => {
    paletteLayout.current = null;
    setTarget(undefined);
  }, []);
  const onDrop = useCallback(
    (e: DragEvent) => {
      const entry = e.dataTransfer.getData(PALETTE_MIME);
      paletteLayout.current = null;
      setTarget(undefined);
      if (readOnly || !entry) return;
      e.preventDefault();
      onAdd(entry, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
    },
    [flow, onAdd, readOnly],
  );

  const ariaLabelConfig = useMemo(
    () => ({
      "node.a11yDescription.default": t("canvas.a11y.node"),
      "node.a11yDescription.keyboardDisabled": t("canvas.a11y.nodeNoKeyboard"),
      "node.a11yDescription.ariaLiveMessage": ({ direction, x, y }: { direction: string; x: number; y: number }) => t("canvas.a11y.moved", { direction, x, y }),
      "edge.a11yDescription.default": t("canvas.a11y.edge"),
      "controls.ariaLabel": t("canvas.controls"),
      "controls.zoomIn.ariaLabel": t("canvas.zoomIn"),
      "controls.zoomOut.ariaLabel": t("canvas.zoomOut"),
      "controls.fitView.ariaLabel": t("canvas.fitView"),
      "controls.interactive.ariaLabel": t("canvas.interactive"),
      "minimap.ariaLabel": t("canvas.minimap"),
      "handle.ariaLabel": t("canvas.handle"),
    }),
    [t],
  );

  return (
    // Coordinates are left-to-right whatever the page's direction; names inside use dir="auto".
    <div className="masar-canvas" dir="ltr" onDragOver={onDragOver} onDragLeave={onDragLeave} onDrop={onDrop} data-testid="designer-canvas">
      <LinkMarkers />
      <ReactFlow<ShapeNodeType, LinkEdgeType>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStart={onNodeDragStart}
        onNodeDrag={onNodeDrag}
        onNodeDragStop={onNodeDragStop}
        onSelectionDragStart={(_e, moving) => startDrag(moving.map((n) => n.id))}
        onSelectionDrag={(_e, moving) => moving[0] && trackDrag(moving[0])}
        onSelectionDragStop={(_e, moving) => endDrag(moving)}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        connectionMode={ConnectionMode.Loose}
        connectionRadius={28}
        snapToGrid
        snapGrid={[GRID, GRID]}
        onlyRenderVisibleElements
        fitView
        fitViewOptions={{ padding: 0.15, maxZoom: 1.2 }}
        minZoom={0.05}
        maxZoom={2.5}
        deleteKeyCode={null}
        zoomOnDoubleClick={false}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        elementsSelectable
        elevateEdgesOnSelect
        ariaLabelConfig={ariaLabelConfig}
        proOptions={{ hideAttribution: false }}
      >
        <LanesLayer layout={layout} lanes={graph.lanes} lang={lang} title={pickLabel(graph.name, lang)} target={target} problems={problems} />
        <Background variant={BackgroundVariant.Dots} gap={GRID * 2} size={1} />
        <Controls position={rtlUi ? "bottom-right" : "bottom-left"} showInteractive={false} />
        <MiniMap
          position={rtlUi ? "bottom-left" : "bottom-right"}
          pannable
          zoomable
          nodeColor={(n) => MINIMAP_COLOURS[(n as ShapeNodeType).data.node.kind]}
          nodeStrokeColor={(n) => ((n as ShapeNodeType).data.severity === "error" ? "#c92a2a" : "transparent")}
          nodeStrokeWidth={6}
          ariaLabel={t("canvas.minimap")}
          style={{ width: 160, height: 110 }}
        />
      </ReactFlow>
    </div>
  );
}
