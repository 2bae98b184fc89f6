import path from "node:path";
import { expect, test } from "@playwright/test";
import { DEMO, expectArabic, login } from "./helpers";
import { addField, buildDemoForm, createForm, DEMO_FORM, fieldCard, nameField, publishOpenForm, selectField, uniqueFormKey } from "./forms-helpers";

const SAMPLES = path.resolve("app/forms/samples");

// The form builder, as an organisation admin uses it in Arabic: build a form with a
// repeating table and a condition, preview it in both languages, and publish it.

test.describe("form builder", () => {
  // Wide enough for the three columns (palette, form, settings) side by side.
  test.use({ viewport: { width: 1400, height: 1000 } });

  test.beforeEach(async ({ page }) => {
    await login(page, DEMO.social.admin);
  });

  test("builds a form with a repeating table and a condition, previews it and publishes it", async ({ page }) => {
    const key = uniqueFormKey("builder");
    await createForm(page, { key, nameAr: DEMO_FORM.nameAr, nameEn: DEMO_FORM.nameEn });
    await expectArabic(page);
    await buildDemoForm(page);

    // The canvas: the table holds its columns, the condition shows as a badge.
    const table = fieldCard(page, "items");
    await expect(table.locator('[data-testid="canvas-field"]')).toHaveCount(2);
    await expect(fieldCard(page, "details").getByTestId("condition-badge")).toContainText("نوع الطلب");

    // Autosave reaches the server.
    await expect(page.getByTestId("save-status")).toHaveAttribute("data-status", "saved", { timeout: 15_000 });

    // Preview: Arabic by default; the conditional field appears when its condition holds.
    await page.getByTestId("tab-preview").click();
    const preview = page.getByTestId("builder-preview");
    await expect(preview.getByText(DEMO_FORM.kind.ar)).toBeVisible();
    await expect(preview.getByText(DEMO_FORM.items.ar)).toBeVisible();
    await expect(preview.getByText(DEMO_FORM.details.ar)).toHaveCount(0);
    await preview.getByRole("textbox", { name: DEMO_FORM.kind.ar }).click();
    await page.getByRole("option", { name: DEMO_FORM.kind.options.option2.ar }).click();
    await expect(preview.getByText(DEMO_FORM.details.ar)).toBeVisible();
    // English and phone width.
    await preview.getByText("English").click();
    await expect(preview.getByText(DEMO_FORM.kind.en)).toBeVisible();
    await expect(preview.locator('[dir="ltr"][lang="en"]')).toBeVisible();
    await preview.getByText("جوال").click();
    await expect(preview.locator('[data-width="phone"]')).toBeVisible();

    await publishOpenForm(page, "الإصدار الأول");
    await expect(page.getByTestId("published")).toContainText("الإصدار ١");
    // The builder goes on from the published version (its first save starts the next draft).
    await expect(page.getByText("تعدّل مسودة جديدة مبنية على الإصدار ١")).toBeVisible();
    await expect(fieldCard(page, "items").locator('[data-testid="canvas-field"]')).toHaveCount(2);
    await expect(page.getByTestId("versions-table")).toContainText("الإصدار الأول");

    // The list shows the published version.
    await page.goto(`/app/${DEMO.social.slug}/admin/forms?q=${key}`);
    await expect(page.getByTestId("forms-table")).toContainText(key);
  });

  test("publishing right after an edit is not refused by the builder's own autosave", async ({ page }) => {
    const key = uniqueFormKey("publish-race");
    await createForm(page, { key, nameAr: "طلب شهادة أسرة منتجة", nameEn: "Productive family certificate" });
    await addField(page, "shortText");
    await nameField(page, { key: "project", ar: "نوع المشروع المنزلي", en: "Home business" });
    // The publish request takes longer than the autosave's pause (2.5 s) to reach the server, as
    // on a busy network: an autosave firing meanwhile would move the lock version under it.
    await page.route(
      (url) => url.pathname.endsWith(`/admin/forms/${new URL(page.url()).pathname.split("/").pop()}.data`),
      async (route) => {
        if (route.request().method() === "POST") await new Promise((resolve) => setTimeout(resolve, 4000));
        await route.continue();
      },
    );
    await expect(page.getByTestId("save-status")).toHaveAttribute("data-status", "pending");
    await publishOpenForm(page, "الإصدار الأول");
    await expect(page.getByTestId("published")).toContainText("الإصدار ١");
    await expect(page.getByTestId("versions-table")).toContainText("الإصدار الأول");
  });

  test("undo and redo, drag from the palette, delete with confirmation", async ({ page }) => {
    await createForm(page, { key: uniqueFormKey("undo"), nameAr: "نموذج تجربة", nameEn: "Trial form" });
    await addField(page, "shortText");
    await nameField(page, { key: "fullName", ar: "الاسم الكامل", en: "Full name" });
    await addField(page, "email");
    const cards = page.getByTestId("canvas-field");
    await expect(cards).toHaveCount(2);

    // Ctrl+Z outside a text box undoes the last change; Ctrl+Shift+Z redoes it.
    await page.keyboard.press("Control+z");
    await expect(cards).toHaveCount(1);
    await page.keyboard.press("Control+Shift+z");
    await expect(cards).toHaveCount(2);
    await page.getByTestId("builder-undo").click();
    await expect(cards).toHaveCount(1);
    await page.getByTestId("builder-redo").click();
    await expect(cards).toHaveCount(2);

    // Drag a date field from the palette to the top of the form.
    await page.getByTestId("palette-date").dragTo(fieldCard(page, "fullName"), { targetPosition: { x: 40, y: 4 } });
    await expect(cards).toHaveCount(3);

    // Move up/down with the keyboard on a field.
    await selectField(page, "fullName");
    const keysInOrder = () => cards.evaluateAll((els) => els.map((e) => e.getAttribute("data-key")));
    const before = await keysInOrder();
    await fieldCard(page, "fullName").getByTestId("select-field").press("Alt+ArrowDown");
    const after = await keysInOrder();
    expect(after.indexOf("fullName")).toBe(before.indexOf("fullName") + 1);

    // Delete asks first.
    await fieldCard(page, "fullName").getByRole("button", { name: /حذف/ }).click();
    await page.getByTestId("delete-confirm").click();
    await expect(fieldCard(page, "fullName")).toHaveCount(0);
  });

  test("the JSON view edits the same form, and refuses what does not parse", async ({ page }) => {
    await createForm(page, { key: uniqueFormKey("json"), nameAr: "نموذج JSON", nameEn: "JSON form" });
    await addField(page, "shortText");
    await nameField(page, { key: "city", ar: "المدينة", en: "City" });
    await page.getByTestId("tab-json").click();
    await page.getByTestId("json-tab-translations").click();
    const translations = page.getByTestId("json-translations");
    const text = await translations.inputValue();
    await translations.fill(text.replace('"المدينة"', '"المدينة أو المحافظة"'));
    // Broken JSON stays as typed with an error; nothing is lost.
    await page.getByTestId("json-tab-schema").click();
    const schema = page.getByTestId("json-schema");
    const good = await schema.inputValue();
    await schema.fill(good.slice(0, -3));
    await page.getByRole("tab", { name: "التصميم" }).click();
    await expect(page.getByRole("alert")).toContainText("ليس JSON صحيحًا");
    await expect(schema).toHaveValue(good.slice(0, -3));
    await schema.fill(good);
    await page.getByRole("tab", { name: "التصميم" }).click();
    await expect(fieldCard(page, "city")).toContainText("المدينة أو المحافظة");
    // And undo brings the old label back.
    await page.getByTestId("builder-undo").click();
    await expect(fieldCard(page, "city")).not.toContainText("المحافظة");
  });

  test("imports an rjsf playground sample as a new form", async ({ page }) => {
    await page.goto(`/app/${DEMO.social.slug}/admin/forms`);
    await page.locator('input[name="name_ar"]').fill("نموذج مستورد");
    await page.locator('input[name="name_en"]').fill("Imported form");
    await page.locator('input[name="key"]').fill(uniqueFormKey("import"));
    await page.locator('input[type="file"]').setInputFiles(path.join(SAMPLES, "nested.json"));
    await page.getByTestId("create-form").click();
    await page.waitForURL(/\/admin\/forms\/[0-9a-f-]{36}$/);
    // Sections and the table came through with their titles (now texts in both languages).
    await expect(fieldCard(page, "owner")).toContainText("Owner");
    await expect(fieldCard(page, "tasks").locator('[data-testid="canvas-field"]')).toHaveCount(3);
    await page.getByTestId("tab-preview").click();
    await expect(page.getByTestId("builder-preview").getByText("Task list title")).toBeVisible();
  });

  test("a bad pattern is refused by the server and shown next to the field", async ({ page }) => {
    await createForm(page, { key: uniqueFormKey("redos"), nameAr: "نموذج نمط", nameEn: "Pattern form" });
    await addField(page, "shortText");
    await page.getByLabel("الصيغة (تعبير نمطي)").fill("^(a+)+$");
    await expect(page.getByTestId("save-status")).toHaveAttribute("data-status", "invalid", { timeout: 15_000 });
    await expect(fieldCard(page, "shortText1")).toContainText("مشكلة");
    await expect(page.getByTestId("properties-panel").getByRole("status")).toBeVisible();
  });
});
