import crypto from "node:crypto";
import { Alert, Anchor, Badge, Breadcrumbs, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { data, Link, redirect } from "react-router";
import type { Route } from "./+types/app.$org.tasks.$taskId";
import { RouteErrorPage } from "~/components/route-error";
import { TaskActions } from "~/components/workflow/task-actions";
import { TaskCompleteForm, type CompleteValues } from "~/components/workflow/task-complete-form";
import { TaskStepForm } from "~/components/workflow/task-step-form";
import { useOrgFormat } from "~/components/org-format";
import { CaseStatusBadge, DueDate, PriorityBadge } from "~/components/workflow/task-badges";
import { getInstance } from "~/middleware/i18next";
import { loadTaskPage, performTaskAction, readTaskForm } from "~/utils/task-page.server";
import { requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";
import { isolate } from "~/utils/bidi";
import { TaskSlaPanel } from "~/components/sla/task-sla-panel";
import { loadTaskSla } from "~/models/sla-pause.server";
import { appDb, withTenant } from "~/utils/db.server";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "read", "Task");
  const page = await loadTaskPage(ctx, args.params.taskId);
  // The task's SLA clock, if a policy covers it (sla-pause.server.ts).
  const sla = await withTenant(appDb(), ctx.scope, (trx) => loadTaskSla(trx, ctx, args.params.taskId));
  const t = getInstance(args.context).getFixedT(null, "engine");
  const name = ctx.locale === "en" ? page.task.name_en : page.task.name_ar;
  return {
    title: `${name} — ${page.case.reference} — ${t("common:appName")}`,
    ...page,
    sla,
    // One key per page view: a double click, or a resubmit after a lost answer, has one effect.
    idempotencyKey: crypto.randomUUID(),
  };
}

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "update", "Task");
  const t = getInstance(args.context).getFixedT(null, "engine");
  const form = readTaskForm(await args.request.formData());
  const result = await performTaskAction(ctx, args.params.taskId, form, t);
  if (result.ok && result.intent === "complete") {
    throw redirect(`/app/${ctx.org.slug}/inbox?done=${encodeURIComponent(result.caseReference)}`);
  }
  if (result.ok) return { intent: result.intent, ok: true as const };
  return data(
    {
      intent: form.intent,
      ok: false as const,
      values: form.values,
      fieldErrors: withFormError(result.fieldErrors ?? {}, result.formError),
      // The step form's answers and its refusals per field (shown next to the fields).
      formData: form.data,
      formErrors: result.formErrors ?? [],
      conflict: result.conflict ?? null,
    },
    { status: result.status },
  );
}

/** A refusal of the whole submit (invalid data, a missing step form) shows above the form as `_form`. */
function withFormError(fieldErrors: Record<string, string>, formError: string | undefined): Record<string, string> {
  return formError ? { _form: formError, ...fieldErrors } : fieldErrors;
}

