import { Group, Pagination, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { useOrgFormat } from "./org-format";

/** Server-side paging: changes ?page= and keeps the other search parameters. */
export function Pager({ total, page, pageSize }: { total: number; page: number; pageSize: number }) {
  const { t } = useTranslation("common");
  const [params, setParams] = useSearchParams();
  const fmt = useOrgFormat();
  if (total === 0) return null; // the empty state says it already
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  // First-strong isolates keep "١–٥" in order inside an English (LTR) sentence.
  const n = (value: number) => `\u2068${fmt.number(value)}\u2069`;
  return (
    <Group justify="space-between" mt="md">
      <Text size="sm" c="dimmed">
        {t("paging.summary", { from: n(from), to: n(to), total: n(total) })}
      </Text>
      {pages > 1 ? (
        <Pagination
          total={pages}
          value={page}
          onChange={(p) => {
            const next = new URLSearchParams(params);
            next.set("page", String(p));
            setParams(next);
          }}
          getItemProps={(p) => ({ "aria-label": t("paging.page", { page: p }) })}
          // The arrow buttons have no text: name them (axe: button-name).
          getControlProps={(control) => ({ "aria-label": control === "previous" || control === "first" ? t("actions.previous") : t("actions.next") })}
        />
      ) : null}
    </Group>
  );
}
