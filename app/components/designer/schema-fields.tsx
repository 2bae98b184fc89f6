import { Anchor, Group, MultiSelect, NumberInput, Select, Stack, Switch, Text, Textarea, TextInput } from "@mantine/core";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { Lane, Localised, WorkflowNode } from "~/engine/definition";
import { localiseSchema } from "~/forms/localise";
import { pickLabel } from "~/designer/flow";
import { schemaFor, type KindSchema, type PaletteActionKind, type PropertySchema } from "~/designer/kind-schemas";
import type { TextLang } from "~/designer/store";
import { DurationInput, ItemsEditor, LocalisedInput, type ListItem } from "./field-editors";

const MONO = { input: { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", textAlign: "left" as const } };

// A node's properties, drawn from its kind's JSON Schema (kind-schemas.ts). Core properties
// name a special editor with "x-widget"; anything else (a plugin kind's config) is drawn from
// its JSON type: text, number, yes/no, a choice from `enum`, nested objects as groups. So a
// plugin node kind gets a working panel without any designer code of its own.

export interface Named {
  key: string;
  name_ar: string;
  name_en: string;
}

export interface PanelContext {
  lang: "ar" | "en";
  readOnly: boolean;
  lanes: readonly Lane[];
  roles: readonly Named[];
  forms: readonly (Named & { published: boolean })[];
  definitions: readonly Named[];
  actionKinds: readonly PaletteActionKind[];
  formsHref: string;
  canCreateForm: boolean;
}

type Change = (patch: Record<string, unknown>, coalesce?: string, lang?: TextLang) => void;

const named = (n: Named, lang: "ar" | "en") => (lang === "en" ? n.name_en || n.name_ar : n.name_ar || n.name_en) || n.key;

export function NodeFields({ node, ctx, onChange }: { node: WorkflowNode; ctx: PanelContext; onChange: Change }) {
  const { t } = useTranslation("designer");
  const schema: KindSchema = useMemo(() => schemaFor(node, ctx.actionKinds), [node, ctx.actionKinds]);
  const value = node as unknown as Record<string, unknown>;
  const required = new Set(schema.required ?? []);
  return (
    <Stack gap="sm" data-testid="node-fields">
      {Object.entries(schema.properties).map(([prop, ps]) => {
        const label = ps["x-label"] ? t(`fields.${ps["x-label"]}`) : (ps.title ?? prop);
        const description = ps["x-help"] ? t(`fields.${ps["x-label"]}Help`) : ps.description;
        const key = `${node.id}:${prop}`;
        return (
          <Field
            key={prop}
            prop={prop}
            schema={ps}
            label={label}
            description={description}
            required={required.has(prop)}
            value={value[prop]}
            node={node}
            ctx={ctx}
            onChange={(v, lang) => onChange({ [prop]: v }, lang ? `${key}:${lang}` : key, lang)}
          />
        );
      })}
    </Stack>
  );
}

interface FieldProps {
  prop: string;
  schema: PropertySchema;
  label: string;
  description?: string;
  required: boolean;
  value: unknown;
  node: WorkflowNode;
  ctx: PanelContext;
  onChange: (v: unknown, lang?: TextLang) => void;
}

function Field({ prop, schema, label, description, required, value, node, ctx, onChange }: FieldProps) {
  const { t } = useTranslation("designer");
  const ro = ctx.readOnly;
  switch (schema["x-widget"]) {
    case "localised":
    case "localisedText":
      return (
        <LocalisedInput
          label={label}
          description={description}
          value={value as Localised | undefined}
          multiline={schema["x-widget"] === "localisedText"}
          optional={prop !== "name"}
          readOnly={ro}
          onChange={(v, lang) => onChange(v ?? (prop === "name" ? { ar: "", en: "" } : undefined), lang)}
          testId={`field-${prop}`}
        />
      );
    case "lane":
      return (
        <Select
          size="xs"
          label={label}
          data={ctx.lanes.map((l) => ({ value: l.id, label: pickLabel(l.name, ctx.lang) || l.id }))}
          value={(value as string | undefined) ?? null}
          placeholder={t("fields.noLane")}
          clearable
          readOnly={ro}
          onChange={(v) => onChange(v ?? undefined)}
          data-testid="field-lane"
        />
      );
    case "form": {
      const current = value as string | undefined;
      const data = ctx.forms.map((f) => ({ value: f.key, label: f.published ? named(f, ctx.lang) : t("fields.formUnpublished", { name: named(f, ctx.lang) }) }));
      if (current && !ctx.forms.some((f) => f.key === current)) data.push({ value: current, label: t("fields.formMissing", { key: current }) });
      return (
        <Stack gap={2}>
          <Select size="xs" label={label} description={description} data={data} value={current ?? null} placeholder={t("fields.noForm")} clearable searchable readOnly={ro} onChange={(v) => onChange(v ?? undefined)} data-testid="field-form" nothingFoundMessage={t("fields.nothingFound")} />
          {ctx.canCreateForm && !ro ? (
            <Anchor href={ctx.formsHref} target="_blank" rel="noopener" size="xs">
              {t("fields.createForm")}
            </Anchor>
          ) : null}
        </Stack>
      );
    }
    case "forms":
      return (
        <MultiSelect
          size="xs"
          label={label}
          data={ctx.forms.map((f) => ({ value: f.key, label: named(f, ctx.lang) }))}
          value={(value as string[] | undefined) ?? []}
          readOnly={ro}
          searchable
          onChange={(v) => onChange(v)}
        />
      );
    case "role": {
      const current = value as string;
      const data = ctx.roles.map((r) => ({ value: r.key, label: named(r, ctx.lang) }));
      if (current && !ctx.roles.some((r) => r.key === current)) data.push({ value: current, label: t("fields.roleMissing", { key: current }) });
      return <Select size="xs" label={label} description={description} data={data} value={current} allowDeselect={false} readOnly={ro} onChange={(v) => v && onChange(v)} data-testid="field-role" />;
    }
    case "definition": {
      const current = value as string;
      const data = ctx.definitions.map((d) => ({ value: d.key, label: named(d, ctx.lang) }));
      if (current && !ctx.definitions.some((d) => d.key === current)) data.push({ value: current, label: t("fields.definitionMissing", { key: current }) });
      return <Select size="xs" label={label} data={data} value={current} allowDeselect={false} searchable readOnly={ro} onChange={(v) => v && onChange(v)} />;
    }
    case "minutes":
      return (
        <NumberInput
          size="xs"
          label={label}
          description={description}
          min={0}
          max={schema.maximum}
          allowDecimal={false}
          value={typeof value === "number" ? value : ""}
          readOnly={ro}
          onChange={(v) => onChange(v === "" ? undefined : Math.max(0, Math.min(schema.maximum ?? Infinity, Math.floor(Number(v)))))}
          data-testid={`field-${prop}`}
        />
      );
    case "isoDuration":
      return <DurationInput label={label} description={description} value={value as string | undefined} required={required} readOnly={ro} onChange={onChange} />;
    case "checklist":
    case "documents":
      return (
        <ItemsEditor
          label={label}
          items={(value as ListItem[] | undefined) ?? []}
          withRequired={schema["x-widget"] === "checklist"}
          readOnly={ro}
          idPrefix={`${node.id}_${schema["x-widget"] === "checklist" ? "check" : "doc"}`}
          onChange={onChange}
        />
      );
    case "pluginConfig":
      return <PluginConfig node={node} label={label} ctx={ctx} value={(value as Record<string, unknown>) ?? {}} onChange={onChange} />;
    default:
      return <PlainField label={label} description={description} schema={schema} value={value} readOnly={ro} enumLabel={(v) => t(`fields.enum.${prop}.${v}`, { defaultValue: String(v) })} onChange={onChange} />;
  }
}

function PluginConfig({ node, label, ctx, value, onChange }: { node: WorkflowNode; label: string; ctx: PanelContext; value: Record<string, unknown>; onChange: (v: unknown) => void }) {
  const { t } = useTranslation("designer");
  const kind = node.kind === "action" ? ctx.actionKinds.find((k) => k.actionType === node.actionType) : undefined;
  const schema = useMemo(
    () => (kind ? (localiseSchema({ schema: kind.configSchema, translations: kind.configTranslations }, ctx.lang).schema as PropertySchema) : undefined),
    [kind, ctx.lang],
  );
  const about = kind ? pickLabel(kind.description, ctx.lang) : "";
  const empty = !schema?.properties || Object.keys(schema.properties).length === 0;
  return (
    <Stack gap="xs" className="masar-config" role="group" aria-label={label}>
      <Text size="sm" fw={600}>
        {label}
      </Text>
      {about ? (
        <Text size="xs" c="dimmed" data-testid="action-description">
          {about}
        </Text>
      ) : null}
      {empty ? (
        <Text size="xs" c="dimmed">
          {kind ? t("fields.configNone") : t("fields.configUnknown", { type: node.kind === "action" ? node.actionType : "" })}
        </Text>
      ) : (
        <ObjectFields schema={schema!} value={value} readOnly={ctx.readOnly} onChange={onChange} />
      )}
    </Stack>
  );
}

/** Properties of a plain JSON Schema object (a plugin's config), recursively. */
function ObjectFields({ schema, value, readOnly, onChange }: { schema: PropertySchema; value: Record<string, unknown>; readOnly: boolean; onChange: (v: Record<string, unknown>) => void }) {
  const required = new Set(schema.required ?? []);
  return (
    <Stack gap="xs">
      {Object.entries(schema.properties ?? {}).map(([prop, ps]) => {
        const set = (v: unknown) => {
          const next = { ...value, [prop]: v };
          if (v === undefined) delete next[prop];
          onChange(next);
        };
        const label = `${ps.title ?? prop}${required.has(prop) ? " *" : ""}`;
        if (ps.type === "object" && ps.properties) {
          return (
            <Stack key={prop} gap={4} className="masar-config__group" role="group" aria-label={ps.title ?? prop}>
              <Text size="xs" fw={600}>
                {ps.title ?? prop}
              </Text>
              <ObjectFields schema={ps} value={(value[prop] as Record<string, unknown>) ?? {}} readOnly={readOnly} onChange={set} />
            </Stack>
          );
        }
        return <PlainField key={prop} label={label} description={ps.description} schema={ps} value={value[prop]} readOnly={readOnly} enumLabel={(v) => String(v)} onChange={set} />;
      })}
    </Stack>
  );
}

function PlainField({ label, description, schema, value, readOnly, enumLabel, onChange }: { label: string; description?: string; schema: PropertySchema; value: unknown; readOnly: boolean; enumLabel: (v: string | number) => string; onChange: (v: unknown) => void }) {
  if (schema.enum) {
    const options = schema.enum.map((v) => ({ value: String(v), label: enumLabel(v) }));
    return (
      <Select
        size="xs"
        label={label}
        description={description}
        data={options}
        value={value === undefined ? null : String(value)}
        clearable
        readOnly={readOnly}
        onChange={(v) => onChange(v === null ? undefined : (schema.enum!.find((e) => String(e) === v) ?? v))}
      />
    );
  }
  switch (schema.type) {
    case "boolean":
      return <Switch size="sm" label={label} description={description} checked={value === true} disabled={readOnly} onChange={(e) => onChange(e.currentTarget.checked || undefined)} />;
    case "integer":
    case "number":
      return (
        <NumberInput
          size="xs"
          label={label}
          description={description}
          min={schema.minimum}
          max={schema.maximum}
          allowDecimal={schema.type === "number"}
          value={typeof value === "number" ? value : ""}
          readOnly={readOnly}
          onChange={(v) => onChange(v === "" ? undefined : Number(v))}
        />
      );
    case "array":
    case "object":
      // Shapes the panel has no editor for are edited as JSON, so nothing is out of reach.
      return <JsonField label={label} description={description} value={value} readOnly={readOnly} onChange={onChange} />;
    default: {
      const Input = (schema.maxLength ?? 0) > 200 ? Textarea : TextInput;
      return <Input size="xs" label={label} description={description} value={typeof value === "string" ? value : ""} maxLength={schema.maxLength} readOnly={readOnly} onChange={(e) => onChange(e.currentTarget.value === "" ? undefined : e.currentTarget.value)} />;
    }
  }
}

function JsonField({ label, description, value, readOnly, onChange }: { label: string; description?: string; value: unknown; readOnly: boolean; onChange: (v: unknown) => void }) {
  const { t } = useTranslation("designer");
  return (
    <Group grow>
      <Textarea
        size="xs"
        label={label}
        description={description ?? t("fields.jsonHelp")}
        dir="ltr"
        styles={MONO}
        autosize
        minRows={2}
        defaultValue={value === undefined ? "" : JSON.stringify(value, null, 2)}
        readOnly={readOnly}
        onBlur={(e) => {
          const text = e.currentTarget.value.trim();
          if (!text) return onChange(undefined);
          try {
            onChange(JSON.parse(text));
          } catch {
            /* kept as typed until it is valid JSON */
          }
        }}
      />
    </Group>
  );
}
