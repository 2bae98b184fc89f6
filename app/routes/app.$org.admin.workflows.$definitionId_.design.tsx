import "@xyflow/react/dist/style.css";
import "~/components/designer/designer.css";
import { Alert, Anchor, Breadcrumbs, Button, Group, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Form, Link, useFetcher, useNavigation, type ShouldRevalidateFunctionArgs } from "react-router";
import type { Route } from "./+types/app.$org.admin.workflows.$definitionId_.design";
import { CsrfInput } from "~/components/csrf-input";
import { Designer } from "~/components/designer/designer";
import { publishFetcherKey, type PublishAnswer } from "~/components/designer/publish-dialog";
import { useOrgFormat } from "~/components/org-format";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { designerPageAction, loadDesignerPage } from "~/utils/designer-page.server";
import { requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";

// The visual designer of one workflow definition, full width. Its own path segment escapes
// the definition page's layout ("$definitionId_"), so only this loader runs. Saving and
// publishing use the definition page's action logic; members without "update Definition"
// see the diagram read-only.

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export const handle = { fullWidth: true };

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Definition");
  const page = await loadDesignerPage(ctx, args.params.definitionId);
  const t = getInstance(args.context).getFixedT(null, "designer");
  const name = ctx.locale === "en" ? page.definition.name_en : page.definition.name_ar;
  return { title: `${t("title", { name })} — ${t("common:appName")}`, orgSlug: ctx.org.slug, ...page };
}

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "update", "Definition");
  const { status, body } = await designerPageAction(ctx, args.context, args.params.definitionId, await args.request.formData());
  return data(body, { status });
}

/** A lost connection is an answer ("not saved, retrying"), not an error page that would hide the canvas. */
export async function clientAction({ serverAction }: Route.ClientActionArgs) {
  try {
    return await serverAction();
  } catch {
    return { intent: "network" as const, ok: false as const };
  }
}

/** Autosaves change nothing the loader shows (the canvas holds the graph): no reload after each. */
export function shouldRevalidate({ formData, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  if (formData?.get("intent") === "save") return false;
  return defaultShouldRevalidate;
}

export default function DesignPage({ loaderData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("designer");
  const fmt = useOrgFormat();
  const nav = useNavigation();
  const { definition, draft, latest, versions, lists, canUpdate, canCreateForm, nextVersion, orgSlug } = loaderData;
  const base = `/app/${orgSlug}/admin/workflows/${definition.id}`;
  const name = i18n.language === "en" ? definition.name_en : definition.name_ar;
  const published = useFetcher<PublishAnswer>({ key: publishFetcherKey(definition.id) }).data;
  const graph = draft?.graph ?? latest?.graph;
  return (
    <div className="masar-design-page">
      <Group justify="space-between" align="flex-end" gap="xs" wrap="wrap">
        <div>
          <Breadcrumbs separatorMargin={6}>
            <Anchor component={Link} to={`/app/${orgSlug}/admin/workflows`} size="sm">
              {t("breadcrumbs.workflows")}
            </Anchor>
            <Anchor component={Link} to={base} size="sm">
              {name}
            </Anchor>
          </Breadcrumbs>
          <Title order={1} size="h3">
            {t("title", { name })}
          </Title>
        </div>
        <Group gap="md">
          <Anchor component={Link} to={`${base}#versions`} size="sm">
            {t("links.history")}
          </Anchor>
          {versions.length + (draft ? 1 : 0) >= 2 ? (
            // The diff page compares the newest (the draft, if any) with the version before by default.
            <Anchor component={Link} to={`${base}/diff`} size="sm" data-testid="diff-link">
              {t("links.diff")}
            </Anchor>
          ) : null}
          <Anchor component={Link} to={base} size="sm">
            {t("links.advanced")}
          </Anchor>
        </Group>
      </Group>
      {published?.intent === "publish" && published.ok && !draft ? (
        <Alert color="teal" role="status" p="xs" data-testid="published">
          {published.message}
        </Alert>
      ) : null}
      {!draft && latest ? (
        <Alert color="blue" p="xs" data-testid="no-draft">
          <Group justify="space-between" gap="xs">
            <Text size="sm">{t("noDraft.body", { version: fmt.number(latest.version) })}</Text>
            {canUpdate ? (
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="intent" value="newDraft" />
                <input type="hidden" name="versionId" value={latest.id} />
                <input type="hidden" name="version" value={latest.version} />
                <Button type="submit" size="compact-sm" loading={nav.state === "submitting"} data-testid="new-draft">
                  {t("noDraft.start", { version: fmt.number(latest.version) })}
                </Button>
              </Form>
            ) : null}
          </Group>
        </Alert>
      ) : null}
      {draft && !canUpdate ? (
        <Alert color="gray" p="xs">
          {t("readOnly")}
        </Alert>
      ) : null}
      {graph ? (
        <Designer
          key={draft?.id ?? latest?.id}
          definitionId={definition.id}
          orgSlug={orgSlug}
          graph={graph}
          lockVersion={draft ? draft.lockVersion : null}
          readOnly={!canUpdate || !draft}
          lists={lists}
          nextVersion={nextVersion}
          canCreateForm={canCreateForm}
        />
      ) : null}
    </div>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
