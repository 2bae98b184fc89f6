import { describe, expect, it } from "vitest";
import ar from "~/locales/ar/engine.json";
import en from "~/locales/en/engine.json";
import { BPMN_ERROR_CODES, BPMN_WARNING_CODES } from "~/engine/bpmn-model";
import { JSON_IMPORT_ERROR_CODES } from "~/engine/interchange-json";
import { MIGRATION_SETUP_ERRORS, SERVICE_PROBLEM_CODES } from "~/models/case-migration.server";

// Every code the definitions pages can show has a message in both languages.

function keys(tree: unknown, prefix = ""): string[] {
  if (!tree || typeof tree !== "object") return [prefix];
  return Object.entries(tree).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

const lookup = (tree: unknown, path: string) => path.split(".").reduce<unknown>((node, k) => (node && typeof node === "object" ? (node as Record<string, unknown>)[k] : undefined), tree);

describe("definitions admin messages", () => {
  it("Arabic and English have the same keys", () => {
    expect(keys(ar.definitions).sort()).toEqual(keys(en.definitions).sort());
  });

  const required = [
    ...BPMN_WARNING_CODES.map((c) => `definitions.import.bpmnWarnings.${c}`),
    ...[...BPMN_ERROR_CODES, ...JSON_IMPORT_ERROR_CODES, "no_file", "key_taken", "key_invalid"].map((c) => `definitions.import.errors.${c}`),
    ...SERVICE_PROBLEM_CODES.map((c) => `definitions.migrate.problems.${c}`),
    ...MIGRATION_SETUP_ERRORS.map((c) => `definitions.migrate.errors.${c}`),
    "case.events.migrated",
  ];
  for (const [lang, tree] of [["ar", ar], ["en", en]] as const) {
    it(`${lang}: every import, BPMN and migration code has a message`, () => {
      const missing = required.filter((path) => typeof lookup(tree, path) !== "string" || !(lookup(tree, path) as string).trim());
      expect(missing).toEqual([]);
    });
  }
});
