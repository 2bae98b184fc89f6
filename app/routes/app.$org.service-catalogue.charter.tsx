import { Alert, Anchor, Breadcrumbs, Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Form, Link, useNavigation, useParams } from "react-router";
import type { Route } from "./+types/app.$org.service-catalogue.charter";
import { CsrfInput } from "~/components/csrf-input";
import { useOrgFormat } from "~/components/org-format";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { requirePluginEnabled } from "~/models/plugin-orgs.server";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";
import { getCharterDraft, listCharterVersions, publishCharter, saveCharterDraft } from "~plugins/service-catalogue/charter.server";
import { charterContentSchema } from "~plugins/service-catalogue/schema";
import { CharterEditor, editorState } from "~plugins/service-catalogue/ui/charter-editor";

// The service charter (ميثاق تقديم الخدمات للمتعاملين): the draft, edited here, and its
// published versions; each publication is a new version, the latest is shown on the portal.

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  await requirePluginEnabled(ctx, "service-catalogue");
  assertCan(ctx.ability, "read", "ServiceCharter");
  const { draft, versions } = await withTenant(appDb(), ctx.scope, async (trx) => ({
    draft: await getCharterDraft(trx, ctx.org.id),
    versions: await listCharterVersions(trx, ctx.org.id),
  }));
  const t = getInstance(args.context).getFixedT(null, "service-catalogue");
  return {
    title: `${t("charter.title")} — ${t("common:appName")}`,
    draft: {
      content: draft.content,
      rowVersion: draft.rowVersion,
      unpublishedChanges: draft.unpublishedChanges,
    },
    versions: versions.map((v) => ({
      version: v.version,
      publishedAt: v.publishedAt.toISOString(),
      by: v.publishedByName,
    })),
    can: {
      update: ctx.ability.can("update", "ServiceCharter"),
      publish: ctx.ability.can("publish", "ServiceCharter"),
    },
  };
}

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  await requirePluginEnabled(ctx, "service-catalogue");
  assertCan(ctx.ability, "update", "ServiceCharter");
  const t = getInstance(args.context).getFixedT(null, "service-catalogue");
  const form = await args.request.formData();
  const intent = String(form.get("intent") ?? "save");
  if (intent === "publish") assertCan(ctx.ability, "publish", "ServiceCharter");
  let raw: unknown;
  try {
    raw = JSON.parse(String(form.get("content") ?? ""));
  } catch {
    raw = null;
  }
  const parsed = charterContentSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const detail = issue.message.startsWith("errors.") ? t(issue.message) : issue.path.join(".");
    return data({ ok: false as const, message: t("errors.charterInvalid", { detail }) }, { status: 400 });
  }
  const actor = auditActor(ctx, args.context);
  const result = await withTenant(appDb(), ctx.scope, async (trx) => {
    const saved = await saveCharterDraft(trx, actor, parsed.data, Number(form.get("rowVersion")));
    if (!saved.ok) return { ok: false as const, message: t("charter.stale"), status: 409 };
    if (intent !== "publish") return { ok: true as const, message: t("charter.saved") };
    const published = await publishCharter(trx, actor);
    if (!published.ok)
      return {
        ok: false as const,
        message: published.reason === "unchanged" ? t("charter.unchanged") : t("charter.noDraft"),
        status: 409,
      };
    return {
      ok: true as const,
      message: t("charter.published", { version: published.version }),
    };
  });
  return result.ok ? result : data({ ok: false as const, message: result.message }, { status: result.status });
}

export default function Charter({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("service-catalogue");
  const fmt = useOrgFormat();
  const busy = useNavigation().state === "submitting";
  const base = `/app/${useParams().org}/service-catalogue`;
  const { draft, versions, can } = loaderData;
  const latest = versions[0];
  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to={base}>
          {t("detail.back")}
        </Anchor>
        <span>{t("charter.title")}</span>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={1}>{t("charter.title")}</Title>
          <Text c="dimmed">{t("charter.intro")}</Text>
        </Stack>
        <Group>
          <Button component={Link} to={`${base}/charter/print`} variant="default">
            {t("charter.print")}
          </Button>
        </Group>
      </Group>
      {actionData?.message ? (
        <Alert color={actionData.ok ? "teal" : "red"} role={actionData.ok ? "status" : "alert"}>
          {actionData.message}
        </Alert>
      ) : null}
      <Text size="sm" data-testid="charter-state">
        {!latest ? t("charter.neverPublished") : draft.unpublishedChanges ? t("charter.unpublished") : t("charter.upToDate", { version: fmt.number(latest.version) })}
      </Text>

      {can.update ? (
        // Remounted after each save so the editor starts from what the server stored.
        <Form method="post" key={`${draft.rowVersion}`}>
          <CsrfInput />
          <input type="hidden" name="rowVersion" value={draft.rowVersion} />
          <Stack>
            <Title order={2} size="h3">
              {t("charter.editor")}
            </Title>
            <CharterEditor initial={editorState(draft.content)} />
            <Group>
              <Button type="submit" name="intent" value="save" variant="default" loading={busy}>
                {t("charter.save")}
              </Button>
              {can.publish ? (
                <Button type="submit" name="intent" value="publish" loading={busy}>
                  {t("charter.publish")}
                </Button>
              ) : null}
            </Group>
          </Stack>
        </Form>
      ) : null}

      <Title order={2} size="h3">
        {t("charter.versions")}
      </Title>
      {versions.length === 0 ? (
        <Alert color="gray">{t("charter.neverPublished")}</Alert>
      ) : (
        <Table striped verticalSpacing="sm" data-testid="charter-versions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("detail.versions.version")}</Table.Th>
              <Table.Th>{t("detail.versions.publishedAt")}</Table.Th>
              <Table.Th>{t("detail.versions.by")}</Table.Th>
              <Table.Th>{t("detail.print")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {versions.map((v) => (
              <Table.Tr key={v.version}>
                <Table.Td>{fmt.number(v.version)}</Table.Td>
                <Table.Td>{fmt.dateTime(v.publishedAt)}</Table.Td>
                <Table.Td>{v.by ?? "—"}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`${base}/charter/print?version=${v.version}`}>
                    {t("charter.print")}
                  </Anchor>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
