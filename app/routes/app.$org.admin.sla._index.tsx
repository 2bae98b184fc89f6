import { Alert, Anchor, Badge, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Route } from "./+types/app.$org.admin.sla._index";
import { useOrgFormat } from "~/components/org-format";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { appDb, withTenant } from "~/utils/db.server";
import { requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";

// Deadline policies (سياسات المهل), by process: which processes have policies, and the way in to
// manage each one's. Managing them takes "update Definition" (they are part of the process).

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "update", "Definition");
  const t = getInstance(args.context).getFixedT(null, "deadlines");
  const rows = await withTenant(appDb(), ctx.scope, (trx) =>
    trx
      .selectFrom("workflow_definitions as d")
      .leftJoin("deadline_policies as p", (j) => j.onRef("p.org_id", "=", "d.org_id").onRef("p.definition_id", "=", "d.id"))
      .select(["d.id", "d.key", "d.name_ar", "d.name_en", (eb) => eb.fn.count<string>("p.id").as("policies"), (eb) => eb.fn.count<string>("p.id").filterWhere("p.active", "=", true).as("active")])
      .where("d.org_id", "=", ctx.org.id)
      .where("d.archived_at", "is", null)
      .groupBy(["d.id", "d.key", "d.name_ar", "d.name_en"])
      .orderBy("d.name_ar")
      .limit(500)
      .execute(),
  );
  return { title: `${t("admin.title")} — ${t("common:appName")}`, rows: rows.map((r) => ({ ...r, policies: Number(r.policies), active: Number(r.active) })) };
}

export default function SlaAdminIndex({ loaderData, params }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("deadlines");
  const fmt = useOrgFormat();
  const en = i18n.language === "en";
  const base = `/app/${params.org}`;
  return (
    <Stack maw={1000}>
      <Title order={1}>{t("admin.title")}</Title>
      <Text c="dimmed" size="sm">
        {t("admin.intro")}{" "}
        <Anchor component={Link} to={`${base}/admin/calendar`} size="sm" underline="always">
          {t("admin.calendarLink")}
        </Anchor>
      </Text>
      {loaderData.rows.length === 0 ? (
        <Alert color="gray">{t("admin.noDefinitions")}</Alert>
      ) : (
        <Table striped verticalSpacing="sm" data-testid="sla-definitions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("admin.definitions")}</Table.Th>
              <Table.Th>{t("admin.policies")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {loaderData.rows.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  <Anchor component={Link} to={`${base}/admin/sla/${r.id}`}>
                    {en ? r.name_en : r.name_ar}
                  </Anchor>
                  <Text size="xs" c="dimmed" dir="ltr" ta="start">
                    {r.key}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge variant={r.active ? "light" : "outline"} color={r.active ? "teal" : "gray"} tt="none">
                    {t("admin.policiesCount", { count: r.policies, formatted: fmt.number(r.policies) })}
                  </Badge>
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
