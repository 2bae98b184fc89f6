import { afterAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createDb, withPlatform, withTenant, type Db } from "~/utils/db.server";
import { env, overrideEnv } from "~/utils/env.server";
import { listNotifications, markAllRead, markRead, notify, unreadCount, type NotifyInput } from "~/models/notifications.server";
import { getEmailChoices, saveEmailChoices } from "~/models/notification-preferences.server";
import { listOutbox, MAX_ATTEMPTS, retryDelaySeconds, sendDueEmails, sendNextEmail, smtpTransport, startMailWorker, stopMailWorker } from "~/models/email-outbox.server";
import { makeOrg, testDb, type TestOrg } from "./helpers";
import { startSmtpServer } from "./smtp-server";

const pools: { db: Db }[] = [];
function otherPool(): Db {
  const created = createDb(inject("appUrl"), { max: 3 });
  pools.push(created);
  return created.db;
}
afterAll(async () => {
  for (const p of pools) await p.db.destroy();
});

function assigned(t: TestOrg, userIds: string[], key = "task:1:assigned"): NotifyInput {
  return { orgId: t.org.id, userIds, kind: "task.assigned", params: { task_ar: "مراجعة الطلب", task_en: "Review the request", reference: "2026-000042" }, link: "cases/abc", dedupeKey: key };
}

/** Params come wrapped in first-strong isolates (FSI … PDI). */
const i = (value: string) => `\u2068${value}\u2069`;

const scope = (t: TestOrg, userId = t.admin.id) => ({ orgId: t.org.id, userId });

async function outbox(t: TestOrg) {
  return withTenant(testDb(), scope(t), (trx) => trx.selectFrom("email_outbox").selectAll().where("org_id", "=", t.org.id).orderBy("to_address").execute());
}

async function countNotifications(t: TestOrg) {
  return withTenant(testDb(), scope(t), (trx) => trx.selectFrom("notifications").select(["user_id", "kind", "read_at"]).where("org_id", "=", t.org.id).execute());
}

