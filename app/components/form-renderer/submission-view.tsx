// A filled form as read-only text: every visible field's label and value in form order,
// sections as headed groups, repeating tables as real tables, files by name. Used by the
// print view; values are shown in the organisation's calendar, digits and time zone.
import { Box, Table, Text, Title } from "@mantine/core";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { useOrgFormat } from "~/components/org-format";
import { localiseSchema } from "~/forms/localise";
import type { FileInfo } from "./context";
import { intlLocale, type DisplayPrefs } from "~/utils/format";
import { formatCalendarDate, formatInstant } from "./dates";
import type { RenderableVersion } from "./form-renderer";
import { hiddenPaths, isHiddenPath, visibilityRules, type InstancePath } from "./visibility";

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === "object" && v !== null && !Array.isArray(v);

/** Property names of an object schema in the order the form shows them. */
export function orderedKeys(schema: Node, ui: unknown): string[] {
  const names = isNode(schema.properties) ? Object.keys(schema.properties) : [];
  const order = isNode(ui) && Array.isArray(ui["ui:order"]) ? (ui["ui:order"] as unknown[]).filter((n): n is string => typeof n === "string") : [];
  if (order.length === 0) return names;
  const rest = names.filter((n) => !order.includes(n));
  return order.flatMap((n) => (n === "*" ? rest : names.includes(n) ? [n] : [])).concat(order.includes("*") ? [] : rest);
}

const optionTitle = (schema: Node, value: unknown): string | undefined => {
  const options = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : [];
  const match = options.find((o) => isNode(o) && o.const === value) as Node | undefined;
  return match && typeof match.title === "string" ? match.title : undefined;
};

function formatMoney(value: number, currency: string, prefs: DisplayPrefs): string {
  try {
    return new Intl.NumberFormat(intlLocale(prefs), { style: "currency", currency }).format(value);
  } catch {
    return `${new Intl.NumberFormat(intlLocale(prefs)).format(value)} ${currency}`;
  }
}

interface ViewProps {
  version: RenderableVersion;
  locale: "ar" | "en";
  data: Record<string, unknown>;
  files: Record<string, FileInfo>;
}

export function SubmissionView({ version, locale, data, files }: ViewProps) {
  const { schema, uiSchema } = localiseSchema({ schema: version.schema, uiSchema: version.uiSchema, translations: version.translations ?? undefined }, locale);
  const hidden = hiddenPaths(visibilityRules(uiSchema), data);
  return <ObjectView schema={schema} ui={uiSchema} value={data} path={[]} hidden={hidden} files={files} level={2} />;
}

interface NodeProps {
  schema: Node;
  ui: unknown;
  value: unknown;
  path: InstancePath;
  hidden: Set<string>;
  files: Record<string, FileInfo>;
  level: number;
}

function ObjectView({ schema, ui, value, path, hidden, files, level }: NodeProps) {
  const keys = orderedKeys(schema, ui).filter((k) => !isHiddenPath(hidden, [...path, k]));
  const props = isNode(schema.properties) ? schema.properties : {};
  const obj = isNode(value) ? value : {};
  // Runs of plain fields become one definition list; sections and tables stand between them.
  const blocks: React.ReactNode[] = [];
  let run: React.ReactNode[] = [];
  const endRun = () => {
    if (run.length > 0) blocks.push(<dl key={`dl-${blocks.length}`} className="masar-print-fields">{run}</dl>);
    run = [];
  };
  for (const key of keys) {
    const child = isNode(props[key]) ? (props[key] as Node) : {};
    const childUi = isNode(ui) ? ui[key] : undefined;
    const title = typeof child.title === "string" && child.title ? child.title : key;
    const childPath = [...path, key];
    const isTable = child.type === "array" && isNode(child.items) && child.items.type === "object";
    if (child.type === "object" || isTable) {
      endRun();
      blocks.push(
        <Box key={key} component="section" className="masar-print-section" mt="md">
          <Title order={level as 2 | 3 | 4} size="h4" mb="xs">
            {title}
          </Title>
          {isTable ? (
            <TableView schema={child.items as Node} ui={isNode(childUi) ? childUi.items : undefined} value={obj[key]} path={childPath} hidden={hidden} files={files} />
          ) : (
            <ObjectView schema={child} ui={childUi} value={obj[key]} path={childPath} hidden={hidden} files={files} level={Math.min(level + 1, 4)} />
          )}
        </Box>,
      );
      continue;
    }
    run.push(
      <Fragment key={key}>
        <Text component="dt" fw={600} size="sm">
          {title}
        </Text>
        <Text component="dd" size="sm" data-testid={`value-${childPath.join(".")}`}>
          <Value schema={child} ui={childUi} value={obj[key]} files={files} />
        </Text>
      </Fragment>,
    );
  }
  endRun();
  return <>{blocks}</>;
}

