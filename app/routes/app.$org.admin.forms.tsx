import { Alert, Badge, Button, Group, List, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useNavigation, useOutlet } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/app.$org.admin.forms";
import { CsrfInput } from "~/components/csrf-input";
import { inputDir } from "~/components/form-builder/dir";
import { ImportFileInput } from "~/components/form-builder/import-file-input";
import { useOrgFormat } from "~/components/org-format";
import { Pager } from "~/components/pager";
import { RouteErrorPage } from "~/components/route-error";
import { SearchForm } from "~/components/search-form";
import { importFormJson } from "~/forms/import";
import { describeProblems } from "~/forms/messages.server";
import type { FormVersionJson } from "~/forms/model";
import { getInstance } from "~/middleware/i18next";
import { createForm, formKeySchema, formNameSchema, listForms } from "~/models/forms.server";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { formStrings } from "~/utils/form-errors";
import { requireOrgMember } from "~/utils/org-context.server";
import { parsePaging } from "~/utils/paging";
import { assertCan } from "~/utils/permissions.server";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

// Also the layout of the builder (app.$org.admin.forms.$formId): with a form open, only
// the builder is shown and the list is not queried.
export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Form");
  const t = getInstance(args.context).getFixedT(null, "forms");
  const title = `${t("builder.list.title")} — ${t("common:appName")}`;
  const canCreate = ctx.ability.can("create", "Form");
  if ((args.params as { formId?: string }).formId) return { title, list: null, page: 1, pageSize: 25, q: "", canCreate };
  const paging = parsePaging(new URL(args.request.url), 25);
  const list = await withTenant(appDb(), ctx.scope, (trx) => listForms(trx, ctx.org.id, { q: paging.q, limit: paging.pageSize, offset: paging.offset, ability: ctx.ability }));
  return {
    title,
    list: { total: list.total, rows: list.rows.map((r) => ({ id: r.id, key: r.key, name_ar: r.name_ar, name_en: r.name_en, latest: r.latest_version, draft: !!r.has_draft, created_at: r.created_at.toISOString() })) },
    page: paging.page,
    pageSize: paging.pageSize,
    q: paging.q,
    canCreate,
  };
}

const createSchema = z.object({ key: formKeySchema, name_ar: formNameSchema, name_en: formNameSchema });
const MAX_IMPORT = 512 * 1024;

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "create", "Form");
  const t = getInstance(args.context).getFixedT(null, "forms");
  const values = formStrings(await args.request.formData(), ["key", "name_ar", "name_en", "content", "filename"] as const);
  const keep = { key: values.key, name_ar: values.name_ar, name_en: values.name_en, filename: values.filename };
  const fieldErrors: Record<string, string> = {};
  const parsed = createSchema.safeParse(values);
  if (!parsed.success) for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] = t(`builder.list.errors.${String(issue.path[0])}`);
  let content: FormVersionJson | undefined;
  if (values.content) {
    const imported = values.content.length > MAX_IMPORT ? ({ ok: false, code: "tooLarge" } as const) : importFormJson(values.content);
    if (imported.ok) content = imported.content;
    else fieldErrors.content = t(`builder.list.errors.import.${imported.code}`);
  }
  if (!parsed.success || fieldErrors.content) return data({ values: keep, fieldErrors, problems: [] as string[] }, { status: 400 });
  const result = await withTenant(appDb(), ctx.scope, (trx) => createForm(trx, auditActor(ctx, args.context), { ...parsed.data, content }));
  if (result.ok) throw redirect(`/app/${ctx.org.slug}/admin/forms/${result.value.id}`);
  if (result.reason === "duplicate_key") return data({ values: keep, fieldErrors: { key: t("builder.list.errors.duplicateKey") } as Record<string, string>, problems: [] as string[] }, { status: 400 });
  const problems = result.reason === "invalid" ? describeProblems(result.problems.filter((p) => p.severity === "error"), ctx.locale).map((p) => p.message) : [];
  return data({ values: keep, fieldErrors: { content: t("builder.list.errors.import.refused") } as Record<string, string>, problems }, { status: 400 });
}

export default function Forms({ loaderData, actionData }: Route.ComponentProps) {
  const outlet = useOutlet();
  if (outlet) return outlet;
  return <FormList loaderData={loaderData} actionData={actionData} />;
}

function FormList({ loaderData, actionData }: Pick<Route.ComponentProps, "loaderData" | "actionData">) {
  const { t, i18n } = useTranslation("forms");
  const fmt = useOrgFormat();
  const busy = useNavigation().state === "submitting";
  const { list, q, page, pageSize, canCreate } = loaderData;
  const errors = actionData?.fieldErrors ?? {};
  if (!list) return null;
  const name = (r: { name_ar: string; name_en: string }) => (i18n.language === "en" ? r.name_en : r.name_ar);
  return (
    <Stack>
      <Title order={1}>{t("builder.list.title")}</Title>
      <Text c="dimmed">{t("builder.list.intro")}</Text>
      <SearchForm q={q} label={t("builder.list.search")} placeholder={t("builder.list.searchPlaceholder")} />
      {list.rows.length === 0 ? (
        <Alert color="gray">{q ? t("builder.list.noMatches", { q }) : t("builder.list.empty")}</Alert>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped highlightOnHover verticalSpacing="sm" data-testid="forms-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("builder.list.columns.name")}</Table.Th>
                <Table.Th>{t("builder.list.columns.key")}</Table.Th>
                <Table.Th>{t("builder.list.columns.version")}</Table.Th>
                <Table.Th>{t("builder.list.columns.created")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.rows.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Text component={Link} to={r.id} fw={600} c="teal.8" data-testid="form-link">
                      {name(r)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text span size="sm" dir="ltr" ff="monospace">
                      {r.key}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6}>
                      <Text size="sm">{r.latest === null ? t("builder.list.unpublished") : t("builder.versions.number", { n: fmt.number(r.latest) })}</Text>
                      {r.draft ? (
                        <Badge size="sm" variant="light" color="yellow" tt="none">
                          {t("builder.versions.draft")}
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  <Table.Td>{fmt.dateTime(r.created_at)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Pager total={list.total} page={page} pageSize={pageSize} />
      {canCreate ? (
        <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="new-form-title">
          <Form method="post" noValidate>
            <CsrfInput />
            <Stack>
              <Title order={2} size="h4" id="new-form-title">
                {t("builder.list.create.title")}
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput name="name_ar" label={t("builder.list.fields.name_ar")} required lang="ar" {...inputDir("rtl")} defaultValue={actionData?.values.name_ar} error={errors.name_ar} />
                <TextInput name="name_en" label={t("builder.list.fields.name_en")} required lang="en" {...inputDir("ltr")} defaultValue={actionData?.values.name_en} error={errors.name_en} />
                <TextInput name="key" label={t("builder.list.fields.key")} description={t("builder.list.fields.keyHelp")} required {...inputDir("ltr", true)} autoComplete="off" defaultValue={actionData?.values.key} error={errors.key} />
                <ImportFileInput error={errors.content} />
              </SimpleGrid>
              {actionData?.problems.length ? (
                <Alert color="red" role="alert">
                  <List size="sm">
                    {actionData.problems.slice(0, 10).map((p, i) => (
                      <List.Item key={i}>{p}</List.Item>
                    ))}
                  </List>
                </Alert>
              ) : null}
              <Group>
                <Button type="submit" loading={busy} data-testid="create-form">
                  {t("builder.list.create.submit")}
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
