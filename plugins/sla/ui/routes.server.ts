import type { z } from "zod";
import { isoToZonedLocal } from "~/components/form-renderer/dates";
import { dayOf, instantOf } from "~/engine/zoned-time";
import { currentSettings, requirePluginEnabled } from "~/models/plugin-orgs.server";
import { readLocalDateTime } from "~/utils/calendar-hours";
import { slaNow } from "~/utils/clock.server";
import type { Tx } from "~/utils/db.server";
import { requireOrgMember, type OrgContext } from "~/utils/org-context.server";
import type { AgreementContent } from "../agreement";
import { orgToday } from "../calendar.server";
import { agreementContentSchema } from "../schema";
import { readSlaSettings } from "../settings";

// What the agreement pages (app/routes/app.$org.sla.*.tsx) share on the server: the guard, the
// organisation's day and policy, the members offered as monitors and ladder levels, and reading
// the posted agreement with errors keyed by their dotted path (the form shows each beside its
// field).

type T = (key: string, options?: Record<string, unknown>) => string;
type LoaderLike = Parameters<typeof requireOrgMember>[0];

/** requireOrgMember + the plugin enabled here. Permission checks follow in each page. */
export async function slaMember(args: LoaderLike): Promise<OrgContext> {
  const ctx = await requireOrgMember(args);
  await requirePluginEnabled(ctx, "sla");
  return ctx;
}

/** The organisation's day, calendar, time zone and agreement policy. */
export async function slaDay(trx: Tx, orgId: string) {
  const now = slaNow();
  const day = await orgToday(trx, orgId, now);
  const settings = readSlaSettings((await currentSettings(trx, orgId, "sla")).values);
  /** The local date and time, as a datetime-local input shows it. */
  const nowLocal = isoToZonedLocal(now.toISOString(), day.timeZone);
  return { ...day, settings, nowLocal };
}

/** Active members, for the monitor and ladder pickers. */
export async function memberOptions(trx: Tx, orgId: string): Promise<{ value: string; label: string }[]> {
  const rows = await trx
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select(["u.id", "u.name", "m.title"])
    .where("m.org_id", "=", orgId)
    .where("m.disabled_at", "is", null)
    .where("u.disabled_at", "is", null)
    .orderBy("u.name")
    .limit(500)
    .execute();
  return rows.map((m) => ({ value: m.id, label: m.title ? `${m.name} — ${m.title}` : m.name }));
}

/** One message per field, keyed by the issue's whole path ("provider.ladder.2.email"). */
export function errorsByPath(error: z.ZodError, t: T, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = prefix + issue.path.map(String).join(".");
    out[path || "_form"] ??= t(issue.message.startsWith("errors.") ? issue.message : "errors.invalidValue");
  }
  return out;
}

export type ParsedContent = { ok: true; content: AgreementContent } | { ok: false; errors: Record<string, string> };

/** The agreement posted as JSON in the field "content", checked by agreementContentSchema. */
export function parseContent(form: FormData, t: T): ParsedContent {
  let raw: unknown = null;
  try {
    raw = JSON.parse(String(form.get("content") ?? ""));
  } catch {
    raw = null;
  }
  const parsed = agreementContentSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: errorsByPath(parsed.error, t) };
  return { ok: true, content: parsed.data };
}

/** "2026-05-03T14:30" read in the organisation's time zone → an ISO instant with offset; null when not a time. */
export function localDateTimeToIso(value: string, timeZone: string): string | null {
  const local = readLocalDateTime(value);
  const day = local && dayOf(local.date);
  return local && day !== null ? new Date(instantOf(day, local.minute, timeZone)).toISOString() : null;
}

export const str = (form: FormData, key: string) => String(form.get(key) ?? "");
