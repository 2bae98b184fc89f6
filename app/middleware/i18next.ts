import { initReactI18next } from "react-i18next";
import { createI18nextMiddleware } from "remix-i18next/middleware";
import resources, { DEFAULT_LOCALE } from "~/locales";
import { appCookies } from "~/utils/cookies.server";

// Arabic is the default; a signed-in user's choice is stored on the user and mirrored in
// the locale cookie at sign-in and on every switch, so detection needs no database query.
export const [i18nextMiddleware, getLocale, getInstance] = createI18nextMiddleware({
  detection: {
    supportedLanguages: ["en", "ar"],
    fallbackLanguage: DEFAULT_LOCALE,
    order: ["searchParams", "cookie"],
    get cookie() {
      return appCookies().locale;
    },
  },
  i18next: { resources, defaultNS: "common", fallbackNS: "common", interpolation: { escapeValue: false } },
  plugins: [initReactI18next],
});
