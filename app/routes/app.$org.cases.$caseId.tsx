import crypto from "node:crypto";
import { Alert, Anchor, Breadcrumbs, Button, Code, Group, Paper, Stack, Table, Text, Textarea, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Form, Link, useNavigation } from "react-router";
import type { Route } from "./+types/app.$org.cases.$caseId";
import { CsrfInput } from "~/components/csrf-input";
import { useOrgFormat } from "~/components/org-format";
import { RouteErrorPage } from "~/components/route-error";
import { CaseCancel } from "~/components/workflow/case-cancel";
import { CaseIncidents } from "~/components/workflow/case-incidents";
import { CaseTimeline } from "~/components/workflow/case-timeline";
import { CaseStatusBadge, DueDate, PriorityBadge } from "~/components/workflow/task-badges";
import { getInstance } from "~/middleware/i18next";
import { loadCasePage, performCaseAction } from "~/utils/case-page.server";
import { requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";
import { isolate } from "~/utils/bidi";
import { PART_SEPARATOR } from "~/utils/format";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Case");
  const t = getInstance(args.context).getFixedT(null, "engine");
  const page = await loadCasePage(ctx, args.params.caseId, t);
  // One key per page view: a double click on "cancel" cancels once.
  return { title: `${page.case.reference} — ${t("common:appName")}`, ...page, idempotencyKey: crypto.randomUUID() };
}

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  // Commenting needs read Case; retrying an incident needs update Incident (checked by the service).
  assertCan(ctx.ability, "read", "Case");
  const t = getInstance(args.context).getFixedT(null, "engine");
  const result = await performCaseAction(ctx, args.params.caseId, await args.request.formData(), t);
  return result.ok ? result : data(result, { status: result.status });
}

