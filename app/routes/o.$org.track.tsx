import { Alert, Button, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Form, useNavigation } from "react-router";
import type { Route } from "./+types/o.$org.track";
import { CsrfInput } from "~/components/csrf-input";
import { PortalError } from "~/components/portal/portal-error";
import { TrackedRequest, type TrackedView } from "~/components/portal/tracked-request";
import { getInstance } from "~/middleware/i18next";
import { MAX_RATING_COMMENT, ratePortalRequest, trackPortalRequest, type TrackView } from "~/models/portal-requests.server";
import { PORTAL_MAX_BODY_BYTES } from "~/portal/codes";
import { appDb } from "~/utils/db.server";
import { clientIp, NO_STORE, portalRead, requirePortalOrg, type PortalOrg } from "~/utils/portal.server";
import { getPublishedService } from "~plugins/service-catalogue/public.server";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }, { name: "robots", content: "noindex" }];

// Tracking a request (ADR 010): the code and the same phone/email, posted (never in a URL),
// answer with the status, the current step, the dates and — once completed — the result and
// the satisfaction rating. Any mismatch gets one and the same "not found".
export function headers() {
  return NO_STORE;
}

export async function loader(args: Route.LoaderArgs) {
  const org = await requirePortalOrg(args);
  const t = getInstance(args.context).getFixedT(null, "portal");
  return { title: `${t("track.title")} — ${org.locale === "en" ? org.name.en : org.name.ar}` };
}

async function present(org: PortalOrg, view: TrackView): Promise<TrackedView> {
  const service = await portalRead(org, (trx) => getPublishedService(trx, org.id, view.serviceCode));
  return {
    reference: view.reference,
    serviceName: service?.name ?? view.flowName,
    status: view.status,
    submittedAt: view.submittedAt.toISOString(),
    closedAt: view.closedAt?.toISOString() ?? null,
    currentSteps: view.currentSteps.map((s) => ({ name: s.name, since: s.since.toISOString() })),
    result: view.result,
    rating: view.rating ? { rating: view.rating.rating, comment: view.rating.comment } : null,
    canRate: view.canRate,
  };
}

export async function action(args: Route.ActionArgs) {
  const length = Number(args.request.headers.get("content-length") ?? "NaN");
  if (!Number.isFinite(length) || length > PORTAL_MAX_BODY_BYTES) throw data({ code: "too_large" }, { status: 413 });
  const org = await requirePortalOrg(args);
  const t = getInstance(args.context).getFixedT(null, "portal");
  const form = await args.request.formData();
  const values = { code: String(form.get("code") ?? "").slice(0, 40), contact: String(form.get("contact") ?? "").slice(0, 300) };
  const answer = (status: number, body: { error?: string; view?: TrackedView; notice?: string; ratingError?: string }) =>
    data({ values, ...body }, { status, headers: NO_STORE });
  if (!values.code.trim() || !values.contact.trim()) return answer(400, { error: t("track.required") });
  const input = { orgId: org.id, code: values.code, contact: values.contact, ip: clientIp(args.context) };

  if (form.get("intent") === "rate") {
    const rating = Number(form.get("rating") ?? "");
    const comment = String(form.get("comment") ?? "");
    const result = await ratePortalRequest(appDb(), { ...input, rating, comment });
    if (result.ok) return answer(200, { view: await present(org, result.view), notice: t("rating.thanks") });
    switch (result.reason) {
      case "rate_limited":
        return answer(429, { error: t("rateLimited", { count: Math.ceil(result.retryAfterSeconds / 60) }) });
      case "not_found":
        return answer(404, { error: t("track.notFound") });
      case "invalid": {
        const chosen = Number.isInteger(rating) && rating >= 1 && rating <= 5;
        return answer(400, { view: await present(org, result.view), ratingError: chosen ? t("rating.invalid", { max: MAX_RATING_COMMENT }) : t("rating.required") });
      }
      default:
        return answer(409, { view: await present(org, result.view), ratingError: t(result.reason === "already_rated" ? "rating.already" : "rating.notCompleted") });
    }
  }

  const result = await trackPortalRequest(appDb(), input);
  if (result.ok) return answer(200, { view: await present(org, result.view) });
  if (result.reason === "rate_limited") return answer(429, { error: t("rateLimited", { count: Math.ceil(result.retryAfterSeconds / 60) }) });
  return answer(404, { error: t("track.notFound") });
}

export default function PortalTrack({ actionData }: Route.ComponentProps) {
  const { t } = useTranslation("portal");
  const busy = useNavigation().state !== "idle";
  const values = actionData?.values;
  if (actionData?.view && values) {
    return <TrackedRequest view={actionData.view} code={values.code} contact={values.contact} notice={actionData.notice} ratingError={actionData.ratingError} />;
  }
  return (
    <Stack gap="lg" maw="36rem">
      <Stack gap={4}>
        <Title order={1}>{t("track.title")}</Title>
        <Text c="dimmed">{t("track.intro")}</Text>
      </Stack>
      <Paper withBorder p="lg" radius="md">
        <Form method="post" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="track" />
          <Stack gap="md">
            {actionData?.error ? (
              <Alert color="red" role="alert" data-testid="portal-track-error">
                {actionData.error}
              </Alert>
            ) : null}
            <TextInput
              name="code"
              label={t("track.code")}
              description={t("track.codeHint")}
              required
              dir="ltr"
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              maxLength={40}
              defaultValue={values?.code ?? ""}
              styles={{ input: { fontFamily: "monospace", letterSpacing: "0.1em" } }}
            />
            <TextInput name="contact" label={t("request.contact")} required dir="auto" maxLength={254} defaultValue={values?.contact ?? ""} />
            <Button type="submit" loading={busy} w="fit-content">
              {t("track.submit")}
            </Button>
          </Stack>
        </Form>
      </Paper>
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <PortalError error={error} />;
}
