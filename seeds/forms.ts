import { PHONE_PATTERN } from "~/forms/catalogue";
import { modelToForm } from "~/forms/fields";
import type { FieldNode, FieldTypeId, Texts } from "~/forms/model";
import { createForm, publishForm } from "~/models/forms.server";
import type { Tx } from "~/utils/db.server";

// Demo forms, published before the demo workflows that name them (seeds/workflows.ts).
// Built with the form builder's own model, so they open in the builder like any other form.

const l = (ar: string, en: string): Texts => ({ ar, en });
const none = (): Texts => ({ ar: "", en: "" });

function field(key: string, type: FieldTypeId, label: Texts, options: Partial<FieldNode> = {}): FieldNode {
  return { id: key, key, type, label, description: none(), placeholder: none(), required: false, props: {}, errors: {}, ...options };
}

/**
 * "استمارة طلب المساعدة الاجتماعية" — what the beneficiary service centre records when a
 * request arrives (the beneficiary-relations regulation, 001): who asks, how to reach them,
 * the family's size and the help asked for.
 */
export function socialAidApplication() {
  return modelToForm({
    title: l("استمارة طلب المساعدة الاجتماعية", "Social aid application form"),
    description: l("بيانات مقدم الطلب كما يسجلها مركز خدمة المستفيدين عند ورود الطلب.", "The applicant's details as the beneficiary service centre records them when the request arrives."),
    fields: [
      field("applicantName", "shortText", l("اسم مقدم الطلب", "Applicant's name"), { required: true, props: { minLength: 3, maxLength: 120 } }),
      field("nationalId", "nationalId", l("رقم الهوية الوطنية", "National ID number"), {
        required: true,
        props: { pattern: "^[0-9]{10}$" },
        description: l("عشرة أرقام.", "Ten digits."),
        errors: { pattern: l("رقم الهوية عشرة أرقام.", "The national ID is ten digits.") },
      }),
      field("mobile", "phone", l("رقم الجوال", "Mobile number"), { required: true, props: { pattern: PHONE_PATTERN } }),
      field("familySize", "integer", l("عدد أفراد الأسرة", "Family members"), { required: true, props: { minimum: 1, maximum: 30 } }),
      field("aidType", "select", l("نوع المساعدة المطلوبة", "Kind of help asked for"), {
        required: true,
        props: {
          options: [
            { value: "financial", label: l("مساعدة مالية", "Financial aid") },
            { value: "housing", label: l("مساعدة سكنية", "Housing aid") },
            { value: "education", label: l("مساعدة تعليمية", "Education aid") },
            { value: "medical", label: l("مساعدة علاجية", "Medical aid") },
          ],
        },
      }),
      field("amount", "currency", l("المبلغ المطلوب", "Amount asked for"), { props: { currency: "SAR", minimum: 0 } }),
      field("circumstances", "longText", l("وصف الحالة", "The family's circumstances"), { props: { maxLength: 2000, rows: 4 } }),
    ],
  });
}

/**
 * "استمارة طلب تحديث بيانات الأسرة" — the start form of the fully digital demo service
 * "تحديث بيانات أسرة مستفيدة" (social-services): filled in by the citizen on the public
 * portal, so nothing in it needs a file (the portal takes none).
 */
export function familyUpdateApplication() {
  return modelToForm({
    title: l("استمارة طلب تحديث بيانات الأسرة", "Family details update request"),
    description: l("بيانات رب الأسرة والتحديث المطلوب على سجل الأسرة لدى الدائرة.", "The head of the family and the change asked for in the family's record at the department."),
    fields: [
      field("applicantName", "shortText", l("اسم رب الأسرة", "Head of the family"), { required: true, props: { minLength: 3, maxLength: 120 } }),
      field("nationalId", "nationalId", l("رقم الهوية الوطنية", "National ID number"), {
        required: true,
        props: { pattern: "^[0-9]{10}$" },
        description: l("عشرة أرقام.", "Ten digits."),
        errors: { pattern: l("رقم الهوية عشرة أرقام.", "The national ID is ten digits.") },
      }),
      field("familySize", "integer", l("عدد أفراد الأسرة الحالي", "Family members now"), { required: true, props: { minimum: 1, maximum: 30 } }),
      field("changeType", "select", l("نوع التحديث", "What has changed"), {
        required: true,
        props: {
          options: [
            { value: "newborn", label: l("إضافة مولود جديد", "A new baby") },
            { value: "address", label: l("تغيير عنوان السكن", "A new home address") },
            { value: "income", label: l("تغير دخل الأسرة", "A change in the family's income") },
            { value: "maritalStatus", label: l("تغير الحالة الاجتماعية", "A change in marital status") },
          ],
        },
      }),
      field("details", "longText", l("تفاصيل التحديث", "Details of the change"), { props: { maxLength: 2000, rows: 4 } }),
    ],
  });
}

/**
 * "إشعار المتعامل بنتيجة الطلب" — a step form any service's last step can use: its one field,
 * resultNotice, is the notice the requester reads on the portal's tracking page.
 */
export function resultNoticeForm() {
  return modelToForm({
    title: l("إشعار المتعامل بنتيجة الطلب", "Result notice to the customer"),
    description: l("يظهر نص الإشعار للمتعامل في صفحة متابعة الطلب على البوابة.", "The customer reads the notice on the portal's request tracking page."),
    fields: [field("resultNotice", "longText", l("نص الإشعار للمتعامل", "Notice to the customer"), { required: true, props: { maxLength: 2000, rows: 3 } })],
  });
}

/** Keys the demo workflows and the catalogue's demo service name. */
export const FAMILY_UPDATE_FORM_KEY = "family-update-application";
export const RESULT_NOTICE_FORM_KEY = "request-result-notice";

export const DEMO_FORMS: Record<string, { key: string; make: typeof socialAidApplication }[]> = {
  "social-services": [
    { key: FAMILY_UPDATE_FORM_KEY, make: familyUpdateApplication },
    { key: RESULT_NOTICE_FORM_KEY, make: resultNoticeForm },
  ],
  "crafts-association": [{ key: "social-aid-application", make: socialAidApplication }],
};

/** Creates and publishes the demo forms of one demo organisation (inside the seed's transaction). */
export async function seedForms(trx: Tx, input: { orgId: string; slug: string; adminUserId: string }): Promise<void> {
  const actor = { orgId: input.orgId, actorUserId: input.adminUserId, actorLabel: "seed", requestId: null, ip: null };
  for (const { key, make } of DEMO_FORMS[input.slug] ?? []) {
    const content = make();
    const created = await createForm(trx, actor, { key, name_ar: content.translations.ar["$form.title"] ?? key, name_en: content.translations.en["$form.title"] ?? key, content });
    if (!created.ok) throw new Error(`demo form ${key}: ${JSON.stringify(created)}`);
    const published = await publishForm(trx, actor, created.value.id, 1);
    if (!published.ok) throw new Error(`demo form ${key} does not publish: ${JSON.stringify(published)}`);
  }
}
