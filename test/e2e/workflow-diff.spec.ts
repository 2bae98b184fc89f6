import { expect, test } from "@playwright/test";
import { DEMO, expectArabic, signedInContext } from "./helpers";
import { expectAccessible } from "./axe";

// Version history with a visual diff: an admin imports a small flow, publishes version 1,
// starts a new draft from it, renames a step and adds another in the JSON editor, then
// compares the draft with version 1 from the versions table: both diagrams are drawn with the
// added and changed elements marked, and the changes are listed in words.

const l = (ar: string, en: string) => ({ ar, en });

function flow(key: string) {
  const lanes = [
    { id: "lane_front", name: l("خدمة المتعاملين", "Customer service"), assignee: { type: "role", roleKey: "staff" } },
    { id: "lane_head", name: l("رئيس القسم", "Head of section"), assignee: { type: "role", roleKey: "manager" } },
  ];
  return {
    format: "masar.workflow",
    formatVersion: 1,
    definition: {
      key,
      name: l("إصدار إفادة", "Issue a statement"),
      direction: "rtl",
      lanes,
      nodes: [
        { id: "start", kind: "start", name: l("تقديم الطلب", "Request"), lane: "lane_front", position: { x: 900, y: 82 } },
        { id: "receive", kind: "task", name: l("استلام الطلب", "Receive"), lane: "lane_front", position: { x: 720, y: 60 }, estimatedMinutes: 5 },
        { id: "approve", kind: "task", name: l("اعتماد الطلب", "Approve"), lane: "lane_head", position: { x: 540, y: 210 }, estimatedMinutes: 3 },
        { id: "done", kind: "end", name: l("تسليم الإفادة", "Delivered"), lane: "lane_front", position: { x: 380, y: 82 } },
      ],
      edges: [
        { id: "f1", source: "start", target: "receive" },
        { id: "f2", source: "receive", target: "approve" },
        { id: "f3", source: "approve", target: "done" },
      ],
    },
  };
}

test("compare a draft with the published version it came from", async ({ browser }) => {
  const { context, page } = await signedInContext(browser, DEMO.crafts.admin);
  const key = `diff-e2e-${Date.now().toString(36)}`;
  await page.goto(`/app/${DEMO.crafts.slug}/admin/workflows`);
  await expectArabic(page);
  await page.locator('input[name="file"]').setInputFiles({ name: `${key}.json`, mimeType: "application/json", buffer: Buffer.from(JSON.stringify(flow(key))) });
  await page.getByRole("button", { name: "استيراد", exact: true }).click();
  await page.getByRole("status").getByRole("link", { name: "فتح المسودة" }).click();
  await page.waitForURL(/\/admin\/workflows\/[0-9a-f-]{36}\?imported=1$/);

  await page.getByLabel("ملاحظة التغيير").fill("النسخة الأولى");
  await page.getByRole("button", { name: "نشر الإصدار ١" }).click();
  await expect(page.getByText("نُشر بوصفه الإصدار ١.")).toBeVisible();
  // One version only: nothing to compare with yet.
  await expect(page.getByTestId("version-compare")).toHaveCount(0);

  await page.getByRole("button", { name: "مسودة جديدة من هذا الإصدار" }).click();
  const editor = page.getByTestId("json-editor");
  await expect(editor).toBeVisible();
  const graph = JSON.parse(await editor.inputValue());
  graph.nodes = graph.nodes.map((n: { id: string }) => (n.id === "receive" ? { ...n, name: l("استلام الطلب والتحقق منه", "Receive and check") } : n));
  graph.nodes.push({ id: "archive", kind: "task", name: l("أرشفة الطلب", "Archive"), lane: "lane_front", position: { x: 380, y: 220 } });
  graph.edges = graph.edges.filter((e: { id: string }) => e.id !== "f3");
  graph.edges.push({ id: "f4", source: "approve", target: "archive" }, { id: "f5", source: "archive", target: "done" });
  await editor.fill(JSON.stringify(graph, null, 2));
  await page.getByRole("button", { name: "حفظ المسودة" }).click();
  // The save's own confirmation, not only "no problems" (already shown before saving): comparing
  // before the save has landed would compare version 1 with itself.
  await expect(page.getByText("حُفظت المسودة.")).toBeVisible();
  await expect(page.getByText("لا توجد مشكلات: يمكن نشر المسودة.")).toBeVisible();

  // The draft's row compares with version 1.
  const draftRow = page.getByTestId("versions-table").locator("tr", { hasText: "مسودة" });
  await draftRow.getByTestId("version-compare").click();
  await page.waitForURL(/\/diff\?to=/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("مقارنة نسخ «إصدار إفادة»");
  const list = page.getByTestId("diff-list");
  await expect(list).toContainText("أضيفت «أرشفة الطلب» (خطوة) في مسؤولية «خدمة المتعاملين».");
  await expect(list).toContainText("«استلام الطلب والتحقق منه» (خطوة): تغيّر الاسم.");
  await expect(list).toContainText("حُذف الانتقال من «اعتماد الطلب» إلى «تسليم الإفادة».");
  await expect(list).toContainText("أضيف انتقال من «أرشفة الطلب» إلى «تسليم الإفادة».");
  // Both diagrams drawn, the new step marked on the draft's, the removed flow on version 1's.
  const after = page.getByTestId("diff-svg-after");
  const before = page.getByTestId("diff-svg-before");
  await expect(after.locator('[data-node-id="archive"]')).toHaveAttribute("data-highlight", "added");
  await expect(after.locator('[data-node-id="receive"]')).toHaveAttribute("data-highlight", "changed");
  await expect(before.locator('[data-edge-id="f3"]')).toHaveAttribute("data-highlight", "removed");
  await expect(before.locator('[data-node-id="archive"]')).toHaveCount(0);
  await expectAccessible(page, "version diff");

  // The same version on both sides: nothing to show.
  const v1 = await page.getByLabel("النسخة الأقدم").inputValue();
  await page.getByLabel("النسخة الأحدث").selectOption(v1);
  await page.getByRole("button", { name: "قارن" }).click();
  await expect(page.getByTestId("diff-none")).toHaveText("لا فرق بين النسختين.");
  await context.close();
});
