import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

// One accessibility check for every spec: WCAG 2.1 A/AA rules through axe-core; serious and
// critical findings fail the test, and the report names the rule and the elements.

interface Options {
  /** Wait for the network to go quiet first (default). Pages that keep a request open say false. */
  idle?: boolean;
  /** Parts axe cannot look into (a sandboxed frame without scripts); check them another way. */
  exclude?: string;
}

export async function expectAccessible(page: Page, label: string, options: Options = {}): Promise<void> {
  if (options.idle ?? true) await page.waitForLoadState("networkidle");
  await settled(page);
  let builder = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]);
  if (options.exclude) builder = builder.exclude(options.exclude);
  const results = await builder.analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = serious.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.map((n) => n.target.join(" ")).join("\n    ")}`);
  expect(report, `${label}: accessibility violations`).toEqual([]);
}

/**
 * A dialog that is still fading in is measured half transparent, and its text fails the contrast
 * rule. Mantine starts a transition a frame after the dialog mounts, so waiting for running
 * animations alone can pass too early: wait until every open dialog and its ancestors are opaque
 * and no finite animation is running.
 */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const opaque = (element: Element | null): boolean => {
      for (let node = element; node; node = node.parentElement) if (Number(getComputedStyle(node).opacity) < 1) return false;
      return true;
    };
    const running = document
      .getAnimations()
      .some((a) => a.playState === "running" && a.effect?.getComputedTiming().endTime !== Infinity);
    return !running && [...document.querySelectorAll('[role="dialog"], [role="alertdialog"]')].every(opaque);
  });
}
