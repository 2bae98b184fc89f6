import "~plugins/service-catalogue/ui/documents.css";
import "~plugins/sla/ui/agreement.css";
import { Alert, Anchor, Breadcrumbs, Button, Group, Modal, Stack, Tabs, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useNavigation, useParams, useSearchParams, type ShouldRevalidateFunctionArgs } from "react-router";
import type { Route } from "./+types/app.$org.sla.$id._index";
import { useOrgFormat } from "~/components/org-format";
import { CsrfInput } from "~/components/csrf-input";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { notFound } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";
import type { Side, Signature } from "~plugins/sla/agreement";
import { deleteAgreement, discardDraft, getAgreement, requestCancellation, signVersion, withdrawCancellation } from "~plugins/sla/agreements.server";
import { importDeadlineBreaches, listBreaches, recordBreach, updateBreach } from "~plugins/sla/breaches.server";
import { linkableServices, setLinks } from "~plugins/sla/links.server";
import { listQuarters } from "~plugins/sla/meetings.server";
import { breachSchema, cancellationSchema, linkSchema, signaturesSchema } from "~plugins/sla/schema";
import { AgreementDocument, type AgreementDocContext } from "~plugins/sla/ui/agreement-document";
import { BreachLedger, CancellationPanel, DraftPanel, HistoryPanel, LinksPanel, QuartersPanel, TermPanel, type ActionResult } from "~plugins/sla/ui/detail-panels";
import { agreementName, noon } from "~plugins/sla/ui/labels";
import { PhaseBadge } from "~plugins/sla/ui/phase-badge";
import { errorsByPath, localDateTimeToIso, slaDay, slaMember, str } from "~plugins/sla/ui/routes.server";

// One agreement: its number, the version in force and its phase; the term and the review
// reminder; a draft waiting for both signatures (sign it here); the template's version-history
// table; the catalogue service steps it covers; the breach ledger (with cause and fix); the
// quarterly meetings; and the formal cancellation with at least one month's notice (confirmed
// first, and withdrawable until it takes effect). An agreement never signed can be deleted.

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

const TABS = ["overview", "document", "links", "breaches", "meetings", "cancellation"] as const;
type Tab = (typeof TABS)[number];

/**
 * Switching tabs changes only ?tab= (and drops ?done=): no need to load the agreement again.
 * A cancellation refused because the page was stale (409) loads it again, although refused
 * actions normally do not: the page then shows the agreement as it is, with a fresh row version,
 * and the form keeps what was typed, so sending it again works.
 */
