// rjsf templates on top of the Mantine theme: conditional visibility, sections as
// fieldsets, repeating tables as numbered rows with labelled add/move/remove buttons,
// visible errors for sections and tables, and left-to-right entry where it belongs.
import { Box, Button, Fieldset, Group, List, Paper, SimpleGrid, Stack, Text } from "@mantine/core";
import MantineTemplates from "@rjsf/mantine/lib/templates/index.js";
import {
  errorId,
  getUiOptions,
  type ArrayFieldItemTemplateProps,
  type ArrayFieldTemplateProps,
  type BaseInputTemplateProps,
  type FieldErrorProps,
  type FieldTemplateProps,
  type ObjectFieldTemplateProps,
  type TemplatesType,
} from "@rjsf/utils";
import { useTranslation } from "react-i18next";
import { useOrgFormat } from "~/components/org-format";
import { isHiddenIn, rendererContext } from "./context";
import { latinDigits } from "./widgets";

const MantineBaseInput = MantineTemplates.BaseInputTemplate!;

function FieldTemplate(props: FieldTemplateProps) {
  const ctx = rendererContext(props.registry);
  if (isHiddenIn(ctx, props.fieldPathId.path)) return null;
  if (props.hidden) return <div hidden>{props.children}</div>;
  return (
    <div className={props.classNames} style={props.style as React.CSSProperties | undefined} data-field={props.fieldPathId.path.join(".") || undefined}>
      {props.children}
      {props.errors}
      {props.help}
    </div>
  );
}

