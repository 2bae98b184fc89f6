import type { PluginFormTemplate, PluginWorkflowTemplate } from "../contract";

// What an organisation gets when it enables the notice board: a "notice request" form and the
// "publish a notice" workflow, copied in as drafts it can redraw in the designer. Raise a
// template's `version` when it changes: organisations are then offered the new version, and
// their own edits are never overwritten.

const l = (ar: string, en: string) => ({ ar, en });

export const noticeRequestForm: PluginFormTemplate = {
  key: "notice-request",
  version: 1,
  names: l("طلب نشر إعلان", "Notice request"),
  schema: {
    type: "object",
    required: ["title", "body"],
    properties: {
      title: { type: "string", title: "t:title.title", minLength: 1, maxLength: 200 },
      body: { type: "string", title: "t:body.title", description: "t:body.description", minLength: 1, maxLength: 5000 },
    },
  },
  uiSchema: { "ui:order": ["title", "body"], body: { "ui:widget": "textarea", "ui:options": { rows: 6 } } },
  translations: {
    ar: { "title.title": "عنوان الإعلان", "body.title": "نص الإعلان", "body.description": "ما يقرؤه الموظفون على لوحة الإعلانات." },
    en: { "title.title": "Notice title", "body.title": "Notice text", "body.description": "What staff read on the notice board." },
  },
};

// Lanes are bands of 150 px read right to left, like the demo workflows (seeds/workflows.ts).
const at = (lane: number, column: number, size = 80) => ({ x: 1180 - column * 170 - size / 2, y: lane * 150 + 75 - size / 2 });

/**
 * "نشر إعلان": a staff member prepares the notice, the organisation's policy (settings) says
 * who approves it — nobody, a manager or the organisation admin — and the notice is published
 * for the number of days the policy sets.
 */
export const publishNoticeWorkflow: PluginWorkflowTemplate = {
  key: "publish-notice",
  version: 1,
  names: l("نشر إعلان", "Publish a notice"),
  description: l("إعداد إعلان واعتماده حسب سياسة الجهة ثم نشره على لوحة الإعلانات.", "Prepare a notice, approve it as the organisation's policy says, and publish it on the notice board."),
  graph: {
    key: "publish-notice",
    name: l("نشر إعلان", "Publish a notice"),
    direction: "rtl",
    lanes: [
      { id: "lane_staff", name: l("الموظفون", "Staff"), assignee: { type: "role", roleKey: "staff" } },
      { id: "lane_approval", name: l("الاعتماد", "Approval"), assignee: { type: "role", roleKey: "manager" } },
      { id: "lane_system", name: l("النظام", "System"), assignee: { type: "role", roleKey: "admin" } },
    ],
    nodes: [
      { id: "start", kind: "start", name: l("طلب نشر", "Publication requested"), lane: "lane_staff", position: at(0, 0, 36) },
      { id: "prepare", kind: "task", name: l("إعداد الإعلان", "Prepare the notice"), lane: "lane_staff", form: "notice-request", position: at(0, 1) },
      { id: "policy", kind: "action", actionType: "notices.applyPolicy", config: {}, name: l("تطبيق سياسة النشر", "Apply the publishing policy"), lane: "lane_system", position: at(2, 2) },
      { id: "who", kind: "decision", name: l("من يعتمد؟", "Who approves?"), lane: "lane_system", position: at(2, 3, 50) },
      {
        id: "approve_manager",
        kind: "gate",
        name: l("اعتماد المدير", "Manager approval"),
        approverRole: "manager",
        checklist: [{ id: "clear", label: l("النص واضح ولا يحتوي بيانات شخصية", "The text is clear and has no personal data"), required: true }],
        requiredForms: [],
        requiredDocuments: [],
        lane: "lane_approval",
        position: at(1, 4),
      },
      {
        id: "approve_admin",
        kind: "gate",
        name: l("اعتماد مسؤول الجهة", "Organisation admin approval"),
        approverRole: "admin",
        checklist: [{ id: "clear", label: l("النص واضح ولا يحتوي بيانات شخصية", "The text is clear and has no personal data"), required: true }],
        requiredForms: [],
        requiredDocuments: [],
        lane: "lane_approval",
        position: at(1, 5),
      },
      { id: "publish", kind: "action", actionType: "notices.publish", config: { pinned: false }, name: l("نشر الإعلان", "Publish the notice"), lane: "lane_system", position: at(2, 6) },
      { id: "published", kind: "end", name: l("نُشر الإعلان", "Notice published"), lane: "lane_system", position: at(2, 7, 36) },
      { id: "rejected", kind: "end", name: l("لم يُعتمد", "Not approved"), lane: "lane_approval", position: at(1, 7, 36) },
    ],
    edges: [
      { id: "f_start", source: "start", target: "prepare" },
      { id: "f_prepare", source: "prepare", target: "policy" },
      { id: "f_policy", source: "policy", target: "who" },
      { id: "f_manager", source: "who", target: "approve_manager", name: l("المدير", "Manager"), condition: 'approver = "manager"' },
      { id: "f_admin", source: "who", target: "approve_admin", name: l("مسؤول الجهة", "Organisation admin"), condition: 'approver = "admin"' },
      { id: "f_direct", source: "who", target: "publish", name: l("دون اعتماد", "No approval"), isDefault: true },
      { id: "f_manager_go", source: "approve_manager", target: "publish", name: l("معتمد", "Approved"), outcome: "go" },
      { id: "f_manager_no", source: "approve_manager", target: "rejected", name: l("مرفوض", "Rejected"), outcome: "no-go" },
      { id: "f_manager_rework", source: "approve_manager", target: "prepare", name: l("يُعدَّل", "Rework"), outcome: "rework" },
      { id: "f_admin_go", source: "approve_admin", target: "publish", name: l("معتمد", "Approved"), outcome: "go" },
      { id: "f_admin_no", source: "approve_admin", target: "rejected", name: l("مرفوض", "Rejected"), outcome: "no-go" },
      { id: "f_admin_rework", source: "approve_admin", target: "prepare", name: l("يُعدَّل", "Rework"), outcome: "rework" },
      { id: "f_publish", source: "publish", target: "published" },
    ],
  },
};
