import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { DEMO, expectArabic, expectEnglish, signedInContext } from "./helpers";
import { expectAccessible } from "./axe";

// SLA clocks and escalations, in Arabic: the social services admin sets a Friday–Saturday week
// and a 48-working-hour agreement on the complaint step of "معالجة شكوى متعامل" (seeds/sla.ts);
// a customer-service employee records a complaint; SLA time is moved two weeks forward through
// the server's clock file (playwright.config.ts: MASAR_CLOCK_FILE, sweeps every 2 s); the
// manager then finds the escalation in the bell, on the SLA dashboard (and the list behind its
// number) and on the case timeline. Only this spec uses the complaint process, and only SLA
// clocks and the agreements' "today" read the clock file (sla-agreements.spec reads its days
// from the page), so moving it changes nothing the other specs assume.

const ORG = DEMO.social.slug;
const REFERENCE = /\d{4}-\d{6,}/;
const CLOCK_FILE = path.join(process.env.E2E_DATA_DIR!, "sla-clock.json");
const POLICY = "الرد على الشكوى خلال 48 ساعة";
const STEP = "دراسة الشكوى والرد على المتعامل";

async function inArabic(page: Page): Promise<void> {
  if ((await page.locator("html").getAttribute("lang")) === "en") await page.getByRole("button", { name: /العربية/ }).click();
  await expectArabic(page);
}

test.describe.configure({ mode: "serial" });
test.afterAll(() => fs.writeFileSync(CLOCK_FILE, JSON.stringify({ offsetMs: 0 })));

let reference = "";

test("an admin sets a Friday–Saturday week and a 48-hour agreement on the complaint step", async ({ browser }) => {
  const { context, page } = await signedInContext(browser, DEMO.social.admin);
  await page.goto(`/app/${ORG}/admin/calendar`);
  await inArabic(page);
  await page.getByTestId("calendar-preset").click();
  await page.getByRole("option", { name: "قطر — عطلة الجمعة والسبت" }).click();
  await expect(page.getByLabel("الجمعة")).toHaveValue("");
  await page.getByRole("button", { name: "حفظ أيام العمل" }).click();
  await expect(page.getByRole("status").filter({ hasText: /حُفظت أيام العمل وساعاتها|لم يتغير شيء/ })).toBeVisible();

  await page.getByRole("link", { name: "سياسات المهل" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "سياسات المهل" })).toBeVisible();
  await expectAccessible(page, "SLA policies (ar)");
  await page.getByTestId("sla-definitions").getByRole("link", { name: "معالجة شكوى متعامل" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "معالجة شكوى متعامل" })).toBeVisible();
  // The demo agreement: 72 working hours for every step, four escalation levels.
  await expect(page.getByTestId("sla-policy").filter({ hasText: "الرد على الشكاوى خلال 72 ساعة عمل" })).toBeVisible();
  await expectAccessible(page, "SLA policies of a process (ar)");

  const form = page.getByRole("form", { name: "سياسة جديدة" });
  // Refused first: no names, no step. Messages next to the fields, the 48 hours kept.
  await form.getByLabel("زمن الإنجاز (ساعات عمل)").fill("٤٨");
  await form.getByRole("button", { name: "إضافة السياسة" }).click();
  await expect(form.getByText("هذا الحقل مطلوب.").first()).toBeVisible();
  await expect(form.getByText("اختر الخطوة.")).toBeVisible();
  await expect(form.getByLabel("زمن الإنجاز (ساعات عمل)")).toHaveValue("٤٨");

  await form.getByLabel("الاسم بالعربية").fill(POLICY);
  await form.getByLabel("الاسم بالإنجليزية").fill("Answer a complaint within 48 hours");
  await form.getByLabel("الخطوة", { exact: true }).selectOption({ label: STEP });
  // The SLA template's four levels are offered; level 1 goes to the managers when the time is missed.
  await expect(form.getByTestId("sla-level-4")).toBeVisible();
  await expect(form.getByTestId("sla-level-1").getByLabel("الدور")).toHaveValue("manager");
  await form.getByRole("button", { name: "إضافة السياسة" }).click();
  await expect(page.getByRole("status").filter({ hasText: "أُضيفت السياسة." })).toBeVisible();
  await expect(page.getByTestId("sla-policy").filter({ hasText: POLICY })).toContainText(`خطوة محددة: ${STEP}`);
  await context.close();
});

