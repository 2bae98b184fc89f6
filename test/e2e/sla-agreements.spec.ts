import fs from "node:fs";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { DEMO, expectArabic, expectEnglish, login, signedInContext } from "./helpers";
import { expectAccessible } from "./axe";

// Service-level agreements between agencies (plugins/sla), in Arabic: the social services
// admin writes an agreement from the guide's template (both escalation ladders, reply times),
// both sides sign version 1; a changed email is a minor change (recorded, still version 1), a
// changed reply time drafts version 2 with its change note, which is then signed; a breach is
// recorded with cause and fix and appears in the minutes of its quarter's meeting; a
// cancellation with too short a notice is refused with the earliest date shown, then confirmed
// in a dialog that names its date, withdrawn (confirmed too) and requested again; the print
// page follows the template. A draft never signed is deleted after a confirmation. Then the
// list, the agreement's tabs and the print page in English.
//
// Dates come from the server's pages (its "today" follows the SLA clock, which sla.spec moves),
// never from the browser's clock.

const ORG = DEMO.social.slug;
const BASE = `/app/${ORG}/sla`;
const RUN = Date.now() % 100000;
const NAME = `اتفاق مستوى خدمة التحقق من بيانات الأسر ${RUN}`;
const PROVIDER = "وزارة العمل والتنمية الاجتماعية";
const LADDERS = {
  provider: [
    ["خالد المنصوري", "رئيس قسم التحقق"],
    ["مريم الكواري", "مديرة إدارة الخدمات المشتركة"],
    ["عبدالله السليطي", "الوكيل المساعد"],
    ["فاطمة النعيمي", "وكيل الوزارة"],
  ],
  recipient: [
    ["سارة العبدالله", "رئيسة قسم خدمة المتعاملين"],
    ["يوسف الهاجري", "مدير إدارة خدمة المتعاملين"],
    ["نورة المري", "مديرة الدائرة"],
    ["أحمد الدوسري", "المدير العام"],
  ],
} as const;
const BREACH = `تأخر الرد على طلب التحقق من بيانات أسرة ${RUN}`;
const CAUSE = "ضغط العمل في نهاية الربع";
const FIX = "إضافة موظف احتياطي لمراجعة الطلبات";
/** The agreement written by the first test, for the English pass. */
let agreementPath = "";
let agreementNumber = "";

/** Any digits (Arabic-Indic or Latin) of a number. */
const digits = (n: number) => new RegExp(`[${"٠١٢٣٤٥٦٧٨٩"[n]}${n}]`);

/** A full-page picture for the report (test-results/screens). */
async function screen(page: Page, name: string): Promise<void> {
  fs.mkdirSync("test-results/screens", { recursive: true });
  await page.screenshot({ path: `test-results/screens/sla-${name}.png`, fullPage: true, animations: "disabled" });
}

async function inArabic(page: Page): Promise<void> {
  if ((await page.locator("html").getAttribute("lang")) === "en") await page.getByRole("button", { name: /العربية/ }).click();
  await expectArabic(page);
}

/** YYYY-MM-DD − n days. */
function daysBefore(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

/** The English interface for this browser only: the locale cookie, not the user's stored
 *  language (other specs sign in as the same admin in Arabic at the same time). */
async function englishContext(browser: Browser, email: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, email);
  const origin = new URL(page.url()).origin;
  await context.addCookies([{ name: "masar_lng", value: encodeURIComponent(Buffer.from(JSON.stringify("en")).toString("base64")), url: origin }]);
  return { context, page };
}

/** Opens a tab of the agreement page. */
async function tab(page: Page, name: RegExp): Promise<void> {
  await page.getByRole("tab", { name }).click();
  await expect(page.getByRole("tab", { name })).toHaveAttribute("aria-selected", "true");
}

async function sign(page: Page, version: number): Promise<void> {
  await tab(page, /^الاتفاق$/);
  const panel = page.getByTestId("draft-panel");
  await expect(panel).toContainText("بانتظار التوقيع");
  const provider = panel.getByTestId("sign-provider");
  await expect(provider.getByRole("textbox", { name: "الجهة الحكومية" })).toHaveValue(PROVIDER);
  await provider.getByRole("textbox", { name: "المسمى الوظيفي" }).fill("وكيل الوزارة");
  await provider.getByRole("textbox", { name: "الإسم" }).fill("فاطمة النعيمي");
  const recipient = panel.getByTestId("sign-recipient");
  await recipient.getByRole("textbox", { name: "المسمى الوظيفي" }).fill("المدير العام");
  await recipient.getByRole("textbox", { name: "الإسم" }).fill("أحمد الدوسري");
  await panel.getByRole("button", { name: /^تسجيل توقيع الإصدار/ }).click();
  await expect(page.getByTestId("done-message")).toHaveText("وقّع الطرفان الإصدار وأصبح ساريًا.");
  await expect(page.getByTestId("version-in-force")).toHaveText(new RegExp(`^الإصدار الساري: ${digits(version).source}$`));
  await expect(page.getByTestId("draft-pending")).toHaveCount(0);
  await expect(page.getByTestId("agreement-phase")).toHaveText("ساري");
}

