import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, type Page } from "@playwright/test";

// Publishing a ready-made form version for the filling specs through the admin routes the
// builder posts to (so the server's schema check applies), without driving the builder UI
// (forms-helpers.ts does that for the builder's own demo form).

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * An assistance request as the builder writes it (app/forms/fields.ts modelToForm): text,
 * national id with its own pattern message, email, phone, date, a select with a condition
 * (otherReason when kind = other), yes/no with a condition (income), a repeating table,
 * rating, file and the signature acknowledgement.
 */
export function assistanceRequestForm(): { schema: object; uiSchema: object; translations: object } {
  return JSON.parse(fs.readFileSync(path.join(here, "../fixtures/forms/assistance-request.json"), "utf8"));
}

/**
 * Creates a form and publishes `content` as its first version. The page must be signed in
 * as a member who may create and update forms, on a page of the organisation (for the
 * CSRF token). Returns the form's id.
 */
export async function publishFormVersion(page: Page, org: string, form: { key: string; name_ar: string; name_en: string; content: object }): Promise<string> {
  const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
  const created = await page.request.post(`/app/${org}/admin/forms`, {
    form: { _csrf: csrf, key: form.key, name_ar: form.name_ar, name_en: form.name_en },
    maxRedirects: 0,
  });
  expect(created.status(), "form created").toBe(302);
  const formId = (created.headers()["location"] ?? "").split("/").pop()!.split("?")[0]!;
  expect(formId).toMatch(/^[0-9a-f-]{36}$/);
  const published = await page.request.post(`/app/${org}/admin/forms/${formId}`, {
    form: { _csrf: csrf, intent: "publish", lockVersion: "1", changeNote: "e2e", content: JSON.stringify(form.content) },
  });
  expect(published.status(), "form published").toBe(200);
  expect((await page.request.get(`/app/${org}/forms/${form.key}/fill`)).status(), "published form can be filled").toBe(200);
  return formId;
}
