import crypto from "node:crypto";
import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { DEMO, DEMO_PASSWORD, login } from "./helpers";

// The HTTP API against the real server: JSON errors with stable codes, tokens from the
// tokens page, the cross-tenant 404 and its audit entry. API calls use a request context
// without cookies unless a test says otherwise.

const TOKEN_PATTERN = /msr_[a-z0-9]{8}_[A-Za-z0-9_-]{43}/;

/** The CSRF field of a rendered page (double-submit: it equals the cookie the page set). */
async function csrfFrom(response: APIResponse): Promise<string> {
  const html = await response.text();
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  expect(match, "CSRF field on the page").not.toBeNull();
  return match![1]!;
}

/** Signs in through the login form's POST (with its CSRF cookie and field); cookies stay in `request`. */
async function signIn(request: APIRequestContext, email: string): Promise<void> {
  const csrf = await csrfFrom(await request.get("/login"));
  const response = await request.post("/login", { form: { _csrf: csrf, email, password: DEMO_PASSWORD } });
  expect(response.url(), "left the sign-in page").not.toContain("/login");
}

/** Creates a token on /app/<org>/tokens as the signed-in user and returns the secret shown once. */
async function createToken(request: APIRequestContext, org: string, name: string): Promise<string> {
  const csrf = await csrfFrom(await request.get(`/app/${org}/tokens`));
  const response = await request.post(`/app/${org}/tokens`, { form: { _csrf: csrf, intent: "create", name, expiry: "7" } });
  expect(response.status()).toBe(200);
  const secret = TOKEN_PATTERN.exec(await response.text())?.[0];
  expect(secret, "the new secret on the page").toBeTruthy();
  return secret!;
}

async function expectJsonError(response: APIResponse, status: number, code: string) {
  expect(response.status()).toBe(status);
  expect(response.headers()["content-type"]).toMatch(/^application\/json/);
  const body = (await response.json()) as { error: { code: string; message: string; requestId: string | null } };
  expect(body.error.code).toBe(code);
  expect(body.error.message).toBeTruthy();
  expect(body.error.requestId).toBe(response.headers()["x-request-id"]);
  return body;
}

