import "~plugins/service-catalogue/ui/documents.css";
import { Alert, Anchor, Breadcrumbs, Button, Group, Modal, Stack, Table, Tabs, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useNavigation, useParams } from "react-router";
import type { Route } from "./+types/app.$org.service-catalogue.$serviceId._index";
import { CsrfInput } from "~/components/csrf-input";
import { useOrgFormat } from "~/components/org-format";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { requirePluginEnabled } from "~/models/plugin-orgs.server";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { notFound, requireOrgMember } from "~/utils/org-context.server";
import { assertCan, asSubject } from "~/utils/permissions.server";
import { definitionIdOf, docKpis, loadServiceDocuments } from "~plugins/service-catalogue/page-data.server";
import { pdfAvailable } from "~plugins/service-catalogue/pdf.server";
import { findServiceForPage, ReviewRefused, submitForReview } from "~plugins/service-catalogue/review.server";
import { deleteService, listServiceVersions, serviceSubjectFields } from "~plugins/service-catalogue/services.server";
import { readSnapshot } from "~plugins/service-catalogue/snapshot";
import { DocumentationCardDocument, ServiceCardDocument, type DocContext } from "~plugins/service-catalogue/ui/documents";
import { KpiSummary } from "~plugins/service-catalogue/ui/kpi-summary";
import { StatusBadge } from "~plugins/service-catalogue/ui/status-badge";

// One service: its card and documentation card (the working copy, with the published version
// noted), the steps table and flowchart of its linked workflow (one definition, two views,
// drawn in the designer), its KPIs and published versions; send it for review from here.

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

async function context(args: Route.LoaderArgs | Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  await requirePluginEnabled(ctx, "service-catalogue");
  // A review case cancelled since (Cases → the case → cancel) no longer locks the card.
  const { row } = await withTenant(appDb(), ctx.scope, (trx) => findServiceForPage(trx, ctx.org.id, args.params.serviceId));
  // Not readable looks like not there.
  if (!row || !ctx.ability.can("read", asSubject("CatalogueService", serviceSubjectFields(row)))) notFound();
  return {
    ctx,
    row,
    subject: asSubject("CatalogueService", serviceSubjectFields(row)),
  };
}

export async function loader(args: Route.LoaderArgs) {
  const { ctx, row, subject } = await context(args);
  const page = await withTenant(appDb(), ctx.scope, async (trx) => {
    const docs = (await loadServiceDocuments(trx, ctx.org.id, row.id, "current"))!;
    const versions = await listServiceVersions(trx, ctx.org.id, row.id);
    const designerId = docs.workflow?.definitionId ?? (await definitionIdOf(trx, ctx.org.id, row.workflow_key));
    const reviewCase = row.review_case_id
      ? await trx.selectFrom("cases").select(["id", "reference", "status"]).where("org_id", "=", ctx.org.id).where("id", "=", row.review_case_id).executeTakeFirst()
      : undefined;
    return { docs, versions, designerId, reviewCase };
  });
  const { docs, versions, designerId, reviewCase } = page;
  const t = getInstance(args.context).getFixedT(null, "service-catalogue");
  const name = ctx.locale === "en" ? row.name_en || row.name_ar : row.name_ar;
  return {
    title: `${name} — ${t("common:appName")}`,
    org: {
      name: { ar: ctx.org.name_ar, en: ctx.org.name_en },
      initials: ctx.org.initials,
    },
    service: {
      id: row.id,
      code: row.code,
      status: row.status,
      publishedVersion: row.published_version,
      workflowKey: row.workflow_key,
    },
    snapshot: docs.snapshot,
    steps: docs.steps,
    workflow: docs.workflow
      ? {
          key: docs.workflow.key,
          version: docs.workflow.version,
          name: docs.workflow.name,
        }
      : null,
    designerId,
    flowchartSvg: docs.flowchartSvg(ctx.locale),
    kpis: docs.kpis.map((k) => ({
      ...k,
      last: k.last ? { ...k.last, recordedAt: k.last.recordedAt.toISOString() } : null,
    })),
    docKpis: docKpis(docs.kpis),
    versions: versions.map((v) => ({
      version: v.version,
      publishedAt: v.publishedAt.toISOString(),
      by: v.publishedByName,
      caseId: v.caseId,
      caseReference: v.caseReference,
      name: readSnapshot(v.snapshot).name,
    })),
    reviewCase: reviewCase ?? null,
    can: {
      update: ctx.ability.can("update", subject),
      review: ctx.ability.can("review", subject),
      delete: ctx.ability.can("delete", subject),
      readDefinition: ctx.ability.can("read", "Definition"),
    },
    pdf: await pdfAvailable(),
  };
}

