import type { DefinitionGraph, Lane, Localised, WorkflowNode } from "~/engine/definition";
import { createDefinition, publish } from "~/models/workflow-definitions.server";
import type { Tx } from "~/utils/db.server";
import { FAMILY_UPDATE_FORM_KEY, RESULT_NOTICE_FORM_KEY } from "./forms";

// Demo workflow definitions, published when the demo organisations are first created.
// Lanes use the demo organisations' own units and built-in roles (seeds/demo.ts).

const l = (ar: string, en: string): Localised => ({ ar, en });

// Layout: one horizontal band per lane (150 px), read right to left like the paper charts.
const LANE_H = 150;
const X0 = 1180;
const STEP = 170;
function at(lane: number, column: number, kind: WorkflowNode["kind"]) {
  const size = kind === "start" || kind === "end" || kind === "timer" ? 36 : kind === "decision" || kind === "parallel" ? 50 : 80;
  return { x: X0 - column * STEP - (size === 80 ? 50 : size / 2), y: lane * LANE_H + LANE_H / 2 - size / 2 };
}

/**
 * "إصدار شهادة لمن يهمه الأمر" — the worked example of the service documentation guide
 * (004 §3.4): five steps, ten minutes, each step with its inputs, outputs and tools. The
 * approval is followed by the yes/no decision of the flowchart shapes (§3.5).
 */
export function certificateDefinition(): DefinitionGraph {
  const lanes: Lane[] = [
    { id: "lane_cs", name: l("موظف خدمة المتعاملين", "Customer service employee"), assignee: { type: "unit", unitCode: "16" } },
    { id: "lane_specialist", name: l("موظف مختص", "Specialist employee"), assignee: { type: "unit", unitCode: "20" } },
    { id: "lane_decision", name: l("متخذ القرار", "Decision maker"), assignee: { type: "role", roleKey: "manager" } },
    // The customer's own step is recorded by customer service until a customer portal exists.
    { id: "lane_customer", name: l("المتعامل", "Customer"), assignee: { type: "unit", unitCode: "16" } },
  ];
  const system = l("النظام الإلكتروني", "Electronic system");
  const inPerson = l("وجهًا لوجه", "Face to face");
  const nodes: WorkflowNode[] = [
    { id: "start", kind: "start", name: l("تقديم الطلب", "Request submitted"), lane: "lane_cs", position: at(0, 0, "start") },
    {
      id: "receive",
      kind: "task",
      name: l("استلام الطلب", "Receive the request"),
      lane: "lane_cs",
      position: at(0, 1, "task"),
      documentation: l("استلام الطلب من قبل موظف خدمة المتعاملين", "The customer service employee receives the request"),
      inputs: l("استمارة تقديم الخدمة", "Service application form"),
      outputs: l("الطلب والمستندات المطلوبة", "The request and required documents"),
      tools: system,
      estimatedMinutes: 2,
    },
    {
      id: "study",
      kind: "task",
      name: l("دراسة الطلب", "Study the request"),
      lane: "lane_specialist",
      position: at(1, 2, "task"),
      documentation: l("يتم دراسة الطلب من قبل موظف مختص", "A specialist employee studies the request"),
      inputs: l("الطلب والمستندات المطلوبة", "The request and required documents"),
      outputs: l("دراسة الطلب والتوصيات", "Study of the request and recommendations"),
      tools: system,
      estimatedMinutes: 4,
    },
    {
      id: "approve",
      kind: "task",
      name: l("اعتماد الطلب", "Approve the request"),
      lane: "lane_decision",
      position: at(2, 3, "task"),
      documentation: l("يتم اعتماد الطلب في حين استيفاء الشروط", "The request is approved when the conditions are met"),
      inputs: l("دراسة الطلب والتوصيات", "Study of the request and recommendations"),
      outputs: l("الموافقة على الطلب", "Approval of the request"),
      tools: system,
      estimatedMinutes: 1,
    },
    { id: "eligible", kind: "decision", name: l("هل الطلب مستوفٍ للشروط؟", "Does the request meet the conditions?"), lane: "lane_decision", position: at(2, 4, "decision") },
    {
      id: "deliver",
      kind: "task",
      name: l("طباعة وتسليم الشهادة", "Print and hand over the certificate"),
      lane: "lane_cs",
      position: at(0, 5, "task"),
      documentation: l("يقوم موظف خدمة المتعاملين بتسليم شهادة لمن يهمه الأمر للمتعامل", "The customer service employee hands the certificate to the customer"),
      inputs: l("الموافقة على الطلب", "Approval of the request"),
      outputs: l("طباعة وتسليم منتج الخدمة النهائي", "Printed and delivered final service product"),
      tools: inPerson,
      estimatedMinutes: 2,
      producesDocument: true,
    },
    {
      id: "collect",
      kind: "task",
      name: l("استلام الخدمة", "Receive the service"),
      lane: "lane_customer",
      position: at(3, 6, "task"),
      documentation: l("يتم استلام الخدمة المرجوة من الجهة", "The customer receives the requested service"),
      inputs: l("تقديم وتسليم الخدمة", "Service provided and delivered"),
      outputs: l("استلام الخدمة", "Service received"),
      tools: inPerson,
      estimatedMinutes: 1,
    },
    { id: "done", kind: "end", name: l("تم تسليم الشهادة", "Certificate delivered"), lane: "lane_customer", position: at(3, 7, "end") },
    { id: "rejected", kind: "end", name: l("رفض الطلب", "Request rejected"), lane: "lane_decision", position: at(2, 5, "end") },
  ];
  return {
    key: "certificate-to-whom",
    name: l("إصدار شهادة لمن يهمه الأمر", "Issue a to-whom-it-may-concern certificate"),
    description: l(
      "مستخرج رسمي يفيد بحالة صاحب العلاقة إذا كان يعمل في القطاع الحكومي أو القطاع الخاص",
      "An official statement of whether the person works in the government or the private sector",
    ),
    direction: "rtl",
    lanes,
    nodes,
    edges: [
      { id: "f_start", source: "start", target: "receive" },
      { id: "f_receive", source: "receive", target: "study" },
      { id: "f_study", source: "study", target: "approve" },
      { id: "f_approve", source: "approve", target: "eligible" },
      { id: "f_yes", source: "eligible", target: "deliver", name: l("نعم", "Yes"), condition: "approved = true" },
      { id: "f_no", source: "eligible", target: "rejected", name: l("لا", "No"), isDefault: true },
      { id: "f_deliver", source: "deliver", target: "collect" },
      { id: "f_collect", source: "collect", target: "done" },
    ],
  };
}

