import { Button, Group, NativeSelect, Paper, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Form, useNavigation } from "react-router";
import { CsrfInput } from "~/components/csrf-input";

export interface TaskActionRights {
  claim: boolean;
  unclaim: boolean;
  reassign: boolean;
  delegate: boolean;
}

interface Props {
  rights: TaskActionRights;
  idempotencyKey: string;
  /** People the task may go to (its lane's candidates), without the current assignee. */
  candidates: { userId: string; name: string }[];
  fieldErrors?: Record<string, string>;
  values?: { userId?: string; intent?: string };
}

/** Claim, hand back, reassign and delegate: each one small POST form with its own key. */
export function TaskActions({ rights, idempotencyKey, candidates, fieldErrors = {}, values = {} }: Props) {
  const { t } = useTranslation("engine");
  const navigation = useNavigation();
  const pending = (intent: string) => navigation.state !== "idle" && navigation.formData?.get("intent") === intent;
  if (!rights.claim && !rights.unclaim && !rights.reassign && !rights.delegate) return null;
  const simple = (intent: "claim" | "unclaim", color?: string) => (
    <Form method="post">
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="idempotencyKey" value={`${idempotencyKey}.${intent}`} />
      <Button type="submit" variant={intent === "claim" ? "filled" : "default"} color={color} loading={pending(intent)} data-testid={`task-${intent}`}>
        {t(`task.actions.${intent}`)}
      </Button>
    </Form>
  );
  const handOver = (intent: "reassign" | "delegate") => (
    <Form method="post">
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="idempotencyKey" value={`${idempotencyKey}.${intent}`} />
      <Group align="flex-end" gap="xs">
        <NativeSelect
          name="userId"
          label={t(`task.actions.${intent}To`)}
          description={t(`task.actions.${intent}Hint`)}
          data={[{ value: "", label: t("task.actions.choosePerson") }, ...candidates.map((c) => ({ value: c.userId, label: c.name }))]}
          defaultValue={values.intent === intent ? values.userId : ""}
          error={values.intent === intent ? fieldErrors.userId : undefined}
          style={{ flex: "1 1 14rem", maxWidth: "22rem" }}
        />
        <Button type="submit" variant="default" loading={pending(intent)}>
          {t(`task.actions.${intent}`)}
        </Button>
      </Group>
    </Form>
  );
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t("task.actions.title")}
        </Title>
        {rights.claim ? (
          <Stack gap={4}>
            <Text size="sm">{t("task.actions.claimHint")}</Text>
            {simple("claim")}
          </Stack>
        ) : null}
        {rights.unclaim ? (
          <Stack gap={4}>
            <Text size="sm">{t("task.actions.unclaimHint")}</Text>
            {simple("unclaim")}
          </Stack>
        ) : null}
        {rights.delegate && candidates.length > 0 ? handOver("delegate") : null}
        {rights.reassign && candidates.length > 0 ? handOver("reassign") : null}
      </Stack>
    </Paper>
  );
}
