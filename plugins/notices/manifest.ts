import { defineManifest } from "../contract";

export default defineManifest({
  id: "notices",
  version: "1.0.0",
  names: { ar: "لوحة الإعلانات", en: "Notice board" },
  description: {
    ar: "إعلانات قصيرة يراها موظفو الجهة.",
    en: "Short announcements for the organisation's staff.",
  },
  dependsOn: [],
});
