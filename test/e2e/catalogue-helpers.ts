import { expect, type Browser, type Page } from "@playwright/test";
import { DEMO, signedInContext } from "./helpers";

// Steps the service catalogue and portal specs share (Arabic interface): a KPI added on a
// service's KPI page, a review approved by the approver the demo's settings name, a step of a
// request worked from the inbox, and a request looked up on the portal's tracking page.

export interface KpiEntry {
  name: string;
  formula: string;
  /** The "طريقة القياس" option's label. */
  method: string;
  target: string;
  /** The "النجاح يعني" option's label. */
  direction: string;
  /** The "وتيرة القياس" option's label; half-yearly, as the guide's example, unless given. */
  frequency?: string;
  /** The "وحدة القياس" option's label; percent (the form's default) unless given. */
  unit?: string;
}

/** Fills and saves the KPI form on /app/<org>/service-catalogue/<id>/kpis. */
export async function addKpi(page: Page, kpi: KpiEntry): Promise<void> {
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "حفظ المؤشر" }) });
  await form.getByRole("textbox", { name: "اسم المؤشر (عربي)" }).fill(kpi.name);
  await form.getByRole("textbox", { name: "معادلة حساب المؤشر كما تُطبع (عربي)" }).fill(kpi.formula);
  await form.getByRole("combobox", { name: "طريقة القياس" }).selectOption({ label: kpi.method });
  await form.getByRole("combobox", { name: "وتيرة القياس" }).selectOption({ label: kpi.frequency ?? "نصف سنوي" });
  if (kpi.unit) await form.getByRole("combobox", { name: "وحدة القياس" }).selectOption({ label: kpi.unit });
  await form.getByRole("textbox", { name: "الأداء المستهدف" }).fill(kpi.target);
  await form.getByRole("combobox", { name: "النجاح يعني" }).selectOption({ label: kpi.direction });
  await form.getByRole("button", { name: "حفظ المؤشر" }).click();
  await expect(page.getByTestId("kpi-message")).toHaveText("حُفظ المؤشر.");
}

/**
 * On a service's page: "إرسال للمراجعة"; the service is then locked in review. Returns the
 * review case's reference.
 */
export async function sendForReview(page: Page): Promise<string> {
  await page.getByRole("button", { name: "إرسال للمراجعة" }).click();
  const started = page.getByRole("status").filter({ hasText: "أُرسلت الخدمة للمراجعة" });
  await expect(started).toBeVisible();
  await expect(page.getByTestId("service-status")).toHaveText("قيد المراجعة");
  await expect(page.getByRole("link", { name: "تعديل" })).toHaveCount(0);
  return (await started.textContent())!.match(/\d{4}-\d{6,}/)![0];
}

/** The social-services manager — the approver the demo's settings name — approves the review from the inbox. */
export async function approveReview(browser: Browser, reference: string): Promise<void> {
  const { context, page } = await signedInContext(browser, DEMO.social.manager);
  await page.goto(`/app/${DEMO.social.slug}/inbox?q=${reference}&tab=all`);
  const row = page.getByTestId("inbox-row").filter({ hasText: reference });
  await row.getByRole("link", { name: "مراجعة المدير" }).click();
  // The gate's checklist (from the template), then the decision.
  await expect(page.getByRole("heading", { name: "قرار بوابة المرحلة" })).toBeVisible();
  for (const item of [/اسم الخدمة يتبع قاعدة التسمية/, /بطاقة الخدمة مكتملة/, /خطوات الخدمة ومؤشرات أدائها موثقة/]) await page.getByRole("checkbox", { name: item }).check();
  await page.getByRole("button", { name: "اعتماد" }).click();
  await page.waitForURL(/\/inbox/);
  await context.close();
}

/**
 * Opens the task of `reference` named `step` from the signed-in member's inbox, claims and
 * completes it (`fill` first fills its step form).
 */
export async function completeStep(page: Page, reference: string, step: string, fill?: (page: Page) => Promise<void>, org: string = DEMO.social.slug): Promise<void> {
  await page.goto(`/app/${org}/inbox?q=${reference}`);
  const row = page.getByTestId("inbox-row").filter({ hasText: reference });
  await expect(row).toContainText(step);
  await row.getByRole("link", { name: step }).click();
  await expect(page.getByRole("heading", { level: 1, name: step })).toBeVisible();
  await page.getByTestId("task-claim").click();
  await expect(page.getByText("أصبحت تتولى هذه المهمة.")).toBeVisible();
  if (fill) await fill(page);
  await page.getByRole("button", { name: "إكمال الخطوة" }).click();
  await page.waitForURL(/\/inbox\?done=/);
}

/** Submits the portal's tracking form (by field names: the Arabic and English pages alike). */
export async function trackRequest(page: Page, code: string, contact: string): Promise<void> {
  await page.locator('input[name="code"]').fill(code);
  await page.locator('input[name="contact"]').fill(contact);
  await page.locator('form:has(input[name="code"]) button[type="submit"]').click();
}

/** A person takes a few seconds over a form; a post within the portal's minimum fill time counts as a bot's. */
export async function waitLikeAPerson(page: Page, openedAt: number): Promise<void> {
  await page.waitForTimeout(Math.max(0, 3500 - (Date.now() - openedAt)));
}
