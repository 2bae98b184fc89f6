import "~plugins/service-catalogue/ui/documents.css";
import "~plugins/sla/ui/agreement.css";
import { Button, Group, Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import type { Route } from "./+types/app.$org.sla.$id.print";
import { useOrgFormat } from "~/components/org-format";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { appDb, withTenant } from "~/utils/db.server";
import { notFound } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";
import { getAgreement } from "~plugins/sla/agreements.server";
import { AgreementDocument, type AgreementDocContext } from "~plugins/sla/ui/agreement-document";
import { noon } from "~plugins/sla/ui/labels";
import { slaDay, slaMember } from "~plugins/sla/ui/routes.server";

// The agreement, print-ready in the template's order (A4 portrait, right to left, the
// organisation's initials as the logo): the version in force, or ?v=draft for the version
// waiting for signatures. The browser's Print → Save as PDF gives the document.

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export const handle = { fullWidth: true };

export async function loader(args: Route.LoaderArgs) {
  const ctx = await slaMember(args);
  assertCan(ctx.ability, "read", "Agreement");
  const view = await withTenant(appDb(), ctx.scope, async (trx) => {
    const day = await slaDay(trx, ctx.org.id);
    return getAgreement(trx, ctx.org.id, args.params.id, day.today, day.calendar, day.settings);
  });
  if (!view) notFound();
  const wantDraft = new URL(args.request.url).searchParams.get("v") === "draft";
  const shown =
    (wantDraft || !view.signed) && view.draft
      ? { version: view.draft.version, content: view.draft.content, signatures: [], status: "draft" as const }
      : { version: view.signed!.version, content: view.signed!.content, signatures: view.signed!.signatures, status: "signed" as const };
  const t = getInstance(args.context).getFixedT(null, "sla");
  return {
    title: `${view.number} — ${t("doc.title")} — ${t("common:appName")}`,
    org: { name: { ar: ctx.org.name_ar, en: ctx.org.name_en }, initials: ctx.org.initials },
    number: view.number,
    shown,
    history: view.history.map((h) => ({ ...h, at: h.at.toISOString() })),
  };
}

export default function PrintAgreement({ loaderData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("sla");
  const fmt = useOrgFormat();
  const { org, id } = useParams();
  const d = loaderData;
  const ctx: AgreementDocContext = {
    t: (k, o) => t(k, o ?? {}),
    lang: i18n.language === "en" ? "en" : "ar",
    num: fmt.number,
    day: (iso) => fmt.date(noon(iso)),
    date: (iso) => fmt.date(iso),
    org: d.org,
  };
  return (
    <Stack gap="md">
      <Group justify="space-between" className="masar-no-print">
        <Button component={Link} to={`/app/${org}/sla/${id}`} variant="subtle">
          {t("doc.back")}
        </Button>
        <Button onClick={() => window.print()} data-testid="print-button">
          {t("detail.print")}
        </Button>
      </Group>
      <AgreementDocument ctx={ctx} number={d.number} version={d.shown.version} status={d.shown.status} content={d.shown.content} signatures={d.shown.signatures} history={d.history} />
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
