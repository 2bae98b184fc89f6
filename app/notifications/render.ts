import i18next, { type TFunction } from "i18next";
import ar from "~/locales/ar/notifications.json";
import en from "~/locales/en/notifications.json";
import { formatDateTime, formatNumber, type DisplayPrefs } from "~/utils/format";
import { kindKey } from "./kinds";

// Notification texts, rendered per reader: the bell renders stored (kind, params) in the
// language the member reads today; emails are rendered once, in the recipient's language, when
// they are queued. A private i18next instance (only this namespace, synchronous init) so the
// job workers and notify() render without a request.

const instance = i18next.createInstance();
void instance.init({
  resources: { ar: { notifications: ar }, en: { notifications: en } },
  lng: "ar",
  fallbackLng: "ar",
  ns: ["notifications"],
  defaultNS: "notifications",
  initAsync: false,
  // Plain text out; HTML is escaped as a whole afterwards (renderEmail). skipOnVariables keeps a
  // param such as "{{x}}" or "$t(y)" from being interpolated or nested a second time.
  interpolation: { escapeValue: false, skipOnVariables: true },
  // A missing param shows as an empty place rather than "{{name}}".
  missingInterpolationHandler: () => "",
  returnNull: false,
});

export type Params = Record<string, string | number>;

function fixedT(locale: "ar" | "en"): TFunction {
  return instance.getFixedT(locale, "notifications");
}

// First-strong isolates around every value: a reference like "2026-000042" or an English name
// keeps its own order inside an Arabic sentence (and the reverse), in the bell and in mail.
const isolate = (value: string) => (value === "" ? "" : `\u2068${value}\u2069`);

/** Params as the reader sees them: bilingual pairs resolved, instants and numbers formatted, each isolated. */
export function localiseParams(params: Params, prefs: DisplayPrefs): Record<string, string> {
  const out: Record<string, string> = {};
  const other = prefs.locale === "ar" ? "en" : "ar";
  for (const [name, value] of Object.entries(params)) {
    const pair = /^(.+)_(ar|en)$/.exec(name);
    if (pair) {
      const base = pair[1]!;
      // The reader's language wins; the other one fills in when it is missing or empty.
      const mine = params[`${base}_${prefs.locale}`];
      const theirs = params[`${base}_${other}`];
      out[base] = String(mine !== undefined && mine !== "" ? mine : (theirs ?? ""));
      continue;
    }
    if (typeof value === "number") out[name] = formatNumber(value, prefs);
    else if (name.endsWith("_at") && !Number.isNaN(Date.parse(value))) out[name] = formatDateTime(value, prefs);
    // A day (YYYY-MM-DD) is the same day everywhere: formatted at noon UTC, in the organisation's calendar and digits.
    else if (name.endsWith("_on") && /^\d{4}-\d{2}-\d{2}$/.test(value)) out[name] = formatDateTime(`${value}T12:00:00Z`, { ...prefs, timeZone: "UTC" }, "date");
    else out[name] = value;
  }
  return Object.fromEntries(Object.entries(out).map(([name, value]) => [name, isolate(value)]));
}

export interface RenderedNotification {
  title: string;
  body: string;
}

/** Title and body of one notification in the reader's language (plain text). */
export function renderNotification(kind: string, params: Params, prefs: DisplayPrefs): RenderedNotification {
  const t = fixedT(prefs.locale);
  const values = localiseParams(params, prefs);
  // An unknown kind (texts not written yet) gets the generic texts, never a raw key.
  const known = instance.exists(kindKey(kind, "title"), { lng: prefs.locale, ns: "notifications" });
  const key = (part: "title" | "body") => (known ? kindKey(kind, part) : `kind.other.${part}`);
  const render = (part: "title" | "body") => t(key(part), { ...values, defaultValue: "" });
  return { title: render("title"), body: render("body") };
}

/** The kind's name for the preference form. */
export function kindName(kind: string, locale: "ar" | "en"): string {
  return fixedT(locale)(`kindName.${kind}`, { defaultValue: fixedT(locale)("kindName.other") });
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

export interface EmailInput {
  kind: string;
  params: Params;
  /** Absolute URL of the notification's page, when the platform knows its public address. */
  url?: string | null;
  settingsUrl?: string | null;
  recipientName: string;
  orgName: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * The mail in the recipient's language. Every piece of text (template and params alike) is
 * escaped when it goes into the HTML; only the fixed skeleton below is markup. Arabic mails are
 * dir="rtl" with an Arabic lang attribute so mail clients align and shape them correctly.
 */
export function renderEmail(input: EmailInput, prefs: DisplayPrefs): RenderedEmail {
  const t = fixedT(prefs.locale);
  const { title, body } = renderNotification(input.kind, input.params, prefs);
  // A subject is one header line: no line breaks from params.
  const subject = title.replace(/[\r\n\t]+/g, " ").trim().slice(0, 900) || t("kind.other.title");
  const greeting = t("email.greeting", { name: input.recipientName });
  const footer = t("email.footer", { org: input.orgName });
  const open = t("email.open");
  const settings = t("email.settingsLink");
  const text = [greeting, "", body, "", ...(input.url ? [`${open}: ${input.url}`, ""] : []), "--", footer, ...(input.settingsUrl ? [`${settings}: ${input.settingsUrl}`] : [])].join("\n");

  const dir = prefs.locale === "ar" ? "rtl" : "ltr";
  const align = dir === "rtl" ? "right" : "left";
  const link = (url: string, label: string, style: string) => `<a href="${escapeHtml(url)}" style="${style}">${escapeHtml(label)}</a>`;
  const html = `<!doctype html>
<html lang="${prefs.locale}" dir="${dir}">
<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:24px;background:#f4f6f8;font-family:Tahoma,Arial,sans-serif;color:#1f2933;">
<div dir="${dir}" style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px;text-align:${align};line-height:1.7;">
<p style="margin:0 0 4px;color:#0b7285;font-weight:bold;">${escapeHtml(input.orgName)}</p>
<h1 style="font-size:20px;margin:0 0 16px;">${escapeHtml(title)}</h1>
<p style="margin:0 0 8px;">${escapeHtml(greeting)}</p>
<p style="margin:0 0 16px;">${escapeHtml(body)}</p>
${input.url ? `<p style="margin:0 0 16px;">${link(input.url, open, "display:inline-block;background:#0b7285;color:#ffffff;padding:8px 16px;border-radius:4px;text-decoration:none;")}</p>\n` : ""}<hr style="border:none;border-top:1px solid #e3e8ee;margin:16px 0;">
<p style="margin:0;font-size:12px;color:#52606d;">${escapeHtml(footer)}${input.settingsUrl ? ` ${link(input.settingsUrl, settings, "color:#0b7285;")}` : ""}</p>
</div>
</body>
</html>
`;
  return { subject, text, html };
}
