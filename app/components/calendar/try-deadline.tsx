import { Badge, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { isWorkingDay, type BusinessCalendar } from "~/engine/calendar";
import { addDuration } from "~/engine/time";
import { dayOf, instantOf, isoDay, localDay } from "~/engine/zoned-time";
import { useOrgFormat } from "~/components/org-format";
import { latinDigits, readLocalDateTime } from "~/utils/calendar-hours";
import { intlLocale } from "~/utils/format";
import { dateInstant, type CalendarView } from "./shared";

// "Try it": a start in the organisation's local time plus N working minutes, hours or days,
// computed in the browser with the same library and the same addDuration the engine uses, on
// the saved calendar. The days without work it stepped over are listed, so the admin sees
// the weekend and holidays being skipped.

const UNITS = { minutes: (n: number) => `PT${n}M`, hours: (n: number) => `PT${n}H`, days: (n: number) => `P${n}D` } as const;
type Unit = keyof typeof UNITS;
const SHOWN_SKIPPED = 8;

export function TryDeadline({ calendar, nowLocal }: { calendar: CalendarView; nowLocal: string }) {
  const { t } = useTranslation("calendar");
  const fmt = useOrgFormat();
  const [start, setStart] = useState(nowLocal);
  const [amount, setAmount] = useState("2");
  const [unit, setUnit] = useState<Unit>("days");
  const elapsed = calendar.mode === "elapsed";
  const cal = useMemo<BusinessCalendar | null>(
    () => (elapsed ? null : { timeZone: calendar.timeZone, week: calendar.week, overrides: calendar.overrides, holidays: calendar.holidays }),
    [elapsed, calendar],
  );

  const result = useMemo(() => {
    const when = readLocalDateTime(start);
    const n = Number(latinDigits(amount.trim()));
    const day = when ? dayOf(when.date) : null;
    if (!when || day === null || !Number.isInteger(n) || n < 1 || n > 10_000) return null;
    try {
      const from = new Date(instantOf(day, when.minute, calendar.timeZone));
      const due = addDuration(from, UNITS[unit](n), cal);
      const skipped: string[] = [];
      if (cal) {
        const last = localDay(due.getTime() - 1, calendar.timeZone);
        for (let d = localDay(from.getTime(), calendar.timeZone); d <= last; d += 1) if (!isWorkingDay(isoDay(d), cal)) skipped.push(isoDay(d));
      }
      return { due, skipped };
    } catch {
      return null;
    }
  }, [start, amount, unit, cal, calendar.timeZone]);

  const long = new Intl.DateTimeFormat(intlLocale(fmt.prefs), { timeZone: calendar.timeZone, weekday: "long", year: "numeric", month: "long", day: "numeric", hour: "numeric", minute: "2-digit" });
  const dayLabel = new Intl.DateTimeFormat(intlLocale(fmt.prefs), { timeZone: calendar.timeZone, weekday: "long", month: "long", day: "numeric" });
  const units = elapsed ? "unitsElapsed" : "units";

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="try-title">
      <Stack>
        <Title order={2} size="h4" id="try-title">
          {t("try.title")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("try.help")}
        </Text>
        <TextInput type="datetime-local" label={t("try.start")} value={start} onChange={(e) => setStart(e.currentTarget.value)} data-testid="try-start" />
        <SimpleGrid cols={2}>
          <TextInput label={t("try.amount")} inputMode="numeric" value={amount} onChange={(e) => setAmount(e.currentTarget.value)} data-testid="try-amount" />
          <Select
            label={t("try.unit")}
            data={(Object.keys(UNITS) as Unit[]).map((u) => ({ value: u, label: t(`try.${units}.${u}`) }))}
            value={unit}
            onChange={(v) => v && setUnit(v as Unit)}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
            data-testid="try-unit"
          />
        </SimpleGrid>
        <Paper bg="gray.0" p="sm" aria-live="polite" data-testid="try-result">
          {result ? (
            <Stack gap={4}>
              <Text size="sm" fw={600}>
                {t("try.deadline")}
              </Text>
              <Text data-testid="try-deadline">{long.format(result.due)}</Text>
              {cal ? (
                <Stack gap={4} data-testid="try-skipped">
                  <Text size="sm" c="dimmed">
                    {t("try.skipped")}
                  </Text>
                  <Group gap={4}>
                    {result.skipped.length ? (
                      result.skipped.slice(0, SHOWN_SKIPPED).map((d) => (
                        <Badge key={d} variant="light" color="gray" tt="none">
                          {dayLabel.format(dateInstant(d, calendar.timeZone))}
                        </Badge>
                      ))
                    ) : (
                      <Text size="sm">{t("try.noneSkipped")}</Text>
                    )}
                    {result.skipped.length > SHOWN_SKIPPED ? <Text size="sm">{t("try.more", { n: fmt.number(result.skipped.length - SHOWN_SKIPPED) })}</Text> : null}
                  </Group>
                </Stack>
              ) : null}
            </Stack>
          ) : (
            <Text size="sm" c="red">
              {t("try.invalid")}
            </Text>
          )}
        </Paper>
      </Stack>
    </Paper>
  );
}
