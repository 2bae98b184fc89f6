import { Alert, Anchor, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Link } from "react-router";
import type { Route } from "./+types/o.$org.services.$code_.request";
import { PortalError } from "~/components/portal/portal-error";
import { usePortalFormat } from "~/components/portal/portal-format";
import { RequestDone, RequestForm } from "~/components/portal/request-form";
import { serviceHref } from "~/components/portal/service-card";
import { getInstance } from "~/middleware/i18next";
import { submitPortalRequest } from "~/models/portal-requests.server";
import { PORTAL_MAX_BODY_BYTES } from "~/portal/codes";
import { appDb } from "~/utils/db.server";
import { clientIp, loadRequestPage, newTicket, NO_STORE, portalRead, requirePortalOrg, requirePublishedService } from "~/utils/portal.server";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }, { name: "robots", content: "noindex" }];

// Requesting a fully digital service (ADR 010): the workflow's start form, the requester's
// phone or email, a honeypot and a signed ticket (minimum fill time); the case service
// validates the answers; the tracking code is shown once, in the answer to the post.
export function headers() {
  return NO_STORE;
}

async function servicePage(args: Route.LoaderArgs | Route.ActionArgs) {
  const org = await requirePortalOrg(args);
  const { service, page } = await portalRead(org, async (trx) => {
    const found = await requirePublishedService(trx, org, args.params.code);
    return { service: found, page: await loadRequestPage(trx, org.id, found) };
  });
  return { org, service, page };
}

export async function loader(args: Route.LoaderArgs) {
  const { org, service, page } = await servicePage(args);
  const t = getInstance(args.context).getFixedT(null, "portal");
  const name = org.locale === "en" ? service.name.en || service.name.ar : service.name.ar;
  return {
    title: `${t("request.title", { service: name })} — ${org.locale === "en" ? org.name.en : org.name.ar}`,
    orgSlug: org.slug,
    service: { code: service.code, name: service.name },
    page,
    ticket: page.available ? await newTicket(org, service.code) : null,
  };
}

type Failure = {
  ok: false;
  formError?: string;
  fieldErrors: { contact?: string };
  formErrors?: { path: string; message: string }[];
  values: { contact: string; data: string };
  /** A fresh ticket when the old one can no longer be used. */
  ticket?: string;
};

export async function action(args: Route.ActionArgs) {
  const length = Number(args.request.headers.get("content-length") ?? "NaN");
  if (!Number.isFinite(length) || length > PORTAL_MAX_BODY_BYTES) throw data({ code: "too_large" }, { status: 413 });
  const { org, service, page } = await servicePage(args);
  const t = getInstance(args.context).getFixedT(null, "portal");
  const form = await args.request.formData();
  const values = { contact: String(form.get("contact") ?? "").slice(0, 300), data: String(form.get("data") ?? "{}") };
  const fail = (status: number, failure: Omit<Failure, "ok" | "values" | "fieldErrors"> & { fieldErrors?: Failure["fieldErrors"] }) =>
    data<Failure>({ ok: false, fieldErrors: {}, ...failure, values }, { status, headers: NO_STORE });
  if (!page.available || !service.workflowKey) return fail(409, { formError: t(`request.unavailable.${page.available ? "not_digital" : page.reason}`) });
  let answers: unknown;
  try {
    answers = JSON.parse(values.data);
  } catch {
    return fail(400, { formError: t("request.errors.badData") });
  }
  // Staff read the case title in the organisation's own language.
  const staffT = getInstance(args.context).getFixedT(org.defaultLocale, "portal");
  const result = await submitPortalRequest(appDb(), {
    orgId: org.id,
    service: { code: service.code, workflowKey: service.workflowKey },
    ticket: String(form.get("ticket") ?? ""),
    honeypot: String(form.get("website") ?? ""),
    contact: values.contact,
    data: answers,
    title: staffT("request.caseTitle", { service: service.name[org.defaultLocale] || service.name.ar }),
    locale: org.locale,
    ip: clientIp(args.context),
  });
  if (result.ok) return data({ ok: true as const, code: result.code, reference: result.reference }, { headers: NO_STORE });
  switch (result.reason) {
    case "rate_limited":
      return fail(429, { formError: t("rateLimited", { count: Math.ceil(result.retryAfterSeconds / 60) }) });
    case "invalid": {
      // Every refusal at once: the phone/email beside its field, the answers beside theirs.
      const contact = result.contactRefused ? t(values.contact.trim() ? "request.contactInvalid" : "request.contactRequired") : undefined;
      const detail = result.issues.map((i) => (i.path ? `${i.path.slice(1)}: ${i.message}` : i.message)).join(org.locale === "en" ? "; " : "؛ ");
      return fail(400, {
        fieldErrors: { contact },
        formError: result.issues.length > 0 ? t("request.errors.invalid", { detail }) : undefined,
        formErrors: result.issues.filter((i) => i.path).map((i) => ({ path: i.path, message: i.message })),
      });
    }
    case "too_fast":
      return fail(400, { formError: t("request.errors.too_fast") });
    case "not_startable":
      return fail(409, { formError: t("request.errors.not_startable") });
    default:
      // A forged, foreign or spent ticket, or the honeypot: a fresh form, nothing typed lost.
      return fail(400, { formError: t(`request.errors.${result.reason}`), ticket: await newTicket(org, service.code) });
  }
}

export default function PortalRequest({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("portal");
  const fmt = usePortalFormat();
  const { service, page, orgSlug } = loaderData;
  const name = fmt.local(service.name);
  if (actionData?.ok) return <RequestDone code={actionData.code} reference={actionData.reference} orgSlug={orgSlug} serviceName={name} />;
  const failed = actionData && !actionData.ok ? actionData : undefined;
  return (
    <Stack gap="lg" maw="44rem">
      <Anchor component={Link} to={serviceHref(orgSlug, service.code)} size="sm">
        {name}
      </Anchor>
      <Stack gap={4}>
        <Title order={1}>{t("request.title", { service: name })}</Title>
        {page.available ? <Text c="dimmed">{t("request.intro")}</Text> : null}
      </Stack>
      {page.available && loaderData.ticket ? (
        <RequestForm form={page.form} ticket={failed?.ticket ?? loaderData.ticket} failed={failed} />
      ) : (
        <Alert color="orange" role="alert">
          {t(`request.unavailable.${page.available ? "not_digital" : page.reason}`)}
        </Alert>
      )}
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <PortalError error={error} />;
}
