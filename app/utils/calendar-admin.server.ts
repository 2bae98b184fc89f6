import { z } from "zod";
import type { CalendarProblem, WeekHours } from "~/engine/calendar";
import { isPresetKey } from "~/engine/calendar-presets";
import { IcsError, parseIcsHolidays, ICS_LIMITS } from "~/engine/ical";
import { changeCalendar, getCalendarSettings, type CalendarChange, type ChangeResult } from "~/models/business-calendar.server";
import type { AuditActor } from "./audit-actor.server";
import { CALENDAR_INTENTS, MAX_ICS_BYTES, type CalendarActionResult, type CalendarIntent, type IcsPreview } from "./calendar-actions";
import { HOURS_EXAMPLES, latinDigits, parseIntervals } from "./calendar-hours";
import { appDb, withTenant } from "./db.server";
import { formatNumber } from "./format";
import type { OrgContext } from "./org-context.server";

// The calendar page's server side: form fields → a change for the model → a translated answer.
// Every refusal names the field it belongs to and hands the typed values back, so the page can
// show the message next to the field with the input kept.

type T = (key: string, options?: Record<string, unknown>) => string;

const DAYS = [0, 1, 2, 3, 4, 5, 6] as const;
const dayField = (wd: number) => `day${wd}`;

function strings(form: FormData, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.map((k) => [k, String(form.get(k) ?? "")]));
}

/** Reads the form unless the body is larger than an .ics upload may be (the request is not read then). */
export async function readCalendarForm(request: Request): Promise<FormData | null> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > MAX_ICS_BYTES + 64 * 1024) return null;
  return request.formData();
}

export function tooLarge(t: T, ctx: OrgContext): CalendarActionResult {
  const max = `${formatNumber(MAX_ICS_BYTES / 1024, ctx.prefs)} KB`;
  return { ok: false, intent: "ics-preview", status: 413, message: t("ics.errors.too_large", { max }), fieldErrors: { file: t("ics.errors.too_large", { max }) }, values: {} };
}

/** Seven "day0…day6" fields → weekly hours, or the fields that could not be read. */
function readWeek(values: Record<string, string>, t: T): { week: WeekHours } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const week = DAYS.map((wd) => {
    const parsed = parseIntervals(values[dayField(wd)] ?? "");
    if (!parsed) errors[dayField(wd)] = t("errors.hours", HOURS_EXAMPLES);
    return parsed ?? [];
  });
  return Object.keys(errors).length ? { errors } : { week };
}

/** The library's problems → field errors of the form that caused them. */
function problemErrors(problems: CalendarProblem[], t: T): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of problems) {
    const [section, , field, wd] = p.path;
    let key = "_form";
    if (section === "week") key = p.path.length > 1 ? dayField(Number(p.path[1])) : "week";
    else if (field === "hours" && wd !== undefined) key = dayField(Number(wd));
    else if (p.code === "override_overlap") key = "from";
    else if (typeof field === "string") key = field;
    out[key] ??= t(`problems.${p.code}`);
  }
  return out;
}

const dateText = (v: string) => latinDigits(v.trim());

const importEntries = z
  .array(z.object({ name: z.string().max(200), from: z.string().max(10), to: z.string().max(10) }))
  .min(1)
  .max(ICS_LIMITS.events);

async function change(ctx: OrgContext, actor: AuditActor, c: CalendarChange): Promise<ChangeResult> {
  return withTenant(appDb(), ctx.scope, (trx) => changeCalendar(trx, actor, c));
}

