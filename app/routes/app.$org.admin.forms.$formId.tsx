import { Alert, Anchor, Badge, Button, Group, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useFetcher, useParams, useSearchParams } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/app.$org.admin.forms.$formId";
import { CsrfInput } from "~/components/csrf-input";
import { FormBuilder } from "~/components/form-builder/builder";
import type { PublishAnswer } from "~/components/form-builder/publish-dialog";
import { Versions, type VersionRow } from "~/components/form-builder/versions";
import { useOrgFormat } from "~/components/org-format";
import { RouteErrorPage } from "~/components/route-error";
import { describeProblems } from "~/forms/messages.server";
import type { FormVersionJson } from "~/forms/model";
import { getInstance } from "~/middleware/i18next";
import { archiveForm, EMPTY_FORM, getDraftVersion, getFormIfAllowed, getFormVersion, listFormVersions, publishForm, restoreForm, saveDraft } from "~/models/forms.server";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { notFound, requireOrgMember } from "~/utils/org-context.server";
import { asSubject, assertCan } from "~/utils/permissions.server";
import { PART_SEPARATOR } from "~/utils/format";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

const asContent = (v: { schema: unknown; ui_schema: unknown; translations: unknown }): FormVersionJson => ({
  schema: v.schema as FormVersionJson["schema"],
  uiSchema: v.ui_schema as FormVersionJson["uiSchema"],
  translations: v.translations as FormVersionJson["translations"],
});

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Form");
  const found = await withTenant(appDb(), ctx.scope, async (trx) => {
    const form = await getFormIfAllowed(trx, ctx.ability, ctx.org.id, args.params.formId, "read");
    if (!form) return null;
    const versions = await listFormVersions(trx, ctx.org.id, form.id);
    const draft = await getDraftVersion(trx, ctx.org.id, form.id);
    // With no draft, the builder starts from the latest version; its first save makes the draft.
    const latest = versions.find((v) => v.version !== null);
    const base = draft ?? (latest ? await getFormVersion(trx, ctx.org.id, latest.id) : undefined);
    return { form, versions, draft, base, basedOn: draft ? null : (latest?.version ?? null) };
  });
  if (!found) notFound();
  const { form, versions, draft, base, basedOn } = found;
  const t = getInstance(args.context).getFixedT(null, "forms");
  const restart = new URL(args.request.url).searchParams.get("restart") ?? "";
  return {
    title: `${ctx.locale === "en" ? form.name_en : form.name_ar} — ${t("builder.title")}`,
    form: { id: form.id, key: form.key, name_ar: form.name_ar, name_en: form.name_en, archived: form.archived_at !== null },
    content: base ? asContent(base) : (EMPTY_FORM as FormVersionJson),
    lockVersion: draft?.lock_version ?? 0,
    hasDraft: !!draft,
    basedOn,
    versions: versions.map<VersionRow>((v) => ({
      id: v.id,
      version: v.version,
      status: v.status as VersionRow["status"],
      change_note: v.change_note,
      published_at: v.published_at?.toISOString() ?? null,
      updated_at: v.updated_at.toISOString(),
    })),
    // The builder starts afresh only when its content was replaced (publish, new draft from a version).
    generation: `${versions.filter((v) => v.version !== null).length}:${restart}`,
    canUpdate: ctx.ability.can("update", asSubject("Form", { createdBy: form.created_by })) && form.archived_at === null,
    canArchive: ctx.ability.can("delete", "Form"),
  };
}

