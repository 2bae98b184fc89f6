import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { DEMO, expectArabic, signedInContext } from "./helpers";
import { expectAccessible } from "./axe";

// An admin imports a diagram drawn in Camunda Modeler, sees what the import adjusted and what
// blocks publishing (translated, naming the steps and lanes), fixes the draft in the JSON
// editor, publishes version 1 and downloads it as BPMN again.

const FIXTURE = "test/fixtures/bpmn/social-aid-request.bpmn";

test("import a BPMN file, fix the draft, publish and export", async ({ browser }) => {
  const { context, page } = await signedInContext(browser, DEMO.crafts.admin);
  const key = `aid-e2e-${Date.now().toString(36)}`;
  await page.goto(`/app/${DEMO.crafts.slug}/admin/workflows`);
  await expectArabic(page);
  await expect(page.getByRole("heading", { level: 1, name: "مسارات العمل" })).toBeVisible();
  await expectAccessible(page, "workflows list");

  // A file that is not a workflow: a clear error, nothing created.
  await page.locator('input[name="file"]').setInputFiles({ name: "notes.json", mimeType: "application/json", buffer: Buffer.from('{"format":"other.tool","formatVersion":1}') });
  await page.getByRole("button", { name: "استيراد", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("هذا ليس ملف مسار عمل من مسار");

  await page.locator('input[name="file"]').setInputFiles(FIXTURE);
  await page.getByLabel("المفتاح (اختياري)").fill(key);
  await page.getByRole("button", { name: "استيراد", exact: true }).click();
  const done = page.getByRole("status").filter({ hasText: "استُورد «طلب مساعدة اجتماعية» مسودةً." });
  await expect(done).toBeVisible();
  await expect(done).toContainText("أُسند إلى الدور «lane-research»");
  await expect(done).toContainText("zeebe:taskDefinition");
  await done.getByRole("link", { name: "فتح المسودة" }).click();
  await page.waitForURL(/\/admin\/workflows\/[0-9a-f-]{36}\?imported=1$/);

  // Problems as publishing sees them: the derived roles and the called process do not exist here.
  const problems = page.getByTestId("problem-list");
  await expect(problems).toContainText("المسار «الباحث الاجتماعي» مسند إلى دور غير موجود («lane-research»)");
  await expect(problems).toContainText("«صرف المساعدة»");
  await expect(page.getByRole("button", { name: /نشر الإصدار/ })).toBeDisabled();
  await expect(page.getByTestId("steps-table")).toContainText("زيارة ميدانية");
  await expectAccessible(page, "workflow draft with problems");

  // Fix the draft in the JSON editor: real roles, and call an existing workflow.
  const editor = page.getByTestId("json-editor");
  const graph = JSON.parse(await editor.inputValue());
  graph.lanes = graph.lanes.map((l: { id: string }) => ({ ...l, assignee: l.id === "Lane_reception" ? { type: "unit", unitCode: "01" } : { type: "role", roleKey: l.id === "Lane_research" ? "staff" : "manager" } }));
  graph.nodes = graph.nodes.map((n: { kind: string }) => (n.kind === "subprocess" ? { ...n, definitionKey: "social-aid-request" } : n));
  await editor.fill(JSON.stringify(graph, null, 2));
  await page.getByRole("button", { name: "حفظ المسودة" }).click();
  await expect(page.getByText("لا توجد مشكلات: يمكن نشر المسودة.")).toBeVisible();

  await page.getByLabel("ملاحظة التغيير").fill("مستورد من Camunda Modeler");
  await page.getByRole("button", { name: "نشر الإصدار ١" }).click();
  await expect(page.getByText("نُشر بوصفه الإصدار ١.")).toBeVisible();
  const row = page.getByTestId("versions-table").locator("tr", { hasText: "الإصدار ١" });
  await expect(row).toContainText("منشور");
  await expect(row).toContainText("مستورد من Camunda Modeler");
  await expectAccessible(page, "published workflow");

  const [download] = await Promise.all([page.waitForEvent("download"), row.getByRole("link", { name: "BPMN" }).click()]);
  expect(download.suggestedFilename()).toBe(`${key}-v1.bpmn`);
  const xml = fs.readFileSync((await download.path())!, "utf8");
  expect(xml).toContain("=documentsComplete = true");
  expect(xml).toContain('masar:roleKey="staff"');
  await context.close();
});