export default function CasePage({ loaderData, actionData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("engine");
  const fmt = useOrgFormat();
  const navigation = useNavigation();
  const en = i18n.language === "en";
  const { case: kase, openTasks, timeline, comments, incidents, canRetry, canComment, canCancel } = loaderData;
  const base = `/app/${loaderData.orgSlug}`;
  const failedComment = actionData && !actionData.ok && actionData.intent === "comment" ? actionData : null;
  const failedRetry = actionData && !actionData.ok && actionData.intent === "retry" ? actionData : null;
  const failedCancel = actionData && !actionData.ok && actionData.intent === "cancel" ? actionData : null;
  const entries = Object.entries(kase.data);
  const labels = loaderData.dataLabels;
  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to={`${base}/cases`}>
          {t("case.listTitle")}
        </Anchor>
        <Text span dir="ltr">
          {kase.reference}
        </Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1}>
            <span dir="ltr">{kase.reference}</span>
            {kase.title ? ` — ${kase.title}` : ""}
          </Title>
          <Text c="dimmed">
            {t("case.definitionVersion", { name: en ? kase.definitionName_en : kase.definitionName_ar, version: fmt.number(kase.version ?? 0) })}
          </Text>
          <Text size="sm" c="dimmed">
            {t("case.startedBy", { name: isolate(kase.startedByName ?? t("case.timeline.system")), at: isolate(fmt.dateTime(kase.startedAt)) })}
            {kase.cancellation
              ? kase.cancellation.at
                ? `${PART_SEPARATOR}${t("case.cancelledAt", { at: isolate(fmt.dateTime(kase.cancellation.at)) })}`
                : ""
              : kase.completedAt
                ? `${PART_SEPARATOR}${t("case.completedAt", { at: isolate(fmt.dateTime(kase.completedAt)) })}`
                : ""}
          </Text>
        </Stack>
        <Group gap="sm">
          {canCancel ? <CaseCancel idempotencyKey={loaderData.idempotencyKey} failed={failedCancel ? { reason: failedCancel.reason, error: failedCancel.error } : null} /> : null}
          <CaseStatusBadge status={kase.status} />
        </Group>
      </Group>

      {kase.cancellation ? (
        <Alert color="gray" title={t("case.cancelled.title")} data-testid="case-cancelled">
          <Stack gap={4}>
            {kase.cancellation.at ? (
              <Text size="sm">
                {kase.cancellation.byName
                  ? t("case.cancelled.by", { name: isolate(kase.cancellation.byName), at: isolate(fmt.dateTime(kase.cancellation.at)) })
                  : t("case.cancelled.at", { at: isolate(fmt.dateTime(kase.cancellation.at)) })}
              </Text>
            ) : null}
            {kase.cancellation.parentReference ? <Text size="sm">{t("case.cancelled.withParent", { reference: isolate(kase.cancellation.parentReference) })}</Text> : null}
            {kase.cancellation.reason ? (
              <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
                {t("case.cancelled.reason")} <span dir="auto">{kase.cancellation.reason}</span>
              </Text>
            ) : null}
          </Stack>
        </Alert>
      ) : null}

      {actionData?.ok ? (
        <Alert color="teal" role="status">
          {t(`case.done.${actionData.intent}`)}
        </Alert>
      ) : null}

      {incidents.length > 0 ? (
        <Section title={t("case.incidents.title")}>
          <CaseIncidents incidents={incidents} canRetry={canRetry} failed={failedRetry ? { incidentId: failedRetry.incidentId ?? "", data: failedRetry.data ?? "", error: failedRetry.error } : null} />
        </Section>
      ) : null}

      <Section title={t("case.currentSteps")}>
        {openTasks.length === 0 ? (
          <Text c="dimmed">{kase.status === "completed" ? t("case.noOpenStepsDone") : kase.status === "cancelled" ? t("case.noOpenStepsCancelled") : t("case.noOpenSteps")}</Text>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="sm" data-testid="case-open-tasks">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("inbox.columns.task")}</Table.Th>
                  <Table.Th>{t("task.fields.whoCanAct")}</Table.Th>
                  <Table.Th>{t("inbox.columns.due")}</Table.Th>
                  <Table.Th>{t("inbox.columns.priority")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {openTasks.map((task) => (
                  <Table.Tr key={task.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`${base}/tasks/${task.id}`} fw={600}>
                        {en ? task.name_en : task.name_ar}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      {task.assigneeName ? (
                        <Text size="sm">{t("case.assignedTo", { name: isolate(task.assigneeName) })}</Text>
                      ) : (
                        <Text size="sm">{task.group ? (en ? task.group.en : task.group.ar) : t("task.noCandidates")}</Text>
                      )}
                      {task.candidates.length > 0 ? (
                        <Text size="xs" c="dimmed">
                          {task.candidates.map(isolate).join(en ? ", " : "، ")}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      <DueDate dueAt={task.dueAt} overdue={task.overdue} />
                    </Table.Td>
                    <Table.Td>
                      <PriorityBadge priority={task.priority} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Section>

      <Section title={t("case.data")}>
        {entries.length === 0 ? (
          <Text c="dimmed">{t("case.noData")}</Text>
        ) : (
          <Table withTableBorder withColumnBorders data-testid="case-data">
            <Table.Tbody>
              {entries.map(([key, value]) => (
                <Table.Tr key={key}>
                  <Table.Th w="35%" scope="row">
                    {labels.keys[key] ? (
                      <Text size="sm" fw={600}>
                        {en ? labels.keys[key].en : labels.keys[key].ar}
                      </Text>
                    ) : null}
                    <Text size="xs" c={labels.keys[key] ? "dimmed" : undefined} dir="ltr" ff="monospace" ta={en ? "left" : "right"}>
                      {key}
                    </Text>
                  </Table.Th>
                  <Table.Td>
                    <DataValue value={value} items={labels.items[key]} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>

      <Section title={t("case.timeline.title")}>
        <CaseTimeline events={timeline} />
      </Section>

      <Section title={t("case.comments.title")}>
        <Stack gap="sm">
          {comments.length === 0 ? <Text c="dimmed">{t("case.comments.empty")}</Text> : null}
          {comments.map((c) => (
            <Paper key={c.id} withBorder p="sm" radius="sm" data-testid="case-comment">
              <Text size="xs" c="dimmed">
                <bdi>{c.authorName}</bdi>
                {PART_SEPARATOR}
                <bdi>{fmt.dateTime(c.createdAt)}</bdi>
              </Text>
              <Text style={{ whiteSpace: "pre-wrap" }} dir="auto">
                {c.body}
              </Text>
            </Paper>
          ))}
          {canComment ? (
            <Form method="post" key={actionData?.ok && actionData.intent === "comment" ? `sent-${comments.length}` : "comment"}>
              <CsrfInput />
              <input type="hidden" name="intent" value="comment" />
              <Stack gap="xs">
                <Textarea
                  name="body"
                  label={t("case.comments.add")}
                  autosize
                  minRows={2}
                  maxLength={10000}
                  defaultValue={failedComment?.body ?? ""}
                  error={failedComment?.error}
                />
                <Button type="submit" w="fit-content" variant="light" loading={navigation.state !== "idle" && navigation.formData?.get("intent") === "comment"}>
                  {t("case.comments.submit")}
                </Button>
              </Stack>
            </Form>
          ) : null}
        </Stack>
      </Section>
    </Stack>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md" component="section">
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/** Case data as people read it: yes/no for booleans, the org's digits for numbers, JSON for the rest. */
function DataValue({ value, items }: { value: unknown; items?: Record<string, { ar: string; en: string }> }) {
  const { t, i18n } = useTranslation("engine");
  const fmt = useOrgFormat();
  // A gate's ticked checklist: the items' names, one per line.
  if (items && Array.isArray(value)) {
    const names = value.map((v) => (typeof v === "string" && items[v] ? (i18n.language === "en" ? items[v].en : items[v].ar) : String(v)));
    return (
      <Text size="sm" style={{ whiteSpace: "pre-line" }}>
        {names.length ? names.join("\n") : "—"}
      </Text>
    );
  }
  if (typeof value === "boolean") return <Text size="sm">{value ? t("task.complete.yes") : t("task.complete.no")}</Text>;
  if (typeof value === "number") return <Text size="sm">{fmt.number(value)}</Text>;
  if (typeof value === "string") return <Text size="sm" dir="auto" style={{ whiteSpace: "pre-wrap" }}>{value}</Text>;
  if (value === null) return <Text size="sm" c="dimmed">—</Text>;
  return (
    <Code block dir="ltr">
      {JSON.stringify(value, null, 2)}
    </Code>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
