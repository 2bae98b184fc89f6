import type { DefinitionGraph, Localised } from "~/engine/definition";
import { createPolicy } from "~/models/sla-policies.server";
import { createDefinition, publish } from "~/models/workflow-definitions.server";
import type { Tx } from "~/utils/db.server";

// Demo SLA data (DOMAIN.md §2): the service charter's promise — complaints answered within 48
// or 72 hours — as a complaints process of the social services department, with a policy whose
// escalation ladder has the SLA template's four levels ("escalation levels of the provider:
// first … fourth, each with a person, a title and a maximum response time").

const l = (ar: string, en: string): Localised => ({ ar, en });

export function complaintDefinition(): DefinitionGraph {
  return {
    key: "customer-complaint",
    name: l("معالجة شكوى متعامل", "Handle a customer complaint"),
    direction: "rtl",
    lanes: [
      { id: "lane_cs", name: l("موظف خدمة المتعاملين", "Customer service employee"), assignee: { type: "unit", unitCode: "16" } },
      { id: "lane_decision", name: l("متخذ القرار", "Decision maker"), assignee: { type: "role", roleKey: "manager" } },
    ],
    nodes: [
      { id: "start", kind: "start", name: l("ورود الشكوى", "Complaint received"), lane: "lane_cs", position: { x: 1160, y: 57 } },
      {
        id: "study",
        kind: "task",
        name: l("دراسة الشكوى والرد على المتعامل", "Study the complaint and answer the customer"),
        lane: "lane_cs",
        position: { x: 960, y: 35 },
        instructions: l(
          "ادرس الشكوى وتواصل مع المتعامل، وزوّده بمعلومات عن حالة شكواه حتى تُغلق",
          "Study the complaint, contact the customer and keep them informed until it is closed",
        ),
        estimatedMinutes: 60,
      },
      {
        id: "close",
        kind: "task",
        name: l("اعتماد الرد وإغلاق الشكوى", "Approve the answer and close the complaint"),
        lane: "lane_decision",
        position: { x: 760, y: 185 },
        estimatedMinutes: 15,
      },
      { id: "end", kind: "end", name: l("أُغلقت الشكوى", "Complaint closed"), lane: "lane_decision", position: { x: 600, y: 207 } },
    ],
    edges: [
      { id: "f_start", source: "start", target: "study" },
      { id: "f_study", source: "study", target: "close" },
      { id: "f_close", source: "close", target: "end" },
    ],
  };
}

export async function seedSla(trx: Tx, input: { orgId: string; slug: string; adminUserId: string }): Promise<void> {
  if (input.slug !== "social-services") return;
  const actor = { orgId: input.orgId, actorUserId: input.adminUserId, actorLabel: "seed", requestId: null, ip: null };
  const graph = complaintDefinition();
  const created = await createDefinition(trx, actor, { key: graph.key, name: graph.name, graph });
  if (!created.ok) throw new Error(`demo workflow ${graph.key}: ${created.reason}`);
  const published = await publish(trx, actor, created.definitionId, "النسخة الأولى");
  if (!published.ok) throw new Error(`demo workflow ${graph.key} does not publish: ${JSON.stringify(published)}`);
  const policy = await createPolicy(trx, actor, created.definitionId, {
    nameAr: "الرد على الشكاوى خلال 72 ساعة عمل",
    nameEn: "Complaints answered within 72 working hours",
    scope: "every_step",
    nodeId: null,
    condition: null,
    responseMinutes: 4 * 60,
    resolutionMinutes: 72 * 60,
    warnPercents: [50, 75],
    levels: [
      { afterMinutes: 0, assignee: { type: "role", roleKey: "manager" }, actions: ["notify"] },
      { afterMinutes: 4 * 60, assignee: { type: "role", roleKey: "manager" }, actions: ["notify", "raise_priority"] },
      { afterMinutes: 8 * 60, assignee: { type: "role", roleKey: "admin" }, actions: ["notify", "reassign"] },
      { afterMinutes: 16 * 60, assignee: { type: "user", userId: input.adminUserId }, actions: ["notify", "raise_priority"] },
    ],
    active: true,
  });
  if (!policy.ok) throw new Error(`demo SLA policy: ${JSON.stringify(policy)}`);
}
