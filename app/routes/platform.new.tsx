import { Alert, Button, Fieldset, Group, PasswordInput, Select, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useNavigation } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/platform.new";
import { CsrfInput } from "~/components/csrf-input";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { RESERVED_SLUGS } from "~/models/organisations.server";
import { createOrganisationWithAdmin } from "~/models/platform.server";
import { appDb, withPlatform } from "~/utils/db.server";
import { fieldErrorsFrom, formStrings } from "~/utils/form-errors";
import { isValidTimeZone } from "~/utils/format";
import { requirePlatformAdmin } from "~/utils/platform.server";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

const DEFAULT_ZONE = "Asia/Riyadh";
// The zones of the region first, then every zone the runtime knows.
const REGION_ZONES = ["Asia/Riyadh", "Asia/Dubai", "Asia/Kuwait", "Asia/Qatar", "Asia/Bahrain", "Asia/Muscat", "Africa/Cairo", "Asia/Amman", "Asia/Baghdad", "Africa/Casablanca"];

export function loader(args: Route.LoaderArgs) {
  requirePlatformAdmin(args);
  const t = getInstance(args.context).getFixedT(null, "platform");
  const all = Intl.supportedValuesOf("timeZone");
  const zones = [...REGION_ZONES.filter((z) => all.includes(z)), ...all.filter((z) => !REGION_ZONES.includes(z))];
  return { title: `${t("create.title")} — ${t("common:appName")}`, zones };
}

const FIELDS = ["slug", "name_ar", "name_en", "initials", "default_locale", "digits", "calendar", "time_zone", "admin_email", "admin_name"] as const;
type Values = Record<(typeof FIELDS)[number], string>;

const text = (max: number) => z.string().trim().min(1, { error: "errors.required" }).max(max, { error: "errors.tooLong" });
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: "errors.tooLong" })
    .transform((v) => v || null);

const schema = z.object({
  // The same pattern as the organisations.slug CHECK constraint (migrations/0001_core.ts).
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, { error: "errors.required" })
    .regex(/^[a-z0-9][a-z0-9-]{1,40}$/, { error: "errors.slugFormat" })
    .refine((s) => !RESERVED_SLUGS.has(s), { error: "errors.slugReserved" }),
  name_ar: text(200),
  name_en: text(200),
  initials: text(20),
  default_locale: z.enum(["ar", "en"], { error: "errors.invalidValue" }),
  digits: z.enum(["arab", "latn"], { error: "errors.invalidValue" }),
  calendar: z.enum(["gregory", "islamic-umalqura"], { error: "errors.invalidValue" }),
  time_zone: z.string().refine(isValidTimeZone, { error: "errors.timeZone" }),
  admin_email: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, { error: "errors.required" })
    .max(254, { error: "errors.tooLong" })
    .pipe(z.email({ error: "errors.email" })),
  admin_name: optionalText(200),
  admin_password: z
    .string()
    .max(200, { error: "errors.tooLong" })
    .refine((p) => p === "" || p.length >= 10, { error: "errors.passwordShort" })
    .transform((p) => p || null),
});

const REASON_FIELD = {
  slug_reserved: ["slug", "errors.slugReserved"],
  slug_taken: ["slug", "errors.slugTaken"],
  admin_name_required: ["admin_name", "errors.adminNameRequired"],
  admin_password_required: ["admin_password", "errors.adminPasswordRequired"],
} as const;

export async function action(args: Route.ActionArgs) {
  const { actor } = requirePlatformAdmin(args);
  const t = getInstance(args.context).getFixedT(null, "platform");
  const form = await args.request.formData();
  const values: Values = formStrings(form, FIELDS);
  const parsed = schema.safeParse({ ...values, admin_password: String(form.get("admin_password") ?? "") });
  if (!parsed.success) return data({ values, fieldErrors: fieldErrorsFrom(parsed.error, t) }, { status: 400 });
  const { admin_email, admin_name, admin_password, ...org } = parsed.data;
  let result;
  try {
    result = await withPlatform(appDb(), (trx) =>
      createOrganisationWithAdmin(trx, actor, { ...org, admin: { email: admin_email, name: admin_name, password: admin_password } }),
    );
  } catch (error) {
    // Two platform admins creating the same slug at once: the unique index decides.
    if ((error as { code?: string }).code === "23505" && String((error as { constraint?: string }).constraint).includes("slug")) {
      result = { ok: false, reason: "slug_taken" } as const;
    } else throw error;
  }
  if (!result.ok) {
    const [field, key] = REASON_FIELD[result.reason];
    return data({ values, fieldErrors: { [field]: t(key) } as Record<string, string> }, { status: 400 });
  }
  throw redirect(`/platform?created=${encodeURIComponent(result.slug)}&admin=${result.createdAccount ? "new" : "existing"}`);
}

