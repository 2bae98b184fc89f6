import { Alert, Anchor, Breadcrumbs, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Link, redirect, useParams } from "react-router";
import type { Route } from "./+types/app.$org.sla.$id.edit";
import { useOrgFormat } from "~/components/org-format";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { notFound } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";
import { getAgreement, saveAgreement } from "~plugins/sla/agreements.server";
import { AgreementForm } from "~plugins/sla/ui/agreement-form";
import { agreementName } from "~plugins/sla/ui/labels";
import { memberOptions, parseContent, slaDay, slaMember } from "~plugins/sla/ui/routes.server";

// Editing an agreement. Before its first signature the draft is edited in place. Once signed,
// the edit is compared with the version in force: a minor change (a unit's name, a job title,
// an email address) is recorded in the version history without a new version, as the guide
// allows; any other change drafts the next version (with a change note), and the signed one
// stays in force until both sides sign the new one. The page previews which it will be.

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await slaMember(args);
  assertCan(ctx.ability, "read", "Agreement");
  const page = await withTenant(appDb(), ctx.scope, async (trx) => {
    const day = await slaDay(trx, ctx.org.id);
    const view = await getAgreement(trx, ctx.org.id, args.params.id, day.today, day.calendar, day.settings);
    return view ? { day, view, members: await memberOptions(trx, ctx.org.id) } : undefined;
  });
  if (!page) notFound();
  assertCan(ctx.ability, "update", "Agreement");
  const { view, day } = page;
  const t = getInstance(args.context).getFixedT(null, "sla");
  const current = view.draft ?? view.signed!;
  return {
    title: `${t("form.editTitle", { number: view.number })} — ${t("common:appName")}`,
    number: view.number,
    name: { nameAr: current.content.nameAr, nameEn: current.content.nameEn },
    rowVersion: view.rowVersion,
    phase: view.phase,
    initial: current.content,
    signed: view.signed ? { version: view.signed.version, content: view.signed.content } : null,
    draftVersion: view.draft?.version ?? null,
    nextVersion: view.draft?.version ?? (view.signed ? view.signed.version + 1 : 1),
    changeNote: view.signed && view.draft ? view.draft.changes : "",
    members: page.members,
    calendar: day.calendar,
    today: day.today,
    reviewLeadDays: day.settings.reviewLeadDays,
  };
}

export async function action(args: Route.ActionArgs) {
  const ctx = await slaMember(args);
  assertCan(ctx.ability, "update", "Agreement");
  const t = getInstance(args.context).getFixedT(null, "sla");
  const form = await args.request.formData();
  const parsed = parseContent(form, t);
  if (!parsed.ok) return data({ errors: parsed.errors, message: t("errors.invalid") }, { status: 400 });
  const changeNote = String(form.get("changeNote") ?? "")
    .trim()
    .slice(0, 4000);
  const saved = await withTenant(appDb(), ctx.scope, (trx) =>
    saveAgreement(trx, auditActor(ctx, args.context), args.params.id, parsed.content, { expectedRowVersion: Number(form.get("rowVersion")), changeNote }),
  );
  if (!saved.ok) {
    if (saved.reason === "not_found") notFound();
    const errors: Record<string, string> = saved.reason === "change_note_required" ? { changeNote: t("errors.changeNoteRequired") } : {};
    const message = { conflict: t("errors.conflict"), cancelled: t("errors.cancelled"), change_note_required: t("errors.changeNoteRequired") }[saved.reason];
    return data({ errors, message }, { status: saved.reason === "change_note_required" ? 400 : 409 });
  }
  return redirect(`/app/${ctx.org.slug}/sla/${args.params.id}?done=${saved.kind}&v=${saved.version}`);
}

export default function EditAgreement({ loaderData, actionData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("sla");
  const fmt = useOrgFormat();
  const { org, id } = useParams();
  const base = `/app/${org}/sla`;
  const d = loaderData;
  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to={base}>
          {t("list.title")}
        </Anchor>
        <Anchor component={Link} to={`${base}/${id}`}>
          <bdi>{d.number}</bdi>
        </Anchor>
        <span>{t("detail.edit")}</span>
      </Breadcrumbs>
      <Title order={1}>{t("form.editTitle", { number: d.number })}</Title>
      <Text c="dimmed">{agreementName(d.name, i18n.language)}</Text>
      {d.phase === "cancelled" || d.phase === "cancelling" ? <Alert color="red">{t("errors.cancelled")}</Alert> : null}
      {d.signed ? (
        <Alert color="blue" data-testid="edit-basis">
          {d.draftVersion ? t("form.editingDraft", { draft: fmt.number(d.draftVersion), version: fmt.number(d.signed.version) }) : t("form.editingSigned", { version: fmt.number(d.signed.version) })}
        </Alert>
      ) : (
        <Alert color="gray" data-testid="edit-basis">
          {t("form.editingFirstDraft")}
        </Alert>
      )}
      <AgreementForm
        key={`${id}-${d.rowVersion}`}
        initial={d.initial}
        signed={d.signed}
        nextVersion={d.nextVersion}
        initialChangeNote={d.changeNote}
        errors={actionData?.errors ?? {}}
        message={actionData?.message}
        members={d.members}
        calendar={d.calendar}
        today={d.today}
        reviewLeadDays={d.reviewLeadDays}
        rowVersion={d.rowVersion}
        submitLabel={t("form.save")}
        cancelTo={`${base}/${id}`}
      />
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