export async function action(args: Route.ActionArgs) {
  const { ctx, row } = await context(args);
  const t = getInstance(args.context).getFixedT(null, "service-catalogue");
  const form = await args.request.formData();
  const intent = String(form.get("intent") ?? "");
  const actor = auditActor(ctx, args.context);
  if (intent === "review") {
    assertCan(ctx.ability, "review", "CatalogueService", serviceSubjectFields(row));
    try {
      const started = await withTenant(appDb(), ctx.scope, (trx) => submitForReview(trx, ctx, row.id));
      return {
        ok: true as const,
        message: t("detail.reviewStarted", { reference: started.reference }),
      };
    } catch (error) {
      if (!(error instanceof ReviewRefused)) throw error;
      const key = {
        not_found: "errors.gone",
        not_draft: "errors.notDraft",
        name_invalid: "errors.nameInvalid",
        workflow_missing: "errors.workflowMissing",
        review_failed: "errors.reviewFailed",
      }[error.reason];
      return data({ ok: false as const, message: t(key) }, { status: error.reason === "not_found" ? 404 : 409 });
    }
  }
  if (intent === "delete") {
    assertCan(ctx.ability, "delete", "CatalogueService", serviceSubjectFields(row));
    const deleted = await withTenant(appDb(), ctx.scope, (trx) => deleteService(trx, actor, row.id));
    if (!deleted) return data({ ok: false as const, message: t("errors.cannotDelete") }, { status: 409 });
    return redirect(`/app/${ctx.org.slug}/service-catalogue`);
  }
  return data({ ok: false as const, message: t("errors.invalidValue") }, { status: 400 });
}

