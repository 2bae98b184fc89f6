import { expect, test } from "@playwright/test";
import { completeStep, trackRequest, waitLikeAPerson } from "./catalogue-helpers";
import { DEMO, expectArabic, expectEnglish, signedInContext } from "./helpers";
import { expectAccessible } from "./axe";

// The customer journey of the guide on the public portal, in Arabic, with the demo's fully
// digital service "تحديث بيانات أسرة مستفيدة" (seeded, code د خ ج-16-S-2): a citizen (no
// account) finds it, sends a request through its start form and gets a tracking code;
// customer service (فاطمة النقبي, unit 16) checks it, the decision maker (خالد الشامسي,
// manager) approves it, customer service updates the record and leaves a notice; the citizen
// tracks the request with the code and their phone number, reads the result and rates the
// service — once. Every portal page passes the axe check. No spec changes this service; each
// run's request is its own case.

const ORG = DEMO.social.slug;
const PHONE = "050 765 4321";
const PORTAL_SERVICE = { nameAr: "تحديث بيانات أسرة مستفيدة", code: "د خ ج-16-S-2" }; // plugins/service-catalogue/demo-data.ts

test("a citizen requests a digital service on the portal, staff complete it, the citizen tracks and rates it", async ({ browser }) => {
  test.slow();
  const serviceCode = PORTAL_SERVICE.code;

  // Search: the catalogue, grouped by category, finds the service by a word of its name.
  const citizenContext = await browser.newContext({ locale: "ar" });
  const citizen = await citizenContext.newPage();
  await citizen.goto(`/o/${ORG}`);
  await expectArabic(citizen);
  await expect(citizen.getByTestId("portal-org-name")).toHaveText("دائرة الخدمات الاجتماعية");
  await expect(citizen.getByRole("heading", { level: 1, name: "دليل الخدمات" })).toBeVisible();
  await expectAccessible(citizen, "catalogue");
  await citizen.getByLabel("ابحث عن خدمة").fill("بيانات أسرة");
  await citizen.getByRole("button", { name: "بحث" }).click();
  await citizen.waitForURL(/\?q=/);
  const card = citizen.getByTestId("portal-service-card").filter({ hasText: serviceCode });
  await expect(card).toContainText("رقمية ذاتية");
  await expect(citizen.getByRole("heading", { level: 2, name: "خدمات المستفيدين" })).toBeVisible();
  await card.getByRole("link", { name: PORTAL_SERVICE.nameAr }).click();

  // The service card, then the request through its start form.
  await expect(citizen.getByRole("heading", { level: 1, name: PORTAL_SERVICE.nameAr })).toBeVisible();
  await expect(citizen.getByRole("table")).toContainText("سجل الأسرة محدث وإشعار بالنتيجة");
  await expectAccessible(citizen, "service card");
  await citizen.getByTestId("portal-apply").click();
  await expect(citizen.getByRole("heading", { level: 1, name: `تقديم طلب: ${PORTAL_SERVICE.nameAr}` })).toBeVisible();
  const opened = Date.now();
  await expectAccessible(citizen, "request form");
  const form = citizen.getByTestId("portal-request-form");
  await form.getByLabel("اسم رب الأسرة").fill("عائشة سالم الكتبي");
  await form.getByLabel("رقم الهوية الوطنية").fill("784123"); // too short: the server refuses it
  await form.getByLabel("عدد أفراد الأسرة الحالي").fill("5");
  await form.getByRole("textbox", { name: "نوع التحديث" }).click();
  await citizen.getByRole("option", { name: "إضافة مولود جديد", exact: true }).click();
  await form.getByLabel("تفاصيل التحديث").fill("ولدت ابنتنا مريم ونرغب في إضافتها إلى سجل الأسرة.");
  // Without a phone or email and with a wrong answer: both refusals come back in one round,
  // the phone/email field focused first, and nothing typed is lost.
  await waitLikeAPerson(citizen, opened);
  await form.getByRole("button", { name: "إرسال الطلب" }).click();
  const contact = form.getByLabel("رقم الهاتف أو البريد الإلكتروني");
  const nationalId = form.getByLabel("رقم الهوية الوطنية");
  await expect(form.getByText("اكتب رقم هاتفك أو بريدك الإلكتروني")).toBeVisible();
  await expect(contact).toHaveAttribute("aria-invalid", "true");
  await expect(nationalId).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByTestId("error-summary")).toContainText("رقم الهوية الوطنية");
  await expect(contact).toBeFocused();
  await expect(form.getByLabel("اسم رب الأسرة")).toHaveValue("عائشة سالم الكتبي");
  await expect(nationalId).toHaveValue("784123");
  await expectAccessible(citizen, "refused request form");
  await contact.fill(PHONE);
  await expect(form.getByText("اكتب رقم هاتفك أو بريدك الإلكتروني")).toHaveCount(0);
  await nationalId.fill("7841234567");
  await form.getByRole("button", { name: "إرسال الطلب" }).click();

  // The tracking code, shown once.
  await expect(citizen.getByText("تم استلام طلبك")).toBeVisible();
  const code = (await citizen.getByTestId("portal-tracking-code").innerText()).trim();
  expect(code).toMatch(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
  const reference = /\d{4}-\d{6,}/.exec(await citizen.getByTestId("portal-reference").innerText())?.[0];
  expect(reference, "the organisation's request number").toBeTruthy();
  await expectAccessible(citizen, "tracking code");

  // Processing: customer service sees the request in its inbox, with the form's answers, and
  // checks it; the decision maker approves; customer service updates the record and notifies.
  const { context: staffContext, page: staff } = await signedInContext(browser, DEMO.social.staff);
  await completeStep(staff, reference!, "التحقق من البيانات");
  const { context: managerContext, page: manager } = await signedInContext(browser, DEMO.social.manager);
  await completeStep(manager, reference!, "اعتماد التحديث");
  await managerContext.close();
  await completeStep(staff, reference!, "تحديث السجل وإشعار المتعامل", async (page) => {
    await page.getByTestId("task-step-form").getByLabel("نص الإشعار للمتعامل").fill("أضيفت المولودة مريم إلى سجل أسرتك، ولا يلزمك أي إجراء آخر.");
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
  const track = (codeTyped: string, contact: string) => trackRequest(citizen, codeTyped, contact);
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
  await expect(result).toContainText("تم تحديث البيانات");
  await expect(result).toContainText("أضيفت المولودة مريم إلى سجل أسرتك، ولا يلزمك أي إجراء آخر.");
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
  await expect(citizen.getByTestId("portal-result")).toContainText("Details updated");
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