test.describe.configure({ mode: "serial" });

test("an admin writes, signs, changes, re-signs and cancels an agreement; breaches reach the quarterly minutes", async ({ browser }) => {
  test.setTimeout(240_000);
  const { context, page } = await signedInContext(browser, DEMO.social.admin);
  await page.goto(`/app/${ORG}/inbox`);
  await inArabic(page);

  // The plugin, enabled here once (the demo may enable it already).
  await page.goto(`/app/${ORG}/admin/plugins`);
  const card = page.locator('[data-testid="plugin"][data-plugin-id="sla"]');
  const enable = card.getByRole("button", { name: "تفعيل «اتفاقات مستوى الخدمة» في جهتك" });
  if (await enable.isVisible()) {
    await enable.click();
    await expect(page.getByTestId("plugin-result")).toContainText("اتفاقات مستوى الخدمة");
  }
  await expect(card.getByTestId("plugin-org-status")).toHaveText("مفعّلة في جهتك");

  // The list, from the menu.
  await page.getByRole("navigation").getByRole("link", { name: "اتفاقات مستوى الخدمة" }).click();
  await page.waitForURL(new RegExp(`${BASE}$`));
  await expect(page.getByRole("heading", { level: 1, name: "اتفاقات مستوى الخدمة" })).toBeVisible();
  await expectAccessible(page, "agreements list");

  // ---- A new agreement from the template ----
  await page.getByRole("link", { name: "اتفاق جديد" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "اتفاق مستوى خدمة جديد" })).toBeVisible();
  // The template's objectives and four levels on each side come filled in.
  await expect(page.getByTestId("list-objectives").getByRole("textbox")).toHaveCount(6);
  await expect(page.getByTestId("ladder-provider").getByRole("group")).toHaveCount(4);
  await expect(page.getByTestId("ladder-recipient").getByRole("group")).toHaveCount(4);
  await expectAccessible(page, "new agreement");
  await screen(page, "new");

  // Saving without the required fields: refused next to them, nothing lost.
  await page.getByRole("textbox", { name: "اسم الاتفاق (عربي)" }).fill(NAME);
  await page.getByRole("button", { name: "حفظ الاتفاق" }).click();
  await expect(page.getByTestId("form-message")).toHaveText("راجع الحقول المشار إليها.");
  await expect(page.getByRole("textbox", { name: "مقدم الخدمة (الجهة)" })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("ladder-provider-1").getByRole("textbox", { name: "اسم الشخص" })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("textbox", { name: "اسم الاتفاق (عربي)" })).toHaveValue(NAME);

  await page.getByRole("textbox", { name: "1.1 مقدمة" }).fill("تعتمد خدمة تحديث بيانات الأسرة على تحقق الوزارة من بيانات الأسر المستفيدة.");
  await page.getByRole("textbox", { name: "مقدم الخدمة (الجهة)" }).fill(PROVIDER);
  await expect(page.getByRole("textbox", { name: "متلقي الخدمة (الجهة)" })).not.toHaveValue("");
  await expect(page.getByRole("radio", { name: "نحن متلقي الخدمة" })).toBeChecked();
  // Started a month ago, so that today falls in its first quarter whatever the SLA clock does.
  const start = page.getByRole("textbox", { name: "تاريخ بدء الاتفاق" });
  const today = await start.inputValue();
  expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  await start.fill(daysBefore(today, 30));
  await expect(page.getByTestId("review-reminder")).toContainText("تذكير المراجعة السنوية");
  const providerMonitor = page.getByTestId("monitor-provider");
  await providerMonitor.getByRole("textbox", { name: "الإدارة" }).fill("إدارة الخدمات المشتركة");
  await providerMonitor.getByRole("textbox", { name: "الاسم" }).fill("مريم الكواري");
  await providerMonitor.getByRole("textbox", { name: "البريد الإلكتروني" }).fill("shared-services@labour.example");
  await page.getByTestId("monitor-recipient").getByRole("textbox", { name: "الإدارة" }).fill("إدارة خدمة المتعاملين");
  for (const side of ["provider", "recipient"] as const)
    for (const [i, [name, title]] of LADDERS[side].entries()) {
      const level = page.getByTestId(`ladder-${side}-${i + 1}`);
      await level.getByRole("textbox", { name: "اسم الشخص" }).fill(name);
      await level.getByRole("textbox", { name: "المسمى الوظيفي" }).fill(title);
    }
  await page.getByTestId("ladder-recipient-1").getByRole("combobox", { name: "عضو في جهتنا (اختياري)" }).selectOption({ index: 1 });
  await page.getByRole("button", { name: "إضافة مسؤولية" }).first().click();
  await page.getByRole("textbox", { name: /^مسؤولية مقدم الخدمة/ }).fill("التحقق من بيانات الأسرة وإرسال النتيجة");
  await page.getByRole("textbox", { name: "البريد الإلكتروني: زمن الرد (ساعات عمل)" }).fill("8");
  await page.getByRole("textbox", { name: "المراسلات الرسمية: زمن الرد (ساعات عمل)" }).fill("24");
  await page.getByRole("button", { name: "حفظ الاتفاق" }).click();

  await expect(page.getByRole("heading", { level: 1, name: NAME })).toBeVisible();
  await expect(page.getByTestId("done-message")).toContainText("حُفظ الاتفاق مسودةً للإصدار الأول");
  const number = (await page.getByTestId("agreement-number").textContent())!.trim();
  expect(number).toMatch(/^SLA-\d+$/);
  await expect(page.getByTestId("agreement-phase")).toHaveText("مسودة");
  await expect(page.getByTestId("version-in-force")).toHaveText("لم يوقَّع بعد");
  await expect(page.getByTestId("history-row")).toHaveCount(1);
  // Never signed: the admin could still delete it (the second test does).
  await expect(page.getByRole("button", { name: "حذف الاتفاق" })).toBeVisible();
  await expectAccessible(page, "agreement (draft)");
  const agreementUrl = page.url().replace(/\?.*$/, "");
  agreementPath = new URL(agreementUrl).pathname;
  agreementNumber = number;

  // ---- Version 1 signed by both sides ----
  await sign(page, 1);
  await expect(page.locator('[data-testid="history-row"][data-kind="signed"][data-version="1"]')).toHaveCount(1);
  await expect(page.getByTestId("current-term")).toContainText("من");
  // Signed: no deleting any more (cancellation ends it).
  await expect(page.getByRole("button", { name: "حذف الاتفاق" })).toHaveCount(0);
  await expectAccessible(page, "agreement (signed)");
  await screen(page, "signed");

  // ---- A minor change: an email. Recorded, no new version ----
  await page.getByRole("link", { name: "تعديل", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: `تعديل الاتفاق ${number}` })).toBeVisible();
  await expect(page.getByTestId("change-preview")).toHaveAttribute("data-kind", "none");
  await page.getByTestId("monitor-provider").getByRole("textbox", { name: "البريد الإلكتروني" }).fill("monitoring@labour.example");
  await expect(page.getByTestId("change-preview")).toHaveAttribute("data-kind", "minor");
  await expect(page.getByTestId("change-preview")).toContainText("البريد الإلكتروني لمراقب مقدم الخدمة");
  await expect(page.getByRole("textbox", { name: "التغييرات في هذا الإصدار" })).toHaveCount(0);
  await expectAccessible(page, "edit (minor change)");
  await screen(page, "edit-minor");
  await page.getByRole("button", { name: "حفظ التعديلات" }).click();
  await expect(page.getByTestId("done-message")).toContainText("سُجل التغيير البسيط في سجل الإصدارات دون إصدار جديد");
  await expect(page.getByTestId("version-in-force")).toHaveText(new RegExp(`^الإصدار الساري: ${digits(1).source}$`));
  await expect(page.getByTestId("draft-pending")).toHaveCount(0);
  const minor = page.locator('[data-testid="history-row"][data-kind="minor"]');
  await expect(minor).toHaveCount(1);
  await expect(minor).toHaveAttribute("data-version", "1");
  await expect(minor).toContainText("monitoring@labour.example");

  // ---- A major change: a reply time. Version 2 drafted with its change note ----
  await page.getByRole("link", { name: "تعديل", exact: true }).click();
  await page.getByRole("textbox", { name: "البريد الإلكتروني: زمن الرد (ساعات عمل)" }).fill("4");
  await expect(page.getByTestId("change-preview")).toHaveAttribute("data-kind", "major");
  await expect(page.getByTestId("change-preview")).toContainText("زمن الرد على البريد الإلكتروني");
  // Without the note the server refuses it.
  await page.getByRole("button", { name: "حفظ التعديلات" }).click();
  await expect(page.getByTestId("form-message")).toContainText("اذكر التغييرات");
  await screen(page, "edit-major");
  await page.getByRole("textbox", { name: "التغييرات في هذا الإصدار" }).fill("تقليص زمن الرد على البريد الإلكتروني إلى أربع ساعات عمل");
  await page.getByRole("button", { name: "حفظ التعديلات" }).click();
  await expect(page.getByTestId("done-message")).toContainText("بانتظار توقيع الطرفين");
  await expect(page.getByTestId("version-in-force")).toHaveText(new RegExp(`^الإصدار الساري: ${digits(1).source}$`));
  await expect(page.getByTestId("draft-pending")).toHaveText(new RegExp(digits(2).source));
  await expect(page.getByTestId("draft-changes")).toContainText("تقليص زمن الرد على البريد الإلكتروني");
  await expect(page.locator('[data-testid="history-row"][data-kind="version"][data-version="2"]')).toContainText("تقليص زمن الرد على البريد الإلكتروني");

  // ---- Version 2 signed ----
  await sign(page, 2);
  await expect(page.locator('[data-testid="history-row"][data-kind="signed"][data-version="2"]')).toHaveCount(1);

  // ---- Linked steps: a step of the guide's worked example runs under the agreement while
  // linked (a deadline policy is made), and the link is taken away again (the policy goes, so
  // the other specs' cases of that service are untouched) ----
  await tab(page, /^الخدمات المرتبطة/);
  await expect(page.getByTestId("links-empty")).toBeVisible();
  const links = page.getByRole("group", { name: "ربط خطوة من خدمة" });
  const serviceOption = links.getByRole("combobox", { name: "الخدمة" }).locator("option", { hasText: "إصدار شهادة لمن يهمه الأمر" });
  await links.getByRole("combobox", { name: "الخدمة" }).selectOption((await serviceOption.getAttribute("value"))!);
  const stepSelect = links.getByRole("combobox", { name: "الخطوة", exact: true });
  await stepSelect.selectOption({ index: 1 });
  const stepName = (await stepSelect.locator("option:checked").textContent())!.trim();
  await links.getByRole("combobox", { name: "قناة المراسلة" }).selectOption({ label: "البريد الإلكتروني" });
  await links.getByRole("button", { name: "ربط الخطوة" }).click();
  await expect(page.getByTestId("action-message")).toHaveText("رُبطت الخطوة بالاتفاق.");
  const link = page.getByTestId("link-row");
  await expect(link).toHaveCount(1);
  await expect(link).toContainText(stepName);
  await expect(link).toContainText("مفعّلة");
  await expectAccessible(page, "linked steps");
  await link.getByRole("button", { name: `إزالة ربط الخطوة «${stepName}»` }).click();
  await expect(page.getByTestId("action-message")).toHaveText("أُزيل ربط الخطوة.");
  await expect(page.getByTestId("links-empty")).toBeVisible();

  // ---- The breach ledger: a breach with cause and fix, the fix corrected ----
  await tab(page, /^سجل الإخلال/);
  await expect(page.getByTestId("breaches-empty")).toBeVisible();
  await page.getByRole("button", { name: "تسجيل إخلال" }).click();
  const breachForm = page.getByTestId("breach-form");
  await breachForm.getByRole("textbox", { name: "وصف الإخلال" }).fill(BREACH);
  await breachForm.getByRole("textbox", { name: "سبب الإخلال" }).fill(CAUSE);
  await breachForm.getByRole("textbox", { name: "الحل / المعالجة" }).fill("تنبيه الموظف المختص");
  await breachForm.getByRole("button", { name: "حفظ الإخلال" }).click();
  await expect(page.getByTestId("action-message")).toHaveText("سُجل الإخلال.");
  const breachRow = page.getByTestId("breach-row").filter({ hasText: BREACH });
  await expect(breachRow.getByTestId("breach-cause")).toHaveText(CAUSE);
  await breachRow.getByRole("button", { name: /^تعديل سبب ومعالجة الإخلال/ }).click();
  const dialog = page.getByRole("dialog", { name: "سبب الإخلال ومعالجته" });
  await dialog.getByRole("textbox", { name: "الحل / المعالجة" }).fill(FIX);
  await dialog.getByRole("button", { name: "حفظ" }).click();
  await expect(page.getByTestId("action-message")).toHaveText("حُفظ سبب الإخلال ومعالجته.");
  await expect(breachRow.getByTestId("breach-fix")).toHaveText(FIX);
  await expectAccessible(page, "breach ledger");
  await screen(page, "breaches");

  // ---- The quarter's meeting: its minutes list the quarter's breaches ----
  await tab(page, /^الاجتماعات ربع السنوية$/);
  const quarter = page.locator('[data-testid="quarter-row"][data-breaches="1"]');
  await expect(quarter).toHaveCount(1);
  await expectAccessible(page, "quarters");
  await quarter.getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name: /^اجتماع الربع/ })).toBeVisible();
  await expect(page.getByTestId("meeting-minutes")).toContainText("لم يُسجل محضر الاجتماع بعد.");
  await page.getByRole("textbox", { name: "الحضور" }).fill("مريم الكواري، يوسف الهاجري، سارة العبدالله");
  await page.getByRole("textbox", { name: "المحضر" }).fill("نوقش التأخر في الرد على طلبات التحقق واتُّفق على إضافة موظف احتياطي.");
  await page.getByRole("button", { name: "حفظ المحضر" }).click();
  await expect(page.getByTestId("action-message")).toHaveText("حُفظ محضر الاجتماع.");
  const minutes = page.getByTestId("meeting-minutes");
  await expect(minutes.getByTestId("meeting-held")).toContainText("عُقد في");
  await expect(minutes.getByTestId("meeting-text")).toContainText("إضافة موظف احتياطي");
  const listed = minutes.getByTestId("quarter-breaches").getByTestId("breach-row");
  await expect(listed).toHaveCount(1);
  await expect(listed).toContainText(BREACH);
  await expect(listed.getByTestId("breach-cause")).toHaveText(CAUSE);
  await expect(listed.getByTestId("breach-fix")).toHaveText(FIX);
  await expectAccessible(page, "quarter meeting");
  await screen(page, "quarter");

  // ---- Cancellation: too short a notice is refused with the earliest date; then accepted ----
  await page.goto(`${agreementUrl}?tab=cancellation`);
  const cancel = page.getByTestId("cancel-form");
  await cancel.getByRole("textbox", { name: "رقم الخطاب الرسمي" }).fill(`م ع/${RUN}`);
  const letterDate = await cancel.getByLabel("تاريخ الخطاب").inputValue();
  await cancel.getByLabel("تاريخ بدء سريان الإلغاء").fill(letterDate);
  await cancel.getByRole("textbox", { name: "سبب الإلغاء" }).fill("انتقال خدمة التحقق إلى المنصة الوطنية الموحدة");
  await expectAccessible(page, "cancellation form");
  await cancel.getByRole("button", { name: "تسجيل طلب الإلغاء" }).click();
  const refused = page.getByTestId("cancel-refused");
  await expect(refused).toContainText("فترة الإشعار أقل من شهر");
  const earliest = (await refused.getAttribute("data-earliest"))!;
  expect(earliest).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(earliest > letterDate).toBe(true);
  await screen(page, "cancel-refused");
  await expect(page.getByTestId("agreement-phase")).toHaveText("ساري");
  await cancel.getByLabel("تاريخ بدء سريان الإلغاء").fill(earliest);
  // A complete request is confirmed first: the dialog names the day it takes effect (as the
  // form shows the earliest day) and what ends with it. Going back records nothing.
  const earliestText = (await cancel.getByText(/^أقرب تاريخ مسموح: /).textContent())!.replace(/^أقرب تاريخ مسموح: /, "").trim();
  await cancel.getByRole("button", { name: "تسجيل طلب الإلغاء" }).click();
  const confirmCancel = page.getByRole("dialog", { name: `تأكيد طلب إلغاء الاتفاق ${number}` });
  await expect(confirmCancel.getByTestId("cancel-confirm-date")).toHaveText(`يسري الإلغاء في ${earliestText}، ومن ذلك اليوم لا يعود الاتفاق ساريًا.`);
  // The step linked above was taken away again: no deadlines end with it.
  await expect(confirmCancel.getByTestId("cancel-confirm-links")).toHaveText("لا ترتبط بالاتفاق خطوات خدمات، فلا تنتهي مهل زمنية بإلغائه.");
  await expect(confirmCancel).toContainText("ويمكن سحب الطلب قبله");
  await expectAccessible(page, "cancellation confirmation");
  await screen(page, "cancel-confirm");
  await confirmCancel.getByRole("button", { name: "رجوع" }).click();
  await expect(confirmCancel).toBeHidden();
  await expect(page.getByTestId("agreement-phase")).toHaveText("ساري");
  await expect(page.getByTestId("cancellation-details")).toHaveCount(0);
  await cancel.getByRole("button", { name: "تسجيل طلب الإلغاء" }).click();
  await confirmCancel.getByRole("button", { name: "تأكيد طلب الإلغاء" }).click();
  await expect(page.getByTestId("done-message")).toHaveText("سُجل طلب إلغاء الاتفاق.");
  await expect(page.getByTestId("agreement-phase")).toHaveText("قيد الإلغاء");
  await expect(page.getByTestId("cancellation-details")).toContainText(`م ع/${RUN}`);
  await expect(page.getByRole("link", { name: "تعديل", exact: true })).toHaveCount(0);
  await screen(page, "cancelled");

  // ---- The request withdrawn before its day (confirmed first), then made again ----
  await page.getByTestId("cancellation-details").getByRole("button", { name: "سحب طلب الإلغاء" }).click();
  const confirmWithdraw = page.getByRole("dialog", { name: `سحب طلب إلغاء الاتفاق ${number}؟` });
  await expect(confirmWithdraw).toContainText("يبقى الاتفاق ساريًا");
  await expect(confirmWithdraw).toContainText("وتبقى المهل الزمنية للخطوات المرتبطة به");
  await expectAccessible(page, "withdraw confirmation");
  await confirmWithdraw.getByRole("button", { name: "سحب الطلب" }).click();
  await expect(page.getByTestId("done-message")).toHaveText("سُحب طلب الإلغاء؛ يبقى الاتفاق ساريًا.");
  await expect(page.getByTestId("agreement-phase")).toHaveText("ساري");
  await expect(page.getByTestId("cancellation-details")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "تعديل", exact: true })).toBeVisible();
  await screen(page, "cancel-withdrawn");
  await tab(page, /^الاتفاق$/);
  const cancellations = page.locator('[data-testid="history-row"][data-kind="cancellation"]');
  await expect(cancellations).toHaveCount(2);
  await expect(cancellations.first()).toContainText(`م ع/${RUN}`);
  await expect(cancellations.last()).toContainText("سحب طلب الإلغاء");
  await tab(page, /^الإلغاء$/);
  // The form starts again at the earliest day for a letter dated today. "Today" is the SLA
  // clock's, which sla.spec moves forward while this spec may be running: the day is read from
  // the form, not carried over from the refusal above.
  const again = page.getByTestId("cancel-form");
  const againLetter = await again.getByLabel("تاريخ الخطاب").inputValue();
  const againEarliest = (await again.getByTestId("cancel-earliest").getAttribute("data-earliest"))!;
  expect(againEarliest > againLetter).toBe(true);
  await expect(again.getByLabel("تاريخ بدء سريان الإلغاء")).toHaveValue(againEarliest);
  await again.getByRole("textbox", { name: "رقم الخطاب الرسمي" }).fill(`م ع/${RUN}/2`);
  await again.getByRole("textbox", { name: "سبب الإلغاء" }).fill("انتقال خدمة التحقق إلى المنصة الوطنية الموحدة");
  // Meanwhile someone changes the agreement in another tab: the request from this (stale) page
  // is refused, the page shows the agreement as it is now and keeps what was typed; sent again,
  // it is recorded.
  const other = await page.context().newPage();
  await other.goto(`${agreementUrl}/edit`);
  await other.getByTestId("monitor-provider").getByRole("textbox", { name: "البريد الإلكتروني" }).fill("sla-monitoring@labour.example");
  await other.getByRole("button", { name: "حفظ التعديلات" }).click();
  await expect(other.getByTestId("done-message")).toContainText("سُجل التغيير البسيط");
  await other.close();
  await again.getByRole("button", { name: "تسجيل طلب الإلغاء" }).click();
  await confirmCancel.getByRole("button", { name: "تأكيد طلب الإلغاء" }).click();
  await expect(page.getByTestId("action-message")).toHaveText("عدّل شخص آخر هذا الاتفاق بعد فتحك الصفحة، والصفحة تعرضه الآن كما هو. راجعه ثم أرسل طلبك مرة أخرى؛ ما كتبته باقٍ.");
  await expect(page.getByTestId("agreement-phase")).toHaveText("ساري");
  await expect(again.getByRole("textbox", { name: "رقم الخطاب الرسمي" })).toHaveValue(`م ع/${RUN}/2`);
  await expect(again.getByRole("textbox", { name: "سبب الإلغاء" })).toHaveValue("انتقال خدمة التحقق إلى المنصة الوطنية الموحدة");
  await expectAccessible(page, "cancellation refused (stale page)");
  await again.getByRole("button", { name: "تسجيل طلب الإلغاء" }).click();
  await confirmCancel.getByRole("button", { name: "تأكيد طلب الإلغاء" }).click();
  await expect(page.getByTestId("done-message")).toHaveText("سُجل طلب إلغاء الاتفاق.");
  await expect(page.getByTestId("agreement-phase")).toHaveText("قيد الإلغاء");
  await expect(page.getByTestId("cancellation-details")).toContainText(`م ع/${RUN}/2`);

  // ---- The printable agreement in the template's order ----
  await page.goto(agreementUrl);
  await page.getByRole("link", { name: "طباعة الاتفاق" }).click();
  const doc = page.getByTestId("agreement-document");
  await expect(doc.getByRole("heading", { level: 1, name: "اتفاق مستوى الخدمة" })).toBeVisible();
  await expect(doc.getByTestId("doc-number")).toHaveText(number);
  await expect(doc.getByTestId("doc-version")).toHaveText(digits(2));
  const headings = await doc.locator("h2, h3").allTextContents();
  expect(headings).toEqual([
    "سجل الإصدارات",
    "1. المعلومات الأساسية للاتفاق",
    "1.1 مقدمة",
    "1.2 أهداف الاتفاق",
    "1.3 أطراف الاتفاق",
    "1.4 مدة الاتفاق",
    "1.5 المراجعة الدورية للاتفاق",
    "1.6 إلغاء الاتفاق",
    "1.7 مراقبة وقياس الإخلال بالاتفاق",
    "1.8 مستويات التصعيد",
    "2. وصف الخدمات والمسؤوليات",
    "2.1 دور ومسؤوليات مقدم الخدمة",
    "2.2 دور ومسؤوليات متلقي الخدمة",
    "2.3 زمن الاستجابة للمراسلات",
  ]);
  const history = doc.getByTestId("doc-history");
  await expect(history.locator("thead th")).toHaveText(["رقم الاتفاق", "رقم الإصدار", "التاريخ", "حدث الوثيقة بواسطة", "المسؤول عن الاتفاق", "التغييرات"]);
  // v1, signed v1, minor, v2, signed v2, cancellation, its withdrawal, minor (the other tab), cancellation.
  await expect(history.locator("tbody tr")).toHaveCount(9);
  await expect(history.locator('tbody tr[data-kind="cancellation"]')).toHaveCount(3);
  await expect(history.locator('tbody tr[data-kind="minor"]')).toHaveCount(2);
  await expect(history.locator('tbody tr[data-kind="minor"]').first()).toContainText("البريد الإلكتروني لمراقب مقدم الخدمة");
  await expect(history.locator('tbody tr[data-kind="version"]').last()).toContainText("تقليص زمن الرد على البريد الإلكتروني");
  await expect(doc.getByTestId("doc-ladder-provider").locator("tbody tr")).toHaveCount(4);
  await expect(doc.getByTestId("doc-ladder-recipient").locator("tbody tr").first()).toContainText(LADDERS.recipient[0][0]);
  await expect(doc.getByTestId("doc-email-time")).toContainText("ساعات عمل");
  const signatures = doc.getByTestId("doc-signatures");
  await expect(signatures.locator("thead th")).toHaveText(["الجهة الحكومية", "المسمى الوظيفي", "الإسم", "التوقيع", "التاريخ"]);
  await expect(signatures.locator("tbody tr").first()).toContainText("فاطمة النعيمي");
  await expectAccessible(page, "print");
  await screen(page, "print");

  // ---- The list: found by its name, cancellation pending ----
  await page.goto(`${BASE}?q=${encodeURIComponent(String(RUN))}`);
  const row = page.getByTestId("agreement-row").filter({ hasText: number });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("row-phase")).toHaveText("قيد الإلغاء");
  await context.close();
});