test.describe("HTTP API", () => {
  test("no token, or a bad one → 401 JSON", async ({ playwright, baseURL }) => {
    const api = await playwright.request.newContext({ baseURL });
    const none = await api.get("/api/v1/me");
    await expectJsonError(none, 401, "unauthorized");
    expect(none.headers()["www-authenticate"]).toMatch(/^Bearer/);
    await expectJsonError(await api.get("/api/v1/orgs/social-services/units", { headers: { Authorization: "Bearer nonsense" } }), 401, "unauthorized");
    const post = await api.post("/api/v1/orgs/social-services/units", { data: { code: "X1", nameAr: "س", nameEn: "X" } });
    await expectJsonError(post, 401, "unauthorized");
    await api.dispose();
  });

  test("unknown API paths and methods answer JSON, never an HTML page", async ({ playwright, baseURL }) => {
    const api = await playwright.request.newContext({ baseURL });
    await expectJsonError(await api.get("/api/v1/no-such-thing"), 404, "not_found");
    await expectJsonError(await api.delete("/api/v1/orgs/social-services/no/such/path"), 404, "not_found");
    await expectJsonError(await api.delete("/api/v1/orgs/social-services/units/whatever"), 405, "method_not_allowed");
    await expectJsonError(await api.get("/api/v2/me"), 404, "not_found");
    const wrongMethod = await api.post("/api/v1/me", { data: {} });
    await expectJsonError(wrongMethod, 405, "method_not_allowed");
    expect(wrongMethod.headers()["allow"]).toBe("GET");
    await api.dispose();
  });

  test("openapi.json is an OpenAPI 3.1 document", async ({ playwright, baseURL }) => {
    const api = await playwright.request.newContext({ baseURL });
    const response = await api.get("/api/v1/openapi.json");
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toMatch(/^application\/json/);
    const doc = (await response.json()) as { openapi: string; paths: Record<string, unknown>; components: { securitySchemes: Record<string, { scheme: string }> } };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/me", "/orgs/{org}", "/orgs/{org}/units", "/orgs/{org}/members"]));
    expect(doc.components.securitySchemes.bearerAuth?.scheme).toBe("bearer");
    await api.dispose();
  });

  test("a token works in its own organisation only; the cross-tenant attempt is a 404 and shows in the admin's audit log", async ({ request, playwright, baseURL, page }) => {
    await signIn(request, DEMO.social.admin);
    const secret = await createToken(request, DEMO.social.slug, `e2e ${crypto.randomUUID().slice(0, 8)}`);
    const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${secret}` } });

    const me = await api.get("/api/v1/me");
    expect(me.status()).toBe(200);
    expect(await me.json()).toMatchObject({ user: { email: DEMO.social.admin }, organisation: { slug: DEMO.social.slug }, roles: ["admin"] });
    const units = await api.get(`/api/v1/orgs/${DEMO.social.slug}/units?pageSize=2`);
    expect(units.status()).toBe(200);
    const list = (await units.json()) as { page: number; pageSize: number; total: number; items: { code: string }[] };
    expect(list).toMatchObject({ page: 1, pageSize: 2 });
    expect(list.total).toBeGreaterThanOrEqual(3); // the seeded units (other specs may add more)
    expect(list.items).toHaveLength(2);
    await expectJsonError(await api.get(`/api/v1/orgs/${DEMO.social.slug}/units?pageSize=1000`), 400, "validation_failed");

    // Organisation B: the same answer as for an organisation that does not exist.
    const requestId = `e2e-denied-${crypto.randomUUID()}`;
    const foreign = await api.get(`/api/v1/orgs/${DEMO.crafts.slug}/units`, { headers: { "X-Request-Id": requestId } });
    const body = await expectJsonError(foreign, 404, "not_found");
    expect(JSON.stringify(body)).not.toContain(DEMO.crafts.slug);
    await expectJsonError(await api.get("/api/v1/orgs/no-such-org-at-all/units"), 404, "not_found");

    // The admin of A sees the refused attempt, with its request id, in the audit log.
    await login(page, DEMO.social.admin);
    await page.goto(`/app/${DEMO.social.slug}/admin/audit?action=access.denied&actor=${encodeURIComponent(DEMO.social.admin)}`);
    const table = page.getByTestId("audit-table");
    await expect(table).toContainText(DEMO.crafts.slug);
    await expect(async () => {
      const closed = table.locator('button[aria-expanded="false"]');
      for (let i = 0; i < 30 && (await closed.count()) > 0; i++) await closed.first().click();
      await expect(table.locator("bdi", { hasText: requestId })).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await api.dispose();
  });

  test("POST with invalid fields → 400 validation_failed with field errors", async ({ request, playwright, baseURL }) => {
    await signIn(request, DEMO.crafts.admin);
    const secret = await createToken(request, DEMO.crafts.slug, "e2e units");
    const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${secret}`, "Accept-Language": "en" } });
    const invalid = await api.post(`/api/v1/orgs/${DEMO.crafts.slug}/units`, { data: { code: "not valid!", nameAr: "" } });
    const body = (await expectJsonError(invalid, 400, "validation_failed")) as unknown as { error: { details: { fields: Record<string, string> } } };
    expect(Object.keys(body.error.details.fields).sort()).toEqual(["code", "nameAr", "nameEn"]);
    expect(body.error.details.fields.code).toMatch(/letters, digits or hyphens/);
    const broken = await api.post(`/api/v1/orgs/${DEMO.crafts.slug}/units`, { headers: { "Content-Type": "application/json" }, data: "{" });
    await expectJsonError(broken, 400, "validation_failed");
    // Nothing was created: the demo organisation still has no unit with that code.
    const units = (await (await api.get(`/api/v1/orgs/${DEMO.crafts.slug}/units?q=${encodeURIComponent("not valid")}`)).json()) as { total: number };
    expect(units.total).toBe(0);
    await api.dispose();
  });

  test("a signed-in browser session is not an API credential", async ({ request }) => {
    await signIn(request, DEMO.social.manager);
    await expectJsonError(await request.get("/api/v1/me"), 401, "unauthorized");
    const post = await request.post(`/api/v1/orgs/${DEMO.social.slug}/units`, { data: { code: "Z9", nameAr: "ز", nameEn: "Z" } });
    await expectJsonError(post, 401, "unauthorized");
  });

  test("tokens page: the secret is shown once, and a revoked token stops working", async ({ page, playwright, baseURL }) => {
    await login(page, DEMO.social.staff);
    await page.goto(`/app/${DEMO.social.slug}/tokens`);
    const name = `e2e ui ${crypto.randomUUID().slice(0, 8)}`;
    await page.locator('input[name="name"]').fill(name);
    await page.locator('select[name="expiry"]').selectOption("30");
    await page.locator('form:has(input[name="intent"][value="create"]) button[type="submit"]').click();
    const secretField = page.getByTestId("new-token-secret");
    await expect(secretField).toHaveValue(TOKEN_PATTERN);
    const secret = await secretField.inputValue();
    const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${secret}` } });
    expect((await api.get("/api/v1/me")).status()).toBe(200);

    await page.reload();
    await expect(page.getByTestId("new-token-secret")).toHaveCount(0);
    expect(await page.content()).not.toContain(secret);
    const row = page.getByTestId("token-row").filter({ hasText: name });
    await expect(row).toHaveCount(1);
    // The confirmation is a dialog: retry the click until the page has hydrated and it opens.
    await expect(async () => {
      await row.getByRole("button").click();
      await expect(page.getByTestId("confirm-revoke")).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await page.getByTestId("confirm-revoke").click();
    await expect(page.getByTestId("token-row").filter({ hasText: name })).toContainText(/مُبطَل|Revoked/);
    await expectJsonError(await api.get("/api/v1/me"), 401, "unauthorized");
    await api.dispose();
  });
});
