import crypto from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { DEMO, expectArabic, fillLogin, login } from "./helpers";

// Platform administration: only users.is_platform_admin see it; others get the ordinary 404.

function suffix(): string {
  return crypto.randomBytes(3).toString("hex");
}

interface NewOrg {
  slug: string;
  nameAr: string;
  nameEn: string;
  adminEmail: string;
  adminName?: string;
  adminPassword?: string;
}

async function fillNewOrg(page: Page, org: NewOrg): Promise<void> {
  await page.goto("/platform/new");
  await page.getByLabel("المعرّف في العنوان").fill(org.slug);
  await page.getByLabel("الاسم بالعربية").fill(org.nameAr);
  await page.getByLabel("الاسم بالإنجليزية").fill(org.nameEn);
  await page.getByLabel("الأحرف الأولى").fill("ج ت");
  await page.getByLabel("البريد الإلكتروني").fill(org.adminEmail);
  if (org.adminName) await page.getByLabel("الاسم الكامل").fill(org.adminName);
  if (org.adminPassword) await page.getByLabel("كلمة المرور الأولية").fill(org.adminPassword);
  await page.getByRole("button", { name: "إنشاء الجهة" }).click();
}

test("people who are not platform admins get the Arabic 404", async ({ page }) => {
  const anonymous = await page.goto("/platform");
  expect(anonymous?.url()).toContain("/login?next=%2Fplatform");

  await login(page, DEMO.social.admin); // an organisation admin is still not a platform admin
  for (const path of ["/platform", "/platform/new"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "الصفحة غير موجودة" })).toBeVisible();
  }
  const post = await page.request.post("/platform/new", { form: { slug: "sneaky" }, maxRedirects: 0 });
  expect(post.status(), "a POST without the CSRF field is refused before anything else").toBe(403);
  // With a valid CSRF token the action itself refuses: 404, and nothing is created.
  await page.goto(`/app/${DEMO.social.slug}/inbox`);
  const token = await page.locator('input[name="_csrf"]').first().inputValue();
  const forged = { _csrf: token, slug: `sneaky-${suffix()}`, name_ar: "س", name_en: "S", initials: "س", default_locale: "ar", digits: "arab", calendar: "gregory", time_zone: "Asia/Riyadh", admin_email: DEMO.social.admin };
  const create = await page.request.post("/platform/new", { form: forged, maxRedirects: 0 });
  expect(create.status()).toBe(404);
  const toggle = await page.request.post("/platform?index", { form: { _csrf: token, intent: "disable", orgId: "00000000-0000-4000-8000-000000000000" }, maxRedirects: 0 });
  expect(toggle.status()).toBe(404);
});

