import { Alert, Badge, Button, Card, Code, Group, List, Stack, Switch, Text, Textarea, Title } from "@mantine/core";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { DefinitionGraph, Edge, Localised, WorkflowNode } from "~/engine/definition";
import type { CaseData } from "~/engine/runtime-types";
import { act, runHighlight, startTestRun, waitingSteps, type StepAction, type TestRun, type TestRunEvent, type WaitingStep } from "~/designer/test-run";

// The designer's "try before publishing" panel: runs the draft in the browser with the
// engine's runtime (app/designer/test-run.ts) — no case, no tasks, nothing saved. The person
// gives sample data, plays each waiting step and watches the path light up on the canvas
// through onHighlight.

export type RunHighlight = { visited: Set<string>; current: Set<string>; edges: Set<string> };

function parseData(text: string): { ok: true; data: CaseData } | { ok: false } {
  if (text.trim() === "") return { ok: true, data: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return { ok: true, data: value as CaseData };
  } catch {
    /* reported below */
  }
  return { ok: false };
}

export function TestRunPanel({ graph, onHighlight }: { graph: DefinitionGraph; onHighlight: (h: RunHighlight | null) => void }) {
  const { t, i18n } = useTranslation("diagram");
  const en = i18n.language === "en";
  const [dataText, setDataText] = useState("{}");
  const [pause, setPause] = useState(true);
  const [run, setRun] = useState<TestRun | null>(null);
  const parsed = parseData(dataText);
  const label = (l: Localised | undefined) => (l ? (en ? l.en || l.ar : l.ar || l.en) : "");
  const nodeName = (id: string) => {
    const n = (run?.graph ?? graph).nodes.find((x) => x.id === id);
    return n ? label(n.name) || t(`kind.${n.kind}`) : id;
  };

  useEffect(() => {
    onHighlight(run ? runHighlight(run) : null);
  }, [run, onHighlight]);
  // Leaving the panel takes the lights off the canvas.
  useEffect(() => () => onHighlight(null), [onHighlight]);

  const start = () => {
    if (!parsed.ok) return;
    setRun(startTestRun(graph, parsed.data, { pauseAtDecisions: pause }));
  };
  const waiting = run ? waitingSteps(run) : [];
  const status = run ? (run.state.status === "completed" ? "completed" : run.state.status === "incident" || run.log.at(-1)?.type === "refused" ? "incident" : "running") : null;

  return (
    <Stack gap="sm" data-testid="test-run-panel">
      <Title order={2} size="h4">
        {t("run.title")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("run.intro")}
      </Text>
      <Textarea
        label={t("run.data")}
        description={t("run.dataHelp")}
        value={dataText}
        onChange={(e) => setDataText(e.currentTarget.value)}
        error={parsed.ok ? undefined : t("run.dataInvalid")}
        autosize
        minRows={3}
        maxRows={10}
        dir="ltr"
        styles={{ input: { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", fontSize: 13, textAlign: "left" } }}
      />
      <Switch label={t("run.pause")} description={t("run.pauseHelp")} checked={pause} onChange={(e) => setPause(e.currentTarget.checked)} />
      <Group gap="xs">
        <Button onClick={start} disabled={!parsed.ok} data-testid="test-run-start">
          {run ? t("run.restart") : t("run.start")}
        </Button>
        {run ? (
          <Button variant="default" onClick={() => setRun(null)}>
            {t("run.stop")}
          </Button>
        ) : null}
        {status ? (
          <Badge color={status === "completed" ? "teal" : status === "incident" ? "red" : "blue"} variant="light" tt="none" data-testid="test-run-status">
            {t(`run.status.${status}`)}
          </Badge>
        ) : null}
      </Group>
      {run && run.graph !== graph ? (
        <Alert color="yellow" p="xs">
          {t("run.stale")}
        </Alert>
      ) : null}

      {run
        ? waiting.map((w) => (
            <WaitingCard key={w.tokenId} step={w} nodeName={nodeName} label={label} onAct={(a) => setRun(act(run, w.tokenId, a))} />
          ))
        : null}

      {run ? (
        <>
          <Title order={3} size="h5">
            {t("run.path")}
          </Title>
          <List type="ordered" size="sm" spacing={2} data-testid="test-run-log">
            {run.log.map((e, i) => (
              <List.Item key={i}>{describe(e, t, nodeName, run.graph)}</List.Item>
            ))}
          </List>
          <Text size="sm" fw={600}>
            {t("run.currentData")}
          </Text>
          <Code block dir="ltr" style={{ textAlign: "left" }}>
            {JSON.stringify(run.data, null, 2)}
          </Code>
        </>
      ) : null}
    </Stack>
  );
}

type T = (key: string, params?: Record<string, unknown>) => string;

function describe(e: TestRunEvent, t: T, name: (id: string) => string, graph: DefinitionGraph): string {
  switch (e.type) {
    case "started":
      return t("run.log.started", { node: name(e.nodeId) });
    case "moved":
      return t("run.log.moved", { from: name(e.from), to: name(e.to) });
    case "waiting":
      return t("run.log.waiting", { node: name(e.nodeId) });
    case "done": {
      const edge = e.edgeId ? graph.edges.find((x) => x.id === e.edgeId) : undefined;
      return t(`run.log.done.${e.how}`, { node: name(e.nodeId), to: edge ? name(edge.target) : "" });
    }
    case "incident":
      return t("run.log.incident", { node: name(e.nodeId), reason: t(`run.incident.${e.reason}`), detail: e.detail });
    case "finished":
      return t("run.log.finished");
    case "refused":
      return t("run.log.refused", { detail: e.detail });
  }
}

function WaitingCard({ step, nodeName, label, onAct }: { step: WaitingStep; nodeName: (id: string) => string; label: (l: Localised | undefined) => string; onAct: (a: StepAction) => void }) {
  const { t } = useTranslation("diagram");
  const [stepText, setStepText] = useState("");
  const stepData = parseData(stepText);
  const data = stepData.ok && Object.keys(stepData.data).length ? stepData.data : undefined;
  const node: WorkflowNode = step.node;
  const edgeText = (e: Edge) => label(e.name) || (e.isDefault ? t("run.defaultEdge", { to: nodeName(e.target) }) : t("run.toNode", { to: nodeName(e.target) }));
  const outcomes = useMemo(() => step.edges.map((e) => e.outcome).filter((o): o is "go" | "no-go" | "rework" => Boolean(o)), [step.edges]);
  const can = (a: StepAction["type"]) => step.actions.includes(a);
  return (
    <Card withBorder padding="sm" data-testid="test-run-waiting" data-node-id={node.id}>
      <Stack gap="xs">
        <Group justify="space-between" gap="xs">
          <Text fw={600}>{nodeName(node.id)}</Text>
          <Badge variant="light" tt="none" color={step.status === "incident" ? "red" : "blue"}>
            {step.status === "incident" ? t("run.stuck") : t(`kind.${node.kind}`)}
          </Badge>
        </Group>
        {step.incident ? (
          <Alert color="red" p="xs" title={t(`run.incident.${step.incident.reason}`)}>
            <Text size="xs" dir="ltr" style={{ textAlign: "left", whiteSpace: "pre-wrap" }}>
              {step.incident.detail}
            </Text>
          </Alert>
        ) : null}
        {node.kind === "decision" && step.status === "active" ? <Text size="sm">{t("run.decide")}</Text> : null}
        <Textarea
          size="xs"
          label={t("run.stepData")}
          placeholder='{"approved": true}'
          value={stepText}
          onChange={(e) => setStepText(e.currentTarget.value)}
          error={stepData.ok ? undefined : t("run.dataInvalid")}
          autosize
          minRows={1}
          dir="ltr"
          styles={{ input: { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", textAlign: "left" } }}
        />
        <Group gap="xs">
          {can("complete") ? (
            <Button size="compact-sm" disabled={!stepData.ok} onClick={() => onAct({ type: "complete", data })}>
              {node.kind === "task" ? t("run.complete") : t("run.skip")}
            </Button>
          ) : null}
          {can("gate")
            ? outcomes.map((o) => (
                <Button key={o} size="compact-sm" variant={o === "go" ? "filled" : "default"} disabled={!stepData.ok} onClick={() => onAct({ type: "gate", outcome: o, data })}>
                  {t(`outcome.${o}`)}
                </Button>
              ))
            : null}
          {can("conditions") ? (
            <Button size="compact-sm" disabled={!stepData.ok} onClick={() => onAct({ type: "conditions", data })}>
              {t("run.conditions")}
            </Button>
          ) : null}
          {can("choose")
            ? step.edges.map((e) => (
                <Button key={e.id} size="compact-sm" variant="default" disabled={!stepData.ok} onClick={() => onAct({ type: "choose", edgeId: e.id, data })}>
                  {edgeText(e)}
                </Button>
              ))
            : null}
          {can("retry") ? (
            <Button size="compact-sm" variant="default" disabled={!stepData.ok} onClick={() => onAct({ type: "retry", data })}>
              {t("run.retry")}
            </Button>
          ) : null}
        </Group>
      </Stack>
    </Card>
  );
}
