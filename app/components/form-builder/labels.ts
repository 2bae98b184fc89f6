import type { TFunction } from "i18next";
import type { Condition, FieldNode, Lang, Texts } from "~/forms/model";
import { locate } from "~/forms/model-ops";
import { walkFields } from "~/forms/model";

/** A text in the interface language, else the other one. */
export const pick = (t: Texts, lang: Lang): string => (lang === "en" ? t.en || t.ar : t.ar || t.en);

export const fieldName = (node: FieldNode, lang: Lang): string => pick(node.label, lang) || node.key;

function nodeAtPath(fields: FieldNode[], path: string): FieldNode | null {
  let found: FieldNode | null = null;
  walkFields(fields, (n, p) => {
    if (p === path) found = n;
  });
  return found;
}

/** "Shown when Kind is Other" — for the canvas badge and the panel summary. */
export function conditionText(c: Condition, fields: FieldNode[], t: TFunction, lang: Lang): string {
  const source = nodeAtPath(fields, c.field);
  const name = source ? fieldName(source, lang) : c.field;
  if (c.op === "isTrue") return t("builder.condition.textIsTrue", { field: name });
  let value = String(c.value ?? "");
  const option = source?.props.options?.find((o) => o.value === c.value);
  if (option) value = pick(option.label, lang) || option.value;
  if (typeof c.value === "boolean") value = t(c.value ? "builder.condition.yes" : "builder.condition.no");
  return t(c.op === "equals" ? "builder.condition.textEquals" : "builder.condition.textNotEquals", { field: name, value });
}

export function containerName(fields: FieldNode[], id: string | null, lang: Lang): string | null {
  if (!id) return null;
  const here = locate(fields, id);
  return here ? fieldName(here.node, lang) : null;
}
