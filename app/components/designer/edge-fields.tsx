import { Alert, Badge, Button, Code, Group, Select, Stack, Switch, Text, Textarea } from "@mantine/core";
import { useDeferredValue, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Edge, WorkflowNode } from "~/engine/definition";
import { checkCondition, evaluateCondition, type FeelResult } from "~/engine/feel";
import { pickLabel } from "~/designer/flow";
import type { TextLang } from "~/designer/store";
import { LocalisedInput } from "./field-editors";

const MONO = { input: { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", textAlign: "left" as const } };

// A connection's properties: its name; on a decision, whether it is the default way or the
// FEEL condition that chooses it (syntax checked as you type, and tried against sample case
// data); on a stage gate, which outcome it follows.

type Change = (patch: Record<string, unknown>, coalesce?: string, lang?: TextLang) => void;

export function EdgeFields({ edge, from, to, readOnly, lang, onChange }: { edge: Edge; from?: WorkflowNode; to?: WorkflowNode; readOnly: boolean; lang: "ar" | "en"; onChange: Change }) {
  const { t } = useTranslation("designer");
  const name = (n?: WorkflowNode) => (n ? pickLabel(n.name, lang) || t(`kinds.${n.kind}`) : "?");
  return (
    <Stack gap="sm" data-testid="edge-fields">
      <Text size="sm">{t("edge.fromTo", { from: name(from), to: name(to) })}</Text>
      <LocalisedInput label={t("fields.edgeName")} value={edge.name} optional readOnly={readOnly} onChange={(v, l) => onChange({ name: v }, `${edge.id}:name:${l}`, l)} testId="field-edge-name" />
      {from?.kind === "decision" ? (
        <>
          <Switch
            label={t("edge.isDefault")}
            description={t("edge.isDefaultHelp")}
            checked={Boolean(edge.isDefault)}
            disabled={readOnly}
            onChange={(e) => onChange(e.currentTarget.checked ? { isDefault: true, condition: undefined } : { isDefault: undefined })}
            data-testid="edge-default"
          />
          {!edge.isDefault ? <ConditionEditor value={edge.condition ?? ""} readOnly={readOnly} onChange={(v) => onChange({ condition: v === "" ? undefined : v }, `${edge.id}:condition`)} /> : null}
        </>
      ) : null}
      {from?.kind === "gate" ? (
        <Select
          size="xs"
          label={t("edge.outcome")}
          data={(["go", "no-go", "rework"] as const).map((o) => ({ value: o, label: t(`edge.outcomes.${o}`) }))}
          value={edge.outcome ?? null}
          readOnly={readOnly}
          clearable
          onChange={(v) => onChange({ outcome: v ?? undefined })}
          data-testid="edge-outcome"
        />
      ) : null}
    </Stack>
  );
}

const SAMPLE_KEY = "masar:designer:sample";

function readSample(): string {
  try {
    return window.sessionStorage.getItem(SAMPLE_KEY) ?? '{\n  "amount": 1500\n}';
  } catch {
    return "{}";
  }
}

/** FEEL editor: syntax check on every keystroke, and a test against sample data (JSON). */
export function ConditionEditor({ value, readOnly, onChange }: { value: string; readOnly: boolean; onChange: (v: string) => void }) {
  const { t } = useTranslation("designer");
  const deferred = useDeferredValue(value);
  const check = useMemo(() => (deferred.trim() ? checkCondition(deferred) : null), [deferred]);
  const [sample, setSample] = useState(readSample);
  const [result, setResult] = useState<FeelResult | { ok: false; error: string; json: true } | null>(null);
  const run = () => {
    try {
      window.sessionStorage.setItem(SAMPLE_KEY, sample);
    } catch {
      /* storage unavailable: the sample only lives in this panel */
    }
    let data: unknown;
    try {
      data = JSON.parse(sample);
    } catch (e) {
      return setResult({ ok: false, error: e instanceof Error ? e.message : String(e), json: true });
    }
    if (!data || typeof data !== "object" || Array.isArray(data)) return setResult({ ok: false, error: t("edge.sampleNotObject"), json: true });
    setResult(evaluateCondition(value, data as Record<string, unknown>));
  };
  return (
    <Stack gap={6}>
      <Textarea
        label={t("edge.condition")}
        description={t("edge.conditionHelp")}
        value={value}
        dir="ltr"
        styles={MONO}
        autosize
        minRows={2}
        maxLength={2000}
        readOnly={readOnly}
        spellCheck={false}
        onChange={(e) => {
          onChange(e.currentTarget.value);
          setResult(null);
        }}
        error={check && !check.ok ? t("edge.syntaxError", { error: check.error }) : undefined}
        data-testid="edge-condition"
      />
      {check?.ok ? (
        <Text size="xs" c="teal.8" role="status" data-testid="condition-ok">
          {t("edge.syntaxOk")}
        </Text>
      ) : null}
      <Textarea label={t("edge.sample")} description={t("edge.sampleHelp")} value={sample} dir="ltr" styles={MONO} autosize minRows={2} maxRows={8} spellCheck={false} onChange={(e) => setSample(e.currentTarget.value)} data-testid="condition-sample" />
      <Group gap="xs">
        <Button size="compact-sm" variant="light" onClick={run} disabled={!value.trim()} data-testid="condition-test">
          {t("edge.test")}
        </Button>
        {result ? (
          result.ok ? (
            <Badge color={result.value ? "teal" : "gray"} variant="filled" tt="none" data-testid="condition-result">
              {result.value ? t("edge.resultTrue") : t("edge.resultFalse")}
            </Badge>
          ) : null
        ) : null}
      </Group>
      {result && !result.ok ? (
        <Alert color="red" p="xs" data-testid="condition-result-error">
          <Text size="xs">{"json" in result ? t("edge.sampleInvalid") : t("edge.resultError")}</Text>
          <Code block dir="ltr">
            {result.error}
          </Code>
        </Alert>
      ) : null}
      {result?.ok && result.warnings.length ? (
        <Text size="xs" c="orange.9" dir="ltr">
          {result.warnings.join("; ")}
        </Text>
      ) : null}
    </Stack>
  );
}
