import type { Localised } from "~/engine/definition";
import { addressKey, formatCode, normaliseCode, normaliseContact, type Contact } from "~/portal/codes";
import { addressHash, codeHash, trackingCodeFor, verifyTicket } from "~/portal/ticket.server";
import { withTenant, type Db } from "~/utils/db.server";
import { NotFoundError, ValidationError, type DataIssue } from "./case-errors";
import { checkStartFromPortal, startCaseFromPortal } from "./cases.server";
import { PluginDisabledError } from "./plugin-node-kinds.server";
import { hitLimits, PORTAL_LIMITS, type PortalLimits } from "./portal-limits.server";
import { parseStoredGraph } from "./published-versions.server";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./users.server";

// Requests sent through the public portal (ADR 010): submit (a case started by nobody, a
// tracking code shown once), track (code + the same phone/email → status, current step,
// result) and rate (1–5 once, when the case is completed). Nothing here trusts the caller:
// every call counts against the rate limits first, and a lookup answers "not found" alike
// for an unknown code, a wrong contact or a malformed input — after the same argon2 work.

/** The service a request is for, as the catalogue publishes it (only fully digital ones). */
export interface PortalService {
  code: string;
  workflowKey: string;
}

export interface SubmitInput {
  orgId: string;
  service: PortalService;
  /** The signed ticket the form carried (issued when it was shown). */
  ticket: string;
  /** The honeypot field: people never see it, so anything in it is a bot. */
  honeypot: string;
  contact: string;
  /** The start form's answers (validated by the case service against the form). */
  data: unknown;
  /** The case title staff see in their lists. */
  title: string;
  locale: "ar" | "en";
  ip: string;
}

export type SubmitResult =
  | { ok: true; code: string; reference: string }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number }
  /** Honeypot filled, or a forged/foreign ticket: told only that it could not be sent. */
  | { ok: false; reason: "rejected" | "too_fast" | "expired" | "not_startable" }
  /**
   * What the requester typed is refused, all of it in one answer: the phone/email
   * (`contactRefused`: missing, or neither a phone number nor an email address) and the
   * start form's answers (`issues`, field by field; empty when only the contact is wrong).
   */
  | { ok: false; reason: "invalid"; issues: DataIssue[]; contactRefused: boolean };

let secretCache: Promise<string> | undefined;

/** The portal's signing secret (migration 0011), read once per process. */
export function portalSecret(db: Db): Promise<string> {
  secretCache ??= db
    .selectFrom("portal_secret")
    .select("secret")
    .where("id", "=", 1)
    .executeTakeFirstOrThrow()
    .then((r) => r.secret)
    .catch((error: unknown) => {
      secretCache = undefined;
      throw error;
    });
  return secretCache;
}

async function addressOf(db: Db, ip: string): Promise<string> {
  return addressHash(await portalSecret(db), addressKey(ip));
}

/** The request row of a code, if the contact matches; the same argon2 work either way. */
async function findVerified(db: Db, orgId: string, code: string | null, contact: Contact | null) {
  const row =
    code && contact
      ? await withTenant(db, { orgId }, (trx) =>
          trx
            .selectFrom("portal_requests")
            .select(["id", "case_id", "service_code", "contact_kind", "contact_hash"])
            .where("org_id", "=", orgId)
            .where("code_hash", "=", codeHash(orgId, code))
            .executeTakeFirst(),
        )
      : undefined;
  const matches = await verifyPassword(row?.contact_hash ?? (await dummyPasswordHash()), contact?.value ?? "");
  return row && contact && matches && row.contact_kind === contact.kind ? row : null;
}

const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === "23505";

