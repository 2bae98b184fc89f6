import { Anchor, Breadcrumbs, Stack, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Link, redirect, useParams } from "react-router";
import type { Route } from "./+types/app.$org.service-catalogue.new";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { requirePluginEnabled } from "~/models/plugin-orgs.server";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";
import { parseServiceForm, serviceFormOptions } from "~plugins/service-catalogue/form.server";
import { createService } from "~plugins/service-catalogue/services.server";
import { emptyServiceValues, ServiceForm } from "~plugins/service-catalogue/ui/service-form";

// Documenting a new service: the card, its classification and the linked workflow. The
// code is drawn when it is saved (initials – unit code – S – serial).

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  await requirePluginEnabled(ctx, "service-catalogue");
  assertCan(ctx.ability, "create", "CatalogueService");
  const options = await withTenant(appDb(), ctx.scope, (trx) => serviceFormOptions(trx, ctx.org.id, ctx.locale));
  const t = getInstance(args.context).getFixedT(null, "service-catalogue");
  return {
    title: `${t("form.newTitle")} — ${t("common:appName")}`,
    options,
    entity: { ar: ctx.org.name_ar, en: ctx.org.name_en },
  };
}

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  await requirePluginEnabled(ctx, "service-catalogue");
  assertCan(ctx.ability, "create", "CatalogueService");
  const t = getInstance(args.context).getFixedT(null, "service-catalogue");
  const parsed = parseServiceForm(await args.request.formData(), t);
  if (!parsed.ok)
    return data(
      {
        values: parsed.values,
        fieldErrors: parsed.fieldErrors,
        message: t("errors.invalid"),
      },
      { status: 400 },
    );
  const saved = await withTenant(appDb(), ctx.scope, (trx) => createService(trx, auditActor(ctx, args.context), parsed.input));
  if (!saved.ok) {
    const fieldErrors: Record<string, string> =
      saved.reason === "unit_missing" ? { unitId: t("errors.unitMissing") } : saved.reason === "parent_invalid" ? { parentId: t("errors.parentInvalid") } : {};
    return data({ values: parsed.values, fieldErrors, message: t("errors.invalid") }, { status: 400 });
  }
  return redirect(`/app/${ctx.org.slug}/service-catalogue/${saved.id}`);
}

export default function NewService({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("service-catalogue");
  const base = `/app/${useParams().org}/service-catalogue`;
  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to={base}>
          {t("detail.back")}
        </Anchor>
        <span>{t("form.newTitle")}</span>
      </Breadcrumbs>
      <Title order={1}>{t("form.newTitle")}</Title>
      <ServiceForm
        values={actionData?.values ?? emptyServiceValues(loaderData.entity)}
        fieldErrors={actionData?.fieldErrors ?? {}}
        message={actionData?.message}
        {...loaderData.options}
        submitLabel={t("form.create")}
        cancelTo={base}
      />
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
