import crypto from "node:crypto";
import { Alert, Anchor, Button, Paper, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useNavigation, useParams } from "react-router";
import type { Route } from "./+types/app.$org.cases.new";
import { CsrfInput } from "~/components/csrf-input";
import { RouteErrorPage } from "~/components/route-error";
import { StartCaseForm } from "~/components/workflow/start-case-form";
import { getInstance } from "~/middleware/i18next";
import { loadStartPage, startCaseFromForm } from "~/utils/case-page.server";
import { requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "create", "Case");
  const key = new URL(args.request.url).searchParams.get("definition") ?? "";
  const page = await loadStartPage(ctx, key);
  const t = getInstance(args.context).getFixedT(null, "engine");
  return { title: `${t("case.start.title")} — ${t("common:appName")}`, ...page, idempotencyKey: crypto.randomUUID() };
}

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "create", "Case");
  const t = getInstance(args.context).getFixedT(null, "engine");
  const result = await startCaseFromForm(ctx, await args.request.formData(), t);
  if (result.ok) throw redirect(`/app/${ctx.org.slug}/cases/${result.caseId}`);
  return data(result, { status: result.status });
}

export default function StartCase({ loaderData, actionData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("engine");
  const navigation = useNavigation();
  const base = `/app/${useParams().org}`;
  const en = i18n.language === "en";
  const { definition, startable, startForm, startFormMissing } = loaderData;
  const local = (l: { ar: string; en: string }) => (en ? l.en : l.ar);
  if (!definition) {
    return (
      <Stack>
        <Title order={1}>{t("case.start.title")}</Title>
        {loaderData.requestedKey ? <Alert color="orange">{t("case.start.notStartable")}</Alert> : null}
        <Title order={2} size="h4">
          {t("case.start.chooseTitle")}
        </Title>
        {startable.length === 0 ? (
          <Alert color="gray">{t("case.start.chooseEmpty")}</Alert>
        ) : (
          <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
            {startable.map((d) => (
              <li key={d.key}>
                <Anchor component={Link} to={`?definition=${encodeURIComponent(d.key)}`} fw={600}>
                  {en ? d.name_en : d.name_ar}
                </Anchor>
                <Text span size="xs" c="dimmed" dir="ltr" ff="monospace" ms="xs">
                  {d.key}
                </Text>
              </li>
            ))}
          </Stack>
        )}
      </Stack>
    );
  }
  const failed = actionData && !actionData.ok ? actionData : undefined;
  return (
    <Stack maw="40rem">
      <Anchor component={Link} to={`${base}/inbox`} size="sm">
        {t("inbox.title")}
      </Anchor>
      <Title order={1}>{t("case.start.title")}</Title>
      <Stack gap={2}>
        <Text size="xs" c="dimmed" fw={600}>
          {t("case.start.service")}
        </Text>
        <Text fw={600}>{local(definition.name)}</Text>
        {definition.firstStep ? (
          <Text size="sm" c="dimmed">
            {t("case.start.firstStep", { step: local(definition.firstStep) })}
          </Text>
        ) : null}
      </Stack>
      {startFormMissing ? (
        <Alert color="orange" role="alert">
          {t("case.start.startFormMissing")}
        </Alert>
      ) : startForm ? (
        <StartCaseForm definitionKey={definition.key} idempotencyKey={loaderData.idempotencyKey} startForm={startForm} failed={failed} />
      ) : (
        <Paper withBorder p="md" radius="md">
          <Form method="post" noValidate>
            <CsrfInput />
            <input type="hidden" name="definition" value={definition.key} />
            <input type="hidden" name="idempotencyKey" value={`${loaderData.idempotencyKey}.start`} />
            <Stack gap="md">
              {failed?.formError ? (
                <Alert color="red" role="alert">
                  {failed.formError}
                </Alert>
              ) : null}
              <TextInput
                name="title"
                label={t("case.start.caseTitle")}
                description={t("case.start.caseTitleHint")}
                required
                maxLength={200}
                defaultValue={failed?.values.title ?? ""}
                error={failed?.fieldErrors.title}
              />
              <Textarea
                name="notes"
                label={t("case.start.notes")}
                description={t("case.start.notesHint")}
                autosize
                minRows={3}
                maxLength={5000}
                defaultValue={failed?.values.notes ?? ""}
                error={failed?.fieldErrors.notes}
              />
              <Text size="sm" c="dimmed">
                {t("case.start.noStartForm")}
              </Text>
              <Button type="submit" w="fit-content" loading={navigation.state !== "idle"} data-testid="start-case-submit">
                {t("case.start.submit")}
              </Button>
            </Stack>
          </Form>
        </Paper>
      )}
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
