import { describe, expect, it } from "vitest";
import ar from "~/locales/ar/portal.json";
import en from "~/locales/en/portal.json";
import { SERVICE_CHANNELS, SERVICE_SEGMENTS } from "~plugins/service-catalogue/public-types";

// Every message the portal's pages and actions can show exists in both languages.

function keys(tree: unknown, prefix = ""): string[] {
  if (!tree || typeof tree !== "object") return [prefix];
  return Object.entries(tree).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

const lookup = (tree: unknown, path: string) => path.split(".").reduce<unknown>((node, k) => (node && typeof node === "object" ? (node as Record<string, unknown>)[k] : undefined), tree);

const PLURALS = ["zero", "one", "two", "few", "many", "other"];

describe("portal messages", () => {
  it("Arabic and English have the same keys", () => {
    expect(keys(ar).sort()).toEqual(keys(en).sort());
  });

  const required = [
    ...SERVICE_SEGMENTS.map((s) => `segment.${s}`),
    ...SERVICE_CHANNELS.map((c) => `channel.${c}`),
    // Refusals of a submission (SubmitResult reasons) and why a service cannot be requested (RequestPage).
    ...["rejected", "too_fast", "expired", "not_startable", "invalid", "badData"].map((r) => `request.errors.${r}`),
    ...["not_digital", "form_missing", "needs_files"].map((r) => `request.unavailable.${r}`),
    ...["in_progress", "completed", "cancelled"].map((s) => `track.status.${s}`),
    ...[1, 2, 3, 4, 5].map((n) => `rating.levels.${n}`),
    ...PLURALS.flatMap((f) => [`minutes_${f}`, `rateLimited_${f}`]),
  ];
  for (const [lang, tree] of [["ar", ar], ["en", en]] as const) {
    it(`${lang}: every segment, channel, refusal, status, rating level and plural form has a message`, () => {
      expect(required.filter((path) => typeof lookup(tree, path) !== "string" || !(lookup(tree, path) as string).trim())).toEqual([]);
    });
  }
});
