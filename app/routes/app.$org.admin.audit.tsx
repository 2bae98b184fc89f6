import { Alert, Badge, Button, Group, Paper, Select, Stack, Table, Text, TextInput, Title, VisuallyHidden } from "@mantine/core";
import { Fragment, useState } from "react";
import { useTranslation } from "react-i18next";
import { data, Form, Link, useLocation, useNavigation } from "react-router";
import type { Route } from "./+types/app.$org.admin.audit";
import { AuditDetails } from "~/components/audit-details";
import { CsrfInput } from "~/components/csrf-input";
import { useOrgFormat } from "~/components/org-format";
import { Pager } from "~/components/pager";
import { getInstance } from "~/middleware/i18next";
import { auditFacets, listAuditEntries } from "~/models/audit-browse.server";
import { checkAuditChain, recordAudit } from "~/models/audit.server";
import { auditActor } from "~/utils/audit-actor.server";
import { parseAuditFilters } from "~/utils/audit-filters";
import { appDb, withTenant } from "~/utils/db.server";
import { requireOrgMember } from "~/utils/org-context.server";
import { parsePaging } from "~/utils/paging";
import { assertCan, type AppAbility } from "~/utils/permissions.server";

const PAGE_SIZE = 25;

/**
 * Verifying a chain needs every entry of it, so only a member whose AuditLog read is not
 * narrowed by conditions (or by a later "cannot" rule) may run it.
 */
function canReadWholeLog(ability: AppAbility): boolean {
  for (const rule of ability.rulesFor("read", "AuditLog")) {
    if (rule.inverted) return false;
    if (!rule.conditions && !rule.fields) return true;
  }
  return false;
}

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "AuditLog");
  const url = new URL(args.request.url);
  const paging = parsePaging(url, PAGE_SIZE);
  const { values, valid, errors } = parseAuditFilters(url.searchParams);
  const filters = { actor: valid.actor, action: valid.action, subjectType: valid.subject, from: valid.from, to: valid.to };
  const { list, facets } = await withTenant(appDb(), ctx.scope, async (trx) => ({
    list: await listAuditEntries(trx, ctx.ability, {
      orgId: ctx.org.id,
      timeZone: ctx.org.time_zone,
      filters,
      offset: paging.offset,
      limit: paging.pageSize,
    }),
    facets: await auditFacets(trx, ctx.ability, ctx.org.id),
  }));
  const t = getInstance(args.context).getFixedT(null, "audit");
  return {
    title: `${t("title")} — ${t("common:appName")}`,
    entries: list.rows,
    total: list.total,
    page: paging.page,
    pageSize: paging.pageSize,
    facets,
    values,
    errors,
    filtered: Object.keys(valid).length > 0,
    canVerify: canReadWholeLog(ctx.ability),
  };
}

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "AuditLog");
  if (!canReadWholeLog(ctx.ability)) throw data({ code: "forbidden", action: "verify", subject: "AuditLog" }, { status: 403 });
  const form = await args.request.formData();
  if (form.get("intent") !== "verify") throw data({ code: "bad_request" }, { status: 400 });
  const actor = auditActor(ctx, args.context);
  const check = await withTenant(appDb(), ctx.scope, async (trx) => {
    const result = await checkAuditChain(trx, ctx.org.id);
    // Who checked the log and what they saw is itself part of the record.
    await recordAudit(trx, {
      ...actor,
      action: "audit.verify",
      subjectType: "AuditLog",
      after: result.broken ? { ok: false, seq: result.broken.seq, reason: result.broken.reason } : { ok: true, entries: result.entries },
    });
    return result;
  });
  return {
    verify: {
      entries: check.entries,
      broken: check.broken ? { seq: check.broken.seq, id: check.broken.id, reason: check.broken.reason } : null,
      checkedAt: new Date(),
    },
  };
}

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

type Labels = Record<string, string>;
// Labels are sentences in Arabic: let them wrap instead of being cut off.
const BADGE_STYLES = { label: { whiteSpace: "normal", overflow: "visible" } } as const;
type Option = { value: string; label: string };

