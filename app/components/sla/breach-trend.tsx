import { Box, Group, Paper, Text, Title, Tooltip } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useOrgFormat } from "~/components/org-format";
import { formatDateTime } from "~/utils/format";

/**
 * Breaches per day as a row of bars (no chart library: thirty links). Each bar is a link to
 * that day's breaches, named for screen readers with its date and count; days without a
 * breach are plain marks.
 */
export function BreachTrend({ trend, days, link }: { trend: { day: string; breaches: number }[]; days: number; link: (day: string) => string }) {
  const { t } = useTranslation("deadlines");
  const fmt = useOrgFormat();
  const max = Math.max(1, ...trend.map((d) => d.breaches));
  const total = trend.reduce((sum, d) => sum + d.breaches, 0);
  // A local date is shown as itself: noon UTC of that date, formatted in UTC.
  const label = (day: string) => formatDateTime(`${day}T12:00:00Z`, { ...fmt.prefs, timeZone: "UTC" }, "date");
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="sla-trend" data-testid="sla-trend">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="sla-trend">
          {t("dashboard.trend", { days: fmt.number(days) })}
        </Title>
        <Text size="sm" c="dimmed">
          {t("dashboard.trendTotal", { n: fmt.number(total) })}
        </Text>
      </Group>
      <Box h={120} dir="ltr" style={{ display: "grid", gridTemplateColumns: `repeat(${trend.length}, minmax(6px, 1fr))`, gap: 3, alignItems: "end" }}>
        {trend.map((d) => {
          const height = d.breaches ? Math.max(8, Math.round((d.breaches / max) * 110)) : 3;
          const name = t("dashboard.dayBar", { day: label(d.day), n: fmt.number(d.breaches) });
          const bar = <Box w="100%" h={height} bg={d.breaches ? "red.7" : "gray.3"} style={{ borderRadius: 2 }} />;
          return (
            <Tooltip key={d.day} label={name} withArrow>
              {d.breaches ? (
                <Link to={link(d.day)} aria-label={name} style={{ display: "block" }} data-testid={`sla-trend-${d.day}`}>
                  {bar}
                </Link>
              ) : (
                <Box aria-hidden>{bar}</Box>
              )}
            </Tooltip>
          );
        })}
      </Box>
      <Group justify="space-between" mt={4} dir="ltr">
        <Text size="xs" c="dimmed">
          {trend[0] ? label(trend[0].day) : ""}
        </Text>
        <Text size="xs" c="dimmed">
          {trend.at(-1) ? label(trend.at(-1)!.day) : ""}
        </Text>
      </Group>
    </Paper>
  );
}
