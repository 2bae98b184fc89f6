import type { AgreementContent, LadderLevel, Party, Side, Signature } from "../agreement";
import { hoursOf } from "./labels";

// The agreement as the guide's template prints it (004 chapter 5): the issuing body, the
// agreement's name, number and version; the version-history table first; then "1. basic
// information" (1.1–1.8), "2. services and responsibilities" (2.1–2.3) and the signature
// table. Plain HTML styled by the catalogue's documents.css (A4, RTL) and agreement.css; no
// Mantine and no hooks, so the in-app view and the print page render the same document.

type T = (key: string, options?: Record<string, unknown>) => string;

export interface AgreementDocContext {
  t: T;
  lang: "ar" | "en";
  /** Numbers in the organisation's digits. */
  num: (n: number) => string;
  /** A local date (YYYY-MM-DD) in the organisation's calendar. */
  day: (iso: string) => string;
  /** An instant (ISO), date only. */
  date: (iso: string) => string;
  org: { name: { ar: string; en: string }; initials: string };
}

export interface DocHistoryRow {
  number: string;
  version: number;
  kind: "version" | "signed" | "minor" | "cancellation";
  at: string;
  editorName: string;
  owner: string;
  changes: string;
}

export interface AgreementDocumentProps {
  ctx: AgreementDocContext;
  number: string;
  version: number;
  /** "signed": the version in force (signatures filled); "draft": awaiting signatures. */
  status: "signed" | "draft";
  content: AgreementContent;
  signatures: Signature[];
  history: DocHistoryRow[];
}

const SECTIONS_1 = ["s11", "s12", "s13", "s14", "s15", "s16", "s17", "s18"] as const;
const SECTIONS_2 = ["s21", "s22", "s23"] as const;

export function hoursText(t: T, num: (n: number) => string, minutes: number): string {
  const h = hoursOf(minutes);
  return t("doc.hours", { count: h, n: num(h) });
}

function durationText(t: T, num: (n: number) => string, months: number): string {
  return months === 12 ? t("doc.oneYear") : t("doc.months", { count: months, n: num(months) });
}

function Items({ items, none }: { items: string[]; none: string }) {
  if (!items.length) return <p className="sc-muted">{none}</p>;
  return (
    <ul className="sc-list sla-list">
      {items.map((item, i) => (
        <li key={i}>{item}</li>
      ))}
    </ul>
  );
}

function person(m: { name: string; title: string; unit?: string }, none: string): string {
  const parts = [m.unit, m.name, m.title].filter((p): p is string => !!p);
  return parts.length ? parts.join(" — ") : none;
}

