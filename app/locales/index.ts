import type { Resource } from "i18next";
import arCommon from "./ar/common.json";
import arAuth from "./ar/auth.json";
import arAdmin from "./ar/admin.json";
import arAudit from "./ar/audit.json";
import arPlugins from "./ar/plugins.json";
import arTokens from "./ar/tokens.json";
import arPlatform from "./ar/platform.json";
import arRoles from "./ar/roles.json";
import arForms from "./ar/forms.json";
import arEngine from "./ar/engine.json";
import arDiagram from "./ar/diagram.json";
import arDesigner from "./ar/designer.json";
import arCalendar from "./ar/calendar.json";
import arDeadlines from "./ar/deadlines.json";
import arNotifications from "./ar/notifications.json";
import arPortal from "./ar/portal.json";
import enCommon from "./en/common.json";
import enAuth from "./en/auth.json";
import enAdmin from "./en/admin.json";
import enAudit from "./en/audit.json";
import enPlugins from "./en/plugins.json";
import enTokens from "./en/tokens.json";
import enPlatform from "./en/platform.json";
import enRoles from "./en/roles.json";
import enForms from "./en/forms.json";
import enEngine from "./en/engine.json";
import enDiagram from "./en/diagram.json";
import enDesigner from "./en/designer.json";
import enCalendar from "./en/calendar.json";
import enDeadlines from "./en/deadlines.json";
import enNotifications from "./en/notifications.json";
import enPortal from "./en/portal.json";
import { pluginTranslations } from "~plugins/translations";

export const LOCALES = ["ar", "en"] as const;
export type AppLocale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: AppLocale = "ar";

export function isLocale(value: unknown): value is AppLocale {
  return value === "ar" || value === "en";
}

// Core namespaces, plus one namespace per plugin (its id).
const resources = {
  ar: { common: arCommon, auth: arAuth, admin: arAdmin, audit: arAudit, plugins: arPlugins, tokens: arTokens, platform: arPlatform, roles: arRoles, forms: arForms, engine: arEngine, diagram: arDiagram, designer: arDesigner, calendar: arCalendar, deadlines: arDeadlines, notifications: arNotifications, portal: arPortal, ...pluginTranslations.ar },
  en: { common: enCommon, auth: enAuth, admin: enAdmin, audit: enAudit, plugins: enPlugins, tokens: enTokens, platform: enPlatform, roles: enRoles, forms: enForms, engine: enEngine, diagram: enDiagram, designer: enDesigner, calendar: enCalendar, deadlines: enDeadlines, notifications: enNotifications, portal: enPortal, ...pluginTranslations.en },
} satisfies Resource;

export default resources;
