import { publishForm } from "~/models/forms.server";
import { currentSettings, savePluginSettings, setPluginEnabled } from "~/models/plugin-orgs.server";
import { installTemplates } from "~/models/plugin-templates.server";
import { publish } from "~/models/workflow-definitions.server";
import type { Tx } from "~/utils/db.server";
import { pluginRegistry } from "~/utils/plugins.server";

// Demo plugins per organisation: the same notice board with two different policies, and one
// organisation without it (its catalogue shows it ready to enable). The copied templates are
// published so the "publish a notice" workflow can be started right away.
const DEMO_PLUGINS: Record<string, { pluginId: string; settings: Record<string, unknown> }[]> = {
  "social-services": [
    { pluginId: "notices", settings: { displayDays: 30, approver: "manager", signature: "إدارة خدمة المتعاملين" } },
    // The guide's worked example and service charter (plugins/service-catalogue/seed.server.ts); reviews go to a manager.
    { pluginId: "service-catalogue", settings: { approver: "manager" } },
    // Agreements with other agencies (plugins/sla/seed.server.ts), after the catalogue they link to.
    { pluginId: "sla", settings: { ladderHours: [8, 16, 24, 40], emailHours: 14, letterHours: 35, reviewLeadDays: 14, meetingReminderDays: 7 } },
  ],
  "crafts-association": [{ pluginId: "notices", settings: { displayDays: 7, approver: "none", signature: "جمعية الحرفيين الخيرية" } }],
};

export async function seedPlugins(trx: Tx, input: { orgId: string; slug: string; adminUserId: string }): Promise<void> {
  const actor = { orgId: input.orgId, actorUserId: input.adminUserId, actorLabel: "seed", requestId: null, ip: null };
  for (const demo of DEMO_PLUGINS[input.slug] ?? []) {
    const plugin = pluginRegistry().plugins.find((p) => p.id === demo.pluginId && p.status === "active");
    if (!plugin) continue;
    const enabled = await setPluginEnabled(trx, actor, demo.pluginId, true);
    if (!enabled.ok) throw new Error(`demo plugin ${demo.pluginId}: ${enabled.reason}`);
    const saved = await savePluginSettings(trx, actor, demo.pluginId, { values: demo.settings, expectedVersion: enabled.settingsVersion, locale: "ar" });
    if (!saved.ok) throw new Error(`demo plugin ${demo.pluginId} settings: ${JSON.stringify(saved)}`);
    const installed = await installTemplates(trx, actor, demo.pluginId);
    for (const t of installed.filter((i) => i.kind === "form")) {
      const form = await trx.selectFrom("form_definitions").select("id").where("org_id", "=", input.orgId).where("key", "=", t.targetKey).executeTakeFirstOrThrow();
      const published = await publishForm(trx, actor, form.id, 1);
      if (!published.ok) throw new Error(`demo form ${t.targetKey}: ${JSON.stringify(published)}`);
    }
    for (const t of installed.filter((i) => i.kind === "workflow")) {
      const def = await trx.selectFrom("workflow_definitions").select("id").where("org_id", "=", input.orgId).where("key", "=", t.targetKey).executeTakeFirstOrThrow();
      const published = await publish(trx, actor, def.id, "النسخة الأولى من قالب الإضافة");
      if (!published.ok) throw new Error(`demo workflow ${t.targetKey}: ${JSON.stringify(published)}`);
    }
    const settings = await currentSettings(trx, input.orgId, demo.pluginId);
    await plugin.server?.seed?.({ trx, orgId: input.orgId, adminUserId: input.adminUserId, orgSlug: input.slug, settings: settings.values, settingsVersion: settings.version, now: new Date() });
  }
}
