import { describe, expect, it } from "vitest";
import { checkContributions, flattenTexts, settingsDefaults } from "./contributions.server";
import type { PluginManifest, PluginServer } from "./contract";
import notices from "./notices/plugin.server";
import noticesManifest from "./notices/manifest";
import ar from "./notices/locales/ar.json";
import en from "./notices/locales/en.json";

const manifest: PluginManifest = { id: "fx-c", version: "1.0.0", names: { ar: "تجربة", en: "Test" }, dependsOn: [] };
const base: PluginServer = { migrations: {}, permissions: { subjects: [], defaultGrants: {} } };
const texts = { ar: { s: { a: "أ" } }, en: { s: { a: "A" } } };
const settings = { schema: { type: "object", properties: { a: { type: "integer", title: "t:s.a", default: 3, minimum: 1 } } } };
const check = (server: Partial<PluginServer>, translations = texts) => () => checkContributions(manifest, { ...base, ...server }, translations);

describe("plugin contributions", () => {
  it("the notices plugin uses every contribution kind and passes", () => {
    const checked = checkContributions(noticesManifest, notices, { ar, en });
    expect(checked.routes).toEqual(["notices"]);
    expect([...checked.configValidators.keys()]).toEqual(["applyPolicy", "publish"]);
    expect(checked.configValidators.get("publish")!({ pinned: true })).toBeNull();
    expect(checked.configValidators.get("publish")!({ pinned: "yes" })).toMatch(/pinned/);
    for (const key of ["settings", "forms", "workflows", "nodeKinds", "kpis", "jobs", "seed", "routes", "nav"] as const) expect(notices[key]).toBeDefined();
    expect(settingsDefaults(notices.settings!.schema)).toEqual({ displayDays: 14, approver: "manager", signature: "" });
  });

  it("flattens the plugin's texts for the form renderer", () => {
    expect(flattenTexts({ ar: { a: { b: "ب" }, c: "ج" }, en: { a: { b: "B" }, c: "C" } })).toEqual({ ar: { "a.b": "ب", c: "ج" }, en: { "a.b": "B", c: "C" } });
  });

  it("refuses settings without defaults, with untranslated labels, with invalid defaults or an unsafe schema", () => {
    expect(check({ settings })).not.toThrow();
    expect(check({ settings: { schema: { type: "object", properties: { a: { type: "integer", title: "t:s.a" } } } } })).toThrow(/no default/);
    expect(check({ settings }, { ar: texts.ar, en: { s: {} } as never })).toThrow(/missing in locales\/en.json/);
    expect(check({ settings: { schema: { type: "object", properties: { a: { type: "integer", title: "t:s.a", minimum: 5, default: 3 } } } } })).toThrow(/defaults are not valid/);
    expect(check({ settings: { schema: { type: "object", properties: { a: { type: "string", title: "t:s.a", default: "", pattern: "(a+)+$" } } } } })).toThrow(/settings.schema: pattern/);
    expect(check({ settings: { schema: { type: "array" } } })).toThrow(/"type": "object"/);
  });

  it("keeps routes inside the plugin's own namespace", () => {
    expect(check({ routes: ["fx-c", "fx-c/archive", "admin/fx-c"] })).not.toThrow();
    expect(check({ routes: ["inbox"] })).toThrow(/must be "fx-c"/);
    expect(check({ nav: [{ key: "x", label: "s.a", path: "cases", section: "main" }] })).toThrow(/routes: "cases"/);
  });

  it("checks node kinds, templates, KPIs and jobs", () => {
    const kind = { kind: "doIt", names: { ar: "افعل", en: "Do it" }, configSchema: { type: "object", properties: {} }, execute: () => undefined };
    expect(check({ nodeKinds: [kind, kind] })).toThrow(/"doIt" is used twice/);
    expect(check({ nodeKinds: [{ ...kind, kind: "Do-It" }] })).toThrow(/camelCase/);
    expect(check({ nodeKinds: [{ ...kind, configSchema: { type: "object", properties: { n: { type: "nope" } } } }] })).toThrow(/nodeKinds.doIt.configSchema/);
    const graph = structuredClone(notices.workflows![0]!.graph);
    expect(check({ workflows: [{ key: "publish-notice", version: 1, names: { ar: "أ", en: "A" }, graph }] })).toThrow(/form_missing|action_type_missing/);
    expect(check({ workflows: [{ key: "other", version: 1, names: { ar: "أ", en: "A" }, graph }] })).toThrow(/differs from the template key/);
    const kpi = { key: "k", names: { ar: "م", en: "K" }, definitionKey: "none", formula: "count(cases)", frequency: "monthly" as const, target: 1, unit: "count" as const, direction: "atLeast" as const };
    expect(check({ kpis: [kpi] })).toThrow(/definitionKey "none"/);
    const withNotices = (kpis: PluginServer["kpis"]) => check({ ...noticesParts(), kpis }, { ar, en } as never);
    expect(withNotices([{ ...kpi, definitionKey: "publish-notice" }])).not.toThrow();
    expect(withNotices([{ ...kpi, definitionKey: "publish-notice", formula: "count(cases[" }])).toThrow(/formula: computeInvalid/);
    expect(withNotices([{ ...kpi, definitionKey: "publish-notice", formula: "for i in 1..1000000 return i" }])).toThrow(/computeNotAllowed/);
    expect(withNotices([{ ...kpi, definitionKey: "publish-notice", unit: "percent", target: 150 }])).toThrow(/between 0 and 100/);
    expect(check({ jobs: [{ key: "daily", cron: "every day", run: async () => undefined }] })).toThrow(/five fields/);
    expect(check({ jobs: [{ key: "daily", cron: "0 3 * * 1-5", run: async () => undefined }] })).not.toThrow();
  });
});

/** The notices templates and node kinds under the fixture id (action types are re-namespaced). */
function noticesParts(): Partial<PluginServer> {
  const graph = JSON.parse(JSON.stringify(notices.workflows![0]!.graph).replaceAll('"notices.', '"fx-c.')) as Record<string, unknown>;
  return { forms: notices.forms, nodeKinds: notices.nodeKinds, workflows: [{ ...notices.workflows![0]!, graph }] };
}
