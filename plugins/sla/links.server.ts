import { sql } from "kysely";
import type { DefinitionGraph } from "~/engine/definition";
import { recordAudit } from "~/models/audit.server";
import { parseStoredGraph } from "~/models/published-versions.server";
import { createPolicy, deletePolicy, getPolicy, updatePolicy, type SlaPolicy, type SlaPolicyInput } from "~/models/sla-policies.server";
import type { AuditActor } from "~/utils/audit-actor.server";
import type { Tx } from "~/utils/db.server";
import { log } from "~/utils/log.server";
import type { ServiceCatalogueTables } from "../service-catalogue/db";
import { setSlaReference } from "../service-catalogue/services.server";
import { agreementPhase, ladderAssignees, type AgreementContent, type Side } from "./agreement";
import { importDeadlineBreaches } from "./breaches.server";
import { orgToday } from "./calendar.server";
import type { SlaTables } from "./db";
import { agreementContentSchema, linkSchema, type LinkInput } from "./schema";

// Linked services: a catalogue service's step whose work passes to the other agency runs under
// the agreement. While the agreement is in force each link has a core deadline policy on that
// step (app/models/sla-policies.server.ts, "the plugin's way in"): the channel's response time
// as the resolution target, a warning at 75 %, and the responsible side's escalation ladder —
// level k fires its rung's maximum response time after level k−1, notifying the rung's member
// (or this side's monitor, or our monitor, or the organisation's admins). The policies follow
// every signature and every change of the links, and go when the agreement is cancelled or
// expires. The service's card names the agreement (sla_reference).

const tables = (trx: Tx) => trx.withTables<SlaTables & ServiceCatalogueTables>();

export interface LinkView {
  id: string;
  serviceId: string;
  serviceCode: string;
  serviceName: { ar: string; en: string };
  nodeId: string;
  stepName: { ar: string; en: string } | null;
  channel: "email" | "letter";
  responsibleSide: Side;
  policyId: string | null;
}

export interface LinkableService {
  serviceId: string;
  code: string;
  name: { ar: string; en: string };
  steps: { nodeId: string; name: { ar: string; en: string } }[];
}

/** A workflow's definition (the policies' family) and the task steps of its latest published version. */
interface PublishedFlow {
  definitionId: string;
  steps: { nodeId: string; name: { ar: string; en: string } }[];
}

async function publishedFlows(trx: Tx, orgId: string, keys: string[]): Promise<Map<string, PublishedFlow>> {
  const out = new Map<string, PublishedFlow>();
  if (keys.length === 0) return out;
  const rows = await trx
    .selectFrom("workflow_definitions as d")
    .innerJoin("workflow_versions as v", (j) => j.onRef("v.org_id", "=", "d.org_id").onRef("v.definition_id", "=", "d.id"))
    .select(["d.id", "d.key", "v.graph", "v.version"])
    .where("d.org_id", "=", orgId)
    .where("d.key", "in", [...new Set(keys)])
    .where("v.status", "=", "published")
    .orderBy("v.version", "desc")
    .execute();
  for (const row of rows) {
    if (out.has(row.key)) continue;
    let graph: DefinitionGraph;
    try {
      graph = parseStoredGraph(row.graph);
    } catch (error) {
      log.error("sla: a published workflow graph does not parse", { orgId, key: row.key, error: String(error) });
      continue;
    }
    out.set(row.key, { definitionId: row.id, steps: graph.nodes.filter((n) => n.kind === "task").map((n) => ({ nodeId: n.id, name: { ar: n.name.ar, en: n.name.en } })) });
  }
  return out;
}

/** Catalogue services whose workflow has a published version, with that version's task steps. */
export async function linkableServices(trx: Tx, orgId: string): Promise<LinkableService[]> {
  const services = await tables(trx)
    .selectFrom("service_catalogue_service")
    .select(["id", "code", "name_ar", "name_en", "workflow_key"])
    .where("org_id", "=", orgId)
    .where("workflow_key", "is not", null)
    .orderBy("serial")
    .limit(1000)
    .execute();
  const flows = await publishedFlows(
    trx,
    orgId,
    services.map((s) => s.workflow_key!),
  );
  return services.flatMap((s) => {
    const flow = flows.get(s.workflow_key!);
    return flow && flow.steps.length ? [{ serviceId: s.id, code: s.code, name: { ar: s.name_ar, en: s.name_en }, steps: flow.steps }] : [];
  });
}

