import { Group, NativeSelect, NumberInput, Stack, Switch, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { fieldType, normaliseCondition } from "~/forms/fields";
import type { Condition, ConditionOp, FieldNode, Lang } from "~/forms/model";
import { conditionSources } from "~/forms/model-ops";
import { inputDir } from "./dir";
import { fieldName, pick } from "./labels";

interface Props {
  root: FieldNode[];
  node: FieldNode;
  value: Condition | undefined;
  onChange: (next: Condition | undefined) => void;
  /** "visible" = show this field when…, "required" = required only when… */
  kind: "visible" | "required";
}

/** "Show this field when <field> <equals | does not equal | is true> <value>" — no JSON. */
export function ConditionEditor({ root, node, value, onChange, kind }: Props) {
  const { t, i18n } = useTranslation("forms");
  const lang: Lang = i18n.language === "en" ? "en" : "ar";
  const sources = conditionSources(root, node.id);
  const source = value ? sources.find((s) => s.path === value.field) : undefined;
  const values = source ? fieldType(source.node.type).conditionValues : undefined;
  const prefix = `builder.condition.${kind}`;
  const set = (patch: Partial<Condition>) => value && onChange(normaliseCondition({ ...value, ...patch }));
  const firstValue = (s: FieldNode): Condition["value"] => {
    const kindOf = fieldType(s.type).conditionValues;
    if (kindOf === "options") return s.props.options?.[0]?.value ?? "";
    if (kindOf === "number") return 1;
    return "";
  };
  const start = () => {
    const s = sources[0];
    if (!s) return;
    const boolean = fieldType(s.node.type).conditionValues === "boolean";
    onChange(boolean ? { field: s.path, op: "isTrue" } : { field: s.path, op: "equals", value: firstValue(s.node) });
  };
  // Names alone read best; the path tells apart two fields of the same name.
  const names = sources.map((s) => fieldName(s.node, lang));
  const sourceLabel = (s: (typeof sources)[number]) => {
    const name = fieldName(s.node, lang);
    return names.filter((n) => n === name).length > 1 ? `${name} — \u2066${s.path}\u2069` : name;
  };
  const ops: ConditionOp[] = values === "boolean" ? ["isTrue", "equals"] : ["equals", "notEquals"];
  return (
    <Stack gap="xs">
      <Switch
        size="sm"
        label={t(`${prefix}.toggle`)}
        description={sources.length === 0 ? t("builder.condition.noSources") : undefined}
        disabled={sources.length === 0 && !value}
        checked={!!value}
        onChange={(e) => (e.currentTarget.checked ? start() : onChange(undefined))}
        data-testid={`condition-${kind}-toggle`}
      />
      {value ? (
        <Group gap="xs" grow align="flex-start" wrap="wrap">
          <NativeSelect
            size="xs"
            label={t("builder.condition.field")}
            value={value.field}
            error={source ? undefined : t("builder.problems.conditionInvalid")}
            data={[
              ...(source ? [] : [{ value: value.field, label: value.field }]),
              ...sources.map((s) => ({ value: s.path, label: sourceLabel(s) })),
            ]}
            onChange={(e) => {
              const s = sources.find((x) => x.path === e.currentTarget.value);
              if (!s) return;
              const boolean = fieldType(s.node.type).conditionValues === "boolean";
              onChange(boolean ? { field: s.path, op: "isTrue" } : { field: s.path, op: "equals", value: firstValue(s.node) });
            }}
            data-testid={`condition-${kind}-field`}
          />
          <NativeSelect
            size="xs"
            label={t("builder.condition.op")}
            value={value.op === "equals" && values === "boolean" && value.value === false ? "equals" : value.op}
            data={ops.map((op) => ({ value: op, label: t(`builder.condition.ops.${op === "equals" && values === "boolean" ? "isFalse" : op}`) }))}
            onChange={(e) => {
              const op = e.currentTarget.value as ConditionOp;
              if (values === "boolean") onChange(op === "isTrue" ? { field: value.field, op: "isTrue" } : { field: value.field, op: "equals", value: false });
              else set({ op });
            }}
            data-testid={`condition-${kind}-op`}
          />
          {value.op === "isTrue" || values === "boolean" ? null : values === "options" ? (
            <NativeSelect
              size="xs"
              label={t("builder.condition.value")}
              value={String(value.value ?? "")}
              data={(source?.node.props.options ?? []).map((o) => ({ value: o.value, label: pick(o.label, lang) || o.value }))}
              onChange={(e) => set({ value: e.currentTarget.value })}
              data-testid={`condition-${kind}-value`}
            />
          ) : values === "number" ? (
            <NumberInput
              size="xs"
              label={t("builder.condition.value")}
              value={typeof value.value === "number" ? value.value : ""}
              onChange={(v) => set({ value: typeof v === "number" ? v : Number(v) || 0 })}
              data-testid={`condition-${kind}-value`}
            />
          ) : (
            <TextInput
              size="xs"
              {...inputDir(lang === "ar" ? "rtl" : "ltr")}
              label={t("builder.condition.value")}
              value={String(value.value ?? "")}
              onChange={(e) => set({ value: e.currentTarget.value })}
              data-testid={`condition-${kind}-value`}
            />
          )}
        </Group>
      ) : null}
    </Stack>
  );
}
