import { expect, test } from "@playwright/test";
import { DEMO, DEMO_PASSWORD, expectArabic, expectEnglish, fillLogin, login, logout, sessionCookieName } from "./helpers";

// Sign-in, language and sign-out, as a person would do them, in a fresh browser context
// per test (Playwright's default). Every wrong password here also counts against the
// address limit (LOGIN_MAX_ATTEMPTS × 4 = 20 per 15 minutes from 127.0.0.1) shared by the
// whole suite: keep the failed attempts of all specs together well below that.

test("the sign-in page is Arabic and right-to-left by default", async ({ page }) => {
  await page.goto("/login");
  await expectArabic(page);
  await expect(page.getByRole("heading", { name: "تسجيل الدخول" })).toBeVisible();
  await expect(page.getByLabel("البريد الإلكتروني")).toBeVisible();
  await expect(page.getByRole("button", { name: "دخول" })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/login-ar.png", fullPage: true, animations: "disabled" });
});

test("a wrong password shows the Arabic error and keeps the email", async ({ page }) => {
  await page.goto("/login");
  // An address that does not exist gets the same answer, so this user need not be spent.
  await fillLogin(page, "nobody@masar.example", "not-the-password");
  await expect(page.getByRole("alert")).toHaveText("البريد الإلكتروني أو كلمة المرور غير صحيحة.");
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.locator('input[name="email"]')).toHaveValue("nobody@masar.example");
  await expectArabic(page);
});

test("signing in lands on the organisation's inbox", async ({ page }) => {
  await login(page, DEMO.social.admin);
  await expect(page).toHaveURL(/\/app\/social-services\/inbox$/);
  await expect(page.getByRole("heading", { level: 1, name: "صندوق المهام" })).toBeVisible();
  await expectArabic(page);
  await page.screenshot({ path: "test-results/screens/inbox-ar.png", fullPage: true, animations: "disabled" });
});

test("English is remembered per user across sign-out and a new browser", async ({ page, browser }) => {
  // A user no other spec signs in with: the choice is stored on the user.
  const email = DEMO.labour.manager;
  await login(page, email);
  await expectArabic(page);
  await page.getByRole("button", { name: /English/ }).click();
  await expectEnglish(page);
  await expect(page.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/inbox-en.png", fullPage: true, animations: "disabled" });
  await logout(page);

  // A browser with no cookies starts in Arabic; signing in restores the user's English.
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto("/login");
  await expectArabic(other);
  await fillLogin(other, email, DEMO_PASSWORD);
  await other.waitForURL(/\/app\/labour-ministry\/inbox$/);
  await expectEnglish(other);

  // And back to Arabic, which is kept too.
  await other.getByRole("button", { name: /العربية/ }).click();
  await expectArabic(other);
  await other.reload();
  await expectArabic(other);
  await fresh.close();
});

test("signing out ends the session on the server", async ({ page, context, browser }) => {
  await login(page, DEMO.crafts.manager);
  await expect(page).toHaveURL(/\/app\/crafts-association\/inbox$/);
  const cookie = (await context.cookies()).find((c) => c.name === sessionCookieName());
  expect(cookie, "session cookie after sign-in").toBeTruthy();

  await logout(page);
  await expect(page.getByRole("heading", { name: "تسجيل الدخول" })).toBeVisible();
  // The same browser is signed out too.
  await page.goto("/app/crafts-association/inbox");
  await expect(page).toHaveURL(/\/login\?next=/);

  // The old cookie, replayed in another browser, no longer opens anything.
  const replay = await browser.newContext();
  await replay.addCookies([{ ...cookie!, expires: Math.floor(Date.now() / 1000) + 3600 }]);
  const replayPage = await replay.newPage();
  await replayPage.goto("/app/crafts-association/inbox");
  await expect(replayPage).toHaveURL(/\/login\?next=%2Fapp%2Fcrafts-association%2Finbox$/);
  await replay.close();
});

test("after five wrong passwords the Arabic rate-limit message appears", async ({ page }) => {
  // Dedicated user: it stays locked out for LOGIN_WINDOW_MINUTES after this test, so
  // no other spec signs in as staff@labour-ministry.example.
  const email = DEMO.labour.staff;
  await page.goto("/login");
  for (let i = 1; i <= 5; i++) {
    await fillLogin(page, email, `wrong-password-${i}`);
    await expect(page.getByRole("alert")).toHaveText("البريد الإلكتروني أو كلمة المرور غير صحيحة.");
  }
  // The sixth attempt is refused before the password is checked, even the right one.
  await fillLogin(page, email, DEMO_PASSWORD);
  await expect(page.getByRole("alert")).toContainText("محاولات دخول كثيرة");
  await expect(page).toHaveURL(/\/login$/);
});
