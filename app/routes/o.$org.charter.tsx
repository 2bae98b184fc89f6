import { Alert, Divider, List, Paper, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Route } from "./+types/o.$org.charter";
import { PortalError } from "~/components/portal/portal-error";
import { usePortalFormat } from "~/components/portal/portal-format";
import { getInstance } from "~/middleware/i18next";
import { portalRead, requirePortalOrg } from "~/utils/portal.server";
import { getPublishedCharter } from "~plugins/service-catalogue/public.server";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

// The organisation's service charter (guide chapter 4), latest published version.
export async function loader(args: Route.LoaderArgs) {
  const org = await requirePortalOrg(args);
  const charter = await portalRead(org, (trx) => getPublishedCharter(trx, org.id));
  const t = getInstance(args.context).getFixedT(null, "portal");
  return { title: `${t("charter.title")} — ${org.locale === "en" ? org.name.en : org.name.ar}`, charter: charter ?? null };
}

export default function PortalCharter({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("portal");
  const fmt = usePortalFormat();
  const { charter } = loaderData;
  if (!charter) {
    return (
      <Stack gap="lg">
        <Title order={1}>{t("charter.title")}</Title>
        <Alert color="gray">{t("charter.notPublished")}</Alert>
      </Stack>
    );
  }
  const lines = (list: { ar: string[]; en: string[] }) => (
    <List spacing={4}>
      {fmt.list(list).map((line, i) => (
        <List.Item key={i}>{line}</List.Item>
      ))}
    </List>
  );
  return (
    <Stack gap="lg" maw="52rem" component="article">
      <Stack gap={4}>
        <Title order={1}>{fmt.local(charter.title) || t("charter.title")}</Title>
        <Text size="sm" c="dimmed">
          {t("charter.version", { version: fmt.number(charter.version), date: fmt.date(charter.publishedAt) })}
        </Text>
      </Stack>
      {fmt.local(charter.introduction) ? (
        <Stack gap="xs" component="section">
          <Title order={2} size="h3">
            {t("charter.introduction")}
          </Title>
          <Text style={{ whiteSpace: "pre-line" }}>{fmt.local(charter.introduction)}</Text>
        </Stack>
      ) : null}
      {fmt.list(charter.values).length ? (
        <Stack gap="xs" component="section">
          <Title order={2} size="h3">
            {t("charter.values")}
          </Title>
          {lines(charter.values)}
        </Stack>
      ) : null}
      {charter.axes.length ? (
        <Stack gap="sm" component="section">
          <Title order={2} size="h3">
            {t("charter.commitments")}
          </Title>
          {charter.axes.map((axis, i) => (
            <Paper key={i} withBorder radius="md" p="md">
              <Stack gap="xs">
                <Title order={3} size="h4">
                  {fmt.local(axis.axis)}
                </Title>
                {axis.commitments.map((c, j) => (
                  <Stack key={j} gap={4}>
                    <Text fw={600}>{fmt.local(c.commitment)}</Text>
                    {fmt.list(c.serviceLevels).length ? (
                      <>
                        <Text size="sm" c="dimmed">
                          {t("charter.serviceLevels")}
                        </Text>
                        {lines(c.serviceLevels)}
                      </>
                    ) : null}
                  </Stack>
                ))}
              </Stack>
            </Paper>
          ))}
        </Stack>
      ) : null}
      {fmt.list(charter.customerObligations).length ? (
        <Stack gap="xs" component="section">
          <Title order={2} size="h3">
            {t("charter.obligations")}
          </Title>
          {lines(charter.customerObligations)}
        </Stack>
      ) : null}
      <Divider />
      <Stack gap={2} component="section" aria-label={t("charter.signature")}>
        <Text fw={700}>{fmt.local(charter.signature.name)}</Text>
        <Text>{fmt.local(charter.signature.title)}</Text>
        {charter.signature.date ? <Text c="dimmed">{fmt.date(`${charter.signature.date}T12:00:00Z`)}</Text> : null}
      </Stack>
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <PortalError error={error} />;
}
