import { Alert, Anchor, Button, Fieldset, Group, Modal, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useMemo, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Form, Link, useNavigation, useParams, useSubmit } from "react-router";
import type { BusinessCalendar } from "~/engine/calendar";
import { CsrfInput } from "~/components/csrf-input";
import { useOrgFormat } from "~/components/org-format";
import { earliestCancellationDate, type AgreementContent, type Quarter, type Side, type Term } from "../agreement";
import type { BreachRow } from "../breaches.server";
import type { LinkableService, LinkView } from "../links.server";
import { hoursText } from "./agreement-document";
import { lastDayOf, noon, sides } from "./labels";

// The sections of an agreement's page (app/routes/app.$org.sla.$id._index.tsx): term and
// review, the draft waiting for signatures, the version history, the linked service steps,
// the breach ledger, the quarters and their meetings, and the cancellation. Each form posts
// an "intent" to the page's action, which answers with an ActionResult.

export interface ActionResult {
  ok: boolean;
  intent: string;
  message: string;
  errors?: Record<string, string>;
  /** notice_too_short: the earliest day the cancellation may take effect. */
  earliest?: string;
}

const errorsFor = (result: ActionResult | undefined, intent: string) => (result && !result.ok && result.intent === intent ? (result.errors ?? {}) : {});

function Hidden({ intent, rowVersion }: { intent: string; rowVersion?: number }) {
  return (
    <>
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      {rowVersion !== undefined ? <input type="hidden" name="rowVersion" value={rowVersion} /> : null}
    </>
  );
}

// ---- Term, review reminder, monitors ------------------------------------------------------------

