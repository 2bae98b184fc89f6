import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigation, useSubmit } from "react-router";
import { FormRenderer, type FormData } from "~/components/form-renderer/form-renderer";
import type { FieldError } from "~/components/form-renderer/errors";
import { useRootData } from "~/root";
import { pick, type Lang } from "./plugin-admin";

// A plugin's settings as a form: the plugin's settings JSON Schema rendered by the form
// renderer in the member's language (labels come from the plugin's namespace). The server
// validates again and answers field errors, shown next to the fields; nothing typed is lost.

export interface SettingsFormSpec {
  id: string;
  schema: unknown;
  uiSchema: unknown;
  translations: { ar: Record<string, string>; en: Record<string, string> };
}

export function PluginSettingsForm(props: { form: SettingsFormSpec; version: number; values: Record<string, unknown>; errors: FieldError[] }) {
  const { t, i18n } = useTranslation("plugins");
  const locale: Lang = i18n.language === "en" ? "en" : "ar";
  const [data, setData] = useState<FormData>(props.values);
  const submit = useSubmit();
  const csrf = useRootData()?.csrf ?? "";
  const submitting = useNavigation().state === "submitting";
  return (
    <FormRenderer
      version={props.form}
      locale={locale}
      data={data}
      onChange={(next) => setData(next)}
      errors={props.errors}
      validatorUrl={null}
      idPrefix="settings"
      submitting={submitting}
      submitLabel={t("detail.settings.save")}
      onSubmit={(values) =>
        submit({ _csrf: csrf, intent: "settings", values: JSON.stringify(values), expectedVersion: String(props.version) }, { method: "post", preventScrollReset: true })
      }
    />
  );
}

type T = (key: string, options?: Record<string, unknown>) => string;

/** A stored settings value as people read it: option labels, yes/no, numbers in the organisation's digits. */
export function settingsValueText(
  value: unknown,
  labels: { options: Record<string, { ar: string; en: string }> } | undefined,
  lang: Lang,
  t: T,
  number: (n: number) => string,
): string {
  if (typeof value === "string" && labels?.options[value]) return pick(labels.options[value]!, lang);
  if (typeof value === "boolean") return t(value ? "detail.settings.yes" : "detail.settings.no");
  if (typeof value === "number") return number(value);
  if (value === "" || value === null || value === undefined) return t("detail.settings.empty");
  return typeof value === "string" ? value : JSON.stringify(value);
}