describe("notify", () => {
  it("notifies each recipient once per dedupe key", async () => {
    const t = await makeOrg();
    const users = [t.admin.id, t.manager.id, t.staff.id];
    const first = await withTenant(testDb(), scope(t), (trx) => notify(trx, assigned(t, users)));
    const second = await withTenant(testDb(), scope(t), (trx) => notify(trx, assigned(t, [...users, t.admin.id])));
    expect(first.created).toBe(3);
    expect(second.created).toBe(0);
    expect(await countNotifications(t)).toHaveLength(3);
    expect(await outbox(t)).toHaveLength(3);
    // A different event for the same people is a new notification.
    const other = await withTenant(testDb(), scope(t), (trx) => notify(trx, assigned(t, [t.staff.id], "task:2:assigned")));
    expect(other.created).toBe(1);
    expect(await withTenant(testDb(), scope(t), (trx) => unreadCount(trx, t.org.id, t.staff.id))).toBe(2);
  });

  it("two concurrent calls from two pools insert one row per recipient", async () => {
    const t = await makeOrg();
    const users = [t.admin.id, t.manager.id];
    const a = otherPool();
    const b = otherPool();
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstInserted!: () => void;
    const inserted = new Promise<void>((resolve) => (firstInserted = resolve));
    const one = withTenant(a, scope(t), async (trx) => {
      const result = await notify(trx, assigned(t, users, "sla:clock-1:level:1"));
      firstInserted();
      await firstHolds; // still uncommitted while the second call runs
      return result;
    });
    await inserted;
    const two = withTenant(b, scope(t), (trx) => notify(trx, assigned(t, users, "sla:clock-1:level:1")));
    // The second waits on the first's uncommitted unique keys; let it block, then commit the first.
    await new Promise((r) => setTimeout(r, 200));
    releaseFirst();
    const results = await Promise.all([one, two]);
    expect(results.map((r) => r.created).sort()).toEqual([0, 2]);
    expect(await countNotifications(t)).toHaveLength(2);
    expect(await outbox(t)).toHaveLength(2);
  });

  it("queues mail only for members who want it, in each one's language", async () => {
    const t = await makeOrg();
    await withPlatform(testDb(), (trx) => trx.updateTable("users").set({ locale: "en" }).where("id", "=", t.manager.id).execute());
    await withTenant(testDb(), scope(t, t.staff.id), (trx) =>
      saveEmailChoices(trx, { orgId: t.org.id, actorUserId: t.staff.id, actorLabel: t.staff.email, requestId: null, ip: null }, { "task.assigned": false, "sla.breached": true }),
    );
    const result = await withTenant(testDb(), scope(t), (trx) => notify(trx, assigned(t, [t.admin.id, t.manager.id, t.staff.id])));
    expect(result.created).toBe(3);
    const mails = await outbox(t);
    expect(mails.map((m) => m.to_address).sort()).toEqual([t.admin.email, t.manager.email].sort());
    const ar = mails.find((m) => m.to_address === t.admin.email)!;
    const en = mails.find((m) => m.to_address === t.manager.email)!;
    expect(ar.locale).toBe("ar");
    expect(ar.subject).toBe(`مهمة جديدة: ${i("مراجعة الطلب")}`);
    expect(ar.body_html).toContain('dir="rtl"');
    expect(ar.body_text).toContain(`مرحبًا admin ${t.org.slug}،`);
    expect(ar.body_text).toContain(`أُسندت إليك المهمة «${i("مراجعة الطلب")}» في المعاملة ${i("2026-000042")}.`);
    expect(en.locale).toBe("en");
    expect(en.subject).toBe(`New task: ${i("Review the request")}`);
    expect(en.body_html).toContain('dir="ltr"');
    expect(en.status).toBe("queued");
    // The staff member still has the in-app notification.
    expect(await withTenant(testDb(), scope(t), (trx) => unreadCount(trx, t.org.id, t.staff.id))).toBe(1);
    // The form sends every kind (unchecked = off); choices read back, the audit trail has what changed.
    const choices = await withTenant(testDb(), scope(t), (trx) => getEmailChoices(trx, t.org.id, t.staff.id));
    expect(choices["task.assigned"]).toBe(false);
    expect(choices["sla.breached"]).toBe(true);
    expect(choices["sla.escalated"]).toBe(false);
    const audit = await withTenant(testDb(), scope(t), (trx) => trx.selectFrom("audit_log").select(["action", "before", "after"]).where("org_id", "=", t.org.id).where("action", "=", "notification_preferences.update").execute());
    expect(audit).toHaveLength(1);
    const off = ["task.assigned", "sla.warning", "sla.escalated", "task.due_soon", "case.cancelled", "agreement.review_due", "agreement.cancellation_due", "agreement.meeting_due"];
    expect(audit[0]!.before).toEqual(Object.fromEntries(off.map((kind) => [kind, true])));
    expect(audit[0]!.after).toEqual(Object.fromEntries(off.map((kind) => [kind, false])));
  });

  it("skips people who are not active members and refuses links that leave the organisation", async () => {
    const t = await makeOrg();
    const stranger = await makeOrg();
    await withPlatform(testDb(), (trx) => trx.updateTable("memberships").set({ disabled_at: new Date() }).where("org_id", "=", t.org.id).where("user_id", "=", t.staff.id).execute());
    const result = await withTenant(testDb(), scope(t), (trx) => notify(trx, assigned(t, [t.admin.id, t.staff.id, stranger.admin.id])));
    expect(result.created).toBe(1);
    for (const link of ["/cases/x", "https://evil.example/", "//evil.example", "cases/../../x", "javascript:alert(1)"]) {
      await expect(withTenant(testDb(), scope(t), (trx) => notify(trx, { ...assigned(t, [t.admin.id], `k-${link}`), link }))).rejects.toThrow(/link/);
    }
    // Another organisation's scope cannot write this organisation's notifications (RLS).
    await expect(withTenant(testDb(), scope(stranger, stranger.admin.id), (trx) => notify(trx, assigned(t, [t.admin.id], "x")))).resolves.toEqual({ created: 0 });
  });

  it("lists, marks one and marks all read — only the member's own", async () => {
    const t = await makeOrg();
    for (let i = 0; i < 3; i++) await withTenant(testDb(), scope(t), (trx) => notify(trx, assigned(t, [t.staff.id, t.manager.id], `task:${i}:assigned`)));
    const mine = await withTenant(testDb(), scope(t, t.staff.id), (trx) => listNotifications(trx, t.org.id, t.staff.id, { unreadOnly: true, limit: 2, offset: 0 }));
    expect(mine.total).toBe(3);
    expect(mine.rows).toHaveLength(2);
    // The manager cannot mark the staff member's notification read.
    expect(await withTenant(testDb(), scope(t, t.manager.id), (trx) => markRead(trx, t.org.id, t.manager.id, mine.rows[0]!.id))).toBe(false);
    expect(await withTenant(testDb(), scope(t, t.staff.id), (trx) => markRead(trx, t.org.id, t.staff.id, mine.rows[0]!.id))).toBe(true);
    expect(await withTenant(testDb(), scope(t), (trx) => unreadCount(trx, t.org.id, t.staff.id))).toBe(2);
    expect(await withTenant(testDb(), scope(t, t.staff.id), (trx) => markAllRead(trx, t.org.id, t.staff.id))).toBe(2);
    expect(await withTenant(testDb(), scope(t), (trx) => unreadCount(trx, t.org.id, t.staff.id))).toBe(0);
    expect(await withTenant(testDb(), scope(t), (trx) => unreadCount(trx, t.org.id, t.manager.id))).toBe(3);
    const all = await withTenant(testDb(), scope(t, t.staff.id), (trx) => listNotifications(trx, t.org.id, t.staff.id, { unreadOnly: false, limit: 10, offset: 0 }));
    expect(all.total).toBe(3);
  });
});

