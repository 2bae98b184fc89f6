import "~plugins/service-catalogue/ui/documents.css";
import { Alert, Button, Group, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import type { Route } from "./+types/app.$org.service-catalogue.$serviceId.print";
import { useOrgFormat } from "~/components/org-format";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { requirePluginEnabled } from "~/models/plugin-orgs.server";
import { appDb, withTenant } from "~/utils/db.server";
import { notFound, requireOrgMember } from "~/utils/org-context.server";
import { asSubject } from "~/utils/permissions.server";
import { parseDocKind, parseVersion } from "~plugins/service-catalogue/documents.server";
import { docKpis, loadServiceDocuments } from "~plugins/service-catalogue/page-data.server";
import { pdfAvailable } from "~plugins/service-catalogue/pdf.server";
import { serviceSubjectFields } from "~plugins/service-catalogue/services.server";
import { docSubtitle, DocumentationCardDocument, ServiceCardDocument, type DocContext } from "~plugins/service-catalogue/ui/documents";

// Print-ready service card or documentation card (?doc=card|documentation, ?version=N or
// "current"): the guide's tables on A4 pages, right to left, the organisation's initials as
// the logo. The browser's Print → Save as PDF gives the same document as "Download PDF".

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export const handle = { fullWidth: true };

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  await requirePluginEnabled(ctx, "service-catalogue");
  const url = new URL(args.request.url);
  const kind = parseDocKind(url.searchParams.get("doc"));
  const docs = await withTenant(appDb(), ctx.scope, (trx) => loadServiceDocuments(trx, ctx.org.id, args.params.serviceId, parseVersion(url.searchParams.get("version"))));
  if (!docs || !ctx.ability.can("read", asSubject("CatalogueService", serviceSubjectFields(docs.row)))) notFound();
  const t = getInstance(args.context).getFixedT(null, "service-catalogue");
  return {
    title: `${docs.snapshot.code} — ${kind === "card" ? t("doc.serviceCard") : t("doc.documentationCard")}`,
    kind,
    version: docs.version,
    versionParam: url.searchParams.get("version"),
    org: {
      name: { ar: ctx.org.name_ar, en: ctx.org.name_en },
      initials: ctx.org.initials,
    },
    snapshot: docs.snapshot,
    steps: docs.steps,
    kpis: docKpis(docs.kpis),
    flowchartSvg: kind === "documentation" ? docs.flowchartSvg(ctx.locale) : null,
    printedAt: new Date().toISOString(),
    pdf: await pdfAvailable(),
  };
}

export default function PrintService({ loaderData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("service-catalogue");
  const fmt = useOrgFormat();
  const { org: slug, serviceId } = useParams();
  const d = loaderData;
  const lang = i18n.language === "en" ? "en" : "ar";
  const ctx: DocContext = {
    t: (k, o) => t(k, o ?? {}),
    lang,
    num: fmt.number,
    org: d.org,
    subtitle: docSubtitle((k, o) => t(k, o ?? {}), d.version === null ? null : fmt.number(d.version), fmt.date(d.printedAt)),
  };
  const query = new URLSearchParams({
    doc: d.kind,
    ...(d.versionParam ? { version: d.versionParam } : {}),
  });
  return (
    <Stack gap="md">
      <Group justify="space-between" className="masar-no-print">
        <Button component={Link} to={`/app/${slug}/service-catalogue/${serviceId}`} variant="subtle">
          {t("doc.back")}
        </Button>
        <Group>
          {d.pdf ? (
            <Button component="a" href={`/app/${slug}/service-catalogue/${serviceId}/pdf?${query}`} variant="default" download>
              {t("detail.pdf")}
            </Button>
          ) : null}
          <Button onClick={() => window.print()} data-testid="print-button">
            {t("detail.print")}
          </Button>
        </Group>
      </Group>
      {!d.pdf ? (
        <Alert color="gray" className="masar-no-print">
          <Text size="sm">{t("detail.pdfUnavailable")}</Text>
        </Alert>
      ) : null}
      {d.kind === "card" ? (
        <ServiceCardDocument ctx={ctx} service={d.snapshot} />
      ) : (
        <DocumentationCardDocument ctx={ctx} service={d.snapshot} steps={d.steps} kpis={d.kpis} flowchartSvg={d.flowchartSvg} />
      )}
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