export async function listLinks(trx: Tx, orgId: string, agreementId: string): Promise<LinkView[]> {
  const rows = await tables(trx)
    .selectFrom("sla_agreement_link as l")
    .innerJoin("service_catalogue_service as s", (j) => j.onRef("s.org_id", "=", "l.org_id").onRef("s.id", "=", "l.service_id"))
    .select(["l.id", "l.service_id", "l.node_id", "l.channel", "l.responsible_side", "l.policy_id", "s.code", "s.name_ar", "s.name_en", "s.workflow_key"])
    .where("l.org_id", "=", orgId)
    .where("l.agreement_id", "=", agreementId)
    .orderBy("s.serial")
    .orderBy("l.created_at")
    .execute();
  const flows = await publishedFlows(
    trx,
    orgId,
    rows.flatMap((r) => (r.workflow_key ? [r.workflow_key] : [])),
  );
  return rows.map((r) => ({
    id: r.id,
    serviceId: r.service_id,
    serviceCode: r.code,
    serviceName: { ar: r.name_ar, en: r.name_en },
    nodeId: r.node_id,
    stepName: (r.workflow_key && flows.get(r.workflow_key)?.steps.find((s) => s.nodeId === r.node_id)?.name) || null,
    channel: r.channel,
    responsibleSide: r.responsible_side,
    policyId: r.policy_id,
  }));
}

/**
 * Replaces the agreement's links. Each must name a catalogue service with a published workflow
 * and one of its task steps ("invalid_step", detail: the step or service id), not linked to
 * another agreement already ("taken", detail: that agreement's number). The deadline policies
 * and the services' references follow at once.
 */
export async function setLinks(
  trx: Tx,
  actor: AuditActor,
  id: string,
  links: LinkInput[],
): Promise<{ ok: true } | { ok: false; reason: "not_found" | "invalid_step" | "taken"; detail?: string }> {
  const input = links.map((l) => linkSchema.parse(l));
  const agreement = await tables(trx).selectFrom("sla_agreement").select(["id", "number"]).where("org_id", "=", actor.orgId).where("id", "=", id).forUpdate().executeTakeFirst();
  if (!agreement) return { ok: false, reason: "not_found" };

  const seen = new Set<string>();
  for (const l of input) {
    const key = `${l.serviceId}/${l.nodeId}`;
    if (seen.has(key)) return { ok: false, reason: "taken", detail: agreement.number };
    seen.add(key);
  }
  const serviceIds = [...new Set(input.map((l) => l.serviceId))];
  const services = serviceIds.length
    ? await tables(trx).selectFrom("service_catalogue_service").select(["id", "workflow_key"]).where("org_id", "=", actor.orgId).where("id", "in", serviceIds).execute()
    : [];
  const flows = await publishedFlows(
    trx,
    actor.orgId,
    services.flatMap((s) => (s.workflow_key ? [s.workflow_key] : [])),
  );
  for (const l of input) {
    const service = services.find((s) => s.id === l.serviceId);
    if (!service?.workflow_key) return { ok: false, reason: "invalid_step", detail: l.serviceId };
    if (!flows.get(service.workflow_key)?.steps.some((s) => s.nodeId === l.nodeId)) return { ok: false, reason: "invalid_step", detail: l.nodeId };
  }
  if (input.length) {
    const others = await tables(trx)
      .selectFrom("sla_agreement_link as l")
      .innerJoin("sla_agreement as a", (j) => j.onRef("a.org_id", "=", "l.org_id").onRef("a.id", "=", "l.agreement_id"))
      .select(["l.service_id", "l.node_id", "a.number"])
      .where("l.org_id", "=", actor.orgId)
      .where("l.agreement_id", "<>", id)
      .where("l.service_id", "in", serviceIds)
      .execute();
    const clash = others.find((o) => seen.has(`${o.service_id}/${o.node_id}`));
    if (clash) return { ok: false, reason: "taken", detail: clash.number };
  }

  const before = await tables(trx)
    .selectFrom("sla_agreement_link")
    .select(["id", "service_id", "node_id", "channel", "responsible_side", "policy_id"])
    .where("org_id", "=", actor.orgId)
    .where("agreement_id", "=", id)
    .execute();
  const wanted = new Map(input.map((l) => [`${l.serviceId}/${l.nodeId}`, l]));
  // Breaches already on the ledger of a policy about to go are kept on the agreement's form.
  await importDeadlineBreaches(trx, actor.orgId, id);
  for (const old of before) {
    const l = wanted.get(`${old.service_id}/${old.node_id}`);
    if (!l) {
      if (old.policy_id) await deletePolicy(trx, actor, old.policy_id);
      await tables(trx).deleteFrom("sla_agreement_link").where("org_id", "=", actor.orgId).where("id", "=", old.id).execute();
    } else if (l.channel !== old.channel || l.responsibleSide !== old.responsible_side) {
      await tables(trx).updateTable("sla_agreement_link").set({ channel: l.channel, responsible_side: l.responsibleSide }).where("org_id", "=", actor.orgId).where("id", "=", old.id).execute();
    }
  }
  const fresh = input.filter((l) => !before.some((b) => b.service_id === l.serviceId && b.node_id === l.nodeId));
  if (fresh.length) {
    await tables(trx)
      .insertInto("sla_agreement_link")
      .values(fresh.map((l) => ({ org_id: actor.orgId, agreement_id: id, service_id: l.serviceId, node_id: l.nodeId, channel: l.channel, responsible_side: l.responsibleSide, policy_id: null })))
      .execute();
  }
  await recordAudit(trx, {
    ...actor,
    action: "agreement.links",
    subjectType: "Agreement",
    subjectId: id,
    before: before.map((b) => ({ serviceId: b.service_id, nodeId: b.node_id, channel: b.channel, responsibleSide: b.responsible_side })),
    after: input,
  });
  const { today } = await orgToday(trx, actor.orgId);
  await syncAgreementPolicies(trx, actor, id, today);
  await refreshSlaReferences(trx, actor.orgId, [...new Set([...serviceIds, ...before.map((b) => b.service_id)])], today);
  return { ok: true };
}

