import "~plugins/service-catalogue/ui/documents.css";
import { Alert, Button, Group, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import type { Route } from "./+types/app.$org.service-catalogue.charter_.print";
import { useOrgFormat } from "~/components/org-format";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { requirePluginEnabled } from "~/models/plugin-orgs.server";
import { appDb, withTenant } from "~/utils/db.server";
import { notFound, requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";
import { charterContentFor, parseVersion } from "~plugins/service-catalogue/documents.server";
import { pdfAvailable } from "~plugins/service-catalogue/pdf.server";
import { CharterDocument, docSubtitle, type DocContext } from "~plugins/service-catalogue/ui/documents";

// The service charter, print-ready (A4 portrait): the latest published version, ?version=N,
// or ?version=current for the draft.

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export const handle = { fullWidth: true };

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  await requirePluginEnabled(ctx, "service-catalogue");
  assertCan(ctx.ability, "read", "ServiceCharter");
  const versionParam = new URL(args.request.url).searchParams.get("version");
  const found = await withTenant(appDb(), ctx.scope, (trx) => charterContentFor(trx, ctx.org.id, parseVersion(versionParam)));
  if (!found) notFound();
  const t = getInstance(args.context).getFixedT(null, "service-catalogue");
  return {
    title: `${t("charter.title")} — ${t("common:appName")}`,
    org: {
      name: { ar: ctx.org.name_ar, en: ctx.org.name_en },
      initials: ctx.org.initials,
    },
    content: found.content,
    version: found.version,
    versionParam,
    printedAt: new Date().toISOString(),
    pdf: await pdfAvailable(),
  };
}

export default function PrintCharter({ loaderData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("service-catalogue");
  const fmt = useOrgFormat();
  const slug = useParams().org;
  const d = loaderData;
  const ctx: DocContext = {
    t: (k, o) => t(k, o ?? {}),
    lang: i18n.language === "en" ? "en" : "ar",
    num: fmt.number,
    org: d.org,
    subtitle: docSubtitle((k, o) => t(k, o ?? {}), d.version === null ? null : fmt.number(d.version), fmt.date(d.printedAt)),
  };
  const query = d.versionParam ? `?version=${encodeURIComponent(d.versionParam)}` : "";
  return (
    <Stack gap="md">
      <Group justify="space-between" className="masar-no-print">
        <Button component={Link} to={`/app/${slug}/service-catalogue/charter`} variant="subtle">
          {t("charter.title")}
        </Button>
        <Group>
          {d.pdf ? (
            <Button component="a" href={`/app/${slug}/service-catalogue/charter/pdf${query}`} variant="default" download>
              {t("detail.pdf")}
            </Button>
          ) : null}
          <Button onClick={() => window.print()}>{t("detail.print")}</Button>
        </Group>
      </Group>
      {!d.pdf ? (
        <Alert color="gray" className="masar-no-print">
          <Text size="sm">{t("detail.pdfUnavailable")}</Text>
        </Alert>
      ) : null}
      <CharterDocument ctx={ctx} charter={d.content} />
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
