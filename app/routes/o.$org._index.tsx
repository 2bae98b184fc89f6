import { Alert, Anchor, Button, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Form, Link } from "react-router";
import type { Route } from "./+types/o.$org._index";
import { Pager } from "~/components/pager";
import { PortalError } from "~/components/portal/portal-error";
import { usePortalFormat } from "~/components/portal/portal-format";
import { ServiceCard } from "~/components/portal/service-card";
import { getInstance } from "~/middleware/i18next";
import { parsePaging } from "~/utils/paging";
import { portalRead, requirePortalOrg } from "~/utils/portal.server";
import { listPublishedServices } from "~plugins/service-catalogue/public.server";
import { SERVICE_SEGMENTS, type PublicService, type ServiceSegment } from "~plugins/service-catalogue/public-types";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

const PAGE_SIZE = 12;

// The organisation's catalogue: published service cards, searchable, by segment and category.
export async function loader(args: Route.LoaderArgs) {
  const org = await requirePortalOrg(args);
  const url = new URL(args.request.url);
  const paging = parsePaging(url, PAGE_SIZE);
  const wanted = url.searchParams.get("segment");
  const segment = SERVICE_SEGMENTS.find((s) => s === wanted);
  const category = (url.searchParams.get("category") ?? "").trim().slice(0, 200);
  const { rows, total } = await portalRead(org, (trx) =>
    listPublishedServices(trx, org.id, { q: paging.q || undefined, segment, category: category || undefined, page: paging.page, pageSize: paging.pageSize }),
  );
  const t = getInstance(args.context).getFixedT(null, "portal");
  return {
    title: `${t("catalogue.title")} — ${org.locale === "en" ? org.name.en : org.name.ar}`,
    orgSlug: org.slug,
    rows,
    total,
    page: paging.page,
    pageSize: paging.pageSize,
    q: paging.q,
    segment: segment ?? "",
    category,
  };
}

/** Consecutive services of one category (the list comes ordered by category). */
function byCategory(rows: PublicService[], local: (l: PublicService["category"]) => string) {
  const groups: { key: string; label: string | null; rows: PublicService[] }[] = [];
  for (const row of rows) {
    const key = row.category?.ar ?? "";
    const last = groups[groups.length - 1];
    if (last && last.key === key) last.rows.push(row);
    else groups.push({ key, label: row.category ? local(row.category) : null, rows: [row] });
  }
  return groups;
}

export default function PortalCatalogue({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("portal");
  const fmt = usePortalFormat();
  const { rows, total, page, pageSize, q, segment, category, orgSlug } = loaderData;
  const segmentOptions = [{ value: "", label: t("catalogue.allSegments") }, ...SERVICE_SEGMENTS.map((s: ServiceSegment) => ({ value: s, label: t(`segment.${s}`) }))];
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1}>{t("catalogue.title")}</Title>
        <Text c="dimmed">{t("catalogue.intro")}</Text>
      </Stack>
      <Form method="get" role="search">
        <Group align="flex-end" gap="sm">
          <TextInput name="q" label={t("catalogue.search")} description={t("catalogue.searchHint")} defaultValue={q} maxLength={100} style={{ flex: "1 1 16rem" }} />
          <NativeSelect name="segment" label={t("catalogue.segment")} data={segmentOptions} defaultValue={segment} />
          {category ? <input type="hidden" name="category" value={category} /> : null}
          <Button type="submit">{t("catalogue.searchButton")}</Button>
        </Group>
      </Form>
      {category ? (
        <Group gap="sm">
          <Text fw={600}>{t("catalogue.category", { category })}</Text>
          <Anchor component={Link} to={`/o/${orgSlug}${q || segment ? `?${new URLSearchParams({ ...(q ? { q } : {}), ...(segment ? { segment } : {}) })}` : ""}`}>
            {t("catalogue.allCategories")}
          </Anchor>
        </Group>
      ) : null}
      {rows.length === 0 ? (
        q || segment || category ? (
          <Alert color="gray" data-testid="portal-catalogue-empty">
            <Stack gap="xs" align="flex-start">
              <Text size="sm">{t("catalogue.empty")}</Text>
              <Anchor component={Link} to={`/o/${orgSlug}`} size="sm">
                {t("catalogue.showAll")}
              </Anchor>
            </Stack>
          </Alert>
        ) : (
          <Alert color="gray" data-testid="portal-catalogue-empty">
            {t("catalogue.none")}
          </Alert>
        )
      ) : (
        <Stack gap="xl" aria-label={t("catalogue.results")} component="section">
          {byCategory(rows, fmt.local).map((group) => (
            <Stack key={group.key} gap="sm">
              <Title order={2} size="h3">
                {group.label ? (
                  <Anchor component={Link} to={`?${new URLSearchParams({ category: group.label, ...(segment ? { segment } : {}) })}`} c="inherit" inherit>
                    {group.label}
                  </Anchor>
                ) : (
                  t("catalogue.uncategorised")
                )}
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
                {group.rows.map((service) => (
                  <ServiceCard key={service.code} service={service} orgSlug={orgSlug} />
                ))}
              </SimpleGrid>
            </Stack>
          ))}
        </Stack>
      )}
      <Pager total={total} page={page} pageSize={pageSize} />
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <PortalError error={error} />;
}
