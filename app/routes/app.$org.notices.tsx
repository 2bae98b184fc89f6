import { Alert, Badge, Button, Group, Modal, Paper, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { data, Form, useNavigation } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/app.$org.notices";
import { CsrfInput } from "~/components/csrf-input";
import { useOrgFormat } from "~/components/org-format";
import { Pager } from "~/components/pager";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { fieldErrorsFrom, formStrings } from "~/utils/form-errors";
import { notFound, requireOrgMember } from "~/utils/org-context.server";
import { parsePaging } from "~/utils/paging";
import { asSubject, assertCan } from "~/utils/permissions.server";
import { currentSettings, requirePluginEnabled } from "~/models/plugin-orgs.server";
import { createNotice, deleteNotice, expiryFor, findNotice, listNotices } from "~plugins/notices/notices.server";
import { readNoticeSettings } from "~plugins/notices/settings";
import { NOTICES_PAGE_SIZE, noticeInputSchema } from "~plugins/notices/schema";
import { PART_SEPARATOR } from "~/utils/format";

// The notices plugin's page (plugins/notices/README.md). Every request first checks that the
// plugin is active on the platform and enabled by this organisation (requireOrgMember already
// refuses the plugin's paths otherwise; this says so where the page is). A notice posted
// here stays for the organisation's displayDays.

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  await requirePluginEnabled(ctx, "notices");
  assertCan(ctx.ability, "read", "Notice");
  const paging = parsePaging(new URL(args.request.url), NOTICES_PAGE_SIZE);
  const list = await withTenant(appDb(), ctx.scope, (trx) => listNotices(trx, ctx.org.id, ctx.ability, paging));
  const t = getInstance(args.context).getFixedT(null, "notices");
  return {
    title: `${t("title")} — ${t("common:appName")}`,
    notices: list.rows.map((n) => ({ ...n, canDelete: ctx.ability.can("delete", asSubject("Notice", { id: n.id, createdBy: n.createdBy })) })),
    total: list.total,
    page: paging.page,
    pageSize: paging.pageSize,
    canCreate: ctx.ability.can("create", "Notice"),
  };
}

const deleteSchema = z.object({ id: z.uuid() });

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  await requirePluginEnabled(ctx, "notices");
  const t = getInstance(args.context).getFixedT(null, "notices");
  const form = await args.request.formData();
  const actor = auditActor(ctx, args.context);

  if (form.get("intent") === "delete") {
    const parsed = deleteSchema.safeParse({ id: form.get("id") });
    if (!parsed.success) notFound();
    const notice = await withTenant(appDb(), ctx.scope, (trx) => findNotice(trx, ctx.org.id, parsed.data.id));
    if (!notice) return data({ intent: "delete" as const, message: t("errors.gone"), ok: false as const }, { status: 404 });
    assertCan(ctx.ability, "delete", "Notice", { id: notice.id, createdBy: notice.created_by });
    const deleted = await withTenant(appDb(), ctx.scope, (trx) => deleteNotice(trx, actor, notice.id));
    return data({ intent: "delete" as const, message: deleted ? t("deleted") : t("errors.gone"), ok: deleted }, { status: deleted ? 200 : 404 });
  }

  assertCan(ctx.ability, "create", "Notice");
  const values = formStrings(form, ["title", "body"] as const);
  const parsed = noticeInputSchema.safeParse(values);
  if (!parsed.success) {
    return data({ intent: "create" as const, values, fieldErrors: fieldErrorsFrom(parsed.error, t), message: t("errors.invalid"), ok: false as const }, { status: 400 });
  }
  const created = await withTenant(appDb(), ctx.scope, async (trx) => {
    const policy = readNoticeSettings((await currentSettings(trx, ctx.org.id, "notices")).values);
    return createNotice(trx, actor, parsed.data, { expiresAt: expiryFor(new Date(), policy.displayDays) });
  });
  return { intent: "create" as const, createdId: created.id, message: t("created"), ok: true as const };
}

