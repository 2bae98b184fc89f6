import type { DefinitionGraph, Edge, Localised, WorkflowNode } from "~/engine/definition";
import { diagramLayout, edgePoints, type Bounds, type Point } from "~/engine/geometry";

// A definition as a standalone SVG for the service guide: the pool and its lanes, the shapes
// of the service flowchart (terminators for start and end, rectangles for steps, a diamond for
// a decision, a double border for a sub-step, the document shape for a step that produces an
// official document) plus gate, timer, parallel and action shapes, and the flow lines with
// arrowheads — all from geometry.ts, the same picture the designer and the BPMN export use.
// Pure string building (works on the server, in tests and in the browser); every text and
// attribute goes through esc().

export type Highlight = "added" | "removed" | "changed" | "active";

export interface SvgOptions {
  locale: "ar" | "en";
  /** Element ids (nodes, edges, lanes: one id space) to mark. */
  highlight?: Map<string, Highlight>;
  /** Words for the gate outcomes on unnamed gate edges (from the diagram namespace). */
  outcomeLabels?: Partial<Record<"go" | "no-go" | "rework", string>>;
  /** For showing inside a page: as wide as its container at most, the height following. Files keep their pixel size. */
  fitWidth?: boolean;
}

const FONT = "'Noto Sans Arabic', 'Noto Naskh Arabic', 'Noto Sans', 'Segoe UI', Tahoma, 'Geeza Pro', 'Arial Unicode MS', Arial, sans-serif";
const INK = "#1f2933";
const LINE = "#52606d";
const MARK: Record<Highlight, { stroke: string; fill: string }> = {
  added: { stroke: "#2b8a3e", fill: "#ebfbee" },
  removed: { stroke: "#c92a2a", fill: "#fff5f5" },
  changed: { stroke: "#e67700", fill: "#fff9db" },
  active: { stroke: "#1864ab", fill: "#e7f5ff" },
};
const FILL: Partial<Record<WorkflowNode["kind"], string>> = { start: "#e6fcf5", end: "#f1f3f5", decision: "#fff9db", parallel: "#f3f0ff", gate: "#f8f0fc", timer: "#e7f5ff" };

/** XML-escapes text and attribute values; drops characters XML 1.0 cannot carry. */
export function esc(value: string): string {
  return (
    value
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#39;")
  );
}

const n2 = (v: number) => String(Math.round(v * 10) / 10);

export function graphToSvg(graph: DefinitionGraph, opts: SvgOptions): string {
  const layout = diagramLayout(graph);
  const label = (l: Localised | undefined) => (l ? (l[opts.locale] || l[opts.locale === "ar" ? "en" : "ar"]).trim() : "");
  const rtl = opts.locale === "ar";
  const mark = (id: string) => opts.highlight?.get(id);
  const vertical = layout.orientation === "vertical";

  const routes = graph.edges.flatMap((e) => {
    const s = layout.nodes.get(e.source);
    const t = layout.nodes.get(e.target);
    return s && t ? [{ edge: e, points: edgePoints(e, s, t) }] : [];
  });
  // The drawing's extent: pool, shapes, lines and the labels under small shapes.
  const boxes: Bounds[] = [...layout.nodes.values()].map((b) => ({ ...b, height: b.height + (b.height < 80 ? 34 : 0) }));
  if (graph.lanes.length) boxes.push(layout.pool);
  for (const r of routes) for (const p of r.points) boxes.push({ ...p, width: 0, height: 0 });
  const minX = Math.min(...boxes.map((b) => b.x)) - 20;
  const minY = Math.min(...boxes.map((b) => b.y)) - 20;
  const width = Math.max(...boxes.map((b) => b.x + b.width)) + 20 - minX;
  const height = Math.max(...boxes.map((b) => b.y + b.height)) + 20 - minY;

  const text = (x: number, y: number, lines: string[], size: number, extra = "") =>
    lines.length
      ? `<text x="${n2(x)}" y="${n2(y)}" font-size="${size}" text-anchor="middle" direction="${rtl ? "rtl" : "ltr"}" fill="${INK}"${extra}>${lines
          .map((line, i) => `<tspan x="${n2(x)}" dy="${i === 0 ? 0 : n2(size * 1.25)}">${esc(line)}</tspan>`)
          .join("")}</text>`
      : "";

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" ${opts.fitWidth ? `width="100%" style="max-width: ${n2(width)}px; height: auto"` : `width="${n2(width)}" height="${n2(height)}"`} viewBox="${n2(minX)} ${n2(minY)} ${n2(width)} ${n2(height)}" xml:lang="${opts.locale}" font-family="${esc(FONT)}">`,
    `<title>${esc(label(graph.name))}</title>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${LINE}"/></marker>`,
    ...(Object.keys(MARK) as Highlight[]).map((k) => `<marker id="arrow-${k}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${MARK[k].stroke}"/></marker>`),
    `</defs>`,
    `<rect x="${n2(minX)}" y="${n2(minY)}" width="${n2(width)}" height="${n2(height)}" fill="#ffffff"/>`,
  );

  if (graph.lanes.length) {
    const p = layout.pool;
    out.push(`<g class="pool"><rect x="${n2(p.x)}" y="${n2(p.y)}" width="${n2(p.width)}" height="${n2(p.height)}" fill="none" stroke="${LINE}" stroke-width="1.5"/>`);
    out.push(
      vertical
        ? text(p.x + p.width / 2, p.y + 20, [label(graph.name)], 13, ` font-weight="bold"`)
        : text(p.x + 19, p.y + p.height / 2, [label(graph.name)], 13, ` font-weight="bold" transform="rotate(-90 ${n2(p.x + 19)} ${n2(p.y + p.height / 2)})"`),
      `</g>`,
    );
    for (const lane of graph.lanes) {
      const b = layout.lanes.get(lane.id)!;
      const m = mark(lane.id);
      out.push(
        `<g class="lane" data-lane-id="${esc(lane.id)}"${m ? ` data-highlight="${m}"` : ""}><rect x="${n2(b.x)}" y="${n2(b.y)}" width="${n2(b.width)}" height="${n2(b.height)}" fill="${m ? MARK[m].fill : "none"}" stroke="${m ? MARK[m].stroke : LINE}" stroke-width="${m ? 2.5 : 1}"${m === "removed" ? ` stroke-dasharray="6 4"` : ""}/>`,
      );
      // The lane's name at its reading-start edge (columns: along the top).
      if (vertical) out.push(text(b.x + b.width / 2, b.y + 15, [label(lane.name)], 12, ` font-weight="bold"`));
      else {
        const x = rtl ? b.x + b.width - 12 : b.x + 12;
        out.push(text(x, b.y + b.height / 2, [label(lane.name)], 12, ` font-weight="bold" transform="rotate(${rtl ? 90 : -90} ${n2(x)} ${n2(b.y + b.height / 2)})"`));
      }
      out.push(`</g>`);
    }
  }

  for (const { edge, points } of routes) out.push(edgeSvg(edge, points, mark(edge.id), edgeLabel(edge, label, opts), text));
  for (const node of graph.nodes) out.push(nodeSvg(node, layout.nodes.get(node.id)!, mark(node.id), wrap(label(node.name), node), text));
  out.push(`</svg>`);
  return out.join("\n");
}

