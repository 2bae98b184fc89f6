import type { Route } from "./+types/app.$org.service-catalogue.charter_.pdf";
import { getInstance } from "~/middleware/i18next";
import { requirePluginEnabled } from "~/models/plugin-orgs.server";
import { appDb, withTenant } from "~/utils/db.server";
import { formatDateTime, formatNumber } from "~/utils/format";
import { log } from "~/utils/log.server";
import { notFound, requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";
import { charterContentFor, charterElement, docContext, parseVersion } from "~plugins/service-catalogue/documents.server";
import { docSubtitle } from "~plugins/service-catalogue/ui/documents";
import { documentHtml, htmlToPdf, pdfAvailable } from "~plugins/service-catalogue/pdf.server";

// The service charter as a PDF (A4 portrait), printed by the server's Chromium; 503 with the
// explanation when there is none.

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  await requirePluginEnabled(ctx, "service-catalogue");
  assertCan(ctx.ability, "read", "ServiceCharter");
  const t = getInstance(args.context).getFixedT(ctx.locale, "service-catalogue");
  const found = await withTenant(appDb(), ctx.scope, (trx) => charterContentFor(trx, ctx.org.id, parseVersion(new URL(args.request.url).searchParams.get("version"))));
  if (!found) notFound();
  if (!(await pdfAvailable()))
    return new Response(t("detail.pdfUnavailable"), {
      status: 503,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  const subtitle = docSubtitle(t, found.version === null ? null : formatNumber(found.version, ctx.prefs), formatDateTime(new Date(), ctx.prefs, "date"));
  try {
    const html = documentHtml(charterElement(docContext(t, ctx.prefs, ctx.org, subtitle), found.content), ctx.locale, t("charter.title"));
    const pdf = await htmlToPdf(html, { portrait: true });
    return new Response(Buffer.from(pdf), {
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": 'attachment; filename="service-charter.pdf"',
        "Cache-Control": "private, no-store",
      },
    });
  } catch (error) {
    log.error("service-catalogue: charter PDF failed", {
      error: error instanceof Error ? error.message : String(error),
    });
    return new Response(t("errors.pdfFailed"), {
      status: 503,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}
