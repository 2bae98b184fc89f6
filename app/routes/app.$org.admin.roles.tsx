import { Alert, Badge, Button, Group, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useNavigation, useOutlet, useSearchParams } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/app.$org.admin.roles";
import { CsrfInput } from "~/components/csrf-input";
import { useOrgFormat } from "~/components/org-format";
import { Pager } from "~/components/pager";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { createRole, getRole, listRoles } from "~/models/roles.server";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { formStrings } from "~/utils/form-errors";
import { requireOrgMember } from "~/utils/org-context.server";
import { parsePaging } from "~/utils/paging";
import { assertCan } from "~/utils/permissions.server";
import { roleKeySchema, roleNameSchema } from "~/utils/role-rules.server";
import { SearchForm } from "~/components/search-form";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

// Also the layout of the role editor (app.$org.admin.roles.$roleId): with a role open,
// only the editor is shown and the list is not queried.
export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Role");
  const t = getInstance(args.context).getFixedT(null, "roles");
  const title = `${t("title")} — ${t("common:appName")}`;
  if ((args.params as { roleId?: string }).roleId) return { title, list: null, options: [], page: 1, pageSize: 25, q: "", canCreate: false };
  const paging = parsePaging(new URL(args.request.url), 25);
  const canCreate = ctx.ability.can("create", "Role");
  const { list, options } = await withTenant(appDb(), ctx.scope, async (trx) => ({
    list: await listRoles(trx, ctx.org.id, { q: paging.q, limit: paging.pageSize, offset: paging.offset, ability: ctx.ability }),
    // "Start from" choices for a new role: every role the member may read.
    options: canCreate ? (await listRoles(trx, ctx.org.id, { q: "", limit: 200, offset: 0, ability: ctx.ability })).rows : [],
  }));
  const row = (r: (typeof list.rows)[number]) => ({ ...r, updated_at: r.updated_at.toISOString() });
  return {
    title,
    list: { total: list.total, rows: list.rows.map(row) },
    options: options.map((o) => ({ id: o.id, name_ar: o.name_ar, name_en: o.name_en })),
    page: paging.page,
    pageSize: paging.pageSize,
    q: paging.q,
    canCreate,
  };
}

const createSchema = z.object({
  key: roleKeySchema,
  name_ar: roleNameSchema,
  name_en: roleNameSchema,
  copyFrom: z.union([z.literal(""), z.uuid()]),
});

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "create", "Role");
  const t = getInstance(args.context).getFixedT(null, "roles");
  const values = formStrings(await args.request.formData(), ["key", "name_ar", "name_en", "copyFrom"] as const);
  const parsed = createSchema.safeParse(values);
  if (!parsed.success) {
    // One meaningful message per field, whatever the zod issue was.
    const fieldErrors: Record<string, string> = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), t(`errors.${String(i.path[0])}`)]));
    return data({ values, fieldErrors }, { status: 400 });
  }
  const { copyFrom, ...input } = parsed.data;
  const result = await withTenant(appDb(), ctx.scope, async (trx) => {
    const source = copyFrom ? await getRole(trx, ctx.org.id, copyFrom) : undefined;
    if (copyFrom && !source) return { ok: false as const, reason: "copy_not_found" as const };
    return createRole(trx, auditActor(ctx, args.context), { ...input, rules: source?.rules ?? [] });
  });
  if (!result.ok) {
    const fieldErrors: Record<string, string> =
      result.reason === "duplicate_key" ? { key: t("errors.duplicateKey") } : result.reason === "copy_not_found" ? { copyFrom: t("errors.copyFrom") } : { _form: t("errors.copyInvalid") };
    return data({ values, fieldErrors }, { status: 400 });
  }
  throw redirect(`/app/${ctx.org.slug}/admin/roles/${result.role.id}?created=1`);
}

export default function Roles({ loaderData, actionData }: Route.ComponentProps) {
  const outlet = useOutlet();
  if (outlet) return outlet;
  return <RoleList loaderData={loaderData} actionData={actionData} />;
}

function RoleList({ loaderData, actionData }: Pick<Route.ComponentProps, "loaderData" | "actionData">) {
  const { t, i18n } = useTranslation("roles");
  const fmt = useOrgFormat();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const { list, q, page, pageSize, canCreate, options } = loaderData;
  const name = (r: { name_ar: string; name_en: string }) => (i18n.language === "en" ? r.name_en : r.name_ar);
  const errors = actionData?.fieldErrors ?? {};
  const deleted = params.get("deleted");
  if (!list) return null;
  return (
    <Stack>
      <Title order={1}>{t("title")}</Title>
      <Text c="dimmed">{t("intro")}</Text>
      {deleted ? (
        <Alert color="teal" role="status">
          {t("deleted", { key: deleted })}
        </Alert>
      ) : null}
      <SearchForm q={q} label={t("search")} placeholder={t("searchPlaceholder")} />
      {list.rows.length === 0 ? (
        <Alert color="gray">{q ? t("noMatches", { q }) : t("empty")}</Alert>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("columns.name")}</Table.Th>
                <Table.Th>{t("columns.key")}</Table.Th>
                <Table.Th>{t("columns.members")}</Table.Th>
                <Table.Th>{t("columns.updated")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.rows.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Group gap="xs">
                      <Text component={Link} to={r.id} fw={600} c="teal.8" data-testid="role-link">
                        {name(r)}
                      </Text>
                      {r.builtin ? (
                        <Badge variant="light" color="gray" tt="none">
                          {t("builtin")}
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text span size="sm" dir="ltr" ff="monospace">
                      {r.key}
                    </Text>
                  </Table.Td>
                  <Table.Td>{fmt.number(r.members)}</Table.Td>
                  <Table.Td>{fmt.dateTime(r.updated_at)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Pager total={list.total} page={page} pageSize={pageSize} />
      {canCreate ? (
        <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="new-role-title">
          <Form method="post" noValidate>
            <CsrfInput />
            <Stack>
              <Title order={2} size="h4" id="new-role-title">
                {t("create.title")}
              </Title>
              {errors._form ? (
                <Alert color="red" role="alert">
                  {errors._form}
                </Alert>
              ) : null}
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput name="name_ar" label={t("fields.name_ar")} required lang="ar" dir="rtl" defaultValue={actionData?.values.name_ar} error={errors.name_ar} />
                <TextInput name="name_en" label={t("fields.name_en")} required lang="en" dir="ltr" defaultValue={actionData?.values.name_en} error={errors.name_en} />
                <TextInput
                  name="key"
                  label={t("fields.key")}
                  description={t("fields.keyHelp")}
                  required
                  dir="ltr"
                  autoComplete="off"
                  defaultValue={actionData?.values.key}
                  error={errors.key}
                />
                <NativeSelect
                  name="copyFrom"
                  label={t("fields.copyFrom")}
                  description={t("fields.copyFromHelp")}
                  defaultValue={actionData?.values.copyFrom ?? ""}
                  error={errors.copyFrom}
                  data={[{ value: "", label: t("fields.copyNone") }, ...options.map((o) => ({ value: o.id, label: name(o) }))]}
                />
              </SimpleGrid>
              <Group>
                <Button type="submit" loading={busy}>
                  {t("create.submit")}
                </Button>
              </Group>
            </Stack>
          </Form>
        </Paper>
      ) : null}
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
