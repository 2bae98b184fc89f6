import { Alert, Anchor, Badge, Breadcrumbs, Button, Group, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Form, Link, useNavigation, useParams } from "react-router";
import type { Route } from "./+types/app.$org.service-catalogue.$serviceId.kpis";
import { CsrfInput } from "~/components/csrf-input";
import { useOrgFormat } from "~/components/org-format";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { requirePluginEnabled } from "~/models/plugin-orgs.server";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { fieldErrorsFrom, formStrings } from "~/utils/form-errors";
import { notFound, requireOrgMember } from "~/utils/org-context.server";
import { assertCan, asSubject } from "~/utils/permissions.server";
import { periodContaining } from "~plugins/service-catalogue/kpi";
import { computeKpi, deleteKpi, findKpi, listKpis, listMeasurements, methodOf, recordManualMeasurement, saveKpi } from "~plugins/service-catalogue/kpis.server";
import { KPI_FIELDS, kpiInputSchema, measurementInputSchema, periodInputSchema } from "~plugins/service-catalogue/schema";
import { findService, serviceSubjectFields } from "~plugins/service-catalogue/services.server";
import { EMPTY_KPI, KpiForm, type KpiFormValues } from "~plugins/service-catalogue/ui/kpi-form";
import { PART_SEPARATOR } from "~/utils/format";
import { useKpiValue } from "~plugins/service-catalogue/ui/kpi-summary";

// A service's KPIs: define them (name, formula, frequency, target, unit, how measured),
// compute the ones that read case data for a period, type the others, and keep every
// measurement as the history.

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

async function context(args: Route.LoaderArgs | Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  await requirePluginEnabled(ctx, "service-catalogue");
  const row = await withTenant(appDb(), ctx.scope, (trx) => findService(trx, ctx.org.id, args.params.serviceId));
  if (!row || !ctx.ability.can("read", asSubject("CatalogueService", serviceSubjectFields(row)))) notFound();
  return {
    ctx,
    row,
    canManage: ctx.ability.can("update", asSubject("CatalogueService", serviceSubjectFields(row))),
  };
}

export async function loader(args: Route.LoaderArgs) {
  const { ctx, row, canManage } = await context(args);
  const kpis = await withTenant(appDb(), ctx.scope, async (trx) => {
    const list = await listKpis(trx, ctx.org.id, row.id);
    return Promise.all(
      list.map(async (k) => ({
        ...k,
        history: await listMeasurements(trx, ctx.org.id, k.id, 20),
      })),
    );
  });
  const editId = new URL(args.request.url).searchParams.get("edit");
  const editing = kpis.find((k) => k.id === editId);
  const t = getInstance(args.context).getFixedT(null, "service-catalogue");
  const iso = <M extends { recordedAt: Date }>(m: M) => ({
    ...m,
    recordedAt: m.recordedAt.toISOString(),
  });
  return {
    title: `${t("kpis.title")} — ${row.code}`,
    service: {
      code: row.code,
      name: { ar: row.name_ar, en: row.name_en },
      workflowKey: row.workflow_key,
    },
    kpis: kpis.map((k) => ({
      ...k,
      last: k.last ? iso(k.last) : null,
      history: k.history.map(iso),
    })),
    editing: editing
      ? ({
          id: editing.id,
          values: {
            nameAr: editing.name.ar,
            nameEn: editing.name.en,
            formulaAr: editing.formula.ar,
            formulaEn: editing.formula.en,
            ...methodOf(editing.expression),
            expression: editing.expression ?? "",
            frequency: editing.frequency,
            target: String(editing.target),
            unit: editing.unit,
            direction: editing.direction,
          } as KpiFormValues,
        } as const)
      : null,
    canManage,
    today: new Date().toISOString().slice(0, 10),
  };
}

