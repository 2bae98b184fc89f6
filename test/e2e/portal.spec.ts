import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { DEMO, expectArabic, expectEnglish, signedInContext } from "./helpers";

// The customer journey of the guide on the public portal, in Arabic: a citizen (no account)
// finds a fully digital service of the social-services department, sends a request through
// its start form and gets a tracking code; customer service (فاطمة النقبي, unit 16) works the
// two steps in the app and leaves a notice; the citizen tracks the request with the code and
// their phone number, reads the result and rates the service — once. Every portal page passes
// the axe check. The demo catalogue has no fully digital service, so the test publishes one
// first (portal-setup.ts, with the catalogue's own model functions).

const ORG = DEMO.social.slug;
const PHONE = "050 765 4321";
const PORTAL_SERVICE = { nameAr: "إصدار بطاقة مستفيد" }; // as portal-setup.ts names it

/** Runs portal-setup.ts against the e2e server's database; returns the published service's code. */
function publishDigitalService(): string {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const out = execFileSync(path.join(root, "node_modules/.bin/tsx"), ["test/e2e/portal-setup.ts", crypto.randomBytes(4).toString("hex")], {
    cwd: root,
    env: process.env,
    encoding: "utf8",
    timeout: 60_000,
  });
  return (JSON.parse(out.trim().split("\n").pop()!) as { code: string }).code;
}

