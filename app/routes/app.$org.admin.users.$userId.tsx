import { Alert, Badge, Button, Divider, Drawer, Group, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { data, Form, useLocation, useNavigate, useNavigation, useParams } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/app.$org.admin.users.$userId";
import { CsrfInput } from "~/components/csrf-input";
import { RolesSelect, UnitSelect } from "~/components/admin/member-fields";
import { useOrgFormat } from "~/components/org-format";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { getMember, listRoleOptions, setMemberDisabled, updateMember } from "~/models/members.server";
import { listAllUnits, unitTree } from "~/models/units.server";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { fieldErrorsFrom } from "~/utils/form-errors";
import { notFound, requireOrgMember } from "~/utils/org-context.server";
import { asSubject, assertCan } from "~/utils/permissions.server";

const idSchema = z.uuid();

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Member");
  const userId = idSchema.safeParse(args.params.userId);
  if (!userId.success) notFound();
  const found = await withTenant(appDb(), ctx.scope, async (trx) => {
    const member = await getMember(trx, ctx.org.id, userId.data);
    if (!member) return undefined;
    return { member, units: unitTree(await listAllUnits(trx, ctx.org.id)), roles: await listRoleOptions(trx, ctx.org.id) };
  });
  if (!found) notFound();
  const row = { userId: found.member.userId, unitId: found.member.unitId };
  assertCan(ctx.ability, "read", "Member", row);
  return {
    ...found,
    member: { ...found.member, createdAt: found.member.createdAt.toISOString() },
    isSelf: found.member.userId === ctx.user.id,
    canUpdate: ctx.ability.can("update", asSubject("Member", row)),
  };
}

const updateSchema = z.object({
  unitId: z.union([z.literal("").transform(() => null), z.uuid({ error: "errors.invalidValue" })]),
  title: z
    .string()
    .trim()
    .max(200, { error: "errors.tooLong" })
    .transform((v) => v || null),
  roleIds: z.array(z.uuid({ error: "errors.invalidValue" })).max(50),
});

const REASON_FIELD: Record<string, [field: string, key: string]> = {
  own_roles: ["roleIds", "errors.ownRoles"],
  roles_not_allowed: ["roleIds", "errors.rolesNotAllowed"],
  unit_not_found: ["unitId", "errors.unitNotFound"],
  role_not_found: ["roleIds", "errors.roleNotFound"],
  self: ["_form", "errors.disableSelf"],
};

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "update", "Member");
  const userId = idSchema.safeParse(args.params.userId);
  if (!userId.success) notFound();
  const t = getInstance(args.context).getFixedT(null, "admin");
  const form = await args.request.formData();
  const intent = String(form.get("intent") ?? "");
  const actor = auditActor(ctx, args.context);
  const current = await withTenant(appDb(), ctx.scope, (trx) => getMember(trx, ctx.org.id, userId.data));
  if (!current) notFound();
  assertCan(ctx.ability, "update", "Member", { userId: current.userId, unitId: current.unitId });

  if (intent === "disable" || intent === "enable") {
    const result = await withTenant(appDb(), ctx.scope, (trx) => setMemberDisabled(trx, actor, userId.data, intent === "disable"));
    if (!result.ok) {
      if (result.reason === "not_found") notFound();
      return data({ intent, notice: null, values: null, fieldErrors: { _form: t(REASON_FIELD[result.reason]![1]) } as Record<string, string> }, { status: 400 });
    }
    return { intent, notice: intent === "disable" ? t("users.disabledNotice") : t("users.enabledNotice"), values: null, fieldErrors: {} as Record<string, string> };
  }
  if (intent !== "update") throw data({ code: "bad_request" }, { status: 400 });

  const values = {
    unitId: String(form.get("unitId") ?? ""),
    title: String(form.get("title") ?? ""),
    roleIds: String(form.get("roleIds") ?? "")
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean),
  };
  const parsed = updateSchema.safeParse(values);
  if (!parsed.success) return data({ intent, notice: null, values, fieldErrors: fieldErrorsFrom(parsed.error, t) }, { status: 400 });
  // Moving someone into a unit needs the right over the destination too.
  assertCan(ctx.ability, "update", "Member", { userId: current.userId, unitId: parsed.data.unitId });
  const result = await withTenant(appDb(), ctx.scope, (trx) => updateMember(trx, actor, userId.data, parsed.data, { mayAssignRoles: ctx.ability.can("update", "Role") }));
  if (!result.ok) {
    if (result.reason === "not_found") notFound();
    const [field, key] = REASON_FIELD[result.reason]!;
    return data({ intent, notice: null, values, fieldErrors: { [field]: t(key) } as Record<string, string> }, { status: 400 });
  }
  return { intent, notice: t(result.changed ? "users.saved" : "users.unchanged"), values: null, fieldErrors: {} as Record<string, string> };
}