export function TermPanel({
  term,
  reviewReminder,
  cancellation,
  content,
  signedAt,
}: {
  term: Term | null;
  reviewReminder: string | null;
  cancellation: { effectiveDate: string } | null;
  content: AgreementContent;
  signedAt: string | null;
}) {
  const { t } = useTranslation("sla");
  const fmt = useOrgFormat();
  const day = (iso: string) => fmt.date(noon(iso));
  const row = (label: string, value: ReactNode, testId?: string) => (
    <Table.Tr>
      <Table.Th w="30%">{label}</Table.Th>
      <Table.Td data-testid={testId}>{value}</Table.Td>
    </Table.Tr>
  );
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t("detail.termTitle")}
        </Title>
        <Table verticalSpacing="xs" data-testid="term-table">
          <Table.Tbody>
            {term ? (
              <>
                {row(t("detail.currentTerm"), t("detail.termRange", { from: day(term.start), to: day(lastDayOf(term.end)) }), "current-term")}
                {row(t("detail.renewals"), term.renewals ? t("detail.renewed", { n: fmt.number(term.renewals) }) : t("detail.firstTerm"))}
              </>
            ) : (
              row(t("detail.currentTerm"), t("detail.termOnSignature", { start: day(content.term.startDate) }), "current-term")
            )}
            {row(t("detail.duration"), content.term.autoRenew ? t("detail.autoRenew", { n: fmt.number(content.term.months) }) : t("detail.noRenew", { n: fmt.number(content.term.months) }))}
            {row(t("detail.reviewReminder"), reviewReminder ? day(reviewReminder) : "—", "review-reminder")}
            {signedAt ? row(t("detail.signedAt"), fmt.date(signedAt)) : null}
            {cancellation ? row(t("detail.cancelEffective"), day(cancellation.effectiveDate)) : null}
            {row(
              t("detail.replyTimes"),
              t("detail.replyTimesValue", { email: hoursText(t, fmt.number, content.responseTimes.emailMinutes), letter: hoursText(t, fmt.number, content.responseTimes.letterMinutes) }),
            )}
            {sides.map((side) => (
              <Table.Tr key={side}>
                <Table.Th>{t("detail.monitorOf", { side: t(`side.${side}`) })}</Table.Th>
                <Table.Td>{[content[side].monitor.unit, content[side].monitor.name, content[side].monitor.title].filter(Boolean).join(" — ") || "—"}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}

// ---- The draft waiting for both signatures -------------------------------------------------------

export function DraftPanel({
  agreement,
  canSign,
  canDiscard,
  today,
  result,
}: {
  agreement: { rowVersion: number; signed: { version: number } | null; draft: { version: number; content: AgreementContent; changes: string } | null };
  canSign: boolean;
  canDiscard: boolean;
  today: string;
  result: ActionResult | undefined;
}) {
  const { t } = useTranslation("sla");
  const fmt = useOrgFormat();
  const busy = useNavigation().state === "submitting";
  const [confirm, setConfirm] = useState(false);
  const draft = agreement.draft!;
  const errors = errorsFor(result, "sign");
  return (
    <Paper withBorder p="md" data-testid="draft-panel">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t("sign.title", { version: fmt.number(draft.version) })}
        </Title>
        <Text size="sm">{agreement.signed ? t("sign.helpNext", { version: fmt.number(agreement.signed.version) }) : t("sign.helpFirst")}</Text>
        {draft.changes ? (
          <Text size="sm" data-testid="draft-changes">
            <strong>{t("sign.changes")}:</strong> {draft.changes}
          </Text>
        ) : null}
        {canSign ? (
          <Form method="post" noValidate>
            <Hidden intent="sign" rowVersion={agreement.rowVersion} />
            <input type="hidden" name="version" value={draft.version} />
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                {sides.map((side) => (
                  <Fieldset key={side} legend={t("sign.side", { side: t(`side.${side}`) })} data-testid={`sign-${side}`}>
                    <Stack gap="xs">
                      <TextInput name={`${side}.entity`} label={t("sign.entity")} required defaultValue={draft.content[side].entity} error={errors[`${side}.entity`]} maxLength={200} />
                      <TextInput name={`${side}.title`} label={t("sign.jobTitle")} required error={errors[`${side}.title`]} maxLength={200} />
                      <TextInput name={`${side}.name`} label={t("sign.name")} required error={errors[`${side}.name`]} maxLength={200} />
                      <TextInput name={`${side}.date`} type="date" label={t("sign.date")} required defaultValue={today} error={errors[`${side}.date`]} />
                    </Stack>
                  </Fieldset>
                ))}
              </SimpleGrid>
              {errors[""] || errors._form ? (
                <Text size="sm" c="red" role="alert">
                  {errors[""] ?? errors._form}
                </Text>
              ) : null}
              <Group>
                <Button type="submit" loading={busy}>
                  {t("sign.submit", { version: fmt.number(draft.version) })}
                </Button>
                {canDiscard ? (
                  <Button variant="subtle" color="red" onClick={() => setConfirm(true)}>
                    {t("sign.discard")}
                  </Button>
                ) : null}
              </Group>
            </Stack>
          </Form>
        ) : (
          <Text size="sm" c="dimmed">
            {t("sign.cannot")}
          </Text>
        )}
      </Stack>
      <Modal opened={confirm} onClose={() => setConfirm(false)} title={t("sign.discardTitle", { version: fmt.number(draft.version) })} closeButtonProps={{ "aria-label": t("form.close") }}>
        <Stack>
          <Text>{t("sign.discardText", { version: fmt.number(draft.version), signed: fmt.number(agreement.signed?.version ?? 0) })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(false)}>
              {t("form.cancel")}
            </Button>
            <Form method="post">
              <Hidden intent="discard" rowVersion={agreement.rowVersion} />
              <Button type="submit" color="red" loading={busy}>
                {t("sign.discardConfirm")}
              </Button>
            </Form>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}

// ---- Version history (the template's table) ------------------------------------------------------

export interface HistoryRowView {
  number: string;
  version: number;
  kind: "version" | "signed" | "minor" | "cancellation";
  at: string;
  editorName: string;
  owner: string;
  changes: string;
}

export function HistoryPanel({ rows }: { rows: HistoryRowView[] }) {
  const { t } = useTranslation("sla");
  const fmt = useOrgFormat();
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        {t("history.title")}
      </Title>
      <Table.ScrollContainer minWidth={760}>
        <Table striped verticalSpacing="sm" withTableBorder data-testid="history-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("history.number")}</Table.Th>
              <Table.Th>{t("history.version")}</Table.Th>
              <Table.Th>{t("history.date")}</Table.Th>
              <Table.Th>{t("history.editor")}</Table.Th>
              <Table.Th>{t("history.owner")}</Table.Th>
              <Table.Th>{t("history.changes")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r, i) => (
              <Table.Tr key={i} data-testid="history-row" data-kind={r.kind} data-version={r.version}>
                <Table.Td>
                  <bdi style={{ whiteSpace: "nowrap" }}>{r.number}</bdi>
                </Table.Td>
                <Table.Td>{fmt.number(r.version)}</Table.Td>
                <Table.Td style={{ whiteSpace: "nowrap" }}>{fmt.dateTime(r.at)}</Table.Td>
                <Table.Td>{r.editorName}</Table.Td>
                <Table.Td>{r.owner || "—"}</Table.Td>
                <Table.Td>
                  <Text size="sm" fw={600} span>
                    {t(`history.kind.${r.kind}`)}
                  </Text>
                  {r.changes ? <Text size="sm">{r.changes}</Text> : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

// ---- Linked service steps ----------------------------------------------------------------------

/** The server's rows as the page receives them (types only: nothing of the server reaches the browser). */
export type LinkRowView = LinkView;
export type LinkableView = LinkableService;

export function LinksPanel({
  links,
  linkable,
  canUpdate,
  inForce,
  result,
}: {
  links: LinkRowView[];
  linkable: LinkableView[];
  canUpdate: boolean;
  inForce: boolean;
  result: ActionResult | undefined;
}) {
  const { t, i18n } = useTranslation("sla");
  const busy = useNavigation().state === "submitting";
  const { org } = useParams();
  const pick = (l: { ar: string; en: string }) => (i18n.language === "en" ? l.en || l.ar : l.ar);
  const [serviceId, setServiceId] = useState("");
  const service = linkable.find((s) => s.serviceId === serviceId);
  const errors = errorsFor(result, "link-add");
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t("links.help")}
      </Text>
      {!inForce ? <Alert color="gray">{t("links.notInForce")}</Alert> : null}
      {links.length === 0 ? (
        <Alert color="gray" data-testid="links-empty">
          {t("links.empty")}
        </Alert>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped verticalSpacing="sm" data-testid="links-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("links.service")}</Table.Th>
                <Table.Th>{t("links.step")}</Table.Th>
                <Table.Th>{t("links.channel")}</Table.Th>
                <Table.Th>{t("links.responsible")}</Table.Th>
                <Table.Th>{t("links.policy")}</Table.Th>
                {canUpdate ? <Table.Th>{t("links.actions")}</Table.Th> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {links.map((l) => (
                <Table.Tr key={l.id} data-testid="link-row">
                  <Table.Td>
                    <Anchor component={Link} to={`/app/${org}/service-catalogue/${l.serviceId}`}>
                      {pick(l.serviceName)}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      <bdi>{l.serviceCode}</bdi>
                    </Text>
                  </Table.Td>
                  <Table.Td>{l.stepName ? pick(l.stepName) : <bdi>{l.nodeId}</bdi>}</Table.Td>
                  <Table.Td>{t(`channel.${l.channel}`)}</Table.Td>
                  <Table.Td>{t(`side.${l.responsibleSide}`)}</Table.Td>
                  <Table.Td>{l.policyId ? t("links.policyActive") : t("links.policyNone")}</Table.Td>
                  {canUpdate ? (
                    <Table.Td>
                      <Form method="post">
                        <Hidden intent="link-remove" />
                        <input type="hidden" name="linkId" value={l.id} />
                        <Button type="submit" size="xs" variant="subtle" color="red" loading={busy} aria-label={t("links.removeNamed", { step: l.stepName ? pick(l.stepName) : l.nodeId })}>
                          {t("links.remove")}
                        </Button>
                      </Form>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {canUpdate ? (
        linkable.length === 0 ? (
          <Alert color="gray">{t("links.noneLinkable")}</Alert>
        ) : (
          <Form method="post" noValidate>
            <Hidden intent="link-add" />
            <Fieldset legend={t("links.addTitle")}>
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                <NativeSelect
                  name="serviceId"
                  label={t("links.service")}
                  value={serviceId}
                  onChange={(e) => setServiceId(e.currentTarget.value)}
                  error={errors.serviceId}
                  data={[{ value: "", label: t("links.chooseService") }, ...linkable.map((s) => ({ value: s.serviceId, label: `${s.code} — ${pick(s.name)}` }))]}
                />
                <NativeSelect
                  name="nodeId"
                  label={t("links.step")}
                  key={serviceId}
                  error={errors.nodeId}
                  data={[{ value: "", label: t("links.chooseStep") }, ...(service?.steps ?? []).map((s) => ({ value: s.nodeId, label: pick(s.name) }))]}
                />
                <NativeSelect
                  name="channel"
                  label={t("links.channel")}
                  description={t("links.channelHelp")}
                  defaultValue="letter"
                  error={errors.channel}
                  data={(["letter", "email"] as const).map((c) => ({ value: c, label: t(`channel.${c}`) }))}
                />
                <NativeSelect
                  name="responsibleSide"
                  label={t("links.responsible")}
                  description={t("links.responsibleHelp")}
                  defaultValue="provider"
                  error={errors.responsibleSide}
                  data={sides.map((s) => ({ value: s, label: t(`side.${s}`) }))}
                />
              </SimpleGrid>
              <Button type="submit" mt="md" loading={busy}>
                {t("links.add")}
              </Button>
            </Fieldset>
          </Form>
        )
      ) : null}
    </Stack>
  );
}

// ---- Breach ledger ------------------------------------------------------------------------------

export type BreachView = Omit<BreachRow, "occurredAt"> & { occurredAt: string };

export function BreachTable({ breaches, onEdit, testId = "breaches-table" }: { breaches: BreachView[]; onEdit?: (b: BreachView) => void; testId?: string }) {
  const { t } = useTranslation("sla");
  const fmt = useOrgFormat();
  const { org } = useParams();
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table striped verticalSpacing="sm" withTableBorder data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("breaches.occurredAt")}</Table.Th>
            <Table.Th>{t("breaches.side")}</Table.Th>
            <Table.Th>{t("breaches.description")}</Table.Th>
            <Table.Th>{t("breaches.cause")}</Table.Th>
            <Table.Th>{t("breaches.fix")}</Table.Th>
            <Table.Th>{t("breaches.source")}</Table.Th>
            {onEdit ? <Table.Th>{t("breaches.actions")}</Table.Th> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {breaches.map((b) => (
            <Table.Tr key={b.id} data-testid="breach-row">
              <Table.Td style={{ whiteSpace: "nowrap" }}>{fmt.dateTime(b.occurredAt)}</Table.Td>
              <Table.Td>{t(`side.${b.side}`)}</Table.Td>
              <Table.Td>{b.description}</Table.Td>
              <Table.Td data-testid="breach-cause">
                {b.cause || (
                  <Text span c="dimmed" size="sm">
                    {t("breaches.missing")}
                  </Text>
                )}
              </Table.Td>
              <Table.Td data-testid="breach-fix">
                {b.fix || (
                  <Text span c="dimmed" size="sm">
                    {t("breaches.missing")}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {b.source === "deadline" ? t("breaches.fromDeadline") : t("breaches.manual", { name: b.recordedByName ?? "—" })}
                {b.caseId && b.caseReference ? (
                  <Text size="xs">
                    <Anchor component={Link} to={`/app/${org}/cases/${b.caseId}`}>
                      <bdi>{b.caseReference}</bdi>
                    </Anchor>
                  </Text>
                ) : null}
              </Table.Td>
              {onEdit ? (
                <Table.Td>
                  <Button size="xs" variant="subtle" onClick={() => onEdit(b)} aria-label={t("breaches.editNamed", { description: b.description.slice(0, 60) })}>
                    {t("breaches.edit")}
                  </Button>
                </Table.Td>
              ) : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function BreachLedger({
  breaches,
  canCreate,
  canUpdate,
  nowLocal,
  ourSide,
  result,
}: {
  breaches: BreachView[];
  canCreate: boolean;
  canUpdate: boolean;
  nowLocal: string;
  ourSide: Side;
  result: ActionResult | undefined;
}) {
  const { t } = useTranslation("sla");
  const busy = useNavigation().state === "submitting";
  const failed = !!result && !result.ok && result.intent === "breach-record";
  const [open, setOpen] = useState(failed);
  const [editing, setEditing] = useState<BreachView | null>(null);
  const errors = errorsFor(result, "breach-record");
  const counterpartSide: Side = ourSide === "provider" ? "recipient" : "provider";
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t("breaches.help")}
      </Text>
      {canCreate ? (
        open || failed ? (
          <Form method="post" noValidate>
            <Hidden intent="breach-record" />
            <Fieldset legend={t("breaches.recordTitle")} data-testid="breach-form">
              <Stack gap="sm">
                <SimpleGrid cols={{ base: 1, md: 2 }}>
                  <TextInput name="occurredAt" type="datetime-local" label={t("breaches.occurredAt")} required defaultValue={nowLocal} error={errors.occurredAt} />
                  <NativeSelect name="side" label={t("breaches.sideLabel")} defaultValue={counterpartSide} error={errors.side} data={sides.map((s) => ({ value: s, label: t(`side.${s}`) }))} />
                </SimpleGrid>
                <Textarea name="description" label={t("breaches.description")} required autosize minRows={2} maxLength={2000} error={errors.description} />
                <SimpleGrid cols={{ base: 1, md: 2 }}>
                  <Textarea name="cause" label={t("breaches.cause")} autosize minRows={2} maxLength={2000} error={errors.cause} />
                  <Textarea name="fix" label={t("breaches.fix")} autosize minRows={2} maxLength={2000} error={errors.fix} />
                </SimpleGrid>
                <Group>
                  <Button type="submit" loading={busy}>
                    {t("breaches.save")}
                  </Button>
                  <Button variant="default" onClick={() => setOpen(false)}>
                    {t("form.cancel")}
                  </Button>
                </Group>
              </Stack>
            </Fieldset>
          </Form>
        ) : (
          <Button w="fit-content" onClick={() => setOpen(true)}>
            {t("breaches.record")}
          </Button>
        )
      ) : null}
      {breaches.length === 0 ? (
        <Alert color="gray" data-testid="breaches-empty">
          {t("breaches.empty")}
        </Alert>
      ) : (
        <BreachTable breaches={breaches} onEdit={canUpdate ? setEditing : undefined} />
      )}
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={t("breaches.editTitle")} closeButtonProps={{ "aria-label": t("form.close") }}>
        {editing ? (
          <Form method="post" onSubmit={() => setEditing(null)}>
            <Hidden intent="breach-update" rowVersion={editing.rowVersion} />
            <input type="hidden" name="breachId" value={editing.id} />
            <Stack gap="sm">
              <Text size="sm">{editing.description}</Text>
              <Textarea name="cause" label={t("breaches.cause")} defaultValue={editing.cause} autosize minRows={2} maxLength={2000} data-autofocus />
              <Textarea name="fix" label={t("breaches.fix")} defaultValue={editing.fix} autosize minRows={2} maxLength={2000} />
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setEditing(null)}>
                  {t("form.cancel")}
                </Button>
                <Button type="submit">{t("breaches.saveEdit")}</Button>
              </Group>
            </Stack>
          </Form>
        ) : null}
      </Modal>
    </Stack>
  );
}

// ---- Quarters and their meetings -----------------------------------------------------------------

export interface QuarterView {
  quarter: Quarter;
  meeting: { id: string; quarterStart: string; heldOn: string | null; attendees: string; minutes: string; rowVersion: number } | null;
  breaches: number;
}

export function QuartersPanel({ quarters, signed, to }: { quarters: QuarterView[]; signed: boolean; to: (start: string) => string }) {
  const { t } = useTranslation("sla");
  const fmt = useOrgFormat();
  const day = (iso: string) => fmt.date(noon(iso));
  if (!signed || quarters.length === 0)
    return (
      <Alert color="gray" data-testid="quarters-empty">
        {signed ? t("meetings.noneYet") : t("meetings.notSigned")}
      </Alert>
    );
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t("meetings.help")}
      </Text>
      <Table striped verticalSpacing="sm" data-testid="quarters-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("meetings.quarter")}</Table.Th>
            <Table.Th>{t("meetings.period")}</Table.Th>
            <Table.Th>{t("meetings.planned")}</Table.Th>
            <Table.Th>{t("meetings.status")}</Table.Th>
            <Table.Th>{t("meetings.breaches")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[...quarters].reverse().map((q) => (
            <Table.Tr key={q.quarter.start} data-testid="quarter-row" data-start={q.quarter.start} data-breaches={q.breaches}>
              <Table.Td>
                <Anchor component={Link} to={to(q.quarter.start)}>
                  {t("meetings.quarterN", { n: fmt.number(q.quarter.index) })}
                </Anchor>
              </Table.Td>
              <Table.Td>{t("detail.termRange", { from: day(q.quarter.start), to: day(lastDayOf(q.quarter.end)) })}</Table.Td>
              <Table.Td>{day(q.quarter.meetingDate)}</Table.Td>
              <Table.Td>{q.meeting?.heldOn ? t("meetings.heldOn", { date: day(q.meeting.heldOn) }) : t("meetings.notHeld")}</Table.Td>
              <Table.Td>{fmt.number(q.breaches)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

// ---- Cancellation ------------------------------------------------------------------------------

/** What the browser can check before asking to confirm a cancellation; the server decides. */
export function cancellationLooksValid(form: { letterRef: string; reason: string; letterDate: string; effectiveDate: string }, earliest: string | null): boolean {
  const day = /^\d{4}-\d{2}-\d{2}$/;
  return !!form.letterRef.trim() && !!form.reason.trim() && day.test(form.letterDate) && day.test(form.effectiveDate) && earliest !== null && form.effectiveDate >= earliest;
}

export function CancellationPanel({
  number,
  rowVersion,
  cancellation,
  signed,
  canCancel,
  ourSide,
  links,
  today,
  calendar,
  result,
}: {
  number: string;
  rowVersion: number;
  cancellation: { side: Side; letterDate: string; letterRef: string; effectiveDate: string; reason: string } | null;
  signed: boolean;
  canCancel: boolean;
  ourSide: Side;
  /** How many service steps the agreement links (their deadlines end with it). */
  links: number;
  today: string;
  calendar: BusinessCalendar | null;
  result: ActionResult | undefined;
}) {
  const { t } = useTranslation("sla");
  const fmt = useOrgFormat();
  const busy = useNavigation().state === "submitting";
  const submit = useSubmit();
  const formRef = useRef<HTMLFormElement>(null);
  const day = (iso: string) => fmt.date(noon(iso));
  const [letterDate, setLetterDate] = useState(today);
  const earliest = useMemo(() => {
    try {
      return earliestCancellationDate(letterDate, calendar);
    } catch {
      return null;
    }
  }, [letterDate, calendar]);
  const [effective, setEffective] = useState(() => earliest ?? today);
  /** The effective date the confirmation speaks of (null: closed). */
  const [confirming, setConfirming] = useState<string | null>(null);
  const [confirmWithdraw, setConfirmWithdraw] = useState(false);
  const errors = errorsFor(result, "cancel");
  const refused = result && !result.ok && result.intent === "cancel" && result.earliest ? result.earliest : null;
  const rules = (
    <ul style={{ margin: 0, paddingInlineStart: "1.2em" }}>
      {["1", "2", "3"].map((k) => (
        <li key={k}>
          <Text size="sm">{t(`doc.cancel.${k}`)}</Text>
        </li>
      ))}
    </ul>
  );
  if (cancellation) {
    const withdrawable = cancellation.effectiveDate > today;
    return (
      <Paper withBorder p="md" data-testid="cancellation-details">
        <Stack gap="xs">
          <Title order={2} size="h4">
            {t("cancel.requested")}
          </Title>
          <Text size="sm">{t("cancel.bySide", { side: t(`side.${cancellation.side}`) })}</Text>
          <Text size="sm">{t("cancel.letter", { ref: cancellation.letterRef, date: day(cancellation.letterDate) })}</Text>
          <Text size="sm" data-testid="cancel-effective">
            {t("cancel.effective", { date: day(cancellation.effectiveDate) })}
          </Text>
          <Text size="sm">{t("cancel.reasonShown", { reason: cancellation.reason })}</Text>
          {canCancel && withdrawable ? (
            <Group mt="xs">
              <Button variant="default" onClick={() => setConfirmWithdraw(true)}>
                {t("cancel.withdraw")}
              </Button>
            </Group>
          ) : null}
          {canCancel && !withdrawable ? (
            <Text size="sm" c="dimmed">
              {t("cancel.withdrawClosed")}
            </Text>
          ) : null}
        </Stack>
        <Modal opened={confirmWithdraw} onClose={() => setConfirmWithdraw(false)} title={t("cancel.withdrawTitle", { number })} closeButtonProps={{ "aria-label": t("form.close") }}>
          <Stack>
            <Text>{t("cancel.withdrawText")}</Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirmWithdraw(false)}>
                {t("cancel.back")}
              </Button>
              <Form method="post">
                <Hidden intent="cancel-withdraw" rowVersion={rowVersion} />
                <Button type="submit" loading={busy}>
                  {t("cancel.withdrawConfirm")}
                </Button>
              </Form>
            </Group>
          </Stack>
        </Modal>
      </Paper>
    );
  }
  if (!signed)
    return (
      <Stack gap="sm">
        {rules}
        <Alert color="gray">{t("cancel.notSigned")}</Alert>
      </Stack>
    );
  // A request the browser finds complete is confirmed first; an incomplete one goes straight
  // to the server, which answers with the fields to correct (nothing would take effect).
  const request = () => {
    const form = formRef.current;
    if (!form) return;
    const data = new FormData(form);
    const value = (k: string) => String(data.get(k) ?? "");
    const looks = { letterRef: value("letterRef"), reason: value("reason"), letterDate: value("letterDate"), effectiveDate: value("effectiveDate") };
    if (cancellationLooksValid(looks, earliest)) setConfirming(looks.effectiveDate);
    else submit(form);
  };
  // The button (or Enter in a field) asks for the confirmation; the dialog's button posts.
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    request();
  };
  const confirmRequest = () => {
    if (formRef.current) submit(formRef.current);
    setConfirming(null);
  };
  return (
    <Stack gap="md">
      {rules}
      {refused ? (
        <Alert color="red" role="alert" data-testid="cancel-refused" data-earliest={refused}>
          {t("cancel.refused", { date: day(refused) })}
        </Alert>
      ) : null}
      {canCancel ? (
        <Form method="post" noValidate ref={formRef} onSubmit={onSubmit}>
          <Hidden intent="cancel" rowVersion={rowVersion} />
          <Fieldset legend={t("cancel.title")} data-testid="cancel-form">
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                <NativeSelect name="side" label={t("cancel.side")} defaultValue={ourSide} error={errors.side} data={sides.map((s) => ({ value: s, label: t(`side.${s}`) }))} />
                <TextInput name="letterRef" label={t("cancel.letterRef")} required maxLength={100} error={errors.letterRef} />
                <TextInput name="letterDate" type="date" label={t("cancel.letterDate")} required value={letterDate} onChange={(e) => setLetterDate(e.currentTarget.value)} error={errors.letterDate} />
                <TextInput
                  name="effectiveDate"
                  type="date"
                  label={t("cancel.effectiveDate")}
                  required
                  value={effective}
                  onChange={(e) => setEffective(e.currentTarget.value)}
                  error={errors.effectiveDate}
                  description={earliest ? t("cancel.earliest", { date: day(earliest) }) : undefined}
                  inputWrapperOrder={["label", "input", "description", "error"]}
                />
              </SimpleGrid>
              <Text size="xs" c="dimmed" data-testid="cancel-earliest" data-earliest={earliest ?? ""}>
                {t("cancel.noticeRule")}
              </Text>
              <Textarea name="reason" label={t("cancel.reason")} required autosize minRows={2} maxLength={2000} error={errors.reason} />
              <Group>
                <Button type="submit" color="red" loading={busy}>
                  {t("cancel.submit")}
                </Button>
                {refused ? (
                  <Button variant="default" onClick={() => setEffective(refused)}>
                    {t("cancel.useEarliest")}
                  </Button>
                ) : null}
              </Group>
            </Stack>
          </Fieldset>
        </Form>
      ) : (
        <Text size="sm" c="dimmed">
          {t("cancel.cannot")}
        </Text>
      )}
      <Modal opened={confirming !== null} onClose={() => setConfirming(null)} title={t("cancel.confirmTitle", { number })} closeButtonProps={{ "aria-label": t("form.close") }}>
        {confirming ? (
          <Stack>
            <Text data-testid="cancel-confirm-date">{t("cancel.confirmDate", { date: day(confirming) })}</Text>
            <Text data-testid="cancel-confirm-links">{links ? t("cancel.confirmLinks", { n: fmt.number(links), date: day(confirming) }) : t("cancel.confirmNoLinks")}</Text>
            <Text size="sm" c="dimmed">
              {t("cancel.confirmUntil")}
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirming(null)}>
                {t("cancel.back")}
              </Button>
              <Button color="red" onClick={confirmRequest}>
                {t("cancel.confirm")}
              </Button>
            </Group>
          </Stack>
        ) : null}
      </Modal>
    </Stack>
  );
}