export async function action(args: Route.ActionArgs) {
  const { ctx, row } = await context(args);
  assertCan(ctx.ability, "update", "CatalogueService", serviceSubjectFields(row));
  const t = getInstance(args.context).getFixedT(null, "service-catalogue");
  const form = await args.request.formData();
  const intent = String(form.get("intent") ?? "");
  const actor = auditActor(ctx, args.context);
  const kpiId = String(form.get("kpiId") ?? "");

  if (intent === "save") {
    const values = formStrings(form, KPI_FIELDS) as KpiFormValues;
    const parsed = kpiInputSchema.safeParse(values);
    if (!parsed.success)
      return data(
        {
          intent,
          kpiId,
          values,
          fieldErrors: fieldErrorsFrom(parsed.error, t),
          ok: false as const,
          message: t("errors.invalid"),
        },
        { status: 400 },
      );
    const saved = await withTenant(appDb(), ctx.scope, (trx) => saveKpi(trx, actor, row.id, parsed.data, kpiId || undefined));
    if (!saved.ok) {
      const fieldErrors = saved.reason === "expression" ? { expression: t("errors.expression", { detail: saved.detail }) } : {};
      return data(
        {
          intent,
          kpiId,
          values,
          fieldErrors,
          ok: false as const,
          message: saved.reason === "not_found" ? t("errors.kpiGone") : t("errors.invalid"),
        },
        { status: saved.reason === "not_found" ? 404 : 400 },
      );
    }
    return {
      intent,
      kpiId: saved.id,
      ok: true as const,
      message: t("kpis.saved"),
    };
  }

  const kpi = await withTenant(appDb(), ctx.scope, (trx) => findKpi(trx, ctx.org.id, row.id, kpiId));
  if (!kpi) return data({ intent, kpiId, ok: false as const, message: t("errors.kpiGone") }, { status: 404 });

  if (intent === "delete") {
    await withTenant(appDb(), ctx.scope, (trx) => deleteKpi(trx, actor, row.id, kpi.id));
    return { intent, kpiId, ok: true as const, message: t("kpis.deleted") };
  }
  if (intent === "compute") {
    const parsed = periodInputSchema.safeParse(formStrings(form, ["periodStart", "periodEnd"] as const));
    if (!parsed.success)
      return data(
        {
          intent,
          kpiId,
          ok: false as const,
          message: t(parsed.error.issues[0]!.message),
        },
        { status: 400 },
      );
    const result = await withTenant(appDb(), ctx.scope, (trx) =>
      computeKpi(trx, {
        orgId: ctx.org.id,
        kpiId: kpi.id,
        period: { start: parsed.data.periodStart, end: parsed.data.periodEnd },
        recordedBy: ctx.user.id,
        actorLabel: ctx.user.email,
        requestId: actor.requestId,
        ip: actor.ip,
      }),
    );
    if (!result.ok) {
      const message = result.reason === "no_workflow" ? t("kpis.noWorkflow") : result.reason === "formula" ? t("kpis.formulaFailed", { detail: result.detail }) : t("errors.invalidValue");
      return data({ intent, kpiId, ok: false as const, message }, { status: 400 });
    }
    return {
      intent,
      kpiId,
      ok: true as const,
      message:
        result.value === null
          ? t("kpis.computedNone", { count: result.caseCount })
          : t("kpis.computedOk", {
              value: result.value,
              count: result.caseCount,
            }),
    };
  }
  if (intent === "measure") {
    const parsed = measurementInputSchema.safeParse(formStrings(form, ["periodStart", "periodEnd", "value", "note"] as const));
    if (!parsed.success)
      return data(
        {
          intent,
          kpiId,
          ok: false as const,
          message: t(parsed.error.issues[0]!.message),
        },
        { status: 400 },
      );
    await withTenant(appDb(), ctx.scope, (trx) => recordManualMeasurement(trx, actor, kpi, parsed.data));
    return { intent, kpiId, ok: true as const, message: t("kpis.recorded") };
  }
  return data({ intent, kpiId, ok: false as const, message: t("errors.invalidValue") }, { status: 400 });
}

