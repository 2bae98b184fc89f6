import type { PluginRegistryEntry } from "./contract";

// Every installed plugin, one line each. Literal import() calls so Vite bundles each plugin
// as its own chunk; the loader calls them inside try/catch, so a module that throws while
// loading disables only that plugin. Translations are wired in plugins/translations.ts.
export const PLUGIN_REGISTRY: PluginRegistryEntry[] = [
  { id: "notices", manifest: () => import("./notices/manifest"), server: () => import("./notices/plugin.server") },
  { id: "service-catalogue", manifest: () => import("./service-catalogue/manifest"), server: () => import("./service-catalogue/plugin.server") },
  { id: "sla", manifest: () => import("./sla/manifest"), server: () => import("./sla/plugin.server") },
];
