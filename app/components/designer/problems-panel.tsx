import { Badge, Collapse, Group, ScrollArea, Text, UnstyledButton } from "@mantine/core";
import { memo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useOrgFormat } from "~/components/org-format";
import { useProblemText } from "~/components/workflow-admin/problem-list";
import type { DefinitionGraph } from "~/engine/definition";
import type { Problem } from "~/engine/problems";

// Live validation under the canvas: the engine's problems in the reader's language (the same
// sentences as the definition page), errors first. Choosing one selects what it is about.

export const ProblemsPanel = memo(function ProblemsPanel({ problems, graph, onSelect }: { problems: Problem[]; graph: DefinitionGraph; onSelect: (p: Problem) => void }) {
  const { t } = useTranslation("designer");
  const fmt = useOrgFormat();
  const text = useProblemText(graph);
  const [open, setOpen] = useState(true);
  const errors = problems.filter((p) => p.severity === "error").length;
  const warnings = problems.length - errors;
  const sorted = [...problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
  return (
    <section className="masar-designer__problems" aria-labelledby="problems-title" data-testid="designer-problems">
      <UnstyledButton className="masar-problems__header" onClick={() => setOpen((o) => !o)} aria-expanded={open} aria-controls="problems-list">
        <Group gap="xs" wrap="nowrap">
          <Text fw={600} size="sm" id="problems-title">
            {t("problems.title")}
          </Text>
          {problems.length === 0 ? (
            <Badge color="teal" variant="light" tt="none" data-testid="problems-none">
              {t("problems.none")}
            </Badge>
          ) : (
            <>
              <Badge color="red" variant={errors ? "filled" : "light"} tt="none" data-testid="problems-errors">
                {t("problems.errors", { count: errors, n: fmt.number(errors) })}
              </Badge>
              <Badge color="yellow" variant="light" tt="none">
                {t("problems.warnings", { count: warnings, n: fmt.number(warnings) })}
              </Badge>
            </>
          )}
          <Text size="xs" c="dimmed" ms="auto">
            {open ? t("problems.hide") : t("problems.show")}
          </Text>
        </Group>
      </UnstyledButton>
      {/* The id is on a box that is always there: with reduced motion Collapse unmounts a closed
          list, and aria-controls must not point at nothing. */}
      <div id="problems-list">
        <Collapse in={open && problems.length > 0}>
          <ScrollArea.Autosize mah={150} type="auto">
            <ul className="masar-problems__list" data-testid="designer-problem-list">
              {sorted.map((p, i) => (
                <li key={`${p.code}:${p.nodeId ?? ""}:${p.edgeId ?? ""}:${p.laneId ?? ""}:${i}`}>
                  <UnstyledButton className="masar-problems__item" onClick={() => onSelect(p)} disabled={!p.nodeId && !p.edgeId && !p.laneId} data-severity={p.severity}>
                    <Badge size="xs" color={p.severity === "error" ? "red" : "yellow"} variant="light" tt="none" style={{ flexShrink: 0 }}>
                      {t(`problems.${p.severity}`)}
                    </Badge>
                    <Text size="sm" span>
                      {text(p)}
                    </Text>
                  </UnstyledButton>
                </li>
              ))}
            </ul>
          </ScrollArea.Autosize>
        </Collapse>
      </div>
    </section>
  );
});
