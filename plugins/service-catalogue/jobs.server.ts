import type { PluginJob } from "../contract";
import { computeDueKpis } from "./kpis.server";

// Once a day, per organisation with the catalogue enabled: each KPI computed from cases gets
// its last complete period measured (once; a period already measured is skipped).
export const computeKpis: PluginJob = {
  key: "compute-kpis",
  cron: "40 1 * * *",
  async run({ trx, orgId, now }) {
    await computeDueKpis(trx, orgId, now);
  },
};