export async function submitPortalRequest(db: Db, input: SubmitInput, limits: PortalLimits = PORTAL_LIMITS): Promise<SubmitResult> {
  const { orgId } = input;
  const secret = await portalSecret(db);
  const limited = await hitLimits(db, orgId, "submit", addressHash(secret, addressKey(input.ip)), limits);
  if (!limited.ok) return { ok: false, reason: "rate_limited", retryAfterSeconds: limited.retryAfterSeconds };
  if (input.honeypot.trim() !== "") return { ok: false, reason: "rejected" };
  const ticket = verifyTicket(secret, input.ticket, orgId, input.service.code);
  if (!ticket.ok) return { ok: false, reason: ticket.reason === "invalid" ? "rejected" : ticket.reason };
  const contact = normaliseContact(input.contact);
  const start = { definitionKey: input.service.workflowKey, data: input.data, title: input.title };
  if (!contact) {
    // The answers are checked as well (nothing starts), so every refusal comes in one round.
    try {
      await withTenant(db, { orgId }, (trx) => checkStartFromPortal(trx, orgId, input.locale, start));
    } catch (error) {
      return refusal(error, true);
    }
    return { ok: false, reason: "invalid", issues: [], contactRefused: true };
  }

  // The same form sent twice (double click, refresh) has the same code: answer with it again.
  const code = trackingCodeFor(secret, orgId, ticket.nonce);
  const again = async (): Promise<SubmitResult> => {
    const existing = await findVerified(db, orgId, code, contact);
    if (!existing) return { ok: false, reason: "expired" };
    const kase = await withTenant(db, { orgId }, (trx) =>
      trx.selectFrom("cases").select("reference").where("org_id", "=", orgId).where("id", "=", existing.case_id).executeTakeFirstOrThrow(),
    );
    return { ok: true, code: formatCode(code), reference: kase.reference };
  };
  const hash = codeHash(orgId, code);
  const seen = await withTenant(db, { orgId }, (trx) => trx.selectFrom("portal_requests").select("id").where("org_id", "=", orgId).where("code_hash", "=", hash).executeTakeFirst());
  if (seen) return again();

  const contactHash = await hashPassword(contact.value);
  try {
    const started = await withTenant(db, { orgId }, async (trx) => {
      const result = await startCaseFromPortal(trx, orgId, input.locale, start);
      await trx
        .insertInto("portal_requests")
        .values({ org_id: orgId, case_id: result.caseId, service_code: input.service.code, code_hash: hash, contact_kind: contact.kind, contact_hash: contactHash, locale: input.locale })
        .execute();
      return result;
    });
    return { ok: true, code: formatCode(code), reference: started.reference };
  } catch (error) {
    // A concurrent copy of this form won the insert: its case stands, this one rolled back.
    if (isUniqueViolation(error)) return again();
    return refusal(error, false);
  }
}

/** A refused start as the portal answers it; anything else is not the requester's doing. */
function refusal(error: unknown, contactRefused: boolean): SubmitResult {
  if (error instanceof ValidationError) return { ok: false, reason: "invalid", issues: error.issues, contactRefused };
  if (error instanceof NotFoundError || error instanceof PluginDisabledError) return { ok: false, reason: "not_startable" };
  throw error;
}

export interface TrackView {
  reference: string;
  serviceCode: string;
  /** The workflow's name (the catalogue's service name is looked up by the page). */
  flowName: Localised;
  status: "in_progress" | "completed" | "cancelled";
  submittedAt: Date;
  closedAt: Date | null;
  currentSteps: { name: Localised; since: Date }[];
  /** When completed: how it ended (the end step's name) and the notice staff left (data.resultNotice). */
  result: { outcome: Localised | null; notice: string | null } | null;
  rating: { rating: number; comment: string | null; at: Date } | null;
  canRate: boolean;
}

export type TrackResult = { ok: true; view: TrackView } | { ok: false; reason: "not_found" } | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

export interface TrackInput {
  orgId: string;
  code: string;
  contact: string;
  ip: string;
}

/** The notice a flow's last step may leave for the requester: data.resultNotice (text). */
function noticeOf(data: Record<string, unknown>): string | null {
  const value = data.resultNotice;
  return typeof value === "string" && value.trim() ? value.trim().slice(0, 2000) : null;
}

