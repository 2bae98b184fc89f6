import { Anchor, Breadcrumbs, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Link, redirect, useParams } from "react-router";
import type { Route } from "./+types/app.$org.sla.new";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { assertCan } from "~/utils/permissions.server";
import { createAgreement, newAgreementContent } from "~plugins/sla/agreements.server";
import { AgreementForm } from "~plugins/sla/ui/agreement-form";
import { memberOptions, parseContent, slaDay, slaMember } from "~plugins/sla/ui/routes.server";

// A new agreement from the guide's template: the objectives of the guide, four-level ladders
// with the policy's response times, one year renewing itself. Saved as version 1, a draft
// until both sides sign it; the number (SLA-<serial>) is drawn when it is saved.

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await slaMember(args);
  assertCan(ctx.ability, "create", "Agreement");
  const page = await withTenant(appDb(), ctx.scope, async (trx) => {
    const day = await slaDay(trx, ctx.org.id);
    return { day, members: await memberOptions(trx, ctx.org.id) };
  });
  const t = getInstance(args.context).getFixedT(null, "sla");
  return {
    title: `${t("form.newTitle")} — ${t("common:appName")}`,
    initial: newAgreementContent(ctx.org.name_ar, page.day.settings, page.day.today),
    members: page.members,
    calendar: page.day.calendar,
    today: page.day.today,
    reviewLeadDays: page.day.settings.reviewLeadDays,
  };
}

export async function action(args: Route.ActionArgs) {
  const ctx = await slaMember(args);
  assertCan(ctx.ability, "create", "Agreement");
  const t = getInstance(args.context).getFixedT(null, "sla");
  const parsed = parseContent(await args.request.formData(), t);
  if (!parsed.ok) return data({ errors: parsed.errors, message: t("errors.invalid") }, { status: 400 });
  const created = await withTenant(appDb(), ctx.scope, (trx) => createAgreement(trx, auditActor(ctx, args.context), parsed.content));
  return redirect(`/app/${ctx.org.slug}/sla/${created.id}?done=created`);
}

export default function NewAgreement({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("sla");
  const base = `/app/${useParams().org}/sla`;
  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to={base}>
          {t("list.title")}
        </Anchor>
        <span>{t("form.newTitle")}</span>
      </Breadcrumbs>
      <Title order={1}>{t("form.newTitle")}</Title>
      <Text c="dimmed">{t("form.newIntro")}</Text>
      <AgreementForm
        initial={loaderData.initial}
        signed={null}
        nextVersion={1}
        initialChangeNote=""
        errors={actionData?.errors ?? {}}
        message={actionData?.message}
        members={loaderData.members}
        calendar={loaderData.calendar}
        today={loaderData.today}
        reviewLeadDays={loaderData.reviewLeadDays}
        submitLabel={t("form.create")}
        cancelTo={base}
      />
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
