import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { PluginServer } from "./contract";
import { checkTranslations, orderByDependencies, parseManifest, parseServer, PluginLoadError, RESERVED_PLUGIN_IDS } from "./validate.server";

const good = { id: "notices", version: "1.2.3", names: { ar: "لوحة الإعلانات", en: "Notice board" }, dependsOn: [] };

function failure(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof PluginLoadError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a PluginLoadError");
}

describe("parseManifest", () => {
  it("accepts a well-formed manifest", () => {
    expect(parseManifest(good, "notices")).toEqual(good);
    expect(parseManifest({ ...good, id: "beneficiary-relations", version: "2.0.0-rc.1+build.5", dependsOn: ["notices"] }, "beneficiary-relations").id).toBe(
      "beneficiary-relations",
    );
  });

  it.each([
    ["upper-case id", { id: "Notices" }, "id"],
    ["underscore in id", { id: "my_plugin" }, "id"],
    ["id starting with a digit", { id: "1plugin" }, "id"],
    ["id too long", { id: "a".repeat(41) }, "id"],
    ["reserved id (core namespace)", { id: "common" }, "reserved"],
    ["non-semver version", { version: "1.0" }, "version"],
    ["leading zero in version", { version: "01.0.0" }, "version"],
    ["empty Arabic name", { names: { ar: " ", en: "Notice board" } }, "names.ar"],
    ["missing English name", { names: { ar: "لوحة" } }, "names.en"],
    ["dependsOn missing", { dependsOn: undefined }, "dependsOn"],
    ["dependsOn with a bad id", { dependsOn: ["Bad"] }, "dependsOn.0"],
    ["dependsOn listing a plugin twice", { dependsOn: ["a", "a"] }, "twice"],
    ["unknown key (typo)", { dependOn: [] }, "dependOn"],
  ])("rejects %s", (_label, change, expected) => {
    const raw = { ...good, ...change };
    const id = typeof raw.id === "string" ? raw.id : "notices";
    const { code, message } = failure(() => parseManifest(raw, id));
    expect(code).toBe("invalid_manifest");
    expect(message).toContain(expected);
  });

  it("rejects a module without a default export object", () => {
    expect(failure(() => parseManifest(undefined, "notices")).code).toBe("invalid_manifest");
  });

  it("rejects a manifest whose id differs from the registry line", () => {
    expect(failure(() => parseManifest(good, "other")).code).toBe("id_mismatch");
  });

  it("rejects a plugin depending on itself", () => {
    expect(failure(() => parseManifest({ ...good, dependsOn: ["notices"] }, "notices")).message).toContain("itself");
  });
});

