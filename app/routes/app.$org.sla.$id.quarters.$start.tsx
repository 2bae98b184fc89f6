import { Alert, Anchor, Breadcrumbs, Button, Fieldset, Paper, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Form, Link, useNavigation, useParams } from "react-router";
import type { Route } from "./+types/app.$org.sla.$id.quarters.$start";
import { CsrfInput } from "~/components/csrf-input";
import { useOrgFormat } from "~/components/org-format";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { notFound } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";
import { getAgreement } from "~plugins/sla/agreements.server";
import { importDeadlineBreaches, listBreaches } from "~plugins/sla/breaches.server";
import { listQuarters, recordMeeting } from "~plugins/sla/meetings.server";
import { meetingSchema } from "~plugins/sla/schema";
import { BreachTable } from "~plugins/sla/ui/detail-panels";
import { agreementName, lastDayOf, noon } from "~plugins/sla/ui/labels";
import { errorsByPath, slaDay, slaMember, str } from "~plugins/sla/ui/routes.server";

// One quarter of an agreement and its review meeting (الاجتماع الدوري ربع السنوي): the
// breaches that occurred in the quarter with their causes and fixes — the meeting's agenda —
// and the minutes once recorded (when it was held, who attended, what was agreed).

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await slaMember(args);
  assertCan(ctx.ability, "read", "Agreement");
  assertCan(ctx.ability, "read", "AgreementMeeting");
  const canBreaches = ctx.ability.can("read", "AgreementBreach");
  const page = await withTenant(appDb(), ctx.scope, async (trx) => {
    const day = await slaDay(trx, ctx.org.id);
    const view = await getAgreement(trx, ctx.org.id, args.params.id, day.today, day.calendar, day.settings);
    if (!view) return undefined;
    await importDeadlineBreaches(trx, ctx.org.id, view.id);
    const found = (await listQuarters(trx, ctx.org.id, view.id, day.today, day.calendar)).find((q) => q.quarter.start === args.params.start);
    if (!found) return undefined;
    const breaches = canBreaches ? await listBreaches(trx, ctx.org.id, view.id, { from: found.quarter.start, to: found.quarter.end }) : [];
    return { day, view, found, breaches };
  });
  if (!page) notFound();
  const { view, found, day } = page;
  const content = view.signed?.content ?? view.draft!.content;
  const t = getInstance(args.context).getFixedT(null, "sla");
  return {
    title: `${t("meetings.pageTitle", { n: found.quarter.index })} — ${view.number} — ${t("common:appName")}`,
    agreement: { id: view.id, number: view.number, nameAr: content.nameAr, nameEn: content.nameEn },
    quarter: found.quarter,
    meeting: found.meeting,
    breaches: page.breaches.map((b) => ({ ...b, occurredAt: b.occurredAt.toISOString() })),
    canBreaches,
    canRecord: ctx.ability.can("create", "AgreementMeeting"),
    today: day.today,
  };
}

export async function action(args: Route.ActionArgs) {
  const ctx = await slaMember(args);
  assertCan(ctx.ability, "create", "AgreementMeeting");
  const t = getInstance(args.context).getFixedT(null, "sla");
  const form = await args.request.formData();
  const parsed = meetingSchema.safeParse({ quarterStart: args.params.start, heldOn: str(form, "heldOn"), attendees: str(form, "attendees"), minutes: str(form, "minutes") });
  if (!parsed.success) return data({ ok: false as const, message: t("errors.invalid"), errors: errorsByPath(parsed.error, t) }, { status: 400 });
  const result = await withTenant(appDb(), ctx.scope, (trx) => recordMeeting(trx, auditActor(ctx, args.context), args.params.id, parsed.data));
  if (!result.ok) {
    if (result.reason === "not_found") notFound();
    return data({ ok: false as const, message: t("errors.notAQuarter"), errors: {} as Record<string, string> }, { status: 409 });
  }
  return { ok: true as const, message: t("meetings.saved"), errors: {} as Record<string, string> };
}