export async function performCalendarAction(ctx: OrgContext, actor: AuditActor, form: FormData, t: T): Promise<CalendarActionResult> {
  const raw = String(form.get("intent") ?? "");
  const intent = (CALENDAR_INTENTS as readonly string[]).includes(raw) ? (raw as CalendarIntent) : "";
  const fail = (fieldErrors: Record<string, string>, values: Record<string, string>, status: 400 | 404 = 400): CalendarActionResult => ({
    ok: false,
    intent,
    status,
    message: fieldErrors._form ?? t("common:errors.invalid"),
    fieldErrors,
    values,
  });
  const answer = (result: ChangeResult, values: Record<string, string>, ok: () => string): CalendarActionResult => {
    if (result.ok) return { ok: true, intent: intent as CalendarIntent, message: ok() };
    if (result.reason === "not_found") return fail({ _form: t("errors.gone") }, values, 404);
    const errors = problemErrors(result.problems, t);
    // An empty "to" means "the same day": its only possible fault is the "from" date's.
    if ("to" in values && !values.to!.trim()) delete errors.to;
    if ("from" in values && !values.from!.trim()) errors.from = t("errors.dateRequired");
    return fail(errors, values);
  };

  switch (intent) {
    case "week": {
      const values = strings(form, ["mode", "preset", ...DAYS.map(dayField)]);
      const mode = values.mode === "elapsed" ? "elapsed" : values.mode === "business" ? "business" : null;
      if (!mode) return fail({ mode: t("errors.invalidValue") }, values);
      const read = readWeek(values, t);
      if ("errors" in read) return fail(read.errors, values);
      const result = await change(ctx, actor, { kind: "week", mode, preset: isPresetKey(values.preset) ? values.preset : null, week: read.week });
      return answer(result, values, () => (result.ok && result.changed ? t("week.saved") : t("unchanged")));
    }
    case "override-add": {
      const values = strings(form, ["name", "from", "to", ...DAYS.map(dayField)]);
      const read = readWeek(values, t);
      if ("errors" in read) return fail(read.errors, values);
      const override = { name: values.name!.trim(), from: dateText(values.from!), to: dateText(values.to!) || dateText(values.from!), hours: read.week };
      return answer(await change(ctx, actor, { kind: "override.add", override }), values, () => t("overrides.added"));
    }
    case "holiday-add": {
      const values = strings(form, ["name", "from", "to"]);
      const holiday = { name: values.name!.trim(), from: dateText(values.from!), to: dateText(values.to!) || dateText(values.from!) };
      const result = await change(ctx, actor, { kind: "holidays.add", holidays: [holiday], source: "manual" });
      if (result.ok && result.duplicates) return fail({ from: t("holidays.duplicate") }, values);
      return answer(result, values, () => t("holidays.added"));
    }
    case "override-remove":
    case "holiday-remove": {
      const id = String(form.get("id") ?? "");
      const kind = intent === "override-remove" ? "override.remove" : "holiday.remove";
      return answer(await change(ctx, actor, { kind, id }), {}, () => t(intent === "override-remove" ? "overrides.removed" : "holidays.removed"));
    }
    case "ics-preview":
      return previewIcs(ctx, form, t);
    case "ics-import": {
      const values = strings(form, ["entries"]);
      let entries: z.infer<typeof importEntries>;
      try {
        entries = importEntries.parse(JSON.parse(values.entries!));
      } catch {
        return fail({ _form: t("ics.errors.entries") }, {});
      }
      const result = await change(ctx, actor, { kind: "holidays.add", holidays: entries, source: "ics" });
      if (!result.ok && result.reason === "invalid") return fail({ _form: t("ics.errors.entries") }, {});
      return answer(result, {}, () => (result.ok && result.added ? t("ics.imported", { count: result.added }) : t("ics.nothing")));
    }
    default:
      return fail({ _form: t("errors.invalidValue") }, {});
  }
}

async function previewIcs(ctx: OrgContext, form: FormData, t: T): Promise<CalendarActionResult> {
  const file = form.get("file");
  const err = (message: string): CalendarActionResult => ({ ok: false, intent: "ics-preview", status: 400, message, fieldErrors: { file: message }, values: {} });
  if (!(file instanceof File) || file.size === 0) return err(t("ics.errors.no_file"));
  if (file.size > MAX_ICS_BYTES) return tooLarge(t, ctx);
  const settings = await withTenant(appDb(), ctx.scope, (trx) => getCalendarSettings(trx, ctx.org.id));
  let parsed;
  try {
    parsed = parseIcsHolidays(await file.text(), settings.timeZone);
  } catch (error) {
    if (!(error instanceof IcsError)) throw error;
    return err(t(`ics.errors.${error.code}`, { line: formatNumber(error.line ?? 0, ctx.prefs), max: formatNumber(ICS_LIMITS.events, ctx.prefs) }));
  }
  const known = new Set(settings.holidays.map((h) => `${h.from}/${h.to}`));
  const rows = parsed.holidays.map((h) => {
    const key = `${h.from}/${h.to}`;
    const duplicate = known.has(key);
    known.add(key);
    return { ...h, name: h.name || t("ics.unnamed"), duplicate };
  });
  const preview: IcsPreview = {
    fileName: file.name.slice(0, 200),
    rows,
    skipped: parsed.skipped.map((s) => ({ name: s.name || t("ics.unnamed"), reason: t(`ics.skip.${s.reason}`) })),
  };
  const fresh = rows.filter((r) => !r.duplicate).length;
  return { ok: true, intent: "ics-preview", message: fresh ? t("ics.previewTitle", { file: preview.fileName }) : t("ics.nothing"), preview };
}
