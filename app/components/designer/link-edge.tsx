import { BaseEdge, EdgeLabelRenderer, getSmoothStepPath, Position, type EdgeProps } from "@xyflow/react";
import { memo } from "react";
import { edgePoints, type Bounds, type Point } from "~/engine/geometry";
import type { LinkEdge as LinkEdgeType } from "~/designer/flow";

// A sequence flow. With stored bends (an imported BPMN diagram) it follows them exactly as
// the BPMN exporter does (geometry.ts edgePoints); without, it is routed orthogonally between
// the sides of the two shapes that face each other. The shapes' bounds arrive in the edge's
// data, so an edge re-renders only when one of its two nodes moved.

const centre = (b: Bounds): Point => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });

function sidePoint(b: Bounds, side: Position): Point {
  const c = centre(b);
  if (side === Position.Left) return { x: b.x, y: c.y };
  if (side === Position.Right) return { x: b.x + b.width, y: c.y };
  if (side === Position.Top) return { x: c.x, y: b.y };
  return { x: c.x, y: b.y + b.height };
}

const OPPOSITE = { [Position.Left]: Position.Right, [Position.Right]: Position.Left, [Position.Top]: Position.Bottom, [Position.Bottom]: Position.Top } as const;
const UNIT = { [Position.Left]: { x: -1, y: 0 }, [Position.Right]: { x: 1, y: 0 }, [Position.Top]: { x: 0, y: -1 }, [Position.Bottom]: { x: 0, y: 1 } } as const;

/**
 * The path, where its label goes, and where and which way it leaves the source. `offset` moves a
 * flow that joins the same two shapes as another sideways (geometry.ts parallelOffsets): its ends
 * along the shapes' sides and its middle run, where the label sits, so each has its own line.
 */
export function routeLink(source: Bounds, target: Bounds, waypoints?: readonly Point[], offset = 0): { path: string; label: Point; start: Point; dir: Point } {
  if (waypoints?.length) {
    const pts = edgePoints({ id: "e", source: "s", target: "t", waypoints: [...waypoints] }, source, target);
    const mid = Math.floor((pts.length - 1) / 2);
    const a = pts[mid]!;
    const b = pts[mid + 1]!;
    const len = Math.hypot(pts[1]!.x - pts[0]!.x, pts[1]!.y - pts[0]!.y) || 1;
    return {
      path: pts.map((p, i) => `${i ? "L" : "M"}${p.x} ${p.y}`).join(" "),
      label: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 },
      start: pts[0]!,
      dir: { x: (pts[1]!.x - pts[0]!.x) / len, y: (pts[1]!.y - pts[0]!.y) / len },
    };
  }
  const sc = centre(source);
  const tc = centre(target);
  const dx = tc.x - sc.x;
  const dy = tc.y - sc.y;
  // Side by side (clear of each other horizontally): leave sideways; otherwise up or down.
  const sideways = Math.abs(dx) > (source.width + target.width) / 2 + 10 || Math.abs(dy) < (source.height + target.height) / 2;
  const sourceSide = sideways ? (dx >= 0 ? Position.Right : Position.Left) : dy >= 0 ? Position.Bottom : Position.Top;
  const targetSide = OPPOSITE[sourceSide];
  const s = sidePoint(source, sourceSide);
  const t = sidePoint(target, targetSide);
  // The same side of the line as the straight export draws it (the normal of source→target).
  const shift = sideways ? offset * Math.sign(dx || 1) : -offset * Math.sign(dy || 1);
  if (sideways) {
    s.y += shift;
    t.y += shift;
  } else {
    s.x += shift;
    t.x += shift;
  }
  const middle = offset ? (sideways ? { centerX: (s.x + t.x) / 2 + shift } : { centerY: (s.y + t.y) / 2 + shift }) : {};
  const [path, lx, ly] = getSmoothStepPath({ sourceX: s.x, sourceY: s.y, sourcePosition: sourceSide, targetX: t.x, targetY: t.y, targetPosition: targetSide, borderRadius: 6, offset: 14, ...middle });
  return { path, label: { x: lx, y: ly }, start: s, dir: UNIT[sourceSide] };
}

function marker(selected: boolean, severity: string | undefined, highlight: boolean | undefined) {
  if (selected) return "url(#masar-arrow-selected)";
  if (highlight) return "url(#masar-arrow-lit)";
  if (severity === "error") return "url(#masar-arrow-error)";
  return "url(#masar-arrow)";
}

function LinkEdgeImpl({ id, data, selected }: EdgeProps<LinkEdgeType>) {
  if (!data) return null;
  const { edge, source, target, label, severity, highlight, isDefault } = data;
  const route = routeLink(source, target, edge.waypoints, data.offset);
  const classes = ["masar-link", selected ? "is-selected" : "", severity ? `has-${severity}` : "", highlight ? "is-lit" : ""].join(" ");
  // BPMN marks a decision's default flow with a slash across its start.
  const slash = isDefault
    ? (() => {
        const p = { x: route.start.x + route.dir.x * 12, y: route.start.y + route.dir.y * 12 };
        const n = { x: -route.dir.y, y: route.dir.x };
        return `M${p.x + n.x * 6 - route.dir.x * 4} ${p.y + n.y * 6 - route.dir.y * 4} L${p.x - n.x * 6 + route.dir.x * 4} ${p.y - n.y * 6 + route.dir.y * 4}`;
      })()
    : undefined;
  return (
    <>
      <BaseEdge id={id} path={route.path} className={classes} markerEnd={marker(Boolean(selected), severity, highlight)} interactionWidth={14} />
      {slash ? <path d={slash} className={`masar-link__slash ${classes}`} /> : null}
      {label ? (
        <EdgeLabelRenderer>
          <div
            className={`masar-link__label nodrag nopan ${selected ? "is-selected" : ""} ${severity === "error" ? "has-error" : ""}`}
            style={{ transform: `translate(-50%, -50%) translate(${route.label.x}px, ${route.label.y}px)` }}
            dir="auto"
            data-edge-id={edge.id}
          >
            {label}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
}

export const LinkEdge = memo(LinkEdgeImpl);

/** Arrowheads, one per state (SVG markers cannot take the line's colour everywhere yet). */
export function LinkMarkers() {
  const arrow = (id: string, cls: string) => (
    <marker id={id} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" orient="auto-start-reverse" markerUnits="userSpaceOnUse">
      <path d="M0 0 L10 5 L0 10 z" className={cls} />
    </marker>
  );
  return (
    <svg width="0" height="0" style={{ position: "absolute" }} aria-hidden="true" focusable="false">
      <defs>
        {arrow("masar-arrow", "masar-arrowhead")}
        {arrow("masar-arrow-selected", "masar-arrowhead is-selected")}
        {arrow("masar-arrow-error", "masar-arrowhead has-error")}
        {arrow("masar-arrow-lit", "masar-arrowhead is-lit")}
      </defs>
    </svg>
  );
}
