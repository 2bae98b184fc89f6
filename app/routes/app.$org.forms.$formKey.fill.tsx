import { Alert, Anchor, Badge, Box, Group, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import type { Route } from "./+types/app.$org.forms.$formKey.fill";
import { ConflictBanner, SaveStatusLine } from "~/components/form-fill/save-status";
import { useDraftAutosave, type Answers } from "~/components/form-fill/use-draft-autosave";
import type { FieldError } from "~/components/form-renderer/errors";
import { FormRenderer, type RenderableVersion } from "~/components/form-renderer/form-renderer";
import { useOrgFormat } from "~/components/org-format";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { describeFiles, fileIdsIn } from "~/models/form-fill.server";
import { getFormDraft, latestDraftForForm } from "~/models/form-drafts.server";
import { getFormVersion, getLatestPublishedVersion, type FormVersion } from "~/models/forms.server";
import { useRootData } from "~/root";
import { appDb, withTenant } from "~/utils/db.server";
import { notFound, requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";

// Filling the latest published version of a form on its own ("standalone"; tasks embed
// the same renderer with their own context). Answers autosave as a private draft; the
// submit goes to ./submit, where the server validates and stores.
const CONTEXT = "standalone";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Form");
  const wantLatest = new URL(args.request.url).searchParams.get("version") === "latest";
  const owner = { orgId: ctx.org.id, userId: ctx.user.id };
  const found = await withTenant(appDb(), ctx.scope, async (trx) => {
    const latest = await getLatestPublishedVersion(trx, ctx.org.id, { key: args.params.formKey });
    if (!latest) return null;
    let version: FillVersion = latest;
    let draft = await getFormDraft(trx, owner, latest.id, CONTEXT);
    let newer: number | null = null;
    let carried: Answers | null = null;
    if (!draft) {
      // Answers saved on an earlier version are never dropped: the person goes on with that
      // version (while it is still published), or takes them over to the new one.
      const earlier = await latestDraftForForm(trx, owner, latest.form_id, CONTEXT);
      const earlierVersion = earlier && earlier.form_version_id !== latest.id ? await getFormVersion(trx, ctx.org.id, earlier.form_version_id) : undefined;
      if (earlier && earlierVersion && earlierVersion.status === "published" && !wantLatest) {
        version = { ...earlierVersion, key: latest.key, name_ar: latest.name_ar, name_en: latest.name_en };
        draft = await getFormDraft(trx, owner, earlierVersion.id, CONTEXT);
        newer = latest.version;
      } else if (earlier && earlierVersion) {
        carried = keepKnownFields(earlier.data as Answers, latest.schema);
      }
    }
    const ids = fileIdsIn(draft?.data ?? carried);
    const files = ids.length ? await describeFiles(trx, ctx.org.id, ids, { uploadedBy: ctx.user.id }) : {};
    return { version, draft, files, newer, carried };
  });
  if (!found) notFound();
  const { version, draft, files, newer, carried } = found;
  const t = getInstance(args.context).getFixedT(null, "forms");
  const name = ctx.locale === "en" ? version.name_en : version.name_ar;
  return {
    title: `${name} — ${t("common:appName")}`,
    form: { key: version.key, name_ar: version.name_ar, name_en: version.name_en },
    version: {
      id: version.id,
      number: version.version,
      schema: version.schema,
      uiSchema: version.ui_schema,
      translations: version.translations as RenderableVersion["translations"],
    },
    draft: draft ? { data: draft.data as Answers, lockVersion: draft.lock_version, savedAt: draft.updated_at.toISOString() } : null,
    carried,
    newer,
    files,
    userId: ctx.user.id,
    context: CONTEXT,
  };
}

type FillVersion = Pick<FormVersion, "id" | "version" | "schema" | "ui_schema" | "translations"> & { key: string; name_ar: string; name_en: string };

/** The answers whose top-level field still exists in the new version (the server checks the rest). */
function keepKnownFields(data: Answers, schema: unknown): Answers {
  const properties = schema && typeof schema === "object" ? (schema as { properties?: Record<string, unknown> }).properties : undefined;
  if (!properties) return {};
  return Object.fromEntries(Object.entries(data).filter(([key]) => Object.hasOwn(properties, key)));
}

export default function FillFormPage({ loaderData, params }: Route.ComponentProps) {
  // A different form or version is a different filling: start its state afresh.
  return <Fill key={`${loaderData.version.id}:${loaderData.context}`} loaderData={loaderData} orgSlug={params.org} />;
}

function Fill({ loaderData, orgSlug }: { loaderData: Route.ComponentProps["loaderData"]; orgSlug: string }) {
  const { t, i18n } = useTranslation("forms");
  const locale = i18n.language === "en" ? "en" : "ar";
  const csrf = useRootData()?.csrf ?? "";
  const { number } = useOrgFormat();
  const navigate = useNavigate();
  const { form, version, draft, files, userId, context, newer, carried } = loaderData;
  const autosave = useDraftAutosave({ orgSlug, formKey: form.key, versionId: version.id, context, userId, csrf, initial: draft, carried });
  const [serverErrors, setServerErrors] = useState<FieldError[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(answers: Answers) {
    setSubmitting(true);
    setProblem(null);
    await autosave.pause();
    try {
      const response = await fetch(`/app/${encodeURIComponent(orgSlug)}/forms/${encodeURIComponent(form.key)}/submit`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, Accept: "application/json" },
        body: JSON.stringify({ formVersionId: version.id, context, idempotencyKey: autosave.submitKey(), data: answers }),
      });
      const result = (await response.json().catch(() => ({}))) as {
        redirectTo?: string;
        errors?: FieldError[];
        message?: string;
      };
      if (response.ok && result.redirectTo) {
        autosave.finish();
        navigate(result.redirectTo);
        return;
      }
      autosave.resume();
      if (Array.isArray(result.errors) && result.errors.length > 0) setServerErrors(result.errors);
      else setProblem(result.message ?? t("fill.errors.failed"));
    } catch {
      autosave.resume();
      setProblem(t("fill.errors.network"));
    } finally {
      setSubmitting(false);
    }
  }

  const { status } = autosave;
  return (
    <Stack gap="md" maw={820} mx="auto" w="100%">
      <Group justify="space-between" align="flex-start" gap="xs">
        <Box>
          <Title order={1}>{locale === "en" ? form.name_en : form.name_ar}</Title>
          <SaveStatusLine status={status} />
        </Box>
        <Badge variant="light" color="gray" tt="none">
          {t("fill.version", { number: version.number })}
        </Badge>
      </Group>
      {newer !== null ? (
        <Alert color="blue" variant="light" data-testid="newer-version">
          <Text size="sm" mb="xs">
            {t("fill.newerVersion.body", { newer: number(newer), current: number(version.number ?? 0) })}
          </Text>
          <Anchor component={Link} to="?version=latest" size="sm">
            {t("fill.newerVersion.switch")}
          </Anchor>
        </Alert>
      ) : null}
      {carried ? (
        <Alert color="blue" variant="light" data-testid="carried-over">
          {t("fill.newerVersion.carried")}
        </Alert>
      ) : null}
      {autosave.restoredFromDevice ? (
        <Alert color="blue" variant="light" data-testid="restored-from-device">
          {t("fill.restoredFromDevice")}
        </Alert>
      ) : null}
      {status.kind === "conflict" ? <ConflictBanner savedAt={status.savedAt} onLoad={() => void autosave.loadTheirs()} onKeep={autosave.keepMine} /> : null}
      {problem ? (
        <Alert color="red" variant="light" role="alert" data-testid="submit-problem">
          {problem}
        </Alert>
      ) : null}
      <FormRenderer
        version={version}
        locale={locale}
        data={autosave.data}
        onChange={autosave.setData}
        onSubmit={(answers) => void submit(answers)}
        errors={serverErrors}
        files={files}
        submitting={submitting}
        disabled={status.kind === "conflict"}
        actions={
          <Anchor component={Link} to={`/app/${orgSlug}/forms`} size="sm">
            {t("fill.backToList")}
          </Anchor>
        }
      />
      <Text size="xs" c="dimmed">
        {t("fill.autosave.explain")}
      </Text>
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