export default function AuditLogPage({ loaderData, actionData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("audit");
  const fmt = useOrgFormat();
  // An explicit locale: the server and the browser must sort the options identically.
  const byLabel = (options: Option[]) => options.sort((a, b) => a.label.localeCompare(b.label, i18n.language));
  const location = useLocation();
  const navigation = useNavigation();
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  const { entries, values, errors, facets } = loaderData;
  const actionLabels = t("actionLabels", { returnObjects: true }) as Labels;
  const subjectLabels = t("subjectLabels", { returnObjects: true }) as Labels;
  const actionLabel = (a: string) => actionLabels[a] ?? a;
  const subjectLabel = (s: string) => subjectLabels[s] ?? s;
  const toggle = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const verifying = navigation.state === "submitting" && navigation.formMethod?.toLowerCase() === "post";
  const verify = actionData?.verify;

  return (
    <Stack>
      <Title order={1}>{t("title")}</Title>
      <Text c="dimmed">{t("intro")}</Text>

      {loaderData.canVerify ? (
        <Paper withBorder p="md" radius="md">
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="verify" />
            <Group justify="space-between" align="center">
              <Stack gap={2}>
                <Title order={2} size="h4">
                  {t("verify.title")}
                </Title>
                <Text size="sm" c="dimmed">
                  {t("verify.description")}
                </Text>
              </Stack>
              <Button type="submit" variant="light" loading={verifying} data-testid="audit-verify">
                {t("verify.button")}
              </Button>
            </Group>
          </Form>
          {verify ? (
            <Alert mt="md" role="status" color={verify.broken ? "red" : "teal"} title={verify.broken ? t("verify.brokenTitle") : t("verify.okTitle")} data-testid="audit-verify-result">
              {verify.broken
                ? t("verify.broken", { seq: fmt.number(Number(verify.broken.seq)), id: verify.broken.id, reason: t(`verify.reasons.${verify.broken.reason}`) })
                : t("verify.ok", { count: verify.entries, n: fmt.number(verify.entries) })}{" "}
              {t("verify.checkedAt", { at: fmt.dateTime(verify.checkedAt) })}
            </Alert>
          ) : null}
        </Paper>
      ) : null}

      <Paper withBorder p="md" radius="md">
        <Form method="get" key={location.search} role="search" aria-label={t("filters.legend")}>
          <Group align="flex-end" gap="sm" wrap="wrap">
            <TextInput
              name="actor"
              label={t("filters.actor")}
              placeholder={t("filters.actorPlaceholder")}
              dir="ltr"
              defaultValue={values.actor}
              error={errors.actor ? t(`filters.${errors.actor}`) : undefined}
              w={220}
            />
            <Select
              name="action"
              label={t("filters.action")}
              placeholder={t("filters.anyAction")}
              data={byLabel(facets.actions.map((a) => ({ value: a, label: actionLabel(a) })))}
              defaultValue={values.action || null}
              searchable
              clearable
              w={240}
              comboboxProps={{ withinPortal: true }}
            />
            <Select
              name="subject"
              label={t("filters.subject")}
              placeholder={t("filters.anySubject")}
              data={byLabel(facets.subjectTypes.map((s) => ({ value: s, label: subjectLabel(s) })))}
              defaultValue={values.subject || null}
              clearable
              w={200}
            />
            <TextInput type="date" name="from" label={t("filters.from")} defaultValue={values.from} error={errors.from ? t(`filters.${errors.from}`) : undefined} w={170} />
            <TextInput type="date" name="to" label={t("filters.to")} defaultValue={values.to} error={errors.to ? t(`filters.${errors.to}`) : undefined} w={170} />
            <Group gap="xs">
              <Button type="submit">{t("filters.apply")}</Button>
              <Button component={Link} to={location.pathname} variant="subtle">
                {t("filters.clear")}
              </Button>
            </Group>
          </Group>
          <Text size="xs" c="dimmed" mt="xs">
            {t("filters.zoneHint", { zone: fmt.prefs.timeZone })}
          </Text>
        </Form>
      </Paper>

      {entries.length === 0 ? (
        <Text c="dimmed" data-testid="audit-empty">
          {loaderData.filtered ? t("emptyFiltered") : t("empty")}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped verticalSpacing="xs" data-testid="audit-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("columns.at")}</Table.Th>
                <Table.Th>{t("columns.actor")}</Table.Th>
                <Table.Th>{t("columns.action")}</Table.Th>
                <Table.Th>{t("columns.subject")}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t("columns.details")}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((e) => {
                const expanded = open.has(e.id);
                const detailsId = `audit-entry-${e.id}`;
                return (
                  <Fragment key={e.id}>
                    <Table.Tr>
                      <Table.Td>
                        <Text size="sm" style={{ whiteSpace: "nowrap" }}>
                          {fmt.dateTime(e.at)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{e.actor_name ?? e.actor_label ?? t("system")}</Text>
                        {e.actor_email || (e.actor_label && e.actor_name) ? (
                          <Text size="xs" c="dimmed" dir="ltr" ta="start">
                            {e.actor_email ?? e.actor_label}
                          </Text>
                        ) : null}
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={e.action === "access.denied" ? "red" : "teal"} title={e.action} tt="none" h="auto" styles={BADGE_STYLES}>
                          {actionLabel(e.action)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{subjectLabel(e.subject_type)}</Text>
                        {e.subject_id ? (
                          <Text size="xs" c="dimmed" dir="ltr" ta="start" ff="monospace" truncate maw={220}>
                            {e.subject_id}
                          </Text>
                        ) : null}
                      </Table.Td>
                      <Table.Td>
                        <Button size="compact-sm" variant="subtle" aria-expanded={expanded} aria-controls={expanded ? detailsId : undefined} onClick={() => toggle(e.id)}>
                          {expanded ? t("hideDetails") : t("showDetails")}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                    {expanded ? (
                      <Table.Tr id={detailsId}>
                        <Table.Td colSpan={5}>
                          <AuditDetails entry={e} />
                        </Table.Td>
                      </Table.Tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Pager total={loaderData.total} page={loaderData.page} pageSize={loaderData.pageSize} />
    </Stack>
  );
}
