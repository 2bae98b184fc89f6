import { expect, test } from "@playwright/test";
import { addKpi, approveReview, completeStep, sendForReview, trackRequest, waitLikeAPerson } from "./catalogue-helpers";
import { expectAccessible } from "./axe";
import { canvas, connect, createWorkflowDraft, dropFromPalette, laneBand, links, nameSelected, shape, shapes, wideContext } from "./designer-helpers";
import { addField, createForm, nameField, publishOpenForm } from "./forms-helpers";
import { DEMO, expectArabic, signedInContext } from "./helpers";

// Issue 8's journey, end to end in Arabic, on the social-services department:
//   1. the admin (مريم الكعبي) documents a NEW service — its start form built in the form
//      builder, its steps drawn in the designer in two lanes (the start form picked on the
//      start shape, the demo's result-notice form on the last step), the service card (fully
//      digital) linked to that flow, two KPIs — and sends it through its review workflow;
//      the manager (خالد الشامسي), the approver in the demo's settings, approves it;
//   2. a citizen (no account) finds it on the portal by searching, requests it through the
//      start form and gets a tracking code;
//   3. customer service (فاطمة النقبي) works both steps from the inbox, leaving the notice;
//   4. the citizen tracks the request (completed, with the notice) and rates it 5;
//   5. the satisfaction KPI, computed now, goes from "no data" to 100 % — on the KPI page and
//      on the service's card.
// Every page visited on the way passes the axe check. Names and keys carry a per-run number:
// the specs run repeatedly against one database.

const ORG = DEMO.social.slug;
const BASE = `/app/${ORG}/service-catalogue`;
const PHONE = "055 314 1592";
const NOTICE = "صدرت شهادة الأسرة المنتجة، وأُرسلت نسخة منها إلى بريدكم المسجل لدى الدائرة.";

