import { Alert, Anchor, Badge, Group, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Link, redirect, useSearchParams } from "react-router";
import type { Route } from "./+types/app.$org.admin.roles.$roleId";
import { useOrgFormat } from "~/components/org-format";
import { DeleteRole } from "~/components/roles/delete-role";
import { RoleEditor, type SaveResult } from "~/components/roles/role-editor";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { deleteRole, getRole, updateRole, type RoleResult } from "~/models/roles.server";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { formStrings } from "~/utils/form-errors";
import { formatNumber } from "~/utils/format";
import { notFound, requireOrgMember } from "~/utils/org-context.server";
import { assertCan, subjectSpecs } from "~/utils/permissions.server";
import { pluginSubjects } from "~/utils/plugins.server";
import { matrixFromForm, matrixToRules, rulesToMatrix, type MatrixSubject, type Rule } from "~/utils/role-matrix";
import { parseRulesJson, roleNamesSchema, type RuleIssue } from "~/utils/role-rules.server";
import { PART_SEPARATOR } from "~/utils/format";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

const matrixSubjects = (): MatrixSubject[] => subjectSpecs().map((s) => ({ name: s.name, fields: s.fields }));

/** Plugin subjects are labelled from the plugin's own namespace ("subjects.<Name>"). */
function subjectNamespaces(): Record<string, string> {
  return Object.fromEntries(pluginSubjects().map((s) => [s.name, s.pluginId]));
}

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Role");
  const role = await withTenant(appDb(), ctx.scope, (trx) => getRole(trx, ctx.org.id, args.params.roleId));
  if (!role) notFound();
  const subjects = matrixSubjects();
  const rules = Array.isArray(role.rules) ? (role.rules as Rule[]) : [];
  const t = getInstance(args.context).getFixedT(null, "roles");
  const isAdminRole = role.builtin && role.key === "admin";
  return {
    title: `${ctx.locale === "en" ? role.name_en : role.name_ar} — ${t("title")}`,
    role: { id: role.id, key: role.key, name_ar: role.name_ar, name_en: role.name_en, builtin: role.builtin, version: role.version, updated_at: role.updated_at.toISOString() },
    rules,
    ...rulesToMatrix(rules, subjects),
    subjects,
    namespaces: subjectNamespaces(),
    canUpdate: ctx.ability.can("update", "Role"),
    canDelete: ctx.ability.can("delete", "Role") && !isAdminRole,
  };
}

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  const t = getInstance(args.context).getFixedT(null, "roles");
  const form = await args.request.formData();
  const actor = auditActor(ctx, args.context);
  const version = Number.parseInt(String(form.get("version") ?? ""), 10);
  const num = (n: number) => formatNumber(n, ctx.prefs);
  const result = (body: Partial<SaveResult>, status: number) =>
    data({ ok: false, fieldErrors: {}, formError: null, issues: [], conflict: null, ...body } as SaveResult, { status });

  if (form.get("intent") === "delete") {
    assertCan(ctx.ability, "delete", "Role");
    const outcome = await withTenant(appDb(), ctx.scope, (trx) => deleteRole(trx, actor, args.params.roleId, version));
    if (outcome.ok) throw redirect(`/app/${ctx.org.slug}/admin/roles?deleted=${encodeURIComponent(outcome.role.key)}`);
    if (outcome.reason === "conflict") return result({ formError: t("errors.deleteConflict") }, 409);
    return refusal(outcome, t, result, num);
  }

  assertCan(ctx.ability, "update", "Role");
  const values = formStrings(form, ["name_ar", "name_en", "mode"] as const);
  const names = roleNamesSchema.safeParse(values);
  const fieldErrors: Record<string, string> = {};
  if (!names.success) for (const issue of names.error.issues) fieldErrors[String(issue.path[0])] = t(`errors.${String(issue.path[0])}`);
  const rules = rulesFromForm(form, values.mode === "json");
  if (!names.success || !rules.ok) {
    return result({ fieldErrors, issues: rules.ok ? [] : issueTexts(rules.issues, t), formError: t("errors.fix") }, 400);
  }
  const outcome = await withTenant(appDb(), ctx.scope, (trx) => updateRole(trx, actor, args.params.roleId, { version, ...names.data, rules: rules.rules }));
  if (outcome.ok) return { ok: true, saved: outcome.role.version, fieldErrors: {}, formError: null, issues: [], conflict: null } satisfies SaveResult;
  return refusal(outcome, t, result, num);
}

