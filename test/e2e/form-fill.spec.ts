import { expect, test, type Browser, type Page } from "@playwright/test";
import { assistanceRequestForm, publishFormVersion } from "./form-fill-helpers";
import { createAndPublishDemoForm, DEMO_FORM, uniqueFormKey } from "./forms-helpers";
import { DEMO, expectArabic, expectEnglish, signedInContext } from "./helpers";

// Staff fill published forms: the renderer in Arabic (RTL) and English, conditions, a
// repeating table, errors in the user's language from the server's validation, the error
// summary, autosaved drafts surviving a reload, a network error and a conflict between two
// tabs, the confirmation and the print view.

const ORG = DEMO.social.slug;

/** A form with every kind of field (test/fixtures/forms), published without the builder UI. */
async function publishAssistanceForm(browser: Browser): Promise<{ key: string; name_ar: string; name_en: string }> {
  const key = uniqueFormKey("assist");
  const form = { key, name_ar: `طلب مساعدة ${key.slice(-4)}`, name_en: `Assistance request ${key.slice(-4)}` };
  const admin = await signedInContext(browser, DEMO.social.admin);
  await admin.page.goto(`/app/${ORG}/inbox`);
  await publishFormVersion(admin.page, ORG, { ...form, content: assistanceRequestForm() });
  await admin.context.close();
  return form;
}

/** The next draft save the page sends, answered. */
const draftSaved = (page: Page) => page.waitForResponse((r) => r.url().endsWith("/draft") && r.request().method() === "POST" && r.status() === 200);

