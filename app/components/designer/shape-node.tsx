import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { WorkflowNode } from "~/engine/definition";
import type { ShapeNode as ShapeNodeType } from "~/designer/flow";

// One component draws every node kind, with the shapes of the service documentation guide
// (DOMAIN.md §1) and BPMN: start/end as circles (the terminators), a step as a rounded
// rectangle, a step that produces an official document as the document shape, a sub-process
// with a double border, a decision as a diamond; plus the stage gate (a hexagon), timer,
// parallel split/join and plugin actions. Sizes come from geometry.ts (the BPMN sizes), so
// the canvas, the BPMN file and the exported picture agree. Memoised: during a drag only the
// moved node's props change.

const SIDES = [
  ["top", Position.Top],
  ["right", Position.Right],
  ["bottom", Position.Bottom],
  ["left", Position.Left],
] as const;

/** Small shapes (events, gateways) carry their name underneath, as BPMN tools draw them. */
const LABEL_BELOW = new Set<WorkflowNode["kind"]>(["start", "end", "timer", "decision", "parallel"]);

function Outline({ node, w, h }: { node: WorkflowNode; w: number; h: number }) {
  const common = { className: "masar-shape__outline" };
  switch (node.kind) {
    case "start":
      return <circle {...common} cx={w / 2} cy={h / 2} r={w / 2 - 1.5} strokeWidth={2} />;
    case "end":
      return <circle {...common} cx={w / 2} cy={h / 2} r={w / 2 - 2.5} strokeWidth={4} />;
    case "timer":
      return (
        <g>
          <circle {...common} cx={w / 2} cy={h / 2} r={w / 2 - 1.5} strokeWidth={1.5} />
          <circle className="masar-shape__inner" cx={w / 2} cy={h / 2} r={w / 2 - 5} />
          <path className="masar-shape__glyph" d={`M${w / 2} ${h / 2 - 8} V${h / 2} L${w / 2 + 6} ${h / 2 + 3}`} />
        </g>
      );
    case "decision":
    case "parallel": {
      const d = `M${w / 2} 1 L${w - 1} ${h / 2} L${w / 2} ${h - 1} L1 ${h / 2} Z`;
      return (
        <g>
          <path {...common} d={d} strokeWidth={2} />
          {node.kind === "parallel" ? <path className="masar-shape__glyph masar-shape__glyph--bold" d={`M${w / 2} ${h / 2 - 11} V${h / 2 + 11} M${w / 2 - 11} ${h / 2} H${w / 2 + 11}`} /> : null}
        </g>
      );
    }
    case "gate":
      return <path {...common} d={`M14 1 H${w - 14} L${w - 1} ${h / 2} L${w - 14} ${h - 1} H14 L1 ${h / 2} Z`} strokeWidth={2} />;
    case "subprocess":
      return (
        <g>
          <rect {...common} x={1} y={1} width={w - 2} height={h - 2} rx={6} strokeWidth={2} />
          <rect className="masar-shape__inner" x={5} y={5} width={w - 10} height={h - 10} rx={4} />
          <path className="masar-shape__glyph" d={`M${w / 2 - 6} ${h - 13} h12 M${w / 2} ${h - 19} v12`} />
        </g>
      );
    case "action":
      return <rect {...common} x={1} y={1} width={w - 2} height={h - 2} rx={10} strokeWidth={2} strokeDasharray="6 3" />;
    case "task":
      if (node.producesDocument) {
        return <path {...common} d={`M1 1 H${w - 1} V${h - 12} C${w * 0.75} ${h - 24}, ${w * 0.25} ${h + 2}, 1 ${h - 10} Z`} strokeWidth={2} />;
      }
      return <rect {...common} x={1} y={1} width={w - 2} height={h - 2} rx={8} strokeWidth={2} />;
  }
}

function ShapeNodeImpl({ data, width = 100, height = 80, selected }: NodeProps<ShapeNodeType>) {
  const { node, label, caption, severity, highlight, readOnly } = data;
  const below = LABEL_BELOW.has(node.kind);
  const classes = [
    "masar-shape",
    `masar-shape--${node.kind}`,
    node.kind === "task" && node.producesDocument ? "masar-shape--document" : "",
    selected ? "is-selected" : "",
    severity ? `has-${severity}` : "",
    highlight ? `is-${highlight}` : "",
  ].join(" ");
  return (
    <div className={classes} style={{ width, height }} data-kind={node.kind} data-node-id={node.id}>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true" className="masar-shape__svg">
        <Outline node={node} w={width} h={height} />
      </svg>
      {below ? (
        label ? (
          <div className="masar-shape__label masar-shape__label--below" dir="auto">
            {label}
          </div>
        ) : null
      ) : (
        <div className="masar-shape__label" dir="auto">
          {node.kind === "gate" ? <span className="masar-shape__icon" aria-hidden="true">✓ </span> : null}
          {node.kind === "action" ? <span className="masar-shape__icon" aria-hidden="true">⚙ </span> : null}
          <span className="masar-shape__name">{label}</span>
          {caption ? <span className="masar-shape__caption">{caption}</span> : null}
        </div>
      )}
      {severity ? (
        <span className={`masar-shape__badge masar-shape__badge--${severity}`} aria-hidden="true">
          !
        </span>
      ) : null}
      {SIDES.map(([id, position]) => (
        <Handle key={id} id={id} type="source" position={position} className="masar-handle" isConnectable={!readOnly} />
      ))}
    </div>
  );
}

export const ShapeNode = memo(ShapeNodeImpl);
