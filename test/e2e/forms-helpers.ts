import { expect, type Page } from "@playwright/test";
import { DEMO } from "./helpers";

// Building forms through the real builder UI (Arabic interface), shared by the builder spec
// and the filling specs. The demo form: a request type (select), details shown and
// required only for the second type, and a repeating table of items with amounts.
//
//   kind     select, required     options: option1 "مالي" / "Financial", option2 "عيني" / "In kind"
//   details  long text            shown (and then required) when kind = option2
//   items    repeating table      1..10 rows, columns: item (short text, required), amount (currency SAR, required)
//   confirm  acknowledgement      "أقر بأن البيانات صحيحة", required

export const DEMO_FORM = {
  nameAr: "طلب مساعدة",
  nameEn: "Assistance request",
  kind: { key: "kind", ar: "نوع الطلب", en: "Request type", options: { option1: { ar: "مالي", en: "Financial" }, option2: { ar: "عيني", en: "In kind" } } },
  details: { key: "details", ar: "تفاصيل الاحتياج", en: "Details of the need" },
  items: { key: "items", ar: "البنود", en: "Items", item: { key: "item", ar: "البند", en: "Item" }, amount: { key: "amount", ar: "المبلغ", en: "Amount" } },
  confirm: { key: "confirm", ar: "أقر بأن البيانات صحيحة", en: "I confirm the data is correct" },
} as const;

export const formsUrl = (slug: string = DEMO.social.slug) => `/app/${slug}/admin/forms`;

/** Creates a form from the list page and waits for its builder; returns the builder URL. */
export async function createForm(page: Page, input: { key: string; nameAr: string; nameEn: string }, slug: string = DEMO.social.slug): Promise<string> {
  await page.goto(formsUrl(slug));
  await page.locator('input[name="name_ar"]').fill(input.nameAr);
  await page.locator('input[name="name_en"]').fill(input.nameEn);
  await page.locator('input[name="key"]').fill(input.key);
  await page.getByTestId("create-form").click();
  await page.waitForURL(/\/admin\/forms\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("save-status")).toBeVisible();
  return new URL(page.url()).pathname;
}

/** The canvas card of a field (by its key). */
export const fieldCard = (page: Page, key: string) => page.locator(`[data-testid="canvas-field"][data-key="${key}"]`).first();

/** Adds a field from the palette (into the selected section/table, if one is selected). */
export async function addField(page: Page, type: string): Promise<void> {
  const before = await page.getByTestId("canvas-field").count();
  await page.getByTestId(`palette-${type}`).click();
  await expect(page.getByTestId("canvas-field")).toHaveCount(before + 1);
}

/** Sets the selected field's key and labels in both languages. */
export async function nameField(page: Page, f: { key: string; ar: string; en: string }): Promise<void> {
  const panel = page.getByTestId("properties-panel");
  await panel.getByTestId("field-label-ar").fill(f.ar);
  await panel.getByTestId("field-label-en").fill(f.en);
  await panel.getByTestId("field-key").fill(f.key);
}

export async function selectField(page: Page, key: string): Promise<void> {
  await fieldCard(page, key).getByTestId("select-field").first().click();
  await expect(page.getByTestId("field-key")).toHaveValue(key);
}

/** Builds the demo form (see DEMO_FORM) in the open builder. */
export async function buildDemoForm(page: Page): Promise<void> {
  const panel = page.getByTestId("properties-panel");
  const f = DEMO_FORM;

  await addField(page, "select");
  await nameField(page, f.kind);
  const rows = panel.getByTestId("option-row");
  for (const [i, value] of (["option1", "option2"] as const).entries()) {
    await rows.nth(i).locator("input").nth(1).fill(f.kind.options[value].ar);
    await rows.nth(i).locator("input").nth(2).fill(f.kind.options[value].en);
  }
  await panel.getByTestId("field-required").check();

  await addField(page, "longText");
  await nameField(page, f.details);
  await panel.getByTestId("condition-visible-toggle").check();
  await panel.getByTestId("condition-visible-field").selectOption("kind");
  await panel.getByTestId("condition-visible-value").selectOption("option2");
  await panel.getByTestId("field-required").check();
  await expect(fieldCard(page, "details").getByTestId("condition-badge")).toContainText(f.kind.options.option2.ar);

  await addField(page, "table");
  await nameField(page, f.items);
  await panel.getByTestId("prop-minItems").fill("1");
  await panel.getByTestId("prop-maxItems").fill("10");
  // With the table selected, the palette adds its columns.
  await addField(page, "shortText");
  await nameField(page, f.items.item);
  await panel.getByTestId("field-required").check();
  await selectField(page, "items");
  await addField(page, "currency");
  await nameField(page, f.items.amount);
  await panel.getByTestId("field-required").check();

  // A plain field is selected: the palette adds at the end of the form.
  await addField(page, "signature");
  await panel.getByTestId("field-key").fill(f.confirm.key);
}

/** Publishes what is in the builder with a change note; resolves with the version number shown. */
export async function publishOpenForm(page: Page, note: string): Promise<void> {
  await page.getByTestId("builder-publish").click();
  await page.getByTestId("publish-note").fill(note);
  await page.getByTestId("publish-confirm").click();
  await expect(page.getByTestId("published")).toBeVisible({ timeout: 15_000 });
}

/**
 * Creates and publishes the demo form through the builder UI (the admin must be signed in,
 * Arabic interface). Returns its key; staff fill it at /app/<slug>/forms/<key>/fill.
 */
export async function createAndPublishDemoForm(page: Page, key: string, slug: string = DEMO.social.slug): Promise<{ key: string; builderUrl: string }> {
  const builderUrl = await createForm(page, { key, nameAr: DEMO_FORM.nameAr, nameEn: DEMO_FORM.nameEn }, slug);
  await buildDemoForm(page);
  await publishOpenForm(page, "الإصدار الأول");
  return { key, builderUrl };
}

/** A key no other test run has used (forms keys are unique per organisation). */
export const uniqueFormKey = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
