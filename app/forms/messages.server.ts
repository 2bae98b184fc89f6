import i18next, { type TFunction } from "i18next";
import arForms from "~/locales/ar/forms.json";
import enForms from "~/locales/en/forms.json";
import type { Problem } from "./schema-safety.server";

// Server-side texts of the forms namespace for code that runs outside a request's i18n
// instance (the validator is also called by the engine and by the benchmark).
const instance = i18next.createInstance();
void instance.init({
  resources: { ar: { forms: arForms }, en: { forms: enForms } },
  lng: "ar",
  fallbackLng: "ar",
  ns: ["forms"],
  defaultNS: "forms",
  initAsync: false,
  interpolation: { escapeValue: false },
});

export type FormsLocale = "ar" | "en";

export function formsT(locale: FormsLocale): TFunction<"forms"> {
  return instance.getFixedT(locale, "forms") as TFunction<"forms">;
}

/** Problems of the schema check with their message in the given language. */
export function describeProblems(problems: Problem[], locale: FormsLocale): (Problem & { message: string })[] {
  const t = formsT(locale);
  return problems.map((p) => {
    const params: Record<string, unknown> = { ...p.params, path: p.path || "/" };
    // Names of parts and languages are words of the sentence, so they are translated too.
    if (typeof params.part === "string") params.part = t(`server.parts.${params.part}`);
    if (typeof params.locale === "string") params.locale = t(`server.locales.${params.locale}`);
    return { ...p, message: t(`server.schema.${p.code}`, params) as string };
  });
}
