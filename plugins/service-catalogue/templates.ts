import type { PluginWorkflowTemplate } from "../contract";

// "مراجعة خدمة ونشرها": a documented service goes from draft to review by the approver the
// organisation's settings name (manager or organisation admin), then is published or sent
// back. Copied into an organisation as an editable draft when it enables the plugin; the
// "send for review" button on a service starts the organisation's copy.

const l = (ar: string, en: string) => ({ ar, en });
// Lanes are bands of 150 px read right to left, like the demo workflows (seeds/workflows.ts).
const at = (lane: number, column: number, size = 80) => ({
  x: 1180 - column * 170 - size / 2,
  y: lane * 150 + 75 - size / 2,
});

const checklist = [
  {
    id: "name_rule",
    label: l("اسم الخدمة يتبع قاعدة التسمية (طلب المتعامل + منتج الخدمة النهائي)", "The name follows the naming rule (customer's request + final product)"),
    required: true,
  },
  {
    id: "card_complete",
    label: l("بطاقة الخدمة مكتملة: الوصف والاشتراطات والوثائق والقنوات والرسوم والتواصل والوقت", "The service card is complete: description, conditions, documents, channels, fees, contact, time"),
    required: true,
  },
  {
    id: "steps_kpis",
    label: l("خطوات الخدمة ومؤشرات أدائها موثقة", "The service's steps and KPIs are documented"),
    required: true,
  },
];

const reviewGate = (id: string, role: "manager" | "admin", name: ReturnType<typeof l>, column: number) => ({
  id,
  kind: "gate",
  name,
  approverRole: role,
  checklist,
  requiredForms: [],
  requiredDocuments: [],
  lane: "lane_review",
  position: at(1, column),
});

export const SERVICE_REVIEW_KEY = "service-review";

export const serviceReviewWorkflow: PluginWorkflowTemplate = {
  key: SERVICE_REVIEW_KEY,
  version: 1,
  names: l("مراجعة خدمة ونشرها", "Review and publish a service"),
  description: l(
    "تُراجع بطاقة الخدمة وبطاقة توثيقها لدى المعتمِد الذي تحدده إعدادات الجهة، ثم تُنشر أو تُعاد للتعديل.",
    "The service card and documentation card are reviewed by the approver the organisation's settings name, then published or sent back for changes.",
  ),
  graph: {
    key: SERVICE_REVIEW_KEY,
    name: l("مراجعة خدمة ونشرها", "Review and publish a service"),
    direction: "rtl",
    lanes: [
      {
        id: "lane_system",
        name: l("دليل الخدمات", "Service catalogue"),
        assignee: { type: "role", roleKey: "admin" },
      },
      {
        id: "lane_review",
        name: l("المراجعة والاعتماد", "Review and approval"),
        assignee: { type: "role", roleKey: "manager" },
      },
    ],
    nodes: [
      {
        id: "start",
        kind: "start",
        name: l("طلب مراجعة", "Review requested"),
        lane: "lane_system",
        position: at(0, 0, 36),
      },
      {
        id: "begin",
        kind: "action",
        actionType: "service-catalogue.beginReview",
        config: {},
        name: l("بدء المراجعة", "Start the review"),
        lane: "lane_system",
        position: at(0, 1),
      },
      {
        id: "who",
        kind: "decision",
        name: l("من يراجع؟", "Who reviews?"),
        lane: "lane_system",
        position: at(0, 2, 50),
      },
      reviewGate("review_manager", "manager", l("مراجعة المدير", "Manager review"), 3),
      reviewGate("review_admin", "admin", l("مراجعة مسؤول الجهة", "Organisation admin review"), 4),
      {
        id: "publish",
        kind: "action",
        actionType: "service-catalogue.publish",
        config: {},
        name: l("نشر بطاقة الخدمة", "Publish the service card"),
        lane: "lane_system",
        position: at(0, 5),
      },
      {
        id: "send_back",
        kind: "action",
        actionType: "service-catalogue.sendBack",
        config: { outcome: "rework" },
        name: l("إعادة للتعديل", "Send back for changes"),
        lane: "lane_review",
        position: at(1, 5),
      },
      {
        id: "reject",
        kind: "action",
        actionType: "service-catalogue.sendBack",
        config: { outcome: "rejected" },
        name: l("عدم الاعتماد", "Not approved"),
        lane: "lane_review",
        position: at(1, 6),
      },
      {
        id: "published",
        kind: "end",
        name: l("نُشرت الخدمة", "Service published"),
        lane: "lane_system",
        position: at(0, 7, 36),
      },
      {
        id: "returned",
        kind: "end",
        name: l("أعيدت للتعديل", "Sent back"),
        lane: "lane_review",
        position: at(1, 7, 36),
      },
    ],
    edges: [
      { id: "f_start", source: "start", target: "begin" },
      { id: "f_begin", source: "begin", target: "who" },
      {
        id: "f_manager",
        source: "who",
        target: "review_manager",
        name: l("المدير", "Manager"),
        condition: 'approver = "manager"',
      },
      {
        id: "f_admin",
        source: "who",
        target: "review_admin",
        name: l("مسؤول الجهة", "Organisation admin"),
        isDefault: true,
      },
      {
        id: "f_manager_go",
        source: "review_manager",
        target: "publish",
        name: l("اعتماد ونشر", "Approve and publish"),
        outcome: "go",
      },
      {
        id: "f_manager_rework",
        source: "review_manager",
        target: "send_back",
        name: l("إعادة للتعديل", "Send back"),
        outcome: "rework",
      },
      {
        id: "f_manager_no",
        source: "review_manager",
        target: "reject",
        name: l("عدم الاعتماد", "Not approved"),
        outcome: "no-go",
      },
      {
        id: "f_admin_go",
        source: "review_admin",
        target: "publish",
        name: l("اعتماد ونشر", "Approve and publish"),
        outcome: "go",
      },
      {
        id: "f_admin_rework",
        source: "review_admin",
        target: "send_back",
        name: l("إعادة للتعديل", "Send back"),
        outcome: "rework",
      },
      {
        id: "f_admin_no",
        source: "review_admin",
        target: "reject",
        name: l("عدم الاعتماد", "Not approved"),
        outcome: "no-go",
      },
      { id: "f_publish", source: "publish", target: "published" },
      { id: "f_send_back", source: "send_back", target: "returned" },
      { id: "f_reject", source: "reject", target: "returned" },
    ],
  },
};
