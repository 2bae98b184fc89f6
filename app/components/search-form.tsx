import { Button, Group, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Form } from "react-router";

/** The server-side search box of every list page: a GET form that sets ?q= (and resets paging). */
export function SearchForm({ q, label, placeholder }: { q: string; label: string; placeholder?: string }) {
  const { t } = useTranslation("common");
  return (
    <Form method="get" role="search">
      <Group align="flex-end" gap="xs">
        <TextInput name="q" type="search" label={label} placeholder={placeholder} defaultValue={q} key={q} style={{ flex: "1 1 16rem", maxWidth: "28rem" }} />
        <Button type="submit" variant="default">
          {t("actions.search")}
        </Button>
      </Group>
    </Form>
  );
}
