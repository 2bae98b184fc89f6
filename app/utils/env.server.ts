import path from "node:path";
import { z } from "zod";

// The one reader of process.env (server.js, the launcher outside the bundle, reads
// only DATABASE_URL and DATA_DIR to decide whether to lock the data directory).
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  // Owner/migration connection. Absent → embedded PostgreSQL under DATA_DIR.
  DATABASE_URL: z.string().url().optional(),
  // The application's own connection (not superuser, not owner). Absent → derived
  // from DATABASE_URL with the masar_app role and APP_DB_PASSWORD.
  APP_DATABASE_URL: z.string().url().optional(),
  APP_DB_PASSWORD: z.string().min(8).default("masar_app_local_only"),
  DATA_DIR: z.string().default(".data"),
  EMBEDDED_PG_PORT: z.coerce.number().int().default(54329),
  SEED_DEMO: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  // Set when the app is served over HTTPS (cookies get Secure and __Host- names).
  SECURE_COOKIES: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true")),
  LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(5),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  SESSION_DAYS: z.coerce.number().int().min(1).default(14),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  // Email (notifications, ADR 008). No SMTP_URL → mails stay in the outbox, readable by admins.
  // smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465.
  SMTP_URL: z.preprocess((v) => (v === "" ? undefined : v), z.string().regex(/^smtps?:\/\//, "smtp:// or smtps:// URL").optional()),
  MAIL_FROM: z.string().min(3).default("Masar <no-reply@masar.local>"),
  // The address people open Masar at (links in emails), e.g. https://masar.example.gov.sa
  PUBLIC_URL: z.preprocess((v) => (v === "" ? undefined : v), z.string().url().optional()),
  // How often each process looks for mails to send.
  MAIL_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
  // SLA escalations (ADR 009): how often the sweep looks for due warnings, breaches and levels.
  SLA_SWEEP_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  // Tests and demos only, never set in production: a file holding {"offsetMs": n} moves the SLA
  // clock forward by n ms (app/utils/clock.server.ts). Unset = the real clock.
  MASAR_CLOCK_FILE: z.preprocess((v) => (v === "" ? undefined : v), z.string().optional()),
});

export type Env = z.infer<typeof schema> & { secureCookies: boolean; dataDir: string };

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const value = parsed.data;
  cached = {
    ...value,
    secureCookies: value.SECURE_COOKIES ?? value.NODE_ENV === "production",
    dataDir: path.resolve(value.DATA_DIR),
  };
  return cached;
}

/** Tests and the bootstrap override settings without touching process.env. */
export function overrideEnv(patch: Partial<Env>): void {
  cached = { ...env(), ...patch };
}
