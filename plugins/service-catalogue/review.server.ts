import { startCase } from "~/models/cases.server";
import type { CaseActor } from "~/models/case-access.server";
import { CaseServiceError } from "~/models/case-errors";
import type { Tx } from "~/utils/db.server";
import { hasLintErrors, lintServiceName } from "./name-linter";
import { findService, sendBackService } from "./services.server";
import { SERVICE_REVIEW_KEY } from "./templates";

// "Send for review": starts the organisation's copy of the "مراجعة خدمة ونشرها" workflow for
// one service. The copy's key is the one recorded when the template was installed (a
// taken key gets "-2"…), so renaming nothing breaks the button.

export type ReviewRefusal = "not_found" | "not_draft" | "name_invalid" | "workflow_missing" | "review_failed";

export class ReviewRefused extends Error {
  constructor(readonly reason: ReviewRefusal) {
    super(reason);
  }
}

/** The organisation's review workflow key (its installed copy of the template). */
export async function reviewWorkflowKey(trx: Tx, orgId: string): Promise<string> {
  const row = await trx
    .selectFrom("plugin_templates")
    .select("target_key")
    .where("org_id", "=", orgId)
    .where("plugin_id", "=", "service-catalogue")
    .where("kind", "=", "workflow")
    .where("template_key", "=", SERVICE_REVIEW_KEY)
    .executeTakeFirst();
  return row?.target_key ?? SERVICE_REVIEW_KEY;
}

/**
 * Starts the review case; throws ReviewRefused (roll the transaction back) when the service
 * cannot go to review or the workflow did not take it (e.g. its first step became an incident).
 */
export async function submitForReview(trx: Tx, actor: CaseActor, serviceId: string): Promise<{ caseId: string; reference: string }> {
  const row = await findService(trx, actor.org.id, serviceId, {
    forUpdate: true,
  });
  if (!row) throw new ReviewRefused("not_found");
  if (row.status !== "draft") throw new ReviewRefused("not_draft");
  if (hasLintErrors(lintServiceName(row.name_ar, "ar")) || (row.name_en && hasLintErrors(lintServiceName(row.name_en, "en")))) throw new ReviewRefused("name_invalid");
  const key = await reviewWorkflowKey(trx, actor.org.id);
  let started;
  try {
    started = await startCase(trx, actor, {
      definitionKey: key,
      data: {
        serviceId: row.id,
        serviceCode: row.code,
        serviceName: row.name_ar,
      },
      title: `${row.code} — ${row.name_ar}`.slice(0, 500),
    });
  } catch (error) {
    // Not published yet (installed templates are drafts), archived, or refused.
    if (error instanceof CaseServiceError && error.status === 404) throw new ReviewRefused("workflow_missing");
    throw error;
  }
  const after = await findService(trx, actor.org.id, serviceId);
  if (after?.status !== "in_review" || after.review_case_id !== started.caseId) throw new ReviewRefused("review_failed");
  return { caseId: started.caseId, reference: started.reference };
}

/**
 * A review whose case ended without publishing or sending back (cancelled by an admin) leaves
 * the card locked; this unlocks it. Refused while the review case is still running.
 */
export async function releaseStaleReview(trx: Tx, orgId: string, serviceId: string, actorLabel: string): Promise<boolean> {
  const row = await findService(trx, orgId, serviceId, { forUpdate: true });
  if (!row || row.status !== "in_review") return false;
  if (row.review_case_id) {
    const kase = await trx.selectFrom("cases").select("status").where("org_id", "=", orgId).where("id", "=", row.review_case_id).executeTakeFirst();
    if (kase && (kase.status === "running" || kase.status === "incident")) return false;
  }
  await sendBackService(trx, orgId, serviceId, row.review_case_id, "review_ended", actorLabel);
  return true;
}
