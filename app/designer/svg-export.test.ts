import { describe, expect, it } from "vitest";
import type { DefinitionGraph } from "~/engine/definition";
import { diagramLayout, type Bounds } from "~/engine/geometry";
import { E, graph, fullFlowSpec, S, T } from "~/engine/testing";
import { certificateDefinition, familyUpdateDefinition, socialAidDefinition } from "../../seeds/workflows";
import { esc, fitLines, graphToSvg, labelBox, textWidth } from "./svg-export";

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
  it("draws a gate's two ways to the same step as two lines whose labels do not overlap (social aid: الموافقة، الرفض)", () => {
    const svg = graphToSvg(socialAidDefinition(), { locale: "ar" });
    const edge = (id: string) => new RegExp(`<g class="edge" data-edge-id="${id}">(.*?)</g>`).exec(svg)![1]!;
    const line = (id: string) => /<polyline points="([^"]+)"/.exec(edge(id))![1];
    expect(line("f_go")).not.toBe(line("f_nogo"));
    const label = (id: string, words: string): Bounds => {
      const m = /<text x="([\d.-]+)" y="([\d.-]+)"/.exec(edge(id))!;
      expect(edge(id)).toContain(words);
      return labelBox(Number(m[1]), Number(m[2]), [words], 10);
    };
    const a = label("f_go", "الموافقة");
    const b = label("f_nogo", "الرفض");
    const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
    expect(apart).toBe(true);
  });

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

const unesc = (v: string) => v.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");

/** Every <text> of an exported SVG with its estimated box, read back from the markup. */
function textsOf(svg: string): { lines: string[]; box: Bounds; at: number }[] {
  return [...svg.matchAll(/<text x="([-\d.]+)" y="([-\d.]+)" font-size="([\d.]+)"([^>]*)>(.*?)<\/text>/g)].map((m) => {
    const rotate = /rotate\(([-\d.]+) /.exec(m[4]!)?.[1];
    const lines = [...m[5]!.matchAll(/<tspan [^>]*>(.*?)<\/tspan>/g)].map((t) => unesc(t[1]!));
    const box = labelBox(Number(m[1]), Number(m[2]), lines, Number(m[3]), { bold: m[4]!.includes('font-weight="bold"'), rotate: rotate ? Number(rotate) : undefined });
    return { lines, box, at: m.index };
  });
}

function viewBoxOf(svg: string): Bounds {
  const m = /viewBox="([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)"/.exec(svg)!;
  return { x: Number(m[1]), y: Number(m[2]), width: Number(m[3]), height: Number(m[4]) };
}

/** Each lane's drawn rectangle and the box of its name. */
function lanesOf(svg: string): { id: string; rect: Bounds; name: Bounds; lines: string[]; title?: string }[] {
  const texts = textsOf(svg);
  return [...svg.matchAll(/<g class="lane" data-lane-id="([^"]+)"[^>]*>(?:<title>([^<]*)<\/title>)?<rect x="([-\d.]+)" y="([-\d.]+)" width="([-\d.]+)" height="([-\d.]+)"[^>]*\/>\n<text/g)].map((m) => {
    const name = texts.find((t) => t.at > m.index)!;
    return { id: m[1]!, title: m[2] && unesc(m[2]), rect: { x: Number(m[3]), y: Number(m[4]), width: Number(m[5]), height: Number(m[6]) }, name: name.box, lines: name.lines };
  });
}

const inside = (inner: Bounds, outer: Bounds) =>
  inner.x >= outer.x - 0.1 && inner.y >= outer.y - 0.1 && inner.x + inner.width <= outer.x + outer.width + 0.1 && inner.y + inner.height <= outer.y + outer.height + 0.1;
const overlap = (a: Bounds, b: Bounds) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Two lanes as columns (a top-to-bottom layout; right to left, the first lane on the right), with long names. */
function columnsFlow(): DefinitionGraph {
  return graph(
    [
      S("start"),
      T("t1", { lane: "a" }),
      T("t2", { lane: "b" }),
      E("end"),
    ].map((n, i) => ({ ...n, lane: i < 2 ? "a" : "b", position: [{ x: 232, y: 0 }, { x: 200, y: 100 }, { x: 0, y: 100 }, { x: 32, y: 250 }][i] })),
    [["start", "t1"], ["t1", "t2"], ["t2", "end"]],
    {
      lanes: [
        { id: "a", name: { ar: "موظف خدمة المتعاملين في المركز", en: "Customer service employee at the centre" }, assignee: { type: "role", roleKey: "staff" } },
        { id: "b", name: { ar: "متخذ القرار", en: "Decision maker" }, assignee: { type: "role", roleKey: "manager" } },
      ],
    },
  );
}

