import { Anchor, Container, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { isRouteErrorResponse, Link, useParams } from "react-router";

/**
 * Errors inside the portal: the app's error titles and a way back to the portal, never into
 * the staff app. A "not found" speaks to a citizen (no sign-in, so no "permission"); the
 * layout's own error (no such portal) offers no link.
 */
export function PortalError({ error, linkHome = true }: { error: unknown; linkHome?: boolean }) {
  const { t } = useTranslation(["common", "portal"]);
  const org = useParams().org;
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const kind = status === 404 ? "notFound" : status === 403 ? "forbidden" : status === 503 ? "unavailable" : "server";
  const title = t(`common:errors.${kind}Title`);
  return (
    <Container size="sm" py="xl">
      <title>{title}</title>
      <Stack gap="md" role="alert">
        <Text c="dimmed" fw={700}>
          {status}
        </Text>
        <Title order={1}>{title}</Title>
        <Text>{status === 403 ? t("common:errors.csrf") : status === 404 ? t(linkHome ? "portal:errors.notFound" : "portal:errors.noPortal") : t(`common:errors.${kind}`)}</Text>
        {org && linkHome ? (
          <Anchor component={Link} to={`/o/${org}`}>
            {t("portal:service.back")}
          </Anchor>
        ) : null}
      </Stack>
    </Container>
  );
}