export default function Notices({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("notices");
  const fmt = useOrgFormat();
  const busy = useNavigation().state === "submitting";
  const [confirming, setConfirming] = useState<{ id: string; title: string } | null>(null);
  const { notices, total, page, pageSize, canCreate } = loaderData;
  const failed = actionData && !actionData.ok && actionData.intent === "create" ? actionData : null;
  return (
    <Stack>
      <Title order={1}>{t("title")}</Title>
      <Text c="dimmed">{t("intro")}</Text>
      {actionData?.message && !(actionData.intent === "create" && !actionData.ok) ? (
        <Alert color={actionData.ok ? "teal" : "red"} role="status">
          {actionData.message}
        </Alert>
      ) : null}

      {canCreate ? (
        <Paper withBorder p="md" radius="md">
          {/* A new key after each successful post clears the form; a failed post keeps the input. */}
          <Form method="post" noValidate key={actionData?.intent === "create" && actionData.ok ? actionData.createdId : "form"}>
            <CsrfInput />
            <input type="hidden" name="intent" value="create" />
            <Stack gap="sm">
              <Title order={2} size="h4">
                {t("form.heading")}
              </Title>
              {failed ? (
                <Alert color="red" role="alert">
                  {failed.message}
                </Alert>
              ) : null}
              <TextInput name="title" label={t("form.title")} required maxLength={200} defaultValue={failed?.values.title ?? ""} error={failed?.fieldErrors.title} />
              <Textarea name="body" label={t("form.body")} required autosize minRows={3} maxLength={5000} defaultValue={failed?.values.body ?? ""} error={failed?.fieldErrors.body} />
              <Group>
                <Button type="submit" loading={busy}>
                  {t("form.submit")}
                </Button>
              </Group>
            </Stack>
          </Form>
        </Paper>
      ) : null}

      {notices.length === 0 ? (
        <Alert color="gray">{t("empty")}</Alert>
      ) : (
        <Stack gap="sm" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
          {notices.map((n) => (
            <Paper key={n.id} component="li" withBorder p="md" radius="md" data-testid="notice">
              <Group justify="space-between" align="flex-start" wrap="nowrap">
                <Stack gap={4}>
                  <Title order={3} size="h5">
                    {n.title}
                  </Title>
                  <Text size="xs" c="dimmed">
                    {t("postedBy", { name: n.authorName ?? "—", date: fmt.dateTime(n.createdAt) })}
                    {n.expiresAt ? `${PART_SEPARATOR}${t("expires", { date: fmt.date(n.expiresAt) })}` : ""}
                  </Text>
                  {n.pinned ? (
                    <Badge variant="light" size="sm" w="fit-content">
                      {t("pinned")}
                    </Badge>
                  ) : null}
                </Stack>
                {n.canDelete ? (
                  <Button variant="subtle" color="red" size="xs" aria-label={t("delete.label", { title: n.title })} onClick={() => setConfirming({ id: n.id, title: n.title })}>
                    {t("delete.button")}
                  </Button>
                ) : null}
              </Group>
              <Text mt="xs" style={{ whiteSpace: "pre-wrap" }}>
                {n.body}
              </Text>
              {n.signature ? (
                <Text size="sm" mt={4} c="dimmed">
                  {t("signedBy", { signature: n.signature })}
                </Text>
              ) : null}
            </Paper>
          ))}
        </Stack>
      )}
      {total > 0 ? <Pager total={total} page={page} pageSize={pageSize} /> : null}

      <Modal opened={confirming !== null} onClose={() => setConfirming(null)} title={t("delete.confirmTitle")} centered>
        <Form method="post" onSubmit={() => setConfirming(null)}>
          <CsrfInput />
          <input type="hidden" name="intent" value="delete" />
          <input type="hidden" name="id" value={confirming?.id ?? ""} />
          <Stack>
            <Text>{t("delete.confirmText", { title: confirming?.title ?? "" })}</Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirming(null)}>
                {t("delete.cancel")}
              </Button>
              <Button type="submit" color="red">
                {t("delete.confirm")}
              </Button>
            </Group>
          </Stack>
        </Form>
      </Modal>
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
