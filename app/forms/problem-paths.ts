// The server reports schema problems by JSON pointer ("/properties/a/items/properties/b/pattern",
// "#uiSchema/a/ui:placeholder", "#translations/ar/a.b.title"); the builder shows each next
// to the field it concerns. This finds that field's dotted path among the known ones.

const unescape = (s: string) => s.replace(/~1/g, "/").replace(/~0/g, "~");

/** The dotted field path a problem pointer concerns, or "" for the form as a whole. */
export function problemFieldPath(pointer: string, knownPaths: Iterable<string>): string {
  const known = new Set(knownPaths);
  const best = (candidates: string[]) => candidates.filter((c) => known.has(c)).sort((a, b) => b.length - a.length)[0] ?? "";
  if (pointer.startsWith("#translations/")) {
    const key = unescape(pointer.split("/").slice(2).join("/"));
    const parts = key.split(".");
    return best(parts.map((_, i) => parts.slice(0, i + 1).join(".")));
  }
  const ui = pointer.startsWith("#uiSchema");
  const segments = pointer.replace(/^#(uiSchema)?/, "").split("/").filter(Boolean).map(unescape);
  const names: string[] = [];
  const prefixes: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (ui) {
      if (s === "x-masar-visibleWhen") return best([segments[i + 1] ?? ""]);
      if (s === "items" || s.startsWith("ui:")) continue;
      names.push(s);
      prefixes.push(names.join("."));
    } else if (s === "properties" && segments[i + 1] !== undefined) {
      names.push(segments[i + 1]!);
      prefixes.push(names.join("."));
      i += 1;
    } else if (s !== "items") break;
  }
  return best(prefixes);
}
