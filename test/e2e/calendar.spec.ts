import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { DEMO, expectArabic, expectEnglish, login } from "./helpers";
import { expectAccessible } from "./axe";

// An organisation admin sets the business calendar: a Friday–Saturday preset, a holiday
// (import preview from an .ics file, then one added by hand), and the "try it" box shows a
// deadline that skips the weekend and the holiday. Then one English pass with a refused input.
// Only this spec signs in as the labour ministry's admin (its calendar and language change).

const ORG = DEMO.labour.slug;
const PAGE = `/app/${ORG}/admin/calendar`;

/** The admin's interface in Arabic whatever an earlier run left in their profile. */
async function inArabic(page: Page): Promise<void> {
  if ((await page.locator("html").getAttribute("lang")) === "en") await page.getByRole("button", { name: /العربية/ }).click();
  await expectArabic(page);
}

const ICS = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "PRODID:-//Masar//e2e//AR",
  "BEGIN:VEVENT",
  "DTSTART;VALUE=DATE:20270310",
  "DTEND;VALUE=DATE:20270314",
  "SUMMARY:عطلة عيد الفطر",
  "END:VEVENT",
  "BEGIN:VEVENT",
  "DTSTART;VALUE=DATE:20270923",
  "RRULE:FREQ=YEARLY",
  "SUMMARY:اليوم الوطني",
  "END:VEVENT",
  "END:VCALENDAR",
].join("\r\n");

test.describe.configure({ mode: "serial" });

test("an admin in Arabic picks a Friday–Saturday week, adds a holiday, and the deadline skips both", async ({ page }) => {
  await login(page, DEMO.labour.admin);
  await page.goto(`/app/${ORG}/inbox`);
  await inArabic(page);
  await page.getByRole("link", { name: "تقويم العمل" }).click();
  await page.waitForURL(new RegExp(`${PAGE}$`));
  await expect(page.getByRole("heading", { level: 1, name: "تقويم العمل" })).toBeVisible();
  await expectAccessible(page, "calendar (ar)");

  // Qatar's pattern: Sunday–Thursday 07:00–14:00, Friday and Saturday off.
  await page.getByTestId("calendar-preset").click();
  await page.getByRole("option", { name: "قطر — عطلة الجمعة والسبت" }).click();
  await expect(page.getByLabel("الأحد")).toHaveValue("07:00-14:00");
  await expect(page.getByLabel("الجمعة")).toHaveValue("");
  await page.getByRole("button", { name: "حفظ أيام العمل" }).click();
  await expect(page.getByRole("status").filter({ hasText: "حُفظت أيام العمل وساعاتها." })).toBeVisible();
  await expect(page.getByText("لم تحفظ الجهة تقويمًا بعد")).toHaveCount(0);

  // An .ics file: the preview lists what would be added and what is skipped; nothing is added yet.
  await page.locator('input[name="file"]').setInputFiles({ name: "holidays-1448.ics", mimeType: "text/calendar", buffer: Buffer.from(ICS) });
  await page.getByRole("button", { name: "معاينة" }).click();
  const preview = page.getByTestId("ics-preview");
  await expect(preview).toContainText("عطلة عيد الفطر");
  await expect(preview).toContainText("ستُضاف");
  await expect(preview).toContainText("اليوم الوطني (حدث متكرر (سنوي))");
  await preview.getByRole("button", { name: "إضافة عطلة واحدة" }).click();
  await expect(page.getByRole("status").filter({ hasText: "أُضيفت عطلة واحدة." })).toBeVisible();

  // A one-day holiday on Sunday 3 January 2027, right after a weekend.
  const add = page.getByRole("form", { name: "إضافة العطلة" });
  await add.getByLabel("اسم العطلة").fill("عطلة رسمية");
  await add.getByLabel("من تاريخ").fill("2027-01-03");
  await add.getByRole("button", { name: "إضافة العطلة" }).click();
  await expect(page.getByRole("status").filter({ hasText: "أُضيفت العطلة." })).toBeVisible();
  await page.locator(`label[for$="-2027"]`).click();
  await expect(page.getByTestId("holidays-table")).toContainText("عطلة رسمية");
  await expect(page.getByTestId("holidays-table")).toContainText("عطلة عيد الفطر");

  // Thursday 31 December 2026 at 13:00 + 1 working day: not Friday, Saturday or the holiday Sunday.
  await page.getByTestId("try-start").fill("2026-12-31T13:00");
  await page.getByTestId("try-amount").fill("1");
  const deadline = page.getByTestId("try-deadline");
  await expect(deadline).toContainText("الاثنين");
  await expect(deadline).toContainText("4 يناير 2027");
  await expect(deadline).toContainText("2:00");
  const skipped = page.getByTestId("try-skipped");
  for (const day of ["الجمعة", "السبت", "الأحد"]) await expect(skipped).toContainText(day);

  // In working hours: Thursday 13:00 + 2 working hours = one hour on Thursday, one on Monday.
  await page.getByTestId("try-amount").fill("2");
  await page.getByTestId("try-unit").click();
  await page.getByRole("option", { name: "ساعات عمل" }).click();
  await expect(deadline).toContainText("الاثنين");
  await expect(deadline).toContainText("8:00");

  await expectAccessible(page, "calendar after changes (ar)");
  fs.mkdirSync("test-results/screens", { recursive: true });
  await page.screenshot({ path: "test-results/screens/calendar-ar.png", fullPage: true, animations: "disabled" });
});

test("in English: the same calendar, and unreadable hours are refused next to the day", async ({ page }) => {
  await login(page, DEMO.labour.admin);
  await page.goto(PAGE);
  if ((await page.locator("html").getAttribute("lang")) !== "en") await page.getByRole("button", { name: /English/ }).click();
  await expectEnglish(page);
  await expect(page.getByRole("heading", { level: 1, name: "Business calendar" })).toBeVisible();
  await expect(page.getByTestId("calendar-preset")).toHaveValue("Qatar — Friday–Saturday weekend");

  await page.getByTestId("try-start").fill("2026-12-31T13:00");
  await page.getByTestId("try-amount").fill("1");
  await expect(page.getByTestId("try-deadline")).toContainText("Monday");

  await page.getByLabel("Sunday").fill("7:30 to 14:30");
  await page.getByRole("button", { name: "Save working days" }).click();
  await expect(page.getByText(/Write hours like \W?07:30-14:30\W?; separate shifts with a comma\./)).toBeVisible();
  await expect(page.getByLabel("Sunday")).toHaveValue("7:30 to 14:30");
  await expect(page.getByLabel("Sunday")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page, "calendar with an error (en)");

  await page.getByRole("button", { name: /العربية/ }).click();
  await expectArabic(page);
});
