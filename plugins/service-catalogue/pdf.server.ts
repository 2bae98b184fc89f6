import { existsSync } from "node:fs";
import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import css from "./ui/documents.css?raw";

// "Download as PDF": when a Chromium is installed on the server, the document (the same React
// components as the print page, rendered to static HTML with its stylesheet inline) is
// printed to an A4 PDF through playwright-core. Without one, the pages say that the browser's
// Print → Save as PDF gives the same document; nothing here pretends otherwise.

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

/** The browser binary the server can print with, or null. */
export function chromiumPath(): string | null {
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** Whether "download as PDF" works here: a browser binary and the playwright-core library. */
export async function pdfAvailable(): Promise<boolean> {
  if (!chromiumPath()) return false;
  try {
    await import("playwright-core");
    return true;
  } catch {
    return false;
  }
}

export function documentHtml(element: ReactElement, lang: "ar" | "en", title: string): string {
  const body = renderToStaticMarkup(element);
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  return `<!doctype html><html lang="${lang}" dir="${lang === "ar" ? "rtl" : "ltr"}"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${css}</style></head><body>${body}</body></html>`;
}

/** Prints the HTML to an A4 PDF (landscape unless `portrait`). The page loads nothing from outside. */
export async function htmlToPdf(html: string, options: { portrait?: boolean } = {}): Promise<Uint8Array> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error("no Chromium on this server");
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu"],
  });
  try {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      offline: true,
    });
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: "load", timeout: 15_000 });
    const pdf = await page.pdf({
      format: "A4",
      landscape: !options.portrait,
      printBackground: true,
      preferCSSPageSize: false,
      margin: { top: "12mm", bottom: "12mm", left: "10mm", right: "10mm" },
    });
    return new Uint8Array(pdf);
  } finally {
    await browser.close();
  }
}