/** The form's required fields, for an agreement that is only a draft. */
async function fillDraft(page: Page, name: string): Promise<void> {
  await page.getByRole("textbox", { name: "اسم الاتفاق (عربي)" }).fill(name);
  await page.getByRole("textbox", { name: "مقدم الخدمة (الجهة)" }).fill(PROVIDER);
  for (const side of ["provider", "recipient"] as const) {
    await page.getByTestId(`monitor-${side}`).getByRole("textbox", { name: "الإدارة" }).fill(side === "provider" ? "إدارة الخدمات المشتركة" : "إدارة خدمة المتعاملين");
    for (const [i, [person]] of LADDERS[side].entries()) await page.getByTestId(`ladder-${side}-${i + 1}`).getByRole("textbox", { name: "اسم الشخص" }).fill(person);
  }
}

test("a draft never signed is deleted after a confirmation", async ({ browser }) => {
  const { context, page } = await signedInContext(browser, DEMO.social.admin);
  await page.goto(`${BASE}/new`);
  await inArabic(page);
  const name = `مسودة اتفاق مستوى خدمة للحذف ${RUN}`;
  await fillDraft(page, name);
  await page.getByRole("button", { name: "حفظ الاتفاق" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  const number = (await page.getByTestId("agreement-number").textContent())!.trim();

  // The dialog first; closing it deletes nothing.
  await page.getByRole("button", { name: "حذف الاتفاق" }).click();
  const dialog = page.getByRole("dialog", { name: `حذف الاتفاق ${number}؟` });
  await expect(dialog).toContainText("لم يوقَّع هذا الاتفاق قط");
  await expect(dialog).toContainText("لا يمكن التراجع عن الحذف");
  await expectAccessible(page, "delete confirmation");
  await screen(page, "delete-confirm");
  await dialog.getByRole("button", { name: "إلغاء" }).click();
  await expect(dialog).toBeHidden();
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();

  await page.getByRole("button", { name: "حذف الاتفاق" }).click();
  await dialog.getByRole("button", { name: "حذف الاتفاق" }).click();
  await page.waitForURL(new RegExp(`${BASE}\\?`));
  await expect(page.getByTestId("done-message")).toHaveText(`حُذف الاتفاق ${number}.`);
  await expectAccessible(page, "list after deleting");
  await page.goto(`${BASE}?q=${encodeURIComponent(name)}`);
  await expect(page.getByTestId("agreements-empty")).toBeVisible();
  await context.close();
});

test("the list, the agreement's tabs and the print page in English", async ({ browser }) => {
  test.setTimeout(120_000);
  expect(agreementPath, "the first test wrote the agreement").not.toBe("");
  const { context, page } = await englishContext(browser, DEMO.social.admin);
  await page.goto(`${BASE}?q=${encodeURIComponent(String(RUN))}`);
  await expectEnglish(page);
  await expect(page.getByRole("heading", { level: 1, name: "Service-level agreements" })).toBeVisible();
  const row = page.getByTestId("agreement-row");
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("row-phase")).toHaveText("Cancellation pending");
  await expect(page.getByRole("columnheader", { name: "Agreement no." })).toBeVisible();
  await expectAccessible(page, "agreements list (en)");

  // ---- The agreement, tab by tab ----
  await row.getByRole("link").click();
  await page.waitForURL((url) => url.pathname === agreementPath);
  await expectEnglish(page);
  await expect(page.getByTestId("agreement-number")).toHaveText(agreementNumber);
  await expect(page.getByTestId("agreement-phase")).toHaveText("Cancellation pending");
  // Numbers in the organisation's digits, whatever the language.
  await expect(page.getByTestId("version-in-force")).toHaveText(new RegExp(`^Version in force: ${digits(2).source}$`));
  await expect(page.getByRole("tab")).toHaveText([
    "Agreement",
    "Text",
    new RegExp(`^Linked services \\(${digits(0).source}\\)$`),
    new RegExp(`^Breach ledger \\(${digits(1).source}\\)$`),
    "Quarterly meetings",
    "Cancellation",
  ]);
  await expect(page.getByRole("heading", { level: 2, name: "Term and review" })).toBeVisible();
  await expect(page.getByTestId("term-table")).toContainText("Annual review reminder");
  await expect(page.getByTestId("history-table").locator("thead th")).toHaveText(["Agreement no.", "Version", "Date", "Updated by", "Agreement owner", "Changes"]);
  await expect(page.locator('[data-testid="history-row"][data-kind="signed"]').first()).toContainText("Signed");
  await expect(page.locator('[data-testid="history-row"][data-kind="minor"]').first()).toContainText("Minor change");
  await expect(page.locator('[data-testid="history-row"][data-kind="cancellation"]')).toHaveCount(3);
  await expectAccessible(page, "agreement (en)");
  await screen(page, "en-agreement");

  await tab(page, /^Text$/);
  const text = page.getByTestId("agreement-document");
  await expect(text).toHaveAttribute("dir", "ltr");
  await expect(text.getByRole("heading", { level: 2, name: "1. Basic information of the agreement" })).toBeVisible();
  await expect(text.getByRole("heading", { level: 3, name: "2.3 Response times for correspondence" })).toBeVisible();
  await expect(text.getByTestId("doc-email-time")).toContainText("working hours");
  await expectAccessible(page, "agreement text (en)");

  await tab(page, /^Linked services/);
  await expect(page.getByTestId("links-empty")).toHaveText("No steps are linked to this agreement.");
  await expect(page.getByRole("group", { name: "Link a step of a service" })).toBeVisible();
  await expectAccessible(page, "linked services (en)");

  await tab(page, /^Breach ledger/);
  await expect(page.getByTestId("breaches-table").locator("thead th")).toHaveText(["When it happened", "Side", "Description of the breach", "Cause of the breach", "Fix", "Source", "Actions"]);
  await expect(page.getByTestId("breach-row").filter({ hasText: BREACH })).toContainText("Service provider");
  await expect(page.getByRole("button", { name: "Record a breach" })).toBeVisible();
  await expectAccessible(page, "breach ledger (en)");

  await tab(page, /^Quarterly meetings$/);
  const quarter = page.locator('[data-testid="quarter-row"][data-breaches="1"]');
  await expect(quarter.getByRole("link")).toHaveText(/^Quarter [0-9٠-٩]+$/);
  await expect(quarter).toContainText("Held on");
  await expectAccessible(page, "quarters (en)");

  await tab(page, /^Cancellation$/);
  const details = page.getByTestId("cancellation-details");
  await expect(details.getByRole("heading", { level: 2, name: "Cancellation requested" })).toBeVisible();
  await expect(details).toContainText(`By letter no. م ع/${RUN}/2 dated`);
  await expect(details.getByTestId("cancel-effective")).toContainText("Cancellation takes effect on");
  await details.getByRole("button", { name: "Withdraw cancellation request" }).click();
  const withdraw = page.getByRole("dialog", { name: `Withdraw the request to cancel agreement ${agreementNumber}?` });
  await expect(withdraw).toContainText("The agreement stays in force");
  await expectAccessible(page, "withdraw confirmation (en)");
  await screen(page, "en-withdraw");
  // Left as it is: the Arabic list above expects the cancellation pending.
  await withdraw.getByRole("button", { name: "Go back" }).click();
  await expect(withdraw).toBeHidden();
  await expect(page.getByTestId("agreement-phase")).toHaveText("Cancellation pending");

  // ---- The print page ----
  await page.getByRole("link", { name: "Print agreement" }).click();
  await page.waitForURL((url) => url.pathname === `${agreementPath}/print`);
  await expectEnglish(page);
  const doc = page.getByTestId("agreement-document");
  await expect(doc).toHaveAttribute("lang", "en");
  await expect(doc).toHaveAttribute("dir", "ltr");
  await expect(doc.getByRole("heading", { level: 1, name: "Service-level agreement" })).toBeVisible();
  await expect(doc.getByTestId("doc-number")).toHaveText(agreementNumber);
  expect(await doc.locator("h2, h3").allTextContents()).toEqual([
    "Version history",
    "1. Basic information of the agreement",
    "1.1 Introduction",
    "1.2 Objectives of the agreement",
    "1.3 Parties to the agreement",
    "1.4 Term of the agreement",
    "1.5 Periodic review of the agreement",
    "1.6 Cancellation of the agreement",
    "1.7 Monitoring and measuring breaches of the agreement",
    "1.8 Escalation levels",
    "2. Description of services and responsibilities",
    "2.1 Role and responsibilities of the service provider",
    "2.2 Role and responsibilities of the service recipient",
    "2.3 Response times for correspondence",
  ]);
  await expect(doc.getByTestId("doc-history").locator("thead th")).toHaveText(["Agreement no.", "Version", "Date", "Updated by", "Agreement owner", "Changes"]);
  await expect(doc.getByTestId("doc-history").locator("tbody tr")).toHaveCount(9);
  await expect(doc.getByTestId("doc-signatures").locator("thead th")).toHaveText(["Government body", "Job title", "Name", "Signature", "Date"]);
  await expect(doc.getByTestId("doc-ladder-provider").locator("thead th").first()).toHaveText("Level");
  await expect(page.getByRole("button", { name: "Print agreement" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Back to the agreement" })).toBeVisible();
  await expectAccessible(page, "print (en)");
  await screen(page, "en-print");
  await context.close();
});