const MAX_CONTENT = 1024 * 1024;
const lockSchema = z.coerce.number().int().min(0).max(2_000_000_000);

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  const t = getInstance(args.context).getFixedT(null, "forms");
  const form = await args.request.formData();
  const intent = String(form.get("intent") ?? "");
  const actor = auditActor(ctx, args.context);
  const formId = args.params.formId;
  const refused = (reason: string) => ({ intent: "publish" as const, ok: false as const, reason, message: t(`builder.publish.reasons.${reason}`) });

  if (intent === "archive" || intent === "restore") {
    assertCan(ctx.ability, "delete", "Form");
    const result = await withTenant(appDb(), ctx.scope, (trx) => (intent === "archive" ? archiveForm : restoreForm)(trx, actor, formId));
    if (!result.ok) notFound();
    throw redirect(`/app/${ctx.org.slug}/admin/forms/${formId}?${intent}d=1`);
  }

  assertCan(ctx.ability, "update", "Form");
  // Rules may limit updates to the forms the member created: check this very form.
  const allowed = await withTenant(appDb(), ctx.scope, (trx) => getFormIfAllowed(trx, ctx.ability, ctx.org.id, formId, "update"));
  if (!allowed) throw data({ code: "forbidden" }, { status: 403 });
  if (intent === "draftFrom") {
    // The person confirmed replacing the draft: whatever its lock version is now.
    const outcome = await withTenant(appDb(), ctx.scope, async (trx) => {
      const version = await getFormVersion(trx, ctx.org.id, String(form.get("versionId") ?? ""));
      if (!version || version.form_id !== formId || version.version === null) return { ok: false as const, reason: "not_found" as const };
      const draft = await getDraftVersion(trx, ctx.org.id, formId, { forUpdate: true });
      return saveDraft(trx, actor, formId, { ...asContent(version), lockVersion: draft?.lock_version ?? 0, changeNote: null });
    });
    if (outcome.ok) throw redirect(`/app/${ctx.org.slug}/admin/forms/${formId}?restart=${Date.now()}`);
    return data(refused(outcome.reason), { status: 400 });
  }

  const lock = lockSchema.safeParse(form.get("lockVersion"));
  if (intent !== "publish" || !lock.success) return data(refused("bad_request"), { status: 400 });
  const raw = String(form.get("content") ?? "");
  let content: FormVersionJson;
  try {
    if (raw.length > MAX_CONTENT) throw new Error("too large");
    content = JSON.parse(raw) as FormVersionJson;
  } catch {
    return data(refused("bad_request"), { status: 400 });
  }
  const changeNote = String(form.get("changeNote") ?? "").slice(0, 1000);
  // Save what is on screen (with the note), then publish exactly that draft.
  const result = await withTenant(appDb(), ctx.scope, async (trx) => {
    const saved = await saveDraft(trx, actor, formId, { schema: content.schema, uiSchema: content.uiSchema, translations: content.translations, lockVersion: lock.data, changeNote });
    if (!saved.ok) return saved;
    return publishForm(trx, actor, formId, saved.value.lockVersion);
  });
  if (result.ok) return { intent: "publish", ok: true, version: result.value.version } satisfies PublishAnswer;
  if (result.reason === "invalid") {
    const problems = describeProblems(result.problems, ctx.locale).map((p) => ({ code: p.code, path: p.path, severity: p.severity, text: p.message }));
    return data({ intent: "publish", ok: false, reason: "invalid", problems } satisfies PublishAnswer, { status: 400 });
  }
  return data(refused(result.reason), { status: result.reason === "conflict" ? 409 : 400 });
}

export default function FormBuilderPage({ loaderData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("forms");
  const fmt = useOrgFormat();
  const [params] = useSearchParams();
  const published = useFetcher<PublishAnswer>({ key: "form-publish" }).data;
  const { form, content, lockVersion, basedOn, versions, generation, canUpdate, canArchive, hasDraft } = loaderData;
  const name = i18n.language === "en" ? form.name_en : form.name_ar;
  const orgSlug = useParams().org ?? "";
  return (
    <Stack>
      <Anchor component={Link} to=".." relative="path" size="sm" w="fit-content">
        {t("builder.backToList")}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Group gap="xs">
            <Title order={1}>{name}</Title>
            {form.archived ? (
              <Badge color="gray" variant="light" tt="none">
                {t("builder.archived")}
              </Badge>
            ) : null}
          </Group>
          <Text size="sm" c="dimmed">
            <Text span dir="ltr" ff="monospace">
              {form.key}
            </Text>
            {PART_SEPARATOR}
            {hasDraft ? t("builder.editingDraft") : basedOn !== null ? t("builder.editingFrom", { n: fmt.number(basedOn) }) : t("builder.editingNew")}
          </Text>
        </Stack>
        {canArchive ? (
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value={form.archived ? "restore" : "archive"} />
            <Button type="submit" variant="default" color={form.archived ? undefined : "red"} size="xs">
              {t(form.archived ? "builder.restore" : "builder.archive")}
            </Button>
          </Form>
        ) : null}
      </Group>
      {published?.ok ? (
        <Alert color="teal" role="status" data-testid="published">
          {t("builder.publish.done", { n: fmt.number(published.version) })}
        </Alert>
      ) : null}
      {params.get("restart") ? (
        <Alert color="teal" role="status">
          {t("builder.versions.restarted")}
        </Alert>
      ) : null}
      {form.archived ? <Alert color="gray">{t("builder.archivedHelp")}</Alert> : null}
      <FormBuilder key={generation} formId={form.id} saveUrl={`/app/${orgSlug}/admin/forms/${form.id}/save`} initial={content} lockVersion={lockVersion} readOnly={!canUpdate} />
      <Versions formId={form.id} versions={versions} canUpdate={canUpdate} hasDraft={hasDraft} />
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