async function expectAccessible(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = serious.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.map((n) => n.target.join(" ")).join("\n    ")}`);
  expect(report, `${label}: accessibility violations`).toEqual([]);
}

/** Opens the task of `reference` named `step` from the staff member's inbox, claims and completes it. */
async function completeStep(page: Page, reference: string, step: string, fill?: (page: Page) => Promise<void>) {
  await page.goto(`/app/${ORG}/inbox?q=${reference}`);
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

test("a citizen requests a digital service on the portal, staff complete it, the citizen tracks and rates it", async ({ browser }) => {
  test.slow();
  const serviceCode = publishDigitalService();

  // Search: the catalogue, grouped by category, finds the service by a word of its name.
  const citizenContext = await browser.newContext({ locale: "ar" });
  const citizen = await citizenContext.newPage();
  await citizen.goto(`/o/${ORG}`);
  await expectArabic(citizen);
  await expect(citizen.getByTestId("portal-org-name")).toHaveText("دائرة الخدمات الاجتماعية");
  await expect(citizen.getByRole("heading", { level: 1, name: "دليل الخدمات" })).toBeVisible();
  await expectAccessible(citizen, "catalogue");
  await citizen.getByLabel("ابحث عن خدمة").fill("بطاقة مستفيد");
  await citizen.getByRole("button", { name: "بحث" }).click();
  await citizen.waitForURL(/\?q=/);
  const card = citizen.getByTestId("portal-service-card").filter({ hasText: serviceCode });
  await expect(card).toContainText("رقمية ذاتية");
  await expect(citizen.getByRole("heading", { level: 2, name: "خدمات المستفيدين" })).toBeVisible();
  await card.getByRole("link", { name: PORTAL_SERVICE.nameAr }).click();

  // The service card, then the request through its start form.
  await expect(citizen.getByRole("heading", { level: 1, name: PORTAL_SERVICE.nameAr })).toBeVisible();
  await expect(citizen.getByRole("table")).toContainText("بطاقة مستفيد");
  await expectAccessible(citizen, "service card");
  await citizen.getByTestId("portal-apply").click();
  await expect(citizen.getByRole("heading", { level: 1, name: `تقديم طلب: ${PORTAL_SERVICE.nameAr}` })).toBeVisible();
  const opened = Date.now();
  await expectAccessible(citizen, "request form");
  const form = citizen.getByTestId("portal-request-form");
  await form.getByLabel("اسم مقدم الطلب").fill("عائشة سالم الكتبي");
  await form.getByLabel("رقم الهوية الوطنية").fill("784123"); // too short: the server refuses it
  await form.getByLabel("عدد أفراد الأسرة").fill("5");
  // Without a phone or email the form is not sent at all.
  await form.getByRole("button", { name: "إرسال الطلب" }).click();
  await expect(form.getByText("اكتب رقم هاتفك أو بريدك الإلكتروني")).toBeVisible();
  await form.getByLabel("رقم الهاتف أو البريد الإلكتروني").fill(PHONE);
  // A person takes a few seconds over a form; a post within MIN_FILL_SECONDS is treated as a bot's.
  await citizen.waitForTimeout(Math.max(0, 3500 - (Date.now() - opened)));
  await form.getByRole("button", { name: "إرسال الطلب" }).click();
  const nationalId = form.getByLabel("رقم الهوية الوطنية");
  await expect(nationalId).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("اسم مقدم الطلب")).toHaveValue("عائشة سالم الكتبي");
  await expect(form.getByLabel("رقم الهاتف أو البريد الإلكتروني")).toHaveValue(PHONE);
  await nationalId.fill("7841234567");
  await form.getByRole("button", { name: "إرسال الطلب" }).click();

  // The tracking code, shown once.
  await expect(citizen.getByText("تم استلام طلبك")).toBeVisible();
  const code = (await citizen.getByTestId("portal-tracking-code").innerText()).trim();
  expect(code).toMatch(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
  const reference = /\d{4}-\d{6,}/.exec(await citizen.getByTestId("portal-reference").innerText())?.[0];
  expect(reference, "the organisation's request number").toBeTruthy();
  await expectAccessible(citizen, "tracking code");

  // Processing: customer service sees the request in its inbox, with the form's answers, and works both steps.
  const { context: staffContext, page: staff } = await signedInContext(browser, DEMO.social.staff);
  await completeStep(staff, reference!, "مراجعة الطلب");
  await completeStep(staff, reference!, "إصدار البطاقة وإشعار المتعامل", async (page) => {
    await page.getByTestId("task-step-form").getByLabel("نص الإشعار للمتعامل").fill("صدرت بطاقة المستفيد، ويمكنك استلامها من مركز خدمة المتعاملين.");
  });
  await staff.goto(`/app/${ORG}/cases/${reference}`);
  await expect(staff.getByText("عائشة سالم الكتبي")).toBeVisible();
  await staffContext.close();

  // Completion: a wrong phone number gets the same answer as an unknown code…
  await citizen.goto(`/o/${ORG}/track`);
  await expect(citizen.getByRole("heading", { level: 1, name: "متابعة طلب" })).toBeVisible();
  await expect(citizen.getByLabel("رمز المتابعة")).toBeVisible();
  await expectAccessible(citizen, "tracking form");
  // By field name: the same helper serves the English page below.
  const track = async (codeTyped: string, contact: string) => {
    await citizen.locator('input[name="code"]').fill(codeTyped);
    await citizen.locator('input[name="contact"]').fill(contact);
    await citizen.locator('form:has(input[name="code"]) button[type="submit"]').click();
  };
  await track(code, "050 000 0000");
  const notFound = citizen.getByTestId("portal-track-error");
  await expect(notFound).toContainText("لم نجد طلبًا بهذا الرمز وهذه البيانات");
  const wrongContact = await notFound.innerText();
  await track("K7M2P-Q9RTX", PHONE);
  await expect(notFound).toHaveText(wrongContact);

  // …the right code and number, typed differently, show the result and the notice.
  await track(code.toLowerCase(), "+971 50 765 4321");
  await expect(citizen.getByTestId("portal-status")).toHaveText("مكتمل");
  const result = citizen.getByTestId("portal-result");
  await expect(result).toContainText("تم إصدار البطاقة");
  await expect(result).toContainText("صدرت بطاقة المستفيد، ويمكنك استلامها من مركز خدمة المتعاملين.");
  await expectAccessible(citizen, "tracked request");

  // Satisfaction at the end, once.
  await citizen.getByLabel(/راضٍ جدًا/).check();
  await citizen.getByLabel("ملاحظاتك (اختياري)").fill("خدمة سريعة وواضحة");
  await citizen.getByRole("button", { name: "إرسال التقييم" }).click();
  await expect(citizen.getByText("شكرًا لك، سُجّل تقييمك.")).toBeVisible();
  await expect(citizen.getByTestId("portal-your-rating")).toHaveText("تقييمك: راضٍ جدًا");
  await expect(citizen.getByRole("button", { name: "إرسال التقييم" })).toHaveCount(0);
  await expectAccessible(citizen, "rated request");

  // The same journey reads in English.
  await citizen.goto(`/o/${ORG}/track?lng=en`);
  await expectEnglish(citizen);
  await expect(citizen.getByRole("heading", { level: 1, name: "Track a request" })).toBeVisible();
  await track(code, PHONE);
  await expect(citizen.getByTestId("portal-status")).toHaveText("Completed");
  await expect(citizen.getByTestId("portal-result")).toContainText("Card issued");
  await expect(citizen.getByTestId("portal-your-rating")).toHaveText("Your rating: Very satisfied");
  await expectAccessible(citizen, "tracked request, English");
  // ?lng= is remembered: the catalogue, reached by the portal's own link, stays in English.
  await citizen.getByRole("navigation").getByRole("link", { name: "Services" }).click();
  await expect(citizen.getByRole("heading", { level: 1, name: "Services" })).toBeVisible();
  await expectEnglish(citizen);
  await expectAccessible(citizen, "catalogue, English");
  await citizenContext.close();
});

test("the portal of an organisation without the service catalogue does not exist", async ({ page }) => {
  for (const path of [`/o/${DEMO.crafts.slug}`, `/o/${DEMO.crafts.slug}/track`, "/o/no-such-organisation"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
  }
  await expectArabic(page);
  await expect(page.getByRole("heading", { level: 1, name: "الصفحة غير موجودة" })).toBeVisible();
});
