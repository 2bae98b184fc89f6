import { Button, Group, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Form, useNavigation } from "react-router";
import type { WeekHours } from "~/engine/calendar";
import { CALENDAR_PRESETS, DEFAULT_PRESET_KEY, isPresetKey } from "~/engine/calendar-presets";
import { CsrfInput } from "~/components/csrf-input";
import { useOrgFormat } from "~/components/org-format";
import { formatIntervals, HOURS_EXAMPLES, ltr } from "~/utils/calendar-hours";
import { answerFor, dateInstant, failed, Outcome, WEEKDAYS, type ActionData, type CalendarView } from "./shared";

// Dated overrides: Ramadan hours over the month, a half day before Eid. The add form starts
// from the preset's usual Ramadan hours, per weekday, because that is what most are.

/** "Sunday–Thursday: 10:00-15:00" lines: consecutive weekdays with the same hours grouped. */
function hoursSummary(hours: WeekHours, dayName: (wd: number) => string, off: string): string[] {
  const lines: string[] = [];
  let k = 0;
  while (k < 7) {
    const text = formatIntervals(hours[k] ?? []);
    let j = k;
    while (j + 1 < 7 && formatIntervals(hours[j + 1] ?? []) === text) j += 1;
    if (text) lines.push(`${j > k ? `${dayName(k)}–${dayName(j)}` : dayName(k)}: ${ltr(text)}`);
    k = j + 1;
  }
  return lines.length ? lines : [off];
}

export function OverridesEditor({ calendar, actionData }: { calendar: CalendarView; actionData: ActionData }) {
  const { t } = useTranslation("calendar");
  const fmt = useOrgFormat();
  const nav = useNavigation();
  const busy = nav.state === "submitting" && nav.formData?.get("intent") === "override-add";
  const added = answerFor(actionData, "override-add");
  const removed = answerFor(actionData, "override-remove");
  const { errors, values } = failed(added);
  const [open, setOpen] = useState(values !== null);
  // Added: the form closes (a refused one stays open with what was typed).
  useEffect(() => {
    if (added?.ok) setOpen(false);
  }, [added]);
  const ramadan = CALENDAR_PRESETS[isPresetKey(calendar.preset) ? calendar.preset : DEFAULT_PRESET_KEY].ramadan;
  const dayName = (wd: number) => t(`weekdays.${wd}`);
  const date = (d: string) => fmt.date(dateInstant(d, calendar.timeZone));

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="overrides-title">
      <Stack>
        <Title order={2} size="h4" id="overrides-title">
          {t("overrides.title")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("overrides.help")}
        </Text>
        <Outcome answer={removed ?? (added?.ok ? added : undefined)} />
        {calendar.overrides.length === 0 ? (
          <Text size="sm">{t("overrides.empty")}</Text>
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("overrides.columns.name")}</Table.Th>
                  <Table.Th>{t("overrides.columns.dates")}</Table.Th>
                  <Table.Th>{t("overrides.columns.hours")}</Table.Th>
                  <Table.Th>{t("overrides.columns.actions")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {calendar.overrides.map((o) => (
                  <Table.Tr key={o.id}>
                    <Table.Td>{o.name}</Table.Td>
                    <Table.Td>{o.from === o.to ? date(o.from) : `${date(o.from)} – ${date(o.to)}`}</Table.Td>
                    <Table.Td>
                      {hoursSummary(o.hours, dayName, t("week.dayOff")).map((line) => (
                        <Text size="sm" key={line}>
                          <bdi>{line}</bdi>
                        </Text>
                      ))}
                    </Table.Td>
                    <Table.Td>
                      <Form method="post">
                        <CsrfInput />
                        <input type="hidden" name="intent" value="override-remove" />
                        <input type="hidden" name="id" value={o.id} />
                        <Button type="submit" size="xs" variant="subtle" color="red" aria-label={t("overrides.remove", { name: o.name })}>
                          {t("common:actions.delete")}
                        </Button>
                      </Form>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {open ? (
          <Form method="post" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="override-add" />
            <Stack>
              <Outcome answer={added && !added.ok ? added : undefined} />
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <TextInput name="name" label={t("overrides.name")} placeholder={t("overrides.namePlaceholder")} required defaultValue={values?.name} error={errors.name} />
                <TextInput name="from" type="date" label={t("overrides.from")} required defaultValue={values?.from} error={errors.from} />
                <TextInput name="to" type="date" label={t("overrides.to")} description={t("overrides.toHint")} defaultValue={values?.to} error={errors.to} />
              </SimpleGrid>
              <Text size="sm" fw={600}>
                {t("overrides.hours")}
              </Text>
              <Text size="sm" c="dimmed">
                {t("overrides.prefilled")} {t("week.hoursHint", HOURS_EXAMPLES)}
              </Text>
              <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
                {WEEKDAYS.map((wd) => (
                  <TextInput
                    key={wd}
                    name={`day${wd}`}
                    label={dayName(wd)}
                    dir="ltr"
                    placeholder={t("week.dayOff")}
                    defaultValue={values?.[`day${wd}`] ?? formatIntervals(ramadan[wd] ?? [])}
                    error={errors[`day${wd}`]}
                    autoComplete="off"
                  />
                ))}
              </SimpleGrid>
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setOpen(false)}>
                  {t("overrides.cancel")}
                </Button>
                <Button type="submit" loading={busy}>
                  {t("overrides.save")}
                </Button>
              </Group>
            </Stack>
          </Form>
        ) : (
          <Group>
            <Button variant="light" onClick={() => setOpen(true)}>
              {t("overrides.add")}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
