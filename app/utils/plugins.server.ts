import type { Kysely } from "kysely";

// Placeholder replaced by the plugin loader.
export interface PluginRegistry {
  plugins: unknown[];
}

export async function loadPlugins(_owner: Kysely<unknown>): Promise<PluginRegistry> {
  return { plugins: [] };
}
