import { Button, Group } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useFetcher, useLocation } from "react-router";
import { CsrfInput } from "./csrf-input";

/** Switches the interface language; remembered on the user when signed in. */
export function LanguageSwitch({ variant = "subtle" }: { variant?: "subtle" | "default" }) {
  const { t, i18n } = useTranslation("common");
  const fetcher = useFetcher();
  const location = useLocation();
  const other = i18n.language === "ar" ? "en" : "ar";
  return (
    <fetcher.Form method="post" action="/locale">
      <CsrfInput />
      <input type="hidden" name="locale" value={other} />
      <input type="hidden" name="back" value={location.pathname + location.search} />
      <Group justify="center">
        <Button type="submit" variant={variant} size="compact-sm" lang={other} aria-label={`${t("language.label")}: ${t("language.switchTo")}`}>
          {t("language.switchTo")}
        </Button>
      </Group>
    </fetcher.Form>
  );
}
