import { Alert, Button, Group, Paper, Radio, Select, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { data, Form, useNavigation } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/app.$org.admin.settings";
import { CsrfInput } from "~/components/csrf-input";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { updateOrgSettings } from "~/models/org-settings.server";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import type { CalendarKind, Digits } from "~/utils/db-types";
import { fieldErrorsFrom, formStrings } from "~/utils/form-errors";
import { formatDateTime, formatNumber, isValidTimeZone } from "~/utils/format";
import { requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";

// Offered first: the Gulf, then the rest of the Arab region; every other IANA zone follows.
const GULF_ZONES = ["Asia/Riyadh", "Asia/Dubai", "Asia/Qatar", "Asia/Kuwait", "Asia/Bahrain", "Asia/Muscat"];
const ARAB_ZONES = [
  "Asia/Baghdad", "Asia/Amman", "Asia/Beirut", "Asia/Damascus", "Asia/Aden", "Asia/Gaza", "Africa/Cairo", "Africa/Khartoum",
  "Africa/Tripoli", "Africa/Tunis", "Africa/Algiers", "Africa/Casablanca", "Africa/Nouakchott", "Africa/Mogadishu", "Africa/Djibouti",
];
const EXAMPLE_NUMBER = 1234567.89;

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "update", "Organisation");
  const t = getInstance(args.context).getFixedT(null, "admin");
  const featured = new Set([...GULF_ZONES, ...ARAB_ZONES]);
  const { org } = ctx;
  return {
    title: `${t("settings.title")} — ${t("common:appName")}`,
    settings: {
      slug: org.slug,
      name_ar: org.name_ar,
      name_en: org.name_en,
      initials: org.initials,
      default_locale: org.default_locale,
      digits: org.digits,
      calendar: org.calendar,
      time_zone: org.time_zone,
    },
    // Listed on the server so the server render and the browser agree on the options.
    otherZones: Intl.supportedValuesOf("timeZone").filter((z) => !featured.has(z)),
    // The example date is fixed at load time for the same reason.
    now: new Date().toISOString(),
  };
}

const settingsSchema = z.object({
  name_ar: z.string().trim().min(1, { error: "errors.required" }).max(200, { error: "errors.tooLong" }),
  name_en: z.string().trim().min(1, { error: "errors.required" }).max(200, { error: "errors.tooLong" }),
  initials: z.string().trim().min(1, { error: "errors.required" }).max(20, { error: "errors.tooLong" }),
  default_locale: z.enum(["ar", "en"], { error: "errors.invalidValue" }),
  digits: z.enum(["arab", "latn"], { error: "errors.invalidValue" }),
  calendar: z.enum(["gregory", "islamic-umalqura"], { error: "errors.invalidValue" }),
  time_zone: z
    .string()
    .trim()
    .refine((zone) => zone !== "" && isValidTimeZone(zone), { error: "errors.timeZone" })
    // Canonical spelling ("asia/riyadh" → "Asia/Riyadh"), as Intl reports it.
    .transform((zone) => new Intl.DateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone),
});

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "update", "Organisation");
  const t = getInstance(args.context).getFixedT(null, "admin");
  const form = await args.request.formData();
  const values = formStrings(form, ["name_ar", "name_en", "initials", "default_locale", "digits", "calendar", "time_zone"] as const);
  const parsed = settingsSchema.safeParse(values);
  if (!parsed.success) return data({ ok: false, changed: false, values, fieldErrors: fieldErrorsFrom(parsed.error, t) }, { status: 400 });
  const result = await withTenant(appDb(), ctx.scope, (trx) => updateOrgSettings(trx, auditActor(ctx, args.context), parsed.data));
  return { ok: true, changed: result.changed, values: null, fieldErrors: {} as Record<string, string> };
}

