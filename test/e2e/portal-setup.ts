import fs from "node:fs";
import path from "node:path";
import { definitionGraph } from "~/engine/definition";
import { modelToForm } from "~/forms/fields";
import type { FieldNode, FieldTypeId, Texts } from "~/forms/model";
import { createForm, publishForm } from "~/models/forms.server";
import { createDefinition, publish } from "~/models/workflow-definitions.server";
import { createDb, withPlatform, type Tx } from "~/utils/db.server";
import { workedExampleService } from "~plugins/service-catalogue/demo-data";
import { createService, publishService } from "~plugins/service-catalogue/services.server";

// The demo catalogue has no fully digital service yet (the guide's worked example is
// "partially digital"), so the portal journey publishes one itself, with the platform's and
// the catalogue's own model functions, straight into the e2e server's database: a start form,
// a two-step workflow whose last step leaves a notice for the requester, and the service card
// "إصدار بطاقة مستفيد" (fully digital, G2C), published.
//
// Run by portal.spec.ts in a child process with tsx (`tsx test/e2e/portal-setup.ts <suffix>`,
// E2E_DATA_DIR and E2E_PG_PORT set): the app's modules import JSON and path aliases that the
// Playwright runner does not load. Prints the new service's code as JSON.

const l = (ar: string, en: string): Texts => ({ ar, en });
const none = (): Texts => ({ ar: "", en: "" });
function field(key: string, type: FieldTypeId, label: Texts, options: Partial<FieldNode> = {}): FieldNode {
  return { id: key, key, type, label, description: none(), placeholder: none(), required: false, props: {}, errors: {}, ...options };
}

const PORTAL_SERVICE = { nameAr: "إصدار بطاقة مستفيد", nameEn: "Issue a beneficiary card" };

