import { expect, test } from "@playwright/test";
import { addField, createForm, uniqueFormKey } from "./forms-helpers";
import { assistanceRequestForm, publishFormVersion } from "./form-fill-helpers";
import { DEMO, login } from "./helpers";
import { expectAccessible } from "./axe";

// Automated accessibility checks (axe-core, WCAG 2.1 A/AA rules) on every screen that
// exists so far, in Arabic (RTL) and, for the sign-in page, English. Serious and critical
// findings fail the test; the report names the rule and the elements.

test.describe("signed out", () => {
  test("sign-in page, Arabic", async ({ page }) => {
    await page.goto("/login");
    await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
    await expectAccessible(page, "login (ar)");
  });

  test("sign-in page, English", async ({ page }) => {
    await page.goto("/login?lng=en");
    await expect(page.locator("html")).toHaveAttribute("dir", "ltr");
    await expectAccessible(page, "login (en)");
  });

  test("sign-in page with an error", async ({ page }) => {
    await page.goto("/login");
    await page.getByRole("button", { name: "دخول" }).click(); // empty fields: field errors, no attempt counted
    await expect(page.getByText("أدخل البريد الإلكتروني.")).toBeVisible();
    await expectAccessible(page, "login with errors");
  });
});

// The organisation admin sees every administration page.
const ORG_PAGES: [name: string, path: string][] = [
  ["inbox", "inbox"],
  ["cases", "cases"],
  ["start a case", "cases/new?definition=certificate-to-whom"],
  ["units", "admin/units"],
  ["users", "admin/users"],
  ["roles", "admin/roles"],
  ["forms", "admin/forms"],
  ["audit", "admin/audit"],
  ["plugins", "admin/plugins"],
  ["settings", "admin/settings"],
  ["tokens", "tokens"],
  ["profile", "profile"],
];

test.describe("organisation pages", () => {
  for (const [name, path] of ORG_PAGES) {
    test(name, async ({ page }) => {
      await login(page, DEMO.social.admin);
      const response = await page.goto(`/app/${DEMO.social.slug}/${path}`);
      expect(response?.status(), `${path} answers`).toBe(200);
      await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
      await expectAccessible(page, name);
    });
  }

  // Detail pages, reached the way a person would: from the list.
  for (const [name, list, link] of [
    ["member details", "admin/users", 'a[href*="/admin/users/"]'],
    ["role details", "admin/roles", 'a[href*="/admin/roles/"]'],
  ] as const) {
    test(name, async ({ page }) => {
      await login(page, DEMO.social.admin);
      await page.goto(`/app/${DEMO.social.slug}/${list}`);
      await page.locator(link).first().click();
      await page.waitForURL(new RegExp(`/${list}/[^/?]+`));
      await expectAccessible(page, name);
    });
  }

  // The form builder with a field selected (properties panel open), then its preview and JSON views.
  test("form builder", async ({ page }) => {
    await login(page, DEMO.social.admin);
    await createForm(page, { key: uniqueFormKey("a11y"), nameAr: "نموذج الفحص", nameEn: "Check form" });
    await addField(page, "select");
    await addField(page, "table");
    await addField(page, "shortText");
    await expectAccessible(page, "form builder");
    await page.getByTestId("tab-preview").click();
    await expectAccessible(page, "form builder preview");
    await page.getByTestId("tab-json").click();
    await expectAccessible(page, "form builder JSON");
  });

  // A case of the demo certificate service, started here: its case page and its first task.
  test("case and task pages", async ({ page }) => {
    await login(page, DEMO.social.staff);
    await page.goto(`/app/${DEMO.social.slug}/cases/new?definition=certificate-to-whom`);
    await page.locator('input[name="title"]').fill("شهادة لفحص إمكانية الوصول");
    await page.locator('button[type="submit"]', { hasText: "بدء المعاملة" }).click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    await expectAccessible(page, "case page");
    await page.getByTestId("case-open-tasks").getByRole("link").first().click();
    await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    await expectAccessible(page, "task page");
    await page.goto(`/app/${DEMO.social.slug}/inbox`);
    await expect(page.getByTestId("inbox-row").first()).toBeVisible();
    await expectAccessible(page, "inbox with tasks");
  });

  // Filling a form: the list, the form (fresh, then with the server's errors and the
  // summary), the confirmation and the print view.
  test("form filling", async ({ page }) => {
    await login(page, DEMO.social.admin);
    const key = uniqueFormKey("a11y-fill");
    await page.goto(`/app/${DEMO.social.slug}/inbox`);
    await publishFormVersion(page, DEMO.social.slug, { key, name_ar: "نموذج فحص التعبئة", name_en: "Fill check form", content: assistanceRequestForm() });
    await page.goto(`/app/${DEMO.social.slug}/forms?q=${key}`);
    await expectAccessible(page, "forms to fill");
    await page.goto(`/app/${DEMO.social.slug}/forms/${key}/fill`);
    await expectAccessible(page, "form fill");
    await page.getByRole("button", { name: "إرسال" }).click();
    await expect(page.getByTestId("error-summary")).toBeVisible();
    await expectAccessible(page, "form fill with errors");
    await page.getByLabel("الاسم الكامل").fill("سارة أحمد");
    await page.getByLabel("رقم الهوية").fill("1234567890");
    await page.getByRole("textbox", { name: "نوع المساعدة" }).click();
    await page.getByRole("option", { name: "غذائية" }).click();
    await page.getByRole("group", { name: "الصف ١" }).getByLabel("الاسم").fill("محمد");
    await page.getByLabel("أقر بأن البيانات صحيحة").check();
    await page.getByRole("button", { name: "إرسال" }).click();
    await page.waitForURL(/\/done$/);
    await expectAccessible(page, "form submitted");
    await page.getByTestId("print-link").click();
    await page.waitForURL(/\/print$/);
    await expectAccessible(page, "submission print view");
  });

  test("not-found page", async ({ page }) => {
    await login(page, DEMO.social.admin);
    const response = await page.goto("/app/does-not-exist/inbox");
    expect(response?.status()).toBe(404);
    await expectAccessible(page, "404");
  });
});

test.describe("platform pages", () => {
  test("organisations list", async ({ page }) => {
    await login(page, DEMO.platform);
    await page.goto("/platform");
    await expectAccessible(page, "platform");
  });

  test("new organisation, with field errors", async ({ page }) => {
    await login(page, DEMO.platform);
    await page.goto("/platform/new");
    await expectAccessible(page, "platform/new");
    await page.getByRole("button", { name: "إنشاء الجهة" }).click();
    await expect(page.getByText("هذا الحقل مطلوب.").first()).toBeVisible();
    await expectAccessible(page, "platform/new with errors");
  });
});
