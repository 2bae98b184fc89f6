import { List, Text, ThemeIcon } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { lintServiceName } from "../name-linter";

// The naming rule's notes under a name field, updated as the admin types (debounced so the
// list does not flicker on every key). Explanations come in the page's language; the same
// linter runs again on the server when the card is saved.
export function NameLintPanel({ id, value, language }: { id: string; value: string; language: "ar" | "en" }) {
  const { t } = useTranslation("service-catalogue");
  const [debounced] = useDebouncedValue(value, 250);
  const issues = useMemo(() => (debounced.trim() ? lintServiceName(debounced, language) : []), [debounced, language]);
  return (
    <div id={id} role="status" aria-live="polite" data-testid={`name-lint-${language}`}>
      {!debounced.trim() ? (
        <Text size="xs" c="dimmed">
          {t("linter.rule")}
        </Text>
      ) : issues.length === 0 ? (
        <Text size="xs" c="teal.8" data-testid="name-lint-ok">
          {t("linter.ok")}
        </Text>
      ) : (
        <List size="xs" spacing={2} mt={4}>
          {issues.map((issue) => (
            <List.Item
              key={issue.code}
              data-code={issue.code}
              data-severity={issue.severity}
              icon={
                <ThemeIcon size={14} radius="xl" color={issue.severity === "error" ? "red" : "yellow"} aria-hidden>
                  {issue.severity === "error" ? "!" : "?"}
                </ThemeIcon>
              }
            >
              <Text size="xs" c={issue.severity === "error" ? "red.8" : "yellow.9"} component="span">
                {t(`linter.${issue.code}`, issue.params)}
              </Text>
            </List.Item>
          ))}
        </List>
      )}
    </div>
  );
}