/**
 * Matrix mode: the cells plus the "extra" rules the matrix cannot show (posted back as they
 * were shown); JSON mode: the text as typed. Either way the model validates the result.
 */
function rulesFromForm(form: FormData, json: boolean): { ok: true; rules: unknown[] } | { ok: false; issues: RuleIssue[] } {
  if (json) return parseRulesJson(String(form.get("rules") ?? ""));
  const extras = parseRulesJson(String(form.get("extras") ?? "[]"));
  if (!extras.ok) return extras;
  const subjects = matrixSubjects();
  return { ok: true, rules: [...matrixToRules(matrixFromForm((name) => form.get(name), subjects), subjects), ...extras.rules] };
}

type T = (key: string, options?: Record<string, unknown>) => string;

// First-strong isolates keep Latin tokens such as ${user.id} intact inside Arabic sentences.
const isolate = (value: string) => `\u2068${value}\u2069`;

function issueTexts(issues: RuleIssue[], t: T): string[] {
  return issues.map((i) => {
    const params = Object.fromEntries(Object.entries(i.params ?? {}).map(([k, v]) => [k, isolate(v)]));
    const text = t(`issues.${i.code}`, params);
    return i.rule === null ? text : t("issues.inRule", { n: i.rule, text });
  });
}

function refusal(
  outcome: Exclude<RoleResult, { ok: true }>,
  t: T,
  result: (body: Partial<SaveResult>, status: number) => ReturnType<typeof data<SaveResult>>,
  num: (n: number) => string,
) {
  switch (outcome.reason) {
    case "not_found":
      return notFound();
    case "conflict": {
      const c = outcome.current;
      const ruleCount = Array.isArray(c.rules) ? c.rules.length : 0;
      return result({ conflict: { version: c.version, updated_at: c.updated_at.toISOString(), name_ar: c.name_ar, name_en: c.name_en, ruleCount } }, 409);
    }
    case "invalid":
      return result({ issues: issueTexts(outcome.issues, t), formError: t("errors.fix") }, 400);
    case "assigned":
      return result({ formError: t("errors.assigned", { count: outcome.members, n: num(outcome.members) }) }, 400);
    default: // lockout, builtin_admin, duplicate_key (not produced here)
      return result({ formError: t(`errors.${outcome.reason}`) }, 400);
  }
}

export default function RolePage({ loaderData, actionData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("roles");
  const fmt = useOrgFormat();
  const [params] = useSearchParams();
  const { role, canUpdate, canDelete } = loaderData;
  const name = i18n.language === "en" ? role.name_en : role.name_ar;
  return (
    <Stack>
      <Anchor component={Link} to={".."} relative="path" size="sm" w="fit-content">
        {t("backToList")}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="xs">
            <Title order={1}>{name}</Title>
            {role.builtin ? (
              <Badge variant="light" color="gray" tt="none">
                {t("builtin")}
              </Badge>
            ) : null}
          </Group>
          <Text size="sm" c="dimmed">
            <Text span dir="ltr" ff="monospace">
              {role.key}
            </Text>
            {PART_SEPARATOR}
            {t("versionInfo", { version: fmt.number(role.version), date: fmt.dateTime(role.updated_at) })}
          </Text>
        </Stack>
        {canDelete ? <DeleteRole name={name} version={role.version} /> : null}
      </Group>
      {params.get("created") && !actionData ? (
        <Alert color="teal" role="status">
          {t("created")}
        </Alert>
      ) : null}
      {!canUpdate ? <Alert color="gray">{t("readOnly")}</Alert> : null}
      {/* A new version (after a save) starts the editor afresh from the stored rules. */}
      <RoleEditor key={role.version} {...loaderData} actionData={actionData ?? null} />
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
