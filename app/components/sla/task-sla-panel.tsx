import { Alert, Button, Group, List, Paper, Radio, SimpleGrid, Stack, Text, Textarea, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useFetcher } from "react-router";
import { CsrfInput } from "~/components/csrf-input";
import { useOrgFormat } from "~/components/org-format";
import { SlaStatusBadge, type SlaStatusName } from "./sla-badge";

export interface TaskSlaView {
  policyName: { ar: string; en: string };
  status: SlaStatusName;
  paused: boolean;
  stopped: boolean;
  responseDueAt: string | null;
  resolutionDueAt: string | null;
  respondedAt: string | null;
  activeMinutes: number;
  levelReached: number;
  pauses: { from: string; to: string | null; reason: string }[];
  canPause: boolean;
}

export type SlaActionData = { ok: true; intent: "pause" | "resume" } | { ok: false; intent: string; values: { kind: string; reason: string }; fieldErrors: Record<string, string> };

const KINDS = ["customer", "agency", "other"] as const;

/** A stored pause reason is "<kind>: <text>": shown in the member's words. */
function readableReason(stored: string, t: (k: string) => string): string {
  const [kind, ...rest] = stored.split(": ");
  return (KINDS as readonly string[]).includes(kind ?? "") ? `${t(`task.kinds.${kind}`)}: ${rest.join(": ")}` : stored;
}

/** The task's SLA clock: deadlines, status, level, pauses; pause/resume for those who may act on the task. */
export function TaskSlaPanel({ sla, action }: { sla: TaskSlaView; action: string }) {
  const { t, i18n } = useTranslation("deadlines");
  const fmt = useOrgFormat();
  const fetcher = useFetcher<SlaActionData>();
  const result = fetcher.data;
  const failed = result && !result.ok ? result : undefined;
  const open = sla.pauses.at(-1)?.to === null ? sla.pauses.at(-1) : undefined;
  const name = i18n.language === "en" ? sla.policyName.en : sla.policyName.ar;
  const hours = Math.floor(sla.activeMinutes / 60);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="sla-title" data-testid="task-sla">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="sla-title">
          {t("task.title")}
        </Title>
        <SlaStatusBadge status={sla.status} paused={sla.paused} />
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="md">
        <Field label={t("task.policy")}>{name}</Field>
        {sla.responseDueAt || sla.respondedAt ? (
          <Field label={sla.respondedAt ? t("task.responded") : t("task.responseDue")}>{fmt.dateTime((sla.respondedAt ?? sla.responseDueAt)!)}</Field>
        ) : null}
        <Field label={t("task.resolutionDue")}>{sla.resolutionDueAt ? fmt.dateTime(sla.resolutionDueAt) : sla.paused ? t("task.unknownWhilePaused") : "—"}</Field>
        <Field label={t("task.elapsed")}>{t("task.elapsedValue", { hours: fmt.number(hours), minutes: fmt.number(sla.activeMinutes % 60) })}</Field>
        <Field label={t("task.level")}>{sla.levelReached ? t("task.levelValue", { level: fmt.number(sla.levelReached) }) : t("task.noLevel")}</Field>
      </SimpleGrid>
      {open ? (
        <Alert color="gray" mt="sm" data-testid="sla-paused-note">
          {t("task.pausedNote", { at: fmt.dateTime(open.from), reason: readableReason(open.reason, t) })}
        </Alert>
      ) : null}
      {result?.ok ? (
        <Alert color="teal" role="status" mt="sm">
          {t(`task.done.${result.intent}`)}
        </Alert>
      ) : null}
      {failed?.fieldErrors._form ? (
        <Alert color="red" role="alert" mt="sm">
          {failed.fieldErrors._form}
        </Alert>
      ) : null}
      {sla.canPause ? (
        <fetcher.Form method="post" action={action}>
          <CsrfInput />
          <input type="hidden" name="intent" value={sla.paused ? "resume" : "pause"} />
          <Stack gap="xs" mt="sm" maw={560}>
            {sla.paused ? (
              <input type="hidden" name="kind" value={open?.reason.split(": ")[0] ?? "other"} />
            ) : (
              <Radio.Group name="kind" label={t("task.waitingOn")} defaultValue={failed?.values.kind ?? "customer"}>
                <Group gap="md" mt={4}>
                  {KINDS.map((k) => (
                    <Radio key={k} value={k} label={t(`task.kinds.${k}`)} />
                  ))}
                </Group>
              </Radio.Group>
            )}
            <Textarea
              name="reason"
              label={sla.paused ? t("task.resumeNote") : t("task.reason")}
              description={sla.paused ? undefined : t("task.reasonHelp")}
              required={!sla.paused}
              autosize
              minRows={2}
              maxLength={500}
              defaultValue={failed?.values.reason ?? ""}
              key={`${sla.paused}-${fetcher.state === "idle" && result?.ok ? "done" : "edit"}`}
              error={failed?.fieldErrors.reason}
            />
            <Group>
              <Button type="submit" variant={sla.paused ? "filled" : "light"} loading={fetcher.state !== "idle"} data-testid="sla-pause-submit">
                {sla.paused ? t("task.resume") : t("task.pause")}
              </Button>
            </Group>
          </Stack>
        </fetcher.Form>
      ) : null}
      {sla.pauses.length ? (
        <Stack gap={4} mt="sm">
          <Text size="xs" c="dimmed" fw={600}>
            {t("task.history")}
          </Text>
          <List size="sm" spacing={2}>
            {sla.pauses.map((p) => (
              <List.Item key={p.from}>
                {t("task.historyItem", { from: fmt.dateTime(p.from), to: p.to ? fmt.dateTime(p.to) : t("task.stillPaused"), reason: readableReason(p.reason, t) })}
              </List.Item>
            ))}
          </List>
        </Stack>
      ) : null}
    </Paper>
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </Stack>
  );
}
