import { Alert, Anchor, Badge, Breadcrumbs, Button, Code, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect } from "react-router";
import type { Route } from "./+types/app.$org.admin.sla.$definitionId";
import { CsrfInput } from "~/components/csrf-input";
import { useOrgFormat } from "~/components/org-format";
import { RouteErrorPage } from "~/components/route-error";
import { PolicyForm, type PolicyFormValues } from "~/components/sla/policy-form";
import { getInstance } from "~/middleware/i18next";
import { isUuid } from "~/models/case-access.server";
import { createPolicy, definitionSteps, deletePolicy, listPolicies, updatePolicy } from "~/models/sla-policies.server";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { notFound, requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";
import { defaultFormValues, fieldErrors, formValuesOf, readPolicyForm } from "~/utils/sla-admin.server";
import { SLA_LIMITS } from "~/engine/sla";

// One process's service level agreements: the list, a form to add one, and (with ?edit=<id>)
// the same form to change one. Every change is validated on the server (messages next to the
// fields, input kept), audit-logged with before/after, and applies to tasks created from then on.

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "update", "Definition");
  const id = args.params.definitionId;
  if (!isUuid(id)) notFound();
  const t = getInstance(args.context).getFixedT(null, "deadlines");
  const found = await withTenant(appDb(), ctx.scope, async (trx) => {
    const definition = await trx.selectFrom("workflow_definitions").select(["id", "key", "name_ar", "name_en"]).where("org_id", "=", ctx.org.id).where("id", "=", id).executeTakeFirst();
    if (!definition) return undefined;
    const [steps, roles, members, policies] = await Promise.all([
      definitionSteps(trx, ctx.org.id, id),
      trx.selectFrom("roles").select(["key", "name_ar", "name_en"]).where("org_id", "=", ctx.org.id).orderBy("name_ar").execute(),
      trx
        .selectFrom("memberships as m")
        .innerJoin("users as u", "u.id", "m.user_id")
        .select(["u.id", "u.name", "m.title"])
        .where("m.org_id", "=", ctx.org.id)
        .where("m.disabled_at", "is", null)
        .where("u.disabled_at", "is", null)
        .orderBy("u.name")
        .limit(500)
        .execute(),
      listPolicies(trx, ctx.org.id, id),
    ]);
    return { definition, steps, roles, members, policies };
  });
  if (!found) notFound();
  const url = new URL(args.request.url);
  const editing = found.policies.find((p) => p.id === url.searchParams.get("edit")) ?? null;
  return {
    title: `${t("admin.title")}: ${ctx.locale === "en" ? found.definition.name_en : found.definition.name_ar} — ${t("common:appName")}`,
    definition: found.definition,
    steps: found.steps.map((s) => ({ value: s.id, ar: s.name.ar, en: s.name.en })),
    roles: found.roles.map((r) => ({ value: r.key, ar: r.name_ar, en: r.name_en })),
    members: found.members.map((m) => ({ value: m.id, label: m.title ? `${m.name} — ${m.title}` : m.name })),
    policies: found.policies.map((p) => ({ ...p, updatedAt: p.updatedAt.toISOString() })),
    editing: editing ? { id: editing.id, version: editing.version, values: formValuesOf(editing) } : null,
    defaults: defaultFormValues(),
    done: url.searchParams.get("done"),
  };
}

type Failure = { intent: string; policyId: string | null; values: PolicyFormValues | null; errors: Record<string, string> };

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "update", "Definition");
  const id = args.params.definitionId;
  if (!isUuid(id)) notFound();
  const t = getInstance(args.context).getFixedT(null, "deadlines");
  const actor = auditActor(ctx, args.context);
  const form = await args.request.formData();
  const intent = String(form.get("intent") ?? "");
  const policyId = String(form.get("policyId") ?? "") || null;
  const page = `/app/${ctx.org.slug}/admin/sla/${id}`;
  const fail = (status: number, failure: Omit<Failure, "intent" | "policyId">) => data<Failure>({ intent, policyId, ...failure }, { status });

  if (intent === "delete") {
    const deleted = policyId && isUuid(policyId) ? await withTenant(appDb(), ctx.scope, (trx) => deletePolicy(trx, actor, policyId)) : false;
    if (!deleted) return fail(404, { values: null, errors: { _form: t("admin.notFound") } });
    throw redirect(`${page}?done=deleted`);
  }
  if (intent !== "create" && intent !== "update") return fail(400, { values: null, errors: { _form: t("common:errors.invalid") } });
  const parsed = readPolicyForm(form);
  if (!parsed.input) return fail(400, { values: parsed.values, errors: fieldErrors(parsed.problems, t) });
  const input = parsed.input;
  const result = await withTenant(appDb(), ctx.scope, (trx) =>
    intent === "create"
      ? createPolicy(trx, actor, id, input)
      : policyId && isUuid(policyId)
        ? updatePolicy(trx, actor, policyId, input, Number(form.get("version")))
        : Promise.resolve({ ok: false as const, reason: "not_found" as const }),
  );
  if (result.ok) throw redirect(`${page}?done=${intent === "create" ? "created" : "saved"}`);
  if (result.reason === "invalid") return fail(400, { values: parsed.values, errors: fieldErrors(result.problems, t) });
  if (result.reason === "conflict") return fail(409, { values: parsed.values, errors: { _form: t("admin.conflict") } });
  return fail(404, { values: parsed.values, errors: { _form: t("admin.notFound") } });
}