export default function NewOrganisation({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("platform");
  const busy = useNavigation().state === "submitting";
  const values = actionData?.values;
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};
  const option = (group: string, keys: string[]) => keys.map((value) => ({ value, label: t(`create.options.${group}.${value}`) }));
  return (
    <Stack maw={760} mx="auto">
      <Stack gap={4}>
        <Title order={1}>{t("create.title")}</Title>
        <Text c="dimmed" size="sm">
          {t("create.intro")}
        </Text>
      </Stack>
      <Form method="post" noValidate>
        <CsrfInput />
        <Stack>
          {Object.keys(errors).length ? (
            <Alert color="red" role="alert">
              {t("common:errors.invalid")}
            </Alert>
          ) : null}
          <Fieldset legend={t("create.orgSection")}>
            <Stack>
              <TextInput
                name="slug"
                label={t("create.fields.slug")}
                description={t("create.fields.slugHint")}
                dir="ltr"
                required
                autoComplete="off"
                spellCheck={false}
                defaultValue={values?.slug}
                error={errors.slug}
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput name="name_ar" label={t("create.fields.nameAr")} dir="rtl" lang="ar" required defaultValue={values?.name_ar} error={errors.name_ar} />
                <TextInput name="name_en" label={t("create.fields.nameEn")} dir="ltr" lang="en" required defaultValue={values?.name_en} error={errors.name_en} />
              </SimpleGrid>
              <TextInput
                name="initials"
                label={t("create.fields.initials")}
                description={t("create.fields.initialsHint")}
                required
                defaultValue={values?.initials}
                error={errors.initials}
              />
            </Stack>
          </Fieldset>
          <Fieldset legend={t("create.displaySection")}>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select
                name="default_locale"
                label={t("create.fields.defaultLocale")}
                data={option("locale", ["ar", "en"])}
                defaultValue={values?.default_locale || "ar"}
                allowDeselect={false}
                error={errors.default_locale}
              />
              <Select
                name="digits"
                label={t("create.fields.digits")}
                data={option("digits", ["arab", "latn"])}
                defaultValue={values?.digits || "arab"}
                allowDeselect={false}
                error={errors.digits}
              />
              <Select
                name="calendar"
                label={t("create.fields.calendar")}
                data={option("calendar", ["gregory", "islamic-umalqura"])}
                defaultValue={values?.calendar || "gregory"}
                allowDeselect={false}
                error={errors.calendar}
              />
              <Select
                name="time_zone"
                label={t("create.fields.timeZone")}
                data={loaderData.zones}
                defaultValue={values?.time_zone || DEFAULT_ZONE}
                searchable
                allowDeselect={false}
                limit={50}
                dir="ltr"
                error={errors.time_zone}
              />
            </SimpleGrid>
          </Fieldset>
          <Fieldset legend={t("create.adminSection")}>
            <Stack>
              <TextInput
                name="admin_email"
                type="email"
                label={t("create.fields.adminEmail")}
                description={t("create.fields.adminEmailHint")}
                dir="ltr"
                required
                autoComplete="off"
                defaultValue={values?.admin_email}
                error={errors.admin_email}
              />
              <TextInput name="admin_name" label={t("create.fields.adminName")} autoComplete="off" defaultValue={values?.admin_name} error={errors.admin_name} />
              <PasswordInput
                name="admin_password"
                label={t("create.fields.adminPassword")}
                description={t("create.fields.adminPasswordHint")}
                autoComplete="new-password"
                error={errors.admin_password}
              />
            </Stack>
          </Fieldset>
          <Group justify="flex-end">
            <Button component={Link} to="/platform" variant="default">
              {t("common:actions.cancel")}
            </Button>
            <Button type="submit" loading={busy}>
              {t("create.submit")}
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
