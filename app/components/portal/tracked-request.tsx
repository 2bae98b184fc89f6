import { Alert, Anchor, Badge, Button, Group, List, Paper, Radio, Stack, Table, Text, Textarea, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Form, Link, useNavigation, useParams } from "react-router";
import { CsrfInput } from "~/components/csrf-input";
import type { Localised } from "~/engine/definition";
import { usePortalFormat } from "./portal-format";

export interface TrackedView {
  reference: string;
  serviceName: Localised;
  status: "in_progress" | "completed" | "cancelled";
  submittedAt: string;
  closedAt: string | null;
  currentSteps: { name: Localised; since: string }[];
  result: { outcome: Localised | null; notice: string | null } | null;
  rating: { rating: number; comment: string | null } | null;
  canRate: boolean;
}

const STATUS_COLOR = { in_progress: "blue", completed: "teal", cancelled: "gray" } as const;
const LEVELS = ["1", "2", "3", "4", "5"] as const;

/** A request as its requester sees it: status, steps, dates, result, and the rating at the end. */
export function TrackedRequest({ view, code, contact, notice, ratingError }: { view: TrackedView; code: string; contact: string; notice?: string; ratingError?: string }) {
  const { t } = useTranslation("portal");
  const fmt = usePortalFormat();
  const busy = useNavigation().state !== "idle";
  const org = useParams().org ?? "";
  const rateForm = view.canRate;
  const rows: [string, React.ReactNode][] = [
    [t("track.service"), fmt.local(view.serviceName)],
    [t("track.reference"), <bdi key="ref">{view.reference}</bdi>],
    [t("track.submittedAt"), fmt.dateTime(view.submittedAt)],
    ...(view.closedAt ? ([[t("track.closedAt"), fmt.dateTime(view.closedAt)]] as [string, React.ReactNode][]) : []),
  ];
  return (
    <Stack gap="lg" maw="44rem" data-testid="portal-tracked">
      <Group justify="space-between" align="center">
        <Title order={1}>{t("track.title")}</Title>
        <Anchor component={Link} to={`/o/${org}/track`} reloadDocument size="sm">
          {t("track.another")}
        </Anchor>
      </Group>
      <Paper withBorder radius="md" p="lg">
        <Stack gap="md">
          <Group gap="sm">
            <Text fw={600}>{t("track.statusLabel")}:</Text>
            <Badge size="lg" color={STATUS_COLOR[view.status]} variant="light" tt="none" data-testid="portal-status">
              {t(`track.status.${view.status}`)}
            </Badge>
          </Group>
          <Table variant="vertical" layout="fixed" withRowBorders>
            <Table.Tbody>
              {rows.map(([label, value]) => (
                <Table.Tr key={label}>
                  <Table.Th w="35%" scope="row">
                    {label}
                  </Table.Th>
                  <Table.Td>{value}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {view.status === "in_progress" ? (
            <Stack gap={4}>
              <Text fw={600}>{t("track.currentStep")}</Text>
              {view.currentSteps.length ? (
                <List data-testid="portal-current-steps">
                  {view.currentSteps.map((s, i) => (
                    <List.Item key={i}>
                      {fmt.local(s.name)}{" "}
                      <Text span size="sm" c="dimmed">
                        ({t("track.since", { date: fmt.dateTime(s.since) })})
                      </Text>
                    </List.Item>
                  ))}
                </List>
              ) : (
                <Text c="dimmed">{t("track.noCurrentStep")}</Text>
              )}
            </Stack>
          ) : null}
          {view.status === "cancelled" ? <Text>{t("track.cancelledNote")}</Text> : null}
        </Stack>
      </Paper>
      {view.result ? (
        <Paper withBorder radius="md" p="lg" data-testid="portal-result">
          <Stack gap="xs">
            <Title order={2} size="h3">
              {t("track.resultTitle")}
            </Title>
            {view.result.outcome ? (
              <Text>
                <Text span fw={600}>
                  {t("track.outcome")}:
                </Text>{" "}
                {fmt.local(view.result.outcome)}
              </Text>
            ) : null}
            {view.result.notice ? (
              <Stack gap={2}>
                <Text fw={600}>{t("track.notice")}</Text>
                <Text style={{ whiteSpace: "pre-line" }}>{view.result.notice}</Text>
              </Stack>
            ) : null}
          </Stack>
        </Paper>
      ) : null}
      {notice ? (
        <Alert color="teal" role="status">
          {notice}
        </Alert>
      ) : null}
      {view.rating ? (
        <Text data-testid="portal-your-rating">{t("rating.yours", { level: t(`rating.levels.${view.rating.rating}`) })}</Text>
      ) : null}
      {/* Refused with no form to show it in (already rated, not completed yet). */}
      {ratingError && !rateForm ? (
        <Alert color="orange" role="alert">
          {ratingError}
        </Alert>
      ) : null}
      {rateForm ? (
        <Paper withBorder radius="md" p="lg">
          <Form method="post" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="rate" />
            <input type="hidden" name="code" value={code} />
            <input type="hidden" name="contact" value={contact} />
            <Stack gap="md">
              <Title order={2} size="h3">
                {t("rating.title")}
              </Title>
              {ratingError ? (
                <Alert color="red" role="alert">
                  {ratingError}
                </Alert>
              ) : null}
              <Radio.Group name="rating" label={t("rating.legend")} required>
                <Group gap="md" mt="xs">
                  {LEVELS.map((level) => (
                    <Radio key={level} value={level} label={`${fmt.number(Number(level))} — ${t(`rating.levels.${level}`)}`} />
                  ))}
                </Group>
              </Radio.Group>
              <Textarea name="comment" label={t("rating.comment")} autosize minRows={2} maxLength={2000} />
              <Button type="submit" loading={busy} w="fit-content">
                {t("rating.submit")}
              </Button>
            </Stack>
          </Form>
        </Paper>
      ) : null}
    </Stack>
  );
}
