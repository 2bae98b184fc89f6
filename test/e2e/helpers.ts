import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";

// Demo logins, duplicated from seeds/demo.ts (DEMO_PASSWORD, DEMO_ORGS, PLATFORM_ADMIN,
// MULTI_ORG_USER) rather than imported: the seed module pulls in the server's database
// and hashing code, which the test runner should not load. Keep the two in step.
export const DEMO_PASSWORD = "Masar@2026";

export const DEMO = {
  platform: "platform@masar.example",
  consultant: "consultant@masar.example", // member of social-services and crafts-association
  social: {
    slug: "social-services",
    admin: "admin@social-services.example",
    manager: "manager@social-services.example",
    staff: "staff@social-services.example",
  },
  crafts: {
    slug: "crafts-association",
    admin: "admin@crafts-association.example",
    manager: "manager@crafts-association.example",
    staff: "staff@crafts-association.example",
  },
  labour: {
    slug: "labour-ministry",
    admin: "admin@labour-ministry.example",
    // Reserved for the language test (auth.spec.ts), which stores English on the user:
    // any other spec signing in with it could meet an English interface.
    manager: "manager@labour-ministry.example",
    // Reserved for the rate-limit test (auth.spec.ts): it is locked out for the window
    // after that test, so no other spec may sign in with it.
    staff: "staff@labour-ministry.example",
  },
} as const;

/** Signs in through the real form; waits until the browser has left /login. */
export async function login(page: Page, email: string, password: string = DEMO_PASSWORD): Promise<void> {
  await page.goto("/login");
  await fillLogin(page, email, password);
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

/** Fills and submits the sign-in form; resolves once the server has answered the POST. */
export async function fillLogin(page: Page, email: string, password: string): Promise<void> {
  // The labels are Arabic or English depending on the locale cookie; the names are stable.
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  // Waiting for the answer keeps repeated attempts from overlapping (the same error text
  // would otherwise already be on the page before the next answer arrives).
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith("/login")),
    page.locator('form:has(input[name="password"]) button[type="submit"]').click(),
  ]);
}

/** A fresh browser context signed in as the given user (its own cookies). */
export async function signedInContext(browser: Browser, email: string, password: string = DEMO_PASSWORD): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, email, password);
  return { context, page };
}

/** Signs out with the shell's sign-out button (a POST with the CSRF field). */
export async function logout(page: Page): Promise<void> {
  await page.locator('form[action="/logout"] button[type="submit"]').first().click();
  await page.waitForURL((url) => url.pathname.startsWith("/login"));
}

export async function expectArabic(page: Page): Promise<void> {
  await expect(page.locator("html")).toHaveAttribute("lang", "ar");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
}

export async function expectEnglish(page: Page): Promise<void> {
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.locator("html")).toHaveAttribute("dir", "ltr");
}

export function sessionCookieName(): string {
  // SECURE_COOKIES=false in the e2e server, so no __Host- prefix.
  return "masar_session";
}
