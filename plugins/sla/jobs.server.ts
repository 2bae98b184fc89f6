import type { AuditActor } from "~/utils/audit-actor.server";
import type { Tx } from "~/utils/db.server";
import type { PluginJob } from "../contract";
import { importDeadlineBreaches } from "./breaches.server";
import { orgToday } from "./calendar.server";
import type { SlaTables } from "./db";
import { refreshSlaReferences, syncAgreementPolicies } from "./links.server";
import { sendAgreementReminders } from "./reminders.server";

// Once a day, per organisation with the plugin enabled: the deadline engine's new breaches on
// linked steps reach the agreements' ledgers; the deadline policies follow what is in force
// (a cancellation that took effect, a term that ended without renewal, or a newly published
// workflow of a linked service); then the review, cancellation and meeting reminders.

/** The job acts as the plugin: audit entries name "plugin:sla" and no member. */
export function pluginActor(orgId: string): AuditActor {
  // The core's policy functions write actorUserId into nullable columns (created_by, audit).
  return { orgId, actorUserId: null as unknown as string, actorLabel: "plugin:sla", requestId: null, ip: null };
}

export async function runDaily(trx: Tx, orgId: string, now: Date): Promise<void> {
  await importDeadlineBreaches(trx, orgId);
  const { today } = await orgToday(trx, orgId, now);
  const linked = await trx
    .withTables<SlaTables>()
    .selectFrom("sla_agreement_link")
    .select(["agreement_id", "service_id"])
    .where("org_id", "=", orgId)
    .execute();
  const actor = pluginActor(orgId);
  for (const agreementId of new Set(linked.map((l) => l.agreement_id))) await syncAgreementPolicies(trx, actor, agreementId, today);
  await refreshSlaReferences(trx, orgId, [...new Set(linked.map((l) => l.service_id))], today);
  await sendAgreementReminders(trx, orgId, now);
}

export const agreementsDaily: PluginJob = {
  key: "agreements-daily",
  cron: "10 3 * * *",
  async run({ trx, orgId, now }) {
    await runDaily(trx, orgId, now);
  },
};