/**
 * "طلب مساعدة اجتماعية" — request handling of the beneficiary-relations regulation (001,
 * DOMAIN.md §4): receive, check completeness, the social researcher's review, the research
 * committee's decision (a stage gate), and informing the applicant.
 */
export function socialAidDefinition(): DefinitionGraph {
  const lanes: Lane[] = [
    { id: "lane_centre", name: l("مركز خدمة المستفيدين", "Beneficiary service centre"), assignee: { type: "unit", unitCode: "01" } },
    { id: "lane_researcher", name: l("الباحث الاجتماعي", "Social researcher"), assignee: { type: "role", roleKey: "staff" } },
    { id: "lane_committee", name: l("لجنة البحث الاجتماعي", "Social research committee"), assignee: { type: "unit", unitCode: "02" } },
  ];
  const nodes: WorkflowNode[] = [
    // The application form (seeds/forms.ts) is filled in when the request is recorded.
    { id: "start", kind: "start", name: l("ورود الطلب", "Request arrives"), lane: "lane_centre", position: at(0, 0, "start"), form: "social-aid-application" },
    {
      id: "receive",
      kind: "task",
      name: l("استقبال الطلب", "Receive the request"),
      lane: "lane_centre",
      position: at(0, 1, "task"),
      instructions: l("استقبل المتقدم بلباقة وسجّل بيانات الطلب", "Welcome the applicant politely and record the request"),
      estimatedMinutes: 10,
    },
    {
      id: "check",
      kind: "task",
      name: l("التحقق من اكتمال البيانات والمستندات", "Check the data and documents are complete"),
      lane: "lane_centre",
      position: at(0, 2, "task"),
      instructions: l("تأكد من اكتمال البيانات المقدمة وصحتها", "Make sure the submitted data is complete and valid"),
      estimatedMinutes: 15,
    },
    { id: "complete", kind: "decision", name: l("هل المستندات مكتملة؟", "Are the documents complete?"), lane: "lane_centre", position: at(0, 3, "decision") },
    {
      id: "request_docs",
      kind: "task",
      name: l("طلب استكمال المستندات", "Ask for the missing documents"),
      lane: "lane_centre",
      position: at(0, 4, "task"),
      due: "P7D",
      estimatedMinutes: 5,
    },
    {
      id: "review",
      kind: "task",
      name: l("دراسة الحالة من الباحث الاجتماعي", "Social researcher's review"),
      lane: "lane_researcher",
      position: at(1, 4, "task"),
      instructions: l(
        "ادرس الحالة، وأحل الحالات غير الواضحة للزيارة، واحصل على توقيع المتقدم بصحة البيانات",
        "Study the case, visit where anything is unclear, and have the applicant sign that the data is correct",
      ),
      estimatedMinutes: 60,
      due: "P14D",
    },
    {
      id: "committee",
      kind: "gate",
      name: l("قرار لجنة البحث", "Research committee decision"),
      lane: "lane_committee",
      position: at(2, 5, "gate"),
      approverRole: "manager",
      checklist: [
        { id: "data_verified", label: l("التحقق من صحة البيانات", "Data verified"), required: true },
        { id: "researcher_report", label: l("تقرير الباحث الاجتماعي", "Social researcher's report"), required: true },
        { id: "applicant_signed", label: l("توقيع المتقدم على صحة البيانات", "Applicant signed that the data is correct"), required: true },
      ],
      requiredForms: [],
      requiredDocuments: [],
    },
    {
      id: "notify",
      kind: "task",
      name: l("إبلاغ المتقدم بالقرار", "Inform the applicant of the decision"),
      lane: "lane_centre",
      position: at(0, 6, "task"),
      due: "P3D",
      estimatedMinutes: 10,
      producesDocument: true,
    },
    { id: "end", kind: "end", name: l("انتهاء الطلب", "Request closed"), lane: "lane_centre", position: at(0, 7, "end") },
  ];
  return {
    key: "social-aid-request",
    name: l("طلب مساعدة اجتماعية", "Social aid request"),
    direction: "rtl",
    lanes,
    nodes,
    edges: [
      { id: "f_start", source: "start", target: "receive" },
      { id: "f_receive", source: "receive", target: "check" },
      { id: "f_check", source: "check", target: "complete" },
      { id: "f_complete", source: "complete", target: "review", name: l("نعم", "Yes"), condition: "documentsComplete = true" },
      { id: "f_incomplete", source: "complete", target: "request_docs", name: l("لا", "No"), isDefault: true },
      { id: "f_docs_back", source: "request_docs", target: "check" },
      { id: "f_review", source: "review", target: "committee" },
      { id: "f_go", source: "committee", target: "notify", name: l("الموافقة", "Approved"), outcome: "go" },
      { id: "f_nogo", source: "committee", target: "notify", name: l("الرفض", "Rejected"), outcome: "no-go" },
      { id: "f_rework", source: "committee", target: "review", name: l("إعادة الدراسة", "Study again"), outcome: "rework" },
      { id: "f_notify", source: "notify", target: "end" },
    ],
  };
}

