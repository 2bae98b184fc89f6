import { Alert, Anchor, Badge, Button, Code, CopyButton, Group, Modal, NativeSelect, Paper, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { data, Form, useNavigation } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/app.$org.tokens";
import { CsrfInput } from "~/components/csrf-input";
import { useOrgFormat } from "~/components/org-format";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { createToken, listTokens, revokeToken, tokenStatus, type TokenStatus } from "~/models/api-tokens.server";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { fieldErrorsFrom, formStrings } from "~/utils/form-errors";
import { requireOrgMember } from "~/utils/org-context.server";
import { asSubject, assertCan } from "~/utils/permissions.server";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

// The choices offered; the model accepts any whole number of days up to MAX_EXPIRY_DAYS.
const EXPIRY_CHOICES = ["7", "30", "90", "365", "never"] as const;

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  const rows = await withTenant(appDb(), ctx.scope, (trx) => listTokens(trx, ctx.org.id, ctx.user.id));
  const t = getInstance(args.context).getFixedT(null, "tokens");
  const now = new Date();
  return {
    title: `${t("title")} — ${t("common:appName")}`,
    canCreate: ctx.ability.can("create", asSubject("ApiToken", { userId: ctx.user.id })),
    tokens: rows.map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      createdAt: r.created_at,
      lastUsedAt: r.last_used_at,
      expiresAt: r.expires_at,
      status: tokenStatus(r, now),
    })),
  };
}

const createSchema = z.object({
  name: z.string().trim().min(1, { error: "errors.nameRequired" }).max(100, { error: "errors.nameTooLong" }),
  expiry: z.enum(EXPIRY_CHOICES, { error: "errors.expiryInvalid" }),
});

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  const t = getInstance(args.context).getFixedT(null, "tokens");
  const form = await args.request.formData();
  const intent = String(form.get("intent") ?? "");
  const actor = auditActor(ctx, args.context);

  if (intent === "revoke") {
    const tokenId = String(form.get("tokenId") ?? "");
    const result = await withTenant(appDb(), ctx.scope, (trx) => revokeToken(trx, actor, { tokenId, ability: ctx.ability }));
    if (!result.ok) return data({ intent, formError: t(`errors.${result.reason === "forbidden" ? "forbidden" : "notFound"}`) }, { status: result.reason === "forbidden" ? 403 : 404 });
    return { intent, revoked: result.name };
  }

  assertCan(ctx.ability, "create", "ApiToken", { userId: ctx.user.id });
  const values = formStrings(form, ["name", "expiry"] as const);
  const parsed = createSchema.safeParse(values);
  if (!parsed.success) return data({ intent: "create", values, fieldErrors: fieldErrorsFrom(parsed.error, t) }, { status: 400 });
  const { expiry, name } = parsed.data;
  const created = await withTenant(appDb(), ctx.scope, (trx) =>
    createToken(trx, actor, { name, expiresInDays: expiry === "never" ? null : Number(expiry) }),
  );
  // The secret travels once, in this response; the page is no-store (security middleware).
  return { intent: "create", created: { id: created.token.id, name: created.token.name, secret: created.secret } };
}

type ActionData = {
  intent?: string;
  values?: { name: string; expiry: string };
  fieldErrors?: Record<string, string>;
  formError?: string;
  revoked?: string;
  created?: { id: string; name: string; secret: string };
};

const STATUS_COLOR: Record<TokenStatus, string> = { active: "teal", revoked: "gray", expired: "orange" };

