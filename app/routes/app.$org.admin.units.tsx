import { Alert, Badge, Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, redirect, useSearchParams } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/app.$org.admin.units";
import { UnitDrawer, type UnitActionData } from "~/components/admin/unit-drawer";
import { useOrgFormat } from "~/components/org-format";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { createUnit, deleteUnit, findUnit, listAllUnits, listUnits, UNIT_CODE_PATTERN, unitTree, updateUnit, type UnitResult } from "~/models/units.server";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { fieldErrorsFrom, formStrings } from "~/utils/form-errors";
import { formatNumber } from "~/utils/format";
import { requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "OrgUnit");
  const { units, all } = await withTenant(appDb(), ctx.scope, async (trx) => ({
    units: unitTree(await listUnits(trx, ctx.org.id, ctx.ability)),
    all: unitTree(await listAllUnits(trx, ctx.org.id)),
  }));
  const t = getInstance(args.context).getFixedT(null, "admin");
  const can = (action: string) => ctx.ability.can(action, "OrgUnit");
  return {
    title: `${t("units.title")} — ${t("common:appName")}`,
    units,
    // Parent choices: every unit (a parent the actor cannot read would still be a valid choice).
    parents: can("create") || can("update") || can("delete") ? all : [],
    canCreate: can("create"),
    canUpdate: can("update"),
    canDelete: can("delete"),
  };
}

const unitSchema = z.object({
  code: z.string().trim().min(1, { error: "errors.required" }).max(20, { error: "errors.codeFormat" }).regex(UNIT_CODE_PATTERN, { error: "errors.codeFormat" }),
  name_ar: z.string().trim().min(1, { error: "errors.required" }).max(200, { error: "errors.tooLong" }),
  name_en: z.string().trim().min(1, { error: "errors.required" }).max(200, { error: "errors.tooLong" }),
  parentId: z.union([z.literal("").transform(() => null), z.uuid({ error: "errors.invalidValue" })]),
});

const REASON: Record<string, [field: string, key: string]> = {
  duplicate_code: ["code", "errors.duplicateCode"],
  parent_not_found: ["parentId", "errors.unitNotFound"],
  cycle: ["parentId", "errors.cycle"],
  has_members: ["_form", "errors.unitHasMembers"],
  has_children: ["_form", "errors.unitHasChildren"],
  not_found: ["_form", "errors.unitNotFound"],
};

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  const t = getInstance(args.context).getFixedT(null, "admin");
  const form = await args.request.formData();
  const intent = String(form.get("intent") ?? "");
  const id = z.uuid().safeParse(form.get("id"));
  const actor = auditActor(ctx, args.context);
  const back = `/app/${ctx.org.slug}/admin/units`;
  const fail = (result: Extract<UnitResult, { ok: false }>, values?: Record<string, string>) => {
    const [field, key] = REASON[result.reason]!;
    const fieldErrors: Record<string, string> = { [field]: t(key, { count: result.count ?? 0, n: formatNumber(result.count ?? 0, ctx.prefs) }) };
    return data({ intent, id: id.data ?? null, values: values ?? null, fieldErrors } satisfies UnitActionData, { status: 400 });
  };

  // Conditional rules (e.g. "only units under X") are checked against the stored row too.
  const assertOnRow = async (action: string, unitId: string) => {
    const row = await withTenant(appDb(), ctx.scope, (trx) => findUnit(trx, ctx.org.id, unitId));
    if (row) assertCan(ctx.ability, action, "OrgUnit", { id: row.id, parentId: row.parent_id, code: row.code });
  };

  if (intent === "delete") {
    assertCan(ctx.ability, "delete", "OrgUnit");
    if (!id.success) throw data({ code: "bad_request" }, { status: 400 });
    await assertOnRow("delete", id.data);
    const result = await withTenant(appDb(), ctx.scope, (trx) => deleteUnit(trx, actor, id.data));
    if (!result.ok) return fail(result);
    throw redirect(`${back}?done=deleted`);
  }
  if (intent !== "create" && intent !== "update") throw data({ code: "bad_request" }, { status: 400 });
  assertCan(ctx.ability, intent, "OrgUnit");
  const values = formStrings(form, ["code", "name_ar", "name_en", "parentId"] as const);
  const parsed = unitSchema.safeParse(values);
  if (!parsed.success) {
    return data({ intent, id: id.data ?? null, values, fieldErrors: fieldErrorsFrom(parsed.error, t) } satisfies UnitActionData, { status: 400 });
  }
  if (intent === "update") {
    if (!id.success) throw data({ code: "bad_request" }, { status: 400 });
    await assertOnRow("update", id.data);
    assertCan(ctx.ability, "update", "OrgUnit", { id: id.data, parentId: parsed.data.parentId, code: parsed.data.code });
  }
  const result = await withTenant(appDb(), ctx.scope, (trx) =>
    intent === "create" ? createUnit(trx, actor, parsed.data) : updateUnit(trx, actor, id.data!, parsed.data),
  );
  if (!result.ok) return fail(result, values);
  throw redirect(`${back}?done=${intent === "create" ? "created" : "updated"}`);
}

