import { expect, test, type Page } from "@playwright/test";
import { DEMO, expectArabic, expectEnglish, login } from "./helpers";
import { expectAccessible } from "./axe";

// An organisation admin, in Arabic, disables and re-enables the notice board on the plugin
// catalogue (its menu entry and page disappear and come back), then changes a policy value
// on the plugin's page: a refused value is shown next to its field with the input kept, a
// valid one becomes a new settings version. One English pass at the end.
// Only this spec signs in as the crafts association's admin in a browser.

const ORG = DEMO.crafts.slug;
const CATALOGUE = `/app/${ORG}/admin/plugins`;

async function inArabic(page: Page): Promise<void> {
  if ((await page.locator("html").getAttribute("lang")) === "en") await page.getByRole("button", { name: /العربية/ }).click();
  await expectArabic(page);
}

const board = (page: Page) => page.locator('[data-testid="plugin"][data-plugin-id="notices"]');
const navLink = (page: Page) => page.getByRole("navigation").getByRole("link", { name: "لوحة الإعلانات" });

test.describe.configure({ mode: "serial" });

test("an admin disables and enables the notice board, then changes its policy", async ({ page }) => {
  await login(page, DEMO.crafts.admin);
  await page.goto(`/app/${ORG}/inbox`);
  await inArabic(page);
  await page.getByRole("link", { name: "الإضافات" }).click();
  await page.waitForURL(new RegExp(`${CATALOGUE}$`));
  await expect(page.getByRole("heading", { level: 1, name: "الإضافات" })).toBeVisible();
  await expect(board(page).getByTestId("plugin-org-status")).toHaveText("مفعّلة في جهتك");
  await expect(navLink(page)).toBeVisible();
  await expectAccessible(page, "catalogue (ar)");

  // Disable: the entry leaves the menu and the page answers 404; the data stays.
  await board(page).getByRole("button", { name: "تعطيل «لوحة الإعلانات» في جهتك" }).click();
  await expect(page.getByTestId("plugin-result")).toContainText("عُطّلت «لوحة الإعلانات» في جهتك");
  await expect(board(page).getByTestId("plugin-org-status")).toHaveText("غير مفعّلة في جهتك");
  await expect(navLink(page)).toHaveCount(0);
  const gone = await page.goto(`/app/${ORG}/notices`);
  expect(gone?.status()).toBe(404);

  // Enable again: back in the menu, the notices are still there.
  await page.goto(CATALOGUE);
  await board(page).getByRole("button", { name: "تفعيل «لوحة الإعلانات» في جهتك" }).click();
  await expect(page.getByTestId("plugin-result")).toContainText("فُعّلت «لوحة الإعلانات» في جهتك");
  await expect(navLink(page)).toBeVisible();
  await navLink(page).click();
  await page.waitForURL(new RegExp(`/app/${ORG}/notices$`));
  await expect(page.getByTestId("notice").first()).toBeVisible();

  // The policy: how many days a notice stays up.
  await page.goto(CATALOGUE);
  await board(page).getByRole("link", { name: "إعدادات «لوحة الإعلانات» وتفاصيلها" }).click();
  await page.waitForURL(new RegExp(`${CATALOGUE}/notices$`));
  await expect(page.getByRole("heading", { level: 2, name: "الإعدادات (سياسة الجهة)" })).toBeVisible();
  const rowsBefore = await page.getByTestId("settings-history").locator("tbody tr").count();
  const days = page.getByLabel("مدة عرض الإعلان (بالأيام)");
  const signature = page.getByLabel("التوقيع أسفل الإعلان");
  // Out of range: the number field keeps to 1–365 itself; a signature over 100 characters is refused by the server.
  const tooLong = "جمعية الحرفيين الخيرية — ".repeat(5);
  await signature.fill(tooLong);
  await page.getByRole("button", { name: "حفظ الإعدادات" }).click();
  await expect(page.getByTestId("settings-result")).toHaveText("صحّح الحقول المشار إليها ثم احفظ.");
  await expect(signature).toHaveValue(tooLong);
  await expect(signature).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page, "plugin page with a refused setting (ar)");

  await days.fill("21");
  await signature.fill("جمعية الحرفيين الخيرية");
  await page.getByLabel("المدير").check();
  await page.getByRole("button", { name: "حفظ الإعدادات" }).click();
  await expect(page.getByTestId("settings-result")).toContainText("حُفظت الإعدادات كإصدار");
  await expect(page.getByTestId("settings-history").locator("tbody tr")).toHaveCount(rowsBefore + 1);
  await expect(page.getByTestId("settings-history").locator("tbody tr").first()).toContainText("مدة عرض الإعلان (بالأيام): ٢١");
  await expect(page.getByTestId("settings-history").locator("tbody tr").first()).toContainText("من يعتمد الإعلان قبل نشره: المدير");
  await expectAccessible(page, "plugin page (ar)");

  // English, once: the same page in the other language, then back to Arabic for the next run.
  await page.getByRole("button", { name: /English/ }).click();
  await expectEnglish(page);
  await expect(page.getByRole("heading", { level: 2, name: "Settings (your organisation's policy)" })).toBeVisible();
  await expect(page.getByLabel("How long a notice is shown (days)")).toHaveValue("21");
  await expectAccessible(page, "plugin page (en)");
  await page.getByRole("button", { name: /العربية/ }).click();
  await expectArabic(page);
});
