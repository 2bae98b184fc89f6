import { describe, expect, it } from "vitest";
import arAudit from "~/locales/ar/audit.json";
import ar from "~/locales/ar/notifications.json";
import enAudit from "~/locales/en/audit.json";
import en from "~/locales/en/notifications.json";
import type { DisplayPrefs } from "~/utils/format";
import { isSafeLink, kindKey, NOTIFICATION_KINDS } from "./kinds";
import { escapeHtml, kindName, localiseParams, renderEmail, renderNotification } from "./render";

const AR: DisplayPrefs = { locale: "ar", digits: "arab", calendar: "gregory", timeZone: "Asia/Riyadh" };
const EN: DisplayPrefs = { locale: "en", digits: "latn", calendar: "gregory", timeZone: "Asia/Riyadh" };
/** Every param comes wrapped in first-strong isolates (FSI … PDI). */
const i = (value: string) => `\u2068${value}\u2069`;

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe("notification texts", () => {
  it("have the same keys in Arabic and English, and texts for every kind", () => {
    expect(keys(en).sort()).toEqual(keys(ar).sort());
    for (const kind of NOTIFICATION_KINDS) {
      for (const part of ["title", "body"] as const) expect(keys(ar)).toContain(kindKey(kind, part));
      expect(keys(ar)).toContain(`kindName.${kind}`);
    }
  });

  it("name the preference change in the audit log in both languages", () => {
    for (const audit of [arAudit, enAudit]) expect((audit.actionLabels as Record<string, string>)["notification_preferences.update"]).toMatch(/\S/);
  });

  it("render in each reader's language with bilingual params resolved", () => {
    const params = { task_ar: "مراجعة الطلب", task_en: "Review the request", reference: "2026-000042" };
    expect(renderNotification("task.assigned", params, AR)).toEqual({
      title: `مهمة جديدة: ${i("مراجعة الطلب")}`,
      body: `أُسندت إليك المهمة «${i("مراجعة الطلب")}» في المعاملة ${i("2026-000042")}.`,
    });
    expect(renderNotification("task.assigned", params, EN).title).toBe(`New task: ${i("Review the request")}`);
    // A missing translation falls back to the other language rather than an empty place.
    expect(renderNotification("task.assigned", { task_ar: "مراجعة", reference: "R-1" }, EN).title).toBe(`New task: ${i("مراجعة")}`);
  });

  it("format numbers with the organisation's digits and instants in its zone", () => {
    expect(renderNotification("sla.escalated", { reference: "R-7", level: 2, task_ar: "تدقيق", task_en: "Audit" }, AR).title).toBe(`تصعيد (المستوى ${i("٢")}): المعاملة ${i("R-7")}`);
    expect(renderNotification("sla.escalated", { reference: "R-7", level: 2, task_ar: "تدقيق", task_en: "Audit" }, EN).title).toBe(`Escalation (level ${i("2")}): case ${i("R-7")}`);
    const values = localiseParams({ due_at: "2026-03-01T09:00:00Z", percent: 75 }, AR);
    expect(values.percent).toBe(i("٧٥"));
    expect(values.due_at).toMatch(/١٢/); // 12:00 in Riyadh, Arabic digits
    // A day (…_on) is that day in any zone, as a date without a time.
    expect(localiseParams({ end_on: "2026-03-12" }, { ...EN, timeZone: "Pacific/Kiritimati" }).end_on).toBe(i("12 Mar 2026"));
    expect(localiseParams({ end_on: "2026-03-12" }, AR).end_on).toMatch(/١٢.*٢٠٢٦/);
    expect(localiseParams({ end_on: "soon" }, EN).end_on).toBe(i("soon"));
  });

  it("never interpolate a param twice and never leave raw placeholders or keys", () => {
    const tricky = renderNotification("case.cancelled", { reference: "{{reason}}", reason: "$t(kind.other.title)" }, EN);
    expect(tricky.title).toBe(`Case ${i("{{reason}}")} cancelled`);
    expect(tricky.body).toBe(`Case ${i("{{reason}}")} was cancelled. Reason: ${i("$t(kind.other.title)")}`);
    expect(renderNotification("case.cancelled", {}, AR).title).toBe("أُلغيت المعاملة ");
    expect(renderNotification("plugin.unknown_kind", {}, AR)).toEqual({ title: "إشعار جديد", body: "لديك إشعار جديد في مسار." });
    expect(kindName("sla.breached", "en")).toBe("A deadline is missed");
    expect(kindName("plugin.unknown_kind", "ar")).toBe("إشعارات أخرى");
  });
});

describe("emails", () => {
  const input = { kind: "case.cancelled", params: { reference: "R-9", reason: '<script>alert("x")</script> & <b>' }, recipientName: "سارة <img src=x onerror=alert(1)>", orgName: "جهة & شركاه", url: "https://masar.example/app/org/cases/1?a=1&b=2", settingsUrl: null };

  it("escape every text in the HTML, keep the plain text as written", () => {
    const mail = renderEmail(input, AR);
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).not.toContain("<img");
    expect(mail.html).not.toContain("<b>");
    expect(mail.html).toContain(i("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;"));
    expect(mail.html).toContain("جهة &amp; شركاه");
    expect(mail.html).toContain("سارة &lt;img src=x onerror=alert(1)&gt;");
    expect(mail.html).toContain('href="https://masar.example/app/org/cases/1?a=1&amp;b=2"');
    expect(mail.text).toContain(i('<script>alert("x")</script> & <b>'));
    expect(mail.text).toContain("فتح في مسار: https://masar.example/app/org/cases/1?a=1&b=2");
  });

  it("are right-to-left in Arabic and left-to-right in English", () => {
    const arMail = renderEmail(input, AR);
    const enMail = renderEmail(input, EN);
    expect(arMail.html).toMatch(/<html lang="ar" dir="rtl">/);
    expect(arMail.html).toContain("text-align:right");
    expect(arMail.subject).toBe(`أُلغيت المعاملة ${i("R-9")}`);
    expect(arMail.text.startsWith("مرحبًا سارة")).toBe(true);
    expect(enMail.html).toMatch(/<html lang="en" dir="ltr">/);
    expect(enMail.subject).toBe(`Case ${i("R-9")} cancelled`);
    expect(enMail.text).toContain(`Reason: ${i('<script>alert("x")</script> & <b>')}`);
  });

  it("keep line breaks out of the subject and leave links out when there is no public address", () => {
    const mail = renderEmail({ ...input, url: null, params: { reference: "R-1\r\nBcc: victim@example.com", reason: "x" } }, EN);
    expect(mail.subject).toBe(`Case ${i("R-1 Bcc: victim@example.com")} cancelled`);
    expect(mail.html).not.toContain("<a ");
    expect(mail.text).not.toContain("Open in Masar");
  });

  it("escapeHtml covers the five HTML characters", () => {
    expect(escapeHtml(`<a href='x'>"&"</a>`)).toBe("&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;");
  });
});

describe("links", () => {
  it("stay inside the organisation", () => {
    expect(isSafeLink("cases/0b1c")).toBe(true);
    expect(isSafeLink("tasks/1?tab=form")).toBe(true);
    for (const bad of ["/cases/1", "https://x.example", "//x.example", "cases/../../admin", "javascript:alert(1)", "Cases/1", "cases/1#<x>"]) expect(isSafeLink(bad)).toBe(false);
  });
});
