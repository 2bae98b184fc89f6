import { expect, test, type Page } from "@playwright/test";
import { expectAccessible as axeCheck } from "./axe";
import { DEMO, expectArabic, expectEnglish, login } from "./helpers";

// Notifications: a member sees the bell's count, opens the list, marks one and then all read,
// and chooses what reaches them by email; an admin reads the outbox (no SMTP in the e2e server,
// so the seeded mails wait there) and one mail in it; one English pass. The crafts association's
// staff member and admin are used because their demo notifications are not touched elsewhere.

const ORG = DEMO.crafts.slug;

/**
 * The mail preview frame is sandboxed without scripts on purpose: axe cannot run inside it (its
 * lang and dir are checked directly below). `idle: false` where the page holds that frame:
 * Playwright never sees a script-less srcdoc frame reach "networkidle"; the caller waits for the
 * content instead.
 */
const expectAccessible = (page: Page, label: string, options: { idle?: boolean } = {}) =>
  axeCheck(page, label, { ...options, exclude: '[data-testid="mail-html"]' });

/** "٤" → 4: the count is shown with the organisation's (Arabic) digits. */
function arabicNumber(text: string): number {
  return Number(text.replace(/[٠-٩]/g, (d) => String("٠١٢٣٤٥٦٧٨٩".indexOf(d))).replace(/\D/g, ""));
}

test.describe.configure({ mode: "serial" });

test("a member sees the bell's count in Arabic, opens the list and marks notifications read", async ({ page }) => {
  await login(page, DEMO.crafts.staff);
  await page.goto(`/app/${ORG}/inbox`);
  await expectArabic(page);
  const bell = page.getByTestId("notification-bell");
  await expect(bell).toHaveAttribute("aria-label", /^الإشعارات، /);
  const count = page.getByTestId("notification-count");
  await expect(count).toHaveText(/^[٠-٩]+$/);
  const unread = arabicNumber(await count.innerText());
  expect(unread).toBeGreaterThan(1);

  await bell.click();
  await page.waitForURL(new RegExp(`/app/${ORG}/notifications$`));
  await expect(page.getByRole("heading", { level: 1, name: "الإشعارات" })).toBeVisible();
  await expect(page.getByTestId("notification-item").first()).toBeVisible();
  await expectAccessible(page, "notifications (ar)");

  // Only the unread ones, each in Arabic, rendered for this reader.
  await page.getByTestId("filter-unread").click();
  await page.waitForURL(/show=unread/);
  const items = page.getByTestId("notification-item");
  await expect(items).toHaveCount(unread);
  await expect(page.getByText("مهمة جديدة: ", { exact: false })).toBeVisible();

  // Mark one read: the row says so at once and the bell counts one fewer.
  const first = items.first();
  const title = await first.locator("a, p").first().innerText();
  await first.getByTestId("mark-read").click();
  await expect(count).toHaveText(new Intl.NumberFormat("ar-SA-u-nu-arab").format(unread - 1));
  await expect(bell).toHaveAttribute("aria-label", /غير مقروء/);
  await page.getByTestId("filter-all").click();
  await expect(page.locator('[data-testid="notification-item"][data-read="true"]').filter({ hasText: title })).toHaveCount(1);

  // Mark all read: no badge, the bell's name says nothing is new, the unread view is empty.
  await page.getByTestId("mark-all-read").click();
  await expect(page.getByRole("status")).toHaveText("عُلِّمت الإشعارات كلها كمقروءة.");
  await expect(bell).toHaveAttribute("aria-label", "الإشعارات، لا جديد");
  await expect(count).toBeHidden();
  await page.getByTestId("filter-unread").click();
  await expect(page.getByTestId("notifications-empty")).toHaveText("لا إشعارات غير مقروءة. أنت على اطلاع بكل شيء.");
  await expectAccessible(page, "notifications empty (ar)");

  // Email choices: turn one kind off, it stays off.
  await page.getByRole("link", { name: "إعدادات البريد" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "إعدادات الإشعارات" })).toBeVisible();
  await expectAccessible(page, "notification settings (ar)");
  const cancelled = page.getByRole("checkbox", { name: "إلغاء معاملة" });
  await expect(cancelled).toBeChecked();
  await cancelled.uncheck();
  await page.getByRole("button", { name: "حفظ" }).click();
  await expect(page.getByRole("status")).toHaveText("حُفظت إعدادات الإشعارات.");
  await expect(page.getByRole("checkbox", { name: "إلغاء معاملة" })).not.toBeChecked();
  await expect(page.getByRole("checkbox", { name: "تصعيد معاملة إليّ" })).toBeChecked();

  // The outbox is for the organisation's admins: no menu entry, and the page refuses.
  await expect(page.getByRole("link", { name: "الصندوق الصادر" })).toHaveCount(0);
  const refused = await page.goto(`/app/${ORG}/admin/outbox`);
  expect(refused?.status()).toBe(403);
});

test("an admin reads the outbox in Arabic: mails wait there with no SMTP configured", async ({ page }) => {
  await login(page, DEMO.crafts.admin);
  await page.goto(`/app/${ORG}/inbox`);
  await expectArabic(page);
  await page.getByRole("link", { name: "الصندوق الصادر" }).click();
  await page.waitForURL(new RegExp(`/app/${ORG}/admin/outbox$`));
  await expect(page.getByRole("heading", { level: 1, name: "صندوق البريد الصادر" })).toBeVisible();
  await expect(page.getByTestId("outbox-no-smtp")).toBeVisible();
  const row = page.getByTestId("outbox-row").filter({ hasText: DEMO.crafts.staff }).filter({ hasText: "مهمة جديدة" });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("outbox-status")).toHaveText("لم تُرسل (لا خادم بريد مضبوط)");
  await expectAccessible(page, "outbox (ar)");

  await row.getByRole("link").click();
  await page.waitForURL(/\/admin\/outbox\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("mail-subject")).toContainText("مهمة جديدة: ");
  await expect(page.getByTestId("mail-text")).toContainText("مرحبًا سعد الدوسري،");
  await expect(page.getByTestId("mail-text")).toContainText("أُسندت إليك المهمة");
  // The HTML version: a sandboxed frame (no scripts), right-to-left inside.
  const frame = page.getByTestId("mail-html");
  await expect(frame).toHaveAttribute("sandbox", "");
  await expect(page.frameLocator('[data-testid="mail-html"]').locator('html[dir="rtl"][lang="ar"] h1')).toContainText("مهمة جديدة");
  await expectAccessible(page, "outbox mail (ar)", { idle: false });
});

test("in English the outbox explains itself while each mail keeps its recipient's language", async ({ page }) => {
  await login(page, DEMO.crafts.admin);
  await page.goto(`/app/${ORG}/admin/outbox?lng=en`);
  await expectEnglish(page);
  await expect(page.getByRole("heading", { level: 1, name: "Email outbox" })).toBeVisible();
  await expect(page.getByTestId("outbox-status").first()).toHaveText("Not sent (no SMTP configured)");
  await expect(page.getByTestId("outbox-row").first()).toContainText("Arabic");
  await expect(page.getByTestId("notification-bell")).toHaveAttribute("aria-label", /^Notifications, /);
  await expectAccessible(page, "outbox (en)");
});
