import { Paper, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Route } from "./+types/app.$org.inbox";
import { requireOrgMember } from "~/utils/org-context.server";

export async function loader(args: Route.LoaderArgs) {
  await requireOrgMember(args);
  return null;
}

export const meta: Route.MetaFunction = () => [{ title: "Masar" }];

export default function Inbox() {
  const { t } = useTranslation("common");
  return (
    <Stack>
      <Title order={1}>{t("inbox.title")}</Title>
      <Paper withBorder p="xl" radius="md">
        <Stack gap="xs">
          <Title order={2} size="h4">
            {t("inbox.placeholderTitle")}
          </Title>
          <Text>{t("inbox.placeholder")}</Text>
        </Stack>
      </Paper>
    </Stack>
  );
}
