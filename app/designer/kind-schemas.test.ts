import { describe, expect, it } from "vitest";
import { node as nodeSchema, NODE_KINDS, type NodeKind } from "~/engine/definition";
import ar from "~/locales/ar/designer.json";
import en from "~/locales/en/designer.json";
import { CORE_PALETTE, KIND_SCHEMAS, newNode, schemaFor, type NodeDefaults, type PaletteActionKind } from "./kind-schemas";

// The properties panel is generated from these schemas: they must name real properties of
// the definition format, have labels in both languages, and the palette must only ever make
// nodes the definition schema accepts (an invalid field would stop the draft from saving).

const lookup = (tree: unknown, path: string) => path.split(".").reduce<unknown>((n, k) => (n && typeof n === "object" ? (n as Record<string, unknown>)[k] : undefined), tree);
const keys = (tree: unknown, prefix = ""): string[] =>
  tree && typeof tree === "object" ? Object.entries(tree).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k)) : [prefix];

const shapeOf = (kind: NodeKind) => {
  const option = nodeSchema.options.find((o) => o.shape.kind.value === kind)!;
  return option.shape as Record<string, unknown>;
};

const notices: PaletteActionKind = {
  actionType: "notices.publish",
  pluginId: "notices",
  name: { ar: "نشر الإعلان", en: "Publish the notice" },
  configSchema: { type: "object", properties: { audience: { type: "string", enum: ["staff", "public"], default: "staff", title: "t:audience" }, pin: { type: "boolean" } } },
  configTranslations: { ar: { audience: "الجمهور" }, en: { audience: "Audience" } },
  pluginName: { ar: "الإعلانات", en: "Notices" },
};

const defaults = (over: Partial<NodeDefaults> = {}): NodeDefaults => ({
  name: (id) => ({ ar: (ar.defaults as Record<string, string>)[id]!, en: (en.defaults as Record<string, string>)[id]! }),
  roles: ["staff", "manager"],
  definitions: ["other-flow"],
  actionKinds: [notices],
  ...over,
});

describe("kind schemas", () => {
  it("describe real properties of every node kind", () => {
    for (const kind of NODE_KINDS) {
      const shape = shapeOf(kind);
      for (const prop of Object.keys(KIND_SCHEMAS[kind].properties)) expect(shape, `${kind}.${prop}`).toHaveProperty(prop);
      for (const prop of KIND_SCHEMAS[kind].required ?? []) expect(KIND_SCHEMAS[kind].properties).toHaveProperty(prop);
    }
  });

  it("have labels (and help where they say so) in Arabic and English, enum values included", () => {
    for (const tree of [ar, en]) {
      for (const kind of NODE_KINDS) {
        for (const [prop, ps] of Object.entries(KIND_SCHEMAS[kind].properties)) {
          expect(lookup(tree, `fields.${ps["x-label"]}`), `${kind}.${prop}`).toEqual(expect.any(String));
          if (ps["x-help"]) expect(lookup(tree, `fields.${ps["x-label"]}Help`), `${kind}.${prop} help`).toEqual(expect.any(String));
          for (const v of ps.enum ?? []) expect(lookup(tree, `fields.enum.${prop}.${v}`), `${prop}=${v}`).toEqual(expect.any(String));
        }
        expect(lookup(tree, `kinds.${kind}`)).toEqual(expect.any(String));
        expect(lookup(tree, `palette.unavailable.${kind}`)).toEqual(expect.any(String));
      }
      for (const entry of CORE_PALETTE) {
        for (const section of ["palette.entries", "palette.hints", "defaults"]) expect(lookup(tree, `${section}.${entry.id}`), `${section}.${entry.id}`).toEqual(expect.any(String));
      }
    }
  });

  it("put a plugin kind's config schema into the action panel", () => {
    const schema = schemaFor({ kind: "action", actionType: "notices.publish" }, [notices]);
    expect(schema.properties.config).toMatchObject({ "x-widget": "pluginConfig", properties: { audience: { enum: ["staff", "public"] } } });
    expect(schemaFor({ kind: "action", actionType: "other.kind" }, [notices]).properties.config).toEqual(KIND_SCHEMAS.action.properties.config);
    expect(schemaFor({ kind: "task" }, [notices])).toBe(KIND_SCHEMAS.task);
  });
});

describe("palette", () => {
  it("makes only nodes the definition schema accepts", () => {
    const entries = [...CORE_PALETTE, { id: "action:notices.publish", kind: "action" as const, actionType: "notices.publish" }];
    for (const entry of entries) {
      const made = newNode(entry, defaults());
      expect(made, entry.id).toBeDefined();
      const parsed = nodeSchema.safeParse({ ...made, id: "n_1", position: { x: 0, y: 0 } });
      expect(parsed.success, `${entry.id}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
    expect(newNode({ id: "document", kind: "task", variant: "document" }, defaults())).toMatchObject({ producesDocument: true, name: { ar: "إصدار الوثيقة" } });
    expect(newNode({ id: "join", kind: "parallel", variant: "join" }, defaults())).toMatchObject({ direction: "join" });
    expect(newNode({ id: "gate", kind: "gate" }, defaults())).toMatchObject({ approverRole: "manager" });
    expect(newNode({ id: "action:notices.publish", kind: "action", actionType: "notices.publish" }, defaults())).toMatchObject({ config: { audience: "staff" }, name: notices.name });
  });

  it("offers no gate without roles and no sub-process without another workflow", () => {
    expect(newNode({ id: "gate", kind: "gate" }, defaults({ roles: [] }))).toBeUndefined();
    expect(newNode({ id: "subprocess", kind: "subprocess" }, defaults({ definitions: [] }))).toBeUndefined();
    expect(newNode({ id: "action:x.y", kind: "action", actionType: "x.y" }, defaults())).toBeUndefined();
  });
});

describe("designer texts", () => {
  it("Arabic and English have the same keys, English every plural form", () => {
    expect(keys(en).sort()).toEqual(keys(ar).sort());
    const plurals = keys(ar).filter((k) => /_(zero|one|two|few|many|other)$/.test(k));
    expect(plurals.length).toBeGreaterThan(0);
    for (const k of plurals) expect(lookup(en, k), k).toEqual(expect.any(String));
  });
});
