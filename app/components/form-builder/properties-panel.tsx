import { Alert, Checkbox, Code, Divider, List, NativeSelect, Stack, Text, TextInput, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { fieldType } from "~/forms/fields";
import type { Condition, FieldNode, FieldProps, Lang } from "~/forms/model";
import { canContain, locate } from "~/forms/model-ops";
import { walkFields } from "~/forms/model";
import { ConditionEditor } from "./condition-editor";
import { inputDir } from "./dir";
import { ErrorMessages } from "./error-messages";
import { fieldName } from "./labels";
import { TextsInput } from "./texts-input";
import { TypeSettings } from "./type-settings";

const WITH_PLACEHOLDER = new Set(["shortText", "longText", "number", "integer", "currency", "email", "phone", "nationalId"]);

export interface PanelProblem {
  text: string;
  severity: "error" | "warning";
  /** Shown under the key input as well. */
  aboutKey?: boolean;
}

interface Props {
  root: FieldNode[];
  node: FieldNode;
  problems: PanelProblem[];
  /** Changes the field; `coalesce` groups keystrokes in one undo step. */
  patch: (fn: (n: FieldNode) => FieldNode, coalesce?: string) => void;
  moveTo: (parentId: string | null) => void;
}

export function PropertiesPanel({ root, node, problems, patch, moveTo }: Props) {
  const { t, i18n } = useTranslation("forms");
  const lang: Lang = i18n.language === "en" ? "en" : "ar";
  const def = fieldType(node.type);
  const here = locate(root, node.id);
  const keyProblem = problems.find((p) => p.aboutKey);
  const setProps = (p: Partial<FieldProps>, coalesce?: string) => patch((n) => ({ ...n, props: { ...n.props, ...p } }), coalesce && `${node.id}:${coalesce}`);
  const setRequired = (required: boolean | Condition) => patch((n) => ({ ...n, required }));
  const places: { value: string; label: string }[] = [{ value: "", label: t("builder.properties.topLevel") }];
  walkFields(root, (n, path, parents) => {
    const inside = n.id === node.id || parents.some((p) => p.id === node.id);
    if (n.children && !inside && canContain(n, node.type)) places.push({ value: n.id, label: `${fieldName(n, lang)} (${path})` });
  });
  return (
    <Stack gap="sm" component="section" aria-labelledby="properties-title" data-testid="properties-panel">
      <div>
        <Title order={2} size="h5" id="properties-title">
          {t("builder.properties.title", { name: fieldName(node, lang) })}
        </Title>
        <Text size="xs" c="dimmed">
          {t(def.labelKey)}
        </Text>
      </div>
      {problems.length ? (
        <Alert color={problems.some((p) => p.severity === "error") ? "red" : "yellow"} p="xs" role="status">
          <List size="xs">
            {problems.map((p, i) => (
              <List.Item key={i}>{p.text}</List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
      <TextsInput label={t("builder.properties.label")} value={node.label} onChange={(label, l) => patch((n) => ({ ...n, label }), `${node.id}:label:${l}`)} testId="field-label" />
      <TextsInput label={t("builder.properties.description")} multiline value={node.description} onChange={(description, l) => patch((n) => ({ ...n, description }), `${node.id}:description:${l}`)} />
      {WITH_PLACEHOLDER.has(node.type) ? (
        <TextsInput label={t("builder.properties.placeholder")} value={node.placeholder} onChange={(placeholder, l) => patch((n) => ({ ...n, placeholder }), `${node.id}:placeholder:${l}`)} />
      ) : null}
      <TextInput
        size="xs"
        label={t("builder.properties.key")}
        description={t("builder.properties.keyHelp")}
        {...inputDir("ltr", true)}
        value={node.key}
        error={keyProblem?.text}
        onChange={(e) => {
          const key = e.currentTarget.value.replace(/\s+/g, "");
          patch((n) => ({ ...n, key }), `${node.id}:key`);
        }}
        data-testid="field-key"
      />
      <NativeSelect size="xs" label={t("builder.properties.place")} value={here?.parent?.id ?? ""} data={places} onChange={(e) => moveTo(e.currentTarget.value || null)} />
      <Divider label={t("builder.properties.rules")} labelPosition="left" />
      {node.type !== "computed" ? (
        <Checkbox
          size="sm"
          label={node.visibleWhen ? t("builder.properties.requiredWhenShown") : t("builder.properties.required")}
          checked={node.required === true}
          onChange={(e) => setRequired(e.currentTarget.checked)}
          data-testid="field-required"
        />
      ) : null}
      {node.type !== "computed" && node.required !== true ? (
        <ConditionEditor kind="required" root={root} node={node} value={typeof node.required === "object" ? node.required : undefined} onChange={(c) => setRequired(c ?? false)} />
      ) : null}
      <ConditionEditor kind="visible" root={root} node={node} value={node.visibleWhen} onChange={(c) => patch((n) => withVisible(n, c))} />
      <TypeSettings node={node} onChange={setProps} />
      <ErrorMessages
        node={node}
        onChange={(kw, texts) =>
          patch((n) => {
            const errors = { ...n.errors };
            if (texts) errors[kw] = texts;
            else delete errors[kw];
            return { ...n, errors };
          }, `${node.id}:error:${kw}`)
        }
      />
      {node.extra ? <KeptSettings node={node} /> : null}
    </Stack>
  );
}

function withVisible(n: FieldNode, c: Condition | undefined): FieldNode {
  const next = { ...n };
  if (c) next.visibleWhen = c;
  else delete next.visibleWhen;
  return next;
}

/** What an imported field carries that the builder does not edit (kept as it is; edit it in the JSON view). */
function KeptSettings({ node }: { node: FieldNode }) {
  const { t } = useTranslation("forms");
  const keys = [...Object.keys(node.extra?.schema ?? {}), ...Object.keys(node.extra?.ui ?? {}), ...Object.keys(node.extra?.items ?? {})];
  return (
    <Alert color="gray" p="xs" title={t(node.type === "raw" ? "builder.properties.rawTitle" : "builder.properties.keptTitle")}>
      <Text size="xs">{t(node.type === "raw" ? "builder.properties.rawHelp" : "builder.properties.keptHelp")}</Text>
      <Code block dir="ltr" mt={4} style={{ maxHeight: 160, overflow: "auto" }}>
        {node.type === "raw" ? JSON.stringify(node.extra, null, 1) : keys.join(", ")}
      </Code>
    </Alert>
  );
}
