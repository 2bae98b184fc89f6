import { Alert, Button, Code, Stack, Text, Textarea } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Form, useNavigation } from "react-router";
import { CsrfInput } from "~/components/csrf-input";
import { useOrgFormat } from "~/components/org-format";
import { isolate } from "~/utils/bidi";

export interface IncidentItem {
  id: string;
  nodeName: { ar: string; en: string } | null;
  nodeId: string;
  reason: string;
  detail: string;
  dataSnapshot: string;
  status: "open" | "resolved";
  createdAt: string;
  resolvedAt: string | null;
  resolvedByName: string | null;
}

interface Props {
  incidents: IncidentItem[];
  canRetry: boolean;
  /** After a failed retry: which incident, the JSON the person typed and the message. */
  failed?: { incidentId: string; data: string; error: string } | null;
}

/**
 * Stuck tokens: why (a condition that failed, no matching path…), where, and the data the
 * engine saw. A manager may fix the data (as JSON) and retry; the token then moves on.
 */
export function CaseIncidents({ incidents, canRetry, failed }: Props) {
  const { t, i18n } = useTranslation("engine");
  const fmt = useOrgFormat();
  const navigation = useNavigation();
  const en = i18n.language === "en";
  return (
    <Stack gap="sm">
      {incidents.map((incident) => {
        const open = incident.status === "open";
        const mine = failed?.incidentId === incident.id ? failed : null;
        const busy = navigation.state !== "idle" && navigation.formData?.get("incidentId") === incident.id;
        const where = incident.nodeName ? (en ? incident.nodeName.en : incident.nodeName.ar) : incident.nodeId;
        return (
          <Alert
            key={incident.id}
            color={open ? "red" : "gray"}
            title={`${t(`case.incidents.reason.${incident.reason}`, { defaultValue: incident.reason })} — ${where}`}
            data-testid="case-incident"
          >
            <Stack gap="xs">
              <Text size="sm">{t(`case.incidents.hint.${incident.reason}`, { defaultValue: "" })}</Text>
              {/* The engine's own words (a FEEL error, a plugin's message): for whoever fixes the definition. */}
              <details>
                <summary>{t("case.incidents.technical")}</summary>
                <Text size="sm" dir="ltr" ff="monospace" style={{ whiteSpace: "pre-wrap" }}>
                  {incident.detail}
                </Text>
              </details>
              <Text size="xs" c="dimmed">
                {open
                  ? t("case.incidents.raisedAt", { at: isolate(fmt.dateTime(incident.createdAt)) })
                  : t("case.incidents.resolvedBy", { name: isolate(incident.resolvedByName ?? t("case.timeline.system")), at: incident.resolvedAt ? isolate(fmt.dateTime(incident.resolvedAt)) : "" })}
              </Text>
              <details>
                <summary>{t("case.incidents.snapshot")}</summary>
                <Code block dir="ltr">
                  {incident.dataSnapshot}
                </Code>
              </details>
              {open && canRetry ? (
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="intent" value="retry" />
                  <input type="hidden" name="incidentId" value={incident.id} />
                  <Stack gap="xs">
                    <Textarea
                      name="data"
                      label={t("case.incidents.editData")}
                      description={t("case.incidents.editDataHint")}
                      defaultValue={mine?.data ?? ""}
                      placeholder={incident.dataSnapshot}
                      autosize
                      minRows={3}
                      maxRows={16}
                      dir="ltr"
                      styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
                      error={mine?.error}
                    />
                    <Button type="submit" color="red" variant="light" w="fit-content" loading={busy}>
                      {t("case.incidents.retry")}
                    </Button>
                  </Stack>
                </Form>
              ) : null}
            </Stack>
          </Alert>
        );
      })}
    </Stack>
  );
}
