import { ViewportPortal } from "@xyflow/react";
import { memo } from "react";
import type { Lane } from "~/engine/definition";
import { POOL_LABEL, type Bounds, type DiagramLayout } from "~/engine/geometry";
import { pickLabel } from "~/designer/flow";

// Swimlanes drawn behind the shapes, in canvas coordinates, from geometry.ts's bands (the
// same bands the BPMN file, auto-layout and the SVG export use). They take no pointer events:
// clicks and selection boxes go to the pane. As in the exported picture, the pool's strip
// carries the workflow's name and each lane's name sits at its reading-start edge (right in
// Arabic; along the top for columns).

interface Props {
  layout: DiagramLayout;
  lanes: readonly Lane[];
  lang: "ar" | "en";
  title: string;
  /** The lane a dragged or dropped node would join. */
  target?: string;
  problems: ReadonlyMap<string, "error" | "warning">;
}

const NAME = 24;

/** An empty diagram has lanes but no extent across them: draw them a default width, from 0. */
function spread(b: Bounds, vertical: boolean): Bounds {
  if (vertical) return Number.isFinite(b.y) ? b : { ...b, y: 0, height: EMPTY_LENGTH };
  return Number.isFinite(b.x) ? b : { ...b, x: POOL_LABEL, width: EMPTY_LENGTH };
}

const EMPTY_LENGTH = 900;

function LanesLayerImpl({ layout, lanes, lang, title, target, problems }: Props) {
  if (!lanes.length) return null;
  const vertical = layout.orientation === "vertical";
  const bands = lanes.map((l) => ({ lane: l, b: layout.lanes.get(l.id) })).filter((x): x is { lane: Lane; b: Bounds } => Boolean(x.b)).map(({ lane, b }) => ({ lane, b: spread(b, vertical) }));
  if (!bands.length) return null;
  const last = bands[bands.length - 1]!.b;
  const pool = Number.isFinite(layout.pool.width)
    ? layout.pool
    : vertical
      ? { x: bands[0]!.b.x, y: -POOL_LABEL, width: last.x + last.width - bands[0]!.b.x, height: EMPTY_LENGTH + POOL_LABEL }
      : { x: 0, y: bands[0]!.b.y, width: EMPTY_LENGTH + POOL_LABEL, height: last.y + last.height - bands[0]!.b.y };
  const rtl = lang === "ar";
  // The pool's strip: what the lanes leave free of it (its left side for rows, its top for columns).
  const first = bands[0]!.b;
  const strip: Bounds = vertical ? { x: pool.x, y: pool.y, width: pool.width, height: Math.max(0, first.y - pool.y) } : { x: pool.x, y: pool.y, width: Math.max(0, first.x - pool.x), height: pool.height };
  return (
    <ViewportPortal>
      <div className="masar-lanes" aria-hidden="true">
        <div className="masar-pool" style={{ transform: `translate(${pool.x}px, ${pool.y}px)`, width: pool.width, height: pool.height }} />
        {strip.width > 0 && strip.height > 0 ? (
          <div className={`masar-pool__name ${vertical ? "" : "is-rotated"}`} style={{ transform: `translate(${strip.x}px, ${strip.y}px)`, width: strip.width, height: strip.height }}>
            <span dir="auto">{title}</span>
          </div>
        ) : null}
        {bands.map(({ lane, b }, i) => {
          const name = pickLabel(lane.name, lang) || lane.id;
          const box = vertical ? { x: b.x, y: b.y, width: b.width, height: NAME } : { x: rtl ? b.x + b.width - NAME : b.x, y: b.y, width: NAME, height: b.height };
          const error = problems.get(`lane:${lane.id}`) === "error" ? "has-error" : "";
          const cls = ["masar-lane", i % 2 ? "is-odd" : "", target === lane.id ? "is-target" : "", error].join(" ");
          return (
            <div key={lane.id}>
              <div className={cls} data-lane-id={lane.id} style={{ transform: `translate(${b.x}px, ${b.y}px)`, width: b.width, height: b.height }} />
              <div className={`masar-lane__name ${vertical ? "" : rtl ? "is-rotated-rtl" : "is-rotated"} ${error}`} style={{ transform: `translate(${box.x}px, ${box.y}px)`, width: box.width, height: box.height }}>
                <span dir="auto">{name}</span>
              </div>
            </div>
          );
        })}
      </div>
    </ViewportPortal>
  );
}

export const LanesLayer = memo(LanesLayerImpl);