test("an admin documents and publishes a digital service; a citizen requests, tracks and rates it; staff complete it; the KPI updates", async ({ browser }) => {
  // The longest journey of the suite: two sign-ins besides the admin's, a form, a drawing, a review.
  test.setTimeout(8 * 60_000);
  const run = String(Date.now() % 1_000_000); // digits only: it goes into the Arabic service name
  const service = {
    name: `إصدار شهادة أسرة منتجة ${run}`,
    nameEn: `Issue a productive family certificate ${run}`,
  };
  const startForm = { key: `productive-family-request-${run}`, name: `استمارة طلب شهادة أسرة منتجة ${run}` };
  const flow = { key: `productive-family-${run}`, name: `إصدار شهادة أسرة منتجة ${run}` };
  const steps = { study: "دراسة الطلب والتحقق من المشروع", issue: "إصدار الشهادة وإشعار المتعامل", end: "تم إصدار الشهادة" };
  const { context: adminContext, page: admin } = await wideContext(browser, DEMO.social.admin);
  let serviceUrl = "";
  let serviceCode = "";

  await test.step("the admin builds the start form in the form builder and publishes it", async () => {
    await createForm(admin, { key: startForm.key, nameAr: startForm.name, nameEn: `Productive family certificate request ${run}` });
    await expectArabic(admin);
    const panel = admin.getByTestId("properties-panel");
    await addField(admin, "shortText");
    await nameField(admin, { key: "fullName", ar: "الاسم الكامل", en: "Full name" });
    await panel.getByTestId("field-required").check();
    await addField(admin, "shortText");
    await nameField(admin, { key: "project", ar: "نوع المشروع المنزلي", en: "Home business" });
    await panel.getByTestId("field-required").check();
    await expectAccessible(admin, "form builder");
    await publishOpenForm(admin, "الإصدار الأول");
  });

  await test.step("the admin draws the steps in two lanes in the designer and publishes the flow", async () => {
    await createWorkflowDraft(admin, ORG, flow.key, flow.name, `Issue a productive family certificate ${run}`);
    await admin.getByTestId("open-designer").click();
    await admin.waitForURL(/\/design$/);
    await expect(shapes(admin)).toHaveCount(3); // the blank draft
    await expectAccessible(admin, "designer");
    // An empty canvas to draw on; the blank draft's lane "الموظفون" (staff) stays.
    await canvas(admin).click({ position: { x: 30, y: 30 } });
    await admin.keyboard.press("Control+a");
    await admin.keyboard.press("Delete");
    await admin.getByTestId("delete-confirm").click();
    await expect(shapes(admin)).toHaveCount(0);

    // A second lane for the customer service department (unit 16).
    await admin.getByTestId("lane-add").click();
    await admin.getByTestId("lane-name-2-ar").fill("إدارة خدمة المتعاملين");
    await admin.getByTestId("lane-name-2-en").fill("Customer Service Department");
    const lane2 = admin.getByTestId("lane-lane_2");
    await lane2.getByRole("textbox", { name: "المسؤول" }).click();
    await admin.getByRole("option", { name: "وحدة تنظيمية", exact: true }).click();
    await lane2.getByRole("textbox", { name: "وحدة تنظيمية" }).click();
    await admin.getByRole("option", { name: "إدارة خدمة المتعاملين", exact: true }).click();
    await expect(lane2.getByRole("textbox", { name: "وحدة تنظيمية" })).toHaveValue("إدارة خدمة المتعاملين");

    const staffLane = await laneBand(admin, "lane_1");
    const csLane = await laneBand(admin, "lane_2");
    const box = (await canvas(admin).boundingBox())!;
    const col = (f: number) => box.x + box.width * f;
    const row1 = staffLane.y + staffLane.height / 2;
    const row2 = csLane.y + csLane.height / 2;

    /** Picks a form in the properties panel of the selected shape (the picker filters as one types). */
    const pickForm = async (name: string) => {
      const picker = admin.getByTestId("field-form");
      await picker.click();
      await picker.fill(name);
      await admin.getByRole("option", { name, exact: true }).click();
      await expect(picker).toHaveValue(name);
    };
    const start = await dropFromPalette(admin, "start", { x: col(0.9), y: row1 });
    await nameSelected(admin, "تقديم الطلب عبر البوابة", "Request sent on the portal");
    await expect(admin.getByText("نموذج البدء")).toBeVisible();
    await pickForm(startForm.name);
    const study = await dropFromPalette(admin, "task", { x: col(0.72), y: row1 });
    await nameSelected(admin, steps.study, "Study the request and check the business");
    await admin.getByTestId("field-estimatedMinutes").fill("20");
    const issue = await dropFromPalette(admin, "document", { x: col(0.52), y: row2 });
    await nameSelected(admin, steps.issue, "Issue the certificate and notify the customer");
    await admin.getByTestId("field-estimatedMinutes").fill("10");
    // The demo's shared step form whose one field is the notice the citizen reads (data.resultNotice).
    await pickForm("إشعار المتعامل بنتيجة الطلب");
    const end = await dropFromPalette(admin, "end", { x: col(0.32), y: row2 });
    await nameSelected(admin, steps.end, "Certificate issued");
    await shape(admin, issue).click();
    await expect(admin.getByTestId("field-lane")).toHaveValue("إدارة خدمة المتعاملين");

    await connect(admin, start, "left", study, "right");
    await connect(admin, study, "left", issue, "right");
    await connect(admin, issue, "left", end, "right");
    await expect(links(admin)).toHaveCount(3);
    await expect(admin.getByTestId("problems-none")).toBeVisible();
    await expect(admin.getByTestId("save-status")).toHaveText(/حُفظت المسودة الساعة/);
    await expectAccessible(admin, "designer with the drawn flow");

    await admin.getByTestId("publish-open").click();
    await admin.getByTestId("publish-note").fill("الإصدار الأول لخدمة شهادة الأسرة المنتجة");
    await admin.getByTestId("publish-confirm").click();
    await expect(admin.getByTestId("published")).toHaveText("نُشر بوصفه الإصدار ١.");
  });

  await test.step("the admin documents the service card, fully digital, linked to the flow", async () => {
    await admin.goto(`${BASE}/new`);
    await expect(admin.getByRole("heading", { level: 1, name: "توثيق خدمة جديدة" })).toBeVisible();
    await admin.getByRole("textbox", { name: "مسمى الخدمة (عربي)" }).fill(service.name);
    await expect(admin.getByTestId("name-lint-ar").getByTestId("name-lint-ok")).toBeVisible();
    await admin.getByRole("textbox", { name: "مسمى الخدمة (إنجليزي)" }).fill(service.nameEn);
    await expect(admin.getByTestId("name-lint-en").getByTestId("name-lint-ok")).toBeVisible();
    await admin.getByRole("textbox", { name: "شرح / وصف الخدمة (عربي)" }).fill("شهادة تثبت تسجيل مشروع الأسرة المنزلي في برنامج الأسر المنتجة، تُطلب وتُتابع إلكترونيًا.");
    await admin.getByRole("combobox", { name: "الإدارة المختصة" }).selectOption({ label: "16 — إدارة خدمة المتعاملين" });
    await admin.getByRole("textbox", { name: "الاشتراطات (عربي)" }).fill("أن تكون الأسرة مسجلة لدى الدائرة\nأن يكون المشروع المنزلي قائمًا");
    await admin.getByRole("textbox", { name: "الوثائق المطلوبة (عربي)" }).fill("رقم الهوية الوطنية");
    await admin.getByRole("radio", { name: "رقمية ذاتية" }).check();
    await admin.getByRole("textbox", { name: "تفاصيل القنوات (عربي)" }).fill("البوابة الإلكترونية للدائرة");
    await admin.getByRole("textbox", { name: "رسوم الخدمة (عربي)" }).fill("لا يوجد");
    await admin.getByRole("textbox", { name: "معلومات التواصل (عربي)" }).fill("الخط الساخن 16008");
    await admin.getByRole("textbox", { name: "الوقت المقدر لإتمام الخدمة (بالدقائق)" }).fill("30");
    await admin.getByRole("textbox", { name: "منتج الخدمة النهائي (عربي)" }).fill("شهادة أسرة منتجة");
    await admin.getByRole("textbox", { name: "الفئة (عربي)" }).fill("الأسر المنتجة");
    await admin.getByRole("radio", { name: /^الأفراد/ }).check();
    await admin.getByRole("combobox", { name: "سير العمل المرتبط" }).selectOption({ value: flow.key });
    await expectAccessible(admin, "new service");
    await admin.getByRole("button", { name: "حفظ الخدمة" }).click();

    await expect(admin.getByRole("heading", { level: 1, name: service.name })).toBeVisible();
    serviceUrl = new URL(admin.url()).pathname;
    serviceCode = (await admin.getByTestId("service-code").textContent())!.trim();
    expect(serviceCode).toMatch(/^د خ ج-16-S-\d+$/);
    await expect(admin.getByTestId("service-status")).toHaveText("مسودة");
    // The steps table is the drawn flow: its two steps with their lanes and minutes.
    await admin.getByRole("tab", { name: "بطاقة التوثيق" }).click();
    const rows = admin.getByTestId("step-row");
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText(steps.study);
    await expect(rows.nth(0)).toContainText("الموظفون");
    await expect(rows.nth(1)).toContainText(steps.issue);
    await expect(rows.nth(1)).toContainText("إدارة خدمة المتعاملين");
    await expectAccessible(admin, "service detail");
  });

  await test.step("the admin defines two KPIs; satisfaction has nothing to measure yet", async () => {
    await admin.getByRole("tab", { name: "مؤشرات الأداء" }).click();
    await admin.getByRole("link", { name: "إدارة المؤشرات" }).click();
    await expect(admin.getByRole("heading", { level: 1 })).toContainText("مؤشرات أداء الخدمة");
    await addKpi(admin, {
      name: "نسبة رضا المتعاملين عن الخدمة",
      formula: "(متوسط تقييمات المتعاملين على البوابة من 1 إلى 5 / 5) * 100",
      method: "رضا المتعاملين من تقييمات البوابة (١–٥)",
      frequency: "ربع سنوي",
      target: "90",
      direction: "لا يقل عن المستهدف",
    });
    await addKpi(admin, {
      name: "متوسط زمن إنجاز الطلب",
      formula: "مجموع دقائق إنجاز الطلبات المكتملة / عدد الطلبات المكتملة",
      method: "متوسط زمن الإنجاز من الحالات (دقائق)",
      frequency: "ربع سنوي",
      unit: "دقائق",
      target: "2880",
      direction: "لا يزيد على المستهدف",
    });
    await expect(admin.getByTestId("kpi-card")).toHaveCount(2);
    const satisfaction = admin.getByTestId("kpi-card").filter({ hasText: "نسبة رضا المتعاملين عن الخدمة" });
    await satisfaction.getByRole("button", { name: "احسب الآن" }).click();
    await expect(admin.getByTestId("kpi-message")).toContainText("لا توجد في الفترة حالات تكفي للقياس");
    await expect(satisfaction.getByTestId("kpi-history-value").first()).toHaveText("لا بيانات في الفترة");
    await expectAccessible(admin, "KPIs");
  });

  await test.step("the admin sends it for review; the manager approves and the workflow publishes it", async () => {
    await admin.goto(serviceUrl);
    const reference = await sendForReview(admin);
    await approveReview(browser, reference);
    await admin.reload();
    await expect(admin.getByTestId("service-status")).toHaveText("منشورة");
  });

  const citizenContext = await browser.newContext({ locale: "ar" });
  const citizen = await citizenContext.newPage();
  let trackingCode = "";
  let reference = "";

  await test.step("a citizen finds the service on the portal by searching and requests it", async () => {
    await citizen.goto(`/o/${ORG}`);
    await expectArabic(citizen);
    await citizen.getByLabel("ابحث عن خدمة").fill("شهادة أسرة منتجة");
    await citizen.getByRole("button", { name: "بحث" }).click();
    await citizen.waitForURL(/\?q=/);
    const card = citizen.getByTestId("portal-service-card").filter({ hasText: serviceCode });
    await expect(card).toContainText("رقمية ذاتية");
    await expect(citizen.getByRole("heading", { level: 2, name: "الأسر المنتجة" })).toBeVisible();
    await expectAccessible(citizen, "portal search");
    await card.getByRole("link", { name: service.name }).click();

    await expect(citizen.getByRole("heading", { level: 1, name: service.name })).toBeVisible();
    await expect(citizen.getByRole("table")).toContainText("شهادة أسرة منتجة");
    await expectAccessible(citizen, "portal service card");
    await citizen.getByTestId("portal-apply").click();
    await expect(citizen.getByRole("heading", { level: 1, name: `تقديم طلب: ${service.name}` })).toBeVisible();
    const opened = Date.now();
    await expectAccessible(citizen, "portal request form");
    // The start form the admin built, as the citizen sees it.
    const form = citizen.getByTestId("portal-request-form");
    await form.getByLabel("الاسم الكامل").fill("موزة راشد السويدي");
    await form.getByLabel("نوع المشروع المنزلي").fill("خياطة الملابس التراثية");
    await form.getByLabel("رقم الهاتف أو البريد الإلكتروني").fill(PHONE);
    await waitLikeAPerson(citizen, opened);
    await form.getByRole("button", { name: "إرسال الطلب" }).click();

    await expect(citizen.getByText("تم استلام طلبك")).toBeVisible();
    trackingCode = (await citizen.getByTestId("portal-tracking-code").innerText()).trim();
    expect(trackingCode).toMatch(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
    reference = /\d{4}-\d{6,}/.exec(await citizen.getByTestId("portal-reference").innerText())?.[0] ?? "";
    expect(reference, "the organisation's request number").not.toBe("");
    await expectAccessible(citizen, "portal tracking code");
  });

  await test.step("customer service works both steps from the inbox and leaves the notice", async () => {
    const { context, page: staff } = await signedInContext(browser, DEMO.social.staff);
    await completeStep(staff, reference, steps.study);
    await completeStep(staff, reference, steps.issue, async (page) => {
      const stepForm = page.getByTestId("task-step-form");
      await expect(stepForm.getByLabel("نص الإشعار للمتعامل")).toBeVisible();
      await expectAccessible(page, "task with the notice form");
      await stepForm.getByLabel("نص الإشعار للمتعامل").fill(NOTICE);
    });
    // The case carries the citizen's answers.
    await staff.goto(`/app/${ORG}/cases/${reference}`);
    await expect(staff.getByText("موزة راشد السويدي")).toBeVisible();
    await context.close();
  });

  await test.step("the citizen tracks the request, reads the notice and rates the service 5", async () => {
    await citizen.goto(`/o/${ORG}/track`);
    await expect(citizen.getByRole("heading", { level: 1, name: "متابعة طلب" })).toBeVisible();
    await trackRequest(citizen, trackingCode, PHONE);
    await expect(citizen.getByTestId("portal-status")).toHaveText("مكتمل");
    const result = citizen.getByTestId("portal-result");
    await expect(result).toContainText(steps.end);
    await expect(result).toContainText(NOTICE);
    await expectAccessible(citizen, "portal tracked request");
    await citizen.getByLabel(/راضٍ جدًا/).check();
    await citizen.getByLabel("ملاحظاتك (اختياري)").fill("خدمة سهلة دون مراجعة المركز");
    await citizen.getByRole("button", { name: "إرسال التقييم" }).click();
    await expect(citizen.getByText("شكرًا لك، سُجّل تقييمك.")).toBeVisible();
    await expect(citizen.getByTestId("portal-your-rating")).toHaveText("تقييمك: راضٍ جدًا");
    await expectAccessible(citizen, "portal rated request");
    await citizenContext.close();
  });

  await test.step("the satisfaction KPI, computed now, reads the rating: 100 %, target met", async () => {
    await admin.goto(`${serviceUrl}/kpis`);
    const satisfaction = admin.getByTestId("kpi-card").filter({ hasText: "نسبة رضا المتعاملين عن الخدمة" });
    await satisfaction.getByRole("button", { name: "احسب الآن" }).click();
    await expect(admin.getByTestId("kpi-message")).toContainText("حُسب المؤشر");
    const latest = satisfaction.getByTestId("kpi-history-value").first();
    await expect(latest).toContainText("١٠٠٪");
    await expect(latest).toContainText("محقق");
    // The time to complete reads the same case.
    const time = admin.getByTestId("kpi-card").filter({ hasText: "متوسط زمن إنجاز الطلب" });
    await time.getByRole("button", { name: "احسب الآن" }).click();
    await expect(admin.getByTestId("kpi-message")).toContainText("حُسب المؤشر");
    await expect(time.getByTestId("kpi-history-value").first()).toContainText("محقق");
    await expectAccessible(admin, "KPIs measured");
    // The service's card shows the last measurement against the target.
    await admin.goto(serviceUrl);
    await admin.getByRole("tab", { name: "مؤشرات الأداء" }).click();
    const summary = admin.getByTestId("kpi-summary").getByRole("row").filter({ hasText: "نسبة رضا المتعاملين عن الخدمة" });
    await expect(summary.getByTestId("kpi-last")).toContainText("١٠٠٪");
  });
  await adminContext.close();
});