/** The e2e server's database, as its owner (the embedded cluster's superuser). */
function ownerUrl(): string {
  const dir = process.env.E2E_DATA_DIR!;
  const password = fs.readFileSync(path.join(dir, "pg-superuser-password"), "utf8").trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${process.env.E2E_PG_PORT}/masar`;
}

async function published(trx: Tx, actor: Parameters<typeof createForm>[1], key: string, content: ReturnType<typeof modelToForm>) {
  const created = await createForm(trx, actor, { key, name_ar: content.translations.ar["$form.title"] ?? key, name_en: content.translations.en["$form.title"] ?? key, content });
  if (!created.ok) throw new Error(`form ${key}: ${JSON.stringify(created)}`);
  const done = await publishForm(trx, actor, created.value.id, 1);
  if (!done.ok) throw new Error(`form ${key}: ${JSON.stringify(done)}`);
}

/** Publishes the digital service in social-services (unique keys per call); returns its code. */
async function publishDigitalService(suffix: string): Promise<string> {
  const { db } = createDb(ownerUrl(), { max: 1 });
  try {
    return await withPlatform(db, async (trx) => {
      const org = await trx.selectFrom("organisations").select(["id", "name_ar", "name_en"]).where("slug", "=", "social-services").executeTakeFirstOrThrow();
      const admin = await trx.selectFrom("users").select("id").where("email", "=", "admin@social-services.example").executeTakeFirstOrThrow();
      const unit = await trx.selectFrom("org_units").select("id").where("org_id", "=", org.id).where("code", "=", "16").executeTakeFirstOrThrow();
      const actor = { orgId: org.id, actorUserId: admin.id, actorLabel: "e2e", requestId: null, ip: null };
      const startForm = `beneficiary-card-${suffix}`;
      const noticeForm = `beneficiary-card-notice-${suffix}`;
      await published(trx, actor, startForm, modelToForm({
        title: l("استمارة طلب بطاقة مستفيد", "Beneficiary card application"),
        description: l("بيانات مقدم الطلب.", "The applicant's details."),
        fields: [
          field("applicantName", "shortText", l("اسم مقدم الطلب", "Applicant's name"), { required: true, props: { minLength: 3, maxLength: 120 } }),
          field("nationalId", "nationalId", l("رقم الهوية الوطنية", "National ID number"), {
            required: true,
            props: { pattern: "^[0-9]{10}$" },
            description: l("عشرة أرقام.", "Ten digits."),
            errors: { pattern: l("رقم الهوية عشرة أرقام.", "The national ID is ten digits.") },
          }),
          field("familySize", "integer", l("عدد أفراد الأسرة", "Family members"), { required: true, props: { minimum: 1, maximum: 30 } }),
        ],
      }));
      await published(trx, actor, noticeForm, modelToForm({
        title: l("إشعار المتعامل بالنتيجة", "Result notice to the customer"),
        description: none(),
        fields: [field("resultNotice", "longText", l("نص الإشعار للمتعامل", "Notice to the customer"), { required: true, props: { maxLength: 2000, rows: 3 } })],
      }));
      const key = `beneficiary-card-${suffix}`;
      const graph = definitionGraph.parse({
        key,
        name: l("إصدار بطاقة مستفيد", "Issue a beneficiary card"),
        lanes: [{ id: "lane_cs", name: l("موظف خدمة المتعاملين", "Customer service employee"), assignee: { type: "unit", unitCode: "16" } }],
        nodes: [
          { id: "start", kind: "start", name: l("تقديم الطلب", "Request submitted"), lane: "lane_cs", form: startForm },
          { id: "review", kind: "task", name: l("مراجعة الطلب", "Review the request"), lane: "lane_cs" },
          { id: "issue", kind: "task", name: l("إصدار البطاقة وإشعار المتعامل", "Issue the card and notify the customer"), lane: "lane_cs", form: noticeForm },
          { id: "done", kind: "end", name: l("تم إصدار البطاقة", "Card issued"), lane: "lane_cs" },
        ],
        edges: [
          { id: "f1", source: "start", target: "review" },
          { id: "f2", source: "review", target: "issue" },
          { id: "f3", source: "issue", target: "done" },
        ],
      });
      const created = await createDefinition(trx, actor, { key, name: graph.name, graph });
      if (!created.ok) throw new Error(`workflow: ${created.reason}`);
      const done = await publish(trx, actor, created.definitionId, "e2e");
      if (!done.ok) throw new Error(`workflow: ${JSON.stringify(done)}`);
      const service = await createService(trx, actor, {
        ...workedExampleService({ ar: org.name_ar, en: org.name_en }, unit.id),
        nameAr: PORTAL_SERVICE.nameAr,
        nameEn: PORTAL_SERVICE.nameEn,
        descriptionAr: "بطاقة تثبت تسجيل الأسرة مستفيدةً من خدمات الدائرة، تُطلب وتُتابع إلكترونيًا دون زيارة.",
        descriptionEn: "A card proving the family is registered as a beneficiary, requested and followed online without a visit.",
        categoryAr: "خدمات المستفيدين",
        categoryEn: "Beneficiary services",
        channel: "digital",
        channelDetailsAr: "البوابة الإلكترونية",
        channelDetailsEn: "The e-services portal",
        finalProductAr: "بطاقة مستفيد",
        finalProductEn: "Beneficiary card",
        estimatedMinutes: 30,
        workflowKey: key,
      });
      if (!service.ok) throw new Error(`service: ${service.reason}`);
      const result = await publishService(trx, { orgId: org.id, serviceId: service.id, caseId: null, publishedBy: admin.id, actorLabel: "e2e" });
      return result.code;
    });
  } finally {
    await db.destroy();
  }
}

const suffix = process.argv[2] ?? "";
if (!/^[a-z0-9]{1,12}$/.test(suffix)) throw new Error("usage: tsx test/e2e/portal-setup.ts <suffix: a-z0-9>");
publishDigitalService(suffix).then(
  (code) => console.log(JSON.stringify({ code })),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
