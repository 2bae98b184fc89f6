import { Alert, Button, Group, Paper, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Form, useNavigation } from "react-router";
import { weeklyMinutes } from "~/engine/calendar";
import { CALENDAR_PRESETS, isPresetKey, PRESET_KEYS } from "~/engine/calendar-presets";
import { CsrfInput } from "~/components/csrf-input";
import { useOrgFormat } from "~/components/org-format";
import { formatIntervals, HOURS_EXAMPLES, parseIntervals } from "~/utils/calendar-hours";
import { answerFor, failed, Outcome, WEEKDAYS, type ActionData, type CalendarView } from "./shared";

// The weekly pattern: a preset picker that fills the seven days, and one text field per day
// ("07:30-14:30", several shifts separated by commas, empty = day off). "Round the clock"
// switches the organisation to elapsed time (no business calendar).

export function WeekEditor({ calendar, actionData }: { calendar: CalendarView; actionData: ActionData }) {
  const { t } = useTranslation("calendar");
  const fmt = useOrgFormat();
  const nav = useNavigation();
  const busy = nav.state === "submitting" && nav.formData?.get("intent") === "week";
  const answer = answerFor(actionData, "week");
  const { errors, values } = failed(answer);
  const initialChoice = calendar.mode === "elapsed" ? "elapsed" : (calendar.preset ?? "custom");
  const [choice, setChoice] = useState<string>(values ? (values.mode === "elapsed" ? "elapsed" : values.preset || "custom") : initialChoice);
  const [hours, setHours] = useState<string[]>(WEEKDAYS.map((wd) => values?.[`day${wd}`] ?? formatIntervals(calendar.week[wd] ?? [])));
  const elapsed = choice === "elapsed";

  const pick = (value: string | null) => {
    if (!value) return;
    setChoice(value);
    if (isPresetKey(value)) setHours(CALENDAR_PRESETS[value].week.map((d) => formatIntervals(d)));
  };
  const parsed = hours.map((h) => parseIntervals(h));
  const total = parsed.every((p) => p !== null) ? weeklyMinutes(parsed as NonNullable<(typeof parsed)[number]>[]) : null;
  const presetZone = isPresetKey(choice) ? CALENDAR_PRESETS[choice].timeZone : null;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="week-title">
      <Form method="post" noValidate>
        <CsrfInput />
        <input type="hidden" name="intent" value="week" />
        <input type="hidden" name="mode" value={elapsed ? "elapsed" : "business"} />
        <input type="hidden" name="preset" value={isPresetKey(choice) ? choice : ""} />
        <Stack>
          <Title order={2} size="h4" id="week-title">
            {t("week.title")}
          </Title>
          <Outcome answer={answer} />
          <Select
            label={t("week.preset")}
            description={t("week.presetHint")}
            data={[
              ...PRESET_KEYS.map((k) => ({ value: k, label: t(`presets.${k}`) })),
              { value: "custom", label: t("presets.custom") },
              { value: "elapsed", label: t("presets.elapsed") },
            ]}
            value={choice}
            onChange={pick}
            allowDeselect={false}
            error={errors.mode}
            comboboxProps={{ withinPortal: true }}
            data-testid="calendar-preset"
          />
          {presetZone && presetZone !== calendar.timeZone ? (
            <Text size="sm" c="dimmed">
              {t("week.presetZone", { zone: presetZone })}
            </Text>
          ) : null}
          {elapsed ? (
            <Alert color="blue" role="note">
              {t("week.elapsedHelp")}
            </Alert>
          ) : null}
          {errors.week ? (
            <Alert color="red" role="alert">
              {errors.week}
            </Alert>
          ) : null}
          <Text size="sm" c="dimmed" id="hours-hint">
            {t("week.hoursHint", HOURS_EXAMPLES)}
          </Text>
          <Table withRowBorders={false} verticalSpacing={4}>
            <Table.Tbody>
              {WEEKDAYS.map((wd) => (
                <Table.Tr key={wd}>
                  <Table.Th scope="row" w={120}>
                    <label htmlFor={`week-day${wd}`}>{t(`weekdays.${wd}`)}</label>
                  </Table.Th>
                  <Table.Td>
                    <TextInput
                      id={`week-day${wd}`}
                      name={`day${wd}`}
                      dir="ltr"
                      value={hours[wd]}
                      placeholder={t("week.dayOff")}
                      aria-describedby="hours-hint"
                      disabled={elapsed}
                      onChange={(e) => {
                        const next = [...hours];
                        next[wd] = e.currentTarget.value;
                        setHours(next);
                        if (!elapsed) setChoice("custom");
                      }}
                      error={errors[`day${wd}`]}
                      autoComplete="off"
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {/* Disabled fields are not submitted: the kept hours travel in hidden ones. */}
          {elapsed ? WEEKDAYS.map((wd) => <input key={wd} type="hidden" name={`day${wd}`} value={hours[wd]} />) : null}
          <Group justify="space-between">
            <Text size="sm" c="dimmed" aria-live="polite">
              {total !== null && !elapsed ? t("week.perWeek", { hours: fmt.number(Math.round((total / 60) * 100) / 100) }) : ""}
            </Text>
            <Button type="submit" loading={busy}>
              {t("week.save")}
            </Button>
          </Group>
        </Stack>
      </Form>
    </Paper>
  );
}
