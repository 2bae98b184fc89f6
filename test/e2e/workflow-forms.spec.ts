import crypto from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { publishFormVersion } from "./form-fill-helpers";
import { DEMO, signedInContext } from "./helpers";

// A workflow step that names a form: the task page renders the form's published version,
// the server's refusal shows next to the field with everything typed kept, and a valid
// answer completes the step. The admin (مريم الكعبي, unit 20) publishes the form, imports a
// one-step definition through the API and works the task in the browser.

const ORG = DEMO.social.slug;
const TOKEN_PATTERN = /msr_[a-z0-9]{8}_[A-Za-z0-9_-]{43}/;

const formContent = {
  schema: {
    type: "object",
    required: ["fullName"],
    properties: { fullName: { title: "t:fullName.title", type: "string", minLength: 3, maxLength: 100 } },
  },
  uiSchema: { "ui:order": ["fullName"] },
  translations: { ar: { "fullName.title": "الاسم الكامل" }, en: { "fullName.title": "Full name" } },
};

const l = (ar: string, en: string) => ({ ar, en });
function definition(key: string, formKey: string) {
  return {
    key,
    name: l("استمارة خطوة", "Step form"),
    direction: "rtl",
    lanes: [{ id: "lane_specialist", name: l("موظف مختص", "Specialist"), assignee: { type: "unit", unitCode: "20" } }],
    nodes: [
      { id: "start", kind: "start", name: l("بداية", "Start"), lane: "lane_specialist" },
      { id: "study", kind: "task", name: l("دراسة الطلب بالاستمارة", "Study with form"), lane: "lane_specialist", form: formKey },
      { id: "end", kind: "end", name: l("نهاية", "End"), lane: "lane_specialist" },
    ],
    edges: [
      { id: "f1", source: "start", target: "study" },
      { id: "f2", source: "study", target: "end" },
    ],
  };
}

async function apiToken(page: Page): Promise<string> {
  await page.goto(`/app/${ORG}/tokens`);
  const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
  const created = await page.request.post(`/app/${ORG}/tokens`, { form: { _csrf: csrf, intent: "create", name: `step form ${crypto.randomUUID().slice(0, 8)}`, expiry: "7" } });
  const secret = TOKEN_PATTERN.exec(await created.text())?.[0];
  expect(secret, "a new token").toBeTruthy();
  return secret!;
}

test("a step's form on the task page: server errors beside the field, then completion", async ({ browser, playwright, baseURL }) => {
  const { context, page } = await signedInContext(browser, DEMO.social.admin);
  const suffix = Date.now().toString(36);
  const formKey = `step-form-${suffix}`;
  const key = `step-flow-${suffix}`;
  await page.goto(`/app/${ORG}/inbox`);
  await publishFormVersion(page, ORG, { key: formKey, name_ar: "استمارة دراسة", name_en: "Study form", content: formContent });

  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${await apiToken(page)}` } });
  expect((await api.post(`/api/v1/orgs/${ORG}/definitions/import`, { data: definition(key, formKey) })).status()).toBe(201);
  expect((await api.post(`/api/v1/orgs/${ORG}/definitions/${key}/publish`, { data: {} })).status()).toBe(200);
  const started = await api.post(`/api/v1/orgs/${ORG}/cases`, { data: { definitionKey: key, title: "طلب بالاستمارة" } });
  expect(started.status()).toBe(201);
  const { openTasks, reference } = (await started.json()) as { openTasks: { id: string }[]; reference: string };
  await api.dispose();

  await page.goto(`/app/${ORG}/tasks/${openTasks[0]!.id}`);
  await page.getByTestId("task-claim").click();
  const stepForm = page.getByTestId("task-step-form");
  await expect(stepForm.getByTestId("form-renderer")).toBeVisible();
  const name = stepForm.getByLabel("الاسم الكامل");
  await name.fill("سا"); // shorter than the form allows: the server refuses
  await stepForm.getByLabel("ملاحظات").fill("ملاحظة الدراسة");
  await stepForm.getByRole("button", { name: "إكمال الخطوة" }).click();
  // The refusal is listed in the form's error summary, linked to the field, and the field is marked.
  await expect(stepForm.getByTestId("error-summary").locator('a[href="#step_fullName"]')).toBeVisible();
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await expect(name).toHaveValue("سا");
  await expect(stepForm.getByLabel("ملاحظات")).toHaveValue("ملاحظة الدراسة");
  await expect(page.getByTestId("task-status")).toHaveText("مفتوحة");

  await name.fill("سالم الحمادي");
  await stepForm.getByRole("button", { name: "إكمال الخطوة" }).click();
  await page.waitForURL(/\/inbox\?done=/);
  expect(page.url()).toContain(encodeURIComponent(reference));
  await context.close();
});

test("a start form on the start page: a refused answer keeps everything typed, then the case starts with the answers", async ({ browser }) => {
  // The crafts manager: the crafts staff member's language is switched by workflow.spec.ts.
  const { context, page } = await signedInContext(browser, DEMO.crafts.manager);
  await page.goto(`/app/${DEMO.crafts.slug}/cases/new?definition=social-aid-request`);
  const form = page.getByTestId("start-case-form");
  await expect(form.getByRole("heading", { name: "بيانات الطلب" })).toBeVisible();
  await form.getByLabel("عنوان المعاملة").fill("طلب مساعدة — أسرة الشمري");
  await form.getByLabel("اسم مقدم الطلب").fill("نورة الشمري");
  await form.getByLabel("رقم الهوية الوطنية").fill("12345"); // not ten digits
  await form.getByLabel("رقم الجوال").fill("0551234567");
  await form.getByLabel("عدد أفراد الأسرة").fill("5");
  await form.getByRole("textbox", { name: "نوع المساعدة المطلوبة" }).click();
  await page.getByRole("option", { name: "مساعدة سكنية", exact: true }).click();
  await form.getByRole("button", { name: "بدء المعاملة" }).click();
  const nationalId = form.getByLabel("رقم الهوية الوطنية");
  await expect(nationalId).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByText("رقم الهوية عشرة أرقام.").first()).toBeVisible();
  await expect(page).toHaveURL(/\/cases\/new\?definition=social-aid-request/);
  await expect(form.getByLabel("اسم مقدم الطلب")).toHaveValue("نورة الشمري");
  await expect(form.getByLabel("عنوان المعاملة")).toHaveValue("طلب مساعدة — أسرة الشمري");

  await nationalId.fill("1098765432");
  await form.getByRole("button", { name: "بدء المعاملة" }).click();
  await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("case-open-tasks")).toContainText("استقبال الطلب");
  await expect(page.getByText("1098765432")).toBeVisible();
  await expect(page.getByText("نورة الشمري")).toBeVisible();
  await context.close();
});