/** Text the user types left-to-right even in Arabic: addresses, numbers, codes. */
function isLtrField(schema: Record<string, unknown>, type: string | undefined): boolean {
  if (type === "number" || type === "integer" || type === "email" || type === "url" || type === "tel") return true;
  if (["email", "uri", "url", "hostname", "uuid", "ipv4", "ipv6"].includes(String(schema.format ?? ""))) return true;
  return typeof schema.pattern === "string" && /\[0-9|\\d/.test(schema.pattern) && !/\\p\{|[\u0600-\u06ff]|a-z/i.test(schema.pattern);
}

function BaseInputTemplate(props: BaseInputTemplateProps) {
  const schema = props.schema as Record<string, unknown>;
  if (!isLtrField(schema, props.type ?? (schema.type as string | undefined))) return <MantineBaseInput {...props} />;
  // Unknown ui:options reach the Mantine input as props: that is how dir gets there.
  const digitsOnly = typeof schema.pattern === "string";
  return (
    <MantineBaseInput
      {...props}
      options={{ ...props.options, dir: "ltr", inputMode: digitsOnly ? "numeric" : undefined }}
      onChange={(value: unknown) => props.onChange(typeof value === "string" ? latinDigits(value) : value)}
    />
  );
}

function ObjectFieldTemplate(props: ObjectFieldTemplateProps) {
  const ctx = rendererContext(props.registry);
  const path = props.fieldPathId.path;
  const uiOptions = getUiOptions(props.uiSchema);
  const cols = typeof uiOptions.gridCols === "number" ? uiOptions.gridCols : 1;
  const visible = props.properties.filter((p) => !p.hidden && !isHiddenIn(ctx, [...path, p.name]));
  const inRow = typeof path[path.length - 1] === "number";
  const grid = (
    <SimpleGrid cols={{ base: 1, sm: inRow ? Math.min(visible.length, 3) || 1 : cols }} spacing="md" verticalSpacing="md">
      {visible.map((p) => (
        <Box key={p.name} miw={0}>
          {p.content}
        </Box>
      ))}
    </SimpleGrid>
  );
  const description = props.description ? (
    <Text size="sm" c="dimmed" mb="sm" id={`${props.fieldPathId.$id}__description`}>
      {props.description}
    </Text>
  ) : null;
  // The root is the form itself (the page shows its name); a table row has its own header.
  if (path.length === 0 || inRow) {
    return (
      <Stack gap="md" id={props.fieldPathId.$id}>
        {path.length === 0 ? description : null}
        {grid}
      </Stack>
    );
  }
  return (
    <Fieldset id={props.fieldPathId.$id} legend={props.title || undefined} variant="default" radius="md">
      {description}
      {grid}
    </Fieldset>
  );
}

function ArrayFieldTemplate(props: ArrayFieldTemplateProps) {
  const { t } = useTranslation("forms");
  const title = props.title || "";
  return (
    <Fieldset
      id={props.fieldPathId.$id}
      radius="md"
      legend={
        <span>
          {title}
          {props.required ? (
            <Text span c="red.8" aria-hidden>
              {" *"}
            </Text>
          ) : null}
        </span>
      }
    >
      {props.schema.description ? (
        <Text size="sm" c="dimmed" mb="sm">
          {props.schema.description}
        </Text>
      ) : null}
      <Stack gap="sm" role="list" aria-label={title}>
        {props.items.length === 0 ? (
          <Text size="sm" c="dimmed" role="listitem">
            {t("fill.table.empty")}
          </Text>
        ) : (
          props.items
        )}
      </Stack>
      {props.canAdd ? (
        <Group justify="flex-start" mt="sm">
          <Button
            variant="light"
            size="sm"
            onClick={props.onAddClick}
            disabled={props.disabled || props.readonly}
            id={`${props.fieldPathId.$id}__add`}
            aria-label={t("fill.table.addTo", { table: title })}
          >
            {t("fill.table.add")}
          </Button>
        </Group>
      ) : null}
    </Fieldset>
  );
}

function ArrayFieldItemTemplate(props: ArrayFieldItemTemplateProps) {
  const { t } = useTranslation("forms");
  const { number } = useOrgFormat();
  const { buttonsProps: b, index, hasToolbar } = props;
  const row = number(index + 1);
  const locked = props.disabled || props.readonly;
  // A table of plain values (not objects) needs no row header, only the buttons.
  const objectRows = (props.schema as Record<string, unknown>).type === "object";
  const buttons = hasToolbar ? (
    <Group gap={4} wrap="wrap">
      {b.hasMoveUp || b.hasMoveDown ? (
        <>
          <Button size="compact-sm" variant="subtle" disabled={locked || !b.hasMoveUp} onClick={b.onMoveUpItem} aria-label={t("fill.table.moveUpRow", { row })}>
            {t("fill.table.moveUp")}
          </Button>
          <Button size="compact-sm" variant="subtle" disabled={locked || !b.hasMoveDown} onClick={b.onMoveDownItem} aria-label={t("fill.table.moveDownRow", { row })}>
            {t("fill.table.moveDown")}
          </Button>
        </>
      ) : null}
      {b.hasRemove ? (
        <Button size="compact-sm" variant="subtle" color="red" disabled={locked} onClick={b.onRemoveItem} aria-label={t("fill.table.removeRow", { row })}>
          {t("fill.table.remove")}
        </Button>
      ) : null}
    </Group>
  ) : null;
  if (!objectRows) {
    return (
      <Group role="listitem" gap="xs" align="flex-end" wrap="nowrap">
        <Box style={{ flex: 1 }}>{props.children}</Box>
        {buttons}
      </Group>
    );
  }
  return (
    <Paper role="listitem" withBorder radius="md" p="sm" data-testid="table-row">
      <Group justify="space-between" mb="xs" wrap="wrap" gap="xs">
        <Text fw={600} size="sm" id={`${b.fieldPathId.$id}__row`}>
          {t("fill.table.row", { row })}
        </Text>
        {buttons}
      </Group>
      <div role="group" aria-labelledby={`${b.fieldPathId.$id}__row`}>
        {props.children}
      </div>
    </Paper>
  );
}

/**
 * Mantine's inputs show their own errors; sections, tables and choice lists rendered by
 * templates do not, so their errors are shown here (and kept for aria-describedby).
 */
function FieldErrorTemplate(props: FieldErrorProps) {
  const errors = (props.errors ?? []).filter((e) => typeof e === "string" && e !== "");
  if (errors.length === 0) return null;
  const schema = props.schema as Record<string, unknown>;
  const container = (schema.type === "array" || schema.type === "object") && !(props.uiSchema && "ui:widget" in props.uiSchema);
  return (
    <Box id={errorId(props.fieldPathId)} c="red.8" fz="sm" mt={4} display={container ? undefined : "none"}>
      <List size="sm" c="red.8">
        {errors.map((error, i) => (
          <List.Item key={i}>{error as string}</List.Item>
        ))}
      </List>
    </Box>
  );
}

export const templates: Partial<TemplatesType> = {
  ...MantineTemplates,
  FieldTemplate,
  BaseInputTemplate,
  ObjectFieldTemplate,
  ArrayFieldTemplate,
  ArrayFieldItemTemplate,
  FieldErrorTemplate,
};
