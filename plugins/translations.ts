// Each plugin's translations under its id as the i18next namespace. Static imports so
// the browser bundle carries them too; a plugin disabled at boot simply shows no UI.
export const pluginTranslations: { ar: Record<string, object>; en: Record<string, object> } = {
  ar: {},
  en: {},
};