export default function Tokens({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("tokens");
  const fmt = useOrgFormat();
  const navigation = useNavigation();
  const [revoking, setRevoking] = useState<{ id: string; name: string; prefix: string } | null>(null);
  const result = actionData as ActionData | undefined;
  const created = result?.created;
  const busy = navigation.state === "submitting";
  return (
    <Stack>
      <Title order={1}>{t("title")}</Title>
      <Text>{t("intro")}</Text>
      <Group gap="xs">
        <Text>{t("howToUse")}</Text>
        <Code dir="ltr">Authorization: Bearer msr_…</Code>
      </Group>
      <Anchor href="/api/v1/openapi.json" target="_blank" rel="noopener" w="fit-content">
        {t("apiDocs")}
      </Anchor>

      {created ? <NewSecret name={created.name} secret={created.secret} /> : null}
      {result?.revoked ? (
        <Alert color="teal" role="status">
          {t("revoke.done", { name: result.revoked })}
        </Alert>
      ) : null}
      {result?.formError ? (
        <Alert color="red" role="alert">
          {result.formError}
        </Alert>
      ) : null}

      {loaderData.canCreate ? (
        <Paper withBorder p="md" radius="md">
          <Form method="post" noValidate key={created?.id ?? "new"}>
            <CsrfInput />
            <input type="hidden" name="intent" value="create" />
            <Stack gap="sm">
              <Title order={2} size="h4">
                {t("create.title")}
              </Title>
              <Group align="flex-start" gap="sm">
                <TextInput
                  name="name"
                  label={t("create.name")}
                  description={t("create.nameHint")}
                  required
                  maxLength={100}
                  defaultValue={result?.intent === "create" && !created ? result.values?.name : ""}
                  error={result?.fieldErrors?.name}
                  style={{ flex: "1 1 18rem", maxWidth: "28rem" }}
                />
                <NativeSelect
                  name="expiry"
                  label={t("create.expiry")}
                  defaultValue={result?.values?.expiry ?? "90"}
                  error={result?.fieldErrors?.expiry}
                  data={EXPIRY_CHOICES.map((value) => ({ value, label: t(`create.expiryOptions.${value}`) }))}
                />
              </Group>
              <Button type="submit" w="fit-content" loading={busy && navigation.formData?.get("intent") === "create"}>
                {t("create.submit")}
              </Button>
            </Stack>
          </Form>
        </Paper>
      ) : null}

      <Title order={2} size="h3">
        {t("listTitle")}
      </Title>
      {loaderData.tokens.length === 0 ? (
        <Alert color="gray">{t("empty")}</Alert>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped verticalSpacing="sm" data-testid="token-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("columns.name")}</Table.Th>
                <Table.Th>{t("columns.prefix")}</Table.Th>
                <Table.Th>{t("columns.created")}</Table.Th>
                <Table.Th>{t("columns.lastUsed")}</Table.Th>
                <Table.Th>{t("columns.expires")}</Table.Th>
                <Table.Th>{t("columns.status")}</Table.Th>
                <Table.Th>{t("columns.actions")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {loaderData.tokens.map((token) => (
                <Table.Tr key={token.id} data-testid="token-row">
                  <Table.Td fw={600}>{token.name}</Table.Td>
                  <Table.Td>
                    <Code dir="ltr">msr_{token.prefix}_…</Code>
                  </Table.Td>
                  <Table.Td>{fmt.dateTime(token.createdAt)}</Table.Td>
                  <Table.Td>{token.lastUsedAt ? fmt.dateTime(token.lastUsedAt) : t("neverUsed")}</Table.Td>
                  <Table.Td>{token.expiresAt ? fmt.dateTime(token.expiresAt) : t("noExpiry")}</Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLOR[token.status]} variant="light">
                      {t(`status.${token.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {token.status === "revoked" ? null : (
                      <Button
                        size="xs"
                        variant="light"
                        color="red"
                        aria-label={t("revoke.buttonLabel", { name: token.name })}
                        onClick={() => setRevoking({ id: token.id, name: token.name, prefix: token.prefix })}
                      >
                        {t("revoke.button")}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      <Modal opened={revoking !== null} onClose={() => setRevoking(null)} title={t("revoke.confirmTitle")} centered>
        {revoking ? (
          <Form method="post" onSubmit={() => setRevoking(null)}>
            <CsrfInput />
            <input type="hidden" name="intent" value="revoke" />
            <input type="hidden" name="tokenId" value={revoking.id} />
            <Stack>
              <Text>{t("revoke.confirmText", { name: revoking.name, prefix: `\u2066msr_${revoking.prefix}_…\u2069` })}</Text>
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setRevoking(null)}>
                  {t("revoke.cancel")}
                </Button>
                <Button type="submit" color="red" data-testid="confirm-revoke">
                  {t("revoke.confirm")}
                </Button>
              </Group>
            </Stack>
          </Form>
        ) : null}
      </Modal>
    </Stack>
  );
}

/** The new secret, shown once: copy button, and a warning that it will not be shown again. */
function NewSecret({ name, secret }: { name: string; secret: string }) {
  const { t } = useTranslation("tokens");
  return (
    <Alert color="yellow" title={t("created.title", { name })} role="status">
      <Stack gap="sm">
        <Text fw={600}>{t("created.warning")}</Text>
        <Group gap="xs" wrap="nowrap" align="flex-end">
          <TextInput
            label={t("created.secretLabel")}
            value={secret}
            readOnly
            dir="ltr"
            styles={{ input: { fontFamily: "monospace" } }}
            data-testid="new-token-secret"
            onFocus={(e) => e.currentTarget.select()}
            style={{ flex: 1 }}
          />
          <CopyButton value={secret}>
            {({ copied, copy }) => (
              <Button color={copied ? "teal" : "dark"} onClick={copy} aria-live="polite">
                {copied ? t("created.copied") : t("created.copy")}
              </Button>
            )}
          </CopyButton>
        </Group>
      </Stack>
    </Alert>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
