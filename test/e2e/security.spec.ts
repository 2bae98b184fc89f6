import { expect, test, type APIRequestContext } from "@playwright/test";
import { DEMO, login, sessionCookieName } from "./helpers";

// Cross-site request forgery, headers, cookies and tenant isolation, checked from the
// outside the way a browser or an attacker's page would meet them.

/** The CSRF token a page was rendered with (the hidden field every form carries). */
async function csrfTokenFrom(request: APIRequestContext, path = "/login"): Promise<string> {
  const html = await (await request.get(path)).text();
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  expect(token, "a CSRF field on the page").toBeTruthy();
  return token!;
}

test.describe("CSRF", () => {
  for (const path of ["/locale", "/logout"]) {
    test(`POST ${path} without the CSRF cookie or field is refused with 403`, async ({ playwright, baseURL }) => {
      const bare = await playwright.request.newContext({ baseURL });
      const response = await bare.post(path, { form: { locale: "en" }, maxRedirects: 0 });
      expect(response.status()).toBe(403);
      await bare.dispose();
    });

    test(`POST ${path} with the cookie but without the field is refused with 403`, async ({ request }) => {
      await csrfTokenFrom(request); // sets the HttpOnly CSRF cookie in this context
      const response = await request.post(path, { form: { locale: "en" }, maxRedirects: 0 });
      expect(response.status()).toBe(403);
    });

    test(`POST ${path} from a foreign Origin is refused with 403, even with a valid token`, async ({ request }) => {
      const token = await csrfTokenFrom(request);
      const foreign = await request.post(path, {
        form: { _csrf: token, locale: "en", back: "/login" },
        headers: { Origin: "https://evil.example" },
        maxRedirects: 0,
      });
      expect(foreign.status()).toBe(403);
      // The same request from our own origin goes through: the refusal is the Origin's doing.
      const own = await request.post(path, { form: { _csrf: token, locale: "en", back: "/login" }, maxRedirects: 0 });
      expect(own.status()).toBe(302);
    });
  }
});

test("pages with personal data are not cached, and the session cookie is HttpOnly and SameSite=Lax", async ({ page, context }) => {
  await login(page, DEMO.social.manager);
  const response = await page.goto("/app/social-services/inbox");
  expect(response?.status()).toBe(200);
  expect(response?.headers()["cache-control"]).toContain("no-store");

  const session = (await context.cookies()).find((c) => c.name === sessionCookieName());
  expect(session, "session cookie").toBeTruthy();
  expect(session!.httpOnly).toBe(true);
  expect(session!.sameSite).toBe("Lax");
  const csrf = (await context.cookies()).find((c) => c.name === "masar_csrf");
  expect(csrf?.httpOnly).toBe(true);
});

test("the Content-Security-Policy carries a fresh nonce and every script uses it", async ({ request }) => {
  const nonces: string[] = [];
  for (let i = 0; i < 2; i++) {
    const response = await request.get("/login");
    const csp = response.headers()["content-security-policy"] ?? "";
    const nonce = /script-src [^;]*'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce, `nonce in ${csp}`).toBeTruthy();
    expect(csp).not.toContain("'unsafe-inline' 'nonce");
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await response.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag, "script tag").toContain(`nonce="${nonce}"`);
    nonces.push(nonce!);
  }
  expect(nonces[0]).not.toBe(nonces[1]);
});

test("a member of one organisation gets the Arabic 404 for another, the same as for none", async ({ page }) => {
  await login(page, DEMO.social.staff);
  const foreign = await page.goto("/app/crafts-association/inbox");
  expect(foreign?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "الصفحة غير موجودة" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  const foreignText = await page.getByRole("alert").innerText();

  const missing = await page.goto("/app/does-not-exist/inbox");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "الصفحة غير موجودة" })).toBeVisible();
  // Nothing tells an existing organisation from one that does not exist.
  expect(await page.getByRole("alert").innerText()).toBe(foreignText);
  await expect(page.getByText("جمعية الحرفيين")).toHaveCount(0);
});

test("a user of two organisations switches between them with the switcher", async ({ page }) => {
  await login(page, DEMO.consultant);
  await expect(page).toHaveURL(/\/app\/(crafts-association|social-services)\/inbox$/);
  const from = new URL(page.url()).pathname.split("/")[2]!;
  const to = from === "crafts-association" ? "social-services" : "crafts-association";
  const toName = to === "crafts-association" ? "جمعية الحرفيين الخيرية" : "دائرة الخدمات الاجتماعية";

  await page.getByTestId("org-switcher").click();
  await page.getByRole("menuitem", { name: toName }).click();
  await expect(page).toHaveURL(new RegExp(`/app/${to}/inbox$`));
  await expect(page.getByTestId("org-switcher")).toContainText(toName);

  // The choice is remembered: the home page now opens the organisation switched to.
  await page.goto("/");
  await expect(page).toHaveURL(new RegExp(`/app/${to}/inbox$`));
});
