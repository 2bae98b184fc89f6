import { currentSettings } from "~/models/plugin-orgs.server";
import type { PluginJob } from "~plugins/contract";
import { withPlatform, withTenant, type Db } from "./db.server";
import { log } from "./log.server";
import { pluginRegistry } from "./plugins.server";

// Plugin jobs (PluginServer.jobs) on pg-boss: one queue and cron schedule per job of an
// active plugin (created with the owner connection by installJobSchema), one worker per queue
// (startJobs). Each tick runs the job once per organisation that has the plugin enabled, in
// that organisation's own transaction; an organisation that disabled the plugin is skipped,
// and one organisation's failure neither stops nor rolls back the others.

export const PLUGIN_QUEUE_PREFIX = "plugin-job_";

export interface PluginJobQueue {
  queue: string;
  pluginId: string;
  job: PluginJob;
}

export function pluginJobQueues(): PluginJobQueue[] {
  return pluginRegistry().plugins.flatMap((p) =>
    p.status === "active" ? (p.server?.jobs ?? []).map((job) => ({ queue: `${PLUGIN_QUEUE_PREFIX}${p.id}_${job.key}`, pluginId: p.id, job })) : [],
  );
}

/** Runs one job for every organisation that enabled its plugin (and is not disabled itself). */
export async function runPluginJob(db: Db, entry: Pick<PluginJobQueue, "pluginId" | "job">, now: Date = new Date()): Promise<{ orgs: number; failed: number }> {
  const orgs = await withPlatform(db, (trx) =>
    trx
      .selectFrom("plugin_orgs as p")
      .innerJoin("organisations as o", "o.id", "p.org_id")
      .select("p.org_id")
      .where("p.plugin_id", "=", entry.pluginId)
      .where("p.enabled", "=", true)
      .where("o.disabled_at", "is", null)
      .orderBy("p.org_id")
      .execute(),
  );
  let failed = 0;
  for (const { org_id: orgId } of orgs) {
    try {
      await withTenant(db, { orgId }, async (trx) => {
        const settings = await currentSettings(trx, orgId, entry.pluginId);
        await entry.job.run({ trx, orgId, settings: settings.values, settingsVersion: settings.version, now });
      });
    } catch (error) {
      failed += 1;
      log.error("plugin job failed", { plugin: entry.pluginId, job: entry.job.key, orgId, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { orgs: orgs.length, failed };
}