async function loadView(db: Db, orgId: string, caseId: string, serviceCode: string): Promise<TrackView> {
  return withTenant(db, { orgId }, async (trx) => {
    const kase = await trx
      .selectFrom("cases as c")
      .innerJoin("workflow_versions as v", (j) => j.onRef("v.org_id", "=", "c.org_id").onRef("v.id", "=", "c.version_id"))
      .select(["c.reference", "c.status", "c.data", "c.started_at", "c.completed_at", "v.graph"])
      .where("c.org_id", "=", orgId)
      .where("c.id", "=", caseId)
      .executeTakeFirstOrThrow();
    const [tasks, moves, rating] = await Promise.all([
      trx.selectFrom("tasks").select(["name_ar", "name_en", "created_at"]).where("org_id", "=", orgId).where("case_id", "=", caseId).where("status", "=", "open").orderBy("created_at").execute(),
      kase.status === "completed"
        ? trx.selectFrom("case_events").select("node_id").where("org_id", "=", orgId).where("case_id", "=", caseId).where("type", "=", "token_moved").orderBy("seq", "desc").limit(50).execute()
        : Promise.resolve([]),
      trx.selectFrom("portal_ratings").select(["rating", "comment", "created_at"]).where("org_id", "=", orgId).where("case_id", "=", caseId).executeTakeFirst(),
    ]);
    const graph = parseStoredGraph(kase.graph);
    const ends = new Map(graph.nodes.filter((n) => n.kind === "end").map((n) => [n.id, n.name]));
    const endNode = moves.find((m) => m.node_id && ends.has(m.node_id))?.node_id;
    const completed = kase.status === "completed";
    return {
      reference: kase.reference,
      serviceCode,
      flowName: graph.name,
      // An incident is the organisation's problem to fix: to the requester it is still in progress.
      status: completed ? "completed" : kase.status === "cancelled" ? "cancelled" : "in_progress",
      submittedAt: kase.started_at,
      closedAt: kase.completed_at,
      currentSteps: tasks.map((t) => ({ name: { ar: t.name_ar, en: t.name_en }, since: t.created_at })),
      result: completed ? { outcome: endNode ? (ends.get(endNode) ?? null) : null, notice: noticeOf(kase.data) } : null,
      rating: rating ? { rating: rating.rating, comment: rating.comment, at: rating.created_at } : null,
      canRate: completed && !rating,
    };
  });
}

export async function trackPortalRequest(db: Db, input: TrackInput, limits: PortalLimits = PORTAL_LIMITS): Promise<TrackResult> {
  const limited = await hitLimits(db, input.orgId, "track", await addressOf(db, input.ip), limits);
  if (!limited.ok) return { ok: false, reason: "rate_limited", retryAfterSeconds: limited.retryAfterSeconds };
  const found = await findVerified(db, input.orgId, normaliseCode(input.code), normaliseContact(input.contact));
  if (!found) return { ok: false, reason: "not_found" };
  return { ok: true, view: await loadView(db, input.orgId, found.case_id, found.service_code) };
}

export const MAX_RATING_COMMENT = 2000;

export type RateResult =
  | { ok: true; view: TrackView }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "invalid" | "not_completed" | "already_rated"; view: TrackView }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

/** Satisfaction 1–5 with an optional comment, once per request, when the case is completed. */
export async function ratePortalRequest(db: Db, input: TrackInput & { rating: number; comment: string }, limits: PortalLimits = PORTAL_LIMITS): Promise<RateResult> {
  const limited = await hitLimits(db, input.orgId, "track", await addressOf(db, input.ip), limits);
  if (!limited.ok) return { ok: false, reason: "rate_limited", retryAfterSeconds: limited.retryAfterSeconds };
  const found = await findVerified(db, input.orgId, normaliseCode(input.code), normaliseContact(input.contact));
  if (!found) return { ok: false, reason: "not_found" };
  const comment = input.comment.trim();
  if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5 || comment.length > MAX_RATING_COMMENT) {
    return { ok: false, reason: "invalid", view: await loadView(db, input.orgId, found.case_id, found.service_code) };
  }
  const outcome = await withTenant(db, { orgId: input.orgId }, async (trx) => {
    const kase = await trx.selectFrom("cases").select("status").where("org_id", "=", input.orgId).where("id", "=", found.case_id).executeTakeFirstOrThrow();
    if (kase.status !== "completed") return "not_completed" as const;
    const inserted = await trx
      .insertInto("portal_ratings")
      .values({ org_id: input.orgId, case_id: found.case_id, service_code: found.service_code, rating: input.rating, comment: comment || null })
      .onConflict((oc) => oc.columns(["org_id", "case_id"]).doNothing())
      .returning("case_id")
      .executeTakeFirst();
    return inserted ? ("ok" as const) : ("already_rated" as const);
  });
  const view = await loadView(db, input.orgId, found.case_id, found.service_code);
  return outcome === "ok" ? { ok: true, view } : { ok: false, reason: outcome, view };
}