/**
 * "تحديث بيانات أسرة مستفيدة" — the fully digital demo service of the social-services
 * department (plugins/service-catalogue/demo-data.ts): the citizen's request arrives from the
 * public portal through its start form; customer service checks it, the decision maker
 * approves it, and customer service updates the record and leaves the notice the citizen
 * reads on the tracking page (data.resultNotice, the step form "request-result-notice").
 */
export function familyUpdateDefinition(): DefinitionGraph {
  const lanes: Lane[] = [
    { id: "lane_cs", name: l("موظف خدمة المتعاملين", "Customer service employee"), assignee: { type: "unit", unitCode: "16" } },
    { id: "lane_decision", name: l("متخذ القرار", "Decision maker"), assignee: { type: "role", roleKey: "manager" } },
  ];
  const system = l("النظام الإلكتروني", "Electronic system");
  const nodes: WorkflowNode[] = [
    { id: "start", kind: "start", name: l("تقديم الطلب عبر البوابة", "Request sent on the portal"), lane: "lane_cs", position: at(0, 0, "start"), form: FAMILY_UPDATE_FORM_KEY },
    {
      id: "verify",
      kind: "task",
      name: l("التحقق من البيانات", "Check the details"),
      lane: "lane_cs",
      position: at(0, 1, "task"),
      documentation: l("يطابق موظف خدمة المتعاملين البيانات المقدمة مع سجل الأسرة", "Customer service compares the details sent with the family's record"),
      inputs: l("استمارة طلب تحديث بيانات الأسرة", "Family details update request"),
      outputs: l("طلب مدقق", "A checked request"),
      tools: system,
      estimatedMinutes: 10,
    },
    {
      id: "approve",
      kind: "task",
      name: l("اعتماد التحديث", "Approve the update"),
      lane: "lane_decision",
      position: at(1, 2, "task"),
      documentation: l("يعتمد متخذ القرار تحديث سجل الأسرة", "The decision maker approves the change to the family's record"),
      inputs: l("طلب مدقق", "A checked request"),
      outputs: l("الموافقة على التحديث", "Approval of the update"),
      tools: system,
      estimatedMinutes: 5,
    },
    {
      id: "notify",
      kind: "task",
      name: l("تحديث السجل وإشعار المتعامل", "Update the record and notify the customer"),
      lane: "lane_cs",
      position: at(0, 3, "task"),
      form: RESULT_NOTICE_FORM_KEY,
      documentation: l("يحدّث الموظف سجل الأسرة ويكتب إشعار النتيجة الذي يقرؤه المتعامل في صفحة المتابعة", "The employee updates the record and writes the notice the customer reads on the tracking page"),
      inputs: l("الموافقة على التحديث", "Approval of the update"),
      outputs: l("سجل محدث وإشعار للمتعامل", "An updated record and a notice to the customer"),
      tools: system,
      estimatedMinutes: 5,
    },
    { id: "done", kind: "end", name: l("تم تحديث البيانات", "Details updated"), lane: "lane_cs", position: at(0, 4, "end") },
  ];
  return {
    key: "family-data-update",
    name: l("تحديث بيانات أسرة مستفيدة", "Update beneficiary family details"),
    description: l("طلب إلكتروني من البوابة العامة لتحديث سجل الأسرة المستفيدة", "An online request from the public portal to update a beneficiary family's record"),
    direction: "rtl",
    lanes,
    nodes,
    edges: [
      { id: "f_start", source: "start", target: "verify" },
      { id: "f_verify", source: "verify", target: "approve" },
      { id: "f_approve", source: "approve", target: "notify" },
      { id: "f_notify", source: "notify", target: "done" },
    ],
  };
}

export const DEMO_WORKFLOWS: Record<string, (() => DefinitionGraph)[]> = {
  // The family update names two demo forms (seeds/forms.ts, seeded before the workflows).
  "social-services": [certificateDefinition, familyUpdateDefinition],
  "crafts-association": [socialAidDefinition],
};

/** Creates and publishes the demo definitions of one demo organisation (inside the seed's transaction). */
export async function seedWorkflows(trx: Tx, input: { orgId: string; slug: string; adminUserId: string }): Promise<void> {
  const actor = { orgId: input.orgId, actorUserId: input.adminUserId, actorLabel: "seed", requestId: null, ip: null };
  for (const make of DEMO_WORKFLOWS[input.slug] ?? []) {
    const graph = make();
    const created = await createDefinition(trx, actor, { key: graph.key, name: graph.name, graph });
    if (!created.ok) throw new Error(`demo workflow ${graph.key}: ${created.reason}`);
    const published = await publish(trx, actor, created.definitionId, "النسخة الأولى");
    if (!published.ok) throw new Error(`demo workflow ${graph.key} does not publish: ${JSON.stringify(published)}`);
  }
}
