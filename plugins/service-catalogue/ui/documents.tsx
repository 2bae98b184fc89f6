import type { ReactNode } from "react";
import type { StepsTable } from "~/engine/steps-table";
import { PART_SEPARATOR } from "~/utils/format";
import type { CharterContent } from "../charter";
import type { KpiFrequency, KpiUnit } from "../kpi";
import type { Localised } from "../public-types";
import type { ServiceSnapshot } from "../snapshot";

// The guide's printable documents — service card (§3.3), service documentation card (§3.4)
// and service charter (chapter 4) — as plain HTML tables in the guide's layout, styled by
// documents.css (A4, RTL). No Mantine and no hooks: the same components render inside the
// app's print page and, on the server, to a standalone HTML file that Chromium turns into a PDF.

type T = (key: string, options?: Record<string, unknown>) => string;

/** "الإصدار ١ — طُبعت في …" (or the working copy): `version` already in the organisation's digits. */
export function docSubtitle(t: T, version: string | null, printedAt: string): string {
  return `${version === null ? t("doc.workingCopy") : t("doc.version", { version })}${PART_SEPARATOR}${t("doc.printedAt", { date: printedAt })}`;
}

export interface DocContext {
  t: T;
  lang: "ar" | "en";
  /** Numbers in the organisation's digits. */
  num: (n: number) => string;
  org: { name: Localised; initials: string };
  /** "Version 3", "working copy", printed date… shown under the title. */
  subtitle: string;
}

export interface DocKpi {
  name: Localised;
  formula: Localised;
  frequency: KpiFrequency;
  target: number;
  unit: KpiUnit;
}

const pick = (lang: "ar" | "en", l: Localised | null | undefined) => (l ? (lang === "en" ? l.en || l.ar : l.ar || l.en) : "");
const lines = (lang: "ar" | "en", l: { ar: string[]; en: string[] }) => (lang === "en" && l.en.length ? l.en : l.ar);

function Items({ items, none }: { items: string[]; none: string }) {
  if (!items.length) return <span className="sc-muted">{none}</span>;
  return (
    <ul className="sc-list">
      {items.map((item, i) => (
        <li key={i}>{item}</li>
      ))}
    </ul>
  );
}

/** A checkbox of the guide's classification grid (drawn, so it prints the same everywhere). */
function Check({ on, label }: { on: boolean; label: string }) {
  return (
    <span className="sc-option" data-checked={on ? "true" : "false"}>
      <span className={on ? "sc-box sc-box--on" : "sc-box"} aria-hidden="true">
        {on ? "✓" : ""}
      </span>
      <span>{label}</span>
      {on ? <span className="sc-visually-hidden"> ✓</span> : null}
    </span>
  );
}

function Header({ ctx, title, code }: { ctx: DocContext; title: string; code?: string }) {
  return (
    <header className="sc-doc-header">
      <div className="sc-logo" aria-hidden="true">
        {ctx.org.initials}
      </div>
      <div className="sc-doc-org">{pick(ctx.lang, ctx.org.name)}</div>
      <div className="sc-doc-title">
        <h1>{title}</h1>
        <div className="sc-muted">
          {code ? <bdi className="sc-code">{code}</bdi> : null}
          {code ? PART_SEPARATOR : null}
          {ctx.subtitle}
        </div>
      </div>
    </header>
  );
}

export function minutesText(ctx: DocContext, minutes: number | null): string {
  return minutes === null ? ctx.t("doc.none") : ctx.t("doc.minutes", { count: minutes, n: ctx.num(minutes) });
}

function channelText(ctx: DocContext, s: ServiceSnapshot): string {
  const details = pick(ctx.lang, s.channelDetails);
  return details ? `${ctx.t(`channel.${s.channel}`)} — ${details}` : ctx.t(`channel.${s.channel}`);
}

