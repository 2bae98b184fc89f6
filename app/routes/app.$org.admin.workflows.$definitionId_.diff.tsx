import { Anchor, Breadcrumbs, Button, Group, NativeSelect, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Form, Link } from "react-router";
import type { Route } from "./+types/app.$org.admin.workflows.$definitionId_.diff";
import { VersionDiff } from "~/components/designer/diff-view";
import { useOrgFormat } from "~/components/org-format";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { getDefinition, getVersion } from "~/models/workflow-definitions.server";
import { appDb, withTenant } from "~/utils/db.server";
import { notFound, requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";

// Visual diff of two versions of a definition: ?from=<version id>&to=<version id>. Without
// them (or with ids of another definition) "to" is the newest version (the draft when there
// is one) and "from" the version before it.

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Definition");
  const url = new URL(args.request.url);
  const found = await withTenant(appDb(), ctx.scope, async (trx) => {
    const def = await getDefinition(trx, ctx.org.id, args.params.definitionId);
    if (!def || def.versions.length === 0) return undefined;
    // Newest first: the draft, then published versions by number.
    const ids = def.versions.map((v) => v.id);
    const toParam = url.searchParams.get("to");
    const toId = toParam && ids.includes(toParam) ? toParam : ids[0]!;
    const fromParam = url.searchParams.get("from");
    const fromId = fromParam && ids.includes(fromParam) ? fromParam : (ids[ids.indexOf(toId) + 1] ?? toId);
    const [from, to] = await Promise.all([getVersion(trx, ctx.org.id, def.id, fromId), getVersion(trx, ctx.org.id, def.id, toId)]);
    return from && to ? { def, from, to } : undefined;
  });
  if (!found) notFound();
  const { def, from, to } = found;
  const t = getInstance(args.context).getFixedT(null, "diagram");
  const name = ctx.locale === "en" ? def.name_en : def.name_ar;
  const side = (v: typeof from) => ({ id: v.id, version: v.version, status: v.status, graph: v.graph });
  return {
    title: `${t("diff.title")} — ${name} — ${t("common:appName")}`,
    orgSlug: ctx.org.slug,
    definition: { id: def.id, key: def.key, name_ar: def.name_ar, name_en: def.name_en },
    versions: def.versions.map((v) => ({ id: v.id, version: v.version, status: v.status })),
    from: side(from),
    to: side(to),
  };
}

export default function WorkflowDiff({ loaderData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("diagram");
  const fmt = useOrgFormat();
  const { definition, versions, from, to, orgSlug } = loaderData;
  const base = `/app/${orgSlug}/admin/workflows`;
  const name = i18n.language === "en" ? definition.name_en : definition.name_ar;
  const versionLabel = (v: { version: number | null; status: string }) =>
    v.version ? t("diff.versionN", { version: fmt.number(v.version), status: t(`diff.status.${v.status}`) }) : t("diff.draft");
  const options = versions.map((v) => ({ value: v.id, label: versionLabel(v) }));
  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to={base}>
          {t("diff.back")}
        </Anchor>
        <Anchor component={Link} to={`${base}/${definition.id}`}>
          {name}
        </Anchor>
        <Text>{t("diff.title")}</Text>
      </Breadcrumbs>
      <Title order={1}>{t("diff.heading", { name })}</Title>
      <Form method="get">
        <Group align="flex-end" gap="sm">
          <NativeSelect name="from" label={t("diff.from")} data={options} defaultValue={from.id} key={`from-${from.id}`} />
          <NativeSelect name="to" label={t("diff.to")} data={options} defaultValue={to.id} key={`to-${to.id}`} />
          <Button type="submit" variant="default">
            {t("diff.compare")}
          </Button>
        </Group>
      </Form>
      {from.id === to.id ? <Text c="dimmed">{t("diff.same")}</Text> : null}
      <VersionDiff before={{ title: versionLabel(from), graph: from.graph }} after={{ title: versionLabel(to), graph: to.graph }} />
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