describe("email outbox sender", () => {
  it("sends every mail exactly once with two concurrent senders over SMTP", async () => {
    const t = await makeOrg();
    for (let i = 0; i < 6; i++) await withTenant(testDb(), scope(t), (trx) => notify(trx, assigned(t, [t.admin.id, t.manager.id, t.staff.id], `task:${i}:assigned`)));
    const server = await startSmtpServer({ delayMs: 20 });
    try {
      const url = server.url.replace("smtp://", "smtp://masar:secret-pass@");
      const [a, b] = await Promise.all([
        sendDueEmails(otherPool(), smtpTransport(url)!, { orgId: t.org.id }),
        sendDueEmails(otherPool(), smtpTransport(`${url}?x=1`)!, { orgId: t.org.id }),
      ]);
      expect(a.sent + b.sent).toBe(18);
      expect(a.sent).toBeGreaterThan(0);
      expect(b.sent).toBeGreaterThan(0);
      expect(server.received).toHaveLength(18);
      const mails = await outbox(t);
      expect(mails.every((m) => m.status === "sent" && m.attempts === 1 && m.sent_at !== null)).toBe(true);
      // Each row went out once, under its own Message-ID, with its language.
      const ids = server.received.map((m) => /Message-ID: <([^@]+)@masar>/i.exec(m.data)?.[1]);
      expect(new Set(ids).size).toBe(18);
      expect(new Set(ids)).toEqual(new Set(mails.map((m) => m.id)));
      const toAdmin = server.received.find((m) => m.to.some((r) => r.includes(t.admin.email)))!;
      expect(toAdmin.data).toMatch(/Content-Language: ar/);
      expect(toAdmin.data).toMatch(/dir=(3D)?"rtl"/);
      expect(await sendDueEmails(testDb(), smtpTransport(url)!, { orgId: t.org.id })).toEqual({ sent: 0, retry: 0, failed: 0 });
    } finally {
      await server.close();
    }
  });

  it("retries a failing server with backoff, keeps the error, gives up after the last attempt", async () => {
    const t = await makeOrg();
    await withTenant(testDb(), scope(t), (trx) => notify(trx, assigned(t, [t.admin.id])));
    const server = await startSmtpServer({ failWith: "451 4.3.0 mailbox busy, try later" });
    try {
      const transport = smtpTransport(server.url)!;
      let now = new Date();
      expect(await sendNextEmail(testDb(), transport, { orgId: t.org.id, now })).toBe("retry");
      let [mail] = await outbox(t);
      expect(mail!.status).toBe("queued");
      expect(mail!.attempts).toBe(1);
      expect(mail!.last_error).toMatch(/451/);
      expect(mail!.next_attempt_at.getTime() - now.getTime()).toBe(retryDelaySeconds(1) * 1000);
      // Not due yet: nothing is tried.
      expect(await sendNextEmail(testDb(), transport, { orgId: t.org.id, now: new Date(now.getTime() + 10_000) })).toBe("none");
      now = new Date(mail!.next_attempt_at.getTime() + 1);
      expect(await sendNextEmail(testDb(), transport, { orgId: t.org.id, now })).toBe("retry");
      [mail] = await outbox(t);
      expect(mail!.attempts).toBe(2);
      expect(mail!.next_attempt_at.getTime() - now.getTime()).toBe(retryDelaySeconds(2) * 1000);
      expect(retryDelaySeconds(2)).toBeGreaterThan(retryDelaySeconds(1));
      // A server that recovers gets the mail on the next due attempt.
      server.failWith = null;
      expect(await sendNextEmail(testDb(), transport, { orgId: t.org.id, now: new Date(mail!.next_attempt_at.getTime() + 1) })).toBe("sent");
      [mail] = await outbox(t);
      expect(mail!.status).toBe("sent");
      expect(mail!.attempts).toBe(3);
      expect(server.received).toHaveLength(1);

      // A server that never recovers: failed after MAX_ATTEMPTS, error kept, never tried again.
      await withTenant(testDb(), scope(t), (trx) => notify(trx, assigned(t, [t.manager.id], "task:9:assigned")));
      server.failWith = "550 5.1.1 no such user";
      let at = new Date();
      for (let i = 1; i <= MAX_ATTEMPTS; i++) {
        expect(await sendNextEmail(testDb(), transport, { orgId: t.org.id, now: at })).toBe(i < MAX_ATTEMPTS ? "retry" : "failed");
        at = new Date(at.getTime() + retryDelaySeconds(i) * 1000 + 1);
      }
      const failed = (await outbox(t)).find((m) => m.to_address === t.manager.email)!;
      expect(failed.status).toBe("failed");
      expect(failed.attempts).toBe(MAX_ATTEMPTS);
      expect(failed.last_error).toMatch(/550/);
      expect(await sendNextEmail(testDb(), transport, { orgId: t.org.id, now: new Date(at.getTime() + 86_400_000) })).toBe("none");
    } finally {
      await server.close();
    }
  });

  it("a server that is not there counts as a failed attempt", async () => {
    const t = await makeOrg();
    await withTenant(testDb(), scope(t), (trx) => notify(trx, assigned(t, [t.admin.id])));
    const server = await startSmtpServer();
    const url = server.url;
    await server.close(); // nothing listens on that port any more
    expect(await sendNextEmail(testDb(), smtpTransport(url)!, { orgId: t.org.id })).toBe("retry");
    const [mail] = await outbox(t);
    expect(mail!.last_error).toMatch(/ECONNREFUSED|connect/i);
  });

  it("with no SMTP configured the worker leaves mails queued and readable", async () => {
    const t = await makeOrg();
    await withTenant(testDb(), scope(t), (trx) => notify(trx, assigned(t, [t.admin.id, t.manager.id])));
    const saved = { SMTP_URL: env().SMTP_URL, MAIL_POLL_SECONDS: env().MAIL_POLL_SECONDS };
    overrideEnv({ SMTP_URL: undefined, MAIL_POLL_SECONDS: 1 });
    try {
      expect(smtpTransport()).toBeUndefined();
      startMailWorker(testDb());
      await new Promise((r) => setTimeout(r, 1500));
    } finally {
      await stopMailWorker();
      overrideEnv(saved);
    }
    const mails = await outbox(t);
    expect(mails).toHaveLength(2);
    expect(mails.every((m) => m.status === "queued" && m.attempts === 0 && m.last_error === null)).toBe(true);
    expect(mails[0]!.subject).toContain("مراجعة الطلب");
    // What the admins' outbox page lists.
    const page = await withTenant(testDb(), scope(t), (trx) => listOutbox(trx, t.org.id, { limit: 25, offset: 0 }));
    expect(page.total).toBe(2);
    expect(page.rows.map((r) => r.status)).toEqual(["queued", "queued"]);
  });
});