export default function TaskPage({ loaderData, actionData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("engine");
  const en = i18n.language === "en";
  const fmt = useOrgFormat();
  const { task, case: kase, node, lane, candidates, rights, fields, checklist, outcomes, idempotencyKey } = loaderData;
  const base = `/app/${loaderData.orgSlug}`;
  const failed = actionData && !actionData.ok ? actionData : undefined;
  const values: CompleteValues = failed?.intent === "complete" ? failed.values : { notes: "", answers: loaderData.currentAnswers, checklist: [] };
  const local = (l: { ar: string; en: string } | null | undefined) => (l ? (en ? l.en : l.ar) : null);
  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to={`${base}/inbox`}>
          {t("inbox.title")}
        </Anchor>
        <Anchor component={Link} to={`${base}/cases/${kase.id}`} dir="ltr">
          {kase.reference}
        </Anchor>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1}>{en ? task.name_en : task.name_ar}</Title>
          <Text c="dimmed">
            {en ? kase.definitionName_en : kase.definitionName_ar}
            {kase.title ? ` — ${kase.title}` : ""}
          </Text>
        </Stack>
        <Group gap="xs">
          {task.kind === "gate" ? (
            <Badge variant="outline" tt="none">
              {t("task.kind.gate")}
            </Badge>
          ) : null}
          <Badge color={task.status === "open" ? "teal" : "gray"} variant="light" tt="none" data-testid="task-status">
            {t(`task.status.${task.status}`)}
          </Badge>
        </Group>
      </Group>

      {actionData?.ok ? (
        <Alert color="teal" role="status">
          {t(`task.done.${actionData.intent}`)}
        </Alert>
      ) : null}
      {failed?.conflict ? (
        <Alert color="orange" role="alert" title={t("task.conflict.title")} data-testid="task-conflict">
          <Text>{failed.conflict}</Text>
          <Text size="sm" mt={4}>
            {t("task.conflict.keptInput")}
          </Text>
        </Alert>
      ) : null}

      <Paper withBorder p="md" radius="md">
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="md" verticalSpacing="sm">
          <Info label={t("task.fields.case")}>
            <Anchor component={Link} to={`${base}/cases/${kase.id}`}>
              <span dir="ltr">{kase.reference}</span>
            </Anchor>{" "}
            <CaseStatusBadge status={kase.status} />
          </Info>
          <Info label={t("task.fields.lane")}>{local(lane?.name) ?? t("task.noLane")}</Info>
          <Info label={t("task.fields.due")}>
            <DueDate dueAt={task.dueAt} overdue={task.overdue} />
          </Info>
          <Info label={t("task.fields.priority")}>
            <PriorityBadge priority={task.priority} />
          </Info>
          <Info label={t("task.fields.assignee")}>{task.assigneeName ?? <Text c="dimmed">{t("inbox.unassigned")}</Text>}</Info>
          <Info label={t("task.fields.whoCanAct")}>
            {loaderData.candidateGroup ? <Text size="sm">{local(loaderData.candidateGroup)}</Text> : null}
            <Text size="sm" c="dimmed">
              {candidates.length ? candidates.map((c) => isolate(c.name)).join(en ? ", " : "، ") : t("task.noCandidates")}
            </Text>
          </Info>
        </SimpleGrid>
      </Paper>

      {loaderData.sla ? <TaskSlaPanel sla={loaderData.sla} action={`${base}/tasks/${task.id}/sla`} /> : null}

      {node && (node.instructions || node.documentation || node.inputs || node.outputs || node.tools || node.estimatedMinutes !== null) ? (
        <Paper withBorder p="md" radius="md">
          <Title order={2} size="h4" mb="xs">
            {t("task.instructions")}
          </Title>
          {node.instructions || node.documentation ? <Text style={{ whiteSpace: "pre-wrap" }}>{local(node.instructions ?? node.documentation)}</Text> : null}
          {node.producesDocument ? (
            <Text size="sm" c="teal.8" mt="xs">
              {t("task.card.producesDocument")}
            </Text>
          ) : null}
          {node.inputs || node.outputs || node.tools || node.estimatedMinutes !== null ? (
            <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="md" mt="sm">
              {node.inputs ? <Info label={t("task.card.inputs")}>{local(node.inputs)}</Info> : null}
              {node.outputs ? <Info label={t("task.card.outputs")}>{local(node.outputs)}</Info> : null}
              {node.tools ? <Info label={t("task.card.tools")}>{local(node.tools)}</Info> : null}
              {node.estimatedMinutes !== null ? (
                <Info label={t("task.card.estimated")}>{t("task.card.minutes", { count: node.estimatedMinutes, n: fmt.number(node.estimatedMinutes) })}</Info>
              ) : null}
            </SimpleGrid>
          ) : null}
        </Paper>
      ) : null}

      {task.status !== "open" ? (
        <Alert color={task.status === "completed" ? "teal" : "gray"} data-testid="task-closed">
          {task.status === "completed"
            ? t("task.completedBy", { name: isolate(task.completedByName ?? t("task.someone")), at: task.completedAt ? isolate(fmt.dateTime(task.completedAt)) : "" })
            : t("task.cancelled")}
          {task.outcome ? ` — ${t(`task.outcome.${task.outcome}`, { defaultValue: task.outcome })}` : ""}
        </Alert>
      ) : (
        <>
          <TaskActions
            rights={rights}
            idempotencyKey={idempotencyKey}
            candidates={candidates.filter((c) => c.userId !== task.assigneeUserId)}
            fieldErrors={failed?.fieldErrors}
            values={failed?.intent === "reassign" || failed?.intent === "delegate" ? { intent: failed.intent, userId: failed.values.userId } : undefined}
          />
          {rights.complete && loaderData.stepForm ? (
            <TaskStepForm
              kind={task.kind}
              idempotencyKey={idempotencyKey}
              stepForm={loaderData.stepForm}
              checklist={checklist}
              values={values}
              submitted={failed?.intent === "complete" ? { data: failed.formData, errors: failed.formErrors } : undefined}
              fieldErrors={failed?.intent === "complete" ? failed.fieldErrors : undefined}
            />
          ) : rights.complete ? (
            <TaskCompleteForm
              kind={task.kind}
              idempotencyKey={idempotencyKey}
              fields={fields}
              checklist={checklist}
              outcomes={outcomes}
              values={values}
              fieldErrors={failed?.intent === "complete" ? failed.fieldErrors : undefined}
            />
          ) : (
            <Alert color="gray">{rights.claim ? t("task.claimFirst") : t("task.notYours")}</Alert>
          )}
        </>
      )}
    </Stack>
  );
}

function Info({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" fw={600}>
        {label}
      </Text>
      <div>{children}</div>
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