test("a platform admin creates an organisation, and its new admin signs in", async ({ page, browser }) => {
  const id = suffix();
  const org: NewOrg = {
    slug: `e2e-${id}`,
    nameAr: `جمعية الاختبار ${id}`,
    nameEn: `Test Association ${id}`,
    adminEmail: `head-${id}@e2e.example`,
    adminName: "سلمى الاختبار",
    adminPassword: "First-Password-2026",
  };
  await login(page, DEMO.platform);
  await expect(page).toHaveURL(/\/platform$/);
  await expectArabic(page);
  await expect(page.getByRole("heading", { level: 1, name: "الجهات" })).toBeVisible();
  await expect(page.getByTestId("org-row-social-services")).toBeVisible();

  // Errors come back field by field, in Arabic, with the input kept.
  await fillNewOrg(page, { ...org, slug: "platform" });
  await expect(page.getByText("هذا المعرّف محجوز للنظام. اختر معرّفاً آخر.")).toBeVisible();
  await expect(page.getByLabel("الاسم بالعربية")).toHaveValue(org.nameAr);
  await fillNewOrg(page, { ...org, slug: "social-services" });
  await expect(page.getByText("توجد جهة بهذا المعرّف. اختر معرّفاً آخر.")).toBeVisible();
  await fillNewOrg(page, { ...org, adminPassword: "short" });
  await expect(page.getByText("كلمة المرور قصيرة: عشرة أحرف على الأقل.")).toBeVisible();
  await page.screenshot({ path: "test-results/screens/platform-new-errors-ar.png", fullPage: true, animations: "disabled" });

  await fillNewOrg(page, org);
  await expect(page).toHaveURL(/\/platform\?created=/);
  await expect(page.getByTestId("created-notice")).toContainText(org.nameAr);
  await expect(page.getByTestId("created-notice")).toContainText(org.adminEmail);
  await expect(page.getByTestId(`org-row-${org.slug}`)).toContainText("مفعّلة");
  await page.screenshot({ path: "test-results/screens/platform-ar.png", fullPage: true, animations: "disabled" });

  // Search runs on the server, by either name or the slug.
  await page.getByLabel("بحث في الجهات").fill(org.nameEn);
  await page.getByRole("button", { name: "بحث", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(org.nameEn).replace(/%20/g, "(\\+|%20)")}`));
  await expect(page.locator("tbody tr")).toHaveCount(1);
  await expect(page.getByTestId(`org-row-${org.slug}`)).toBeVisible();

  // The new admin signs in with the initial password and lands in the new organisation.
  const other = await browser.newContext();
  const adminPage = await other.newPage();
  await login(adminPage, org.adminEmail, org.adminPassword);
  await expect(adminPage).toHaveURL(new RegExp(`/app/${org.slug}/inbox$`));
  await expect(adminPage.getByRole("banner")).toContainText(org.nameAr);
  await expectArabic(adminPage);
  // As the organisation's admin they see its administration section.
  await expect(adminPage.getByRole("navigation")).toContainText("الإدارة");
  await other.close();
});

test("an existing account becomes admin of a second organisation, password unchanged", async ({ page, browser }) => {
  const id = suffix();
  const first: NewOrg = { slug: `e2e-a-${id}`, nameAr: `الجهة الأولى ${id}`, nameEn: `First ${id}`, adminEmail: `both-${id}@e2e.example`, adminName: "عمر الاختبار", adminPassword: "Original-Pass-1" };
  await login(page, DEMO.platform);
  await fillNewOrg(page, first);
  await expect(page.getByTestId("created-notice")).toBeVisible();

  // Same email, a different password typed: the account keeps its own.
  const second: NewOrg = { slug: `e2e-b-${id}`, nameAr: `الجهة الثانية ${id}`, nameEn: `Second ${id}`, adminEmail: first.adminEmail, adminPassword: "Ignored-Pass-99" };
  await fillNewOrg(page, second);
  await expect(page.getByTestId("created-notice")).toContainText("لم تتغير كلمة مروره");

  const other = await browser.newContext();
  const adminPage = await other.newPage();
  await adminPage.goto("/login");
  await fillLogin(adminPage, first.adminEmail, second.adminPassword!);
  await expect(adminPage.getByRole("alert")).toHaveText("البريد الإلكتروني أو كلمة المرور غير صحيحة.");
  await login(adminPage, first.adminEmail, first.adminPassword);
  await adminPage.goto(`/app/${second.slug}/inbox`);
  await expect(adminPage.getByTestId("org-switcher")).toContainText(second.nameAr);
  await other.close();
});

test("disabling an organisation shuts its members out until it is enabled again", async ({ page, browser }) => {
  const id = suffix();
  const org: NewOrg = { slug: `e2e-off-${id}`, nameAr: `جهة للتعطيل ${id}`, nameEn: `To disable ${id}`, adminEmail: `off-${id}@e2e.example`, adminName: "هند الاختبار", adminPassword: "Disable-Test-1" };
  await login(page, DEMO.platform);
  await fillNewOrg(page, org);
  await expect(page.getByTestId("created-notice")).toBeVisible();

  const other = await browser.newContext();
  const member = await other.newPage();
  await login(member, org.adminEmail, org.adminPassword);
  await expect(member).toHaveURL(new RegExp(`/app/${org.slug}/inbox$`));

  const row = page.getByTestId(`org-row-${org.slug}`);
  await row.getByRole("button", { name: `تعطيل ${org.nameAr}` }).click();
  await page.getByRole("button", { name: "نعم، عطّلها" }).click();
  await expect(row).toContainText("معطّلة");
  await expect(page.getByRole("status").filter({ hasText: `عُطّلت الجهة «${org.nameAr}»` })).toBeVisible();

  const closed = await member.goto(`/app/${org.slug}/inbox`);
  expect(closed?.status()).toBe(404);
  await expect(member.getByRole("heading", { level: 1, name: "الصفحة غير موجودة" })).toBeVisible();

  await row.getByRole("button", { name: `تفعيل ${org.nameAr}` }).click();
  await expect(row).toContainText("مفعّلة");
  const open = await member.goto(`/app/${org.slug}/inbox`);
  expect(open?.status()).toBe(200);
  await other.close();
});

test("the platform pages work in English, left to right", async ({ page }) => {
  // ?lng=en changes this request's language without storing it on the shared demo
  // platform admin (other specs sign in as that user at the same time, in Arabic).
  await login(page, DEMO.platform);
  await page.goto("/platform?lng=en");
  await expect(page.locator("html")).toHaveAttribute("dir", "ltr");
  await expect(page.getByRole("heading", { level: 1, name: "Organisations" })).toBeVisible();
  await page.goto("/platform/new?lng=en");
  await expect(page.getByRole("heading", { level: 1, name: "New organisation" })).toBeVisible();
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(page.getByText("This field is required.").first()).toBeVisible();
  await page.screenshot({ path: "test-results/screens/platform-new-en.png", fullPage: true, animations: "disabled" });
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
});