/** بطاقة الخدمة: what customers are told (guide §3.3). */
export function ServiceCardDocument({ ctx, service }: { ctx: DocContext; service: ServiceSnapshot }) {
  const { t, lang } = ctx;
  const none = t("doc.none");
  const cell = (label: string, value: ReactNode) => ({ label, value });
  const rows = [
    [
      cell(t("doc.name"), pick(lang, service.name)),
      cell(t("doc.description"), pick(lang, service.description)),
      cell(t("doc.entity"), pick(lang, service.entity)),
      cell(t("doc.unit"), pick(lang, service.responsibleUnit) || none),
    ],
    [
      cell(t("doc.conditions"), <Items items={lines(lang, service.conditions)} none={none} />),
      cell(t("doc.documents"), <Items items={lines(lang, service.requiredDocuments)} none={none} />),
      cell(t("doc.channels"), channelText(ctx, service)),
      cell(t("doc.fees"), pick(lang, service.fees) || none),
    ],
    [cell(t("doc.contact"), pick(lang, service.contact) || none), cell(t("doc.time"), minutesText(ctx, service.estimatedMinutes))],
  ];
  return (
    <article className="sc-doc" lang={lang} dir={lang === "ar" ? "rtl" : "ltr"} data-testid="service-card-document">
      <Header ctx={ctx} title={t("doc.serviceCard")} code={service.code} />
      <table className="sc-table sc-card-table">
        <caption className="sc-visually-hidden">{t("doc.serviceCard")}</caption>
        <tbody>
          {rows.map((row, r) => [
            <tr key={`h${r}`} className="sc-label-row">
              {row.map((c) => (
                <th key={c.label} scope="col">
                  {c.label}:
                </th>
              ))}
              {row.length < 4 ? <td colSpan={4 - row.length} className="sc-blank" /> : null}
            </tr>,
            <tr key={`v${r}`}>
              {row.map((c) => (
                <td key={c.label}>{c.value}</td>
              ))}
              {row.length < 4 ? <td colSpan={4 - row.length} className="sc-blank" /> : null}
            </tr>,
          ])}
        </tbody>
      </table>
    </article>
  );
}

