import { expect, type Browser, type Locator, type Page } from "@playwright/test";
import { login } from "./helpers";

// Helpers for the visual designer specs: a wide window (palette, canvas and properties side
// by side), drag and drop from the palette (HTML5 drag events, which Playwright drives in
// Chromium through the mouse), and connecting two shapes by dragging from a connection
// point of one to a connection point of the other.

export const WIDE = { width: 1680, height: 1000 };

export async function wideContext(browser: Browser, email: string, locale: "ar" | "en" = "ar") {
  const context = await browser.newContext({ viewport: WIDE, locale });
  const page = await context.newPage();
  await login(page, email);
  return { context, page };
}

/** Creates a workflow draft from Administration → workflows; returns the new definition's page path. */
export async function createWorkflowDraft(page: Page, org: string, key: string, ar: string, en: string): Promise<string> {
  await page.goto(`/app/${org}/admin/workflows`);
  await page.locator('input[name="name_ar"]').fill(ar);
  await page.locator('input[name="name_en"]').fill(en);
  await page.getByRole("textbox", { name: "المفتاح", exact: true }).fill(key);
  await page.getByRole("button", { name: "إنشاء المسودة" }).click();
  await page.waitForURL(/\/admin\/workflows\/[0-9a-f-]{36}\?created=1$/);
  return new URL(page.url()).pathname;
}

export const canvas = (page: Page) => page.getByTestId("designer-canvas");
export const shape = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
export const shapes = (page: Page) => page.locator(".react-flow__node");

async function centre(l: Locator): Promise<{ x: number; y: number }> {
  const box = await l.boundingBox();
  if (!box) throw new Error("element not visible");
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** The screen band of a lane (its background rectangle on the canvas). */
export async function laneBand(page: Page, laneId: string) {
  const box = await page.locator(`.masar-lane[data-lane-id="${laneId}"]`).boundingBox();
  if (!box) throw new Error(`lane ${laneId} not drawn`);
  return box;
}

/**
 * Drags a palette entry onto the canvas at a screen point; returns the new node's id (a new
 * node is selected).
 */
export async function dropFromPalette(page: Page, entry: string, at: { x: number; y: number }): Promise<string> {
  const before = await shapes(page).count();
  const box = (await canvas(page).boundingBox())!;
  await page.locator(`[data-palette-entry="${entry}"]`).dragTo(canvas(page), { targetPosition: { x: at.x - box.x, y: at.y - box.y } });
  await expect(shapes(page)).toHaveCount(before + 1);
  const id = await page.locator(".react-flow__node.selected").getAttribute("data-id");
  if (!id) throw new Error("the dropped node is not selected");
  return id;
}

/** Names the selected node in both languages through the properties panel. */
export async function nameSelected(page: Page, ar: string, en: string): Promise<void> {
  // The properties panel follows the selection a moment later (it renders from deferred
  // state): on a busy machine the first fill may reach the panel of the shape selected before.
  await expect(async () => {
    await page.getByTestId("field-name-ar").fill(ar);
    await page.getByTestId("field-name-en").fill(en);
    await expect(page.locator(".react-flow__node.selected")).toContainText(ar, { timeout: 2000 });
  }).toPass({ timeout: 20_000 });
}

type Side = "top" | "right" | "bottom" | "left";

/** Drags from one shape's connection point to another's. */
export async function connect(page: Page, from: string, fromSide: Side, to: string, toSide: Side): Promise<void> {
  await shape(page, from).hover();
  const a = await centre(shape(page, from).locator(`.react-flow__handle[data-handleid="${fromSide}"]`));
  const b = await centre(shape(page, to).locator(`.react-flow__handle[data-handleid="${toSide}"]`));
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
}

export const links = (page: Page) => page.locator(".react-flow__edge");