export default function ServiceDetail({ loaderData, actionData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("service-catalogue");
  const fmt = useOrgFormat();
  const busy = useNavigation().state === "submitting";
  const { org: slug, serviceId } = useParams();
  const base = `/app/${slug}/service-catalogue`;
  const lang = i18n.language === "en" ? "en" : "ar";
  const [confirmDelete, setConfirmDelete] = useState(false);
  const { service, snapshot, steps, workflow, designerId, kpis, versions, reviewCase, can, pdf } = loaderData;
  // A draft that still names its review case: that review ended without a decision (cancelled).
  const reviewEnded = service.status === "draft" && reviewCase && (reviewCase.status === "cancelled" || reviewCase.status === "completed") ? reviewCase : null;
  const pick = (l: { ar: string; en: string }) => (lang === "en" ? l.en || l.ar : l.ar);
  const ctx: DocContext = {
    t: (k, o) => t(k, o ?? {}),
    lang,
    num: fmt.number,
    org: loaderData.org,
    subtitle:
      service.status === "published"
        ? t("doc.version", {
            version: fmt.number(service.publishedVersion ?? 0),
          })
        : t("doc.workingCopy"),
  };
  const intentButton = (intent: string, label: string, props: Record<string, unknown> = {}) => (
    <Form method="post">
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      <Button type="submit" loading={busy} {...props}>
        {label}
      </Button>
    </Form>
  );
  return (
    <Stack>
      <Breadcrumbs className="masar-no-print">
        <Anchor component={Link} to={base}>
          {t("detail.back")}
        </Anchor>
        <bdi>{service.code}</bdi>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1}>{pick(snapshot.name)}</Title>
          <Group gap="xs">
            <Text c="dimmed">
              {t("detail.code")}: <bdi data-testid="service-code">{service.code}</bdi>
            </Text>
            <StatusBadge status={service.status} publishedVersion={service.publishedVersion} />
          </Group>
        </Stack>
        <Group>
          {can.update && service.status !== "in_review" ? (
            <Button component={Link} to={`${base}/${serviceId}/edit`} variant="default">
              {t("detail.edit")}
            </Button>
          ) : null}
          {can.review && service.status === "draft" ? intentButton("review", t("detail.sendForReview")) : null}
          {can.delete && service.publishedVersion === null && service.status !== "in_review" ? (
            <Button color="red" variant="subtle" onClick={() => setConfirmDelete(true)}>
              {t("detail.delete")}
            </Button>
          ) : null}
        </Group>
      </Group>

      {actionData?.message ? (
        <Alert color={actionData.ok ? "teal" : "red"} role={actionData.ok ? "status" : "alert"}>
          {actionData.message}
        </Alert>
      ) : null}
      {service.status === "in_review" && reviewCase ? (
        <Alert color="blue" data-testid="service-in-review">
          <Text size="sm">
            {t("detail.inReview")}{" "}
            <Anchor component={Link} to={`/app/${slug}/cases/${reviewCase.id}`}>
              <bdi>{reviewCase.reference}</bdi>
            </Anchor>
          </Text>
        </Alert>
      ) : null}
      {reviewEnded ? (
        <Alert color="orange" data-testid="review-ended">
          <Text size="sm">
            {t(reviewEnded.status === "cancelled" ? "detail.reviewCancelled" : "detail.reviewEnded")}{" "}
            <Anchor component={Link} to={`/app/${slug}/cases/${reviewEnded.id}`}>
              <bdi>{reviewEnded.reference}</bdi>
            </Anchor>
          </Text>
        </Alert>
      ) : null}
      {service.status === "draft" && service.publishedVersion ? (
        <Alert color="orange">
          {t("detail.unpublishedChanges", {
            version: fmt.number(service.publishedVersion),
          })}
        </Alert>
      ) : null}
      {service.publishedVersion === null && service.status === "draft" ? (
        <Text size="sm" c="dimmed">
          {t("detail.neverPublished")} {t("detail.reviewHelp")}
        </Text>
      ) : null}

      <Group gap="xs" className="masar-no-print">
        <Button component={Link} to={`${base}/${serviceId}/print?doc=card`} variant="light" size="xs">
          {t("detail.printCard")}
        </Button>
        <Button component={Link} to={`${base}/${serviceId}/print?doc=documentation`} variant="light" size="xs">
          {t("detail.printDocumentation")}
        </Button>
        {pdf ? (
          <>
            <Button component="a" href={`${base}/${serviceId}/pdf?doc=card`} variant="subtle" size="xs" download>
              {t("detail.pdfCard")}
            </Button>
            <Button component="a" href={`${base}/${serviceId}/pdf?doc=documentation`} variant="subtle" size="xs" download>
              {t("detail.pdfDocumentation")}
            </Button>
          </>
        ) : (
          <Text size="xs" c="dimmed">
            {t("detail.pdfUnavailable")}
          </Text>
        )}
      </Group>

      <Tabs defaultValue="card" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="card">{t("detail.tabs.card")}</Tabs.Tab>
          <Tabs.Tab value="documentation">{t("detail.tabs.documentation")}</Tabs.Tab>
          <Tabs.Tab value="kpis">{t("detail.tabs.kpis")}</Tabs.Tab>
          <Tabs.Tab value="versions">{t("detail.tabs.versions")}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="card" pt="md">
          <ServiceCardDocument ctx={ctx} service={snapshot} />
        </Tabs.Panel>
        <Tabs.Panel value="documentation" pt="md">
          <Stack>
            {!service.workflowKey ? (
              <Alert color="gray">{t("detail.noWorkflow")}</Alert>
            ) : !workflow ? (
              <Alert color="yellow">{t("detail.workflowMissing", { key: service.workflowKey })}</Alert>
            ) : (
              <Text size="sm" c="dimmed">
                {t("detail.workflowDraft", {
                  version: fmt.number(workflow.version),
                })}
              </Text>
            )}
            {designerId && can.readDefinition ? (
              <Anchor component={Link} to={`/app/${slug}/admin/workflows/${designerId}/design`} data-testid="designer-link">
                {t("detail.openDesigner")}
              </Anchor>
            ) : null}
            {steps && steps.unestimated > 0 ? <Alert color="yellow">{t("detail.unestimated", { count: steps.unestimated })}</Alert> : null}
            <DocumentationCardDocument ctx={ctx} service={snapshot} steps={steps} kpis={loaderData.docKpis} flowchartSvg={loaderData.flowchartSvg} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="kpis" pt="md">
          <KpiSummary kpis={kpis} manageTo={`${base}/${serviceId}/kpis`} canManage={can.update} />
        </Tabs.Panel>
        <Tabs.Panel value="versions" pt="md">
          {versions.length === 0 ? (
            <Alert color="gray">{t("detail.versionsEmpty")}</Alert>
          ) : (
            <Table striped verticalSpacing="sm" data-testid="versions-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("detail.versions.version")}</Table.Th>
                  <Table.Th>{t("detail.versions.name")}</Table.Th>
                  <Table.Th>{t("detail.versions.publishedAt")}</Table.Th>
                  <Table.Th>{t("detail.versions.by")}</Table.Th>
                  <Table.Th>{t("detail.versions.case")}</Table.Th>
                  <Table.Th>{t("detail.print")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {versions.map((v) => (
                  <Table.Tr key={v.version}>
                    <Table.Td>{fmt.number(v.version)}</Table.Td>
                    <Table.Td>{pick(v.name)}</Table.Td>
                    <Table.Td>{fmt.dateTime(v.publishedAt)}</Table.Td>
                    <Table.Td>{v.by ?? "—"}</Table.Td>
                    <Table.Td>
                      {v.caseId && v.caseReference ? (
                        <Anchor component={Link} to={`/app/${slug}/cases/${v.caseId}`}>
                          <bdi>{v.caseReference}</bdi>
                        </Anchor>
                      ) : (
                        "—"
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`${base}/${serviceId}/print?doc=card&version=${v.version}`}>
                        {t("detail.printCard")}
                      </Anchor>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Tabs.Panel>
      </Tabs>

      <Modal opened={confirmDelete} onClose={() => setConfirmDelete(false)} title={t("detail.deleteConfirmTitle")}>
        <Stack>
          <Text>{t("detail.deleteConfirmText", { name: pick(snapshot.name) })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmDelete(false)}>
              {t("form.cancel")}
            </Button>
            {intentButton("delete", t("detail.deleteConfirm"), {
              color: "red",
            })}
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
