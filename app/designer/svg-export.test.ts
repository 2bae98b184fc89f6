import { describe, expect, it } from "vitest";
import { graph, fullFlowSpec } from "~/engine/testing";
import { certificateDefinition } from "../../seeds/workflows";
import { esc, graphToSvg } from "./svg-export";

/** A small well-formedness check: balanced tags, quoted attributes, no raw < or stray & in text or values. */
function wellFormed(xml: string): string | null {
  const stack: string[] = [];
  const entity = /&(amp|lt|gt|quot|#\d+|#x[0-9a-f]+);/gi;
  const tokens = xml.split(/(<[^>]*>)/);
  for (const tok of tokens) {
    if (!tok.startsWith("<")) {
      if (tok.includes(">") || tok.replace(entity, "").includes("&")) return `bad text: ${tok.slice(0, 40)}`;
      continue;
    }
    const m = /^<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>$/.exec(tok);
    if (!m) return `bad tag: ${tok.slice(0, 60)}`;
    for (const value of m[3]!.matchAll(/="([^"]*)"/g)) if (value[1]!.replace(entity, "").includes("&")) return `bad attribute: ${value[1]}`;
    if (m[1]) {
      if (stack.pop() !== m[2]) return `unbalanced </${m[2]}>`;
    } else if (!m[4]) stack.push(m[2]!);
  }
  return stack.length ? `unclosed <${stack.at(-1)}>` : null;
}

describe("graphToSvg", () => {
  it("draws every lane, node and edge of the certificate flow as well-formed SVG, Arabic right to left", () => {
    const g = certificateDefinition();
    const svg = graphToSvg(g, { locale: "ar" });
    expect(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")).toBe(true);
    expect(wellFormed(svg)).toBeNull();
    for (const n of g.nodes) expect(svg).toContain(`data-node-id="${n.id}"`);
    for (const e of g.edges) expect(svg).toContain(`data-edge-id="${e.id}"`);
    for (const l of g.lanes) expect(svg).toContain(`data-lane-id="${l.id}"`);
    expect(svg).toContain('direction="rtl"');
    expect(svg).toContain("Noto Sans Arabic");
    expect(svg).toContain("استلام الطلب");
    expect(svg).toContain('marker-end="url(#arrow)"');
    // The step that produces the certificate has the document shape (a path, not a rectangle).
    expect(svg).toMatch(/data-node-id="deliver" data-kind="task"><path /);
    expect(svg).toMatch(/data-node-id="eligible" data-kind="decision"><polygon /);
  });

  it("uses English labels left to right for the English locale", () => {
    const svg = graphToSvg(certificateDefinition(), { locale: "en" });
    expect(svg).toContain(">Receive the</tspan>");
    expect(svg).toContain('direction="ltr"');
    expect(svg).not.toContain('direction="rtl"');
  });

  it("escapes hostile labels, ids stay attributes, nothing can inject markup", () => {
    const [nodes, edges] = fullFlowSpec();
    const g = graph(nodes, edges);
    const evil = `</text><script>alert("x")</script><a href='javascript:1'>&amp;\u0001`;
    g.nodes[1] = { ...g.nodes[1]!, name: { ar: evil, en: evil } };
    g.name = { ar: evil, en: evil };
    g.edges[2] = { ...g.edges[2]!, name: { ar: evil, en: evil } };
    g.lanes[0] = { ...g.lanes[0]!, name: { ar: evil, en: evil } };
    const svg = graphToSvg(g, { locale: "ar" });
    expect(wellFormed(svg)).toBeNull();
    expect(svg).not.toContain("<script");
    expect(svg).not.toContain("<a ");
    expect(svg).toContain("&lt;/text&gt;&lt;script&gt;");
    expect(svg).not.toContain("\u0001");
    for (const n of g.nodes) expect(svg).toContain(`data-node-id="${n.id}"`);
  });

  it("draws each kind with its own shape and marks highlighted elements", () => {
    const [nodes, edges] = fullFlowSpec();
    const g = graph(nodes, edges);
    const svg = graphToSvg(g, {
      locale: "en",
      highlight: new Map([
        ["t1", "active"],
        ["t3", "added"],
        ["t2", "removed"],
        ["gate-sub", "changed"],
      ]),
      outcomeLabels: { go: "Go", "no-go": "No-go", rework: "Rework" },
    });
    expect(wellFormed(svg)).toBeNull();
    for (const kind of ["start", "end", "task", "decision", "parallel", "gate", "timer", "subprocess", "action"]) expect(svg).toContain(`data-kind="${kind}"`);
    expect(svg).toMatch(/data-node-id="t1" data-kind="task" data-highlight="active"/);
    expect(svg).toMatch(/data-node-id="t2" data-kind="task" data-highlight="removed"><rect [^>]*stroke-dasharray/);
    expect(svg).toMatch(/data-edge-id="gate-sub" data-highlight="changed"/);
    expect(svg).toContain(">Rework<");
    // Sub-step: two rectangles (the double border).
    expect(svg).toMatch(/data-node-id="sub" data-kind="subprocess"><rect [^>]*\/><rect /);
  });

  it("sizes the file in pixels, or fits the width of a page", () => {
    const g = certificateDefinition();
    expect(graphToSvg(g, { locale: "ar" })).toMatch(/^<svg [^>]*width="\d+(\.\d)?" height="\d+(\.\d)?"/);
    const fitted = graphToSvg(g, { locale: "ar", fitWidth: true });
    expect(fitted).toMatch(/^<svg [^>]*width="100%" style="max-width: \d+(\.\d)?px; height: auto"/);
    expect(wellFormed(fitted)).toBeNull();
  });

  it("esc handles every special character", () => {
    expect(esc(`<a b="c" d='e'>&`)).toBe("&lt;a b=&quot;c&quot; d=&#39;e&#39;&gt;&amp;");
  });
});
