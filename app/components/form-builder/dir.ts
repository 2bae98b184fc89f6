// Mantine aligns every input to the page's side ([dir=rtl] sets --input-text-align: right),
// even one whose own dir differs. Inputs typed in a fixed direction (English labels in the
// Arabic interface, keys, patterns, JSON) align to their own start instead.
import type { CSSProperties } from "react";

export function inputDir(dir: "ltr" | "rtl", mono = false): { dir: "ltr" | "rtl"; styles: { input: CSSProperties } } {
  return { dir, styles: { input: { textAlign: "start", ...(mono ? { fontFamily: "var(--mantine-font-family-monospace)" } : {}) } } };
}