export default function OrgSettings({ loaderData, actionData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("admin");
  const busy = useNavigation().state === "submitting";
  const { settings, otherZones, now } = loaderData;
  const errors = actionData?.fieldErrors ?? {};
  const initial = actionData?.values ?? settings;
  const [digits, setDigits] = useState<string>(initial.digits);
  const [calendar, setCalendar] = useState<string>(initial.calendar);
  const [zone, setZone] = useState<string | null>(initial.time_zone);
  const locale = i18n.language === "en" ? "en" : "ar";
  const example = { locale, digits: digits as Digits, calendar: calendar as CalendarKind, timeZone: zone && isValidTimeZone(zone) ? zone : "UTC" } as const;
  const zoneLabel = (z: string) => `${t(`zones.${z}`, { defaultValue: z })} — ${z}`;
  const zoneData = [
    { group: t("settings.zoneGroups.gulf"), items: GULF_ZONES.map((z) => ({ value: z, label: zoneLabel(z) })) },
    { group: t("settings.zoneGroups.arab"), items: ARAB_ZONES.map((z) => ({ value: z, label: zoneLabel(z) })) },
    { group: t("settings.zoneGroups.other"), items: [...new Set([...otherZones, ...(zone && !GULF_ZONES.includes(zone) && !ARAB_ZONES.includes(zone) ? [zone] : [])])].map((z) => ({ value: z, label: z })) },
  ];
  return (
    <Stack maw={820}>
      <Title order={1}>{t("settings.title")}</Title>
      <Text c="dimmed" size="sm">
        {t("settings.help", { slug: settings.slug })}
      </Text>
      {actionData?.ok ? (
        <Alert color="teal" role="status">
          {actionData.changed ? t("settings.saved") : t("settings.unchanged")}
        </Alert>
      ) : Object.keys(errors).length ? (
        <Alert color="red" role="alert">
          {t("common:errors.invalid")}
        </Alert>
      ) : null}
      <Form method="post" noValidate>
        <CsrfInput />
        <Stack gap="lg">
          <Paper withBorder p="md">
            <Stack>
              <Title order={2} size="h4">
                {t("settings.sections.identity")}
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput name="name_ar" lang="ar" dir="rtl" label={t("settings.fields.nameAr")} required defaultValue={initial.name_ar} error={errors.name_ar} />
                <TextInput name="name_en" lang="en" dir="ltr" label={t("settings.fields.nameEn")} required defaultValue={initial.name_en} error={errors.name_en} />
              </SimpleGrid>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput name="initials" label={t("settings.fields.initials")} description={t("settings.fields.initialsHint")} required maxLength={20} defaultValue={initial.initials} error={errors.initials} />
                <TextInput label={t("settings.fields.slug")} description={t("settings.fields.slugHint")} value={settings.slug} dir="ltr" readOnly variant="filled" />
              </SimpleGrid>
            </Stack>
          </Paper>
          <Paper withBorder p="md">
            <Stack>
              <Title order={2} size="h4">
                {t("settings.sections.display")}
              </Title>
              <Radio.Group name="default_locale" label={t("settings.fields.defaultLocale")} description={t("settings.fields.defaultLocaleHint")} defaultValue={initial.default_locale} error={errors.default_locale}>
                <Group mt="xs">
                  <Radio value="ar" label="العربية" lang="ar" />
                  <Radio value="en" label="English" lang="en" />
                </Group>
              </Radio.Group>
              <Radio.Group name="digits" label={t("settings.fields.digits")} value={digits} onChange={setDigits} error={errors.digits}>
                <Group mt="xs">
                  <Radio value="arab" label={t("settings.digits.arab")} />
                  <Radio value="latn" label={t("settings.digits.latn")} />
                </Group>
              </Radio.Group>
              <Radio.Group name="calendar" label={t("settings.fields.calendar")} value={calendar} onChange={setCalendar} error={errors.calendar}>
                <Group mt="xs">
                  <Radio value="gregory" label={t("settings.calendar.gregory")} />
                  <Radio value="islamic-umalqura" label={t("settings.calendar.islamic-umalqura")} />
                </Group>
              </Radio.Group>
              <Select
                name="time_zone"
                label={t("settings.fields.timeZone")}
                description={t("settings.fields.timeZoneHint")}
                data={zoneData}
                value={zone}
                onChange={setZone}
                searchable
                // Selecting the shown label on focus lets typing start a fresh search.
                onFocus={(e) => e.currentTarget.select()}
                allowDeselect={false}
                nothingFoundMessage={t("settings.noZone")}
                error={errors.time_zone}
                maxDropdownHeight={320}
                comboboxProps={{ withinPortal: true }}
              />
              <Paper bg="gray.0" p="sm" aria-live="polite" data-testid="format-example">
                <Text size="sm" fw={600}>
                  {t("settings.example.title")}
                </Text>
                <Text size="sm">
                  {t("settings.example.number")} <bdi dir={locale === "ar" ? "rtl" : "ltr"}>{formatNumber(EXAMPLE_NUMBER, example)}</bdi>
                </Text>
                <Text size="sm">
                  {t("settings.example.today")} <bdi dir={locale === "ar" ? "rtl" : "ltr"}>{formatDateTime(now, example, "datetime")}</bdi>
                </Text>
              </Paper>
            </Stack>
          </Paper>
          <Group justify="flex-end">
            <Button type="submit" loading={busy}>
              {t("common:actions.save")}
            </Button>
          </Group>
        </Stack>
      </Form>
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
