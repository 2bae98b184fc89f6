import { recordAudit } from "./audit.server";
import { emailByDefault, NOTIFICATION_KINDS } from "~/notifications/kinds";
import type { AuditActor } from "~/utils/audit-actor.server";
import type { Tx } from "~/utils/db.server";

// Which notification kinds a member also wants by email, per organisation. Stored as one row per
// kind the member has set; a kind without a row follows its default (kinds.ts), so new kinds
// reach people by email without anyone revisiting their settings.

export type EmailChoices = Record<string, boolean>;

export async function getEmailChoices(trx: Tx, orgId: string, userId: string): Promise<EmailChoices> {
  const rows = await trx.selectFrom("notification_preferences").select(["kind", "email"]).where("org_id", "=", orgId).where("user_id", "=", userId).execute();
  const stored = new Map(rows.map((r) => [r.kind, r.email]));
  return Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, stored.get(kind) ?? emailByDefault(kind)]));
}

/** Saves the member's choices (every known kind) and audit-logs what changed. */
export async function saveEmailChoices(trx: Tx, actor: AuditActor, choices: EmailChoices): Promise<{ changed: boolean }> {
  const before = await getEmailChoices(trx, actor.orgId, actor.actorUserId);
  const changed = NOTIFICATION_KINDS.filter((kind) => (choices[kind] ?? false) !== before[kind]);
  if (changed.length === 0) return { changed: false };
  await trx
    .insertInto("notification_preferences")
    .values(changed.map((kind) => ({ org_id: actor.orgId, user_id: actor.actorUserId, kind, email: choices[kind] ?? false })))
    .onConflict((oc) => oc.columns(["org_id", "user_id", "kind"]).doUpdateSet((eb) => ({ email: eb.ref("excluded.email"), updated_at: new Date() })))
    .execute();
  await recordAudit(trx, {
    ...actor,
    action: "notification_preferences.update",
    subjectType: "Member",
    subjectId: actor.actorUserId,
    before: Object.fromEntries(changed.map((k) => [k, before[k]])),
    after: Object.fromEntries(changed.map((k) => [k, choices[k] ?? false])),
  });
  return { changed: true };
}