export default function Units({ loaderData, actionData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("admin");
  const [params, setParams] = useSearchParams();
  const fmt = useOrgFormat();
  const { units, parents, canCreate, canUpdate, canDelete } = loaderData;
  const en = i18n.language === "en";
  const open = (which: string) => setParams({ unit: which });
  const done = params.get("done");
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={1}>{t("units.title")}</Title>
        {canCreate ? <Button onClick={() => open("new")}>{t("units.add")}</Button> : null}
      </Group>
      <Text c="dimmed" size="sm">
        {t("units.help")}
      </Text>
      {done ? (
        <Alert color="teal" role="status" withCloseButton onClose={() => setParams({})} closeButtonLabel={t("common:actions.clear")}>
          {t(`units.done.${done}`, { defaultValue: t("common:saved") })}
        </Alert>
      ) : null}
      {units.length === 0 ? (
        <Alert color="gray">{t("units.empty")}</Alert>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("units.columns.name")}</Table.Th>
                <Table.Th>{t("units.columns.code")}</Table.Th>
                <Table.Th>{t("units.columns.members")}</Table.Th>
                {canUpdate || canDelete ? <Table.Th>{t("units.columns.actions")}</Table.Th> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {units.map((u) => (
                <Table.Tr key={u.id} data-testid="unit-row">
                  <Table.Td>
                    {/* Indentation on the inline-start side, so the tree reads correctly in RTL and LTR. */}
                    <Text style={{ paddingInlineStart: `${u.depth * 1.5}rem` }} fw={u.depth === 0 ? 600 : 400}>
                      {u.depth > 0 ? <span aria-hidden="true">{en ? "↳ " : "↲ "}</span> : null}
                      {en ? u.name_en : u.name_ar}
                    </Text>
                    <Text size="xs" c="dimmed" style={{ paddingInlineStart: `${u.depth * 1.5}rem` }} lang={en ? "ar" : "en"}>
                      {en ? u.name_ar : u.name_en}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="outline" color="gray" tt="none">
                      {u.code}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{fmt.number(u.memberCount)}</Table.Td>
                  {canUpdate || canDelete ? (
                    <Table.Td>
                      <Group gap={4}>
                        <Button
                          variant="subtle"
                          size="compact-sm"
                          onClick={() => open(u.id)}
                          aria-label={`${canUpdate ? t("common:actions.edit") : t("common:actions.delete")}: ${en ? u.name_en : u.name_ar}`}
                        >
                          {canUpdate ? t("common:actions.edit") : t("common:actions.delete")}
                        </Button>
                      </Group>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <UnitDrawer units={parents} canDelete={canDelete} canUpdate={canUpdate} actionData={actionData} />
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