function TableView({ schema, ui, value, path, hidden, files }: Omit<NodeProps, "level">) {
  const { t } = useTranslation("forms");
  const { number } = useOrgFormat();
  const rows = Array.isArray(value) ? value : [];
  const columns = orderedKeys(schema, ui);
  const props = isNode(schema.properties) ? schema.properties : {};
  if (rows.length === 0) return <Text size="sm" c="dimmed">{t("fill.print.noRows")}</Text>;
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table withTableBorder withColumnBorders className="masar-print-table" verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">#</Table.Th>
            {columns.map((c) => {
              const col = isNode(props[c]) ? (props[c] as Node) : {};
              return (
                <Table.Th key={c} scope="col">
                  {typeof col.title === "string" && col.title ? col.title : c}
                </Table.Th>
              );
            })}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row, i) => (
            <Table.Tr key={i}>
              <Table.Td>{number(i + 1)}</Table.Td>
              {columns.map((c) => (
                <Table.Td key={c}>
                  {isHiddenPath(hidden, [...path, i, c]) ? "" : (
                    <Value schema={isNode(props[c]) ? (props[c] as Node) : {}} ui={isNode(ui) ? ui[c] : undefined} value={isNode(row) ? row[c] : undefined} files={files} />
                  )}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Value({ schema, ui, value, files }: { schema: Node; ui: unknown; value: unknown; files: Record<string, FileInfo> }) {
  const { t } = useTranslation("forms");
  const list = (items: string[]) => items.join(t("fill.separator"));
  const fmt = useOrgFormat();
  const widget = isNode(ui) ? ui["ui:widget"] : undefined;
  const empty = <span className="masar-print-empty">—</span>;
  if (value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0)) return empty;
  const fileName = (id: unknown) => (typeof id === "string" ? (files[id]?.filename ?? t("fill.print.fileUnavailable")) : "");
  // File names read left to right (the extension last), even Arabic ones.
  const names = (ids: unknown[]) =>
    ids.map((id, i) => (
      <Fragment key={i}>
        {i > 0 ? t("fill.separator") : null}
        <bdi dir="ltr">{fileName(id)}</bdi>
      </Fragment>
    ));
  if (widget === "masarFile") return <>{names([value])}</>;
  if (widget === "masarFiles" && Array.isArray(value)) return <>{names(value)}</>;
  if (typeof value === "boolean") {
    if (widget === "acknowledgement") return <>{value ? t("fill.print.confirmed") : t("fill.print.notConfirmed")}</>;
    return <>{value ? t("fill.widgets.yes") : t("fill.widgets.no")}</>;
  }
  if (Array.isArray(value)) {
    const items = isNode(schema.items) ? schema.items : {};
    return <>{list(value.map((v) => optionTitle(items, v) ?? String(v)))}</>;
  }
  if (typeof value === "number") {
    if (widget === "rating") return <>{t("fill.widgets.ratingOf", { value: fmt.number(value), max: fmt.number(typeof schema.maximum === "number" ? schema.maximum : 5) })}</>;
    const currency = typeof schema["x-masar-currency"] === "string" ? schema["x-masar-currency"] : undefined;
    return <bdi>{currency ? formatMoney(value, currency, fmt.prefs) : fmt.number(value)}</bdi>;
  }
  if (typeof value === "string") {
    const option = optionTitle(schema, value);
    if (option) return <>{option}</>;
    if (schema.format === "date") return <>{formatCalendarDate(value, fmt.prefs) ?? value}</>;
    if (schema.format === "date-time") return <>{formatInstant(value, fmt.prefs) ?? value}</>;
    const ltr = schema.format === "email" || widget === "phone" || typeof schema.pattern === "string";
    return <span dir={ltr ? "ltr" : undefined} style={{ whiteSpace: "pre-wrap" }}>{value}</span>;
  }
  return <>{JSON.stringify(value)}</>;
}
