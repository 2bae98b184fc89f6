import { expect, test, type Page } from "@playwright/test";
import { DEMO, expectArabic, expectEnglish, signedInContext } from "./helpers";

// Staff moving a case through the demo definitions (seeds/workflows.ts) in the browser.
// "إصدار شهادة لمن يهمه الأمر" (social-services): receive (customer service, unit 16:
// فاطمة النقبي and ليلى المنصوري) → study (specialist, unit 20: مريم الكعبي) → approve
// (manager role) → … Other specs share the demo users, so rows are found by case reference.

const CERTIFICATE = { name: "إصدار شهادة لمن يهمه الأمر", key: "certificate-to-whom" };
const REFERENCE = /\d{4}-\d{6,}/;

/**
 * Starts a case from the inbox's "Start a case" menu and returns its reference. The menu
 * item is picked by name and by definition key (the API spec imports copies with the same name).
 */
async function startCase(
  page: Page,
  org: string,
  service: { name: string; key: string },
  title: string,
  labels: { start: string; submit: string },
  /** Fills the service's start form, if it has one. */
  fillStartForm?: (page: Page) => Promise<void>,
): Promise<string> {
  await page.goto(`/app/${org}/inbox`);
  await page.getByRole("button", { name: labels.start }).click();
  await page.getByRole("menuitem", { name: service.name }).and(page.locator(`[href$="definition=${service.key}"]`)).click();
  await page.waitForURL(/\/cases\/new\?definition=/);
  await page.locator('input[name="title"]').fill(title);
  await fillStartForm?.(page);
  await page.getByRole("button", { name: labels.submit }).click();
  await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
  await expect(page.locator("h1")).toHaveText(REFERENCE);
  const reference = REFERENCE.exec((await page.locator("h1").textContent()) ?? "")?.[0];
  expect(reference, "the case page names the new case").toBeTruthy();
  return reference!;
}

/** The inbox row of the case, found with the server search. */
async function inboxRow(page: Page, org: string, reference: string, query = "") {
  await page.goto(`/app/${org}/inbox?q=${reference}${query}`);
  return page.getByTestId("inbox-row").filter({ hasText: reference });
}

test.describe("workflow in Arabic", () => {
  test("a staff member completes a step from the inbox and the next lane's user sees the next task", async ({ browser }) => {
    const { context: staffContext, page: staff } = await signedInContext(browser, DEMO.social.staff);
    await staff.goto(`/app/${DEMO.social.slug}/inbox`);
    await expectArabic(staff);
    await expect(staff.getByRole("heading", { level: 1, name: "صندوق المهام" })).toBeVisible();

    const reference = await startCase(staff, DEMO.social.slug, CERTIFICATE, "شهادة للسيد سالم الحمادي", { start: "بدء معاملة", submit: "بدء المعاملة" });
    await expect(staff.getByTestId("case-open-tasks")).toContainText("استلام الطلب");

    // The first step waits for customer service (the staff member's unit), unclaimed.
    const row = await inboxRow(staff, DEMO.social.slug, reference);
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("استلام الطلب");
    await expect(row).toContainText("لم يستلمها أحد بعد");
    await row.getByRole("link", { name: "استلام الطلب" }).click();
    await staff.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    await expect(staff.getByRole("heading", { level: 1, name: "استلام الطلب" })).toBeVisible();
    await expect(staff.getByText("موظف خدمة المتعاملين", { exact: true })).toBeVisible(); // the lane

    await staff.getByRole("button", { name: "تولّي المهمة" }).click();
    await expect(staff.getByText("أصبحت تتولى هذه المهمة.")).toBeVisible();
    await staff.getByLabel("ملاحظات").fill("استُلمت المستندات كاملة");
    await staff.getByRole("button", { name: "إكمال الخطوة" }).click();
    await staff.waitForURL(/\/inbox\?done=/);
    await expect(staff.getByTestId("inbox-done")).toContainText(reference);
    await expect(await inboxRow(staff, DEMO.social.slug, reference)).toHaveCount(0);

    // The specialist lane (unit 20) now has "دراسة الطلب" of this case.
    const { context: adminContext, page: specialist } = await signedInContext(browser, DEMO.social.admin);
    const next = await inboxRow(specialist, DEMO.social.slug, reference, "&tab=groups");
    await expect(next).toHaveCount(1);
    await expect(next).toContainText("دراسة الطلب");
    await next.getByRole("link", { name: "دراسة الطلب" }).click();
    await expect(specialist.getByRole("heading", { level: 1, name: "دراسة الطلب" })).toBeVisible();

    // The case page tells the story: the completed step, the note, who acts next.
    await specialist.getByRole("link", { name: reference }).first().click();
    await expect(specialist.getByTestId("case-timeline")).toContainText("اكتمال خطوة — استلام الطلب");
    await expect(specialist.getByTestId("case-comment")).toContainText("استُلمت المستندات كاملة");
    await expect(specialist.getByTestId("case-open-tasks")).toContainText("دراسة الطلب");
    await staffContext.close();
    await adminContext.close();
  });

  test("the slower of two people gets 'already completed by X at T' and keeps what they typed", async ({ browser }) => {
    const { context: aContext, page: first } = await signedInContext(browser, DEMO.social.staff);
    const reference = await startCase(first, DEMO.social.slug, CERTIFICATE, "شهادة لاختبار التزامن", { start: "بدء معاملة", submit: "بدء المعاملة" });
    const taskLink = (await inboxRow(first, DEMO.social.slug, reference)).getByRole("link", { name: "استلام الطلب" });
    const taskUrl = await taskLink.getAttribute("href");
    expect(taskUrl).toBeTruthy();

    // ليلى المنصوري (consultant, also in customer service) has the same task open.
    const { context: bContext, page: second } = await signedInContext(browser, DEMO.consultant);
    await second.goto(taskUrl!);
    await first.goto(taskUrl!);
    await second.getByRole("button", { name: "إكمال الخطوة" }).click();
    await second.waitForURL(/\/inbox\?done=/);

    const typed = "ملاحظة طويلة كتبتها قبل أن أعرف أن زميلتي أنهت الخطوة";
    await first.getByLabel("ملاحظات").fill(typed);
    await first.getByRole("button", { name: "إكمال الخطوة" }).click();
    const conflict = first.getByTestId("task-conflict");
    await expect(conflict).toBeVisible();
    await expect(conflict).toContainText("اكتملت هذه المهمة بالفعل على يد");
    await expect(conflict).toContainText("ليلى المنصوري");
    await expect(first.getByLabel("ملاحظات")).toHaveValue(typed);
    await aContext.close();
    await bContext.close();
  });
});

