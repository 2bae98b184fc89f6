import noticesAr from "./notices/locales/ar.json";
import noticesEn from "./notices/locales/en.json";
import serviceCatalogueAr from "./service-catalogue/locales/ar.json";
import serviceCatalogueEn from "./service-catalogue/locales/en.json";
import slaAr from "./sla/locales/ar.json";
import slaEn from "./sla/locales/en.json";

// Each plugin's translations under its id as the i18next namespace. Static imports so
// the browser bundle carries them too; a plugin disabled at boot simply shows no UI.
export const pluginTranslations: { ar: Record<string, Record<string, unknown>>; en: Record<string, Record<string, unknown>> } = {
  ar: { notices: noticesAr, "service-catalogue": serviceCatalogueAr, sla: slaAr },
  en: { notices: noticesEn, "service-catalogue": serviceCatalogueEn, sla: slaEn },
};
