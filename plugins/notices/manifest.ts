import { defineManifest } from "../contract";

export default defineManifest({
  id: "notices",
  version: "1.1.0",
  names: { ar: "لوحة الإعلانات", en: "Notice board" },
  description: {
    ar: "إعلانات قصيرة يراها موظفو الجهة، مع سير عمل «نشر إعلان» يعتمد الإعلان حسب سياسة الجهة وينشره للمدة التي تحددها.",
    en: "Short announcements for the organisation's staff, with a “publish a notice” workflow that has each notice approved as the organisation's policy says and shows it for the period the policy sets.",
  },
  dependsOn: [],
});
