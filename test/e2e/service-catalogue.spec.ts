import { expect, test } from "@playwright/test";
import { GUIDE_STEPS_TABLE } from "../../plugins/service-catalogue/demo-data";
import { normaliseArabic } from "../../plugins/service-catalogue/name-linter";
import { addKpi, approveReview, sendForReview } from "./catalogue-helpers";
import { DEMO, expectArabic, signedInContext } from "./helpers";
import { expectAccessible } from "./axe";

// The service catalogue in Arabic: an admin documents a new service (the card with the naming
// rule's notes as they type, its classification, the linked workflow whose steps and chart
// the designer draws, two KPIs) and sends it through review; the manager — the approver in
// the demo's settings — approves it and the workflow publishes it. The guide's worked example
// renders as the guide's documentation-card tables.

const ORG = DEMO.social.slug;
const BASE = `/app/${ORG}/service-catalogue`;

/** Arabic-Indic digits → Latin, hamza forms unified: the guide's text and Masar's compared as words. */
const norm = (s: string) =>
  normaliseArabic(s.replace(/[٠-٩]/g, (d) => String("٠١٢٣٤٥٦٧٨٩".indexOf(d))).replace(/٪/g, "%"))
    .replace(/\s+/g, " ")
    .trim();

test.describe("service catalogue", () => {
  test("an admin documents a service with the naming rule and two KPIs; the approver publishes it through review", async ({ browser }) => {
    const { context, page } = await signedInContext(browser, DEMO.social.admin);
    await page.goto(BASE);
    await expectArabic(page);
    await expect(page.getByRole("heading", { level: 1, name: "دليل الخدمات" })).toBeVisible();
    await expectAccessible(page, "catalogue");

    await page.getByRole("link", { name: "توثيق خدمة جديدة" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "توثيق خدمة جديدة" })).toBeVisible();
    const name = page.getByRole("textbox", { name: "مسمى الخدمة (عربي)" });
    // The guide's example of a name that is not a service, then one with punctuation.
    await name.fill("طباعة شهادة الترخيص");
    const lint = page.getByTestId("name-lint-ar");
    await expect(lint.locator('[data-code="internalStep"]')).toContainText("خطوة داخل إجراءات الخدمة");
    await name.fill("إصدار شهادة راتب، عاجل");
    await expect(lint.locator('[data-code="punctuation"]')).toContainText("لا يحتوي اسم الخدمة على علامات الترقيم");
    await expect(lint.locator('[data-code="internalStep"]')).toHaveCount(0);
    const serviceName = `إصدار شهادة راتب ${Date.now() % 100000}`;
    await name.fill(serviceName);
    await expect(lint.getByTestId("name-lint-ok")).toBeVisible();
    await page.getByRole("textbox", { name: "مسمى الخدمة (إنجليزي)" }).fill("Issue a salary certificate");
    await expect(page.getByTestId("name-lint-en").getByTestId("name-lint-ok")).toBeVisible();
    await expectAccessible(page, "new service");

    await page.getByRole("textbox", { name: "شرح / وصف الخدمة (عربي)" }).fill("شهادة تبين راتب الموظف وبدلاته لتقديمها إلى البنوك والجهات الأخرى.");
    await page.getByRole("combobox", { name: "الإدارة المختصة" }).selectOption({ label: "16 — إدارة خدمة المتعاملين" });
    await page.getByRole("textbox", { name: "الاشتراطات (عربي)" }).fill("أن يكون مقدم الطلب موظفًا على رأس العمل\nصالحة لمدة 30 يومًا");
    await page.getByRole("textbox", { name: "الوثائق المطلوبة (عربي)" }).fill("البطاقة الشخصية");
    await page.getByRole("radio", { name: "رقمية ذاتية" }).check();
    await page.getByRole("textbox", { name: "رسوم الخدمة (عربي)" }).fill("لا يوجد");
    await page.getByRole("textbox", { name: "معلومات التواصل (عربي)" }).fill("الخط الساخن 16008");
    await page.getByRole("textbox", { name: "الوقت المقدر لإتمام الخدمة (بالدقائق)" }).fill("15");
    await page.getByRole("textbox", { name: "منتج الخدمة النهائي (عربي)" }).fill("شهادة راتب");
    await page.getByRole("textbox", { name: "الفئة (عربي)" }).fill("الشهادات");
    await page.getByRole("radio", { name: /قطاع الأعمال/ }).check();
    // The steps and the flowchart are the linked workflow (drawn in the designer).
    await page.getByRole("combobox", { name: "سير العمل المرتبط" }).selectOption({ value: "certificate-to-whom" });
    await page.getByRole("button", { name: "حفظ الخدمة" }).click();

    await expect(page.getByRole("heading", { level: 1, name: serviceName })).toBeVisible();
    const code = (await page.getByTestId("service-code").textContent())!.trim();
    expect(code).toMatch(/^د خ ج-16-S-\d+$/);
    await expect(page.getByTestId("service-status")).toHaveText("مسودة");
    await page.getByRole("tab", { name: "بطاقة التوثيق" }).click();
    await expect(page.getByTestId("step-row")).toHaveCount(5);
    await expect(page.getByTestId("designer-link")).toHaveAttribute("href", /\/admin\/workflows\/[0-9a-f-]+\/design$/);
    await expectAccessible(page, "service detail");

    // Two KPIs: the guide's error rate (from case data) and satisfaction (portal ratings).
    await page.getByRole("tab", { name: "مؤشرات الأداء" }).click();
    await page.getByRole("link", { name: "إدارة المؤشرات" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("مؤشرات أداء الخدمة");
    await addKpi(page, {
      name: "نسبة الأخطاء في تسليم الخدمة",
      formula: "(عدد الخدمات المرتجعة نتيجة وجود خطأ/ إجمالي عدد الخدمات المقدمة) * 100",
      method: "نسبة الأخطاء من الحالات (مرتجعة ÷ مسلّمة × ١٠٠)",
      target: "1",
      direction: "لا يزيد على المستهدف",
    });
    await addKpi(page, {
      name: "نسبة رضا المتعاملين عن الخدمة",
      formula: "نسبة الرضا الناتجة من استبيانات رأي المتعاملين",
      method: "رضا المتعاملين من تقييمات البوابة (١–٥)",
      target: "95",
      direction: "لا يقل عن المستهدف",
    });
    await expect(page.getByTestId("kpi-card")).toHaveCount(2);
    // Computing now from the workflow's cases records a measurement in the history.
    await page.getByTestId("kpi-card").first().getByRole("button", { name: "احسب الآن" }).click();
    await expect(page.getByTestId("kpi-message")).toContainText("حالة");
    await expect(page.getByTestId("kpi-card").first().getByTestId("kpi-history")).toBeVisible();
    await expectAccessible(page, "KPIs");

    // Send for review: the review workflow starts and locks the card.
    await page.getByRole("link", { name: code }).click();
    const reference = await sendForReview(page);

    // The manager (the approver the demo's settings name) approves it from the inbox.
    await approveReview(browser, reference);

    await page.reload();
    await expect(page.getByTestId("service-status")).toHaveText("منشورة");
    await page.getByRole("tab", { name: "الإصدارات" }).click();
    await expect(page.getByTestId("versions-table").getByRole("row")).toHaveCount(2);
    await expect(page.getByTestId("versions-table")).toContainText(reference);
    await expect(page.getByTestId("versions-table")).toContainText(serviceName);
    await context.close();
  });

  test("an admin cancels a card's review case; the card is an editable draft again and says why", async ({ browser }) => {
    const { context, page } = await signedInContext(browser, DEMO.social.admin);
    await page.goto(`${BASE}/new`);
    const serviceName = `تجديد شهادة راتب ${Date.now() % 100000}`;
    await page.getByRole("textbox", { name: "مسمى الخدمة (عربي)" }).fill(serviceName);
    await page.getByRole("combobox", { name: "الإدارة المختصة" }).selectOption({ label: "16 — إدارة خدمة المتعاملين" });
    await page.getByRole("button", { name: "حفظ الخدمة" }).click();
    await expect(page.getByRole("heading", { level: 1, name: serviceName })).toBeVisible();
    const serviceUrl = page.url();
    const reference = await sendForReview(page);

    // Cases → the review case → cancel, with a reason.
    await page.getByTestId("service-in-review").getByRole("link", { name: reference }).click();
    await page.getByTestId("case-cancel-open").click();
    await page.getByRole("textbox", { name: "سبب الإلغاء" }).fill("أُرسلت البطاقة للمراجعة قبل اكتمالها");
    await page.getByTestId("case-cancel-confirm").click();
    await expect(page.getByText("أُلغيت المعاملة، وأُزيلت خطواتها المفتوحة من صناديق المهام.")).toBeVisible();

    // The list already shows it as a draft; its page says which review was cancelled.
    await page.goto(`${BASE}?q=${encodeURIComponent(serviceName)}`);
    await expect(page.getByTestId("services-table").getByRole("row").filter({ hasText: serviceName })).toContainText("مسودة");
    await page.goto(serviceUrl);
    await expect(page.getByTestId("service-status")).toHaveText("مسودة");
    const note = page.getByTestId("review-ended");
    await expect(note).toContainText("أُلغيت معاملة المراجعة قبل أن تُقرَّر");
    await expect(note.getByRole("link", { name: reference })).toBeVisible();
    await expect(page.getByRole("link", { name: "تعديل" })).toBeVisible();
    await expectAccessible(page, "service after its review was cancelled");
    // And it can go to review anew.
    const again = await sendForReview(page);
    expect(again).not.toBe(reference);
    await expect(page.getByTestId("review-ended")).toHaveCount(0);
    await context.close();
  });

  test("the guide's worked example renders as the guide's documentation card, and prints", async ({ browser }) => {
    const { context, page } = await signedInContext(browser, DEMO.social.staff);
    await page.goto(`${BASE}?q=${encodeURIComponent("لمن يهمه")}`);
    await page.getByTestId("services-table").getByRole("link", { name: "إصدار شهادة لمن يهمه الأمر" }).click();
    await expect(page.getByTestId("service-code")).toHaveText("د خ ج-16-S-1");
    await page.getByRole("link", { name: "طباعة بطاقة التوثيق" }).click();
    await expect(page.getByTestId("documentation-card-document")).toBeVisible();

    // Steps table: the guide's five rows, column by column, and its totals (5 steps, 10 minutes).
    const rows = await page.getByTestId("step-row").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));
    expect(rows.map((r) => r.map(norm))).toEqual(GUIDE_STEPS_TABLE.rows.map((r) => r.map(norm)));
    expect(norm((await page.getByTestId("total-steps").textContent())!)).toBe(String(GUIDE_STEPS_TABLE.totalSteps));
    expect(norm((await page.getByTestId("total-time").textContent())!)).toBe(`${GUIDE_STEPS_TABLE.totalMinutes} دقائق`);
    // KPI table: the guide's two indicators.
    const kpis = await page.getByTestId("kpi-row").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));
    expect(kpis.map((r) => r.map(norm))).toEqual(GUIDE_STEPS_TABLE.kpis.map((r) => r.map(norm)));
    await expectAccessible(page, "documentation card print");
    // "Download PDF": this server has Chromium, so the same document comes back as an A4 PDF.
    const pdfLink = page.getByRole("link", { name: "تنزيل PDF" });
    await expect(pdfLink).toBeVisible();
    const pdf = await page.request.get((await pdfLink.getAttribute("href"))!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");

    await page.goto(`${BASE}/charter/print`);
    await expect(page.getByTestId("charter-document")).toContainText("الكفاءة");
    await expectAccessible(page, "charter print");
    await context.close();
  });
});
