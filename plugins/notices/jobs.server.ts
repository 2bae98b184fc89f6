import type { PluginJob } from "../contract";
import { archiveExpiredNotices } from "./notices.server";

// Runs daily for each organisation that has the notice board enabled (not for the others).
export const archiveExpired: PluginJob = {
  key: "archive-expired",
  cron: "15 1 * * *",
  async run({ trx, orgId, now }) {
    await archiveExpiredNotices(trx, orgId, now);
  },
};