async function chooseOption(page: Page, field: string, option: string) {
  await page.getByRole("textbox", { name: field }).click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

test("an admin builds and publishes a form; staff fill it, see Arabic errors, fix them and submit", async ({ browser }) => {
  // Building the form through the builder UI first makes this the longest journey of the suite.
  test.slow();
  const admin = await signedInContext(browser, DEMO.social.admin);
  const { key } = await createAndPublishDemoForm(admin.page, uniqueFormKey("demo"));
  await admin.context.close();

  const { context, page } = await signedInContext(browser, DEMO.social.staff);
  // From the main navigation to the list of forms, searched by key.
  await page.getByRole("link", { name: "تعبئة النماذج" }).click();
  await page.waitForURL(new RegExp(`/app/${ORG}/forms$`), { waitUntil: "commit" });
  await page.getByRole("searchbox", { name: "البحث في النماذج" }).fill(key);
  await page.getByRole("button", { name: "بحث" }).click();
  // The key is unique to this run: wait for the search to leave its one form (the list before
  // the search starts with other forms, e.g. the demo's).
  await expect(page.getByTestId("fill-form-link")).toHaveCount(1);
  await page.getByTestId("fill-form-link").click();
  // "commit", then the page's own submit button: waiting for the document "load" event here
  // was flaky, and the assertions below need the fill page rendered, not just the URL.
  await page.waitForURL(new RegExp(`/forms/${key}/fill$`), { waitUntil: "commit" });
  await expect(page.getByRole("button", { name: "إرسال" })).toBeVisible();
  await expectArabic(page);
  const f = DEMO_FORM;
  const details = page.getByLabel(f.details.ar);
  await expect(details).toHaveCount(0);
  await chooseOption(page, f.kind.ar, f.kind.options.option2.ar);
  await expect(details).toBeVisible();

  const [answer] = await Promise.all([page.waitForResponse((r) => r.url().endsWith("/submit")), page.getByRole("button", { name: "إرسال" }).click()]);
  expect(answer.status()).toBe(400);
  const summary = page.getByTestId("error-summary");
  await expect(summary).toBeVisible();
  // Required where shown, each table row's required cells, and the acknowledgement, in Arabic.
  await expect(summary.getByRole("link", { name: `${f.details.ar}: هذا الحقل إلزامي` })).toBeVisible();
  await expect(summary.getByRole("link", { name: new RegExp(`^${f.items.ar} › الصف ١ › ${f.items.item.ar}: `) })).toBeVisible();
  await expect(summary.getByRole("link", { name: new RegExp(`^${f.confirm.ar}: `) })).toBeVisible();
  await expect(page.getByText("هذا الحقل إلزامي").first()).toBeVisible();

  await details.fill("سلة غذائية للأسرة");
  const row = page.getByRole("group", { name: "الصف ١" });
  await row.getByLabel(f.items.item.ar).fill("أرز");
  await row.getByLabel(f.items.amount.ar).fill("120");
  await page.getByLabel(f.confirm.ar).check();
  await expect(summary).toHaveCount(0);
  await page.getByRole("button", { name: "إرسال" }).click();
  await page.waitForURL(/\/done$/);
  await page.getByTestId("print-link").click();
  await expect(page.getByTestId(`value-${f.details.key}`)).toHaveText("سلة غذائية للأسرة");
  await expect(page.locator("table.masar-print-table")).toContainText("أرز");
  await context.close();
});

test("every kind of field: conditions, Arabic digits, rating by keyboard, draft after a reload, print view", async ({ browser }) => {
  const form = await publishAssistanceForm(browser);
  const { context, page } = await signedInContext(browser, DEMO.social.staff);

  // Found from the list of fillable forms.
  await page.goto(`/app/${ORG}/forms?q=${form.key}`);
  await page.getByTestId("fill-form-link").filter({ hasText: form.name_ar }).click();
  await page.waitForURL(new RegExp(`/forms/${form.key}/fill$`));
  await expectArabic(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(form.name_ar);

  // A conditional field appears and disappears with its condition.
  const otherReason = page.getByLabel("وصف المساعدة الأخرى");
  await expect(otherReason).toHaveCount(0);
  await chooseOption(page, "نوع المساعدة", "أخرى");
  await expect(otherReason).toBeVisible();
  await chooseOption(page, "نوع المساعدة", "غذائية");
  await expect(otherReason).toHaveCount(0);
  await chooseOption(page, "نوع المساعدة", "أخرى");

  await page.getByLabel("الاسم الكامل").fill("سا");
  await page.getByLabel("رقم الهوية").fill("12345");

  // The server validates and answers in Arabic; nothing typed is lost.
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/submit")),
    page.getByRole("button", { name: "إرسال" }).click(),
  ]);
  expect(answer.status()).toBe(400);
  const body = (await answer.json()) as { errors: { path: string; message: string }[] };
  const byPath = Object.fromEntries(body.errors.map((e) => [e.path, e.message]));
  expect(byPath["/nationalId"]).toBe("رقم الهوية عشرة أرقام."); // the form's own message
  expect(byPath["/otherReason"]).toBe("هذا الحقل إلزامي"); // required because kind = other
  expect(byPath["/confirm"]).toMatch(/[\u0600-\u06FF]/);
  expect(byPath["/members/0/name"]).toMatch(/[\u0600-\u06FF]/);

  const summary = page.getByTestId("error-summary");
  await expect(summary).toBeVisible();
  await expect(summary).toContainText("رقم الهوية عشرة أرقام.");
  await expect(summary).toContainText("أفراد الأسرة › الصف ١ › الاسم");
  await expect(page.getByLabel("الاسم الكامل")).toHaveValue("سا");
  // Each entry leads to its field.
  await summary.getByRole("link", { name: /^رقم الهوية/ }).click();
  await expect(page.getByLabel("رقم الهوية")).toBeFocused();

  // Fixing: Arabic-Indic digits are taken as the Latin digits the pattern wants.
  await page.getByLabel("رقم الهوية").fill("١٢٣٤٥٦٧٨٩٠");
  await expect(page.getByLabel("رقم الهوية")).toHaveValue("1234567890");
  await page.getByLabel("الاسم الكامل").fill("سارة أحمد");
  await otherReason.fill("أدوات مدرسية");
  await page.getByRole("radio", { name: "نعم" }).check();
  await page.getByLabel("الدخل الشهري").fill("1500.5");
  await page.getByRole("group", { name: "الصف ١" }).getByLabel("الاسم").fill("محمد");
  await page.getByRole("button", { name: "إضافة صف إلى أفراد الأسرة" }).click();
  await page.getByRole("group", { name: "الصف ٢" }).getByLabel("الاسم").fill("ليلى");
  // The rating is a radio group worked from the keyboard.
  await page.getByRole("radio", { name: "٤ من ٥" }).focus();
  await page.keyboard.press("Space");
  await expect(page.getByText("٤ من ٥", { exact: true })).toBeVisible();
  await page.getByLabel("تاريخ الميلاد").fill("1990-05-17");
  // A file is uploaded as soon as it is chosen; the form keeps its id and shows its name.
  const uploaded = page.waitForResponse((r) => r.url().endsWith(`/app/${ORG}/files`) && r.status() === 201);
  await page.locator('input[type="file"]').setInputFiles({ name: "هوية.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%%EOF\n") });
  await uploaded;
  await expect(page.getByTestId("uploaded-file")).toContainText("هوية.pdf");
  const saved = draftSaved(page);
  await page.getByLabel("أقر بأن البيانات صحيحة").check();
  await saved;
  await expect(page.getByTestId("save-status")).toContainText("حُفظت المسودة");
  // Every problem was fixed: the summary has nothing left to say.
  await expect(summary).toHaveCount(0);

  // A reload restores the draft from the server (this browser's copy is cleared first).
  await page.evaluate(() => window.localStorage.clear());
  await page.reload();
  await expect(page.getByLabel("الاسم الكامل")).toHaveValue("سارة أحمد");
  await expect(page.getByLabel("رقم الهوية")).toHaveValue("1234567890");
  await expect(otherReason).toHaveValue("أدوات مدرسية");
  await expect(page.getByRole("group", { name: "الصف ٢" }).getByLabel("الاسم")).toHaveValue("ليلى");
  await expect(page.getByLabel("أقر بأن البيانات صحيحة")).toBeChecked();
  await expect(page.getByTestId("uploaded-file")).toContainText("هوية.pdf");

  await page.getByRole("button", { name: "إرسال" }).click();
  await page.waitForURL(/\/forms\/submissions\/[0-9a-f-]+\/done$/);
  await expect(page.getByTestId("submission-done")).toContainText(form.name_ar);
  const submissionId = (await page.getByTestId("submission-id").textContent())!.trim();
  expect(submissionId).toMatch(/^[0-9a-f-]{36}$/);

  await page.getByTestId("print-link").click();
  await page.waitForURL(new RegExp(`/forms/submissions/${submissionId}/print$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(form.name_ar);
  await expect(page.getByTestId("value-fullName")).toHaveText("سارة أحمد");
  await expect(page.getByTestId("value-nationalId")).toHaveText("1234567890");
  await expect(page.getByTestId("value-kind")).toHaveText("أخرى");
  await expect(page.getByTestId("value-otherReason")).toHaveText("أدوات مدرسية");
  await expect(page.getByTestId("value-satisfaction")).toHaveText("٤ من ٥");
  await expect(page.getByTestId("value-confirm")).toHaveText("تم الإقرار");
  await expect(page.getByTestId("value-idCopy")).toHaveText("هوية.pdf");
  const table = page.locator("table.masar-print-table");
  await expect(table).toContainText("محمد");
  await expect(table).toContainText("ليلى");
  await expect(page.getByTestId("print-button")).toBeVisible();

  // The draft went with the submission: a new filling starts empty.
  await page.goto(`/app/${ORG}/forms/${form.key}/fill`);
  await expect(page.getByLabel("الاسم الكامل")).toHaveValue("");
  await context.close();
});

test("English: the server's messages are in English and the submit succeeds", async ({ browser }) => {
  const form = await publishAssistanceForm(browser);
  const { context, page } = await signedInContext(browser, DEMO.social.manager);
  // The language for this browser only (the locale cookie), not stored on the account.
  await context.addCookies([{ name: "masar_lng", value: encodeURIComponent(Buffer.from(JSON.stringify("en")).toString("base64")), url: page.url() }]);
  await page.goto(`/app/${ORG}/forms/${form.key}/fill`);
  await expectEnglish(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(form.name_en);

  await page.getByLabel("Full name").fill("Sara Ahmed");
  await page.getByLabel("National ID").fill("12");
  await chooseOption(page, "Kind of assistance", "Rent");
  const [answer] = await Promise.all([page.waitForResponse((r) => r.url().endsWith("/submit")), page.getByRole("button", { name: "Submit" }).click()]);
  expect(answer.status()).toBe(400);
  const summary = page.getByTestId("error-summary");
  await expect(summary).toContainText("The national ID has ten digits.");
  await expect(summary).not.toContainText(/[\u0621-\u064A]/); // no Arabic letters (digits follow the organisation)

  await page.getByLabel("National ID").fill("1234567890");
  await page.getByRole("group", { name: /Row/ }).getByLabel("Name").fill("Omar");
  await page.getByLabel("I confirm the data is correct").check();
  await page.getByRole("button", { name: "Submit" }).click();
  await page.waitForURL(/\/done$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Form submitted");
  await page.getByTestId("print-link").click();
  await expect(page.getByTestId("value-kind")).toHaveText("Rent");
  await context.close();
});

test("a network error loses nothing, and a newer draft from another tab is explained", async ({ browser }) => {
  const form = await publishAssistanceForm(browser);
  const { context, page } = await signedInContext(browser, DEMO.social.staff);
  const url = `/app/${ORG}/forms/${form.key}/fill`;
  await page.goto(url);

  // Offline: the autosave fails, the answers stay in this browser and come back on reload.
  await page.route("**/draft", (route) => (route.request().method() === "POST" ? route.abort("internetdisconnected") : route.continue()));
  await page.getByLabel("الاسم الكامل").fill("نورة خالد");
  await expect(page.getByTestId("save-status")).toContainText("تعذر الوصول إلى الخادم");
  await page.unroute("**/draft");
  await page.reload();
  await expect(page.getByTestId("restored-from-device")).toBeVisible();
  await expect(page.getByLabel("الاسم الكامل")).toHaveValue("نورة خالد");
  await expect(page.getByTestId("save-status")).toContainText("حُفظت المسودة");

  // A second tab saves a newer draft; this tab's next save is refused and explained.
  const other = await context.newPage();
  await other.goto(url);
  await expect(other.getByLabel("الاسم الكامل")).toHaveValue("نورة خالد");
  const otherSaved = draftSaved(other);
  await other.getByLabel("الاسم الكامل").fill("نورة خالد العتيبي");
  await otherSaved;
  await page.getByLabel("رقم الهوية").fill("1234567890");
  const conflict = page.getByTestId("draft-conflict");
  await expect(conflict).toBeVisible();
  await conflict.getByRole("button", { name: "تحميل المسودة الأحدث" }).click();
  await expect(conflict).toHaveCount(0);
  await expect(page.getByLabel("الاسم الكامل")).toHaveValue("نورة خالد العتيبي");
  await context.close();
});
