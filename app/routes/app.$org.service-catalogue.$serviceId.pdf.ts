import type { Route } from "./+types/app.$org.service-catalogue.$serviceId.pdf";
import { getInstance } from "~/middleware/i18next";
import { requirePluginEnabled } from "~/models/plugin-orgs.server";
import { appDb, withTenant } from "~/utils/db.server";
import { log } from "~/utils/log.server";
import { notFound, requireOrgMember } from "~/utils/org-context.server";
import { asSubject } from "~/utils/permissions.server";
import { parseDocKind, parseVersion, serviceDocumentElement } from "~plugins/service-catalogue/documents.server";
import { documentHtml, htmlToPdf, pdfAvailable } from "~plugins/service-catalogue/pdf.server";
import { findService, serviceSubjectFields } from "~plugins/service-catalogue/services.server";

// "Download as PDF" of a service card or documentation card: the print page's document,
// rendered on the server and printed by Chromium (plugins/service-catalogue/pdf.server.ts).
// 503 with the explanation when this server has no browser to print with.

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  await requirePluginEnabled(ctx, "service-catalogue");
  const url = new URL(args.request.url);
  const kind = parseDocKind(url.searchParams.get("doc"));
  const t = getInstance(args.context).getFixedT(ctx.locale, "service-catalogue");
  const built = await withTenant(appDb(), ctx.scope, async (trx) => {
    const row = await findService(trx, ctx.org.id, args.params.serviceId);
    if (!row || !ctx.ability.can("read", asSubject("CatalogueService", serviceSubjectFields(row)))) return undefined;
    return serviceDocumentElement(trx, {
      orgId: ctx.org.id,
      serviceId: row.id,
      kind,
      version: parseVersion(url.searchParams.get("version")),
      t,
      prefs: ctx.prefs,
      org: ctx.org,
    });
  });
  if (!built) notFound();
  if (!(await pdfAvailable()))
    return new Response(t("detail.pdfUnavailable"), {
      status: 503,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  try {
    const pdf = await htmlToPdf(documentHtml(built.element, ctx.locale, built.title));
    const filename = `${kind === "card" ? "service-card" : "documentation-card"}-${args.params.serviceId.slice(0, 8)}.pdf`;
    return new Response(Buffer.from(pdf), {
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="${filename}"`,
        "Cache-Control": "private, no-store",
      },
    });
  } catch (error) {
    log.error("service-catalogue: PDF rendering failed", {
      error: error instanceof Error ? error.message : String(error),
    });
    return new Response(t("errors.pdfFailed"), {
      status: 503,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}