export function shouldRevalidate({ currentUrl, nextUrl, formMethod, actionStatus, actionResult, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  if (formMethod && actionStatus === 409 && (actionResult as ActionResult | undefined)?.intent === "cancel") return true;
  if (formMethod || currentUrl.pathname !== nextUrl.pathname) return defaultShouldRevalidate;
  const strip = (u: URL) => {
    const p = new URLSearchParams(u.search);
    p.delete("tab");
    p.delete("done");
    p.sort();
    return p.toString();
  };
  return strip(currentUrl) === strip(nextUrl) ? false : defaultShouldRevalidate;
}

export async function loader(args: Route.LoaderArgs) {
  const ctx = await slaMember(args);
  assertCan(ctx.ability, "read", "Agreement");
  const can = {
    update: ctx.ability.can("update", "Agreement"),
    sign: ctx.ability.can("sign", "Agreement"),
    cancel: ctx.ability.can("cancel", "Agreement"),
    delete: ctx.ability.can("delete", "Agreement"),
    readBreaches: ctx.ability.can("read", "AgreementBreach"),
    createBreach: ctx.ability.can("create", "AgreementBreach"),
    updateBreach: ctx.ability.can("update", "AgreementBreach"),
    readMeetings: ctx.ability.can("read", "AgreementMeeting"),
  };
  const page = await withTenant(appDb(), ctx.scope, async (trx) => {
    const day = await slaDay(trx, ctx.org.id);
    const view = await getAgreement(trx, ctx.org.id, args.params.id, day.today, day.calendar, day.settings);
    if (!view) return undefined;
    // Breaches the deadline engine found on the linked steps join the ledger (idempotent).
    await importDeadlineBreaches(trx, ctx.org.id, view.id);
    return {
      day,
      view,
      breaches: can.readBreaches ? await listBreaches(trx, ctx.org.id, view.id) : [],
      quarters: can.readMeetings ? await listQuarters(trx, ctx.org.id, view.id, day.today, day.calendar) : [],
      linkable: can.update ? await linkableServices(trx, ctx.org.id) : [],
    };
  });
  if (!page) notFound();
  const { view, day } = page;
  const t = getInstance(args.context).getFixedT(null, "sla");
  const current = view.signed?.content ?? view.draft!.content;
  return {
    title: `${view.number} — ${ctx.locale === "en" ? current.nameEn || current.nameAr : current.nameAr} — ${t("common:appName")}`,
    org: { name: { ar: ctx.org.name_ar, en: ctx.org.name_en }, initials: ctx.org.initials },
    agreement: {
      id: view.id,
      number: view.number,
      rowVersion: view.rowVersion,
      ourSide: view.ourSide,
      counterpart: view.counterpart,
      phase: view.phase,
      term: view.term,
      reviewReminder: view.reviewReminder,
      cancellation: view.cancellation,
      signed: view.signed ? { ...view.signed, signedAt: view.signed.signedAt.toISOString() } : null,
      draft: view.draft,
      history: view.history.map((h) => ({ ...h, at: h.at.toISOString() })),
      links: view.links,
    },
    breaches: page.breaches.map((b) => ({ ...b, occurredAt: b.occurredAt.toISOString() })),
    quarters: page.quarters,
    linkable: page.linkable,
    today: day.today,
    nowLocal: day.nowLocal,
    calendar: day.calendar,
    can,
  };
}

type Fail = ActionResult & { ok: false };
const fail = (intent: string, message: string, status: number, extra: Partial<Fail> = {}) => data<ActionResult>({ ok: false, intent, message, ...extra }, { status });

export async function action(args: Route.ActionArgs) {
  const ctx = await slaMember(args);
  assertCan(ctx.ability, "read", "Agreement");
  const t = getInstance(args.context).getFixedT(null, "sla");
  const form = await args.request.formData();
  const intent = str(form, "intent");
  const actor = auditActor(ctx, args.context);
  const id = args.params.id;
  const base = `/app/${ctx.org.slug}/sla/${id}`;
  const rowVersion = Number(form.get("rowVersion"));

  if (intent === "sign") {
    assertCan(ctx.ability, "sign", "Agreement");
    const sides: Side[] = ["provider", "recipient"];
    const signatures: Signature[] = sides.map((side) => ({
      side,
      entity: str(form, `${side}.entity`),
      title: str(form, `${side}.title`),
      name: str(form, `${side}.name`),
      date: str(form, `${side}.date`),
    }));
    const parsed = signaturesSchema.safeParse(signatures);
    if (!parsed.success) {
      const raw = errorsByPath(parsed.error, t);
      // "0.title" → "provider.title"
      const errors = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.replace(/^(\d+)/, (n) => sides[Number(n)] ?? n), v]));
      return fail(intent, t("errors.invalid"), 400, { errors });
    }
    const signed = await withTenant(appDb(), ctx.scope, (trx) => signVersion(trx, actor, id, { version: Number(form.get("version")), signatures: parsed.data, expectedRowVersion: rowVersion }));
    if (!signed.ok) {
      if (signed.reason === "not_found") notFound();
      return fail(intent, t(signed.reason === "no_draft" ? "errors.noDraft" : signed.reason === "cancelled" ? "errors.cancelled" : "errors.conflict"), 409);
    }
    return redirect(`${base}?done=signed`);
  }

  if (intent === "discard") {
    assertCan(ctx.ability, "update", "Agreement");
    const done = await withTenant(appDb(), ctx.scope, (trx) => discardDraft(trx, actor, id, rowVersion));
    if (!done.ok) {
      if (done.reason === "not_found") notFound();
      return fail(intent, t({ conflict: "errors.conflict", no_draft: "errors.noDraft", only_version: "errors.onlyVersion" }[done.reason]), 409);
    }
    return redirect(`${base}?done=discarded`);
  }

  if (intent === "link-add" || intent === "link-remove") {
    assertCan(ctx.ability, "update", "Agreement");
    const result = await withTenant(appDb(), ctx.scope, async (trx) => {
      const day = await slaDay(trx, ctx.org.id);
      const view = await getAgreement(trx, ctx.org.id, id, day.today, day.calendar, day.settings);
      if (!view) return { ok: false as const, reason: "not_found" as const };
      const existing = view.links.map((l) => ({ serviceId: l.serviceId, nodeId: l.nodeId, channel: l.channel, responsibleSide: l.responsibleSide }));
      if (intent === "link-remove") {
        const linkId = str(form, "linkId");
        return setLinks(
          trx,
          actor,
          id,
          existing.filter((_, i) => view.links[i]!.id !== linkId),
        );
      }
      const parsed = linkSchema.safeParse({ serviceId: str(form, "serviceId"), nodeId: str(form, "nodeId"), channel: str(form, "channel"), responsibleSide: str(form, "responsibleSide") });
      if (!parsed.success) return { ok: false as const, reason: "invalid" as const, errors: errorsByPath(parsed.error, t) };
      return setLinks(trx, actor, id, [...existing, parsed.data]);
    });
    if (!result.ok) {
      if (result.reason === "not_found") notFound();
      if (result.reason === "invalid") return fail(intent, t("errors.invalid"), 400, { errors: result.errors });
      const message = result.reason === "taken" ? t("errors.linkTaken", { number: result.detail ?? "" }) : t("errors.invalidStep");
      return fail(intent, message, 409);
    }
    return { ok: true, intent, message: t(intent === "link-add" ? "links.added" : "links.removed") } satisfies ActionResult;
  }

  if (intent === "breach-record") {
    assertCan(ctx.ability, "create", "AgreementBreach");
    const result = await withTenant(appDb(), ctx.scope, async (trx) => {
      const day = await slaDay(trx, ctx.org.id);
      const occurredAt = localDateTimeToIso(str(form, "occurredAt"), day.timeZone);
      const parsed = breachSchema.safeParse({
        occurredAt: occurredAt ?? "",
        side: str(form, "side"),
        description: str(form, "description"),
        cause: str(form, "cause"),
        fix: str(form, "fix"),
      });
      if (!parsed.success) return { ok: false as const, reason: "invalid" as const, errors: errorsByPath(parsed.error, t) };
      return recordBreach(trx, actor, id, parsed.data);
    });
    if (!result.ok) {
      if (result.reason === "not_found") notFound();
      return fail(intent, t("errors.invalid"), 400, { errors: "errors" in result ? result.errors : {} });
    }
    return { ok: true, intent, message: t("breaches.recorded") } satisfies ActionResult;
  }

  if (intent === "breach-update") {
    assertCan(ctx.ability, "update", "AgreementBreach");
    const parsed = breachSchema.pick({ cause: true, fix: true }).safeParse({ cause: str(form, "cause"), fix: str(form, "fix") });
    if (!parsed.success) return fail(intent, t("errors.invalid"), 400, { errors: errorsByPath(parsed.error, t) });
    const result = await withTenant(appDb(), ctx.scope, async (trx) => {
      // Only a breach of this agreement.
      const mine = (await listBreaches(trx, ctx.org.id, id)).some((b) => b.id === str(form, "breachId"));
      if (!mine) return { ok: false as const, reason: "not_found" as const };
      return updateBreach(trx, actor, str(form, "breachId"), { ...parsed.data, expectedRowVersion: rowVersion });
    });
    if (!result.ok) {
      if (result.reason === "not_found") return fail(intent, t("errors.notFound"), 404);
      return fail(intent, t("errors.conflict"), 409);
    }
    return { ok: true, intent, message: t("breaches.updated") } satisfies ActionResult;
  }

  if (intent === "cancel") {
    assertCan(ctx.ability, "cancel", "Agreement");
    const parsed = cancellationSchema.safeParse({
      side: str(form, "side"),
      letterDate: str(form, "letterDate"),
      letterRef: str(form, "letterRef"),
      effectiveDate: str(form, "effectiveDate"),
      reason: str(form, "reason"),
    });
    if (!parsed.success) return fail(intent, t("errors.invalid"), 400, { errors: errorsByPath(parsed.error, t) });
    const result = await withTenant(appDb(), ctx.scope, async (trx) => {
      const day = await slaDay(trx, ctx.org.id);
      return requestCancellation(trx, actor, id, { ...parsed.data, expectedRowVersion: rowVersion }, day.calendar);
    });
    if (!result.ok) {
      if (result.reason === "not_found") notFound();
      if (result.reason === "notice_too_short") return fail(intent, t("errors.noticeTooShort"), 400, { earliest: result.earliest, errors: { effectiveDate: t("errors.noticeTooShort") } });
      return fail(intent, t({ conflict: "errors.conflictReloaded", not_signed: "errors.notSigned", already: "errors.alreadyCancelling" }[result.reason]), 409);
    }
    return redirect(`${base}?tab=cancellation&done=cancellation`);
  }

  if (intent === "cancel-withdraw") {
    assertCan(ctx.ability, "cancel", "Agreement");
    const result = await withTenant(appDb(), ctx.scope, (trx) => withdrawCancellation(trx, actor, id, rowVersion));
    if (!result.ok) {
      if (result.reason === "not_found") notFound();
      return fail(intent, t({ conflict: "errors.conflict", no_cancellation: "errors.noCancellation", effective: "errors.cancellationEffective" }[result.reason]), 409);
    }
    return redirect(`${base}?tab=cancellation&done=withdrawn`);
  }

  if (intent === "delete") {
    assertCan(ctx.ability, "delete", "Agreement");
    const result = await withTenant(appDb(), ctx.scope, (trx) => deleteAgreement(trx, actor, id, rowVersion));
    if (!result.ok) {
      if (result.reason === "not_found") notFound();
      return fail(intent, t(result.reason === "signed" ? "errors.deleteSigned" : "errors.conflict"), 409);
    }
    return redirect(`/app/${ctx.org.slug}/sla?done=deleted&number=${encodeURIComponent(result.number)}`);
  }

  return fail(intent, t("errors.invalidValue"), 400);
}