function edgeLabel(edge: Edge, label: (l: Localised | undefined) => string, opts: SvgOptions): string {
  const named = label(edge.name);
  if (named) return named;
  if (edge.outcome) return opts.outcomeLabels?.[edge.outcome] ?? "";
  return edge.condition?.trim() ?? "";
}

type TextFn = (x: number, y: number, lines: string[], size: number, extra?: string) => string;

function edgeSvg(edge: Edge, points: Point[], m: Highlight | undefined, words: string, text: TextFn): string {
  const stroke = m ? MARK[m].stroke : LINE;
  const parts = [
    `<g class="edge" data-edge-id="${esc(edge.id)}"${m ? ` data-highlight="${m}"` : ""}>`,
    `<polyline points="${points.map((p) => `${n2(p.x)},${n2(p.y)}`).join(" ")}" fill="none" stroke="${stroke}" stroke-width="${m ? 2.5 : 1.5}"${m === "removed" ? ` stroke-dasharray="6 4"` : ""} marker-end="url(#${m ? `arrow-${m}` : "arrow"})"/>`,
  ];
  if (edge.isDefault && points.length >= 2) {
    // BPMN's default-flow slash near the source.
    const [a, b] = [points[0]!, points[1]!];
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const [ux, uy] = [(b.x - a.x) / len, (b.y - a.y) / len];
    const c = { x: a.x + ux * 12, y: a.y + uy * 12 };
    parts.push(`<line x1="${n2(c.x - uy * 5 - ux * 3)}" y1="${n2(c.y + ux * 5 - uy * 3)}" x2="${n2(c.x + uy * 5 + ux * 3)}" y2="${n2(c.y - ux * 5 + uy * 3)}" stroke="${stroke}" stroke-width="1.5"/>`);
  }
  if (words) {
    // On the middle of the longest segment, just above the line.
    let best = 0;
    for (let i = 1; i < points.length - 1; i++) {
      const d = (k: number) => Math.hypot(points[k + 1]!.x - points[k]!.x, points[k + 1]!.y - points[k]!.y);
      if (d(i) > d(best)) best = i;
    }
    const [a, b] = [points[best]!, points[best + 1]!];
    const short = words.length > 40 ? `${words.slice(0, 39)}…` : words;
    parts.push(text((a.x + b.x) / 2, (a.y + b.y) / 2 - 5, [short], 10, ` class="edge-label"`));
  }
  parts.push(`</g>`);
  return parts.join("");
}