function PeriodFields({ start, end }: { start: string; end: string }) {
  const { t } = useTranslation("service-catalogue");
  return (
    <>
      <TextInput type="date" name="periodStart" label={t("kpis.periodStart")} defaultValue={start} required size="xs" />
      <TextInput type="date" name="periodEnd" label={t("kpis.periodEnd")} defaultValue={end} required size="xs" />
    </>
  );
}

export default function ServiceKpis({ loaderData, actionData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("service-catalogue");
  const fmt = useOrgFormat();
  const value = useKpiValue();
  const busy = useNavigation().state === "submitting";
  const { org: slug, serviceId } = useParams();
  const base = `/app/${slug}/service-catalogue`;
  const { service, kpis, editing, canManage, today } = loaderData;
  const pick = (l: { ar: string; en: string }) => (i18n.language === "en" ? l.en || l.ar : l.ar);
  const failedSave =
    actionData && !actionData.ok && actionData.intent === "save" && "values" in actionData && "fieldErrors" in actionData
      ? (actionData as {
          kpiId: string;
          values: KpiFormValues;
          fieldErrors: Record<string, string>;
          message: string;
        })
      : null;
  const post = (intent: string, kpiId: string, children: React.ReactNode, label: string, props: Record<string, unknown> = {}) => (
    <Form method="post">
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="kpiId" value={kpiId} />
      <Group align="flex-end" gap="xs" wrap="wrap">
        {children}
        <Button type="submit" size="xs" loading={busy} {...props}>
          {label}
        </Button>
      </Group>
    </Form>
  );
  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to={base}>
          {t("detail.back")}
        </Anchor>
        <Anchor component={Link} to={`${base}/${serviceId}`}>
          <bdi>{service.code}</bdi>
        </Anchor>
        <span>{t("kpis.title")}</span>
      </Breadcrumbs>
      <Title order={1}>
        {t("kpis.title")}: {pick(service.name)}
      </Title>
      <Text c="dimmed">{t("kpis.intro")}</Text>
      {!service.workflowKey ? <Alert color="yellow">{t("kpis.noWorkflow")}</Alert> : null}
      {actionData?.message && !failedSave ? (
        <Alert color={actionData.ok ? "teal" : "red"} role={actionData.ok ? "status" : "alert"} data-testid="kpi-message">
          {actionData.message}
        </Alert>
      ) : null}

      {kpis.length === 0 ? <Alert color="gray">{t("kpis.empty")}</Alert> : null}
      {kpis.map((k) => {
        const current = periodContaining(new Date(`${today}T00:00:00Z`), k.frequency);
        return (
          <Paper key={k.id} withBorder p="md" radius="md" data-testid="kpi-card">
            <Stack gap="sm">
              <Group justify="space-between" align="flex-start">
                <Stack gap={2}>
                  <Title order={2} size="h4">
                    {pick(k.name)}
                  </Title>
                  {pick(k.formula) ? <Text size="sm">{pick(k.formula)}</Text> : null}
                  <Text size="xs" c="dimmed">
                    {t(`frequency.${k.frequency}`)}
                    {PART_SEPARATOR}
                    {t("doc.target")}: {value(k.target, k.unit)} ({t(`direction.${k.direction}`)}){PART_SEPARATOR}
                    {k.expression ? t("kpis.computed") : t("kpis.manual")}
                  </Text>
                  {k.expression ? (
                    <Text size="xs" c="dimmed" dir="ltr" ff="monospace" style={{ textAlign: "start" }}>
                      {k.expression}
                    </Text>
                  ) : null}
                </Stack>
                {canManage ? (
                  <Group gap="xs">
                    <Button component={Link} to={`?edit=${k.id}`} size="xs" variant="default">
                      {t("detail.edit")}
                    </Button>
                    {post("delete", k.id, null, t("kpis.delete"), {
                      color: "red",
                      variant: "subtle",
                    })}
                  </Group>
                ) : null}
              </Group>
              {canManage ? (
                <SimpleGrid cols={{ base: 1, md: 2 }}>
                  {k.expression ? (
                    <Stack gap={4}>
                      <Text size="sm" fw={600}>
                        {t("kpis.computeHeading")}
                      </Text>
                      {post("compute", k.id, <PeriodFields start={current.start} end={today} />, t("kpis.compute"))}
                    </Stack>
                  ) : (
                    <span />
                  )}
                  <Stack gap={4}>
                    <Text size="sm" fw={600}>
                      {t("kpis.record")}
                    </Text>
                    {post(
                      "measure",
                      k.id,
                      <>
                        <PeriodFields start={current.start} end={current.end} />
                        <TextInput name="value" label={t("kpis.value")} inputMode="decimal" required size="xs" w={90} />
                        <TextInput name="note" label={t("kpis.note")} size="xs" />
                      </>,
                      t("kpis.record"),
                      { variant: "light" },
                    )}
                  </Stack>
                </SimpleGrid>
              ) : null}
              <Title order={3} size="h6">
                {t("kpis.history")}
              </Title>
              {k.history.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t("kpis.historyEmpty")}
                </Text>
              ) : (
                <Table.ScrollContainer minWidth={640}>
                  <Table striped verticalSpacing={4} fz="sm" data-testid="kpi-history">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t("kpis.columns.period")}</Table.Th>
                        <Table.Th>{t("kpis.columns.value")}</Table.Th>
                        <Table.Th>{t("kpis.columns.method")}</Table.Th>
                        <Table.Th>{t("kpis.columns.cases")}</Table.Th>
                        <Table.Th>{t("kpis.columns.by")}</Table.Th>
                        <Table.Th>{t("kpis.columns.at")}</Table.Th>
                        <Table.Th>{t("kpis.columns.note")}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {k.history.map((m) => (
                        <Table.Tr key={m.id}>
                          <Table.Td>
                            {t("kpis.periodRange", {
                              start: fmt.date(`${m.periodStart}T12:00:00Z`),
                              end: fmt.date(`${m.periodEnd}T12:00:00Z`),
                            })}
                          </Table.Td>
                          <Table.Td data-testid="kpi-history-value">
                            {m.value === null ? (
                              t("kpis.noData")
                            ) : (
                              <Group gap={4}>
                                {value(m.value, k.unit)}
                                <Badge size="xs" variant="light" color={(k.direction === "atLeast" ? m.value >= k.target : m.value <= k.target) ? "teal" : "red"}>
                                  {(k.direction === "atLeast" ? m.value >= k.target : m.value <= k.target) ? t("kpis.met") : t("kpis.notMet")}
                                </Badge>
                              </Group>
                            )}
                          </Table.Td>
                          <Table.Td>{m.method === "computed" ? t("kpis.computed") : t("kpis.manual")}</Table.Td>
                          <Table.Td>{m.caseCount === null ? "—" : fmt.number(m.caseCount)}</Table.Td>
                          <Table.Td>{m.recordedByName ?? t("kpis.system")}</Table.Td>
                          <Table.Td>{fmt.dateTime(m.recordedAt)}</Table.Td>
                          <Table.Td>{m.note || "—"}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
            </Stack>
          </Paper>
        );
      })}

      {canManage ? (
        <KpiForm
          key={editing?.id ?? (actionData?.ok && actionData.intent === "save" ? actionData.kpiId : "new")}
          legend={editing ? t("kpis.editHeading") : t("kpis.add")}
          kpiId={editing?.id ?? (failedSave?.kpiId || undefined)}
          values={failedSave?.values ?? editing?.values ?? EMPTY_KPI}
          fieldErrors={failedSave?.fieldErrors ?? {}}
          message={failedSave?.message}
        />
      ) : null}
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
