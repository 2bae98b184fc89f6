import { Alert, Badge, Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Link, Outlet, redirect, useLocation, useSearchParams } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/app.$org.admin.users";
import { AddMemberDrawer } from "~/components/admin/add-member-drawer";
import { Pager } from "~/components/pager";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { addMember, listMembers, listRoleOptions } from "~/models/members.server";
import { listAllUnits, unitTree } from "~/models/units.server";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { fieldErrorsFrom, formStrings } from "~/utils/form-errors";
import { requireOrgMember } from "~/utils/org-context.server";
import { parsePaging } from "~/utils/paging";
import { assertCan } from "~/utils/permissions.server";
import { SearchForm } from "~/components/search-form";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Member");
  const paging = parsePaging(new URL(args.request.url), 25);
  const canCreate = ctx.ability.can("create", "Member");
  const found = await withTenant(appDb(), ctx.scope, async (trx) => ({
    list: await listMembers(trx, { orgId: ctx.org.id, ability: ctx.ability, q: paging.q, limit: paging.pageSize, offset: paging.offset }),
    units: canCreate ? unitTree(await listAllUnits(trx, ctx.org.id)) : [],
    roles: canCreate ? await listRoleOptions(trx, ctx.org.id) : [],
  }));
  const t = getInstance(args.context).getFixedT(null, "admin");
  return {
    title: `${t("users.title")} — ${t("common:appName")}`,
    ...found,
    page: paging.page,
    pageSize: paging.pageSize,
    q: paging.q,
    canCreate,
  };
}

const optionalId = z.union([z.literal("").transform(() => null), z.uuid({ error: "errors.invalidValue" })]);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: "errors.tooLong" })
    .transform((v) => v || null);

const addSchema = z.object({
  email: z.string().trim().max(254, { error: "errors.tooLong" }).pipe(z.email({ error: "errors.email" })),
  name: z.string().trim().min(1, { error: "errors.required" }).max(200, { error: "errors.tooLong" }),
  password: z.string().min(10, { error: "errors.passwordShort" }).max(200, { error: "errors.tooLong" }),
  unitId: optionalId,
  title: optionalText(200),
  roleIds: z.array(z.uuid({ error: "errors.invalidValue" })).max(50),
});

const ADD_REASON_FIELD = {
  already_member: ["email", "errors.alreadyMember"],
  already_member_disabled: ["email", "errors.alreadyMemberDisabled"],
  unit_not_found: ["unitId", "errors.unitNotFound"],
  role_not_found: ["roleIds", "errors.roleNotFound"],
  roles_not_allowed: ["roleIds", "errors.rolesNotAllowed"],
} as const;

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "create", "Member");
  const t = getInstance(args.context).getFixedT(null, "admin");
  const form = await args.request.formData();
  const raw = formStrings(form, ["email", "name", "unitId", "title"] as const);
  const values = { ...raw, roleIds: splitIds(String(form.get("roleIds") ?? "")) };
  const parsed = addSchema.safeParse({ ...values, password: String(form.get("password") ?? "") });
  if (!parsed.success) return data({ values, fieldErrors: fieldErrorsFrom(parsed.error, t) }, { status: 400 });
  if (parsed.data.unitId) assertCan(ctx.ability, "create", "Member", { unitId: parsed.data.unitId });
  const result = await withTenant(appDb(), ctx.scope, (trx) => addMember(trx, auditActor(ctx, args.context), parsed.data, { mayAssignRoles: ctx.ability.can("update", "Role") }));
  if (!result.ok) {
    const [field, key] = ADD_REASON_FIELD[result.reason];
    return data({ values, fieldErrors: { [field]: t(key) } as Record<string, string> }, { status: 400 });
  }
  throw redirect(`/app/${ctx.org.slug}/admin/users/${result.userId}?added=${result.createdAccount ? "new" : "existing"}`);
}

/** Mantine's MultiSelect submits its values comma-separated in one hidden input. */
function splitIds(value: string): string[] {
  return value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
}

export default function Users({ loaderData, actionData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("admin");
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const { list, q, page, pageSize, canCreate } = loaderData;
  const en = i18n.language === "en";
  const openAdd = () => {
    const next = new URLSearchParams(params);
    next.set("add", "1");
    setParams(next);
  };
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={1}>{t("users.title")}</Title>
        {canCreate ? <Button onClick={openAdd}>{t("users.add")}</Button> : null}
      </Group>
      <SearchForm q={q} label={t("users.search")} placeholder={t("users.searchPlaceholder")} />
      {list.rows.length === 0 ? (
        <Alert color="gray">{q ? t("users.noMatches", { q }) : t("users.empty")}</Alert>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("users.columns.name")}</Table.Th>
                <Table.Th>{t("users.columns.email")}</Table.Th>
                <Table.Th>{t("users.columns.unit")}</Table.Th>
                <Table.Th>{t("users.columns.roles")}</Table.Th>
                <Table.Th>{t("users.columns.status")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.rows.map((m) => (
                <Table.Tr key={m.userId}>
                  <Table.Td>
                    <Text component={Link} to={`${m.userId}${location.search}`} fw={600} c="teal.8" data-testid="member-link">
                      {m.name}
                    </Text>
                    {m.title ? (
                      <Text size="xs" c="dimmed">
                        {m.title}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    {/* Inline and isolated: reads left-to-right yet follows the column's alignment. */}
                    <Text span size="sm" dir="ltr">
                      {m.email}
                    </Text>
                  </Table.Td>
                  <Table.Td>{m.unitId ? (en ? m.unitName_en : m.unitName_ar) : <Text c="dimmed">{t("users.noUnit")}</Text>}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {m.roles.map((r) => (
                        <Badge key={r.id} variant="light" color="gray" tt="none">
                          {en ? r.name_en : r.name_ar}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={m.disabled ? "red" : "teal"} variant="light" tt="none">
                      {m.disabled ? t("users.status.disabled") : t("users.status.active")}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Pager total={list.total} page={page} pageSize={pageSize} />
      {canCreate ? <AddMemberDrawer units={loaderData.units} roles={loaderData.roles} actionData={actionData} /> : null}
      <Outlet />
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
