import { definePluginServer } from "../contract";
import { archiveExpired } from "./jobs.server";
import { noticeKpis } from "./kpis";
import * as m0001 from "./migrations/0001_notice_table";
import * as m0002 from "./migrations/0002_notice_publishing";
import { applyPolicy, publish } from "./node-kinds.server";
import { seedNotices } from "./seed.server";
import { noticeSettings } from "./settings";
import { noticeRequestForm, publishNoticeWorkflow } from "./templates";

// Every contribution kind of the plugin contract, in one place (docs/plugins.md walks through it).
export default definePluginServer({
  migrations: { "0001_notice_table": m0001, "0002_notice_publishing": m0002 },
  permissions: {
    subjects: [{ name: "Notice", actions: ["read", "create", "delete"], fields: { createdBy: "user" } }],
    defaultGrants: {
      admin: [{ action: "manage", subject: "Notice" }],
      manager: [{ action: ["read", "create"], subject: "Notice" }],
      staff: [{ action: "read", subject: "Notice" }],
    },
  },
  nav: [{ key: "board", label: "nav.title", path: "notices", section: "main", can: ["read", "Notice"] }],
  routes: ["notices"],
  settings: noticeSettings,
  forms: [noticeRequestForm],
  workflows: [publishNoticeWorkflow],
  nodeKinds: [applyPolicy, publish],
  kpis: noticeKpis,
  jobs: [archiveExpired],
  seed: seedNotices,
});
