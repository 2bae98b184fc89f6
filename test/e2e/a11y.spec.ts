import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { DEMO, login } from "./helpers";

// Automated accessibility checks (axe-core, WCAG 2.1 A/AA rules) on every screen that
// exists so far, in Arabic (RTL) and, for the sign-in page, English. Serious and critical
// findings fail the test; the report names the rule and the elements.

async function expectNoSeriousViolations(page: Page, label: string): Promise<void> {
  await page.waitForLoadState("networkidle");
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = serious.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.map((n) => n.target.join(" ")).join("\n    ")}`);
  expect(report, `${label}: accessibility violations`).toEqual([]);
}

test.describe("signed out", () => {
  test("sign-in page, Arabic", async ({ page }) => {
    await page.goto("/login");
    await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
    await expectNoSeriousViolations(page, "login (ar)");
  });

  test("sign-in page, English", async ({ page }) => {
    await page.goto("/login?lng=en");
    await expect(page.locator("html")).toHaveAttribute("dir", "ltr");
    await expectNoSeriousViolations(page, "login (en)");
  });

  test("sign-in page with an error", async ({ page }) => {
    await page.goto("/login");
    await page.getByRole("button", { name: "دخول" }).click(); // empty fields: field errors, no attempt counted
    await expect(page.getByText("أدخل البريد الإلكتروني.")).toBeVisible();
    await expectNoSeriousViolations(page, "login with errors");
  });
});

// The organisation admin sees every administration page.
const ORG_PAGES: [name: string, path: string][] = [
  ["inbox", "inbox"],
  ["units", "admin/units"],
  ["users", "admin/users"],
  ["roles", "admin/roles"],
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
      await expectNoSeriousViolations(page, name);
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
      await expectNoSeriousViolations(page, name);
    });
  }

  test("not-found page", async ({ page }) => {
    await login(page, DEMO.social.admin);
    const response = await page.goto("/app/does-not-exist/inbox");
    expect(response?.status()).toBe(404);
    await expectNoSeriousViolations(page, "404");
  });
});

test.describe("platform pages", () => {
  test("organisations list", async ({ page }) => {
    await login(page, DEMO.platform);
    await page.goto("/platform");
    await expectNoSeriousViolations(page, "platform");
  });

  test("new organisation, with field errors", async ({ page }) => {
    await login(page, DEMO.platform);
    await page.goto("/platform/new");
    await expectNoSeriousViolations(page, "platform/new");
    await page.getByRole("button", { name: "إنشاء الجهة" }).click();
    await expect(page.getByText("هذا الحقل مطلوب.").first()).toBeVisible();
    await expectNoSeriousViolations(page, "platform/new with errors");
  });
});