describe("parseServer", () => {
  const server = (over: Partial<PluginServer["permissions"]> = {}, extra: object = {}) => ({
    migrations: { "0001_create": { up: async () => undefined } },
    permissions: { subjects: [{ name: "Notice", actions: ["read", "create"] }], defaultGrants: { staff: [{ action: "read", subject: "Notice" }] }, ...over },
    ...extra,
  });

  it("accepts a well-formed server module", () => {
    const parsed = parseServer(server(), new Map());
    expect(parsed.permissions.subjects[0]!.name).toBe("Notice");
    expect(typeof parsed.migrations["0001_create"]!.up).toBe("function");
  });

  it("rejects a migration without up()", () => {
    expect(failure(() => parseServer({ ...server(), migrations: { "0001_x": {} } }, new Map())).code).toBe("invalid_server");
  });

  it("rejects badly named migrations (their order would be unclear)", () => {
    expect(failure(() => parseServer({ ...server(), migrations: { first: { up: async () => undefined } } }, new Map())).message).toContain("migrations.first");
  });

  it.each(["Role", "Organisation", "Plugin", "all"])("refuses to redefine the core subject %s", (name) => {
    expect(failure(() => parseServer(server({ subjects: [{ name, actions: ["read"] }], defaultGrants: {} }), new Map())).code).toMatch(/subject_conflict|invalid_server/);
  });

  it("checks condition fields and the kind of id they hold", () => {
    const withFields = (fields: unknown) => server({ subjects: [{ name: "Notice", actions: ["read"], fields }] as never, defaultGrants: {} });
    expect(parseServer(withFields({ createdBy: "user", unitId: "unit" }), new Map()).permissions.subjects[0]!.fields).toEqual({ createdBy: "user", unitId: "unit" });
    expect(failure(() => parseServer(withFields({ createdBy: "group" }), new Map())).message).toContain("fields.createdBy");
    expect(failure(() => parseServer(withFields({ "created-by": "user" }), new Map())).code).toBe("invalid_server");
  });

  it("refuses a subject another plugin already defines, naming that plugin", () => {
    const { code, message } = failure(() => parseServer(server(), new Map([["Notice", "other-plugin"]])));
    expect(code).toBe("subject_conflict");
    expect(message).toContain("other-plugin");
  });

  it("refuses a subject defined twice in the same plugin", () => {
    const subjects = [
      { name: "Notice", actions: ["read"] },
      { name: "Notice", actions: ["create"] },
    ];
    expect(failure(() => parseServer(server({ subjects, defaultGrants: {} }), new Map())).code).toBe("subject_conflict");
  });

  it("refuses default grants on subjects the plugin does not own (no privilege escalation)", () => {
    const { code, message } = failure(() => parseServer(server({ defaultGrants: { staff: [{ action: "manage", subject: ["Notice", "Role"] }] } }), new Map()));
    expect(code).toBe("invalid_server");
    expect(message).toContain("Role");
    expect(failure(() => parseServer(server({ defaultGrants: { staff: [{ action: "manage", subject: "all" }] } }), new Map())).code).toBe("invalid_server");
  });

  it("refuses default grants with undeclared actions, but allows manage", () => {
    expect(failure(() => parseServer(server({ defaultGrants: { staff: [{ action: "delete", subject: "Notice" }] } }), new Map())).message).toContain("delete");
    expect(() => parseServer(server({ defaultGrants: { admin: [{ action: "manage", subject: "Notice" }] } }), new Map())).not.toThrow();
  });

  it("refuses grants for roles that are not built in", () => {
    expect(failure(() => parseServer(server({ defaultGrants: { auditor: [] } as never }), new Map())).code).toBe("invalid_server");
  });

  it("checks nav entries", () => {
    const nav = (items: unknown[]) => server({}, { nav: items });
    expect(() => parseServer(nav([{ key: "board", label: "nav.title", path: "notices", section: "main", can: ["read", "Notice"] }]), new Map())).not.toThrow();
    expect(failure(() => parseServer(nav([{ key: "x", label: "l", path: "/abs", section: "main" }]), new Map())).message).toContain("nav.0.path");
    expect(failure(() => parseServer(nav([{ key: "x", label: "l", path: "x", section: "main", can: ["read", "Ghost"] }]), new Map())).message).toContain("Ghost");
  });
});

describe("checkTranslations", () => {
  const server = { migrations: {}, permissions: { subjects: [], defaultGrants: {} }, nav: [{ key: "a", label: "nav.title", path: "a", section: "main" as const }] };

  it("accepts both languages with the same keys", () => {
    expect(() => checkTranslations({ ar: { nav: { title: "أ" } }, en: { nav: { title: "A" } } }, server)).not.toThrow();
  });

  it("rejects a missing language, mismatched keys and untranslated nav labels", () => {
    expect(failure(() => checkTranslations(undefined, server)).code).toBe("invalid_translations");
    expect(failure(() => checkTranslations({ ar: { nav: { title: "أ" }, x: "س" }, en: { nav: { title: "A" } } }, server)).message).toContain("missing in en: x");
    expect(failure(() => checkTranslations({ ar: { other: "أ" }, en: { other: "A" } }, server)).message).toContain("nav.title");
  });

  it("the notices plugin's own translations pass", async () => {
    const ar = (await import("./notices/locales/ar.json")).default;
    const en = (await import("./notices/locales/en.json")).default;
    const noticesServer = (await import("./notices/plugin.server")).default;
    expect(() => checkTranslations({ ar, en }, noticesServer)).not.toThrow();
  });
});

describe("orderByDependencies", () => {
  it("keeps registry order but puts dependencies first", () => {
    const { ordered, cyclic } = orderByDependencies([
      { id: "c", dependsOn: ["b"] },
      { id: "a", dependsOn: [] },
      { id: "b", dependsOn: ["a"] },
      { id: "d", dependsOn: ["missing"] },
    ]);
    expect(ordered).toEqual(["a", "b", "d", "c"]);
    expect(cyclic).toEqual([]);
  });

  it("reports plugins in or behind a cycle", () => {
    const { ordered, cyclic } = orderByDependencies([
      { id: "x", dependsOn: ["y"] },
      { id: "y", dependsOn: ["x"] },
      { id: "z", dependsOn: ["x"] },
      { id: "ok", dependsOn: [] },
    ]);
    expect(ordered).toEqual(["ok"]);
    expect(cyclic).toEqual(["x", "y", "z"]);
  });
});

describe("reserved ids", () => {
  it("cover every core i18n namespace, so no plugin can replace core texts", () => {
    const dir = path.join(import.meta.dirname, "..", "app", "locales", "ar");
    const namespaces = fs.readdirSync(dir).map((f) => f.replace(/\.json$/, ""));
    expect(namespaces.filter((ns) => !RESERVED_PLUGIN_IDS.includes(ns))).toEqual([]);
  });
});
