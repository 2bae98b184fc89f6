import { Alert, Anchor, Grid, List, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Link } from "react-router";
import type { Route } from "./+types/app.$org.admin.calendar";
import { HolidaysEditor } from "~/components/calendar/holidays-editor";
import { OverridesEditor } from "~/components/calendar/overrides-editor";
import type { CalendarView } from "~/components/calendar/shared";
import { TryDeadline } from "~/components/calendar/try-deadline";
import { WeekEditor } from "~/components/calendar/week-editor";
import { RouteErrorPage } from "~/components/route-error";
import { isoDay, localDay, localMinute } from "~/engine/zoned-time";
import { getInstance } from "~/middleware/i18next";
import { getCalendarSettings } from "~/models/business-calendar.server";
import { auditActor } from "~/utils/audit-actor.server";
import { performCalendarAction, readCalendarForm, tooLarge } from "~/utils/calendar-admin.server";
import { appDb, withTenant } from "~/utils/db.server";
import { requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";

// The organisation's business calendar. Editing it is changing the organisation's settings
// (DESIGN.md lists the business calendar among them), so it takes "update Organisation", the
// permission of the settings page: no new subject for roles to grant.

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "update", "Organisation");
  const t = getInstance(args.context).getFixedT(null, "calendar");
  const s = await withTenant(appDb(), ctx.scope, (trx) => getCalendarSettings(trx, ctx.org.id));
  // "Now" in the organisation's zone, for the try-it box (fixed here so server and browser agree).
  const now = Date.now();
  const minute = Math.floor(localMinute(now, s.timeZone));
  const today = isoDay(localDay(now, s.timeZone));
  const calendar: CalendarView = { mode: s.mode, preset: s.preset, timeZone: s.timeZone, week: s.week, overrides: s.overrides, holidays: s.holidays, saved: s.saved };
  return {
    title: `${t("title")} — ${t("common:appName")}`,
    calendar,
    thisYear: Number(today.slice(0, 4)),
    nowLocal: `${today}T${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`,
  };
}

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "update", "Organisation");
  const t = getInstance(args.context).getFixedT(null, "calendar");
  const form = await readCalendarForm(args.request);
  const result = form ? await performCalendarAction(ctx, auditActor(ctx, args.context), form, t) : tooLarge(t, ctx);
  return result.ok ? result : data(result, { status: result.status });
}

export default function BusinessCalendarPage({ loaderData, actionData, params }: Route.ComponentProps) {
  const { t } = useTranslation("calendar");
  const { calendar, thisYear, nowLocal } = loaderData;
  // A saved change remounts the week editor with the saved hours; a refused one keeps the input.
  const weekKey = JSON.stringify([calendar.mode, calendar.preset, calendar.week]);
  return (
    <Stack maw={1100}>
      <Title order={1}>{t("title")}</Title>
      <Text c="dimmed" size="sm">
        {t("help")} {t("zone", { zone: calendar.timeZone })}{" "}
        <Anchor component={Link} to={`/app/${params.org}/admin/settings`} size="sm" underline="always">
          {t("zoneLink")}
        </Anchor>
      </Text>
      {!calendar.saved ? (
        <Alert color="blue" role="note">
          {t("defaults")}
        </Alert>
      ) : null}
      <Grid gutter="md" align="flex-start">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <WeekEditor key={weekKey} calendar={calendar} actionData={actionData} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack>
            <TryDeadline calendar={calendar} nowLocal={nowLocal} />
            <Stack gap={4} component="section" aria-labelledby="rules-title">
              <Title order={2} size="h5" id="rules-title">
                {t("rules.title")}
              </Title>
              <List size="sm" spacing={4}>
                <List.Item>{t("rules.hours")}</List.Item>
                <List.Item>{t("rules.days")}</List.Item>
                <List.Item>{t("rules.months")}</List.Item>
              </List>
            </Stack>
          </Stack>
        </Grid.Col>
      </Grid>
      <OverridesEditor calendar={calendar} actionData={actionData} />
      <HolidaysEditor calendar={calendar} actionData={actionData} thisYear={thisYear} />
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
