import { expect, test } from "@playwright/test";
import { DEMO, expectArabic, expectEnglish } from "./helpers";
import { expectAccessible } from "./axe";
import { canvas, connect, createWorkflowDraft, dropFromPalette, laneBand, links, nameSelected, shape, shapes, wideContext } from "./designer-helpers";

// The visual designer, as an organisation's admin uses it: a service flow drawn from the
// palette in two lanes, connected by dragging, checked live by the engine's validator (an
// error is seen on the canvas, fixed in the properties panel), tried in a test run, compared
// with its steps table and published; a member of staff then starts a case from it. Also: a
// BPMN file opens on the canvas with its lanes and layout, and the page in English.

const ORG = DEMO.social.slug;
const WORKFLOWS = `/app/${ORG}/admin/workflows`;

test("an admin draws, checks, test-runs and publishes a flow; staff start a case from it", async ({ browser }) => {
  test.slow();
  const { context, page } = await wideContext(browser, DEMO.social.admin);
  const key = `designer-e2e-${Date.now().toString(36)}`;
  const name = `طلب إعانة مرسوم ${Date.now().toString(36)}`;
  const definitionPath = await createWorkflowDraft(page, ORG, key, name, "Drawn aid request");

  // From the definition page to the designer (the JSON editor stays there, as "advanced").
  await expect(page.getByText("التعديل بصيغة JSON (متقدم)")).toBeVisible();
  await page.getByTestId("open-designer").click();
  await page.waitForURL(`${definitionPath}/design`);
  await expectArabic(page);
  await expect(page.getByRole("heading", { level: 1, name: `مصمم المسار: ${name}` })).toBeVisible();
  await expect(shapes(page)).toHaveCount(3); // the blank draft: start, one step, end
  await expectAccessible(page, "designer with the blank draft");

  // Start from an empty canvas: select all, delete (asks first); undo and redo it once.
  await canvas(page).click({ position: { x: 30, y: 30 } });
  await page.keyboard.press("Control+a");
  await page.keyboard.press("Delete");
  await expect(page.getByRole("dialog", { name: "حذف المحدد؟" })).toBeVisible();
  await page.getByTestId("delete-confirm").click();
  await expect(shapes(page)).toHaveCount(0);
  await page.keyboard.press("Control+z");
  await expect(shapes(page)).toHaveCount(3);
  await page.keyboard.press("Control+Shift+z");
  await expect(shapes(page)).toHaveCount(0);

  // A second lane for the manager, named in both languages.
  await page.getByTestId("lane-add").click();
  await page.getByTestId("lane-name-2-ar").fill("مدير القسم");
  await page.getByTestId("lane-name-2-en").fill("Head of section");
  await page.getByTestId("lane-lane_2").getByRole("textbox", { name: "دور" }).click();
  await page.getByRole("option", { name: "مدير", exact: true }).click();
  const staffLane = await laneBand(page, "lane_1");
  const managerLane = await laneBand(page, "lane_2");

  // Drag the shapes in, right to left: start, two steps of staff, a decision, the manager's
  // approval in the second lane, the end.
  const box = (await canvas(page).boundingBox())!;
  const col = (f: number) => box.x + box.width * f;
  const row1 = staffLane.y + staffLane.height / 2;
  const row2 = managerLane.y + managerLane.height / 2;
  const start = await dropFromPalette(page, "start", { x: col(0.9), y: row1 });
  const receive = await dropFromPalette(page, "task", { x: col(0.76), y: row1 });
  await nameSelected(page, "استلام الطلب", "Receive the request");
  const study = await dropFromPalette(page, "task", { x: col(0.6), y: row1 });
  await nameSelected(page, "دراسة الطلب", "Study the request");
  await page.getByTestId("field-estimatedMinutes").fill("15");
  const decision = await dropFromPalette(page, "decision", { x: col(0.45), y: row1 });
  await nameSelected(page, "هل المبلغ كبير؟", "Large amount?");
  const approve = await dropFromPalette(page, "document", { x: col(0.45), y: row2 });
  await nameSelected(page, "اعتماد المدير", "Manager approval");
  const end = await dropFromPalette(page, "end", { x: col(0.25), y: row1 });
  // Each shape joined the lane it was dropped in.
  await shape(page, approve).click();
  await expect(page.getByTestId("field-lane")).toHaveValue("مدير القسم");
  await shape(page, study).click();
  await expect(page.getByTestId("field-lane")).toHaveValue("الموظفون");

  // Unconnected shapes are problems, marked on the canvas.
  const problems = page.getByTestId("designer-problem-list");
  await expect(problems).toContainText("لا يخرج أي رابط من «استلام الطلب»");
  await expect(shape(page, receive).locator(".masar-shape.has-error")).toBeVisible();

  await connect(page, start, "left", receive, "right");
  await connect(page, receive, "left", study, "right");
  await connect(page, study, "left", decision, "right");
  await connect(page, decision, "left", end, "right"); // the decision's first way out: its default
  await connect(page, decision, "bottom", approve, "top");
  await connect(page, approve, "left", end, "bottom");
  await expect(links(page)).toHaveCount(6);

  // The second way out of the decision has no condition yet: an error, on the canvas too.
  const missing = problems.getByRole("button", { name: /يخرج من نقطة قرار ويحتاج إلى شرط/ });
  await expect(missing).toBeVisible();
  await expect(page.locator(".masar-link.has-error")).toHaveCount(1);
  await expect(page.getByTestId("problems-errors")).toHaveText("خطأ واحد");
  await page.getByTestId("publish-open").click();
  await expect(page.getByTestId("publish-blocked")).toContainText("يوجد خطأ واحد");
  await expect(page.getByTestId("publish-confirm")).toBeDisabled();
  await page.getByRole("button", { name: "إلغاء" }).click();

  // Choosing the problem selects the connection; its FEEL condition is written, checked and tried.
  await missing.click();
  const condition = page.getByTestId("edge-condition");
  await condition.fill("amount >");
  await expect(page.getByText(/خطأ في صياغة الشرط/)).toBeVisible();
  await condition.fill("amount > 1000");
  await expect(page.getByTestId("condition-ok")).toHaveText("صياغة الشرط سليمة.");
  await page.getByTestId("condition-sample").fill('{"amount": 1500}');
  await page.getByTestId("condition-test").click();
  await expect(page.getByTestId("condition-result")).toHaveText("يتحقق (صحيح)");
  await page.getByTestId("condition-sample").fill('{"amount": 200}');
  await page.getByTestId("condition-test").click();
  await expect(page.getByTestId("condition-result")).toHaveText("لا يتحقق (خطأ)");
  await expect(page.getByTestId("problems-none")).toBeVisible();
  await expect(page.locator(".masar-link.has-error")).toHaveCount(0);
  await expect(page.getByTestId("save-status")).toHaveText(/حُفظت المسودة الساعة/);
  await expectAccessible(page, "designer with a drawn flow");

  // Test run: the conditions decide; a large amount goes to the manager.
  await page.getByTestId("test-run-toggle").click();
  const run = page.getByTestId("test-run-panel");
  await run.getByRole("textbox", { name: /بيانات تجريبية/ }).fill('{"amount": 1500}');
  await run.getByRole("switch", { name: /التوقف عند القرارات/ }).uncheck();
  await page.getByTestId("test-run-start").click();
  for (const step of ["استلام الطلب", "دراسة الطلب", "اعتماد المدير"]) {
    const card = page.getByTestId("test-run-waiting").filter({ hasText: step });
    await card.getByRole("button", { name: "إتمام الخطوة" }).click();
  }
  await expect(page.getByTestId("test-run-status")).toHaveText("اكتمل المسار");
  await expect(shape(page, approve).locator(".masar-shape.is-visited")).toBeVisible();
  await page.getByTestId("test-run-toggle").click();

  // The same flow as the service card's steps table: the three steps, in flow order, with their lanes.
  await page.getByTestId("designer-view").getByText("جدول الخطوات").click();
  const table = page.getByTestId("steps-table-editor");
  await expect(table.locator("tbody tr")).toHaveCount(3);
  expect(await table.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-node-id")))).toEqual([receive, study, approve]);
  for (const [n, step] of [["١", "استلام الطلب"], ["٢", "دراسة الطلب"], ["٣", "اعتماد المدير"]] as const) {
    await expect(table.getByRole("textbox", { name: `الخطوة ${n}: الخطوة` })).toHaveValue(step);
  }
  await expect(table.getByRole("combobox", { name: "الخطوة ٣: المسؤولية" })).toHaveValue("lane_2");
  await expect(page.getByTestId("steps-total-count")).toContainText("٣");
  // An edit in the table is an edit of the node.
  await table.getByRole("textbox", { name: "الخطوة ١: الخطوة" }).fill("استلام الطلب وتدقيقه");
  await table.getByRole("textbox", { name: "الخطوة ١: الخطوة" }).press("Enter");
  await page.getByTestId("designer-view").getByText("المخطط").click();
  await expect(shape(page, receive)).toContainText("استلام الطلب وتدقيقه");

  // Publish with a change note: saved first, then version 1; the page then shows it read-only.
  await page.getByTestId("publish-open").click();
  await page.getByTestId("publish-note").fill("أول إصدار مرسوم في المصمم");
  await page.getByTestId("publish-confirm").click();
  await expect(page.getByTestId("published")).toHaveText("نُشر بوصفه الإصدار ١.");
  await expect(page.getByTestId("no-draft")).toContainText("لا توجد مسودة لهذا المسار");
  await expect(page.getByTestId("designer-palette")).toHaveCount(0);
  await page.goto(definitionPath);
  const version = page.getByTestId("versions-table").locator("tr", { hasText: "الإصدار ١" });
  await expect(version).toContainText("منشور");
  await expect(version).toContainText("أول إصدار مرسوم في المصمم");
  await context.close();

  // A member of staff starts a case of the new service; its first task is the first step.
  const staff = await wideContext(browser, DEMO.social.staff);
  await staff.page.goto(`/app/${ORG}/cases/new?definition=${key}`);
  await expect(staff.page.getByText("تبدأ المعاملة عند: استلام الطلب وتدقيقه")).toBeVisible();
  await staff.page.locator('input[name="title"]').fill("طلب إعانة — أسرة العتيبي");
  await staff.page.getByRole("button", { name: "بدء المعاملة" }).click();
  await staff.page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
  await expect(staff.page.getByTestId("case-open-tasks")).toContainText("استلام الطلب وتدقيقه");
  await staff.context.close();
});

test("a BPMN file opens on the canvas with its lanes and layout", async ({ browser }) => {
  const { context, page } = await wideContext(browser, DEMO.social.admin);
  const key = `bpmn-designer-${Date.now().toString(36)}`;
  await page.goto(WORKFLOWS);
  await page.locator('input[name="file"]').setInputFiles("test/fixtures/bpmn/social-aid-request.bpmn");
  await page.getByLabel("المفتاح (اختياري)").fill(key);
  await page.getByRole("button", { name: "استيراد", exact: true }).click();
  await page.getByRole("link", { name: "فتح المسودة" }).click();
  await page.waitForURL(/\/admin\/workflows\/[0-9a-f-]{36}\?imported=1$/);
  await page.getByTestId("open-designer").click();
  await page.waitForURL(/\/design$/);

  // The file's three lanes, in order, with their names; every shape inside its lane's band.
  const lanes = page.locator(".masar-lane");
  await expect(lanes).toHaveCount(3);
  const names = page.locator(".masar-lane__name");
  await expect(names.nth(0)).toHaveText("مركز خدمة المستفيدين");
  await expect(names.nth(1)).toHaveText("الباحث الاجتماعي");
  const bands = await lanes.evaluateAll((els) => els.map((el) => ({ id: el.getAttribute("data-lane-id"), ...el.getBoundingClientRect().toJSON() })));
  expect(bands.map((b) => b.top)).toEqual([...bands.map((b) => b.top)].sort((a, b) => a - b));
  await expect(shape(page, "Activity_visit")).toContainText("زيارة ميدانية");
  // The layout is the file's: the field visit lies below the reception's first step (its lane is lower).
  const receive = (await shape(page, "Activity_receive").boundingBox())!;
  const visit = (await shape(page, "Activity_visit").boundingBox())!;
  expect(visit.y).toBeGreaterThan(receive.y + receive.height);
  await shape(page, "Activity_visit").click();
  await expect(page.getByTestId("field-lane")).toHaveValue("الباحث الاجتماعي");
  // The imported connections with their bends are drawn, with the decision's conditions.
  await expect(links(page)).not.toHaveCount(0);
  await expect(page.locator(".masar-link__label").first()).toBeVisible();
  await context.close();
});

test("the designer in English", async ({ browser }) => {
  const { context, page } = await wideContext(browser, DEMO.social.admin, "en");
  // ?lng=en: this page in English without storing the choice on the (shared) demo admin.
  await page.goto(`${WORKFLOWS}?lng=en`);
  // Picked by its key: other specs import copies with the same name.
  const href = await page.getByRole("row").filter({ hasText: "certificate-to-whom" }).getByTestId("workflow-link").getAttribute("href");
  await page.goto(`${href}/design?lng=en`);
  await expectEnglish(page);
  await expect(page.getByRole("heading", { level: 1, name: "Designer: Issue a to-whom-it-may-concern certificate" })).toBeVisible();
  await expect(shapes(page).first()).toBeVisible();
  await expect(page.locator(".masar-lane__name").first()).toHaveText("Customer service employee");
  await page.getByTestId("shortcuts-help").click();
  await expect(page.getByText("Keyboard shortcuts")).toBeVisible();
  await page.keyboard.press("Escape");
  await expectAccessible(page, "designer (en)");
  await context.close();
});