/** بطاقة توثيق الخدمة: classification, information, the steps table and the KPIs (guide §3.4). */
export function DocumentationCardDocument({
  ctx,
  service,
  steps,
  kpis,
  flowchartSvg,
}: {
  ctx: DocContext;
  service: ServiceSnapshot;
  steps: StepsTable | null;
  kpis: DocKpi[];
  flowchartSvg?: string | null;
}) {
  const { t, lang, num } = ctx;
  const none = t("doc.none");
  const target = (k: DocKpi) => (k.unit === "percent" ? `${num(k.target)}${lang === "ar" ? "٪" : "%"}` : `${num(k.target)} ${t(`unit.${k.unit}`)}`);
  return (
    <article className="sc-doc" lang={lang} dir={lang === "ar" ? "rtl" : "ltr"} data-testid="documentation-card-document">
      <Header ctx={ctx} title={t("doc.documentationCard")} code={service.code} />
      <table className="sc-table">
        <tbody>
          <tr>
            <th scope="row">{t("doc.code")}:</th>
            <td>
              <bdi className="sc-code">{service.code}</bdi>
            </td>
            <th scope="row">{t("doc.name")}:</th>
            <td>{pick(lang, service.name)}</td>
            <th scope="row">{t("doc.entity")}:</th>
            <td>{pick(lang, service.entity)}</td>
            <th scope="row">{t("doc.unit")}:</th>
            <td>{pick(lang, service.responsibleUnit) || none}</td>
          </tr>
        </tbody>
      </table>

      <h2 className="sc-section">{t("doc.classification")}</h2>
      <table className="sc-table sc-classification">
        <tbody>
          <tr>
            <th scope="row">{t("doc.customers")}</th>
            <td>
              {(["G2C", "G2B", "G2G"] as const).map((s) => (
                <Check key={s} on={service.segment === s} label={t(`segment.${s}`)} />
              ))}
            </td>
            <th scope="row">{t("doc.level")}</th>
            <td>
              <Check on={service.level === "main"} label={t("level.main")} />
              <Check on={service.level === "sub"} label={t("level.sub")} />
              {service.parentCode ? (
                <div className="sc-muted">
                  <bdi>{service.parentCode}</bdi>
                </div>
              ) : null}
            </td>
            <th scope="row">{t("doc.linkage")}</th>
            <td>
              <Check on={service.linkage === "unlinked"} label={t("linkage.unlinked")} />
              <Check on={service.linkage === "linked"} label={t("linkage.linked")} />
            </td>
            <th scope="row">{t("doc.linkType")}</th>
            <td>
              {(["electronic", "traditional", "other"] as const).map((k) => (
                <Check key={k} on={service.linkType === k} label={t(`linkType.${k}`)} />
              ))}
            </td>
          </tr>
          <tr>
            <th scope="row" colSpan={2}>
              {t("doc.sla")}:
            </th>
            <td colSpan={2}>{service.slaReference || none}</td>
            <th scope="row" colSpan={2}>
              {t("doc.linkedEntity")}:
            </th>
            <td colSpan={2}>{pick(lang, service.linkedEntity) || none}</td>
          </tr>
        </tbody>
      </table>

      <h2 className="sc-section">{t("doc.information")}</h2>
      <table className="sc-table sc-information">
        <thead>
          <tr>
            <th scope="col" colSpan={3}>
              {t("doc.channels")}
            </th>
            <th scope="col">{t("doc.description")}</th>
            <th scope="col">{t("doc.documents")}</th>
            <th scope="col">{t("doc.conditions")}</th>
            <th scope="col">{t("doc.fees")}</th>
            <th scope="col">{t("doc.finalProduct")}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            {(["traditional", "partial", "digital"] as const).map((c) => (
              <td key={c} className="sc-channel">
                <Check on={service.channel === c} label={t(`channel.${c}`)} />
              </td>
            ))}
            <td>{pick(lang, service.description)}</td>
            <td>
              <Items items={lines(lang, service.requiredDocuments)} none={none} />
            </td>
            <td>
              <Items items={lines(lang, service.conditions)} none={none} />
            </td>
            <td>{pick(lang, service.fees) || none}</td>
            <td>{pick(lang, service.finalProduct) || none}</td>
          </tr>
        </tbody>
      </table>

      <h2 className="sc-section">{t("doc.details")}</h2>
      <table className="sc-table sc-steps" data-testid="steps-table">
        <thead>
          <tr>
            <th scope="col">{t("doc.number")}</th>
            <th scope="col">{t("doc.step")}</th>
            <th scope="col">{t("doc.stepDescription")}</th>
            <th scope="col">{t("doc.responsibility")}</th>
            <th scope="col">{t("doc.inputs")}</th>
            <th scope="col">{t("doc.outputs")}</th>
            <th scope="col">{t("doc.tools")}</th>
            <th scope="col">{t("doc.estimated")}</th>
          </tr>
        </thead>
        <tbody>
          {steps && steps.rows.length ? (
            steps.rows.map((r) => (
              <tr key={r.nodeId} data-testid="step-row">
                <td>{num(r.number)}</td>
                <td>{pick(lang, r.name)}</td>
                <td>{pick(lang, r.description)}</td>
                <td>{pick(lang, r.responsibility)}</td>
                <td>{pick(lang, r.inputs)}</td>
                <td>{pick(lang, r.outputs)}</td>
                <td>{pick(lang, r.tools)}</td>
                <td>{r.estimatedMinutes === undefined ? "" : num(r.estimatedMinutes)}</td>
              </tr>
            ))
          ) : (
            <tr>
              <td colSpan={8} className="sc-muted">
                {t("doc.noSteps")}
              </td>
            </tr>
          )}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              {t("doc.totalSteps")}
            </th>
            <td data-testid="total-steps">{num(steps?.rows.length ?? 0)}</td>
            <th scope="row" colSpan={2}>
              {t("doc.totalTime")}
            </th>
            <td colSpan={2} data-testid="total-time">
              {minutesText(ctx, steps?.totalMinutes ?? 0)}
            </td>
          </tr>
        </tfoot>
      </table>

      <h2 className="sc-section">{t("doc.kpis")}</h2>
      <table className="sc-table sc-kpis" data-testid="kpi-table">
        <thead>
          <tr>
            <th scope="col">{t("doc.number")}</th>
            <th scope="col">{t("doc.kpiName")}</th>
            <th scope="col">{t("doc.formula")}</th>
            <th scope="col">{t("doc.frequency")}</th>
            <th scope="col">{t("doc.target")}</th>
            <th scope="col">{t("doc.unitOfMeasure")}</th>
          </tr>
        </thead>
        <tbody>
          {kpis.length ? (
            kpis.map((k, i) => (
              <tr key={i} data-testid="kpi-row">
                <td>{num(i + 1)}</td>
                <td>{pick(lang, k.name)}</td>
                <td>{pick(lang, k.formula)}</td>
                <td>{t(`frequency.${k.frequency}`)}</td>
                <td>{target(k)}</td>
                <td>{t(`unit.${k.unit}`)}</td>
              </tr>
            ))
          ) : (
            <tr>
              <td colSpan={6} className="sc-muted">
                {none}
              </td>
            </tr>
          )}
        </tbody>
      </table>

      {flowchartSvg ? (
        <section className="sc-flowchart">
          <h2 className="sc-section">{t("detail.flowchart")}</h2>
          {/* Built by graphToSvg from the definition: every text and attribute is XML-escaped. */}
          <div className="sc-svg" dangerouslySetInnerHTML={{ __html: flowchartSvg }} />
        </section>
      ) : null}
    </article>
  );
}

