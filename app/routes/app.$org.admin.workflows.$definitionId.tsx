import { Alert, Anchor, Badge, Breadcrumbs, Button, Group, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Form, Link, useSearchParams } from "react-router";
import type { Route } from "./+types/app.$org.admin.workflows.$definitionId";
import { CsrfInput } from "~/components/csrf-input";
import { RouteErrorPage } from "~/components/route-error";
import { DraftPanel, type PublishState, type SaveState } from "~/components/workflow-admin/draft-panel";
import { MigrationPanel, type MigrationState } from "~/components/workflow-admin/migration-panel";
import { StepsTableView } from "~/components/workflow-admin/steps-table-view";
import { VersionsTable } from "~/components/workflow-admin/versions-table";
import { getInstance } from "~/middleware/i18next";
import { requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";
import { definitionAction, loadDefinitionPage } from "~/utils/workflow-definition-page.server";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Definition");
  const page = await loadDefinitionPage(ctx, args.params.definitionId, new URL(args.request.url));
  const t = getInstance(args.context).getFixedT(null, "engine");
  const name = ctx.locale === "en" ? page.definition.name_en : page.definition.name_ar;
  return { title: `${name} — ${t("definitions.title")} — ${t("common:appName")}`, orgSlug: ctx.org.slug, ...page };
}

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "update", "Definition");
  const t = getInstance(args.context).getFixedT(null, "engine");
  const { status, body } = await definitionAction(ctx, args.context, args.params.definitionId, await args.request.formData(), t);
  return data(body, { status });
}

export default function WorkflowDefinition({ loaderData, actionData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("engine");
  const [params] = useSearchParams();
  const { definition, versions, draft, problems, steps, nextVersion, canUpdate, canMigrate, migration } = loaderData;
  const base = `/app/${loaderData.orgSlug}/admin/workflows`;
  const name = i18n.language === "en" ? definition.name_en : definition.name_ar;
  const exportHref = (versionId: string, format: "json" | "bpmn") => `${base}/${definition.id}/export?version=${versionId}&format=${format}`;
  const banner = actionData && (actionData.intent === "version" || actionData.intent === "draft" || actionData.intent === "definition") ? actionData : undefined;
  const published = actionData?.intent === "publish" && actionData.ok ? actionData : undefined;
  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to={base}>
          {t("definitions.detail.back")}
        </Anchor>
        <Text>{name}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1}>{name}</Title>
          <Text size="sm" c="dimmed">
            {t("definitions.detail.keyLabel")}:{" "}
            <Text span dir="ltr" ff="monospace">
              {definition.key}
            </Text>
          </Text>
        </Stack>
        <Group gap="xs">
          <Button component={Link} to={`${base}/${definition.id}/design`} size="sm" data-testid="open-designer">
            {t(draft && canUpdate ? "designer:open.button" : "designer:open.view")}
          </Button>
          {canUpdate ? (
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value={definition.archivedAt ? "restoreDefinition" : "archiveDefinition"} />
              <Button type="submit" variant="default" size="sm" title={t("definitions.archive.definitionHelp")}>
                {t(definition.archivedAt ? "definitions.archive.restore" : "definitions.archive.definition")}
              </Button>
            </Form>
          ) : null}
        </Group>
      </Group>
      {definition.archivedAt ? (
        <Alert color="gray">
          <Group gap="xs">
            <Badge color="gray" tt="none">
              {t("definitions.archivedBadge")}
            </Badge>
            {t("definitions.detail.archived")}
          </Group>
        </Alert>
      ) : null}
      {params.get("created") ? <Alert color="teal">{t("definitions.detail.created")}</Alert> : null}
      {params.get("imported") ? <Alert color="teal">{t("definitions.detail.imported")}</Alert> : null}
      {banner ? (
        <Alert color={banner.ok ? "teal" : "red"} role={banner.ok ? "status" : "alert"}>
          {banner.message}
        </Alert>
      ) : null}
      {published ? (
        <Alert color="teal" role="status">
          {published.message}
        </Alert>
      ) : null}

      <Title order={2} size="h3" id="versions">
        {t("definitions.versions.title")}
      </Title>
      <VersionsTable versions={versions} hasDraft={Boolean(draft)} canUpdate={canUpdate} exportHref={exportHref} />

      <Title order={2} size="h3">
        {t("definitions.draft.title")}
      </Title>
      {draft ? (
        <DraftPanel
          draft={draft}
          problems={problems}
          steps={steps?.rows.length ?? 0}
          nextVersion={nextVersion}
          canUpdate={canUpdate}
          save={actionData?.intent === "save" ? (actionData as SaveState) : undefined}
          publish={actionData?.intent === "publish" ? (actionData as PublishState) : undefined}
        />
      ) : (
        <Text c="dimmed">{t("definitions.draft.none")}</Text>
      )}

      {steps ? (
        <>
          <Title order={2} size="h3">
            {t("definitions.steps.title")}
          </Title>
          <StepsTableView table={steps} />
        </>
      ) : null}

      {canMigrate && versions.some((v) => v.status !== "draft" && v.activeCases > 0) && versions.filter((v) => v.status === "published").length > 0 ? (
        <MigrationPanel
          versions={versions}
          selection={migration}
          state={actionData?.intent === "preview" || actionData?.intent === "migrate" ? (actionData as MigrationState) : undefined}
        />
      ) : null}
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
