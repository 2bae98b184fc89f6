import type { DefinitionGraph, Edge, Localised, WorkflowNode } from "~/engine/definition";
import { diagramLayout, edgePoints, parallelOffsets, POOL_LABEL, type Bounds, type Point } from "~/engine/geometry";

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

/** Baseline to baseline of a label's lines, in font sizes. */
const LEADING = 1.25;
/** Room kept between a lane's (or the pool's) name and the ends of its band. */
const NAME_INSET = 8;

// Character classes for estimating a text's width without font metrics (a file, a test and
// the server have none): the fonts of FONT run about half an em per character on average;
// the estimate errs on the wide side so a label's box holds what a browser draws.
const NARROW = /[\s.,:;'!|()[\]ilIjtfr\u0627\u0623\u0625\u0622\u0671\u0644\u0640]/u;
/** Marks (Arabic vowel signs…) and invisible direction controls take no width of their own. */
const NO_WIDTH = /[\p{M}\u200B-\u200F\u2066-\u2069]/u;
const WIDE = /[MWmw@%\u0633\u0634\u0635\u0636\u2026]/u;

/** The estimated width of one line of text (in user units) at `size`, bold or not. */
export function textWidth(text: string, size: number, bold = false): number {
  let em = 0;
  for (const ch of text) em += NO_WIDTH.test(ch) ? 0 : NARROW.test(ch) ? 0.34 : WIDE.test(ch) ? 0.92 : /[A-Z0-9]/.test(ch) ? 0.7 : 0.62;
  return em * size * (bold ? 1.08 : 1);
}

/**
 * A name in at most `maxLines` lines no wider than `max` (by textWidth): one line when it
 * fits, else split between words where the longer line is shortest; a line still too long
 * ends in "…".
 */
export function fitLines(text: string, size: number, bold: boolean, max: number, maxLines = 2): string[] {
  const fits = (line: string) => textWidth(line, size, bold) <= max;
  if (!text) return [];
  if (fits(text)) return [text];
  let lines = [text];
  const words = text.split(/\s+/);
  if (maxLines >= 2 && words.length > 1) {
    let best = Infinity;
    for (let i = 1; i < words.length; i++) {
      const pair = [words.slice(0, i).join(" "), words.slice(i).join(" ")];
      const widest = Math.max(...pair.map((l) => textWidth(l, size, bold)));
      if (widest < best) [best, lines] = [widest, pair];
    }
  }
  return lines.map((line) => {
    if (fits(line)) return line;
    const chars = [...line];
    while (chars.length > 1 && !fits(`${chars.join("").trimEnd()}…`)) chars.pop();
    return `${chars.join("").trimEnd()}…`;
  });
}

interface TextOptions {
  bold?: boolean;
  /** Degrees about the first baseline's anchor (x, y), as SVG's rotate(). */
  rotate?: number;
  className?: string;
}

/** The box a label's lines take (text-anchor middle, the first baseline at y), rotation included. */
export function labelBox(x: number, y: number, lines: string[], size: number, opts: TextOptions = {}): Bounds {
  const w = Math.max(0, ...lines.map((l) => textWidth(l, size, opts.bold)));
  // Arabic script reaches high above and below the baseline (dots, marks, descenders).
  const top = y - size;
  const bottom = y + (lines.length - 1) * size * LEADING + size * 0.45;
  const corners = [
    [x - w / 2, top],
    [x + w / 2, top],
    [x - w / 2, bottom],
    [x + w / 2, bottom],
  ].map(([px, py]) => {
    if (!opts.rotate) return [px!, py!];
    const a = (opts.rotate * Math.PI) / 180;
    const [dx, dy] = [px! - x, py! - y];
    return [x + dx * Math.cos(a) - dy * Math.sin(a), y + dx * Math.sin(a) + dy * Math.cos(a)];
  });
  const xs = corners.map((c) => c[0]!);
  const ys = corners.map((c) => c[1]!);
  return { x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) };
}

/** Between the shapes and labels inside the pool and its outer edge. */
const GAP = 4;

type Extent = { left: number; top: number; right: number; bottom: number };

function extentOf(boxes: Bounds[]): Extent {
  return {
    left: Math.min(...boxes.map((b) => b.x)),
    top: Math.min(...boxes.map((b) => b.y)),
    right: Math.max(...boxes.map((b) => b.x + b.width)),
    bottom: Math.max(...boxes.map((b) => b.y + b.height)),
  };
}