/** ميثاق تقديم الخدمات للمتعاملين (chapter 4). */
export function CharterDocument({ ctx, charter }: { ctx: DocContext; charter: CharterContent }) {
  const { t, lang, num } = ctx;
  const none = t("doc.none");
  return (
    <article className="sc-doc sc-doc--portrait" lang={lang} dir={lang === "ar" ? "rtl" : "ltr"} data-testid="charter-document">
      <Header ctx={ctx} title={pick(lang, charter.title) || t("charter.title")} />
      {pick(lang, charter.introduction) ? <p className="sc-intro">{pick(lang, charter.introduction)}</p> : null}
      {lines(lang, charter.values).length ? (
        <p>
          <strong>{t("charter.values")}: </strong>
          {lines(lang, charter.values).join(lang === "ar" ? " – " : " – ")}
        </p>
      ) : null}
      <h2 className="sc-section">{t("charter.commitments")}</h2>
      <table className="sc-table sc-charter">
        <thead>
          <tr>
            <th scope="col">{t("charter.axis")}</th>
            <th scope="col">{t("charter.commitment")}</th>
            <th scope="col">{t("charter.serviceLevel")}</th>
          </tr>
        </thead>
        <tbody>
          {charter.axes.flatMap((axis, a) =>
            (axis.commitments.length ? axis.commitments : [null]).map((c, i) => (
              <tr key={`${a}-${i}`}>
                {i === 0 ? (
                  <th scope="rowgroup" rowSpan={Math.max(1, axis.commitments.length)}>
                    {pick(lang, axis.axis)}
                  </th>
                ) : null}
                <td>{c ? pick(lang, c.commitment) : none}</td>
                <td>{c ? <Items items={lines(lang, c.serviceLevels)} none={none} /> : none}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
      <h2 className="sc-section">{t("charter.obligations")}</h2>
      <Items items={lines(lang, charter.customerObligations)} none={none} />
      <h2 className="sc-section">{t("charter.signature")}</h2>
      <table className="sc-table sc-signature">
        <thead>
          <tr>
            <th scope="col">{t("charter.name")}</th>
            <th scope="col">{t("charter.date")}</th>
            <th scope="col">{t("charter.signed")}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>
              {pick(lang, charter.signature.name)}
              {pick(lang, charter.signature.title) ? <div className="sc-muted">{pick(lang, charter.signature.title)}</div> : null}
            </td>
            <td>
              {charter.signature.date
                ? charter.signature.date
                    .split("-")
                    .map((p) => num(Number(p)))
                    .join("/")
                : ""}
            </td>
            <td className="sc-sign-space" />
          </tr>
        </tbody>
      </table>
    </article>
  );
}
