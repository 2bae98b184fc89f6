import { Anchor, Button, Container, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { isRouteErrorResponse } from "react-router";

/** One error page for every route: 404/403/503 in the user's language; no internals shown. */
export function RouteErrorPage({ error }: { error: unknown }) {
  const { t } = useTranslation("common");
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const kind = status === 404 ? "notFound" : status === 403 ? (isCsrf(error) ? "csrf" : "forbidden") : status === 503 ? "unavailable" : "server";
  const title = kind === "csrf" ? t("errors.forbiddenTitle") : t(`errors.${kind}Title`);
  return (
    <Container size="sm" py="xl">
      {/* React hoists it into <head>: an error page has no route meta of its own. */}
      <title>{`${title} — ${t("appName")}`}</title>
      <Stack gap="md" role="alert">
        <Text c="dimmed" fw={700}>
          {status}
        </Text>
        <Title order={1}>{title}</Title>
        <Text>{t(`errors.${kind}`)}</Text>
        {status === 503 ? (
          <Button component="a" href="" w="fit-content">
            {t("errors.retry")}
          </Button>
        ) : (
          <Anchor href="/">{t("errors.goHome")}</Anchor>
        )}
      </Stack>
    </Container>
  );
}

function isCsrf(error: unknown): boolean {
  return isRouteErrorResponse(error) && typeof error.data === "object" && error.data !== null && JSON.stringify(error.data).includes("csrf_failed");
}
