import { Alert, Anchor, Button, Code, Group, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigation, useSubmit } from "react-router";
import type { FieldError } from "~/components/form-renderer/errors";
import { FormRenderer, parseAnswers, type FormData as Answers, type RenderableVersion } from "~/components/form-renderer/form-renderer";
import { useRootData } from "~/root";

interface Failed {
  formError?: string;
  fieldErrors: { contact?: string };
  formErrors?: FieldError[];
  values: { contact: string; data: string };
}

// Kept off-screen rather than display:none, which some bots skip; hidden from assistive
// technology and out of the tab order, so people never fill it in.
const HONEYPOT_STYLE = { position: "absolute", insetInlineStart: "-10000px", width: 1, height: 1, overflow: "hidden" } as const;

/**
 * The request form of a digital service: the requester's phone or email, then the start form
 * (rendered by the form renderer; the server validates). Posted with the signed ticket and
 * the honeypot; refusals come back next to the fields, all of them in one round (the
 * contact and the answers alike), and nothing typed is lost.
 */
export function RequestForm({ form, ticket, failed }: { form: RenderableVersion | null; ticket: string; failed?: Failed }) {
  const { t, i18n } = useTranslation("portal");
  const locale = i18n.language === "en" ? "en" : "ar";
  const csrf = useRootData()?.csrf ?? "";
  const submit = useSubmit();
  const busy = useNavigation().state !== "idle";
  const [contact, setContact] = useState(failed?.values.contact ?? "");
  // The server's word on the contact stands until the contact is changed.
  const [contactEditedAfter, setContactEditedAfter] = useState<Failed | undefined>();
  const contactError = failed && contactEditedAfter !== failed ? failed.fieldErrors.contact : undefined;
  const contactInput = useRef<HTMLInputElement>(null);
  const [answers, setAnswers] = useState<Answers>(() => parseAnswers(failed?.values.data) ?? {});
  const honeypot = useRef<HTMLInputElement>(null);
  const errors = useMemo(() => failed?.formErrors ?? [], [failed?.formErrors]);

  // A refused contact is the first problem on the page: focus goes there (after the form
  // renderer moved it to its own error summary, which stays announced as an alert).
  useEffect(() => {
    if (failed?.fieldErrors.contact) contactInput.current?.focus();
  }, [failed]);

  // Sent as it is, an empty contact included: the server answers every refusal at once.
  function send(data: Answers) {
    const body = new FormData();
    body.set("_csrf", csrf);
    body.set("ticket", ticket);
    body.set("website", honeypot.current?.value ?? "");
    body.set("contact", contact);
    body.set("data", JSON.stringify(data));
    void submit(body, { method: "post" });
  }

  return (
    <Stack gap="md" data-testid="portal-request-form">
      {failed?.formError && errors.length === 0 ? (
        <Alert color="red" role="alert">
          {failed.formError}
        </Alert>
      ) : null}
      <TextInput
        id="portal-contact"
        name="contact"
        label={t("request.contact")}
        description={t("request.contactHint")}
        required
        autoComplete="on"
        dir="auto"
        maxLength={254}
        ref={contactInput}
        value={contact}
        onChange={(e) => {
          setContact(e.currentTarget.value);
          setContactEditedAfter(failed);
        }}
        error={contactError}
      />
      <div style={HONEYPOT_STYLE} aria-hidden="true">
        <label htmlFor="portal-website">{t("request.honeypot")}</label>
        <input id="portal-website" name="website" type="text" tabIndex={-1} autoComplete="off" ref={honeypot} defaultValue="" />
      </div>
      {form ? (
        <Paper withBorder p="md" radius="md">
          <Stack gap="sm">
            <Title order={2} size="h4">
              {t("request.formTitle")}
            </Title>
            <FormRenderer
              version={form}
              locale={locale}
              data={answers}
              onChange={setAnswers}
              onSubmit={send}
              errors={errors}
              files={{}}
              validatorUrl={null}
              submitting={busy}
              submitLabel={t("request.submit")}
              idPrefix="portal"
            />
          </Stack>
        </Paper>
      ) : (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            send({});
          }}
        >
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {t("request.noForm")}
            </Text>
            <Button type="submit" loading={busy} w="fit-content" data-testid="portal-submit">
              {t("request.submit")}
            </Button>
          </Stack>
        </form>
      )}
    </Stack>
  );
}

/** The tracking code, shown once. */
export function RequestDone({ code, reference, orgSlug, serviceName }: { code: string; reference: string; orgSlug: string; serviceName: string }) {
  const { t } = useTranslation("portal");
  return (
    <Stack gap="lg" maw="44rem">
      <Alert color="teal" title={t("request.done.title")} role="status">
        {serviceName}
      </Alert>
      <Paper withBorder p="lg" radius="md">
        <Stack gap="sm" align="flex-start">
          <Text fw={700}>{t("request.done.codeLabel")}</Text>
          <Code fz="1.75rem" fw={700} px="md" py="xs" dir="ltr" data-testid="portal-tracking-code">
            {code}
          </Code>
          <Text>{t("request.done.keep")}</Text>
          <Text size="sm" c="dimmed" data-testid="portal-reference">
            {t("request.done.reference", { reference: `\u2068${reference}\u2069` })}
          </Text>
          <Group gap="md">
            <Anchor component={Link} to={`/o/${orgSlug}/track`} fw={600}>
              {t("request.done.track")}
            </Anchor>
            <Button variant="default" onClick={() => window.print()}>
              {t("request.done.print")}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}