/** The policy a link should have under the agreement's signed content. */
export function policyFor(
  number: string,
  content: AgreementContent,
  link: { node_id: string; channel: "email" | "letter"; responsible_side: Side },
  members: ReadonlySet<string>,
): SlaPolicyInput {
  const side = content[link.responsible_side];
  const member = (userId: string | null) => (userId && members.has(userId) ? userId : null);
  const fallback = member(side.monitor.userId) ?? member(content[content.ourSide].monitor.userId);
  const ladder = side.ladder.map((level) => ({ ...level, userId: member(level.userId) }));
  const assignees = ladderAssignees(ladder, fallback);
  const name = (n: string) => `${number} — ${n}`.slice(0, 200);
  return {
    nameAr: name(content.nameAr),
    nameEn: name(content.nameEn || content.nameAr),
    scope: "step",
    nodeId: link.node_id,
    condition: null,
    responseMinutes: null,
    resolutionMinutes: link.channel === "email" ? content.responseTimes.emailMinutes : content.responseTimes.letterMinutes,
    warnPercents: [75],
    levels: ladder.map((level, i) => ({ afterMinutes: level.maxResponseMinutes, assignee: assignees[i]!, actions: ["notify"] })),
    active: true,
  };
}

function samePolicy(p: SlaPolicy, input: SlaPolicyInput): boolean {
  const pick = (x: SlaPolicyInput) =>
    JSON.stringify([x.nameAr, x.nameEn, x.scope, x.nodeId, x.condition, x.responseMinutes, x.resolutionMinutes, [...x.warnPercents].sort((a, b) => a - b), x.levels, x.active]);
  return pick(p) === pick(input);
}

/**
 * Brings the agreement's deadline policies in line with what is in force on `today`: while the
 * agreement is active (or cancelling) each link whose service has a published workflow gets its
 * policy with the signed version's terms (created, or updated when they changed); otherwise
 * (draft, cancelled, expired) the policies go. Breaches recorded under a policy about to go are
 * first imported into the agreement's ledger.
 */
