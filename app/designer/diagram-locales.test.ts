import { describe, expect, it } from "vitest";
import ar from "~/locales/ar/diagram.json";
import en from "~/locales/en/diagram.json";
import { NODE_KINDS } from "~/engine/definition";

// The diagram namespace (designer export, test-run, steps table editor, version diff).

function keys(tree: unknown, prefix = ""): string[] {
  if (!tree || typeof tree !== "object") return [prefix];
  return Object.entries(tree).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

const lookup = (tree: unknown, path: string) => path.split(".").reduce<unknown>((node, k) => (node && typeof node === "object" ? (node as Record<string, unknown>)[k] : undefined), tree);

describe("diagram messages", () => {
  it("Arabic and English have the same keys, none empty", () => {
    expect(keys(ar).sort()).toEqual(keys(en).sort());
    for (const tree of [ar, en]) expect(keys(tree).filter((k) => !String(lookup(tree, k)).trim())).toEqual([]);
  });

  it("every node kind, incident reason and step outcome has words", () => {
    const required = [
      ...NODE_KINDS.map((k) => `kind.${k}`),
      ...["condition_error", "no_matching_edge", "subprocess_missing", "action_failed", "invalid_outcome", "invalid_structure", "loop_limit"].map((r) => `run.incident.${r}`),
      ...["completed", "skipped", "go", "no-go", "rework", "chosen", "conditions", "retried"].map((h) => `run.log.done.${h}`),
    ];
    for (const tree of [ar, en]) expect(required.filter((p) => typeof lookup(tree, p) !== "string")).toEqual([]);
  });
});
