import { Alert, Anchor, Breadcrumbs, Stack, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Link, redirect, useParams } from "react-router";
import type { Route } from "./+types/app.$org.service-catalogue.$serviceId.edit";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { requirePluginEnabled } from "~/models/plugin-orgs.server";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { notFound, requireOrgMember } from "~/utils/org-context.server";
import { assertCan, asSubject } from "~/utils/permissions.server";
import { parseServiceForm, serviceFormOptions, valuesOf } from "~plugins/service-catalogue/form.server";
import { findServiceForPage } from "~plugins/service-catalogue/review.server";
import { inputOf, serviceSubjectFields, updateService } from "~plugins/service-catalogue/services.server";
import { ServiceForm } from "~plugins/service-catalogue/ui/service-form";

// Editing a service's working copy. The code never changes; a published service keeps its
// published version on the portal until the edited card passes review again.

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

async function load(args: Route.LoaderArgs | Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  await requirePluginEnabled(ctx, "service-catalogue");
  // A review case cancelled since no longer locks the card (review.server.ts).
  const { row } = await withTenant(appDb(), ctx.scope, (trx) => findServiceForPage(trx, ctx.org.id, args.params.serviceId));
  if (!row || !ctx.ability.can("read", asSubject("CatalogueService", serviceSubjectFields(row)))) notFound();
  assertCan(ctx.ability, "update", "CatalogueService", serviceSubjectFields(row));
  return { ctx, row };
}

export async function loader(args: Route.LoaderArgs) {
  const { ctx, row } = await load(args);
  const options = await withTenant(appDb(), ctx.scope, (trx) => serviceFormOptions(trx, ctx.org.id, ctx.locale, row.id));
  const t = getInstance(args.context).getFixedT(null, "service-catalogue");
  return {
    title: `${t("form.editTitle", { code: row.code })} — ${t("common:appName")}`,
    code: row.code,
    values: valuesOf(inputOf(row)),
    rowVersion: row.row_version,
    inReview: row.status === "in_review",
    options,
  };
}

export async function action(args: Route.ActionArgs) {
  const { ctx, row } = await load(args);
  const t = getInstance(args.context).getFixedT(null, "service-catalogue");
  const form = await args.request.formData();
  const parsed = parseServiceForm(form, t);
  if (!parsed.ok)
    return data(
      {
        values: parsed.values,
        fieldErrors: parsed.fieldErrors,
        message: t("errors.invalid"),
      },
      { status: 400 },
    );
  const expected = Number(form.get("rowVersion"));
  const saved = await withTenant(appDb(), ctx.scope, (trx) => updateService(trx, auditActor(ctx, args.context), row.id, parsed.input, expected));
  if (!saved.ok) {
    const fieldErrors: Record<string, string> =
      saved.reason === "unit_missing" ? { unitId: t("errors.unitMissing") } : saved.reason === "parent_invalid" ? { parentId: t("errors.parentInvalid") } : {};
    const message = saved.reason === "stale" ? t("errors.stale") : saved.reason === "in_review" ? t("errors.inReview") : saved.reason === "not_found" ? t("errors.gone") : t("errors.invalid");
    return data(
      { values: parsed.values, fieldErrors, message },
      {
        status: saved.reason === "stale" || saved.reason === "in_review" ? 409 : 400,
      },
    );
  }
  return redirect(`/app/${ctx.org.slug}/service-catalogue/${row.id}`);
}

export default function EditService({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("service-catalogue");
  const { serviceId, org } = useParams();
  const base = `/app/${org}/service-catalogue`;
  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to={base}>
          {t("detail.back")}
        </Anchor>
        <Anchor component={Link} to={`${base}/${serviceId}`}>
          <bdi>{loaderData.code}</bdi>
        </Anchor>
        <span>{t("detail.edit")}</span>
      </Breadcrumbs>
      <Title order={1}>{t("form.editTitle", { code: loaderData.code })}</Title>
      {loaderData.inReview ? <Alert color="blue">{t("errors.inReview")}</Alert> : null}
      <ServiceForm
        values={actionData?.values ?? loaderData.values}
        fieldErrors={actionData?.fieldErrors ?? {}}
        message={actionData?.message}
        {...loaderData.options}
        rowVersion={loaderData.rowVersion}
        submitLabel={t("form.save")}
        cancelTo={`${base}/${serviceId}`}
      />
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