export default function SlaDefinitionPage({ loaderData, actionData, params }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("deadlines");
  const fmt = useOrgFormat();
  const en = i18n.language === "en";
  const { definition, policies, editing, steps, roles, members, done } = loaderData;
  const base = `/app/${params.org}`;
  const failed = actionData as Failure | undefined;
  const hours = (m: number | null) => (m === null ? t("admin.none") : t("admin.hoursValue", { hours: fmt.number(Math.round((m / 60) * 100) / 100) }));
  const stepName = (id: string | null) => {
    const s = steps.find((x) => x.value === id);
    return s ? (en ? s.en : s.ar) : (id ?? "");
  };
  const createValues = failed?.intent === "create" && failed.values ? failed.values : loaderData.defaults;
  const editValues = editing && failed?.intent === "update" && failed.policyId === editing.id && failed.values ? failed.values : editing?.values;
  return (
    <Stack maw={1100}>
      <Breadcrumbs>
        <Anchor component={Link} to={`${base}/admin/sla`}>
          {t("admin.title")}
        </Anchor>
        <Text>{en ? definition.name_en : definition.name_ar}</Text>
      </Breadcrumbs>
      <Title order={1}>{en ? definition.name_en : definition.name_ar}</Title>
      {done ? (
        <Alert color="teal" role="status">
          {t(`admin.${done === "created" ? "created" : done === "deleted" ? "deleted" : "saved"}`)}
        </Alert>
      ) : null}
      {failed?.intent === "delete" && failed.errors._form ? (
        <Alert color="red" role="alert">
          {failed.errors._form}
        </Alert>
      ) : null}

      <section aria-labelledby="policies-title">
        <Title order={2} size="h4" id="policies-title" mb="xs">
          {t("admin.policies")}
        </Title>
        {policies.length === 0 ? <Text c="dimmed">{t("admin.noPolicies")}</Text> : null}
        <Stack gap="xs">
          {policies.map((p) => (
            <Paper key={p.id} withBorder p="sm" radius="md" data-testid="sla-policy">
              <Group justify="space-between" align="flex-start">
                <Stack gap={2}>
                  <Group gap="xs">
                    <Text fw={600}>{en ? p.nameEn : p.nameAr}</Text>
                    {!p.active ? (
                      <Badge color="gray" variant="outline" tt="none">
                        {t("admin.inactive")}
                      </Badge>
                    ) : null}
                  </Group>
                  <Text size="sm">{t("admin.appliesTo", { scope: p.scope === "step" ? `${t("admin.scopes.step")}: ${stepName(p.nodeId)}` : t(`admin.scopes.${p.scope}`) })}</Text>
                  {p.condition ? (
                    <Text size="sm">
                      {t("admin.when", { condition: "" })}
                      <Code dir="ltr">{p.condition}</Code>
                    </Text>
                  ) : null}
                  <Text size="sm" c="dimmed">
                    {t("admin.summary", { resolution: hours(p.resolutionMinutes), response: hours(p.responseMinutes), levels: fmt.number(p.levels.length) })}
                  </Text>
                </Stack>
                <Group gap="xs">
                  <Button component={Link} to={`?edit=${p.id}`} variant="default" size="xs" aria-label={`${t("admin.edit")}: ${en ? p.nameEn : p.nameAr}`}>
                    {t("admin.edit")}
                  </Button>
                  <Form
                    method="post"
                    onSubmit={(e) => {
                      if (!window.confirm(t("admin.confirmDelete", { name: en ? p.nameEn : p.nameAr }))) e.preventDefault();
                    }}
                  >
                    <CsrfInput />
                    <input type="hidden" name="intent" value="delete" />
                    <input type="hidden" name="policyId" value={p.id} />
                    <Button type="submit" color="red" variant="subtle" size="xs" aria-label={`${t("admin.delete")}: ${en ? p.nameEn : p.nameAr}`}>
                      {t("admin.delete")}
                    </Button>
                  </Form>
                </Group>
              </Group>
            </Paper>
          ))}
        </Stack>
      </section>

      {editing && editValues ? (
        <>
          <PolicyForm
            key={`edit-${editing.id}-${editing.version}`}
            mode="update"
            policyId={editing.id}
            version={editing.version}
            values={editValues}
            errors={failed?.intent === "update" ? failed.errors : {}}
            steps={steps}
            roles={roles}
            members={members}
            maxLevels={MAX_LEVELS}
          />
          <Anchor component={Link} to="?" size="sm">
            {t("admin.cancelEdit")}
          </Anchor>
        </>
      ) : (
        <PolicyForm key={`create-${policies.map((p) => `${p.id}.${p.version}`).join(",")}`} mode="create" values={createValues} errors={failed?.intent === "create" ? failed.errors : {}} steps={steps} roles={roles} members={members} maxLevels={MAX_LEVELS} />
      )}
    </Stack>
  );
}

const MAX_LEVELS = SLA_LIMITS.levels;

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