test.describe("cancelling a case in Arabic", () => {
  test("a manager cancels a case with a reason; its step leaves the inbox and the timeline says why", async ({ browser }) => {
    const { context, page } = await signedInContext(browser, DEMO.social.manager);
    const reference = await startCase(page, DEMO.social.slug, CERTIFICATE, "طلب سيُلغى", { start: "بدء معاملة", submit: "بدء المعاملة" });
    await page.getByTestId("case-cancel-open").click();
    const dialog = page.getByRole("dialog", { name: "إلغاء المعاملة" });
    await expect(dialog).toContainText("لا يمكن التراجع عن الإلغاء");
    await dialog.getByLabel("سبب الإلغاء").fill("طلب المتعامل إلغاء الطلب هاتفيًا");
    await dialog.getByTestId("case-cancel-confirm").click();
    await expect(page.getByText("أُلغيت المعاملة، وأُزيلت خطواتها المفتوحة من صناديق المهام.")).toBeVisible();
    await expect(page.getByTestId("case-timeline")).toContainText("طلب المتعامل إلغاء الطلب هاتفيًا");
    await expect(page.getByTestId("case-cancel-open")).toHaveCount(0);
    // The page says it was cancelled — when, by whom and why — never that it was completed.
    await expect(page.getByText(/^بدأها .* — أُلغيت في /)).toBeVisible();
    await expect(page.getByText(/اكتملت/)).toHaveCount(0);
    const cancelled = page.getByTestId("case-cancelled");
    await expect(cancelled).toContainText("أُلغيت هذه المعاملة");
    await expect(cancelled).toContainText("ألغاها");
    await expect(cancelled).toContainText("سبب الإلغاء: طلب المتعامل إلغاء الطلب هاتفيًا");
    await page.reload();
    await expect(page.getByTestId("case-cancelled")).toContainText("طلب المتعامل إلغاء الطلب هاتفيًا");
    await expect(page.getByText("أُلغيت هذه المعاملة، فلا خطوة تنتظر أحداً.")).toBeVisible();
    await expect(await inboxRow(page, DEMO.social.slug, reference, "&tab=all")).toHaveCount(0);
    await context.close();
  });
});

test.describe("workflow in English", () => {
  test("the inbox in English: tabs with counts, a started case's task, sorting and search", async ({ browser }) => {
    const { context, page } = await signedInContext(browser, DEMO.crafts.staff);
    await page.goto(`/app/${DEMO.crafts.slug}/inbox`);
    // Stored on the user (this spec is the only one signing in as the crafts staff member).
    await page.getByRole("button", { name: /English/ }).click();
    await expectEnglish(page);
    await expect(page.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();

    // The social aid request starts with its application form (seeds/forms.ts), in English here.
    const reference = await startCase(page, DEMO.crafts.slug, { name: "Social aid request", key: "social-aid-request" }, "Aid request for a craftsman's family", { start: "Start a case", submit: "Start case" }, async (p) => {
      await p.getByLabel("Applicant's name").fill("Noura Al Shammari");
      await p.getByLabel("National ID number").fill("1098765432");
      await p.getByLabel("Mobile number").fill("0551234567");
      await p.getByLabel("Family members").fill("4");
      await p.getByRole("textbox", { name: "Kind of help asked for" }).click();
      await p.getByRole("option", { name: "Housing aid", exact: true }).click();
    });
    await page.goto(`/app/${DEMO.crafts.slug}/inbox?sort=priority`);
    await expect(page.getByTestId("inbox-tab-all")).toContainText("All");
    await expect(page.getByTestId("inbox-tab-groups")).toContainText("My groups");
    const row = page.getByTestId("inbox-row").filter({ hasText: reference });
    await expect(row).toContainText("Receive the request");
    await expect(row).toContainText("Not claimed yet");
    await expect(page.getByLabel("Sort by")).toHaveValue("priority");

    await page.getByRole("searchbox", { name: "Search tasks" }).fill("no-such-case-xyz");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.getByTestId("inbox-empty")).toContainText("No task matches");

    // Back to Arabic, as the user found it.
    await page.getByRole("button", { name: /العربية/ }).click();
    await expectArabic(page);
    await context.close();
  });
});