export default function AgreementPage({ loaderData, actionData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("sla");
  const fmt = useOrgFormat();
  const { org: slug } = useParams();
  const [params, setParams] = useSearchParams();
  const base = `/app/${slug}/sla`;
  const d = loaderData;
  const a = d.agreement;
  const lang = i18n.language === "en" ? "en" : "ar";
  const tabParam = params.get("tab") ?? "";
  const tab: Tab = (TABS as readonly string[]).includes(tabParam) ? (tabParam as Tab) : "overview";
  const done = params.get("done");
  const [showDraft, setShowDraft] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const busy = useNavigation().state === "submitting";
  const current = a.signed ?? null;
  const shown =
    showDraft && a.draft
      ? { version: a.draft.version, content: a.draft.content, signatures: [] as Signature[], status: "draft" as const }
      : current
        ? { ...current, status: "signed" as const }
        : { version: a.draft!.version, content: a.draft!.content, signatures: [] as Signature[], status: "draft" as const };
  const name = agreementName(shown.content, lang);
  const docCtx: AgreementDocContext = {
    t: (k, o) => t(k, o ?? {}),
    lang,
    num: fmt.number,
    day: (iso) => fmt.date(noon(iso)),
    date: (iso) => fmt.date(iso),
    org: d.org,
  };
  const result = actionData as ActionResult | undefined;
  const doneMessage = done && !result ? t(`done.${done}`, { version: fmt.number(Number(params.get("v") ?? 0)) }) : null;
  const select = (next: string | null) => {
    const p = new URLSearchParams(params);
    p.set("tab", next ?? "overview");
    p.delete("done");
    p.delete("v");
    setParams(p, { replace: true, preventScrollReset: true });
  };
  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to={base}>
          {t("list.title")}
        </Anchor>
        <bdi>{a.number}</bdi>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1}>{name}</Title>
          <Group gap="xs">
            <Text c="dimmed">
              {t("detail.number")}: <bdi data-testid="agreement-number">{a.number}</bdi>
            </Text>
            <PhaseBadge phase={a.phase} />
            <Text size="sm" data-testid="version-in-force">
              {a.signed ? t("detail.inForce", { version: fmt.number(a.signed.version) }) : t("detail.notSigned")}
            </Text>
            {a.draft ? (
              <Text size="sm" c="orange.9" data-testid="draft-pending">
                {t("detail.draftPending", { version: fmt.number(a.draft.version) })}
              </Text>
            ) : null}
          </Group>
          <Text size="sm" c="dimmed">
            {t("detail.counterpart", { side: t(`side.${a.ourSide}`), counterpart: a.counterpart })}
          </Text>
        </Stack>
        <Group>
          {d.can.update && !a.cancellation ? (
            <Button component={Link} to={`${base}/${a.id}/edit`} variant="default">
              {t("detail.edit")}
            </Button>
          ) : null}
          <Button component={Link} to={`${base}/${a.id}/print`} variant="light">
            {t("detail.print")}
          </Button>
          {d.can.delete && !a.signed ? (
            <Button variant="subtle" color="red" onClick={() => setConfirmDelete(true)}>
              {t("delete.button")}
            </Button>
          ) : null}
        </Group>
      </Group>
      {d.can.delete && !a.signed ? (
        <Modal opened={confirmDelete} onClose={() => setConfirmDelete(false)} title={t("delete.title", { number: a.number })} closeButtonProps={{ "aria-label": t("form.close") }}>
          <Stack>
            <Text>{t("delete.text")}</Text>
            {a.links.length || d.breaches.length ? (
              <Text size="sm" data-testid="delete-recorded">
                {t("delete.recorded", { links: fmt.number(a.links.length), breaches: fmt.number(d.breaches.length) })}
              </Text>
            ) : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirmDelete(false)}>
                {t("form.cancel")}
              </Button>
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="intent" value="delete" />
                <input type="hidden" name="rowVersion" value={a.rowVersion} />
                <Button type="submit" color="red" loading={busy}>
                  {t("delete.confirm")}
                </Button>
              </Form>
            </Group>
          </Stack>
        </Modal>
      ) : null}

      {result?.message ? (
        <Alert color={result.ok ? "teal" : "red"} role={result.ok ? "status" : "alert"} data-testid="action-message">
          {result.message}
        </Alert>
      ) : null}
      {doneMessage ? (
        <Alert color="teal" role="status" data-testid="done-message">
          {doneMessage}
        </Alert>
      ) : null}

      <Tabs value={tab} onChange={select} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="overview">{t("detail.tabs.overview")}</Tabs.Tab>
          <Tabs.Tab value="document">{t("detail.tabs.document")}</Tabs.Tab>
          <Tabs.Tab value="links">{t("detail.tabs.links", { n: fmt.number(a.links.length) })}</Tabs.Tab>
          {d.can.readBreaches ? <Tabs.Tab value="breaches">{t("detail.tabs.breaches", { n: fmt.number(d.breaches.length) })}</Tabs.Tab> : null}
          {d.can.readMeetings ? <Tabs.Tab value="meetings">{t("detail.tabs.meetings")}</Tabs.Tab> : null}
          <Tabs.Tab value="cancellation">{t("detail.tabs.cancellation")}</Tabs.Tab>
        </Tabs.List>

        <Tabs.Panel value="overview" pt="md">
          <Stack gap="lg">
            <TermPanel term={a.term} reviewReminder={a.reviewReminder} cancellation={a.cancellation} content={a.signed?.content ?? a.draft!.content} signedAt={a.signed?.signedAt ?? null} />
            {a.draft ? <DraftPanel agreement={a} canSign={d.can.sign} canDiscard={d.can.update && !!a.signed} today={d.today} result={result} /> : null}
            <HistoryPanel rows={a.history} />
          </Stack>
        </Tabs.Panel>

        <Tabs.Panel value="document" pt="md">
          <Stack>
            <Group gap="xs">
              {a.signed && a.draft ? (
                <Button variant="default" size="xs" onClick={() => setShowDraft((v) => !v)}>
                  {showDraft ? t("detail.showSigned", { version: fmt.number(a.signed.version) }) : t("detail.showDraft", { version: fmt.number(a.draft.version) })}
                </Button>
              ) : null}
              <Button component={Link} to={`${base}/${a.id}/print${shown.status === "draft" && a.signed ? "?v=draft" : ""}`} variant="light" size="xs">
                {t("detail.printThis")}
              </Button>
            </Group>
            <AgreementDocument ctx={docCtx} number={a.number} version={shown.version} status={shown.status} content={shown.content} signatures={shown.signatures} history={a.history} />
          </Stack>
        </Tabs.Panel>

        <Tabs.Panel value="links" pt="md">
          <LinksPanel links={a.links} linkable={d.linkable} canUpdate={d.can.update && a.phase !== "cancelled"} inForce={!!a.signed} result={result} />
        </Tabs.Panel>

        {d.can.readBreaches ? (
          <Tabs.Panel value="breaches" pt="md">
            <BreachLedger breaches={d.breaches} canCreate={d.can.createBreach} canUpdate={d.can.updateBreach} nowLocal={d.nowLocal} ourSide={a.ourSide} result={result} />
          </Tabs.Panel>
        ) : null}

        {d.can.readMeetings ? (
          <Tabs.Panel value="meetings" pt="md">
            <QuartersPanel quarters={d.quarters} signed={!!a.signed} to={(start) => `${base}/${a.id}/quarters/${start}`} />
          </Tabs.Panel>
        ) : null}

        <Tabs.Panel value="cancellation" pt="md">
          <CancellationPanel
            number={a.number}
            rowVersion={a.rowVersion}
            cancellation={a.cancellation}
            signed={!!a.signed}
            canCancel={d.can.cancel}
            ourSide={a.ourSide}
            links={a.links.length}
            today={d.today}
            calendar={d.calendar}
            result={result}
          />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
