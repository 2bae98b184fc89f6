import nodemailer, { type Transporter } from "nodemailer";
import { sql } from "kysely";
import { withPlatform, type Db, type Tx } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { log } from "~/utils/log.server";

// The email outbox (ADR 008). notify() writes rendered mails here in the transaction of the
// event; this module sends them. One mail per transaction: the row is locked with
// FOR UPDATE SKIP LOCKED (a second sender, in this process or another, skips it and takes the
// next one), the SMTP attempt happens while the lock is held, and the outcome (sent, or the
// error with the next attempt time) is written in that same transaction. A row marked sent is
// never picked again; a crash between the SMTP server's "250 OK" and our COMMIT is the one
// window in which a mail can go out twice — the Message-ID is then the same (<row id@masar>),
// so mail systems that deduplicate by Message-ID show it once.

export const MAX_ATTEMPTS = 8;
const FIRST_RETRY_SECONDS = 30;
const MAX_RETRY_SECONDS = 6 * 60 * 60;

/** Exponential backoff after the n-th failed attempt: 30 s, 1 min, 2 min, … at most 6 h. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(FIRST_RETRY_SECONDS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_SECONDS);
}

let cachedTransport: { url: string; transport: Transporter } | undefined;

/** The SMTP transport from SMTP_URL, or undefined when no mail server is configured. */
export function smtpTransport(url: string | undefined = env().SMTP_URL): Transporter | undefined {
  if (!url) return undefined;
  if (cachedTransport?.url === url) return cachedTransport.transport;
  // Short timeouts: the outbox row stays locked (and its transaction open) during the attempt.
  const transport = nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  cachedTransport = { url, transport };
  return transport;
}

export type SendOutcome = "sent" | "retry" | "failed" | "none";

/** Takes the next due mail (any organisation), tries it once, records the outcome. */
export async function sendNextEmail(db: Db, transport: Transporter, options: { from?: string; now?: Date; orgId?: string } = {}): Promise<SendOutcome> {
  const now = options.now ?? new Date();
  return withPlatform(db, async (trx) => {
    const row = await trx
      .selectFrom("email_outbox")
      .select(["org_id", "id", "to_address", "locale", "subject", "body_text", "body_html", "attempts"])
      .where("status", "=", "queued")
      .where("next_attempt_at", "<=", now)
      .$if(options.orgId !== undefined, (qb) => qb.where("org_id", "=", options.orgId!))
      .orderBy("next_attempt_at")
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!row) return "none";
    const attempts = row.attempts + 1;
    const where = (qb: Tx) => qb.updateTable("email_outbox").where("org_id", "=", row.org_id).where("id", "=", row.id);
    try {
      await transport.sendMail({
        from: options.from ?? env().MAIL_FROM,
        to: row.to_address,
        subject: row.subject,
        text: row.body_text,
        html: row.body_html,
        messageId: `<${row.id}@masar>`,
        headers: { "Content-Language": row.locale, "Auto-Submitted": "auto-generated" },
      });
      await where(trx).set({ status: "sent", sent_at: now, attempts, last_error: null }).execute();
      return "sent";
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
      const failed = attempts >= MAX_ATTEMPTS;
      await where(trx)
        .set({ attempts, last_error: message, ...(failed ? { status: "failed" as const } : { next_attempt_at: new Date(now.getTime() + retryDelaySeconds(attempts) * 1000) }) })
        .execute();
      log.warn("email not sent", { orgId: row.org_id, mailId: row.id, attempts, error: message, gaveUp: failed });
      return failed ? "failed" : "retry";
    }
  });
}

/** Sends due mails until none is left (or `limit` were tried). */
export async function sendDueEmails(db: Db, transport: Transporter, options: { from?: string; now?: Date; orgId?: string; limit?: number } = {}): Promise<Record<Exclude<SendOutcome, "none">, number>> {
  const counts = { sent: 0, retry: 0, failed: 0 };
  for (let i = 0; i < (options.limit ?? 100); i++) {
    const outcome = await sendNextEmail(db, transport, options);
    if (outcome === "none") break;
    counts[outcome] += 1;
  }
  return counts;
}

// ---- The periodic worker (started with the job workers, app/utils/jobs.server.ts) ----

let timer: NodeJS.Timeout | undefined;
let running: Promise<unknown> | undefined;

export function startMailWorker(db: Db): void {
  if (timer) return;
  const tick = () => {
    const transport = smtpTransport();
    // No SMTP configured: mails stay queued and visible on the outbox page.
    if (!transport || running) return;
    running = sendDueEmails(db, transport)
      .then((counts) => {
        if (counts.sent || counts.retry || counts.failed) log.info("email outbox", counts);
      })
      .catch((error: unknown) => log.error("email outbox failed", { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        running = undefined;
      });
  };
  timer = setInterval(tick, env().MAIL_POLL_SECONDS * 1000);
  timer.unref();
  tick();
}

export async function stopMailWorker(): Promise<void> {
  if (timer) clearInterval(timer);
  timer = undefined;
  await running;
}

// ---- Reading the outbox (admin page) ----

export async function listOutbox(trx: Tx, orgId: string, page: { limit: number; offset: number }) {
  const [rows, total] = await Promise.all([
    trx
      .selectFrom("email_outbox")
      .select(["id", "to_address", "locale", "subject", "status", "attempts", "created_at", "sent_at", "next_attempt_at", "last_error"])
      .where("org_id", "=", orgId)
      .orderBy("created_at", "desc")
      .orderBy("id")
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    trx.selectFrom("email_outbox").select(sql<number>`count(*)::int`.as("n")).where("org_id", "=", orgId).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: total.n };
}

export function getOutboxMail(trx: Tx, orgId: string, id: string) {
  return trx.selectFrom("email_outbox").selectAll().where("org_id", "=", orgId).where("id", "=", id).executeTakeFirst();
}