export async function syncAgreementPolicies(trx: Tx, actor: AuditActor, id: string, today: string): Promise<void> {
  const agreement = await tables(trx)
    .selectFrom("sla_agreement")
    .select(["id", "number", "signed_version", sql<string | null>`cancel_effective::text`.as("cancel_effective")])
    .where("org_id", "=", actor.orgId)
    .where("id", "=", id)
    .executeTakeFirst();
  if (!agreement) return;
  const links = await tables(trx)
    .selectFrom("sla_agreement_link as l")
    .innerJoin("service_catalogue_service as s", (j) => j.onRef("s.org_id", "=", "l.org_id").onRef("s.id", "=", "l.service_id"))
    .select(["l.id", "l.node_id", "l.channel", "l.responsible_side", "l.policy_id", "s.workflow_key"])
    .where("l.org_id", "=", actor.orgId)
    .where("l.agreement_id", "=", id)
    .execute();
  if (links.length === 0) return;

  let content: AgreementContent | null = null;
  if (agreement.signed_version !== null) {
    const v = await tables(trx)
      .selectFrom("sla_agreement_version")
      .select("content")
      .where("org_id", "=", actor.orgId)
      .where("agreement_id", "=", id)
      .where("version", "=", agreement.signed_version)
      .executeTakeFirst();
    const parsed = agreementContentSchema.safeParse(v?.content);
    content = parsed.success ? parsed.data : null;
  }
  const inForce = content !== null && ["active", "cancelling"].includes(agreementPhase({ signed: true, term: content.term, cancellationEffective: agreement.cancel_effective }, today));

  if (!inForce && links.some((l) => l.policy_id)) {
    await importDeadlineBreaches(trx, actor.orgId, id);
  }
  const flows = inForce
    ? await publishedFlows(
        trx,
        actor.orgId,
        links.flatMap((l) => (l.workflow_key ? [l.workflow_key] : [])),
      )
    : new Map<string, PublishedFlow>();
  const members = inForce
    ? new Set(
        (
          await trx.selectFrom("memberships").select("user_id").where("org_id", "=", actor.orgId).where("disabled_at", "is", null).execute()
        ).map((m) => m.user_id),
      )
    : new Set<string>();

  for (const link of links) {
    const flow = link.workflow_key ? flows.get(link.workflow_key) : undefined;
    const wanted = inForce && content && flow?.steps.some((s) => s.nodeId === link.node_id) ? policyFor(agreement.number, content, link, members) : null;
    const existing = link.policy_id ? await getPolicy(trx, actor.orgId, link.policy_id) : undefined;
    let policyId: string | null = link.policy_id;
    if (!wanted) {
      if (existing) await deletePolicy(trx, actor, existing.id);
      policyId = null;
    } else if (existing && existing.definitionId === flow!.definitionId) {
      if (!samePolicy(existing, wanted)) {
        const saved = await updatePolicy(trx, actor, existing.id, wanted, existing.version);
        if (!saved.ok) throw new Error(`sla: policy of ${agreement.number} not updated: ${JSON.stringify(saved)}`);
      }
    } else {
      if (existing) await deletePolicy(trx, actor, existing.id);
      const created = await createPolicy(trx, actor, flow!.definitionId, wanted);
      if (!created.ok) throw new Error(`sla: policy of ${agreement.number} not created: ${JSON.stringify(created)}`);
      policyId = created.id;
    }
    if (policyId !== link.policy_id) {
      await tables(trx).updateTable("sla_agreement_link").set({ policy_id: policyId }).where("org_id", "=", actor.orgId).where("id", "=", link.id).execute();
    }
  }
}

/**
 * Each service's card names the agreements its steps run under ("SLA-1", or "SLA-1، SLA-3"),
 * except agreements already cancelled. A reference typed by hand is kept when no agreement
 * links the service; one written here is cleared.
 */
export async function refreshSlaReferences(trx: Tx, orgId: string, serviceIds: string[], today: string): Promise<void> {
  if (serviceIds.length === 0) return;
  const rows = await tables(trx)
    .selectFrom("sla_agreement_link as l")
    .innerJoin("sla_agreement as a", (j) => j.onRef("a.org_id", "=", "l.org_id").onRef("a.id", "=", "l.agreement_id"))
    .select(["l.service_id", "a.number", "a.serial"])
    .where("l.org_id", "=", orgId)
    .where("l.service_id", "in", serviceIds)
    .where((eb) => eb.or([eb("a.cancel_effective", "is", null), eb("a.cancel_effective", ">", today)]))
    .orderBy("a.serial")
    .execute();
  const current = await tables(trx).selectFrom("service_catalogue_service").select(["id", "sla_reference"]).where("org_id", "=", orgId).where("id", "in", serviceIds).execute();
  for (const service of current) {
    const numbers = [...new Set(rows.filter((r) => r.service_id === service.id).map((r) => r.number))];
    if (numbers.length) await setSlaReference(trx, orgId, service.id, numbers.join("، "));
    else if (/^SLA-\d+(، SLA-\d+)*$/.test(service.sla_reference)) await setSlaReference(trx, orgId, service.id, "");
  }
}