function LadderTable({ ctx, side, ladder }: { ctx: AgreementDocContext; side: Side; ladder: LadderLevel[] }) {
  const { t, num } = ctx;
  return (
    <table className="sc-table sla-ladder" data-testid={`doc-ladder-${side}`}>
      <caption className="sla-caption">{t("doc.ladderOf", { side: t(`side.${side}`) })}</caption>
      <thead>
        <tr>
          <th scope="col">{t("doc.level")}</th>
          <th scope="col">{t("doc.personName")}</th>
          <th scope="col">{t("doc.personTitle")}</th>
          <th scope="col">{t("doc.email")}</th>
          <th scope="col">{t("doc.maxResponse")}</th>
        </tr>
      </thead>
      <tbody>
        {ladder.map((l, i) => (
          <tr key={i}>
            <th scope="row">{i < 8 ? t(`ordinal.${i + 1}`) : t("ordinal.n", { n: num(i + 1) })}</th>
            <td>{l.name}</td>
            <td>{l.title}</td>
            <td>
              <bdi>{l.email}</bdi>
            </td>
            <td>{hoursText(t, num, l.maxResponseMinutes)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The template's version-history table: agreement no., version, date, editor, owner, changes. */
export function HistoryTable({ ctx, rows, testId }: { ctx: AgreementDocContext; rows: DocHistoryRow[]; testId?: string }) {
  const { t, num } = ctx;
  return (
    <table className="sc-table sla-history" data-testid={testId}>
      <caption className="sc-visually-hidden">{t("history.title")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("history.number")}</th>
          <th scope="col">{t("history.version")}</th>
          <th scope="col">{t("history.date")}</th>
          <th scope="col">{t("history.editor")}</th>
          <th scope="col">{t("history.owner")}</th>
          <th scope="col">{t("history.changes")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.length ? (
          rows.map((r, i) => (
            <tr key={i} data-testid="history-row" data-kind={r.kind}>
              <td>
                <bdi className="sc-code">{r.number}</bdi>
              </td>
              <td>{num(r.version)}</td>
              <td>{ctx.date(r.at)}</td>
              <td>{r.editorName}</td>
              <td>{r.owner || "—"}</td>
              <td>
                <span className="sla-kind">{t(`history.kind.${r.kind}`)}</span>
                {r.changes ? `: ${r.changes}` : ""}
              </td>
            </tr>
          ))
        ) : (
          <tr>
            <td colSpan={6} className="sc-muted">
              {t("doc.none")}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

export function AgreementDocument({ ctx, number, version, status, content, signatures, history }: AgreementDocumentProps) {
  const { t, lang, num } = ctx;
  const none = t("doc.none");
  const orgName = lang === "en" ? ctx.org.name.en || ctx.org.name.ar : ctx.org.name.ar;
  const name = lang === "en" ? content.nameEn || content.nameAr : content.nameAr;
  const party = (side: Side): Party => content[side];
  const signatureOf = (side: Side) => signatures.find((s) => s.side === side);
  return (
    <article className="sc-doc sc-doc--portrait sla-doc" lang={lang} dir={lang === "ar" ? "rtl" : "ltr"} data-testid="agreement-document">
      <header className="sc-doc-header">
        <div className="sc-logo" aria-hidden="true">
          {ctx.org.initials}
        </div>
        <div className="sc-doc-org">{orgName}</div>
        <div className="sc-doc-title">
          <div className="sc-muted">{t(status === "signed" ? "doc.signedVersion" : "doc.draftVersion")}</div>
        </div>
      </header>

      <section className="sla-cover">
        <p className="sla-issuer">{orgName}</p>
        <h1>{t("doc.title")}</h1>
        <p className="sla-name">{name}</p>
        <p>
          {t("doc.numberLabel")}:{" "}
          <bdi className="sc-code" data-testid="doc-number">
            {number}
          </bdi>
        </p>
        <p>
          {t("doc.versionLabel")}: <span data-testid="doc-version">{num(version)}</span>
        </p>
      </section>

      <nav className="sla-contents" aria-label={t("doc.contents")}>
        <p className="sla-contents-head">{t("sections.s1")}</p>
        <ul className="sc-list">
          {SECTIONS_1.map((s) => (
            <li key={s}>{t(`sections.${s}`)}</li>
          ))}
        </ul>
        <p className="sla-contents-head">{t("sections.s2")}</p>
        <ul className="sc-list">
          {SECTIONS_2.map((s) => (
            <li key={s}>{t(`sections.${s}`)}</li>
          ))}
        </ul>
      </nav>

      <h2 className="sc-section">{t("history.title")}</h2>
      <HistoryTable ctx={ctx} rows={history} testId="doc-history" />

      <p className="sla-heading-line">
        <strong>
          {t("doc.title")} - <bdi className="sc-code">{number}</bdi> {t("doc.versionWord")} {num(version)}
        </strong>
      </p>
      <p>
        <strong>{t("doc.nameLabel")}:</strong> {name}
      </p>
      <p>{t("doc.binding")}</p>

      <h2 className="sc-section">{t("sections.s1")}</h2>

      <h3 className="sla-h3">{t("sections.s11")}</h3>
      <p className="sla-text">{content.introduction || none}</p>

      <h3 className="sla-h3">{t("sections.s12")}</h3>
      <Items items={content.objectives} none={none} />

      <h3 className="sla-h3">{t("sections.s13")}</h3>
      <p>{t("doc.agreedBetween")}</p>
      <ul className="sc-list sla-list">
        <li data-testid="doc-provider">
          <strong>{t("side.provider")}:</strong> {party("provider").entity} {t("doc.hereafter.provider")}
        </li>
        <li data-testid="doc-recipient">
          <strong>{t("side.recipient")}:</strong> {party("recipient").entity} {t("doc.hereafter.recipient")}
        </li>
      </ul>

      <h3 className="sla-h3">{t("sections.s14")}</h3>
      <p>
        {t(content.term.autoRenew ? "doc.termRenewing" : "doc.termFixed", {
          duration: durationText(t, num, content.term.months),
          start: ctx.day(content.term.startDate),
        })}
      </p>

      <h3 className="sla-h3">{t("sections.s15")}</h3>
      <ul className="sc-list sla-list">
        <li>{t("doc.review.1")}</li>
        <li>{t("doc.review.2")}</li>
        <li>{t("doc.review.3")}</li>
        <li>{content.majorChangesNote ? t("doc.review.4", { changes: content.majorChangesNote }) : t("doc.review.4plain")}</li>
        <li>{t("doc.review.5")}</li>
      </ul>

      <h3 className="sla-h3">{t("sections.s16")}</h3>
      <ul className="sc-list sla-list">
        <li>{t("doc.cancel.1")}</li>
        <li>{t("doc.cancel.2")}</li>
        <li>{t("doc.cancel.3")}</li>
      </ul>

      <h3 className="sla-h3">{t("sections.s17")}</h3>
      <p className="sla-sub">{t("doc.monitoring.mechanism")}</p>
      <ul className="sc-list sla-list">
        <li>{t("doc.monitoring.1")}</li>
        <li>{t("doc.monitoring.2")}</li>
      </ul>
      <p className="sla-sub">{t("doc.monitoring.meetings")}</p>
      <ul className="sc-list sla-list">
        <li>{t("doc.monitoring.3")}</li>
      </ul>
      <p className="sla-sub">{t("doc.monitoring.responsibility")}</p>
      <ul className="sc-list sla-list">
        {(["provider", "recipient"] as const).map((side) => (
          <li key={side} data-testid={`doc-monitor-${side}`}>
            <strong>{t("doc.from", { side: t(`side.${side}`) })}:</strong> {person(party(side).monitor, none)}
            {party(side).monitor.email ? (
              <>
                {" "}
                (<bdi>{party(side).monitor.email}</bdi>)
              </>
            ) : null}
          </li>
        ))}
      </ul>

      <h3 className="sla-h3">{t("sections.s18")}</h3>
      <p>{t("doc.ladderIntro")}</p>
      <LadderTable ctx={ctx} side="provider" ladder={party("provider").ladder} />
      <LadderTable ctx={ctx} side="recipient" ladder={party("recipient").ladder} />

      <h2 className="sc-section">{t("sections.s2")}</h2>
      <h3 className="sla-h3">{t("sections.s21")}</h3>
      <Items items={party("provider").responsibilities} none={none} />
      <h3 className="sla-h3">{t("sections.s22")}</h3>
      <Items items={party("recipient").responsibilities} none={none} />
      <h3 className="sla-h3">{t("sections.s23")}</h3>
      <ul className="sc-list sla-list">
        <li data-testid="doc-email-time">
          <strong>{t("doc.emailReply")}:</strong> {hoursText(t, num, content.responseTimes.emailMinutes)}
        </li>
        <li data-testid="doc-letter-time">
          <strong>{t("doc.letterReply")}:</strong> {hoursText(t, num, content.responseTimes.letterMinutes)}
        </li>
      </ul>

      <p className="sla-agree">
        <strong>{t("doc.agree")}</strong>
      </p>
      <table className="sc-table sla-signatures" data-testid="doc-signatures">
        <caption className="sc-visually-hidden">{t("doc.signatures")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("doc.sign.entity")}</th>
            <th scope="col">{t("doc.sign.title")}</th>
            <th scope="col">{t("doc.sign.name")}</th>
            <th scope="col">{t("doc.sign.signature")}</th>
            <th scope="col">{t("doc.sign.date")}</th>
          </tr>
        </thead>
        <tbody>
          {(["provider", "recipient"] as const).map((side) => {
            const s = signatureOf(side);
            return (
              <tr key={side}>
                <td>{s?.entity ?? party(side).entity}</td>
                <td>{s?.title ?? ""}</td>
                <td>{s?.name ?? ""}</td>
                <td className="sc-sign-space" />
                <td>{s ? ctx.day(s.date) : ""}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </article>
  );
}
