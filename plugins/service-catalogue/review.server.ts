import { startCase } from "~/models/cases.server";
import type { CaseActor } from "~/models/case-access.server";
import { CaseServiceError } from "~/models/case-errors";
import type { Tx } from "~/utils/db.server";
import { hasLintErrors, lintServiceName } from "./name-linter";
import type { ServiceCatalogueTables } from "./db";
import { findService, sendBackService, type ServiceRow } from "./services.server";
import { SERVICE_REVIEW_KEY } from "./templates";

// "Send for review": starts the organisation's copy of the "مراجعة خدمة ونشرها" workflow for
// one service. The copy's key is the one recorded when the template was installed (a
// taken key gets "-2"…), so renaming nothing breaks the button.

const ACTOR = "plugin:service-catalogue";

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
  // A review cancelled since the page was shown no longer holds the card.
  await releaseEndedReviews(trx, actor.org.id, serviceId);
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

/** A review case that ended without the workflow deciding, and the service it held. */
export interface EndedReview {
  serviceId: string;
  caseId: string | null;
  reference: string | null;
  /** "cancelled" (by an admin: Cases → the case → cancel), "completed" (a path with neither publish nor send back), or "missing". */
  caseStatus: "cancelled" | "completed" | "missing";
}

/**
 * Services locked "in review" whose review case has ended without publishing or sending the
 * card back — in practice a member with the right cancelled the case — go back to draft
 * (editable again; a published version stays on the portal), keeping the ended case as their
 * last review for the service page to name. The core knows nothing of the plugin, and its
 * contract has no "case cancelled" hook: the catalogue notices instead, every
 * time one of its pages reads or writes a card (the list, a service page, the edit form,
 * sending for review). Each candidate's row is locked and read again before it is released:
 * the workflow publishes or sends back in the same transaction that ends its case, so a review
 * the workflow has just decided is left alone, and two pages releasing at once release once.
 * `serviceId` narrows the look to one service. Each release is audit-logged.
 */
export async function releaseEndedReviews(trx: Tx, orgId: string, serviceId?: string): Promise<EndedReview[]> {
  let q = trx
    .withTables<ServiceCatalogueTables>()
    .selectFrom("service_catalogue_service as s")
    .leftJoin("cases as c", (join) => join.onRef("c.id", "=", "s.review_case_id").onRef("c.org_id", "=", "s.org_id"))
    .select(["s.id as serviceId", "s.review_case_id as caseId", "c.reference", "c.status as caseStatus"])
    .where("s.org_id", "=", orgId)
    .where("s.status", "=", "in_review")
    .where((eb) => eb.or([eb("c.id", "is", null), eb("c.status", "in", ["cancelled", "completed"])]));
  if (serviceId) q = q.where("s.id", "=", serviceId);
  const candidates = await q.orderBy("s.serial").execute();
  const released: EndedReview[] = [];
  for (const found of candidates) {
    // Locked and read again: the workflow may have published or sent it back meanwhile.
    const row = await findService(trx, orgId, found.serviceId, { forUpdate: true });
    if (!row || row.status !== "in_review" || row.review_case_id !== found.caseId) continue;
    const caseStatus = found.caseStatus === "cancelled" || found.caseStatus === "completed" ? found.caseStatus : "missing";
    await sendBackService(trx, orgId, row.id, found.caseId, caseStatus === "cancelled" ? "review_cancelled" : "review_ended", ACTOR, { keepReviewCase: true });
    released.push({ serviceId: row.id, caseId: found.caseId, reference: found.reference ?? null, caseStatus });
  }
  return released;
}

/**
 * findService for the catalogue's pages: a card whose review case ended without a decision is
 * first returned to draft (releaseEndedReviews); `ended` says so, for the page to tell why.
 */
export async function findServiceForPage(trx: Tx, orgId: string, id: string): Promise<{ row: ServiceRow | undefined; ended: EndedReview | null }> {
  const row = await findService(trx, orgId, id);
  if (row?.status !== "in_review") return { row, ended: null };
  const [ended] = await releaseEndedReviews(trx, orgId, row.id);
  return ended ? { row: await findService(trx, orgId, id), ended } : { row, ended: null };
}