/** Lines of a label: up to three inside an activity, two under a small shape. */
function wrap(words: string, node: WorkflowNode): string[] {
  if (!words) return [];
  const small = node.kind === "start" || node.kind === "end" || node.kind === "timer" || node.kind === "decision" || node.kind === "parallel";
  const max = small ? 22 : 16;
  const maxLines = small ? 2 : 3;
  const lines: string[] = [];
  let line = "";
  for (const word of words.split(/\s+/)) {
    if (line && (line + " " + word).length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  if (lines.length > maxLines) {
    lines.length = maxLines;
    lines[maxLines - 1] = `${lines[maxLines - 1]!.slice(0, max - 1)}…`;
  }
  return lines.map((l) => (l.length > max + 4 ? `${l.slice(0, max + 3)}…` : l));
}

function nodeSvg(node: WorkflowNode, b: Bounds, m: Highlight | undefined, lines: string[], text: TextFn): string {
  const stroke = m ? MARK[m].stroke : INK;
  const fill = m ? MARK[m].fill : (FILL[node.kind] ?? "#ffffff");
  const sw = m ? 3 : node.kind === "end" ? 3 : 1.5;
  const dash = m === "removed" ? ` stroke-dasharray="6 4"` : "";
  const paint = `fill="${fill}" stroke="${stroke}" stroke-width="${sw}"${dash}`;
  const { x, y, width: w, height: h } = b;
  const cx = x + w / 2;
  const cy = y + h / 2;
  const diamond = `${n2(cx)},${n2(y)} ${n2(x + w)},${n2(cy)} ${n2(cx)},${n2(y + h)} ${n2(x)},${n2(cy)}`;
  let shape: string;
  let inside = true;
  switch (node.kind) {
    case "start":
    case "end":
      // The flowchart terminator (a stadium; at event size, a circle).
      shape = `<rect x="${n2(x)}" y="${n2(y)}" width="${n2(w)}" height="${n2(h)}" rx="${n2(h / 2)}" ${paint}/>`;
      inside = false;
      break;
    case "decision":
      shape = `<polygon points="${diamond}" ${paint}/>`;
      inside = false;
      break;
    case "parallel":
      shape = `<polygon points="${diamond}" ${paint}/><path d="M${n2(cx)},${n2(y + 12)} V${n2(y + h - 12)} M${n2(x + 12)},${n2(cy)} H${n2(x + w - 12)}" stroke="${stroke}" stroke-width="3"/>`;
      inside = false;
      break;
    case "timer":
      shape = `<circle cx="${n2(cx)}" cy="${n2(cy)}" r="${n2(w / 2)}" ${paint}/><circle cx="${n2(cx)}" cy="${n2(cy)}" r="${n2(w / 2 - 4)}" fill="none" stroke="${stroke}"/><path d="M${n2(cx)},${n2(cy)} V${n2(cy - 10)} M${n2(cx)},${n2(cy)} H${n2(cx + 7)}" stroke="${stroke}" stroke-width="1.5"/>`;
      inside = false;
      break;
    case "gate":
      // A stage gate: an elongated hexagon.
      shape = `<polygon points="${n2(x + 14)},${n2(y)} ${n2(x + w - 14)},${n2(y)} ${n2(x + w)},${n2(cy)} ${n2(x + w - 14)},${n2(y + h)} ${n2(x + 14)},${n2(y + h)} ${n2(x)},${n2(cy)}" ${paint}/>`;
      break;
    case "subprocess":
      // The sub-step: a double border.
      shape = `<rect x="${n2(x)}" y="${n2(y)}" width="${n2(w)}" height="${n2(h)}" ${paint}/><rect x="${n2(x + 4)}" y="${n2(y + 4)}" width="${n2(w - 8)}" height="${n2(h - 8)}" fill="none" stroke="${stroke}" stroke-width="1"/>`;
      break;
    case "action":
      // A plugin action: a dashed rounded rectangle (as in the designer's palette) with a bolt.
      shape = `<rect x="${n2(x)}" y="${n2(y)}" width="${n2(w)}" height="${n2(h)}" rx="10" ${paint}${dash ? "" : ` stroke-dasharray="5 3"`}/><path d="M${n2(x + 10)},${n2(y + 6)} l-4,9 h5 l-3,9 l9,-12 h-5 l3,-6 z" fill="${stroke}"/>`;
      break;
    case "task":
      shape = node.producesDocument
        ? // The document shape: a wavy bottom edge.
          `<path d="M${n2(x)},${n2(y)} H${n2(x + w)} V${n2(y + h - 8)} C${n2(x + w * 0.75)},${n2(y + h - 20)} ${n2(x + w * 0.5)},${n2(y + h + 8)} ${n2(x + w * 0.25)},${n2(y + h - 4)} S${n2(x + 6)},${n2(y + h - 12)} ${n2(x)},${n2(y + h - 6)} Z" ${paint}/>`
        : `<rect x="${n2(x)}" y="${n2(y)}" width="${n2(w)}" height="${n2(h)}" rx="4" ${paint}/>`;
      break;
  }
  const size = 11;
  const words = inside
    ? text(cx, cy - ((lines.length - 1) * size * 1.25) / 2 + size * 0.35, lines, size)
    : text(cx, y + h + 14, lines, size);
  return `<g class="node node-${node.kind}" data-node-id="${esc(node.id)}" data-kind="${node.kind}"${m ? ` data-highlight="${m}"` : ""}>${shape}${words}</g>`;
}
