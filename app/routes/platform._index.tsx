import { Alert, Badge, Button, Group, Popover, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Form, Link, useNavigation } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/platform._index";
import { CsrfInput } from "~/components/csrf-input";
import { Pager } from "~/components/pager";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { listOrganisations, organisationSummary, setOrganisationDisabled } from "~/models/platform.server";
import { appDb, withPlatform } from "~/utils/db.server";
import { DEFAULT_PREFS, formatDateTime, formatNumber } from "~/utils/format";
import { parsePaging } from "~/utils/paging";
import { requirePlatformAdmin } from "~/utils/platform.server";
import { SearchForm } from "~/components/search-form";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  requirePlatformAdmin(args);
  const url = new URL(args.request.url);
  const paging = parsePaging(url, 20);
  // After creating an organisation the form redirects here with ?created=<slug>&admin=new|existing.
  const createdSlug = url.searchParams.get("created");
  const { list, created } = await withPlatform(appDb(), async (trx) => ({
    list: await listOrganisations(trx, { q: paging.q, limit: paging.pageSize, offset: paging.offset }),
    created: createdSlug ? await organisationSummary(trx, createdSlug.slice(0, 50)) : undefined,
  }));
  const t = getInstance(args.context).getFixedT(null, "platform");
  return {
    title: `${t("orgs.title")} — ${t("common:appName")}`,
    list,
    created: created ? { ...created, createdAccount: url.searchParams.get("admin") === "new" } : null,
    q: paging.q,
    page: paging.page,
    pageSize: paging.pageSize,
  };
}

const toggleSchema = z.object({ intent: z.enum(["disable", "enable"]), orgId: z.uuid() });

export async function action(args: Route.ActionArgs) {
  const { actor } = requirePlatformAdmin(args);
  const form = await args.request.formData();
  const parsed = toggleSchema.safeParse({ intent: form.get("intent"), orgId: form.get("orgId") });
  if (!parsed.success) throw data({ code: "bad_request" }, { status: 400 });
  const { intent, orgId } = parsed.data;
  const result = await withPlatform(appDb(), (trx) => setOrganisationDisabled(trx, actor, orgId, intent === "disable"));
  if (!result.found) return data({ notice: null, error: "orgs.notFound" as const }, { status: 404 });
  return { notice: { intent, orgId }, error: null };
}

export default function PlatformOrganisations({ loaderData, actionData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("platform");
  const { list, created, q, page, pageSize } = loaderData;
  const en = i18n.language === "en";
  const prefs = { ...DEFAULT_PREFS, locale: en ? "en" : "ar", digits: en ? "latn" : "arab" } as const;
  const nameOf = (o: { name_ar: string; name_en: string }) => (en ? o.name_en : o.name_ar);

  const toggled = actionData?.notice ? list.rows.find((o) => o.id === actionData.notice.orgId) : undefined;

  return (
    <Stack maw={1100} mx="auto">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={1}>{t("orgs.title")}</Title>
          <Text c="dimmed" size="sm">
            {t("orgs.intro")}
          </Text>
        </Stack>
        <Button component={Link} to="/platform/new">
          {t("orgs.new")}
        </Button>
      </Group>

      {created ? (
        <Alert color="teal" role="status" data-testid="created-notice">
          {t(created.createdAccount ? "orgs.createdNew" : "orgs.createdExisting", { name: nameOf(created), email: isolate(created.adminEmails.join(en ? ", " : "، ")) })}
        </Alert>
      ) : null}
      {toggled && actionData?.notice ? (
        <Alert color="teal" role="status">
          {t(actionData.notice.intent === "disable" ? "orgs.disabledNotice" : "orgs.enabledNotice", { name: nameOf(toggled) })}
        </Alert>
      ) : null}
      {actionData?.error ? (
        <Alert color="red" role="alert">
          {t(actionData.error)}
        </Alert>
      ) : null}

      <SearchForm q={q} label={t("orgs.search")} placeholder={t("orgs.searchPlaceholder")} />

      {list.rows.length === 0 ? (
        <Alert color="gray">{q ? t("orgs.noMatches", { q }) : t("orgs.empty")}</Alert>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("orgs.columns.name")}</Table.Th>
                <Table.Th>{t("orgs.columns.slug")}</Table.Th>
                <Table.Th>{t("orgs.columns.members")}</Table.Th>
                <Table.Th>{t("orgs.columns.created")}</Table.Th>
                <Table.Th>{t("orgs.columns.status")}</Table.Th>
                <Table.Th>{t("orgs.columns.actions")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.rows.map((o) => (
                <Table.Tr key={o.id} data-testid={`org-row-${o.slug}`}>
                  <Table.Td>
                    <Text fw={600}>{nameOf(o)}</Text>
                    <Text size="xs" c="dimmed" lang={en ? "ar" : "en"} dir={en ? "rtl" : "ltr"}>
                      {en ? o.name_ar : o.name_en}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" dir="ltr" ta="start" ff="monospace">
                      {o.slug}
                    </Text>
                  </Table.Td>
                  <Table.Td>{formatNumber(o.members, prefs)}</Table.Td>
                  <Table.Td>{formatDateTime(o.created_at, prefs, "date")}</Table.Td>
                  <Table.Td>
                    <Badge color={o.disabled_at ? "red" : "teal"} variant="light" tt="none">
                      {o.disabled_at ? t("orgs.status.disabled") : t("orgs.status.active")}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {o.disabled_at ? <EnableButton orgId={o.id} name={nameOf(o)} /> : <DisableButton orgId={o.id} name={nameOf(o)} />}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Pager total={list.total} page={page} pageSize={pageSize} />
    </Stack>
  );
}

/** Keeps a left-to-right email intact inside an Arabic sentence (Unicode first-strong isolate). */
function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

function ToggleForm({ orgId, intent, children }: { orgId: string; intent: "disable" | "enable"; children: React.ReactNode }) {
  return (
    <Form method="post">
      <CsrfInput />
      <input type="hidden" name="orgId" value={orgId} />
      <input type="hidden" name="intent" value={intent} />
      {children}
    </Form>
  );
}

function EnableButton({ orgId, name }: { orgId: string; name: string }) {
  const { t } = useTranslation("platform");
  const busy = useNavigation().state === "submitting";
  return (
    <ToggleForm orgId={orgId} intent="enable">
      <Button type="submit" size="compact-sm" variant="light" loading={busy} aria-label={t("orgs.enableLabel", { name })}>
        {t("orgs.enable")}
      </Button>
    </ToggleForm>
  );
}

/** Disabling shuts a whole organisation out, so it asks once more. */
function DisableButton({ orgId, name }: { orgId: string; name: string }) {
  const { t } = useTranslation("platform");
  return (
    <Popover width={280} position="bottom-end" withArrow trapFocus>
      <Popover.Target>
        <Button size="compact-sm" variant="light" color="red" aria-label={t("orgs.disableLabel", { name })}>
          {t("orgs.disable")}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <ToggleForm orgId={orgId} intent="disable">
          <Stack gap="xs">
            <Text size="sm">{t("orgs.confirmDisable", { name })}</Text>
            <Button type="submit" color="red" size="compact-sm">
              {t("orgs.confirm")}
            </Button>
          </Stack>
        </ToggleForm>
      </Popover.Dropdown>
    </Popover>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