export default function MemberDetail({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("admin");
  const navigate = useNavigate();
  const location = useLocation();
  const params = useParams();
  const navigation = useNavigation();
  const fmt = useOrgFormat();
  const [confirming, setConfirming] = useState(false);
  const { member, units, roles, isSelf, canUpdate } = loaderData;
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const errors = actionData?.fieldErrors ?? {};
  const values = actionData?.values ?? undefined;
  const added = new URLSearchParams(location.search).get("added");
  const close = () => {
    const search = new URLSearchParams(location.search);
    search.delete("added");
    const qs = search.toString();
    void navigate(`/app/${params.org}/admin/users${qs ? `?${qs}` : ""}`, { preventScrollReset: true });
  };
  return (
    <Drawer opened onClose={close} position="right" size="lg" title={t("users.memberTitle")} closeButtonProps={{ "aria-label": t("common:actions.back") }}>
      <Stack>
        <Stack gap={2}>
          <Group gap="xs">
            <Title order={2} size="h3">
              {member.name}
            </Title>
            <Badge color={member.disabled ? "red" : "teal"} variant="light" tt="none">
              {member.disabled ? t("users.status.disabled") : t("users.status.active")}
            </Badge>
          </Group>
          <Text c="dimmed" size="sm">
            <bdi dir="ltr">{member.email}</bdi>
          </Text>
          <Text size="xs" c="dimmed">
            {t("users.memberSince", { date: fmt.date(member.createdAt) })}
          </Text>
        </Stack>
        {added && !actionData ? (
          <Alert color={added === "existing" ? "blue" : "teal"} role="status">
            {added === "existing" ? t("users.addedExisting") : t("users.addedNew")}
          </Alert>
        ) : null}
        {actionData?.notice ? (
          <Alert color="teal" role="status">
            {actionData.notice}
          </Alert>
        ) : null}
        {errors._form ? (
          <Alert color="red" role="alert">
            {errors._form}
          </Alert>
        ) : null}
        <Form method="post" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="update" />
          <fieldset disabled={!canUpdate} style={{ border: 0, padding: 0, margin: 0 }}>
            <Stack>
              <UnitSelect
                units={units}
                defaultValue={values ? values.unitId || null : member.unitId}
                error={errors.unitId}
                label={t("users.fields.unit")}
              />
              <TextInput name="title" label={t("users.fields.title")} defaultValue={values?.title ?? member.title ?? ""} error={errors.title} />
              <RolesSelect
                roles={roles}
                defaultValue={values?.roleIds ?? member.roles.map((r) => r.id)}
                error={errors.roleIds}
                disabled={isSelf || !canUpdate}
                description={isSelf ? t("users.ownRolesHint") : undefined}
              />
              {isSelf ? <input type="hidden" name="roleIds" value={member.roles.map((r) => r.id).join(",")} /> : null}
              {canUpdate ? (
                <Group justify="flex-end">
                  <Button type="submit" loading={busy("update")}>
                    {t("common:actions.save")}
                  </Button>
                </Group>
              ) : null}
            </Stack>
          </fieldset>
        </Form>
        {canUpdate ? (
          <>
            <Divider />
            <Stack gap="xs">
              <Title order={3} size="h5">
                {t("users.statusTitle")}
              </Title>
              {member.disabled ? (
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="intent" value="enable" />
                  <Stack gap="xs" align="flex-start">
                    <Text size="sm">{t("users.enableHelp")}</Text>
                    <Button type="submit" variant="light" loading={busy("enable")}>
                      {t("common:actions.enable")}
                    </Button>
                  </Stack>
                </Form>
              ) : isSelf ? (
                <Text size="sm" c="dimmed">
                  {t("errors.disableSelf")}
                </Text>
              ) : (
                <Form method="post" onSubmit={() => setConfirming(false)}>
                  <CsrfInput />
                  <input type="hidden" name="intent" value="disable" />
                  <Stack gap="xs" align="flex-start">
                    <Text size="sm">{t("users.disableHelp")}</Text>
                    {confirming ? (
                      <Group gap="xs">
                        <Button type="submit" color="red" loading={busy("disable")}>
                          {t("users.confirmDisable")}
                        </Button>
                        <Button variant="default" onClick={() => setConfirming(false)}>
                          {t("common:actions.cancel")}
                        </Button>
                      </Group>
                    ) : (
                      <Button color="red" variant="light" onClick={() => setConfirming(true)}>
                        {t("common:actions.disable")}
                      </Button>
                    )}
                  </Stack>
                </Form>
              )}
            </Stack>
          </>
        ) : null}
      </Stack>
    </Drawer>
  );
}

/** Unknown or unreadable member: the message opens where the member would have, over the list. */
export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { t } = useTranslation("admin");
  const navigate = useNavigate();
  const params = useParams();
  return (
    <Drawer opened onClose={() => void navigate(`/app/${params.org}/admin/users`)} position="right" size="lg" title={t("users.memberTitle")} closeButtonProps={{ "aria-label": t("common:actions.back") }}>
      <RouteErrorPage error={error} />
    </Drawer>
  );
}
