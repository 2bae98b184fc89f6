import { Alert, Badge, Group, List, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useOrgFormat } from "~/components/org-format";
import type { DefinitionGraph } from "~/engine/definition";
import { PROBLEM_CODES, problemParams, type Problem, type ProblemCode } from "~/engine/problems";

/** A problem from the validator, the migration planner or the migration service. */
export interface AnyProblem {
  code: string;
  severity: "error" | "warning";
  nodeId?: string;
  edgeId?: string;
  laneId?: string;
  params?: Record<string, string | number>;
}

/** One translated sentence per problem, naming nodes, connections and lanes by their names. */
export function useProblemText(graph: Pick<DefinitionGraph, "nodes" | "edges" | "lanes"> | undefined | null) {
  const { t, i18n } = useTranslation("engine");
  const lang = i18n.language === "en" ? "en" : "ar";
  return (p: AnyProblem) => {
    const params = problemParams(p as Problem, graph ?? undefined, lang);
    return (PROBLEM_CODES as readonly string[]).includes(p.code as ProblemCode)
      ? t(`validation.${p.code}`, params)
      : t(`definitions.migrate.problems.${p.code}`, params);
  };
}

export function ProblemList({ problems, graph, title }: { problems: AnyProblem[]; graph: Pick<DefinitionGraph, "nodes" | "edges" | "lanes"> | null; title?: string }) {
  const { t } = useTranslation("engine");
  const text = useProblemText(graph);
  const fmt = useOrgFormat();
  const errors = problems.filter((p) => p.severity === "error").length;
  const warnings = problems.length - errors;
  if (problems.length === 0) {
    return (
      <Alert color="teal" role="status" title={title}>
        {t("definitions.problems.none")}
      </Alert>
    );
  }
  // Errors first: they block publishing.
  const sorted = [...problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
  return (
    <Alert color={errors ? "red" : "yellow"} role={errors ? "alert" : "status"} title={title ?? t("definitions.problems.title")}>
      <Text size="sm" mb="xs">
        {t("definitions.problems.counts", { errors: fmt.number(errors), warnings: fmt.number(warnings) })}
      </Text>
      <List size="sm" spacing={4} data-testid="problem-list">
        {sorted.map((p, i) => (
          <List.Item key={i}>
            <Group gap={6} wrap="nowrap" align="flex-start">
              <Badge size="sm" variant="light" color={p.severity === "error" ? "red" : "yellow"} tt="none" style={{ flexShrink: 0 }}>
                {t(`definitions.problems.${p.severity}`)}
              </Badge>
              <Text size="sm">{text(p)}</Text>
            </Group>
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}
