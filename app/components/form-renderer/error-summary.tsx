import { Alert, Anchor, List, Text } from "@mantine/core";
import { forwardRef } from "react";
import { useTranslation } from "react-i18next";
import { useOrgFormat } from "~/components/org-format";
import { fieldElementId, labelParts, parseErrorPath, type FieldError } from "./errors";

/**
 * Moves focus to the field an error belongs to. rjsf gives the input the field's id; radio
 * groups, ratings and file pickers carry it on a wrapper or a first control instead.
 */
export function focusField(elementId: string): void {
  const exact = document.getElementById(elementId);
  const focusable = "input:not([type=hidden]):not([disabled]), textarea, select, button:not([disabled]), [tabindex]:not([tabindex='-1'])";
  const target =
    (exact && exact.matches(focusable) ? exact : null) ??
    exact?.querySelector<HTMLElement>(focusable) ??
    document.querySelector<HTMLElement>(`[id^="${CSS.escape(elementId)}"]:is(input, textarea, select, button)`) ??
    exact;
  if (!target) return;
  target.scrollIntoView({ block: "center" });
  target.focus({ preventScroll: true });
}

interface Props {
  errors: FieldError[];
  schema: unknown;
  idPrefix: string;
}

/** The list of problems at the top of the form; each links to (and focuses) its field. */
export const ErrorSummary = forwardRef<HTMLDivElement, Props>(function ErrorSummary({ errors, schema, idPrefix }, ref) {
  const { t } = useTranslation("forms");
  const { number } = useOrgFormat();
  if (errors.length === 0) return null;
  return (
    <Alert
      ref={ref}
      tabIndex={-1}
      color="red"
      variant="light"
      role="alert"
      data-testid="error-summary"
      // Mantine names the alert by its title (aria-labelledby).
      title={t("fill.summary.title", { count: errors.length, n: number(errors.length) })}
    >
      <List size="sm" spacing={4}>
        {errors.map((error, i) => {
          const path = parseErrorPath(error.path);
          const label = labelParts(schema, path)
            .map((part) => (part.kind === "row" ? t("fill.table.row", { row: number(part.row ?? 0) }) : part.text))
            .join(" › ");
          const id = fieldElementId(idPrefix, path);
          return (
            <List.Item key={`${error.path}-${i}`}>
              {path.length > 0 ? (
                <Anchor
                  href={`#${id}`}
                  c="red.9"
                  td="underline"
                  onClick={(event) => {
                    event.preventDefault();
                    focusField(id);
                  }}
                >
                  {label ? `${label}: ` : ""}
                  {error.message}
                </Anchor>
              ) : (
                <Text size="sm">{error.message}</Text>
              )}
            </List.Item>
          );
        })}
      </List>
    </Alert>
  );
});
