import type { AgreementContent, FieldChange, Side } from "../agreement";
import { dayOf, isoDay } from "~/engine/zoned-time";

// Small pure helpers the agreement pages share: how a changed field is named (the edit page's
// minor/major preview), the template's ordinal names of the ladder's levels, hours ↔ working
// minutes, and the content as the server will read it (trimmed, empty list items dropped).

type T = (key: string, options?: Record<string, unknown>) => string;

/** "provider.ladder.2.email" → "the email of escalation level 3 of the service provider". */
export function changeLabel(change: Pick<FieldChange, "path">, t: T): string {
  const parts = change.path.split(".");
  const [head] = parts;
  if (head === "provider" || head === "recipient") {
    const side = t(`side.${head}`);
    const rest = parts.slice(1);
    if (rest.length === 0) return t("fields.party.whole", { side });
    const [section, index, leaf] = rest;
    if (section === "ladder") {
      if (index === undefined) return t("fields.party.ladder", { side });
      const level = ordinal(Number(index) + 1, t);
      return leaf ? t(`fields.party.ladderLevel.${leaf}`, { side, level }) : t("fields.party.ladderLevel.level", { side, level });
    }
    if (section === "responsibilities") return t("fields.party.responsibilities", { side });
    if (section === "monitor") return t(`fields.party.monitor.${index ?? "monitor"}`, { side });
    return t(`fields.party.${section}`, { side });
  }
  if (head === "objectives") return t("fields.objectives");
  if (head === "term" || head === "responseTimes") return t(`fields.${head}.${parts[1] ?? head}`);
  return t(`fields.${head}`);
}

/** The template's "المستوى الأول للتصعيد" … (levels beyond eight are numbered). */
export function ordinal(n: number, t: T): string {
  return n >= 1 && n <= 8 ? t(`ordinal.${n}`) : t("ordinal.n", { n });
}

export function hoursOf(minutes: number): number {
  return Math.round((minutes / 60) * 100) / 100;
}

export function minutesOf(hours: number): number {
  return Math.round(hours * 60);
}

/** Strings trimmed and empty list items dropped, as zod (trim) and the form's lists do on the server. */
export function normaliseContent(c: AgreementContent): AgreementContent {
  const lines = (items: string[]) => items.map((s) => s.trim()).filter(Boolean);
  const party = (p: AgreementContent["provider"]) => ({
    entity: p.entity.trim(),
    monitor: { unit: p.monitor.unit.trim(), name: p.monitor.name.trim(), title: p.monitor.title.trim(), email: p.monitor.email.trim(), userId: p.monitor.userId || null },
    ladder: p.ladder.map((l) => ({ name: l.name.trim(), title: l.title.trim(), email: l.email.trim(), maxResponseMinutes: l.maxResponseMinutes, userId: l.userId || null })),
    responsibilities: lines(p.responsibilities),
  });
  return {
    nameAr: c.nameAr.trim(),
    nameEn: c.nameEn.trim(),
    introduction: c.introduction.trim(),
    objectives: lines(c.objectives),
    provider: party(c.provider),
    recipient: party(c.recipient),
    ourSide: c.ourSide,
    term: { startDate: c.term.startDate, months: c.term.months, autoRenew: c.term.autoRenew },
    majorChangesNote: c.majorChangesNote.trim(),
    responseTimes: { emailMinutes: c.responseTimes.emailMinutes, letterMinutes: c.responseTimes.letterMinutes },
  };
}

/** The agreement's name in the interface language (English falls back to Arabic). */
export function agreementName(a: { nameAr: string; nameEn: string }, lang: string): string {
  return lang === "en" ? a.nameEn || a.nameAr : a.nameAr;
}

/** A local date (YYYY-MM-DD) as an instant at noon UTC: formatted, it stays the same day in any zone near ours. */
export function noon(day: string): string {
  return `${day}T12:00:00Z`;
}

export const sides: readonly Side[] = ["provider", "recipient"];

/** The last day of a term whose `end` is the first day after it. */
export function lastDayOf(end: string): string {
  const d = dayOf(end);
  return d === null ? end : isoDay(d - 1);
}