test("a complaint waits past its 48 working hours and the manager sees the escalation", async ({ browser }) => {
  test.setTimeout(150_000);
  fs.writeFileSync(CLOCK_FILE, JSON.stringify({ offsetMs: 0 }));
  const { context: staffContext, page: staff } = await signedInContext(browser, DEMO.social.staff);
  await staff.goto(`/app/${ORG}/cases/new?definition=customer-complaint`);
  await inArabic(staff);
  await staff.locator('input[name="title"]').fill("شكوى: تأخر صرف المساعدة الشهرية");
  await staff.getByRole("button", { name: "بدء المعاملة" }).click();
  await staff.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
  await expect(staff.locator("h1")).toHaveText(REFERENCE);
  reference = REFERENCE.exec((await staff.locator("h1").textContent()) ?? "")![0];
  await staff.getByRole("link", { name: STEP }).first().click();
  const panel = staff.getByTestId("task-sla");
  await expect(panel).toContainText(POLICY);
  await expect(panel.getByTestId("sla-status")).toHaveText("ضمن المهلة");
  await expectAccessible(staff, "task with its SLA (ar)");
  await staffContext.close();

  // Two weeks later in SLA time: 48 working hours (seven working days of the Qatari week) have passed.
  fs.writeFileSync(CLOCK_FILE, JSON.stringify({ offsetMs: 14 * 24 * 3_600_000 }));

  const { context, page } = await signedInContext(browser, DEMO.social.manager);
  await page.goto(`/app/${ORG}/notifications`);
  await inArabic(page);
  // (Numbers and the reference are bidi-isolated inside the Arabic text: U+2068 … U+2069.)
  // Filtered by the step too: the demo's sample notifications use invented case numbers.
  const escalation = page.getByTestId("notification-item").filter({ hasText: /تصعيد \(المستوى \u2068?١\u2069?\)/ }).filter({ hasText: reference }).filter({ hasText: STEP });
  await expect(async () => {
    await page.reload();
    await expect(escalation).toHaveCount(1, { timeout: 1000 });
  }).toPass({ timeout: 60_000, intervals: [2000] });
  await expect(escalation).toContainText(STEP);
  await expect(page.getByTestId("notification-count")).toHaveText(/^[١-٩][٠-٩]*$/);

  // The dashboard counts it as breached under its step; the number opens the list behind it.
  await page.getByRole("link", { name: "لوحة المهل" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "لوحة المهل" })).toBeVisible();
  await expect(page.getByTestId("sla-total-breached").getByRole("link")).toHaveText(/^[١-٩][٠-٩]*$/);
  const row = page.getByTestId("sla-by-step").getByRole("row").filter({ hasText: STEP });
  await expect(page.getByTestId("sla-trend").getByRole("link").first()).toBeVisible();
  await expectAccessible(page, "SLA dashboard (ar)");
  await row.getByRole("link", { name: /تجاوزت المهلة/ }).click();
  await page.waitForURL(/\/deadlines\/items\?/);
  const item = page.getByTestId("sla-items").getByRole("row").filter({ hasText: reference });
  await expect(item).toContainText("تجاوزت المهلة");
  await expect(item).toContainText(POLICY);
  await expectAccessible(page, "SLA items (ar)");

  // The case timeline: the breach and each level fired, once.
  await item.getByRole("link", { name: reference }).click();
  const timeline = page.getByTestId("case-timeline");
  await expect(timeline).toContainText(`تجاوزت مهلة الإنجاز في «${POLICY}»`);
  await expect(timeline.getByText("المستوى ١ من ٤: إلى دور «مدير»")).toHaveCount(1);

  // English, once: the same dashboard; then back to Arabic for the other specs.
  await page.goto(`/app/${ORG}/deadlines`);
  await page.getByRole("button", { name: /English/ }).click();
  await expectEnglish(page);
  await expect(page.getByRole("heading", { level: 1, name: "SLA dashboard" })).toBeVisible();
  await expect(page.getByTestId("sla-total-breached")).toContainText("Breached");
  await page.getByRole("button", { name: /العربية/ }).click();
  await expectArabic(page);
  await context.close();
});
