import { createElement, type ReactElement } from "react";
import type { Tx } from "~/utils/db.server";
import { formatDateTime, formatNumber, type DisplayPrefs } from "~/utils/format";
import { getCharterVersion, getCharterDraft, latestCharterVersion } from "./charter.server";
import type { CharterContent } from "./charter";
import { docKpis, loadServiceDocuments } from "./page-data.server";
import { CharterDocument, docSubtitle, DocumentationCardDocument, ServiceCardDocument, type DocContext } from "./ui/documents";

// The documents as React elements on the server (for the PDF): the same components and
// data the print pages use, with the member's language and the organisation's digits.

type T = (key: string, options?: Record<string, unknown>) => string;

export type ServiceDocKind = "card" | "documentation";

export function parseDocKind(value: string | null): ServiceDocKind {
  return value === "documentation" ? "documentation" : "card";
}

/** ?version=N → N, "current" → the working copy, absent → the published version if any. */
export function parseVersion(value: string | null): number | "current" | undefined {
  if (value === "current") return "current";
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

export function docContext(t: T, prefs: DisplayPrefs, org: { name_ar: string; name_en: string; initials: string }, subtitle: string): DocContext {
  return {
    t,
    lang: prefs.locale,
    num: (n) => formatNumber(n, prefs),
    org: { name: { ar: org.name_ar, en: org.name_en }, initials: org.initials },
    subtitle,
  };
}

export async function serviceDocumentElement(
  trx: Tx,
  input: {
    orgId: string;
    serviceId: string;
    kind: ServiceDocKind;
    version?: number | "current";
    t: T;
    prefs: DisplayPrefs;
    org: { name_ar: string; name_en: string; initials: string };
  },
): Promise<{ element: ReactElement; title: string } | undefined> {
  const docs = await loadServiceDocuments(trx, input.orgId, input.serviceId, input.version);
  if (!docs) return undefined;
  const { t, prefs } = input;
  const subtitle = docSubtitle(t, docs.version === null ? null : formatNumber(docs.version, prefs), formatDateTime(new Date(), prefs, "date"));
  const ctx = docContext(t, prefs, input.org, subtitle);
  const title = `${docs.snapshot.code} — ${input.kind === "card" ? t("doc.serviceCard") : t("doc.documentationCard")}`;
  const element =
    input.kind === "card"
      ? createElement(ServiceCardDocument, { ctx, service: docs.snapshot })
      : createElement(DocumentationCardDocument, {
          ctx,
          service: docs.snapshot,
          steps: docs.steps,
          kpis: docKpis(docs.kpis),
          flowchartSvg: docs.flowchartSvg(prefs.locale),
        });
  return { element, title };
}

/** The charter: a published version (default: the latest), or the draft ("current"). */
export async function charterContentFor(trx: Tx, orgId: string, version: number | "current" | undefined): Promise<{ content: CharterContent; version: number | null } | undefined> {
  if (version === "current")
    return {
      content: (await getCharterDraft(trx, orgId)).content,
      version: null,
    };
  const found = version === undefined ? await latestCharterVersion(trx, orgId) : await getCharterVersion(trx, orgId, version);
  if (found) return { content: found.content, version: found.version };
  return version === undefined ? { content: (await getCharterDraft(trx, orgId)).content, version: null } : undefined;
}

export function charterElement(ctx: DocContext, content: CharterContent): ReactElement {
  return createElement(CharterDocument, { ctx, charter: content });
}
