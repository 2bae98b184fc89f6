import { Badge, Button, Group, Input, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Form, useNavigation } from "react-router";
import { CsrfInput } from "~/components/csrf-input";
import { useOrgFormat } from "~/components/org-format";
import { MAX_ICS_BYTES, type IcsPreview } from "~/utils/calendar-actions";
import { localDigits } from "~/utils/calendar-hours";
import { answerFor, dateInstant, days, failed, Outcome, type ActionData, type CalendarView } from "./shared";

// Holidays per year (Eid dates move, so each year is entered on its own), one-off dates or
// ranges, and an .ics import: the server reads the file and answers with a preview; only
// the admin's confirmation adds the new holidays.

export function HolidaysEditor({ calendar, actionData, thisYear }: { calendar: CalendarView; actionData: ActionData; thisYear: number }) {
  const { t } = useTranslation("calendar");
  const fmt = useOrgFormat();
  const nav = useNavigation();
  const sending = (intent: string) => nav.state === "submitting" && nav.formData?.get("intent") === intent;
  const added = answerFor(actionData, "holiday-add");
  const { errors, values } = failed(added);
  // A fresh form once a holiday was added; a refused one keeps what was typed.
  const addForm = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (added?.ok) addForm.current?.reset();
  }, [added]);
  const years = [...new Set([thisYear, thisYear + 1, ...calendar.holidays.flatMap((h) => [Number(h.from.slice(0, 4)), Number(h.to.slice(0, 4))])])].sort();
  const [year, setYear] = useState(String(values?.from?.slice(0, 4) || thisYear));
  const inYear = calendar.holidays
    .filter((h) => h.from.slice(0, 4) <= year && year <= h.to.slice(0, 4))
    .sort((a, b) => a.from.localeCompare(b.from));
  const date = (d: string) => fmt.date(dateInstant(d, calendar.timeZone));

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="holidays-title">
      <Stack>
        <Title order={2} size="h4" id="holidays-title">
          {t("holidays.title")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("holidays.help")}
        </Text>
        <Outcome answer={answerFor(actionData, "holiday-remove", "ics-import") ?? (added?.ok ? added : undefined)} />
        <Group gap="sm">
          <Text size="sm" fw={600} id="holiday-year-label">
            {t("holidays.year")}
          </Text>
          <SegmentedControl aria-labelledby="holiday-year-label" value={year} onChange={setYear} data={years.map((y) => ({ value: String(y), label: localDigits(String(y), fmt.prefs.digits) }))} />
        </Group>
        {inYear.length === 0 ? (
          <Text size="sm">{t("holidays.empty", { year: localDigits(year, fmt.prefs.digits) })}</Text>
        ) : (
          <Table.ScrollContainer minWidth={520}>
            <Table striped data-testid="holidays-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("holidays.columns.name")}</Table.Th>
                  <Table.Th>{t("holidays.columns.dates")}</Table.Th>
                  <Table.Th>{t("holidays.columns.days")}</Table.Th>
                  <Table.Th>{t("holidays.columns.actions")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {inYear.map((h) => {
                  const n = days(h.from, h.to);
                  return (
                    <Table.Tr key={h.id}>
                      <Table.Td>{h.name}</Table.Td>
                      <Table.Td>{h.from === h.to ? date(h.from) : `${date(h.from)} – ${date(h.to)}`}</Table.Td>
                      <Table.Td>{t("holidays.days", { count: n, n: fmt.number(n) })}</Table.Td>
                      <Table.Td>
                        <Form method="post">
                          <CsrfInput />
                          <input type="hidden" name="intent" value="holiday-remove" />
                          <input type="hidden" name="id" value={h.id} />
                          <Button type="submit" size="xs" variant="subtle" color="red" aria-label={t("holidays.remove", { name: h.name })}>
                            {t("common:actions.delete")}
                          </Button>
                        </Form>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <Form ref={addForm} method="post" noValidate aria-label={t("holidays.add")}>
          <CsrfInput />
          <input type="hidden" name="intent" value="holiday-add" />
          <Stack gap="xs">
            {added && !added.ok && errors._form ? <Outcome answer={added} /> : null}
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput name="name" label={t("holidays.name")} placeholder={t("holidays.namePlaceholder")} required defaultValue={values?.name} error={errors.name} />
              <TextInput name="from" type="date" label={t("holidays.from")} required defaultValue={values?.from} error={errors.from} />
              <TextInput name="to" type="date" label={t("holidays.to")} description={t("holidays.toHint")} defaultValue={values?.to} error={errors.to} />
            </SimpleGrid>
            <Group justify="flex-end">
              <Button type="submit" variant="light" loading={sending("holiday-add")}>
                {t("holidays.add")}
              </Button>
            </Group>
          </Stack>
        </Form>
        <IcsImport actionData={actionData} timeZone={calendar.timeZone} />
      </Stack>
    </Paper>
  );
}

function IcsImport({ actionData, timeZone }: { actionData: ActionData; timeZone: string }) {
  const { t } = useTranslation("calendar");
  const fmt = useOrgFormat();
  const nav = useNavigation();
  const answer = answerFor(actionData, "ics-preview");
  const [tooBig, setTooBig] = useState(false);
  const [dismissed, setDismissed] = useState<IcsPreview | null>(null);
  const preview = answer?.ok && answer.preview && answer.preview !== dismissed ? answer.preview : null;
  const fileError = tooBig ? t("ics.errors.too_large", { max: `${fmt.number(MAX_ICS_BYTES / 1024)} KB` }) : answer && !answer.ok ? answer.fieldErrors.file : undefined;
  const fresh = preview?.rows.filter((r) => !r.duplicate) ?? [];
  const date = (d: string) => fmt.date(dateInstant(d, timeZone));
  const importing = nav.state === "submitting" && nav.formData?.get("intent") === "ics-import";

  return (
    <Paper bg="gray.0" p="sm" radius="sm">
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t("ics.title")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("ics.help")}
        </Text>
        <Form method="post" encType="multipart/form-data" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="ics-preview" />
          <Group align="flex-end">
            <Input.Wrapper label={t("ics.file")} id="ics-file" error={fileError}>
              <input
                id="ics-file"
                type="file"
                name="file"
                accept=".ics,text/calendar"
                style={{ display: "block", marginTop: 6 }}
                onChange={(e) => setTooBig((e.currentTarget.files?.[0]?.size ?? 0) > MAX_ICS_BYTES)}
              />
            </Input.Wrapper>
            <Button type="submit" variant="default" disabled={tooBig} loading={nav.state === "submitting" && nav.formData?.get("intent") === "ics-preview"}>
              {t("ics.preview")}
            </Button>
          </Group>
        </Form>
        {preview ? (
          <Stack gap="xs" data-testid="ics-preview">
            <Text size="sm" fw={600} role="status">
              {answer?.message}
            </Text>
            {preview.rows.length ? (
              <Table.ScrollContainer minWidth={480}>
                <Table>
                  <Table.Tbody>
                    {preview.rows.map((r) => (
                      <Table.Tr key={`${r.from}/${r.to}/${r.name}`}>
                        <Table.Td>{r.name}</Table.Td>
                        <Table.Td>{r.from === r.to ? date(r.from) : `${date(r.from)} – ${date(r.to)}`}</Table.Td>
                        <Table.Td>
                          <Group gap={4}>
                            <Badge variant="light" color={r.duplicate ? "gray" : "teal"}>
                              {r.duplicate ? t("ics.duplicateRow") : t("ics.new")}
                            </Badge>
                            {r.timed ? (
                              <Badge variant="light" color="yellow">
                                {t("ics.timed")}
                              </Badge>
                            ) : null}
                          </Group>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            ) : null}
            {preview.skipped.length ? (
              <Text size="sm" c="dimmed">
                {t("ics.skippedTitle")}: {preview.skipped.map((s) => `${s.name} (${s.reason})`).join(fmt.prefs.locale === "ar" ? "، " : ", ")}
              </Text>
            ) : null}
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="ics-import" />
              <input type="hidden" name="entries" value={JSON.stringify(fresh.map(({ name, from, to }) => ({ name, from, to })))} />
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setDismissed(preview)}>
                  {t("ics.cancel")}
                </Button>
                <Button type="submit" disabled={fresh.length === 0} loading={importing}>
                  {t("ics.import", { count: fresh.length, n: fmt.number(fresh.length) })}
                </Button>
              </Group>
            </Form>
          </Stack>
        ) : null}
      </Stack>
    </Paper>
  );
}