/** No lanes; the end shape at the drawing's left edge with a long name, the start at its right. */
function laneless(): DefinitionGraph {
  const long = { ar: "تم تحديث بيانات الأسرة المستفيدة", en: "Beneficiary family's details updated" };
  return graph(
    [
      { ...E("end"), name: long, position: { x: 0, y: 22 } },
      { ...T("t1"), lane: undefined, name: { ar: "تحديث السجل", en: "Update the record" }, position: { x: 150, y: 0 } },
      { ...S("start"), name: { ar: "تقديم الطلب عبر البوابة الإلكترونية", en: "Request sent on the public portal" }, position: { x: 300, y: 22 } },
    ],
    [["start", "t1"], ["t1", "end"]],
    { lanes: [] },
  );
}

describe("the drawing's bounds", () => {
  const flows: [string, DefinitionGraph][] = [
    ["certificate", certificateDefinition()],
    ["social aid", socialAidDefinition()],
    ["family update", familyUpdateDefinition()],
    ["every kind", graph(...fullFlowSpec())],
    ["columns", columnsFlow()],
    ["no lanes", laneless()],
  ];

  it.each(flows.flatMap(([name, g]) => (["ar", "en"] as const).map((locale) => [name, locale, g] as const)))("hold every label's estimated box: %s (%s)", (_name, locale, g) => {
    const svg = graphToSvg(g, { locale });
    expect(wellFormed(svg)).toBeNull();
    const view = viewBoxOf(svg);
    const texts = textsOf(svg);
    expect(texts.length).toBeGreaterThanOrEqual(g.nodes.length);
    for (const t of texts) expect(inside(t.box, view), `"${t.lines.join(" / ")}" ${JSON.stringify(t.box)} outside ${JSON.stringify(view)}`).toBe(true);
  });

  it("put the labels under the end and start shapes of a flow without lanes inside the drawing", () => {
    for (const locale of ["ar", "en"] as const) {
      const svg = graphToSvg(laneless(), { locale });
      const view = viewBoxOf(svg);
      const end = textsOf(svg).find((t) => t.lines.join(" ").startsWith(locale === "ar" ? "تم تحديث" : "Beneficiary"))!;
      expect(end.box.x).toBeGreaterThanOrEqual(view.x);
      // The end shape sits at x = 0 and its label is wider than the shape: the drawing reaches further left.
      expect(view.x).toBeLessThan(-20);
    }
  });

  it("reads the columns flow as columns", () => {
    expect(diagramLayout(columnsFlow()).orientation).toBe("vertical");
  });

  it.each([
    ["family update", familyUpdateDefinition()],
    ["certificate", certificateDefinition()],
    ["social aid", socialAidDefinition()],
    ["columns", columnsFlow()],
  ] as const)("keep each lane's name inside its lane, clear of the shapes: %s", (_name, g) => {
    const nodes = [...diagramLayout(g).nodes.values()];
    for (const locale of ["ar", "en"] as const) {
      const svg = graphToSvg(g, { locale });
      const lanes = lanesOf(svg);
      expect(lanes.map((l) => l.id)).toEqual(g.lanes.map((l) => l.id));
      for (const lane of lanes) {
        expect(inside(lane.name, lane.rect), `${locale} lane ${lane.id} "${lane.lines.join(" / ")}"`).toBe(true);
        for (const node of nodes) expect(overlap(lane.name, node), `${locale} lane ${lane.id} name over a shape`).toBe(false);
      }
    }
  });

  it("wraps a long lane name into two lines, and shortens a name two lines cannot hold (the whole name in its title)", () => {
    const family = lanesOf(graphToSvg(familyUpdateDefinition(), { locale: "en" }));
    expect(family[0]!.lines).toEqual(["Customer service", "employee"]);
    expect(family[0]!.title).toBeUndefined();
    expect(family[1]!.lines).toEqual(["Decision maker"]);

    const g = familyUpdateDefinition();
    const long = "موظف خدمة المتعاملين في مركز الخدمة الرئيسي بالمقر الجديد للدائرة في المدينة";
    g.lanes[1] = { ...g.lanes[1]!, name: { ar: long, en: long } };
    const lanes = lanesOf(graphToSvg(g, { locale: "ar" }));
    expect(lanes[1]!.lines).toHaveLength(2);
    expect(lanes[1]!.lines[1]!.endsWith("…")).toBe(true);
    expect(lanes[1]!.title).toBe(long);
    expect(inside(lanes[1]!.name, lanes[1]!.rect)).toBe(true);
  });

  it("estimates text widths: wider for more, bolder and larger text", () => {
    expect(textWidth("", 12)).toBe(0);
    expect(textWidth("موظف خدمة المتعاملين", 12)).toBeGreaterThan(textWidth("متخذ القرار", 12));
    expect(textWidth("Decision maker", 12, true)).toBeGreaterThan(textWidth("Decision maker", 12));
    expect(textWidth("Decision maker", 13)).toBeGreaterThan(textWidth("Decision maker", 12));
    expect(fitLines("Decision maker", 12, true, 200)).toEqual(["Decision maker"]);
    expect(fitLines("a b c d", 12, false, 20)).toEqual(["a b", "c d"]);
  });
});