export function graphToSvg(graph: DefinitionGraph, opts: SvgOptions): string {
  const layout = diagramLayout(graph);
  const label = (l: Localised | undefined) => (l ? (l[opts.locale] || l[opts.locale === "ar" ? "en" : "ar"]).trim() : "");
  const rtl = opts.locale === "ar";
  const mark = (id: string) => opts.highlight?.get(id);
  const vertical = layout.orientation === "vertical";

  const offsets = parallelOffsets(graph.edges);
  const routes = graph.edges.flatMap((e) => {
    const s = layout.nodes.get(e.source);
    const t = layout.nodes.get(e.target);
    const offset = offsets.get(e.id) ?? 0;
    return s && t ? [{ edge: e, points: edgePoints(e, s, t, offset), offset }] : [];
  });

  // Every label drawn leaves its estimated box here: the drawing's extent includes them all.
  const labels: Bounds[] = [];
  const text: TextFn = (x, y, lines, size, o = {}) => {
    if (!lines.length) return "";
    labels.push(labelBox(x, y, lines, size, o));
    const extra = `${o.bold ? ` font-weight="bold"` : ""}${o.className ? ` class="${o.className}"` : ""}${o.rotate ? ` transform="rotate(${o.rotate} ${n2(x)} ${n2(y)})"` : ""}`;
    return `<text x="${n2(x)}" y="${n2(y)}" font-size="${size}" text-anchor="middle" direction="${rtl ? "rtl" : "ltr"}" fill="${INK}"${extra}>${lines
      .map((line, i) => `<tspan x="${n2(x)}" dy="${i === 0 ? 0 : n2(size * LEADING)}">${esc(line)}</tspan>`)
      .join("")}</text>`;
  };

  // The flow first (drawn last, over the lanes): the lanes are then drawn around it.
  const flow: string[] = [];
  for (const { edge, points, offset } of routes) flow.push(edgeSvg(edge, points, mark(edge.id), edgeLabel(edge, label, opts), text, offset));
  for (const node of graph.nodes) flow.push(nodeSvg(node, layout.nodes.get(node.id)!, mark(node.id), wrap(label(node.name), node), text));
  const content: Bounds[] = [...layout.nodes.values(), ...labels];
  for (const r of routes) for (const p of r.points) content.push({ ...p, width: 0, height: 0 });

  const lanesSvg: string[] = [];
  let pool: Bounds | undefined;
  if (graph.lanes.length) {
    const laid = graph.lanes.map((lane) => layout.lanes.get(lane.id)!);
    const band = extentOf(laid);
    const inner = extentOf(content);
    // The lanes as drawn: stretched (never shrunk) so every shape and label lies inside the
    // pool, and the lane names have their room at the reading-start edge (columns: the top)
    // before the first shape or hanging label.
    const drawn = (b: Bounds, e: Extent): Bounds => {
      const [x0, y0, x1, y1] = [b.x, b.y, b.x + b.width, b.y + b.height];
      const left = vertical && x0 > band.left + 0.5 ? x0 : e.left;
      const right = vertical && x1 < band.right - 0.5 ? x1 : e.right;
      const top = !vertical && y0 > band.top + 0.5 ? y0 : e.top;
      const bottom = !vertical && y1 < band.bottom - 0.5 ? y1 : e.bottom;
      return { x: left, y: top, width: right - left, height: bottom - top };
    };
    const across: Extent = vertical
      ? { ...band, left: Math.min(band.left, inner.left - GAP), right: Math.max(band.right, inner.right + GAP) }
      : { ...band, top: Math.min(band.top, inner.top - GAP), bottom: Math.max(band.bottom, inner.bottom + GAP) };
    const names = graph.lanes.map((lane) => label(lane.name));
    const lines = laid.map((b, i) => {
      const d = drawn(b, across);
      return fitLines(names[i]!, 12, true, (vertical ? d.width : d.height) - 2 * NAME_INSET);
    });
    const twoLines = lines.some((l) => l.length > 1);
    // From the lane's edge: the first name line's baseline, and the room the name takes.
    const [baseline, room] = vertical ? (twoLines ? [13, 36] : [15, 20]) : twoLines ? [12, 35] : [12, 20];
    const extent: Extent = vertical
      ? { ...across, top: Math.min(band.top, inner.top - room), bottom: Math.max(band.bottom, inner.bottom + GAP) }
      : {
          ...across,
          left: Math.min(band.left, inner.left - (rtl ? GAP : room)),
          right: Math.max(band.right, inner.right + (rtl ? room : GAP)),
        };
    // The pool's strip with its name: left of the lanes (columns: above them).
    const p: Bounds = vertical
      ? { x: extent.left, y: extent.top - POOL_LABEL, width: extent.right - extent.left, height: extent.bottom - extent.top + POOL_LABEL }
      : { x: extent.left - POOL_LABEL, y: extent.top, width: extent.right - extent.left + POOL_LABEL, height: extent.bottom - extent.top };
    pool = p;
    lanesSvg.push(`<g class="pool"><rect x="${n2(p.x)}" y="${n2(p.y)}" width="${n2(p.width)}" height="${n2(p.height)}" fill="none" stroke="${LINE}" stroke-width="1.5"/>`);
    // The pool's name in its strip: one line when it fits, else two a size smaller.
    const poolName = label(graph.name);
    const poolLength = (vertical ? p.width : p.height) - 2 * NAME_INSET;
    const single = textWidth(poolName, 13, true) <= poolLength;
    const poolLines = single ? [poolName] : fitLines(poolName, 12, true, poolLength);
    const [size, inset] = single ? [13, vertical ? 20 : 19] : [12, 12];
    lanesSvg.push(
      vertical
        ? text(p.x + p.width / 2, p.y + inset, poolLines, size, { bold: true })
        : text(p.x + inset, p.y + p.height / 2, poolLines, size, { bold: true, rotate: -90 }),
      `</g>`,
    );
    graph.lanes.forEach((lane, i) => {
      const b = drawn(laid[i]!, extent);
      const m = mark(lane.id);
      const name = names[i]!;
      // The lane's name at its reading-start edge (columns: along the top), within its band:
      // wrapped into two lines when long (the second further in), "…" past that.
      const whole = lines[i]!.join(" ") === name.replace(/\s+/g, " ") ? "" : `<title>${esc(name)}</title>`;
      lanesSvg.push(
        `<g class="lane" data-lane-id="${esc(lane.id)}"${m ? ` data-highlight="${m}"` : ""}>${whole}<rect x="${n2(b.x)}" y="${n2(b.y)}" width="${n2(b.width)}" height="${n2(b.height)}" fill="${m ? MARK[m].fill : "none"}" stroke="${m ? MARK[m].stroke : LINE}" stroke-width="${m ? 2.5 : 1}"${m === "removed" ? ` stroke-dasharray="6 4"` : ""}/>`,
      );
      if (vertical) lanesSvg.push(text(b.x + b.width / 2, b.y + baseline, lines[i]!, 12, { bold: true }));
      else {
        const x = rtl ? b.x + b.width - baseline : b.x + baseline;
        lanesSvg.push(text(x, b.y + b.height / 2, lines[i]!, 12, { bold: true, rotate: rtl ? 90 : -90 }));
      }
      lanesSvg.push(`</g>`);
    });
  }

  // The drawing's extent: pool, shapes, lines and every label.
  const all = extentOf(pool ? [...content, ...labels, pool] : [...content, ...labels]);
  const minX = all.left - 20;
  const minY = all.top - 20;
  const width = all.right + 20 - minX;
  const height = all.bottom + 20 - minY;

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" ${opts.fitWidth ? `width="100%" style="max-width: ${n2(width)}px; height: auto"` : `width="${n2(width)}" height="${n2(height)}"`} viewBox="${n2(minX)} ${n2(minY)} ${n2(width)} ${n2(height)}" xml:lang="${opts.locale}" font-family="${esc(FONT)}">`,
    `<title>${esc(label(graph.name))}</title>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${LINE}"/></marker>`,
    ...(Object.keys(MARK) as Highlight[]).map((k) => `<marker id="arrow-${k}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${MARK[k].stroke}"/></marker>`),
    `</defs>`,
    `<rect x="${n2(minX)}" y="${n2(minY)}" width="${n2(width)}" height="${n2(height)}" fill="#ffffff"/>`,
    ...lanesSvg,
    ...flow,
    `</svg>`,
  ].join("\n");
}

function edgeLabel(edge: Edge, label: (l: Localised | undefined) => string, opts: SvgOptions): string {
  const named = label(edge.name);
  if (named) return named;
  if (edge.outcome) return opts.outcomeLabels?.[edge.outcome] ?? "";
  return edge.condition?.trim() ?? "";
}

type TextFn = (x: number, y: number, lines: string[], size: number, opts?: TextOptions) => string;

/** `offset`: how far a parallel flow was moved sideways; its label also moves that far along the line, so labels of parallel flows never sit side by side. */
function edgeSvg(edge: Edge, points: Point[], m: Highlight | undefined, words: string, text: TextFn, offset = 0): string {
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
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const short = words.length > 40 ? `${words.slice(0, 39)}…` : words;
    parts.push(text((a.x + b.x) / 2 + ((b.x - a.x) / len) * offset, (a.y + b.y) / 2 + ((b.y - a.y) / len) * offset - 5, [short], 10, { className: "edge-label" }));
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