export default function QuarterPage({ loaderData, actionData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("sla");
  const fmt = useOrgFormat();
  const busy = useNavigation().state === "submitting";
  const { org } = useParams();
  const d = loaderData;
  const base = `/app/${org}/sla/${d.agreement.id}`;
  const day = (iso: string) => fmt.date(noon(iso));
  const errors = actionData && !actionData.ok ? actionData.errors : {};
  const title = t("meetings.pageTitle", { n: fmt.number(d.quarter.index) });
  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to={`/app/${org}/sla`}>
          {t("list.title")}
        </Anchor>
        <Anchor component={Link} to={`${base}?tab=meetings`}>
          <bdi>{d.agreement.number}</bdi>
        </Anchor>
        <span>{title}</span>
      </Breadcrumbs>
      <Stack gap={4}>
        <Title order={1}>{title}</Title>
        <Text c="dimmed">{agreementName(d.agreement, i18n.language)}</Text>
        <Text size="sm" data-testid="quarter-period">
          {t("meetings.periodText", { from: day(d.quarter.start), to: day(lastDayOf(d.quarter.end)), planned: day(d.quarter.meetingDate) })}
        </Text>
      </Stack>
      {actionData?.message ? (
        <Alert color={actionData.ok ? "teal" : "red"} role={actionData.ok ? "status" : "alert"} data-testid="action-message">
          {actionData.message}
        </Alert>
      ) : null}

      <Paper withBorder p="md" data-testid="meeting-minutes">
        <Stack gap="sm">
          <Title order={2} size="h4">
            {t("meetings.minutesTitle")}
          </Title>
          {d.meeting?.heldOn ? (
            <>
              <Text size="sm" data-testid="meeting-held">
                {t("meetings.heldOn", { date: day(d.meeting.heldOn) })}
              </Text>
              <Text size="sm">
                <strong>{t("meetings.attendees")}:</strong> {d.meeting.attendees}
              </Text>
              <Text size="sm" style={{ whiteSpace: "pre-line" }} data-testid="meeting-text">
                {d.meeting.minutes}
              </Text>
            </>
          ) : (
            <Text size="sm" c="dimmed">
              {t("meetings.notHeld")}
            </Text>
          )}
          {d.canBreaches ? (
            <>
              <Title order={3} size="h5">
                {t("meetings.quarterBreaches")}
              </Title>
              {d.breaches.length ? (
                <BreachTable breaches={d.breaches} testId="quarter-breaches" />
              ) : (
                <Text size="sm" c="dimmed" data-testid="quarter-breaches-empty">
                  {t("meetings.noBreaches")}
                </Text>
              )}
            </>
          ) : null}
        </Stack>
      </Paper>

      {d.canRecord ? (
        <Form method="post" noValidate key={d.meeting?.rowVersion ?? 0}>
          <CsrfInput />
          <Fieldset legend={d.meeting ? t("meetings.editTitle") : t("meetings.recordTitle")}>
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                <TextInput name="heldOn" type="date" label={t("meetings.heldOnLabel")} required defaultValue={d.meeting?.heldOn ?? d.today} error={errors.heldOn} />
                <TextInput name="attendees" label={t("meetings.attendees")} required defaultValue={d.meeting?.attendees ?? ""} maxLength={2000} error={errors.attendees} />
              </SimpleGrid>
              <Textarea
                name="minutes"
                label={t("meetings.minutes")}
                description={t("meetings.minutesHelp")}
                required
                defaultValue={d.meeting?.minutes ?? ""}
                autosize
                minRows={4}
                maxLength={20000}
                error={errors.minutes}
              />
              <Button type="submit" w="fit-content" loading={busy}>
                {t("meetings.save")}
              </Button>
            </Stack>
          </Fieldset>
        </Form>
      ) : null}
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
